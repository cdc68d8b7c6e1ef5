#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runner/result/result.h"

// Text shared by the reporters (console, JUnit, JSON) and by the executor's
// attempt summaries, so every artifact says the same thing.
namespace onsmqtt::runner {

// Decimal seconds with a dot and three decimals ("0.012"); never an
// exponent, never locale-formatted.
std::string FormatSeconds(double seconds);

// "1 error", "2 errors", "0 errors": `count` and the noun, plural unless
// the count is one. `plural` for irregular nouns.
std::string Plural(size_t count, std::string_view noun, std::string_view plural = "");

// One line: the first failure and how many more, the error, or "".
//   `$.Code: expected "A", got "B" (s.yaml:3:5) (and 2 more failures)`
std::string OneLineSummary(const std::vector<StepResult>& steps);

// The kind of the first failure ("status", "body", ...), or for errors
// the step's ErrorKind ("transport", "scenario", "interrupted", "usage",
// "selection", "harness"); see KindName in result.h.
std::string FirstFailureKind(const std::vector<StepResult>& steps);

// Every failed assertion of every judged step, one per line, then the
// request line, the status, the RequestId, and the error Code and Message
// of that step's last exchange.
std::string FailureDetail(const std::vector<StepResult>& steps);

// For a retried scenario, how its attempts went, one per line:
//   "passed on attempt 2 of 3\nattempt 1 failed: step \"x\": ...\n"
// "" when it ran once.
std::string RetryTrace(const ScenarioResult& result);

// The command that re-runs `result` alone: `prefix`, its file, and a
// --filter matching exactly its classname.name, quoted for a POSIX shell
// where needed. "" when `prefix` is empty or the result has no file.
std::string RerunCommand(const std::string& prefix, const ScenarioResult& result);

// A scenario's classname in JUnit: with --client (info.client), the client's
// name first, dots made '_' ("pop-core-1_8_0.onsmqtt.active_device_certificate
// .errors"), so that reports of several clients merge without colliding.
// Results about the run itself (kRunnerClassname) keep theirs; "" becomes
// "onsmqtt".
std::string ReportedClassname(const ScenarioResult& result, const RunInfo& info);

// `word` as one POSIX shell word: unchanged when it holds only characters
// no shell treats specially, else single-quoted.
std::string ShellWord(std::string_view word);

// Removes ANSI escape sequences (CSI and OSC).
std::string StripAnsi(std::string_view text);

}  // namespace onsmqtt::runner
