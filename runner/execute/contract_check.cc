#include "runner/execute/contract_check.h"

#include "contract/clock.h"
#include "contract/http_message.h"

namespace onsmqtt::runner {

namespace {

constexpr size_t kMaxRendered = 200;
constexpr size_t kMaxArrayItemsChecked = 20;

std::string Render(const nlohmann::json& v) {
  std::string s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (s.size() > kMaxRendered) s = s.substr(0, kMaxRendered) + "...";
  return s;
}

bool HasType(const nlohmann::json& v, JsonType t) {
  switch (t) {
    case JsonType::kString:
      return v.is_string();
    case JsonType::kNumber:
      return v.is_number();
    case JsonType::kBoolean:
      return v.is_boolean();
    case JsonType::kObject:
      return v.is_object();
    case JsonType::kArray:
      return v.is_array();
  }
  return false;
}

class ShapeChecker {
 public:
  ShapeChecker(const SourceLocation& loc, bool typed, std::vector<AssertionFailure>* failures)
      : loc_(loc), typed_(typed), failures_(failures) {}

  void Fail(const std::string& path, const std::string& expected, const std::string& actual) {
    failures_->push_back(AssertionFailure{FailureKind::kContract, path, expected, actual, loc_});
  }

  void Fields(const std::vector<FieldSpec>& fields, const nlohmann::json& object, const std::string& path) {
    for (const FieldSpec& f : fields) {
      std::string at = path + "." + f.name;
      if (!object.contains(f.name)) {
        Fail(at, std::string("a ") + JsonTypeName(f.type) + " (a documented field)", "absent");
        continue;
      }
      Field(f, object.at(f.name), at);
    }
  }

  void Field(const FieldSpec& f, const nlohmann::json& v, const std::string& at) {
    if (typed_ && !HasType(v, f.type)) {
      Fail(at, std::string("a ") + JsonTypeName(f.type), Render(v));
      return;
    }
    if (f.fields.empty()) return;
    if (v.is_object()) {
      Fields(f.fields, v, at);
    } else if (v.is_array()) {
      for (size_t i = 0; i < v.size() && i < kMaxArrayItemsChecked; ++i) {
        std::string item = at + "[" + std::to_string(i) + "]";
        if (!v.at(i).is_object()) {
          Fail(item, "an object", Render(v.at(i)));
          continue;
        }
        Fields(f.fields, v.at(i), item);
      }
    }
  }

  void StringField(const nlohmann::json& body, const std::string& name) {
    if (!body.contains(name)) {
      Fail("$." + name, "a string (the error envelope)", "absent");
    } else if (!body.at(name).is_string()) {
      Fail("$." + name, "a string", Render(body.at(name)));
    }
  }

 private:
  SourceLocation loc_;
  bool typed_;
  std::vector<AssertionFailure>* failures_;
};

// True when `host_id` is contract.host_id with "{region}" standing for a
// region name ([a-z0-9-]+). Plain string work: no regex on the hot path.
bool MatchesHostId(const std::string& host_id, const Contract& contract) {
  const std::string& form = contract.host_id;
  size_t at = form.find("{region}");
  if (at == std::string::npos) return host_id == form;
  std::string prefix = form.substr(0, at);
  std::string suffix = form.substr(at + 8);
  if (host_id.size() <= prefix.size() + suffix.size()) return false;
  if (host_id.compare(0, prefix.size(), prefix) != 0) return false;
  if (host_id.compare(host_id.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
  std::string region = host_id.substr(prefix.size(), host_id.size() - prefix.size() - suffix.size());
  return region.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
}

void CheckEnvelope(const Answer& answer, const nlohmann::json& body, const Contract& contract, ShapeChecker* c) {
  for (const char* name : {"HostId", "Code", "Message", "Recommend"}) c->StringField(body, name);
  if (body.contains("HostId") && body.at("HostId").is_string() &&
      !MatchesHostId(body.at("HostId").get<std::string>(), contract)) {
    c->Fail("$.HostId", "the contract's form " + contract.host_id, Render(body.at("HostId")));
  }
  if (!body.at("Code").is_string()) return;
  std::string code = body.at("Code").get<std::string>();
  const ErrorSpec* spec = contract.FindError(code);
  if (spec == nullptr) {
    c->Fail("$.Code", "an error code of the contract's catalogue", Render(body.at("Code")));
    return;
  }
  if (!spec->Documents(answer.status)) {
    std::string documented;
    for (int s : spec->statuses) documented += (documented.empty() ? "" : ", ") + std::to_string(s);
    c->Fail("status", "a status documented for " + code + ": one of [" + documented + "]",
            std::to_string(answer.status));
  }
}

void CheckRequestId(const Answer& answer, const nlohmann::json& body, ShapeChecker* c) {
  const std::string* header = FindHeader(answer.headers, "x-acs-request-id");
  if (!body.contains("RequestId")) {
    c->Fail("$.RequestId", "a request id", "absent");
  } else if (!body.at("RequestId").is_string() || !IsRequestIdFormat(body.at("RequestId").get<std::string>())) {
    c->Fail("$.RequestId", "a request id (uppercase UUID)", Render(body.at("RequestId")));
  }
  if (!answer.headers_surfaced) return;
  if (header == nullptr) {
    c->Fail("x-acs-request-id", "the header, equal to $.RequestId", "absent");
  } else if (body.contains("RequestId") && body.at("RequestId") != nlohmann::json(*header)) {
    c->Fail("x-acs-request-id", "equal to $.RequestId " + Render(body.at("RequestId")), Render(*header));
  }
}

}  // namespace

void CheckContractShape(const Answer& answer, const OperationSpec* operation, const Contract& contract,
                        const SourceLocation& loc, std::vector<AssertionFailure>* failures) {
  const std::string* content_type = FindHeader(answer.headers, "content-type");
  bool xml = content_type != nullptr && ToLower(*content_type).find("xml") != std::string::npos;
  ShapeChecker c(loc, !xml, failures);
  if (!answer.json.has_value()) {
    std::string snippet = answer.body.substr(0, kMaxRendered);
    c.Fail("body", "a parseable JSON or XML body", answer.body.empty() ? "an empty body" : Render(snippet));
    return;
  }
  const nlohmann::json& body = *answer.json;
  if (!body.is_object()) {
    c.Fail("$", "an object", Render(body));
    return;
  }
  CheckRequestId(answer, body, &c);
  if (body.contains("Code")) {
    CheckEnvelope(answer, body, contract, &c);
  } else if (answer.status != 200) {
    c.Fail("$.Code", "an error envelope with Code (HTTP " + std::to_string(answer.status) + ")", "absent");
  } else if (operation != nullptr) {
    std::vector<FieldSpec> fields;
    for (const FieldSpec& f : operation->response) {
      if (f.name != "RequestId") fields.push_back(f);
    }
    c.Fields(fields, body, "$");
  }
}

}  // namespace onsmqtt::runner
