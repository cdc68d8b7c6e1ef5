// Which scenarios an SDK adapter can run (executor.h, ClientSkipReason).
#include <set>

#include "runner/execute/executor.h"

namespace onsmqtt::runner {
namespace {

// What in `call` needs the runner's own client, or "".
std::string RawControl(const CallSpec& call) {
  if (call.auth == AuthVariant::kCorruptSignature) return "corrupts the signature";
  if (call.auth == AuthVariant::kMissingSignature) return "removes the signature";
  if (call.nonce) return "fixes the nonce";
  if (call.timestamp_offset.count() != 0) return "shifts the timestamp";
  if (call.host) return "overrides the Host header";
  if (call.version) return "overrides the API version";
  if (call.placement != CallSpec{}.placement) return "chooses where the parameters travel (placement)";
  std::set<std::string> seen;
  for (const auto& [name, value] : call.params) {
    if (!seen.insert(name).second) return "sends " + name + " twice";
  }
  return "";
}

// What of `call` the client lacks, or "".
std::string Lacks(const CallSpec& call, const ClientHello& hello) {
  if (call.scheme) {
    std::string scheme = *call.scheme == SignatureScheme::kV1 ? "v1" : "v3";
    if (!Offers(hello.schemes, scheme)) return "cannot sign with " + scheme;
  }
  const OperationSpec* op = call.unknown_action ? nullptr : BuiltinContract().FindOperation(call.action);
  std::string method = HttpMethodName(call.method.value_or(op ? op->sdk_method : HttpMethod::kPost));
  if (!Offers(hello.methods, method)) return "cannot send " + method;
  if (call.format && !Offers(hello.formats, *call.format)) return "cannot ask for " + *call.format;
  return "";
}

}  // namespace

std::string ClientSkipReason(const Scenario& scenario, const ClientHello& hello) {
  for (const std::vector<Step>* steps : {&scenario.steps, &scenario.cleanup}) {
    size_t index = 0;
    for (const Step& step : *steps) {
      ++index;
      if (step.kind == Step::Kind::kConnect) continue;
      // The loader names unnamed steps "<index>: <action>"; the index is said already.
      std::string name = step.name.empty() ? step.call.action : step.name;
      if (name.rfind(std::to_string(index) + ": ", 0) == 0) name = name.substr(std::to_string(index).size() + 2);
      std::string which =
          (steps == &scenario.cleanup ? "cleanup step " : "step ") + std::to_string(index) + " (" + name + ")";
      if (std::string raw = RawControl(step.call); !raw.empty()) {
        return "needs the runner's own client: " + which + " " + raw;
      }
      if (std::string lack = Lacks(step.call, hello); !lack.empty()) {
        return "the client " + hello.name + " " + lack + " (" + which + ")";
      }
    }
  }
  return "";
}

}  // namespace onsmqtt::runner
