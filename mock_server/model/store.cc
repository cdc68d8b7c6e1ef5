#include "mock_server/model/store.h"

#include <algorithm>

#include "contract/clock.h"

namespace onsmqtt::mock {

namespace {

constexpr const char* kEditionNames[] = {"platinum", "professional", "standard", "basic"};
constexpr char kRedacted[] = "***";

std::string StatusText(bool active) { return active ? "1" : "0"; }

nlohmann::json DeviceDump(const DeviceCertificate& d) {
  nlohmann::json j = DeviceView(d);
  j["key"] = d.key;
  return j;
}

nlohmann::json CaDump(const CaCertificate& ca) {
  nlohmann::json j = CaView(ca);
  j["key"] = ca.key;
  return j;
}

nlohmann::json InstanceDump(const Instance& in) {
  nlohmann::json cas = nlohmann::json::array();
  for (const auto& ca : in.cas) cas.push_back(CaDump(ca));
  nlohmann::json devices = nlohmann::json::array();
  for (const auto& [seq, d] : in.devices) devices.push_back(DeviceDump(d));
  return {{"key", in.key},
          {"id", in.id},
          {"region", in.region},
          {"edition", EditionName(in.edition)},
          {"owner_uid", in.owner_uid},
          {"registration_code", in.registration_code},
          {"ca_certificates", cas},
          {"device_certificates", devices}};
}

}  // namespace

const char* EditionName(Edition e) { return kEditionNames[static_cast<int>(e)]; }

std::optional<Edition> ParseEdition(const std::string& s) {
  for (int i = 0; i < 4; ++i) {
    if (s == kEditionNames[i]) return static_cast<Edition>(i);
  }
  return std::nullopt;
}

bool RamUser::Allows(const std::string& action) const {
  for (const auto& pattern : actions) {
    if (pattern == "*" || pattern == action) return true;
    // "mq:*": every action of the service prefix.
    if (pattern.size() >= 2 && pattern.compare(pattern.size() - 2, 2, ":*") == 0 &&
        action.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0) {
      return true;
    }
  }
  return false;
}

CaCertificate* Instance::FindCa(const std::string& sn) {
  for (auto& ca : cas) {
    if (ca.sn() == sn) return &ca;
  }
  return nullptr;
}

DeviceCertificate* Instance::FindDevice(const std::string& sn) {
  auto it = device_by_sn.find(sn);
  return it == device_by_sn.end() ? nullptr : &devices.at(it->second);
}

void Instance::PutDevice(DeviceCertificate device, uint64_t* next_sequence) {
  if (auto it = device_by_sn.find(device.sn()); it != device_by_sn.end()) {
    devices.at(it->second) = std::move(device);
    return;
  }
  uint64_t seq = (*next_sequence)++;
  device_by_sn.emplace(device.sn(), seq);
  devices.emplace(seq, std::move(device));
}

void Instance::RemoveDevice(const std::string& sn) {
  auto it = device_by_sn.find(sn);
  if (it == device_by_sn.end()) return;
  devices.erase(it->second);
  device_by_sn.erase(it);
}

bool Instance::RemoveCa(const std::string& sn) {
  auto ca = std::find_if(cas.begin(), cas.end(), [&](const CaCertificate& c) { return c.sn() == sn; });
  if (ca == cas.end()) return false;
  cas.erase(ca);
  for (auto it = devices.begin(); it != devices.end();) {
    if (it->second.ca_sn == sn) {
      device_by_sn.erase(it->second.sn());
      it = devices.erase(it);
    } else {
      ++it;
    }
  }
  return true;
}

Instance* Store::FindInstance(const std::string& id) {
  auto it = instances.find(id);
  return it == instances.end() ? nullptr : &it->second;
}

const RamUser* Store::FindRamUser(const std::string& account_uid, const std::string& name) const {
  for (const auto& user : ram_users) {
    if (user.account_uid == account_uid && user.name == name) return &user;
  }
  return nullptr;
}

const Instance* Store::FindCaOwner(const std::string& sn) const {
  for (const auto& [id, in] : instances) {
    for (const auto& ca : in.cas) {
      if (ca.sn() == sn) return &in;
    }
  }
  return nullptr;
}

const AccessKey* Store::FindBySecurityToken(const std::string& token) const {
  if (token.empty()) return nullptr;
  for (const auto& [id, k] : access_keys) {
    if (k.temporary && k.token == token) return &k;
  }
  return nullptr;
}

namespace {

// The access keys (temporary == false) or the temporary credentials, sorted
// by id so two dumps of the same state are identical; secrets and tokens
// replaced by "***".
nlohmann::json KeysDump(const std::unordered_map<std::string, AccessKey>& access_keys, bool temporary) {
  std::map<std::string, const AccessKey*> sorted_keys;
  for (const auto& [id, k] : access_keys) {
    if (k.temporary == temporary) sorted_keys.emplace(id, &k);
  }
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& [id, k] : sorted_keys) {
    nlohmann::json j = {{"key", k->key},
                        {"id", k->id},
                        {"secret", kRedacted},
                        {"account_uid", k->account_uid},
                        {"ram_user", k->ram_user}};
    if (temporary) {
      j["token"] = kRedacted;
      j["expiration"] = FormatTimestamp(k->expiration);
    } else {
      j["status"] = k->active ? "active" : "inactive";
    }
    keys.push_back(std::move(j));
  }
  return keys;
}

}  // namespace

nlohmann::json Store::Dump() const {
  nlohmann::json accounts_json = nlohmann::json::array();
  for (const auto& a : accounts) accounts_json.push_back({{"key", a.key}, {"uid", a.uid}});
  nlohmann::json users = nlohmann::json::array();
  for (const auto& u : ram_users) {
    users.push_back({{"key", u.key}, {"account_uid", u.account_uid}, {"name", u.name}, {"actions", u.actions}});
  }
  nlohmann::json instances_json = nlohmann::json::array();
  for (const auto& [id, in] : instances) instances_json.push_back(InstanceDump(in));
  return {{"default_region", default_region},
          {"limits", {{"max_cas_per_instance", limits.max_cas_per_instance}}},
          {"accounts", accounts_json},
          {"ram_users", users},
          {"access_keys", KeysDump(access_keys, false)},
          {"temporary_credentials", KeysDump(access_keys, true)},
          {"instances", instances_json},
          {"used_verification_sns", used_verification_sns}};
}

nlohmann::json DeviceView(const DeviceCertificate& d) {
  return {{"CaSn", d.ca_sn},
          {"DeviceContent", d.cert->pem()},
          {"DeviceName", d.name},
          {"DeviceSn", d.sn()},
          {"Status", StatusText(d.active)},
          {"ValidBegin", std::to_string(d.cert->not_before_ms())},
          {"ValidEnd", std::to_string(d.cert->not_after_ms())}};
}

nlohmann::json CaView(const CaCertificate& ca) {
  return {{"CaContent", ca.cert->pem()},
          {"CaName", ca.name},
          {"RegistrationCode", ca.registration_code},
          {"Sn", ca.sn()},
          {"Status", StatusText(ca.active)},
          {"ValidBegin", std::to_string(ca.cert->not_before_ms())},
          {"ValidEnd", std::to_string(ca.cert->not_after_ms())},
          {"VerificationContent", ca.verification ? ca.verification->pem() : std::string()}};
}

}  // namespace onsmqtt::mock
