// Judging an adapter-performed call on the wire: the mock's journal entry
// against what the step asked and what the SDK surfaced.
#include <algorithm>
#include <map>
#include <set>

#include "contract/request_check.h"
#include "runner/execute/client_step.h"

namespace onsmqtt::runner {
namespace {

using Json = nlohmann::json;

std::string Str(const Json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

int Int(const Json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && it->is_number_integer() ? it->get<int>() : 0;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The journal leaves out parameters that could carry a credential.
bool JournalHides(const std::string& name) {
  std::string n = Lower(name);
  for (const char* word : {"secret", "signature", "token", "password"}) {
    if (n.find(word) != std::string::npos) return true;
  }
  return false;
}

void Add(std::vector<AssertionFailure>* failures, const std::string& path, const std::string& expected,
         const std::string& sentence) {
  failures->push_back({FailureKind::kClient, path, expected, sentence, {}});
}

// "HTTP 400 Throttling.User", "HTTP 200".
std::string WireOutcome(const Json& entry) {
  std::string code = Str(entry, "code");
  return "HTTP " + std::to_string(Int(entry, "status")) + (code.empty() ? "" : " " + code);
}

// The violations of the entry by parameter name ("" for those about none).
std::multimap<std::string, Json> Violations(const Json& entry) {
  std::multimap<std::string, Json> out;
  auto it = entry.find("violations");
  if (it == entry.end() || !it->is_array()) return out;
  for (const Json& v : *it) {
    if (v.is_object()) out.emplace(Str(v, "parameter"), v);
  }
  return out;
}

std::string ViolationMessage(const std::multimap<std::string, Json>& violations, const std::string& parameter) {
  auto it = violations.find(parameter);
  return it == violations.end() ? "" : Str(it->second, "message");
}

// Every asked parameter arrives once with its value; nothing is added.
void JudgeParams(const WireAsk& ask, const Json& entry, const std::multimap<std::string, Json>& violations,
                 std::vector<AssertionFailure>* failures) {
  std::vector<std::pair<std::string, std::string>> got;
  if (auto it = entry.find("params"); it != entry.end() && it->is_array()) {
    for (const Json& p : *it) {
      if (p.is_object()) got.emplace_back(Str(p, "name"), Str(p, "value"));
      if (p.is_array() && p.size() == 2 && p[0].is_string() && p[1].is_string()) got.emplace_back(p[0], p[1]);
    }
  }
  std::map<std::string, std::string> asked_lower;  // lowercase name -> name
  for (const auto& [name, value] : ask.params) asked_lower[Lower(name)] = name;
  for (const Param& asked : ask.params) {
    // Named copies: clang 14 cannot capture structured bindings in lambdas.
    const std::string& name = asked.first;
    const std::string& value = asked.second;
    if (JournalHides(name)) continue;
    size_t n =
        static_cast<size_t>(std::count_if(got.begin(), got.end(), [&](const auto& g) { return g.first == name; }));
    auto arrived = std::find_if(got.begin(), got.end(), [&](const auto& g) { return g.first == name; });
    bool renamed = std::any_of(got.begin(), got.end(),
                               [&](const auto& g) { return g.first != name && Lower(g.first) == Lower(name); });
    if (n == 0 && !renamed) {
      Add(failures, name, "sent as \"" + value + "\"", "the client did not send " + name + " (the step asks for it)");
    } else if (n > 1) {
      Add(failures, name, "sent once", "the client sent " + name + " " + std::to_string(n) + " times");
    } else if (n == 1 && arrived->second != value) {
      Add(failures, name, "\"" + value + "\"",
          "the client sent " + name + " as \"" + arrived->second + "\"; the step asks for \"" + value + "\"");
    }
  }
  for (const auto& received : got) {
    const std::string& name = received.first;
    if (std::any_of(ask.params.begin(), ask.params.end(), [&](const Param& p) { return p.first == name; })) continue;
    std::string message = ViolationMessage(violations, name);
    if (message.empty()) {
      auto similar = asked_lower.find(Lower(name));
      message = "the client sent " + name + ", which the step does not send" +
                (similar != asked_lower.end() ? " (did you mean " + similar->second + "?)" : "");
    } else {
      message = "the client sent " + name + ": " + message;
    }
    Add(failures, name, "not sent", message);
  }
}

// Violations about nothing the parameter checks judge (a header, a common
// parameter, the request as a whole): the client's, unless the step broke
// the request on purpose. Those of a business parameter, asked for or
// received, are the parameter checks'.
void JudgeOtherViolations(const WireAsk& ask, const Json& entry, const std::multimap<std::string, Json>& violations,
                          std::vector<AssertionFailure>* failures) {
  if (!ask.valid_auth || !ask.known_action) return;
  std::set<std::string> business;
  for (const auto& [name, value] : ask.params) business.insert(Lower(name));
  if (auto it = entry.find("params"); it != entry.end() && it->is_array()) {
    for (const Json& p : *it) {
      if (p.is_object()) business.insert(Lower(Str(p, "name")));
    }
  }
  // What the step's own parameters break (a required one left out on purpose).
  std::set<std::pair<std::string, std::string>> asked_breaks;
  if (const OperationSpec* op = BuiltinContract().FindOperation(ask.action)) {
    for (const Violation& v : CheckRequestParams(*op, ask.params)) asked_breaks.emplace(v.rule, v.parameter);
  }
  for (const auto& [parameter, v] : violations) {
    if (!parameter.empty() && business.count(Lower(parameter)) != 0) continue;
    std::string rule = Str(v, "rule");
    if (asked_breaks.count({rule, parameter}) != 0) continue;
    Add(failures, rule.empty() ? "violation" : rule, "no violation",
        "the client's request breaks " + (rule.empty() ? std::string("a rule") : rule) +
            (parameter.empty() ? "" : " (" + parameter + ")") + ": " + Str(v, "message"));
  }
}

// The surfaced status and outcome against the wire's.
void JudgeOutcome(const Json& entry, const Json& answer, std::vector<AssertionFailure>* failures) {
  const int wire_status = Int(entry, "status");
  const bool wire_ok = Str(entry, "code").empty() && wire_status >= 200 && wire_status < 300;
  const bool ok = answer.value("ok", false);
  const int status = Int(answer, "status");
  if (ok && !wire_ok) {
    Add(failures, "ok", "false", "the client reported success for an answer the mock sent as " + WireOutcome(entry));
  } else if (!ok && wire_ok) {
    std::string code = Str(answer, "code");
    Add(failures, "ok", "true",
        "the client reported an error" + (code.empty() ? "" : " (" + code + ")") + " for an answer the mock sent as " +
            WireOutcome(entry));
  }
  if (status != wire_status) {
    Add(failures, "status", std::to_string(wire_status),
        "the client reported HTTP " + std::to_string(status) + " for an answer the mock sent as " + WireOutcome(entry));
  }
  std::string wire_id = Str(entry, "request_id");
  std::string surfaced = Str(answer, "request_id");
  if (wire_ok || wire_id.empty()) return;
  if (surfaced.empty()) {
    Add(failures, "request_id", wire_id,
        "the client surfaced no request id for the error (the mock answered " + wire_id + ")");
  } else if (surfaced != wire_id) {
    Add(failures, "request_id", wire_id,
        "the client surfaced the request id " + surfaced + " for the error; the mock answered " + wire_id);
  }
}

}  // namespace

void JudgeWireRequest(const WireAsk& ask, const nlohmann::json& entry, std::vector<AssertionFailure>* failures) {
  std::multimap<std::string, Json> violations = Violations(entry);
  JudgeParams(ask, entry, violations, failures);
  JudgeOtherViolations(ask, entry, violations, failures);
  bool bad_signature = Str(entry, "code") == "SignatureDoesNotMatch" || Str(entry, "signature") == "invalid";
  if (ask.valid_auth && bad_signature) {
    Add(failures, "signature", "a signature that verifies",
        "the client's signature does not verify with the credentials' secret");
  }
  std::string method = Str(entry, "method");
  if (!method.empty() && method != ask.method) {
    Add(failures, "method", ask.method,
        "the client sent " + method + "; the step asks for " + ask.method +
            (ask.known_action && !ask.method_chosen ? " (what the generated SDKs send for " + ask.action + ")" : ""));
  }
  std::string scheme = Str(entry, "scheme");
  if (!ask.scheme.empty() && !scheme.empty() && scheme != ask.scheme) {
    Add(failures, "scheme", ask.scheme, "the client signed with " + scheme + "; the step asks for " + ask.scheme);
  }
}

void JudgeWire(const WireAsk& ask, const nlohmann::json& entry, const nlohmann::json& answer,
               std::vector<AssertionFailure>* failures) {
  JudgeWireRequest(ask, entry, failures);
  JudgeOutcome(entry, answer, failures);
}

std::string WireOutcomeOf(const nlohmann::json& entry) {
  if (Int(entry, "status") == 0) return "unanswered";
  std::string code = Str(entry, "code");
  if (!code.empty()) return code;
  return Int(entry, "status") == 200 ? "success" : "other";
}

}  // namespace onsmqtt::runner
