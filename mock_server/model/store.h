#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "mock_server/model/certificate.h"

// The mock's data: accounts, RAM users, access keys (permanent and
// temporary), instances and the
// certificates registered on them. A plain value type (copying it is how
// Reset() restores the fixture); certificates are shared, immutable and
// parsed once. NOT thread-safe: MockState guards its Store with one mutex.
namespace onsmqtt::mock {

enum class Edition { kPlatinum, kProfessional, kStandard, kBasic };
const char* EditionName(Edition e);  // "platinum", ...
std::optional<Edition> ParseEdition(const std::string& s);

struct Account {
  std::string key;  // the fixture's key ("owner"), for Dump()
  std::string uid;
};

struct RamUser {
  std::string key;
  std::string account_uid;
  std::string name;
  std::vector<std::string> actions;  // "mq:GetRegisterCode", "mq:*", "*"

  // True when an action pattern grants `action` ("*", "mq:*" or exact).
  bool Allows(const std::string& action) const;
};

struct AccessKey {
  std::string key;
  std::string id;
  std::string secret;
  std::string account_uid;
  std::string ram_user;  // the RAM user's name; empty: the account's root key
  bool active = true;
  // A temporary credential (the fixture's temporary_credentials, an STS
  // token): requests must carry `token` as their SecurityToken, and the
  // credential is refused from `expiration` on.
  bool temporary = false;
  std::string token;
  std::chrono::system_clock::time_point expiration{};
};

struct CaCertificate {
  std::string key;  // fixture key, or "" when registered through the API
  std::shared_ptr<const Certificate> cert;
  std::shared_ptr<const Certificate> verification;  // may be null
  std::string name;
  std::string registration_code;  // the instance's code when registered
  bool active = true;

  const std::string& sn() const { return cert->sn(); }
};

struct DeviceCertificate {
  std::string key;
  std::shared_ptr<const Certificate> cert;
  std::string ca_sn;
  std::string name;
  bool active = true;

  const std::string& sn() const { return cert->sn(); }
};

// An instance and everything registered on it, in registration order.
struct Instance {
  std::string key;
  std::string id;
  std::string region;
  Edition edition = Edition::kPlatinum;
  std::string owner_uid;
  std::string registration_code;

  std::vector<CaCertificate> cas;
  // Devices by registration sequence (the listing order), and their SNs.
  std::map<uint64_t, DeviceCertificate> devices;
  std::unordered_map<std::string, uint64_t> device_by_sn;

  CaCertificate* FindCa(const std::string& sn);
  DeviceCertificate* FindDevice(const std::string& sn);
  // Registers or replaces the device with the same SN (keeps its place).
  void PutDevice(DeviceCertificate device, uint64_t* next_sequence);
  void RemoveDevice(const std::string& sn);
  // Removes the CA and every device it issued; false when unknown.
  bool RemoveCa(const std::string& sn);
};

struct Limits {
  // An assumption (no public number): CAs one instance may hold.
  int max_cas_per_instance = 10;
};

struct Store {
  std::string default_region;  // empty: the options' default
  Limits limits;
  std::vector<Account> accounts;
  std::vector<RamUser> ram_users;
  std::unordered_map<std::string, AccessKey> access_keys;  // by id, temporary credentials included
  std::map<std::string, Instance> instances;               // by id
  // Verification certificates already used to register a CA (by SN).
  std::set<std::string> used_verification_sns;
  uint64_t next_device_sequence = 1;

  Instance* FindInstance(const std::string& id);
  const RamUser* FindRamUser(const std::string& account_uid, const std::string& name) const;
  // The instance holding a CA with this SN, or nullptr (SNs are global).
  const Instance* FindCaOwner(const std::string& sn) const;
  // The temporary credential whose security token is `token`, or nullptr.
  const AccessKey* FindBySecurityToken(const std::string& token) const;

  // Everything as JSON, secrets replaced by "***".
  nlohmann::json Dump() const;
};

// The JSON views the API answers with (GetDeviceCertificate's Data, a
// DeviceCertificateVOS item, GetCaCertificate's Data, ...).
nlohmann::json DeviceView(const DeviceCertificate& device);
nlohmann::json CaView(const CaCertificate& ca);

}  // namespace onsmqtt::mock
