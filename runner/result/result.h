#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contract/clock.h"
#include "contract/http_message.h"
#include "contract/source_location.h"

// Typed results of a run. Reporters (console, JUnit, JSON) only format
// these; they never decide pass or fail.
namespace onsmqtt::runner {

enum class Verdict {
  kPassed,
  kFailed,   // an expectation was not met: the contract broke
  kError,    // the harness could not run it: transport, TLS, unparseable body
  kSkipped,  // not run: the target cannot give what the scenario needs
};

const char* VerdictName(Verdict v);  // "passed", "failed", "error", "skipped"

// What an unmet expectation is about. Named in the reports (the JSON
// report's "kind", the console, JUnit's failure type): see KindName.
enum class FailureKind {
  kStatus,
  kCode,
  kMessage,
  kBody,
  kHeader,
  kContract,
  kOutcome,
  kCapture,
  kConnect,
  kClient,  // --client: what the SDK did on the wire or surfaced differs from the wire (client_step.h)
};

// Why a step could not run (StepResult::error), named in the reports.
enum class ErrorKind {
  kHarness,      // anything else
  kTransport,    // no HTTP answer
  kScenario,     // a file that did not load
  kInterrupted,  // Ctrl-C, SIGTERM
  kUsage,        // bad options
  kSelection,    // nothing selected
  kClient,       // --client: the SDK adapter failed (exited, hung, broke the protocol)
};

// The one name of each kind: "status", "code", "message", "body", "header",
// "contract", "outcome", "capture", "connect", "client"; "harness",
// "transport", "scenario", "interrupted", "usage", "selection", "client".
inline constexpr std::array<std::string_view, 10> kFailureKindNames = {
    "status", "code", "message", "body", "header", "contract", "outcome", "capture", "connect", "client"};
inline constexpr std::array<std::string_view, 7> kErrorKindNames = {"harness", "transport", "scenario", "interrupted",
                                                                    "usage",   "selection", "client"};
constexpr std::string_view KindName(FailureKind k) { return kFailureKindNames[static_cast<size_t>(k)]; }
constexpr std::string_view KindName(ErrorKind k) { return kErrorKindNames[static_cast<size_t>(k)]; }

// One unmet expectation.
struct AssertionFailure {
  FailureKind kind = FailureKind::kStatus;
  std::string path;      // "$.DeviceSn", "x-acs-request-id", "Throttling.User", ...
  std::string expected;  // rendered, e.g. "\"X\"" or "one of [400, 500]"
  std::string actual;
  SourceLocation loc;  // where the expectation is written

  // `$.DeviceSn: expected "X", got "Y" (scenarios/a.yaml:14:9)`; kClient
  // failures, whose `actual` is a sentence: `client: the client sent GET;
  // the step asks for POST (...)`.
  std::string ToString() const;
};

// One HTTP exchange, already redacted (no secrets, signatures or tokens).
struct Exchange {
  std::string request_line;  // "POST /?MqttInstanceId=...&DeviceSn=..."
  std::string curl;          // a reproducing command with secrets redacted
  int status = 0;            // 0: no answer
  std::string request_id;
  std::string code;     // the body's Code, if any
  std::string message;  // the body's Message, if any
  std::string body;     // the answer, truncated to a few KB
  double seconds = 0;

  // The whole exchange, for the contract documentation (--docs) and the
  // HTML report. Redacted like everything above; bodies truncated to
  // kMaxRecordedBody bytes.
  std::string action;           // the call's Action ("" when none was sent)
  std::string scheme;           // "v1" or "v3"
  std::string format;           // "JSON" or "XML": what the call asked for
  HttpRequest request;          // as sent: method, path, query, headers, body
  HeaderList response_headers;  // as received, in order
  // Values the runner made up for this call, by name, so that reports can
  // show them as placeholders and stay byte-identical from run to run:
  // {"nonce", "..."}, {"timestamp", "2026-12-02T06:40:30Z"},
  // {"access_key_id", "LTAI5tUnknown..."}.
  std::vector<std::pair<std::string, std::string>> generated;
  bool burst_sample = false;  // one sample of a burst step's answers
};

// Request and answer bodies are kept up to this size.
inline constexpr size_t kMaxRecordedBody = 16384;

// What a connect step did as a device, and how the broker answered. Never
// holds the private key.
struct ConnectRecord {
  std::string server;          // "127.0.0.1:40123"
  std::string server_name;     // the TLS server name (SNI) sent; "" none
  std::string protocol;        // MQTT "3.1", "3.1.1" or "5.0"
  std::string client_id;       // "" for handshake_only steps (no CONNECT)
  std::string certificate_sn;  // the leaf's, lowercase hex
  std::string certificate_cn;
  size_t chain = 0;  // certificates sent after the leaf
  bool handshake_only = false;
  std::string tls_version;  // "TLSv1.2", when the handshake completed
  // "connack 0 (accepted)", "refused: tls (sslv3 alert bad certificate)",
  // "closed (...)", "handshake ok", "error: ...".
  std::string outcome;
  double handshake_seconds = 0;
  double seconds = 0;

  // One line: `CN device-a-unregistered (SN 1f...), chain 0, MQTT 3.1.1,
  // client id GID_onsmqtt@@@ab12 -> 127.0.0.1:40123 (SNI localhost,
  // TLSv1.2): connack 0 (accepted) in 0.012 s`.
  std::string Summary() const;
};

struct StepResult {
  std::string name;
  Verdict verdict = Verdict::kPassed;
  std::vector<AssertionFailure> failures;
  std::string error;                           // kError: what went wrong
  ErrorKind error_kind = ErrorKind::kHarness;  // kError: which kind of problem
  std::vector<Exchange> exchanges;             // one per call; bursts keep a sample
  std::string burst_summary;                   // bursts: "500 success, 600 Throttling.User, 0 unanswered in 0.21 s"
  std::optional<ConnectRecord> connect;        // connect steps (which make no HTTP exchange)
  double seconds = 0;
  bool cleanup = false;  // a cleanup step: reported, never judged
};

struct Attempt {
  Verdict verdict = Verdict::kPassed;
  std::string message;  // one line
  std::string detail;   // failures, one per line
  double seconds = 0;
};

struct ScenarioResult {
  std::string name;
  std::string classname;
  std::string file;
  int line = 0;
  std::vector<std::string> tags;
  std::string description;  // the scenario's `description:`, if any
  Verdict verdict = Verdict::kPassed;
  std::string message;                    // one line: first failure and a count, the error, or the skip reason
  std::vector<StepResult> steps;          // of the last attempt
  std::vector<Attempt> earlier_attempts;  // retries before the last one
  int attempts_allowed = 1;               // 1 + the retries the scenario had
  double seconds = 0;
};

struct FileResult {
  std::string path;
  std::string suite;
  std::vector<ScenarioResult> scenarios;
  TimePoint started;
  double seconds = 0;
};

// Coverage of the contract: which documented (operation, error code) pairs
// the run demonstrated. Computed from the results (runner/result/coverage.h)
// and formatted by the reporters.
enum class CoverageState {
  kDemonstrated,  // a passing scenario received this code from this operation
  kMissing,       // documented, not demonstrated, not waived
  kWaived,        // documented, not demonstrated, waived with a reason
  kUndocumented,  // received, but the contract does not list it for the operation
};
const char* CoverageStateName(CoverageState s);  // "demonstrated", "missing", "waived", "undocumented"

// Where one exchange is in a RunResult: files[file].scenarios[scenario]
// .steps[step].exchanges[exchange].
struct ExchangeRef {
  size_t file = 0;
  size_t scenario = 0;
  size_t step = 0;
  size_t exchange = 0;
};

struct CoveragePair {
  std::string operation;
  std::string code;
  CoverageState state = CoverageState::kMissing;
  // The exchanges that answered this code to this operation, in file
  // order: of passing scenarios for kDemonstrated; of any scenario for
  // kUndocumented. Burst samples come after single calls.
  std::vector<ExchangeRef> exchanges;
  std::vector<int> statuses;  // the HTTP statuses received, ascending, unique
  std::string waiver;         // kWaived: the reason
  SourceLocation waiver_loc;  // kWaived: where the waiver is written
};

struct Coverage {
  bool computed = false;  // false: the run made none (--coverage off, nothing ran)
  // Missing pairs fail the run (exit 1). On for a run of the default
  // selection against the embedded mock unless --coverage says otherwise.
  bool gate = false;
  // A partial run (a selection, an endpoint) without --coverage: the JUnit
  // suite leaves out the pairs it did not demonstrate, since the run never
  // tried them all.
  bool omit_missing = false;
  // Every documented pair, in the contract's order (operations, then each
  // one's errors), followed by the undocumented pairs received.
  std::vector<CoveragePair> pairs;
  // Codes any operation may answer (gateway errors, and service errors the
  // contract lists for no operation), by (operation, code) received from a
  // passing scenario. Never a gap; shown in the documentation.
  std::vector<CoveragePair> common;

  size_t Count(CoverageState s) const;
  size_t Documented() const;  // pairs that are not kUndocumented
};

struct RunInfo {
  std::string target_kind;  // "mock" or "endpoint"
  std::string endpoint;
  std::string region;
  std::string api_version;
  std::string runner_version;
  std::string hostname;
  uint64_t seed = 0;
  // The command that re-runs a scenario with the run's target options and
  // no secret ("build/runner/onsmqtt-runner --target https://... --vars
  // v.yaml"); the reporters add the file and an exact --filter. Empty: none.
  std::string rerun_prefix;
  // --client: the adapter's name from its hello ("pop-core-1.8.0"); JUnit
  // classnames start with it. Empty: the runner's own client.
  std::string client;
};

struct RunResult {
  RunInfo info;
  std::vector<FileResult> files;
  TimePoint started;
  double seconds = 0;  // wall time of the run
  // Ctrl-C or SIGTERM: the scenarios not started are skipped, and one
  // errored scenario (classname kRunnerClassname) says so, so that no
  // consumer of the reports sees a green run.
  bool interrupted = false;
  Coverage coverage;
};

// The classname of results that are about the run, not a scenario: the
// interruption, a usage error, an empty selection.
inline constexpr char kRunnerClassname[] = "onsmqtt.runner";

}  // namespace onsmqtt::runner
