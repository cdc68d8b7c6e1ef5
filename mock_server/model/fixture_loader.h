#pragma once

// Internal to the fixture loader (fixture.cc, fixture_files.cc,
// fixture_keys.cc).
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "contract/yaml_tree.h"
#include "mock_server/model/fixture.h"

namespace onsmqtt::mock::internal {

using yaml::Node;

inline bool IsKeyName(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

struct CaRef {
  std::string instance_key;
  std::shared_ptr<const Certificate> cert;
};

class Loader {
 public:
  explicit Loader(std::string path) : path_(std::move(path)) { dir_ = std::filesystem::path(path_).parent_path(); }

  StatusOr<Fixture> Run();

 private:
  // Walks `section` (a map of <key>: <map>), calling `each` per entry.
  Status ForEach(const Node* section, const std::string& what,
                 const std::function<Status(const std::string&, const Node&, const Node&)>& each);
  StatusOr<std::string> Text(const Node& node, const std::string& what, bool allow_empty = false);
  StatusOr<bool> ActiveFlag(const Node* node, const std::string& what);
  template <typename T>
  StatusOr<const T*> Ref(const Node& node, const std::map<std::string, T>& known, const std::string& what);
  StatusOr<std::string> ReadRelative(const Node& node, const std::string& what);
  StatusOr<std::shared_ptr<const Certificate>> Pem(const Node& node, const std::string& what);

  Status Limits(const Node* node);
  Status Accounts(const Node* section);
  Status RamUsers(const Node* section);
  Status AccessKeys(const Node* section);
  Status TemporaryCredentials(const Node* section);
  // What access keys and temporary credentials share (fixture_keys.cc): the
  // one of `account` / `ram_user` the entry `v` names (`what` says which
  // entry), the id unique among both kinds, the variables key.<k>.id and
  // key.<k>.secret. Fills key->account_uid, ram_user; adds the key.
  Status AddKey(AccessKey key, const std::string& what, const Node& v, const Node& id, const Node* account,
                const Node* ram_user);
  Status Instances(const Node* section);
  Status Cas(const Node* section);
  Status Devices(const Node* section);
  Status Files(const Node* section);
  Status Mqtt(const Node* node);
  // The private key of the certificate at `pem` (a path node): `key` when
  // given, else <name>.key beside <name>.pem when that exists, else "".
  StatusOr<std::string> KeyFor(const Node& pem, const Node* key);

  std::string path_;
  std::filesystem::path dir_;
  Fixture out_;
  std::map<std::string, std::string> accounts_;   // key -> uid
  std::map<std::string, RamUser> ram_users_;      // key -> user
  std::map<std::string, std::string> instances_;  // key -> id
  std::map<std::string, CaRef> cas_;              // key -> CA
};

}  // namespace onsmqtt::mock::internal
