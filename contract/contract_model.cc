#include "contract/contract.h"
#include "contract/http_message.h"

// The contract model's accessors; the loader is in contract.cc.

namespace onsmqtt {

const char* HttpMethodName(HttpMethod m) { return m == HttpMethod::kGet ? "GET" : "POST"; }

std::optional<HttpMethod> ParseHttpMethod(const std::string& s) {
  if (s == "GET") return HttpMethod::kGet;
  if (s == "POST") return HttpMethod::kPost;
  return std::nullopt;
}

const char* JsonTypeName(JsonType t) {
  switch (t) {
    case JsonType::kString:
      return "string";
    case JsonType::kNumber:
      return "number";
    case JsonType::kBoolean:
      return "boolean";
    case JsonType::kObject:
      return "object";
    case JsonType::kArray:
      return "array";
  }
  return "?";
}

const ParameterSpec* OperationSpec::FindParameter(const std::string& param) const {
  for (const auto& p : parameters) {
    if (p.name == param) return &p;
  }
  return nullptr;
}

bool OperationSpec::Accepts(HttpMethod m) const {
  for (HttpMethod a : accepted_methods) {
    if (a == m) return true;
  }
  return false;
}

bool ErrorSpec::Documents(int status) const {
  for (int s : statuses) {
    if (s == status) return true;
  }
  return false;
}

namespace {

std::string ReplaceAll(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

}  // namespace

std::string ErrorSpec::FormatMessage(const std::string& param) const { return ReplaceAll(message, "{param}", param); }

const OperationSpec* Contract::FindOperation(const std::string& action) const {
  for (const auto& op : operations) {
    if (op.name == action) return &op;
  }
  return nullptr;
}

const ErrorSpec* Contract::FindError(const std::string& code) const {
  for (const auto& e : errors) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

std::string Contract::HostId(const std::string& region) const { return ReplaceAll(host_id, "{region}", region); }
std::string Contract::Endpoint(const std::string& region) const { return ReplaceAll(endpoint, "{region}", region); }

std::string Contract::RegionFromHost(std::string_view host) const {
  std::string h = ToLower(host);
  // "host:port", but not the colons of an IPv6 literal ("[::1]").
  if (size_t colon = h.rfind(':'); colon != std::string::npos && h.find(']') == std::string::npos) h.resize(colon);
  static constexpr std::string_view kRegion = "{region}";
  size_t at = host_id.find(kRegion);
  if (at == std::string::npos) return "";
  std::string prefix = ToLower(host_id.substr(0, at));
  std::string suffix = ToLower(host_id.substr(at + kRegion.size()));
  size_t dot = prefix.find('.');
  std::string vpc = dot == std::string::npos ? prefix : prefix.substr(0, dot) + "-vpc" + prefix.substr(dot);
  for (const std::string& p : {prefix, vpc}) {
    if (h.size() > p.size() + suffix.size() && h.starts_with(p) && h.ends_with(suffix)) {
      std::string region = h.substr(p.size(), h.size() - p.size() - suffix.size());
      if (region.find('.') == std::string::npos) return region;
    }
  }
  return "";
}

std::string Contract::Recommend(const std::string& code, const std::string& request_id) const {
  return ReplaceAll(ReplaceAll(recommend, "{code}", code), "{request_id}", request_id);
}

std::vector<std::string> Contract::OperationNames() const {
  std::vector<std::string> names;
  for (const auto& op : operations) names.push_back(op.name);
  return names;
}

}  // namespace onsmqtt
