#pragma once

// The run the documentation tests render: a few scenarios of
// ActiveDeviceCertificate with really signed exchanges (docs_test_util.h),
// the coverage the executor would compute for them, and the rendering.
#include <map>
#include <string>

#include "contract/contract.h"
#include "runner/report/docs.h"
#include "runner/report/docs_test_util.h"

namespace onsmqtt::runner::docs_test {

constexpr char kFile[] = "scenarios/active_device_certificate/basic.yaml";
constexpr char kPrefix[] = "../../";

// The coverage the executor would compute for MakeRun's scenarios, with
// a waiver for ApiNotSupport.
inline Coverage MakeCoverage() {
  Coverage c;
  c.computed = true;
  c.gate = true;
  for (const OperationSpec& op : BuiltinContract().operations) {
    for (const std::string& code : op.errors)
      c.pairs.push_back({op.name, code, CoverageState::kMissing, {}, {}, "", {}});
  }
  for (CoveragePair& p : c.pairs) {
    if (p.operation != "ActiveDeviceCertificate") continue;
    if (p.code == "MqttInstanceNotFound")
      p = {p.operation, p.code, CoverageState::kDemonstrated, {{0, 2, 0, 0}}, {500}, "", {}};
    if (p.code == "ApiNotSupport") {
      p.state = CoverageState::kWaived;
      p.waiver = "a real account has no non-Platinum instance to call";
      p.waiver_loc = {"scenarios/waivers.yaml", 3, 7};
    }
  }
  c.pairs.push_back({"ActiveDeviceCertificate",
                     "InvalidParameter.Unknown",
                     CoverageState::kUndocumented,
                     {{0, 4, 0, 0}},
                     {400},
                     "",
                     {}});
  c.common.push_back({"ActiveDeviceCertificate",
                      "SignatureDoesNotMatch",
                      CoverageState::kDemonstrated,
                      {{0, 3, 0, 0}},
                      {400},
                      "",
                      {}});
  return c;
}

// A run as the executor records it, with `v`'s timings, ids, nonces and
// times. Scenarios (file order): 0 V3 JSON success, 1 V1 XML success,
// 2 MqttInstanceNotFound, 3 SignatureDoesNotMatch (a common error),
// 4 a failing scenario that received an undocumented code.
inline RunResult MakeRun(const RunVariation& v, uint64_t seed = 7) {
  RunResult run;
  run.info = {"mock",
              "http://127.0.0.1:" + std::to_string(v.port),
              "cn-hangzhou",
              "2020-04-20",
              "0.1.0",
              "host-" + std::to_string(seed),
              seed,
              "",
              ""};
  run.started = v.when;
  run.seconds = v.seconds * 10;
  FileResult file{kFile, "active_device_certificate", {}, v.when, v.seconds * 5};
  auto scenario = [&](const std::string& name, int line, Exchange e, Verdict verdict = Verdict::kPassed) {
    ScenarioResult s;
    s.name = name;
    s.classname = "active_device_certificate.basic";
    s.file = kFile;
    s.line = line;
    s.verdict = verdict;
    s.seconds = v.seconds;
    StepResult step;
    step.name = "call";
    step.seconds = v.seconds;
    step.exchanges.push_back(std::move(e));
    s.steps.push_back(std::move(step));
    file.scenarios.push_back(std::move(s));
  };
  Exchange ok3 = SignedExchange(CallSpec(), v);
  Answer(&ok3, 200, R"({"RequestId":"{request_id}","DeviceSn":"356217374433"})", v);
  scenario("activates a certificate (V3)", 5, ok3);
  CallSpec v1_xml;
  v1_xml.scheme = SignatureScheme::kV1;
  v1_xml.format = "XML";
  v1_xml.security_token = docs_test::kToken;
  Exchange ok1 = SignedExchange(v1_xml, v);
  Answer(&ok1, 200,
         R"(<?xml version="1.0" encoding="UTF-8"?><ActiveDeviceCertificateResponse><RequestId>{request_id})"
         R"(</RequestId><DeviceSn>356217374433</DeviceSn></ActiveDeviceCertificateResponse>)",
         v);
  scenario("activates a certificate (V1, XML)", 20, ok1);
  const ErrorSpec* nf = BuiltinContract().FindError("MqttInstanceNotFound");
  Exchange not_found = SignedExchange(CallSpec(), v);
  Answer(&not_found, 500, Envelope(nf->code, nf->message), v, nf->code, nf->message);
  scenario("an unknown instance is MqttInstanceNotFound", 40, not_found);
  CallSpec v1;
  v1.scheme = SignatureScheme::kV1;
  Exchange bad_sig = SignedExchange(v1, v);
  Answer(&bad_sig, 400, Envelope("SignatureDoesNotMatch", "Specified signature is not matched with our calculation."),
         v, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
  scenario("a wrong signature is SignatureDoesNotMatch (V1)", 60, bad_sig);
  Exchange drift = SignedExchange(CallSpec(), v);
  Answer(&drift, 400, Envelope("InvalidParameter.Unknown", "<script>alert(1)</script> ```"), v,
         "InvalidParameter.Unknown", "<script>alert(1)</script> ```");
  scenario("a code nobody documented", 80, drift, Verdict::kFailed);
  run.files.push_back(std::move(file));
  run.coverage = MakeCoverage();
  return run;
}

inline DocsOptions Options() {
  DocsOptions o;
  o.source_link_prefix = kPrefix;
  return o;
}

inline std::map<std::string, std::string> Render(const RunVariation& v = RunVariation(), uint64_t seed = 7) {
  return RenderDocs(MakeRun(v, seed), BuiltinContract(), Options());
}

// The text of the section that starts with `heading`, up to the next
// heading of that level or above.
inline std::string Section(const std::string& page, const std::string& heading) {
  size_t start = page.find("\n" + heading + "\n");
  if (start == std::string::npos) return "";
  size_t level = heading.find(' ');
  size_t end = start + heading.size() + 2;
  for (;;) {
    end = page.find("\n#", end);
    if (end == std::string::npos) break;
    size_t hashes = page.find_first_not_of('#', end + 1) - end - 1;
    if (hashes <= level && page[end + 1 + hashes] == ' ') break;
    ++end;
  }
  return page.substr(start + 1, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace onsmqtt::runner::docs_test
