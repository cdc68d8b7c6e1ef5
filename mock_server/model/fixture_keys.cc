// The fixture's credentials: access keys and temporary credentials (STS
// security tokens), both acting for an account or one of its RAM users.
#include "contract/clock.h"
#include "mock_server/model/fixture_loader.h"

namespace onsmqtt::mock::internal {

namespace {

const char* KindOf(const AccessKey& key) { return key.temporary ? "temporary credential" : "access key"; }

}  // namespace

Status Loader::AddKey(AccessKey key, const std::string& what, const Node& v, const Node& id, const Node* account,
                      const Node* ram_user) {
  if ((account == nullptr) == (ram_user == nullptr)) {
    return Status::ParseError(v.loc, what + " needs exactly one of \"account\" (a root key) or \"ram_user\"");
  }
  if (account != nullptr) {
    DECLARE_OR_RETURN(StatusOr<const std::string*>, uid, Ref(*account, accounts_, "account"));
    key.account_uid = **uid;
  } else {
    DECLARE_OR_RETURN(StatusOr<const RamUser*>, user, Ref(*ram_user, ram_users_, "ram_user"));
    key.account_uid = (*user)->account_uid;
    key.ram_user = (*user)->name;
  }
  if (auto it = out_.store.access_keys.find(key.id); it != out_.store.access_keys.end()) {
    return Status::ParseError(id.loc, std::string(KindOf(key)) + " id \"" + key.id + "\" is also " +
                                          KindOf(it->second) + " \"" + it->second.key + "\"");
  }
  out_.variables["key." + key.key + ".id"] = key.id;
  out_.variables["key." + key.key + ".secret"] = key.secret;
  out_.store.access_keys.emplace(key.id, std::move(key));
  return Status::Ok();
}

Status Loader::AccessKeys(const Node* section) {
  return ForEach(section, "access_keys", [&](const std::string& k, const Node&, const Node& v) -> Status {
    const std::string what = "access key \"" + k + "\"";
    yaml::MapReader r(v, what);
    const Node* id = r.Required("id");
    const Node* secret = r.Required("secret");
    const Node* account = r.Optional("account");
    const Node* ram_user = r.Optional("ram_user");
    const Node* status = r.Optional("status");
    RETURN_IF_ERROR(r.Finish());
    AccessKey key;
    key.key = k;
    DECLARE_OR_RETURN(StatusOr<std::string>, i, Text(*id, "id"));
    DECLARE_OR_RETURN(StatusOr<std::string>, s, Text(*secret, "secret"));
    DECLARE_OR_RETURN(StatusOr<bool>, active, ActiveFlag(status, "status"));
    key.id = *i;
    key.secret = *s;
    key.active = *active;
    return AddKey(std::move(key), what, v, *id, account, ram_user);
  });
}

Status Loader::TemporaryCredentials(const Node* section) {
  return ForEach(
      section, "temporary_credentials", [&](const std::string& k, const Node& k_node, const Node& v) -> Status {
        const std::string what = "temporary credential \"" + k + "\"";
        if (out_.variables.count("key." + k + ".id") != 0) {
          std::string why = "key \"" + k + "\" in temporary_credentials is also an access key's";
          return Status::ParseError(k_node.loc, why + " (both would be ${key." + k + ".*})");
        }
        yaml::MapReader r(v, what);
        const Node* id = r.Required("id");
        const Node* secret = r.Required("secret");
        const Node* token = r.Required("token");
        const Node* expiration = r.Required("expiration");
        const Node* account = r.Optional("account");
        const Node* ram_user = r.Optional("ram_user");
        RETURN_IF_ERROR(r.Finish());
        AccessKey key;
        key.key = k;
        key.temporary = true;
        DECLARE_OR_RETURN(StatusOr<std::string>, i, Text(*id, "id"));
        DECLARE_OR_RETURN(StatusOr<std::string>, s, Text(*secret, "secret"));
        DECLARE_OR_RETURN(StatusOr<std::string>, t, Text(*token, "token"));
        DECLARE_OR_RETURN(StatusOr<std::string>, e, Text(*expiration, "expiration"));
        std::optional<TimePoint> when = ParseTimestamp(*e);
        if (!when) {
          std::string why = "expiration must be an ISO 8601 UTC time such as 2099-12-31T23:59:59Z";
          return Status::ParseError(expiration->loc, why + ", got \"" + *e + "\"");
        }
        if (const AccessKey* other = out_.store.FindBySecurityToken(*t); other != nullptr) {
          return Status::ParseError(token->loc, "token is also temporary credential \"" + other->key + "\"'s");
        }
        key.id = *i;
        key.secret = *s;
        key.token = *t;
        key.expiration = *when;
        out_.variables["key." + k + ".token"] = key.token;
        out_.variables["key." + k + ".expiration"] = *e;
        return AddKey(std::move(key), what, v, *id, account, ram_user);
      });
}

}  // namespace onsmqtt::mock::internal
