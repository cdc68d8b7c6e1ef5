#include "runner/reports.h"

#include <filesystem>
#include <system_error>

#include "contract/contract.h"
#include "runner/report/docs.h"
#include "runner/report/report_html.h"
#include "runner/report/report_json.h"

namespace onsmqtt::runner {
namespace {

namespace fs = std::filesystem;

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool StartsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

std::vector<std::pair<std::string, std::string>> MasksOf(const std::map<std::string, std::string>& variables) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, value] : variables) {
    bool id = (StartsWith(name, "account.") && EndsWith(name, ".uid")) ||
              (StartsWith(name, "instance.") && EndsWith(name, ".id")) ||
              (StartsWith(name, "key.") && EndsWith(name, ".id"));
    if (id && !value.empty()) out.emplace_back(value, name);
  }
  return out;
}

std::string SourceLinkPrefix(const std::string& report_folder) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return "";
  fs::path folder = fs::absolute(report_folder.empty() ? fs::path(".") : fs::path(report_folder), ec);
  if (ec) return "";
  std::string rel = cwd.lexically_relative(folder.lexically_normal()).generic_string();
  if (rel.empty() || rel == ".") return "";
  return rel + "/";
}

bool WriteReports(const ReportPaths& paths, const ReportSettings& settings, const RunResult& run, std::ostream& err,
                  std::string* note) {
  bool ok = true;
  auto write = [&](const std::string& path, const std::string& content) {
    Status s = WriteFileAtomically(path, content);
    if (s.ok()) return true;
    std::error_code ec;
    fs::remove(path, ec);
    err << "onsmqtt-runner: error: " << s.message() << "\n";
    ok = false;
    return false;
  };
  auto noted = [&](const char* what, const std::string& path) {
    *note += (note->empty() ? "" : ", ") + std::string(what) + ": " + path;
  };
  if (write(paths.junit, RenderJUnit(run, settings.flavour))) noted("JUnit report", paths.junit);
  if (!paths.json.empty() && write(paths.json, RenderJson(run))) noted("JSON report", paths.json);
  if (!paths.html.empty()) {
    HtmlOptions html{SourceLinkPrefix(fs::path(paths.html).parent_path().string())};
    if (write(paths.html, RenderHtml(run, html))) noted("HTML report", paths.html);
  }
  if (!paths.docs.empty()) {
    DocsOptions docs{settings.masks, SourceLinkPrefix(paths.docs)};
    bool all = true;
    for (const auto& [name, content] : RenderDocs(run, BuiltinContract(), docs)) {
      all = write((fs::path(paths.docs) / name).string(), content) && all;
    }
    if (all) noted("contract documentation", paths.docs + "/index.html");
  }
  return ok;
}

}  // namespace onsmqtt::runner
