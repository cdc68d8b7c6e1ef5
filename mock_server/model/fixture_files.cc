#include <filesystem>
#include <system_error>

#include "mock_server/model/fixture_loader.h"

// The fixture's files (PEM texts for scenarios), the keys beside
// certificates, and the MQTT listener's identity.
namespace onsmqtt::mock::internal {

Status Loader::Files(const Node* section) {
  return ForEach(section, "files", [&](const std::string& k, const Node&, const Node& v) -> Status {
    DECLARE_OR_RETURN(StatusOr<std::string>, text, ReadRelative(v, "file"));
    out_.variables["file." + k] = *text;
    DECLARE_OR_RETURN(StatusOr<std::string>, key_pem, KeyFor(v, nullptr));
    if (!key_pem->empty()) out_.variables["file." + k + ".key"] = *key_pem;
    return Status::Ok();
  });
}

StatusOr<std::string> Loader::KeyFor(const Node& pem, const Node* key) {
  if (key != nullptr) return ReadRelative(*key, "key");
  std::filesystem::path p(pem.scalar);
  if (p.extension() != ".pem") return std::string();
  p.replace_extension(".key");
  std::filesystem::path full = p.is_absolute() ? p : dir_ / p;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(full, ec)) return std::string();
  StatusOr<std::string> text = yaml::ReadFile(full.string());
  if (!text.ok())
    return Status::ParseError(pem.loc, "cannot read the key beside \"" + pem.scalar + "\": " + text.status().message());
  return text;
}

Status Loader::Mqtt(const Node* node) {
  if (node == nullptr || node->is_null()) return Status::Ok();
  yaml::MapReader r(*node, "mqtt");
  const Node* cert = r.Required("certificate");
  const Node* key = r.Required("key");
  const Node* ca = r.Optional("ca");
  RETURN_IF_ERROR(r.Finish());
  DECLARE_OR_RETURN(StatusOr<std::shared_ptr<const Certificate>>, parsed, Pem(*cert, "certificate"));
  DECLARE_OR_RETURN(StatusOr<std::string>, key_pem, ReadRelative(*key, "key"));
  out_.mqtt_certificate_pem = (*parsed)->pem();
  out_.mqtt_key_pem = *key_pem;
  if (ca != nullptr) {
    DECLARE_OR_RETURN(StatusOr<std::shared_ptr<const Certificate>>, ca_cert, Pem(*ca, "ca"));
    out_.variables["mqtt.ca"] = (*ca_cert)->pem();
  }
  return Status::Ok();
}

}  // namespace onsmqtt::mock::internal
