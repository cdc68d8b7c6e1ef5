#include "runner/cli.h"

#include <cstdint>
#include <map>
#include <regex>

#include "contract/command_line.h"

namespace onsmqtt::runner {
namespace {

const char kUsage[] = R"(Usage: onsmqtt-runner [OPTIONS] [PATH...]

Runs the YAML scenarios in PATH (files or folders; default scenarios/) against
the embedded OnsMqtt mock or a real endpoint, and writes JUnit XML.

Target:
  --target URL           endpoint to test, e.g. https://onsmqtt.cn-hangzhou.aliyuncs.com
                         (default: the embedded mock, one fresh instance per scenario)
  --vars FILE            endpoint variables (resource ids, other identities' keys)
  --ca-file PEM          CA bundle to verify an https endpoint with
  --insecure             do not verify the endpoint's certificate (debugging only;
                         the MQTT broker's neither)
  --mqtt-endpoint HOST:PORT
                         the endpoint's MQTT-over-TLS broker, for connect steps
                         (without it they are skipped on an endpoint)
  --fixture FILE         default fixture for the embedded mock (fixtures/default.yaml)
  --allow-mutations      also run scenarios that change state on an endpoint
  --scheme v1|v3         default signature scheme (v3)
  --client CMD           perform call and burst steps through an SDK adapter,
                         started as /bin/sh -c CMD (adapters/README.md)
  --client-timeout MS    each adapter request's timeout_ms (default 30000)

Selection:
  --check                load and validate the scenarios only; run nothing
  --list                 print the selected scenarios with their tags
  --tags a,b             only scenarios with any of these tags
  --filter REGEX         only scenarios whose classname.name or file matches
  --shard I/N            only share I of N (stable across machines; for CI matrices)
  --allow-empty          a selection that matches no scenario exits 0 (default: 4)

Execution:
  -j, --jobs N           scenarios in parallel (default: number of CPUs)
  --retries N            run a failing scenario up to N more times (default 0)
  --seed N               seed for the execution order (default: random, printed)

Reports:
  --report-dir DIR       where reports go (default reports/)
  --junit FILE           JUnit XML path (default DIR/junit.xml)
  --junit-flavour F      strict (default; valid against the Ant and Jenkins schemas)
                         or extended (adds file/line and flaky/rerun entries)
  --json FILE            also write a JSON report
  --html FILE            the HTML run report (default DIR/index.html)
  --no-html              no HTML run report
  --docs DIR             the contract's documentation by example, Markdown and
                         HTML, with coverage.json (default DIR/docs)
  --no-docs              no documentation

Coverage of the contract (documented operation/error-code pairs):
  --coverage MODE        auto (default): gate on a run of the default
                         selection against the embedded mock, report
                         otherwise; gate: a pair neither demonstrated nor
                         waived fails the run (exit 1); report: never fails;
                         off: not computed
  --waivers FILE         waived pairs with reasons
                         (default contract/coverage-waivers.yaml)
  --no-color             no colours (NO_COLOR is honoured too)
  -q, --quiet            print only failures, errors and the summary
  -h, --help             this text
  --version              the runner's version

Exit status:
  0  every selected scenario passed (skips allowed)
  1  the contract was not met: at least one scenario failed, a documented
     pair was not demonstrated (coverage gate), or an answer carried a code
     the contract does not document for the operation
  2  usage error or scenario errors (nothing ran)
  3  the target could not be reached, the harness failed, or the run was
     interrupted (at least one <error>)
  4  the selection matched no scenario (nothing ran; see --allow-empty)
Every run writes its reports, also when it exits 2, 3 or 4: a report of an
earlier run never stays behind.

Endpoint credentials come from ALIBABA_CLOUD_ACCESS_KEY_ID,
ALIBABA_CLOUD_ACCESS_KEY_SECRET and, for STS, ALIBABA_CLOUD_SECURITY_TOKEN.
)";

StatusOr<int64_t> ParseCount(const std::string& flag, const std::string& value, int64_t min, int64_t max) {
  if (value.empty() || value.size() > 18 || value.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument(flag + " wants a whole number, got \"" + value + "\"");
  }
  int64_t n = std::stoll(value);
  if (n < min || n > max) {
    return Status::InvalidArgument(flag + " must be between " + std::to_string(min) + " and " + std::to_string(max) +
                                   ", got " + value);
  }
  return n;
}

std::string Trimmed(const std::string& s) {
  size_t first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// "a, b,,c " -> {"a", "b", "c"}.
std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    std::string part = Trimmed(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Status ParseShard(const std::string& value, CliOptions* o) {
  size_t slash = value.find('/');
  const std::string usage = "--shard wants I/N with 1 <= I <= N (e.g. 2/4), got \"" + value + "\"";
  if (slash == std::string::npos) return Status::InvalidArgument(usage);
  auto i = ParseCount("--shard", value.substr(0, slash), 1, 1000);
  auto n = ParseCount("--shard", value.substr(slash + 1), 1, 1000);
  if (!i.ok() || !n.ok() || *i > *n) return Status::InvalidArgument(usage);
  o->shard_index = static_cast<int>(*i);
  o->shard_count = static_cast<int>(*n);
  return Status::Ok();
}

const char* const kFlagsWithValue[] = {
    "--target",  "--vars",          "--ca-file",       "--fixture", "--tags",          "--filter",
    "-j",        "--jobs",          "--shard",         "--retries", "--scheme",        "--report-dir",
    "--junit",   "--junit-flavour", "--json",          "--seed",    "--html",          "--docs",
    "--waivers", "--coverage",      "--mqtt-endpoint", "--client",  "--client-timeout"};
// --help and --version are CommandLine's own.
const char* const kSwitches[] = {"--insecure", "--check", "--list", "--allow-mutations", "--allow-empty",
                                 "--no-color", "--quiet", "-q",     "--no-html",         "--no-docs"};

StatusOr<CoverageMode> ParseCoverageMode(const std::string& v) {
  if (v == "auto") return CoverageMode::kAuto;
  if (v == "gate") return CoverageMode::kGate;
  if (v == "report") return CoverageMode::kReport;
  if (v == "off") return CoverageMode::kOff;
  return Status::InvalidArgument("--coverage wants auto, gate, report or off, got \"" + v + "\"");
}

// A value that names a file or folder to write.
Status NonEmptyPath(const std::string& flag, const std::string& v, std::string* out) {
  if (v.empty()) return Status::InvalidArgument(flag + " wants a path, got \"\"");
  *out = v;
  return Status::Ok();
}

// Flags whose value is taken as it is.
constexpr std::pair<const char*, std::string CliOptions::*> kTextFlags[] = {
    {"--target", &CliOptions::target},    {"--vars", &CliOptions::vars_file},
    {"--ca-file", &CliOptions::ca_file},  {"--mqtt-endpoint", &CliOptions::mqtt_endpoint},
    {"--fixture", &CliOptions::fixture},  {"--report-dir", &CliOptions::report_dir},
    {"--junit", &CliOptions::junit_file}, {"--json", &CliOptions::json_file},
};

// --client CMD, --client-timeout MS.
Status ApplyClientValue(const std::string& flag, const std::string& v, CliOptions* o) {
  if (flag == "--client") {
    if (Trimmed(v).empty()) {
      return Status::InvalidArgument(
          "--client wants the command that starts the adapter (e.g. \"python3 "
          "my_adapter.py\"), got \"" +
          v + "\"");
    }
    o->client = v;
    return Status::Ok();
  }
  auto n = ParseCount(flag, v, 1, 3600000);
  if (!n.ok()) return n.status();
  o->client_timeout_ms = static_cast<int>(*n);
  o->client_timeout_given = true;
  return Status::Ok();
}

Status ApplyValue(const std::string& flag, const std::string& v, CliOptions* o) {
  if (flag == "--client" || flag == "--client-timeout") return ApplyClientValue(flag, v, o);
  for (const auto& [name, member] : kTextFlags) {
    if (flag == name) {
      o->*member = v;
      return Status::Ok();
    }
  }
  if (flag == "--tags") {
    o->tags = SplitComma(v);
    if (o->tags.empty()) return Status::InvalidArgument("--tags wants one or more tags (a,b), got \"" + v + "\"");
  } else if (flag == "--html")
    return NonEmptyPath(flag, v, &o->html_file);
  else if (flag == "--docs")
    return NonEmptyPath(flag, v, &o->docs_dir);
  else if (flag == "--waivers")
    return NonEmptyPath(flag, v, &o->waivers_file);
  else if (flag == "--coverage") {
    auto mode = ParseCoverageMode(v);
    if (!mode.ok()) return mode.status();
    o->coverage = *mode;
  } else if (flag == "--shard")
    return ParseShard(v, o);
  else if (flag == "--filter") {
    try {
      std::regex re(v);
    } catch (const std::regex_error& e) {
      return Status::InvalidArgument("--filter \"" + v + "\" is not a valid regular expression: " + e.what());
    }
    o->filter = v;
  } else if (flag == "-j" || flag == "--jobs") {
    auto n = ParseCount(flag, v, 1, 256);
    if (!n.ok()) return n.status();
    o->jobs = static_cast<int>(*n);
  } else if (flag == "--retries") {
    auto n = ParseCount(flag, v, 0, 10);
    if (!n.ok()) return n.status();
    o->retries = static_cast<int>(*n);
  } else if (flag == "--seed") {
    auto n = ParseCount(flag, v, 0, INT64_MAX);
    if (!n.ok()) return n.status();
    o->seed = static_cast<uint64_t>(*n);
  } else if (flag == "--scheme") {
    if (v != "v1" && v != "v3") return Status::InvalidArgument("--scheme wants v1 or v3, got \"" + v + "\"");
    o->scheme = v == "v1" ? SignatureScheme::kV1 : SignatureScheme::kV3;
  } else if (flag == "--junit-flavour") {
    auto f = ParseJUnitFlavour(v);
    if (!f) return Status::InvalidArgument("--junit-flavour wants strict or extended, got \"" + v + "\"");
    o->junit_flavour = *f;
  }
  return Status::Ok();
}

void ApplySwitch(const std::string& flag, CliOptions* o) {
  if (flag == "--insecure")
    o->insecure = true;
  else if (flag == "--check")
    o->check = true;
  else if (flag == "--list")
    o->list = true;
  else if (flag == "--allow-mutations")
    o->allow_mutations = true;
  else if (flag == "--allow-empty")
    o->allow_empty = true;
  else if (flag == "--no-color")
    o->no_color = true;
  else if (flag == "--quiet" || flag == "-q")
    o->quiet = true;
  else if (flag == "--no-html")
    o->no_html = true;
  else if (flag == "--no-docs")
    o->no_docs = true;
}

Status Validate(const CliOptions& o) {
  bool https = o.target.rfind("https://", 0) == 0;
  if (!o.ca_file.empty() && !https) return Status::InvalidArgument("--ca-file needs an https:// --target");
  if (o.insecure && !https) return Status::InvalidArgument("--insecure needs an https:// --target");
  if (!o.mqtt_endpoint.empty() && o.target.empty()) {
    return Status::InvalidArgument(
        "--mqtt-endpoint is for --target endpoints; the embedded mock starts its own MQTT listener");
  }
  if (!o.vars_file.empty() && o.target.empty()) {
    return Status::InvalidArgument(
        "--vars is for --target endpoints; the embedded mock takes variables from --fixture");
  }
  if (o.client_timeout_given && o.client.empty()) {
    return Status::InvalidArgument("--client-timeout needs --client (the adapter it is for)");
  }
  if (o.check && o.list) return Status::InvalidArgument("--check and --list cannot be combined");
  if (o.no_html && !o.html_file.empty()) return Status::InvalidArgument("--html and --no-html cannot be combined");
  if (o.no_docs && !o.docs_dir.empty()) return Status::InvalidArgument("--docs and --no-docs cannot be combined");
  return Status::Ok();
}

// The runner's options, applied to `o` (which must outlive the result).
CommandLine RunnerCommandLine(CliOptions* o) {
  CommandLine cl;
  for (const char* flag : kFlagsWithValue) {
    cl.AddValue(flag, [flag, o](const std::string& value) { return ApplyValue(flag, value, o); });
  }
  for (const char* flag : kSwitches) cl.AddSwitch(flag, [flag, o] { ApplySwitch(flag, o); });
  cl.AddPositionals([o](const std::string& path) {
    o->paths.push_back(path);
    return Status::Ok();
  });
  return cl;
}

}  // namespace

std::string CliOptions::JUnitPath() const { return junit_file.empty() ? report_dir + "/junit.xml" : junit_file; }

std::string CliOptions::HtmlPath() const {
  if (no_html) return "";
  return html_file.empty() ? report_dir + "/index.html" : html_file;
}

std::string CliOptions::DocsPath() const {
  if (no_docs) return "";
  return docs_dir.empty() ? report_dir + "/docs" : docs_dir;
}

StatusOr<CliOptions> ParseCommandLine(const std::vector<std::string>& args) {
  CliOptions o;
  CommandLine cl = RunnerCommandLine(&o);
  StatusOr<CommandLine::Request> request = cl.Parse(args);
  if (!request.ok()) return request.status();
  o.help = *request == CommandLine::Request::kHelp;
  o.version = *request == CommandLine::Request::kVersion;
  if (o.paths.empty()) {
    o.paths.push_back("scenarios/");
    o.default_paths = true;
  }
  if (Status s = Validate(o); !s.ok()) return s;
  return o;
}

std::vector<std::string> CommandLineNames() {
  CliOptions o;
  return RunnerCommandLine(&o).Names();
}

ReportPaths ReportPathsOf(const std::vector<std::string>& args) {
  std::map<std::string, std::string> given;  // flag -> the last readable value
  ReportPaths out;
  bool no_html = false, no_docs = false;
  for (size_t i = 0; i < args.size() && args[i] != "--"; ++i) {
    std::string flag = args[i], value;
    bool has_value = false;
    if (size_t eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_value = true;
    }
    for (const char* f : {"--check", "--list", "--help", "-h", "--version"}) out.none = out.none || flag == f;
    no_html = no_html || flag == "--no-html";
    no_docs = no_docs || flag == "--no-docs";
    if (flag != "--report-dir" && flag != "--junit" && flag != "--json" && flag != "--html" && flag != "--docs") {
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) continue;
      value = args[++i];
    }
    if (!value.empty()) given[flag] = value;
  }
  CliOptions o;
  if (given.count("--report-dir")) o.report_dir = given["--report-dir"];
  o.junit_file = given["--junit"];
  o.html_file = given["--html"];
  o.docs_dir = given["--docs"];
  o.no_html = no_html;
  o.no_docs = no_docs;
  out.junit = o.JUnitPath();
  out.json = given["--json"];
  out.html = o.HtmlPath();
  out.docs = o.DocsPath();
  return out;
}

std::string UsageText() { return kUsage; }

}  // namespace onsmqtt::runner
