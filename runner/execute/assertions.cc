#include "runner/execute/assertions.h"

#include <algorithm>
#include <regex>

#include "contract/clock.h"
#include "runner/execute/contract_check.h"
#include "runner/scenario/json_path.h"

namespace onsmqtt::runner {

namespace {

constexpr size_t kMaxRendered = 200;
using nlohmann::json;

std::string Render(const std::optional<json>& v) {
  if (!v.has_value()) return "absent";
  std::string s = v->dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > kMaxRendered) s = s.substr(0, kMaxRendered) + "...";
  return s;
}

// The Value as JSON, with ${...} in strings resolved.
StatusOr<json> ToJson(const Value& v, const Variables& vars) {
  switch (v.type) {
    case Value::Type::kNull:
      return json(nullptr);
    case Value::Type::kBoolean:
      return json(v.text == "true");
    case Value::Type::kNumber: {
      json n = json::parse(v.text, nullptr, false);
      if (n.is_discarded()) return Status::InvalidArgument("not a number: " + v.text).WithLocation(v.loc);
      return n;
    }
    case Value::Type::kString: {
      StatusOr<std::string> s = vars.Resolve(Template{v.text, v.loc});
      if (!s.ok()) return s.status();
      return json(*s);
    }
    case Value::Type::kArray: {
      json out = json::array();
      for (const Value& item : v.items) {
        StatusOr<json> j = ToJson(item, vars);
        if (!j.ok()) return j.status();
        out.push_back(std::move(*j));
      }
      return out;
    }
    case Value::Type::kObject: {
      json out = json::object();
      for (const auto& [name, item] : v.members) {
        StatusOr<json> j = ToJson(item, vars);
        if (!j.ok()) return j.status();
        out[name] = std::move(*j);
      }
      return out;
    }
  }
  return json(nullptr);
}

// A `regex:` pattern with each ${...} value as a literal.
StatusOr<json> RegexPattern(const Value& v, const Variables& vars) {
  StatusOr<std::string> s = vars.ResolveRegex(Template{v.text, v.loc});
  if (!s.ok()) return s.status();
  return json(*s);
}

const char* TypeOf(const json& v) {
  if (v.is_string()) return "string";
  if (v.is_number()) return "number";
  if (v.is_boolean()) return "boolean";
  if (v.is_object()) return "object";
  if (v.is_array()) return "array";
  return "null";
}

std::string Describe(const Matcher& m, const json& arg) {
  switch (m.kind) {
    case MatcherKind::kEquals:
      return Render(arg);
    case MatcherKind::kRegex:
      return "a string matching /" + arg.get<std::string>() + "/";
    case MatcherKind::kType:
      return "a value of type " + arg.get<std::string>();
    case MatcherKind::kRequestIdFormat:
      return "a request id (uppercase UUID)";
    case MatcherKind::kAbsent:
      return "absent";
    case MatcherKind::kPresent:
      return "present";
    case MatcherKind::kOneOf:
      return "one of " + Render(arg);
    case MatcherKind::kContains:
      return "a string or array containing " + Render(arg);
  }
  return "?";
}

bool Contains(const json& actual, const json& arg) {
  if (actual.is_string() && arg.is_string()) {
    return actual.get<std::string>().find(arg.get<std::string>()) != std::string::npos;
  }
  if (actual.is_array()) {
    for (const json& item : actual) {
      if (item == arg) return true;
    }
  }
  return false;
}

bool Matches(const Matcher& m, const json& arg, const std::optional<json>& actual) {
  if (m.kind == MatcherKind::kAbsent) return !actual.has_value();
  if (!actual.has_value()) return false;
  switch (m.kind) {
    case MatcherKind::kEquals:
      return *actual == arg;
    case MatcherKind::kRegex:
      return actual->is_string() &&
             std::regex_match(actual->get<std::string>(), std::regex(arg.get<std::string>(), std::regex::ECMAScript));
    case MatcherKind::kType:
      return arg.get<std::string>() == TypeOf(*actual);
    case MatcherKind::kRequestIdFormat:
      return actual->is_string() && IsRequestIdFormat(actual->get<std::string>());
    case MatcherKind::kPresent:
      return true;
    case MatcherKind::kOneOf:
      for (const json& option : arg) {
        if (*actual == option) return true;
      }
      return false;
    case MatcherKind::kContains:
      return Contains(*actual, arg);
    case MatcherKind::kAbsent:
      break;
  }
  return false;
}

// Checks one matcher; appends a failure when unmet.
void Check(FailureKind kind, const std::string& path, const Matcher& m, const std::optional<json>& actual,
           const Variables& vars, const SourceLocation& loc, std::vector<AssertionFailure>* failures) {
  json arg;
  if (m.kind != MatcherKind::kAbsent && m.kind != MatcherKind::kPresent && m.kind != MatcherKind::kRequestIdFormat) {
    StatusOr<json> resolved = m.kind == MatcherKind::kRegex ? RegexPattern(m.value, vars) : ToJson(m.value, vars);
    if (!resolved.ok()) {
      failures->push_back(AssertionFailure{kind, path, "a resolvable expectation", resolved.status().message(), loc});
      return;
    }
    arg = std::move(*resolved);
  }
  bool ok = false;
  try {
    ok = Matches(m, arg, actual);
  } catch (const std::exception& e) {  // std::regex_error from a resolved pattern
    failures->push_back(AssertionFailure{kind, path, Describe(m, arg), std::string("(") + e.what() + ")", loc});
    return;
  }
  if (!ok) failures->push_back(AssertionFailure{kind, path, Describe(m, arg), Render(actual), loc});
}

std::optional<json> Member(const Answer& answer, const char* name) {
  if (!answer.json.has_value() || !answer.json->is_object() || !answer.json->contains(name)) return std::nullopt;
  return answer.json->at(name);
}

std::string StatusList(const std::vector<int>& statuses) {
  if (statuses.size() == 1) return std::to_string(statuses.front());
  std::string out = "one of [";
  for (size_t i = 0; i < statuses.size(); ++i) out += (i == 0 ? "" : ", ") + std::to_string(statuses[i]);
  return out + "]";
}

void CheckStatus(const Expectation& expect, const Answer& answer, const Contract& contract, const Variables& vars,
                 std::vector<AssertionFailure>* failures) {
  SourceLocation loc = expect.status.has_value() ? expect.status->loc : expect.loc;
  bool documented =
      expect.status.has_value() ? expect.status->kind == StatusExpectation::Kind::kDocumented : expect.code.has_value();
  if (!documented) {
    std::vector<int> statuses = expect.status.has_value() ? expect.status->statuses : std::vector<int>{200};
    if (std::find(statuses.begin(), statuses.end(), answer.status) == statuses.end()) {
      failures->push_back(
          AssertionFailure{FailureKind::kStatus, "status", StatusList(statuses), std::to_string(answer.status), loc});
    }
    return;
  }
  // The expected Code when it is a plain value, else the received one.
  std::string code;
  if (expect.code.has_value() && expect.code->kind == MatcherKind::kEquals &&
      expect.code->value.type == Value::Type::kString) {
    StatusOr<std::string> resolved = vars.Resolve(Template{expect.code->value.text, expect.code->value.loc});
    if (resolved.ok()) code = *resolved;
  } else if (std::optional<json> got = Member(answer, "Code"); got.has_value() && got->is_string()) {
    code = got->get<std::string>();
  }
  const ErrorSpec* spec = code.empty() ? nullptr : contract.FindError(code);
  if (spec == nullptr) {
    failures->push_back(AssertionFailure{FailureKind::kStatus, "status",
                                         "a status the contract documents for " + (code.empty() ? "the Code" : code),
                                         std::to_string(answer.status) + (code.empty() ? " without a Code" : ""), loc});
    return;
  }
  if (!spec->Documents(answer.status)) {
    failures->push_back(AssertionFailure{FailureKind::kStatus, "status",
                                         StatusList(spec->statuses) + " (documented for " + code + ")",
                                         std::to_string(answer.status), loc});
  }
}

}  // namespace

void CheckExpectation(const Expectation& expect, const Answer& answer, const OperationSpec* operation,
                      const Contract& contract, const Variables& vars, std::vector<AssertionFailure>* failures) {
  CheckStatus(expect, answer, contract, vars, failures);
  bool wants_body = expect.code.has_value() || expect.message.has_value() || !expect.body.empty();
  if (wants_body && !answer.json.has_value()) {
    std::string snippet = answer.body.empty() ? "an empty body" : Render(json(answer.body.substr(0, kMaxRendered)));
    failures->push_back(AssertionFailure{FailureKind::kBody, "$", "a parseable JSON or XML body", snippet, expect.loc});
  } else {
    if (expect.code.has_value())
      Check(FailureKind::kCode, "$.Code", *expect.code, Member(answer, "Code"), vars, expect.code->loc, failures);
    if (expect.message.has_value()) {
      Check(FailureKind::kMessage, "$.Message", *expect.message, Member(answer, "Message"), vars, expect.message->loc,
            failures);
    }
    for (const BodyAssertion& a : expect.body) {
      Check(FailureKind::kBody, a.path.text, a.matcher, EvaluateJsonPath(a.path, *answer.json), vars, a.loc, failures);
    }
  }
  for (const HeaderAssertion& h : expect.headers) {
    if (!answer.headers_surfaced) break;
    const std::string* value = FindHeader(answer.headers, h.name);
    std::optional<json> actual;
    if (value != nullptr) actual = json(*value);
    Check(FailureKind::kHeader, h.name, h.matcher, actual, vars, h.loc, failures);
  }
  if (expect.contract) CheckContractShape(answer, operation, contract, expect.loc, failures);
}

StatusOr<std::string> ExtractCapture(const Capture& capture, const Answer& answer) {
  if (capture.path.rfind("header:", 0) == 0) {
    const std::string* value = FindHeader(answer.headers, capture.path.substr(7));
    if (value == nullptr) {
      return Status::NotFound("capture " + capture.name + ": no header " + capture.path.substr(7) + " in the answer")
          .WithLocation(capture.loc);
    }
    return *value;
  }
  if (!capture.json_path.has_value()) {
    return Status::InvalidArgument("capture " + capture.name + ": " + capture.path + " was not parsed by the loader")
        .WithLocation(capture.loc);
  }
  if (!answer.json.has_value()) {
    return Status::NotFound("capture " + capture.name + ": the answer has no parseable body").WithLocation(capture.loc);
  }
  std::optional<json> value = EvaluateJsonPath(*capture.json_path, *answer.json);
  if (!value.has_value()) {
    return Status::NotFound("capture " + capture.name + ": " + capture.path + " is absent in the answer")
        .WithLocation(capture.loc);
  }
  if (value->is_string()) return value->get<std::string>();
  return value->dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string OutcomeOf(const Answer& answer) {
  if (answer.status == 0) return "unanswered";
  std::optional<json> code = Member(answer, "Code");
  if (code.has_value() && code->is_string() && !code->get<std::string>().empty()) return code->get<std::string>();
  if (answer.status == 200) return "success";
  return "other";
}

}  // namespace onsmqtt::runner
