#include "mock_server/model/state.h"

#include <unordered_map>
#include <utility>

#include "contract/codes.h"
#include "contract/mutex.h"
#include "contract/request_check.h"
#include "contract/wire_params.h"
#include "mock_server/model/fixture.h"
#include "mock_server/model/handlers.h"
#include "mock_server/model/store.h"

namespace onsmqtt::mock {

namespace {

using internal::Failure;

// Missing or empty: the "missing" status (400); present but too long or not
// an integer in range: the "invalid" status (500). Extra parameters are
// ignored, as the service does.
std::optional<ServiceResult> CheckParameters(const OperationSpec& op, const ParamList& params,
                                             const ErrorCatalog& catalog) {
  for (const ParameterSpec& spec : op.parameters) {
    const std::string* value = FindParam(params, spec.name);
    if (value == nullptr || value->empty()) {
      if (!spec.required) continue;
      return Failure(catalog, codes::kParameterFieldCheckFailed, spec.name, false);
    }
    bool invalid = spec.max_bytes && value->size() > *spec.max_bytes;
    if (!invalid && spec.integer) {
      int64_t n = 0;
      invalid =
          !ParseDecimalInteger(*value, &n) || n < spec.integer->min || (spec.integer->max && n > *spec.integer->max);
    }
    if (invalid) return Failure(catalog, codes::kParameterFieldCheckFailed, spec.name, true);
  }
  return std::nullopt;
}

class MockStateImpl final : public MockState {
 public:
  MockStateImpl(Fixture fixture, const ErrorCatalog* catalog, MockOptions options, const Clock* clock)
      : catalog_(catalog), options_(std::move(options)), clock_(clock) {
    Install(std::move(fixture));
  }

  std::optional<AccessKeyRecord> FindAccessKey(const std::string& access_key_id) const override {
    MutexLock lock(&mu_);
    auto it = store_.access_keys.find(access_key_id);
    if (it == store_.access_keys.end()) return std::nullopt;
    const AccessKey& k = it->second;
    AccessKeyRecord record;
    record.secret = k.secret;
    record.active = k.active;
    record.caller = Caller{k.id, k.account_uid, k.ram_user};
    record.temporary = k.temporary;
    record.token = k.token;
    record.expiration = k.expiration;
    return record;
  }

  std::optional<std::string> FindSecurityTokenOwner(const std::string& token) const override {
    MutexLock lock(&mu_);
    const AccessKey* k = store_.FindBySecurityToken(token);
    if (k == nullptr) return std::nullopt;
    return k->id;
  }

  ServiceResult Handle(const ServiceCall& call) override {
    const OperationSpec& op = *call.operation;
    MutexLock lock(&mu_);
    if (std::optional<ServiceResult> denied = CheckPermission(op, call.caller)) return *denied;
    if (std::optional<ServiceResult> bad = CheckParameters(op, call.params, *catalog_)) return *bad;
    const std::string* instance_id = FindParam(call.params, "MqttInstanceId");
    Instance* instance = instance_id != nullptr ? store_.FindInstance(*instance_id) : nullptr;
    if (instance == nullptr || instance->region != call.region) {
      return Failure(*catalog_, codes::kMqttInstanceNotFound);
    }
    if (instance->owner_uid != call.caller.account_uid) return Failure(*catalog_, codes::kMqttOwnerCheckError);
    if (instance->edition != Edition::kPlatinum) return Failure(*catalog_, options_.non_platinum_code.c_str());
    internal::Handler handler = internal::FindHandler(op.name);
    if (handler == nullptr) return Failure(*catalog_, codes::kInternalError);
    internal::Context ctx{store_, *instance, *catalog_, call.params, EpochMillis(clock_->Now())};
    return handler(ctx);
  }

  std::map<std::string, std::string> Variables() const override {
    MutexLock lock(&mu_);
    std::map<std::string, std::string> vars = fixture_.variables;
    vars["region"] = DefaultRegionLocked();
    return vars;
  }

  nlohmann::json Dump() const override {
    MutexLock lock(&mu_);
    nlohmann::json dump = store_.Dump();
    dump["fixture"] = fixture_.path;
    return dump;
  }

  Status Reset() override {
    MutexLock lock(&mu_);
    store_ = fixture_.store;
    return Status::Ok();
  }

  Status LoadFixture(const std::string& fixture_path) override {
    StatusOr<Fixture> fixture = LoadFixtureFile(fixture_path);  // parsed outside the lock
    if (!fixture.ok()) return fixture.status();
    MutexLock lock(&mu_);
    Install(std::move(*fixture));
    return Status::Ok();
  }

  ConnectDecision DecideConnect(const std::string& instance_id, const std::string& device_pem,
                                bool register_device) override {
    int64_t now_ms = EpochMillis(clock_->Now());
    StatusOr<std::shared_ptr<const Certificate>> cert = ParseOnce(device_pem);  // outside the state's lock
    if (!cert.ok()) {
      ConnectDecision bad;
      bad.reason = "bad device certificate: " + cert.status().message();
      return bad;
    }
    MutexLock lock(&mu_);
    return internal::DecideConnect(store_, instance_id, *cert, now_ms, register_device);
  }

  std::string default_region() const override {
    MutexLock lock(&mu_);
    return DefaultRegionLocked();
  }

 private:
  // Or during construction.
  void Install(Fixture fixture) REQUIRES(mu_) {
    fixture_ = std::move(fixture);
    store_ = fixture_.store;
  }

  std::string DefaultRegionLocked() const REQUIRES(mu_) {
    return fixture_.store.default_region.empty() ? options_.default_region : fixture_.store.default_region;
  }

  // Root keys may do anything; a RAM user needs the operation's action.
  std::optional<ServiceResult> CheckPermission(const OperationSpec& op, const Caller& caller) const REQUIRES(mu_) {
    if (caller.ram_user.empty()) return std::nullopt;
    const RamUser* user = store_.FindRamUser(caller.account_uid, caller.ram_user);
    if (user != nullptr && user->Allows(op.ram_action)) return std::nullopt;
    ServiceResult denied = Failure(*catalog_, codes::kPermissionCheckFailed);
    denied.access_denied_detail = {
        {"AuthAction", op.ram_action},
        {"AuthPrincipalType", "SubUser"},
        {"AuthPrincipalOwnerId", caller.account_uid},
        {"AuthPrincipalDisplayName", caller.ram_user},
        {"NoPermissionType", "ImplicitDeny"},
        {"PolicyType", "AccountLevelIdentityBasedPolicy"},
    };
    return denied;
  }

  // A device presents the same certificate at every connect: it is decoded
  // once (with its public key, on first verification) and kept, up to
  // kMaxCachedCertificates different ones (then the cache starts afresh).
  StatusOr<std::shared_ptr<const Certificate>> ParseOnce(const std::string& pem) {
    {
      MutexLock lock(&cache_mu_);
      if (auto it = certificates_.find(pem); it != certificates_.end()) return it->second;
    }
    StatusOr<std::shared_ptr<const Certificate>> cert = Certificate::ParsePem(pem);
    if (!cert.ok()) return cert;
    MutexLock lock(&cache_mu_);
    if (certificates_.size() >= kMaxCachedCertificates) certificates_.clear();
    certificates_.emplace(pem, *cert);
    return cert;
  }

  static constexpr size_t kMaxCachedCertificates = 4096;
  const ErrorCatalog* catalog_;
  const MockOptions options_;
  const Clock* clock_;
  mutable Mutex mu_;
  Fixture fixture_ GUARDED_BY(mu_);  // what Reset() returns to
  Store store_ GUARDED_BY(mu_);
  mutable Mutex cache_mu_;
  std::unordered_map<std::string, std::shared_ptr<const Certificate>> certificates_ GUARDED_BY(cache_mu_);
};

}  // namespace

StatusOr<nlohmann::json> MockState::RegisterDeviceOnConnect(const std::string& instance_id,
                                                            const std::string& device_pem) {
  ConnectDecision d = DecideConnect(instance_id, device_pem, true);
  if (!d.accepted) return Status::FailedPrecondition(d.reason);
  return d.device;
}

StatusOr<std::unique_ptr<MockState>> MockState::Load(const std::string& fixture_path, const ErrorCatalog* catalog,
                                                     const MockOptions* options, const Clock* clock) {
  StatusOr<Fixture> fixture = LoadFixtureFile(fixture_path);
  if (!fixture.ok()) return fixture.status();
  return Create(std::move(*fixture), catalog, options, clock);
}

std::unique_ptr<MockState> MockState::Create(Fixture fixture, const ErrorCatalog* catalog, const MockOptions* options,
                                             const Clock* clock) {
  MockOptions opts = options != nullptr ? *options : MockOptions();
  if (clock == nullptr) clock = opts.clock != nullptr ? opts.clock : &SystemClock::Instance();
  return std::unique_ptr<MockState>(new MockStateImpl(std::move(fixture), catalog, std::move(opts), clock));
}

}  // namespace onsmqtt::mock
