#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "contract/status.h"
#include "runner/result/result.h"

// JUnit XML as ../shared/JUNIT.md describes it. Formats a RunResult; never
// judges. The default flavour validates against both the Ant schema
// (JUnit.xsd) and the Jenkins xunit schema (junit-10.xsd): descriptions and
// the attempts of retried scenarios go into failure bodies and the suite's
// <system-out>. `kExtended` adds what neither schema allows: `file`/`line`
// on <testcase>, the run's name, counts, wall time and timestamp on
// <testsuites>, <flakyFailure>/<rerunFailure> children and a testcase
// <system-out> for retried or described scenarios. runner/README.md says
// which consumer reads what.
namespace onsmqtt::runner {

enum class JUnitFlavour { kStrict, kExtended };

// The suite of the contract's coverage (RunResult::coverage), after the
// scenario files' suites: one testcase per (operation, code) pair, named
// "<Operation> <Code>", classname kCoverageClassname. Demonstrated: passed;
// waived: skipped with the reason; missing: a failure when the run gates
// on coverage, else skipped, or left out (Coverage::omit_missing: a partial
// run); undocumented: a failure.
inline constexpr char kCoverageSuite[] = "contract.coverage";
inline constexpr char kCoverageClassname[] = "onsmqtt.contract.coverage";
// Where the repository keeps its waivers (the failure message names it).
inline constexpr char kDefaultWaiversFile[] = "contract/coverage-waivers.yaml";

// "strict"/"extended"; nullopt otherwise.
std::optional<JUnitFlavour> ParseJUnitFlavour(std::string_view name);

std::string RenderJUnit(const RunResult& run, JUnitFlavour flavour = JUnitFlavour::kStrict);

// XML 1.0 text: & < > " ' escaped, ANSI sequences stripped, other control
// characters (except TAB, LF, CR) and invalid UTF-8 shown visibly as
// "\x1b". In attributes (`attribute`), TAB/LF/CR become spaces too, since
// parsers normalize them anyway.
std::string XmlEscape(std::string_view text, bool attribute = false);

// Writes `content` to `path` atomically: a temporary file in the same
// folder, flushed, then renamed over `path`. Creates missing folders.
Status WriteFileAtomically(const std::string& path, const std::string& content);

}  // namespace onsmqtt::runner
