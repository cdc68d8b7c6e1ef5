#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runner/result.h"

// Text shared by the reporters (console, JUnit, JSON) and by the executor's
// attempt summaries, so every artifact says the same thing.
namespace onsmqtt::runner {

// Decimal seconds with a dot and three decimals ("0.012"); never an
// exponent, never locale-formatted.
std::string FormatSeconds(double seconds);

// One line: the first failure and how many more, the error, or "".
//   `$.Code: expected "A", got "B" (s.yaml:3:5) (and 2 more failures)`
std::string OneLineSummary(const std::vector<StepResult>& steps);

// The kind of the first failure ("status", "body", ...), or for errors
// "transport" (no HTTP answer), "scenario" (a file that did not load) or
// "harness" (anything else).
std::string FirstFailureKind(const std::vector<StepResult>& steps);

// Every failed assertion of every judged step, one per line, then the
// request line, the status and the RequestId of that step's last exchange.
std::string FailureDetail(const std::vector<StepResult>& steps);

// Removes ANSI escape sequences (CSI and OSC).
std::string StripAnsi(std::string_view text);

}  // namespace onsmqtt::runner
