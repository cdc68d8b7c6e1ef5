#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "contract/clock.h"
#include "contract/contract.h"
#include "contract/signer.h"
#include "runner/execute/assertions.h"
#include "runner/execute/target.h"
#include "runner/execute/transport.h"
#include "runner/result/redact.h"
#include "runner/result/result.h"
#include "runner/scenario/scenario.h"
#include "runner/scenario/variables.h"

// Running one step of a scenario: resolving the call, signing it (with the
// deliberate breakage the scenario asks for), sending it, judging the
// answer. Used by the executor; exposed for its tests.
namespace onsmqtt::runner {

class ClientLease;

// What every step of one scenario attempt shares. Not thread-safe: one per
// attempt (bursts make their own transports).
struct StepContext {
  const Session* session = nullptr;
  Transport* transport = nullptr;
  Variables* vars = nullptr;
  Redactor* redactor = nullptr;
  const Clock* clock = nullptr;
  SignatureScheme default_scheme = SignatureScheme::kV3;
  uint64_t seed = 0;
  const std::atomic<bool>* interrupted = nullptr;
  // --client: call and burst steps go through this adapter (client_step.h).
  ClientLease* client = nullptr;
};

// A call ready to sign: everything resolved.
struct PreparedCall {
  Call call;
  Credentials creds;
  const OperationSpec* operation = nullptr;  // null for unknown actions
  AuthVariant auth = AuthVariant::kValid;
  std::chrono::seconds timestamp_offset{0};
};

// Resolves ${...}, the identity's credentials, the method and the version.
// Errors are located at the offending template.
StatusOr<PreparedCall> PrepareCall(const CallSpec& spec, const StepContext& ctx);

// Signs `prepared` and applies its auth variant (corrupt signature, wrong
// secret, missing signature, unknown key, timestamp offset). Fails only
// when signing does (crypto.h).
StatusOr<HttpRequest> BuildRequest(const PreparedCall& prepared, const Clock& clock);

// Parses an answer body: JSON, or XML converted (xml_answer.h); nullopt
// when it is neither, or nested deeper than the limits allow (64 levels).
std::optional<nlohmann::json> ParseAnswerBody(const HttpAnswer& answer);

// A burst's summary line and verdict from its outcome counts.
void JudgeBurst(const Burst& burst, const std::map<std::string, int64_t>& counts, StepResult* r);

// Sets the step's captures from `answer` (a failure for each that selects
// nothing), then the verdict: passed when no failure was recorded.
void CaptureAndJudge(const Step& step, const Answer& answer, StepContext& ctx, StepResult* r);

StepResult RunCallStep(const Step& step, StepContext& ctx);
StepResult RunBurstStep(const Step& step, StepContext& ctx);
// connect_step.cc: the runner as a device, against ctx.session->mqtt
// (device_client.h). The private key is registered with ctx.redactor.
StepResult RunConnectStep(const Step& step, StepContext& ctx);

}  // namespace onsmqtt::runner
