#include "mock_server/gateway/render.h"

#include <cctype>

namespace onsmqtt::mock {

namespace {

constexpr char kXmlDeclaration[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

std::string ScalarText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

// Compact JSON; invalid UTF-8 is replaced rather than thrown on.
std::string Dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

BodyFormat ParseBodyFormat(const std::string& format_param) {
  if (format_param.size() != 3) return BodyFormat::kJson;
  std::string upper;
  for (char c : format_param) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return upper == "XML" ? BodyFormat::kXml : BodyFormat::kJson;
}

const char* ContentTypeFor(BodyFormat format) {
  return format == BodyFormat::kXml ? "text/xml;charset=utf-8" : "application/json;charset=utf-8";
}

void AppendXmlElement(const std::string& name, const nlohmann::json& value, std::string* out) {
  if (value.is_array()) {
    for (const auto& item : value) AppendXmlElement(name, item, out);
    return;
  }
  *out += "<" + name + ">";
  if (value.is_object()) {
    for (const auto& [k, v] : value.items()) AppendXmlElement(k, v, out);
  } else {
    *out += XmlEscape(ScalarText(value));
  }
  *out += "</" + name + ">";
}

std::string RenderSuccess(BodyFormat format, const std::string& action, const std::string& request_id,
                          const nlohmann::json& body) {
  if (format == BodyFormat::kXml) {
    std::string out = kXmlDeclaration;
    out += "<" + action + "Response>";
    AppendXmlElement("RequestId", request_id, &out);
    if (body.is_object()) {
      for (const auto& [k, v] : body.items()) {
        if (k != "RequestId") AppendXmlElement(k, v, &out);
      }
    }
    out += "</" + action + "Response>";
    return out;
  }
  nlohmann::ordered_json j;
  j["RequestId"] = request_id;
  if (body.is_object()) {
    for (const auto& [k, v] : body.items()) {
      if (k != "RequestId") j[k] = v;
    }
  }
  return Dump(j);
}

std::string RenderError(BodyFormat format, const Contract& contract, const std::string& region,
                        const std::string& request_id, const ApiError& error,
                        const nlohmann::json& access_denied_detail) {
  nlohmann::ordered_json j;
  j["RequestId"] = request_id;
  j["HostId"] = contract.HostId(region);
  j["Code"] = error.code;
  j["Message"] = error.message;
  j["Recommend"] = contract.Recommend(error.code, request_id);
  if (!access_denied_detail.is_null()) j["AccessDeniedDetail"] = access_denied_detail;
  if (format == BodyFormat::kJson) return Dump(j);
  std::string out = kXmlDeclaration;
  out += "<Error>";
  for (const auto& [k, v] : j.items()) AppendXmlElement(k, nlohmann::json(v), &out);
  out += "</Error>";
  return out;
}

}  // namespace onsmqtt::mock
