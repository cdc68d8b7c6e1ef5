#include "runner/report/report_json.h"

#include <nlohmann/json.hpp>

#include "contract/clock.h"
#include "runner/result/report_text.h"

namespace onsmqtt::runner {
namespace {

using nlohmann::json;

json ConnectJson(const ConnectRecord& c) {
  return {{"server", c.server},
          {"server_name", c.server_name},
          {"protocol", c.protocol},
          {"client_id", c.client_id},
          {"certificate_sn", c.certificate_sn},
          {"certificate_cn", c.certificate_cn},
          {"chain", c.chain},
          {"handshake_only", c.handshake_only},
          {"tls_version", c.tls_version},
          {"outcome", c.outcome},
          {"handshake_seconds", c.handshake_seconds},
          {"seconds", c.seconds}};
}

json StepJson(const StepResult& s) {
  json failures = json::array();
  for (const AssertionFailure& f : s.failures) {
    failures.push_back({{"kind", KindName(f.kind)},
                        {"path", f.path},
                        {"expected", f.expected},
                        {"actual", f.actual},
                        {"location", f.loc.ToString()}});
  }
  json exchanges = json::array();
  for (const Exchange& e : s.exchanges) {
    exchanges.push_back({{"request", e.request_line},
                         {"curl", e.curl},
                         {"status", e.status},
                         {"request_id", e.request_id},
                         {"code", e.code},
                         {"message", e.message},
                         {"body", e.body},
                         {"seconds", e.seconds}});
  }
  json out = {{"name", s.name},       {"verdict", VerdictName(s.verdict)},
              {"cleanup", s.cleanup}, {"seconds", s.seconds},
              {"failures", failures}, {"exchanges", exchanges}};
  if (!s.error.empty()) out["error"] = s.error;
  if (!s.burst_summary.empty()) out["burst"] = s.burst_summary;
  if (s.connect) out["connect"] = ConnectJson(*s.connect);
  return out;
}

json ScenarioJson(const ScenarioResult& r, const RunInfo& info) {
  json steps = json::array();
  for (const StepResult& s : r.steps) steps.push_back(StepJson(s));
  json attempts = json::array();
  for (const Attempt& a : r.earlier_attempts) {
    attempts.push_back(
        {{"verdict", VerdictName(a.verdict)}, {"message", a.message}, {"detail", a.detail}, {"seconds", a.seconds}});
  }
  json out = {{"name", r.name},
              {"classname", r.classname},
              {"file", r.file},
              {"line", r.line},
              {"tags", r.tags},
              {"description", r.description},
              {"verdict", VerdictName(r.verdict)},
              {"message", r.message},
              {"seconds", r.seconds},
              {"steps", steps},
              {"earlier_attempts", attempts},
              {"attempts_allowed", r.attempts_allowed}};
  if (std::string rerun = RerunCommand(info.rerun_prefix, r); !rerun.empty()) out["rerun"] = rerun;
  return out;
}

}  // namespace

std::string RenderJson(const RunResult& run) {
  json files = json::array();
  json counts = {{"tests", 0}, {"passed", 0}, {"failed", 0}, {"error", 0}, {"skipped", 0}};
  for (const FileResult& f : run.files) {
    json scenarios = json::array();
    for (const ScenarioResult& s : f.scenarios) {
      scenarios.push_back(ScenarioJson(s, run.info));
      counts["tests"] = counts["tests"].get<int>() + 1;
      counts[VerdictName(s.verdict)] = counts[VerdictName(s.verdict)].get<int>() + 1;
    }
    files.push_back({{"path", f.path},
                     {"suite", f.suite},
                     {"started", FormatTimestamp(f.started)},
                     {"seconds", f.seconds},
                     {"scenarios", scenarios}});
  }
  json info = {{"target", run.info.target_kind},
               {"endpoint", run.info.endpoint},
               {"region", run.info.region},
               {"api_version", run.info.api_version},
               {"runner_version", run.info.runner_version},
               {"hostname", run.info.hostname},
               {"seed", run.info.seed}};
  if (!run.info.client.empty()) info["client"] = run.info.client;  // --client: the adapter's name
  json out = {{"info", info},           {"started", FormatTimestamp(run.started)},
              {"seconds", run.seconds}, {"interrupted", run.interrupted},
              {"counts", counts},       {"files", files}};
  // Invalid UTF-8 in an answer body must not abort the report.
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace onsmqtt::runner
