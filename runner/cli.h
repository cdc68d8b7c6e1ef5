#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "contract/signer.h"
#include "contract/status.h"
#include "runner/report/report_junit.h"

// onsmqtt-runner's command line, parsed into an options struct. Every
// default is documented beside its field and in runner/README.md.
namespace onsmqtt::runner {

// --coverage: whether documented (operation, code) pairs left
// undemonstrated fail the run.
enum class CoverageMode {
  kAuto,    // gate on a run of the default selection against the embedded mock, else report
  kGate,    // a missing pair (not waived) is a failure: exit 1
  kReport,  // reported (JUnit <skipped>, docs), never a failure
  kOff,     // not computed: no contract.coverage suite
};

struct CliOptions {
  std::vector<std::string> paths;                 // scenario files/folders; default {"scenarios/"}
  bool default_paths = false;                     // no path was given (the default selection)
  std::string target;                             // --target URL; empty: the embedded mock
  std::string vars_file;                          // --vars FILE (endpoints)
  std::string ca_file;                            // --ca-file PEM (https endpoints)
  bool insecure = false;                          // --insecure (https without verification)
  std::string mqtt_endpoint;                      // --mqtt-endpoint HOST:PORT (endpoints' connect steps)
  std::string fixture = "fixtures/default.yaml";  // --fixture (embedded mock)
  bool check = false;                             // --check: load and validate only
  bool list = false;                              // --list: print the selected scenarios
  std::vector<std::string> tags;                  // --tags a,b: any of
  std::string filter;                             // --filter REGEX over classname.name or the file path
  int jobs = 0;                                   // -j N; 0: the number of CPUs
  int shard_index = 1;                            // --shard I/N (1-based)
  int shard_count = 1;
  int retries = 0;                                     // --retries N
  SignatureScheme scheme = SignatureScheme::kV3;       // --scheme v1|v3
  bool allow_mutations = false;                        // --allow-mutations
  bool allow_empty = false;                            // --allow-empty: a selection of nothing exits 0
  std::string report_dir = "reports";                  // --report-dir
  std::string junit_file;                              // --junit FILE; default <report-dir>/junit.xml
  JUnitFlavour junit_flavour = JUnitFlavour::kStrict;  // --junit-flavour strict|extended
  std::string json_file;                               // --json FILE; default: none
  std::string html_file;                               // --html FILE; default <report-dir>/index.html
  bool no_html = false;                                // --no-html
  std::string docs_dir;                                // --docs DIR; default <report-dir>/docs
  bool no_docs = false;                                // --no-docs
  std::string waivers_file;                            // --waivers FILE; default contract/coverage-waivers.yaml
  CoverageMode coverage = CoverageMode::kAuto;         // --coverage auto|gate|report|off
  std::optional<uint64_t> seed;                        // --seed N; default: random, printed
  bool no_color = false;                               // --no-color (NO_COLOR is honoured too)
  bool quiet = false;                                  // --quiet: only failures and the summary
  std::string client;                                  // --client CMD: an SDK adapter (adapters/README.md)
  int client_timeout_ms = 30000;                       // --client-timeout MS (1 to 3600000)
  bool client_timeout_given = false;
  bool help = false;     // --help
  bool version = false;  // --version

  // <report-dir>/junit.xml unless --junit was given.
  std::string JUnitPath() const;
  // <report-dir>/index.html unless --html was given; "" with --no-html.
  std::string HtmlPath() const;
  // <report-dir>/docs unless --docs was given; "" with --no-docs.
  std::string DocsPath() const;
};

// kInvalidArgument naming the flag and what to write instead. The rules
// and words of onsmqtt-mock's command line (contract/command_line.h):
// `--flag VALUE` or `--flag=VALUE`, switches take no value, e.g.
// `unknown option "--tagz"; did you mean "--tags"? (see --help)`.
StatusOr<CliOptions> ParseCommandLine(const std::vector<std::string>& args);

// Every option name ParseCommandLine knows ("--target", "-j", ...).
std::vector<std::string> CommandLineNames();

// Where the reports of `args` go, read leniently from arguments that may
// not parse (so that a usage error can replace the reports of an earlier
// run): --report-dir, --junit and --json wherever they are readable, the
// defaults otherwise. `none` when the arguments ask for no run (--check,
// --list, --help, --version), which never writes reports. --html/--docs
// and --no-html/--no-docs are read the same way.
struct ReportPaths {
  std::string junit;
  std::string json;  // empty: no JSON report
  std::string html;  // empty: no HTML report (--no-html)
  std::string docs;  // empty: no documentation (--no-docs)
  bool none = false;
};
ReportPaths ReportPathsOf(const std::vector<std::string>& args);

// The --help text.
std::string UsageText();

}  // namespace onsmqtt::runner
