#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "contract/clock.h"
#include "contract/contract.h"
#include "contract/percent.h"
#include "contract/status.h"
#include "mock_server/model/errors.h"
#include "mock_server/model/fixture.h"
#include "mock_server/options.h"

// The mock's state and the operations' semantics, without HTTP: the
// boundary between the HTTP layer (server, auth, throttle, admin) and the
// model (store, fixtures, certificates, operation handlers).
//
// Thread-safe: every method may be called from any thread. Two MockState
// objects never share anything.
namespace onsmqtt::mock {

// Who signed a request, as the access key says.
struct Caller {
  std::string access_key_id;
  std::string account_uid;  // the account the key (or its RAM user) belongs to
  std::string ram_user;     // empty: the account's own (root) key
};

struct AccessKeyRecord {
  std::string secret;
  bool active = true;  // false: InvalidAccessKeyId.Inactive
  Caller caller;
  // A temporary credential (STS): the SecurityToken requests must carry,
  // and the instant from which it is expired.
  bool temporary = false;
  std::string token;
  TimePoint expiration{};
};

// One authenticated, throttled call, ready for the operation's semantics.
struct ServiceCall {
  const OperationSpec* operation = nullptr;  // from the contract; not null
  Caller caller;
  std::string region;  // from Host (onsmqtt.<region>.aliyuncs.com) or the default
  ParamList params;    // business parameters as received (decoded)
};

// The answer before rendering. On success `body` holds the documented
// fields except RequestId (the HTTP layer adds it, and HostId etc. for
// errors) and `error` is empty.
struct ServiceResult {
  int status = 200;
  std::optional<ApiError> error;
  nlohmann::json body = nlohmann::json::object();
  // RAM denials: the AccessDeniedDetail object, else null.
  nlohmann::json access_denied_detail;
};

// What the broker decided on a device's connect (MockState::DecideConnect).
struct ConnectDecision {
  bool accepted = false;
  bool registered = false;  // this connect registered the certificate
  std::string reason;       // a refusal's reason; for an acceptance, what was found
  std::string device_sn;    // empty when the certificate could not be read
  std::string ca_sn;        // the issuing CA's SN, when one was found
  std::string device_name;  // the subject CN
  nlohmann::json device;    // accepted: the device as GetDeviceCertificate shows it
};

class MockState {
 public:
  virtual ~MockState() = default;

  // Loads a fixture file (see fixtures/README.md). Relative PEM paths are
  // resolved against the fixture's folder. Errors are positioned
  // (file:line:col). `catalog` and `clock` must outlive the state.
  static StatusOr<std::unique_ptr<MockState>> Load(const std::string& fixture_path, const ErrorCatalog* catalog,
                                                   const MockOptions* options, const Clock* clock);
  // The same from a fixture loaded before (LoadFixtureFile): the state
  // starts from its own copy, so one loaded fixture serves many states.
  static std::unique_ptr<MockState> Create(Fixture fixture, const ErrorCatalog* catalog, const MockOptions* options,
                                           const Clock* clock);

  // nullopt: unknown key id (InvalidAccessKeyId.NotFound).
  virtual std::optional<AccessKeyRecord> FindAccessKey(const std::string& access_key_id) const = 0;
  // The AccessKeyId of the temporary credential whose SecurityToken is
  // `token`; nullopt when none has it (or `token` is empty).
  virtual std::optional<std::string> FindSecurityTokenOwner(const std::string& token) const = 0;

  // Runs the operation after authentication and throttling, checking, in
  // order: RAM permission, parameters, instance exists in the region,
  // owner, edition, certificate lookup; then changes state.
  virtual ServiceResult Handle(const ServiceCall& call) = 0;

  // Names scenarios use for the fixture's resources, e.g.
  //   region, account.<k>.uid, key.<k>.id, key.<k>.secret,
  //   instance.<k>.id, instance.<k>.region, ca.<k>.sn, ca.<k>.name,
  //   device.<k>.sn, device.<k>.ca_sn, file.<k> (PEM text)
  // where <k> are the fixture's own keys (fixtures/default.yaml).
  virtual std::map<std::string, std::string> Variables() const = 0;

  // The whole current state as JSON, secrets redacted.
  virtual nlohmann::json Dump() const = 0;

  // Back to the state the fixture describes; or to another fixture file.
  virtual Status Reset() = 0;
  virtual Status LoadFixture(const std::string& fixture_path) = 0;

  // The broker's decision when a device connects with `device_pem` (the
  // leaf of its TLS client certificate) to `instance_id`, in the order
  // Alibaba documents (CONTRACT.md section 4):
  //   registered: inactive -> refused; its CA inactive -> refused; else
  //     verified against its CA (signature, validity at the mock's clock);
  //   not registered: the issuing CA among the instance's registered CAs;
  //     none, or inactive -> refused; OpenSSL verification fails ->
  //     refused; else, when `register_device`, registered as active.
  // Every refusal says why (ConnectDecision::reason).
  virtual ConnectDecision DecideConnect(const std::string& instance_id, const std::string& device_pem,
                                        bool register_device) = 0;
  // DecideConnect(register_device=true) for the admin API: the device as
  // GetDeviceCertificate shows it, or kFailedPrecondition with the reason.
  StatusOr<nlohmann::json> RegisterDeviceOnConnect(const std::string& instance_id, const std::string& device_pem);

  virtual std::string default_region() const = 0;
};

}  // namespace onsmqtt::mock
