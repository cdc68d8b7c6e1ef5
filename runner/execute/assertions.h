#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "contract/contract.h"
#include "contract/http_message.h"
#include "contract/status.h"
#include "runner/result/result.h"
#include "runner/scenario/scenario.h"
#include "runner/scenario/variables.h"

// Judging an answer: expectations, matchers and the contract-shape check.
// Pure functions over typed data; no I/O.
namespace onsmqtt::runner {

// An HTTP answer as the transport received it.
struct Answer {
  int status = 0;
  HeaderList headers;
  std::string body;
  std::optional<nlohmann::json> json;  // parsed body (JSON, or XML converted), if parseable
  // False for an SDK adapter's answer without `headers` (SDKs rarely expose
  // an error's headers): header assertions, and the contract's
  // x-acs-request-id check, are then not judged.
  bool headers_surfaced = true;
};

// Appends one AssertionFailure per unmet expectation (all of them, not just
// the first). `operation` is null for deliberately unknown actions.
void CheckExpectation(const Expectation& expect, const Answer& answer, const OperationSpec* operation,
                      const Contract& contract, const Variables& vars, std::vector<AssertionFailure>* failures);

// The value a capture selects, as a string (JSON strings unquoted).
StatusOr<std::string> ExtractCapture(const Capture& capture, const Answer& answer);

// Burst outcome of one answer: "success", the body's Code, "unanswered"
// (status 0), or "other".
std::string OutcomeOf(const Answer& answer);

}  // namespace onsmqtt::runner
