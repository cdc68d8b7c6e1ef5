#include "mock_server/model/fixture.h"

#include <cctype>
#include <filesystem>
#include <functional>
#include <utility>
#include <vector>

#include "contract/yaml_tree.h"
#include "mock_server/model/fixture_loader.h"

namespace onsmqtt::mock {

namespace internal {

StatusOr<Fixture> Loader::Run() {
  DECLARE_OR_RETURN(StatusOr<Node>, root, yaml::ParseFile(path_));
  out_.path = path_;
  yaml::MapReader r(*root, "the fixture");
  const Node* region = r.Optional("default_region");
  const Node* limits = r.Optional("limits");
  const Node* accounts = r.Optional("accounts");
  const Node* ram_users = r.Optional("ram_users");
  const Node* keys = r.Optional("access_keys");
  const Node* temporary = r.Optional("temporary_credentials");
  const Node* instances = r.Optional("instances");
  const Node* cas = r.Optional("ca_certificates");
  const Node* devices = r.Optional("device_certificates");
  const Node* files = r.Optional("files");
  const Node* mqtt = r.Optional("mqtt");
  RETURN_IF_ERROR(r.Finish());
  if (region != nullptr) {
    DECLARE_OR_RETURN(StatusOr<std::string>, s, Text(*region, "default_region"));
    out_.store.default_region = *s;
  }
  RETURN_IF_ERROR(Limits(limits));
  RETURN_IF_ERROR(Accounts(accounts));
  RETURN_IF_ERROR(RamUsers(ram_users));
  RETURN_IF_ERROR(AccessKeys(keys));
  RETURN_IF_ERROR(TemporaryCredentials(temporary));
  RETURN_IF_ERROR(Instances(instances));
  RETURN_IF_ERROR(Cas(cas));
  RETURN_IF_ERROR(Devices(devices));
  RETURN_IF_ERROR(Files(files));
  RETURN_IF_ERROR(Mqtt(mqtt));
  return std::move(out_);
}

Status Loader::ForEach(const Node* section, const std::string& what,
                       const std::function<Status(const std::string&, const Node&, const Node&)>& each) {
  if (section == nullptr || section->is_null()) return Status::Ok();
  if (!section->is_map()) {
    return Status::ParseError(section->loc, what + " must be a map of <key>: ..., got " + section->KindName());
  }
  for (const auto& [key, value] : section->entries) {
    if (!IsKeyName(key.scalar)) {
      return Status::ParseError(key.loc, "key \"" + key.scalar + "\" in " + what +
                                             " must be letters, digits, '_' or '-' (scenarios write ${...<key>...})");
    }
    RETURN_IF_ERROR(each(key.scalar, key, value));
  }
  return Status::Ok();
}

StatusOr<std::string> Loader::Text(const Node& node, const std::string& what, bool allow_empty) {
  StatusOr<std::string> s = yaml::AsString(node, what);
  if (s.ok() && s->empty() && !allow_empty) return Status::ParseError(node.loc, what + " must not be empty");
  return s;
}

StatusOr<bool> Loader::ActiveFlag(const Node* node, const std::string& what) {
  if (node == nullptr) return true;
  DECLARE_OR_RETURN(StatusOr<std::string>, s, Text(*node, what));
  if (*s == "active") return true;
  if (*s == "inactive") return false;
  std::string hint = yaml::DidYouMean(*s, {"active", "inactive"});
  return Status::ParseError(
      node->loc, what + " must be active or inactive, got \"" + *s + "\"" + (hint.empty() ? "" : "; " + hint));
}

template <typename T>
StatusOr<const T*> Loader::Ref(const Node& node, const std::map<std::string, T>& known, const std::string& what) {
  DECLARE_OR_RETURN(StatusOr<std::string>, key, Text(node, what));
  auto it = known.find(*key);
  if (it != known.end()) return &it->second;
  std::vector<std::string> keys;
  std::string defined;
  for (const auto& [k, v] : known) {
    keys.push_back(k);
    defined += " " + k;
  }
  std::string hint = yaml::DidYouMean(*key, keys);
  std::string msg = "unknown " + what + " \"" + *key + "\"";
  msg += !hint.empty() ? "; " + hint : " (defined:" + (keys.empty() ? std::string(" none") : defined) + ")";
  return Status::ParseError(node.loc, msg);
}

// fixture_keys.cc refers to RAM users and accounts by key too.
template StatusOr<const RamUser*> Loader::Ref<RamUser>(const Node&, const std::map<std::string, RamUser>&,
                                                       const std::string&);
template StatusOr<const std::string*> Loader::Ref<std::string>(const Node&, const std::map<std::string, std::string>&,
                                                               const std::string&);

StatusOr<std::string> Loader::ReadRelative(const Node& node, const std::string& what) {
  DECLARE_OR_RETURN(StatusOr<std::string>, rel, Text(node, what));
  std::filesystem::path p(*rel);
  std::string full = p.is_absolute() ? p.string() : (dir_ / p).string();
  StatusOr<std::string> text = yaml::ReadFile(full);
  if (!text.ok()) {
    std::string why = "cannot read " + what + " \"" + full + "\" (paths are relative to the fixture's folder): ";
    return Status::ParseError(node.loc, why + text.status().message());
  }
  return text;
}

StatusOr<std::shared_ptr<const Certificate>> Loader::Pem(const Node& node, const std::string& what) {
  DECLARE_OR_RETURN(StatusOr<std::string>, text, ReadRelative(node, what));
  StatusOr<std::shared_ptr<const Certificate>> cert = Certificate::ParsePem(*text);
  if (!cert.ok()) return Status::ParseError(node.loc, what + " \"" + node.scalar + "\": " + cert.status().message());
  return cert;
}

Status Loader::Limits(const Node* node) {
  if (node == nullptr) return Status::Ok();
  yaml::MapReader r(*node, "limits");
  const Node* max_cas = r.Optional("max_cas_per_instance");
  RETURN_IF_ERROR(r.Finish());
  if (max_cas != nullptr) {
    DECLARE_OR_RETURN(StatusOr<int64_t>, n, yaml::AsInt(*max_cas, "limits.max_cas_per_instance"));
    if (*n < 1 || *n > 100000) {
      return Status::ParseError(max_cas->loc, "limits.max_cas_per_instance must be between 1 and 100000");
    }
    out_.store.limits.max_cas_per_instance = static_cast<int>(*n);
  }
  return Status::Ok();
}

Status Loader::Accounts(const Node* section) {
  return ForEach(section, "accounts", [&](const std::string& k, const Node&, const Node& v) -> Status {
    yaml::MapReader r(v, "account \"" + k + "\"");
    const Node* uid_node = r.Required("uid");
    RETURN_IF_ERROR(r.Finish());
    DECLARE_OR_RETURN(StatusOr<std::string>, uid, Text(*uid_node, "uid"));
    if (uid->find_first_not_of("0123456789") != std::string::npos) {
      return Status::ParseError(uid_node->loc,
                                "uid must be digits (an Alibaba Cloud account id), got \"" + *uid + "\"");
    }
    for (const auto& [other, other_uid] : accounts_) {
      if (other_uid == *uid)
        return Status::ParseError(uid_node->loc, "uid " + *uid + " is also account \"" + other + "\"");
    }
    accounts_.emplace(k, *uid);
    out_.store.accounts.push_back(Account{k, *uid});
    out_.variables["account." + k + ".uid"] = *uid;
    return Status::Ok();
  });
}

Status Loader::RamUsers(const Node* section) {
  return ForEach(section, "ram_users", [&](const std::string& k, const Node&, const Node& v) -> Status {
    yaml::MapReader r(v, "RAM user \"" + k + "\"");
    const Node* account = r.Required("account");
    const Node* name = r.Required("name");
    const Node* actions = r.Required("actions");
    RETURN_IF_ERROR(r.Finish());
    DECLARE_OR_RETURN(StatusOr<const std::string*>, uid, Ref(*account, accounts_, "account"));
    DECLARE_OR_RETURN(StatusOr<std::string>, n, Text(*name, "name"));
    DECLARE_OR_RETURN(StatusOr<std::vector<std::string>>, acts, yaml::AsStringList(*actions, "actions"));
    for (const auto& [other, user] : ram_users_) {
      if (user.account_uid == **uid && user.name == *n) {
        return Status::ParseError(name->loc, "RAM user name \"" + *n + "\" is also \"" + other + "\" of that account");
      }
    }
    RamUser user{k, **uid, *n, *acts};
    ram_users_.emplace(k, user);
    out_.store.ram_users.push_back(std::move(user));
    return Status::Ok();
  });
}

Status Loader::Instances(const Node* section) {
  return ForEach(section, "instances", [&](const std::string& k, const Node&, const Node& v) -> Status {
    yaml::MapReader r(v, "instance \"" + k + "\"");
    const Node* id = r.Required("id");
    const Node* region = r.Required("region");
    const Node* edition = r.Required("edition");
    const Node* owner = r.Required("owner");
    const Node* code = r.Required("registration_code");
    RETURN_IF_ERROR(r.Finish());
    Instance in;
    in.key = k;
    DECLARE_OR_RETURN(StatusOr<std::string>, i, Text(*id, "id"));
    DECLARE_OR_RETURN(StatusOr<std::string>, reg, Text(*region, "region"));
    DECLARE_OR_RETURN(StatusOr<std::string>, ed, Text(*edition, "edition"));
    std::optional<Edition> parsed = ParseEdition(*ed);
    if (!parsed) {
      std::string hint = yaml::DidYouMean(*ed, {"platinum", "professional", "standard", "basic"});
      return Status::ParseError(edition->loc, "edition must be platinum, professional, standard or basic, got \"" +
                                                  *ed + "\"" + (hint.empty() ? "" : "; " + hint));
    }
    DECLARE_OR_RETURN(StatusOr<const std::string*>, uid, Ref(*owner, accounts_, "account"));
    DECLARE_OR_RETURN(StatusOr<std::string>, c, Text(*code, "registration_code"));
    if (out_.store.instances.count(*i) != 0) {
      return Status::ParseError(
          id->loc, "instance id \"" + *i + "\" is also instance \"" + out_.store.instances.at(*i).key + "\"");
    }
    in.id = *i;
    in.region = *reg;
    in.edition = *parsed;
    in.owner_uid = **uid;
    in.registration_code = *c;
    instances_.emplace(k, in.id);
    if (in.edition == Edition::kPlatinum && out_.first_platinum_instance.empty()) out_.first_platinum_instance = in.id;
    out_.variables["instance." + k + ".id"] = in.id;
    out_.variables["instance." + k + ".region"] = in.region;
    out_.store.instances.emplace(in.id, std::move(in));
    return Status::Ok();
  });
}

Status Loader::Cas(const Node* section) {
  return ForEach(section, "ca_certificates", [&](const std::string& k, const Node&, const Node& v) -> Status {
    yaml::MapReader r(v, "CA certificate \"" + k + "\"");
    const Node* instance = r.Required("instance");
    const Node* pem = r.Required("pem");
    const Node* name = r.Optional("name");
    const Node* status = r.Optional("status");
    const Node* verification = r.Optional("verification_pem");
    RETURN_IF_ERROR(r.Finish());
    DECLARE_OR_RETURN(StatusOr<const std::string*>, id, Ref(*instance, instances_, "instance"));
    Instance& in = out_.store.instances.at(**id);
    CaCertificate ca;
    ca.key = k;
    DECLARE_OR_RETURN(StatusOr<std::shared_ptr<const Certificate>>, cert, Pem(*pem, "pem"));
    ca.cert = *cert;
    if (!ca.cert->is_ca()) {
      std::string msg = "\"" + pem->scalar + "\" is not a CA certificate (it lacks basicConstraints CA:TRUE)";
      return Status::ParseError(pem->loc, msg);
    }
    if (const Instance* holder = out_.store.FindCaOwner(ca.sn()); holder != nullptr) {
      return Status::ParseError(pem->loc, "CA SN " + ca.sn() + " is already registered on instance \"" + holder->key +
                                              "\" (SNs are unique across all instances)");
    }
    if (verification != nullptr) {
      DECLARE_OR_RETURN(StatusOr<std::shared_ptr<const Certificate>>, ver, Pem(*verification, "verification_pem"));
      if (!(*ver)->NamesIssuer(*ca.cert)) {
        return Status::ParseError(verification->loc,
                                  "\"" + verification->scalar + "\" was not issued by the CA \"" + pem->scalar + "\"");
      }
      ca.verification = *ver;
      out_.store.used_verification_sns.insert((*ver)->sn());
    }
    DECLARE_OR_RETURN(StatusOr<std::string>, n,
                      name != nullptr ? Text(*name, "name") : StatusOr<std::string>(ca.cert->subject_cn()));
    DECLARE_OR_RETURN(StatusOr<bool>, active, ActiveFlag(status, "status"));
    ca.name = *n;
    ca.active = *active;
    ca.registration_code = in.registration_code;
    if (static_cast<int>(in.cas.size()) >= out_.store.limits.max_cas_per_instance) {
      return Status::ParseError(v.loc, "instance \"" + in.key +
                                           "\" would hold more than limits.max_cas_per_instance (" +
                                           std::to_string(out_.store.limits.max_cas_per_instance) + ") CAs");
    }
    out_.variables["ca." + k + ".sn"] = ca.sn();
    out_.variables["ca." + k + ".name"] = ca.name;
    cas_.emplace(k, CaRef{instance->scalar, ca.cert});
    in.cas.push_back(std::move(ca));
    return Status::Ok();
  });
}

Status Loader::Devices(const Node* section) {
  return ForEach(section, "device_certificates", [&](const std::string& k, const Node&, const Node& v) -> Status {
    yaml::MapReader r(v, "device certificate \"" + k + "\"");
    const Node* instance = r.Required("instance");
    const Node* ca_node = r.Required("ca");
    const Node* pem = r.Required("pem");
    const Node* name = r.Optional("name");
    const Node* status = r.Optional("status");
    const Node* key = r.Optional("key");
    RETURN_IF_ERROR(r.Finish());
    DECLARE_OR_RETURN(StatusOr<const std::string*>, id, Ref(*instance, instances_, "instance"));
    DECLARE_OR_RETURN(StatusOr<const CaRef*>, ca, Ref(*ca_node, cas_, "CA certificate"));
    if ((*ca)->instance_key != instance->scalar) {
      return Status::ParseError(ca_node->loc, "CA certificate \"" + ca_node->scalar +
                                                  "\" is registered on instance \"" + (*ca)->instance_key +
                                                  "\", not \"" + instance->scalar + "\"");
    }
    DECLARE_OR_RETURN(StatusOr<std::shared_ptr<const Certificate>>, cert, Pem(*pem, "pem"));
    if (!(*cert)->NamesIssuer(*(*ca)->cert)) {
      return Status::ParseError(pem->loc, "\"" + pem->scalar + "\" was not issued by CA certificate \"" +
                                              ca_node->scalar + "\" (" + (*ca)->cert->subject_cn() + ")");
    }
    Instance& in = out_.store.instances.at(**id);
    if (in.FindDevice((*cert)->sn()) != nullptr) {
      return Status::ParseError(pem->loc, "device SN " + (*cert)->sn() + " is already registered on instance \"" +
                                              in.key + "\" as \"" + in.FindDevice((*cert)->sn())->key + "\"");
    }
    DECLARE_OR_RETURN(StatusOr<std::string>, n,
                      name != nullptr ? Text(*name, "name") : StatusOr<std::string>((*cert)->subject_cn()));
    DECLARE_OR_RETURN(StatusOr<bool>, active, ActiveFlag(status, "status"));
    DeviceCertificate device{k, *cert, (*ca)->cert->sn(), *n, *active};
    out_.variables["device." + k + ".sn"] = device.sn();
    out_.variables["device." + k + ".ca_sn"] = device.ca_sn;
    out_.variables["device." + k + ".pem"] = device.cert->pem();
    DECLARE_OR_RETURN(StatusOr<std::string>, key_pem, KeyFor(*pem, key));
    if (!key_pem->empty()) out_.variables["device." + k + ".key"] = *key_pem;
    in.PutDevice(std::move(device), &out_.store.next_device_sequence);
    return Status::Ok();
  });
}

}  // namespace internal

StatusOr<Fixture> LoadFixtureFile(const std::string& path) { return internal::Loader(path).Run(); }

}  // namespace onsmqtt::mock
