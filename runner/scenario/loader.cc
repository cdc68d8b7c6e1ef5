// Scenario files: the file and scenario levels, folders, suite names.
#include "runner/scenario/loader.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "runner/scenario/loader_internal.h"
#include "runner/scenario/variables.h"

namespace onsmqtt::runner {

namespace fs = std::filesystem;
using internal::KeyReader;
using internal::LoadContext;

namespace {

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// "scenarios/active_device_certificate/errors.yaml" -> "active_device_certificate.errors";
// outside a scenarios/ folder: "<parent>.<stem>".
std::string DefaultSuite(const std::string& path) {
  fs::path p = fs::path(path).lexically_normal();
  std::vector<std::string> parts;
  for (const auto& part : p) parts.push_back(part.string());
  if (parts.empty()) return "scenarios";
  parts.back() = fs::path(parts.back()).stem().string();
  size_t start = parts.size() >= 2 ? parts.size() - 2 : 0;
  for (size_t i = parts.size() - 1; i-- > 0;) {
    if (parts[i] == "scenarios") {
      start = i + 1;
      break;
    }
  }
  std::string suite;
  for (size_t i = start; i < parts.size(); ++i) {
    if (parts[i].empty() || parts[i] == "." || parts[i] == "/") continue;
    if (!suite.empty()) suite += ".";
    suite += parts[i];
  }
  std::replace(suite.begin(), suite.end(), '-', '_');
  return suite;
}

bool IsSuiteName(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
  });
}

std::optional<std::string> ReadFixture(const yaml::Node& node, const std::string& file, LoadContext* ctx) {
  std::optional<std::string> text = internal::ReadString(node, "fixture", ctx);
  if (!text.has_value()) return std::nullopt;
  fs::path p(*text);
  if (p.is_relative()) p = fs::path(file).parent_path() / p;
  p = p.lexically_normal();
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) {
    ctx->Error(node.loc, "fixture " + Quote(*text) + " not found (looked for " + p.string() +
                             "; the path is relative to the scenario file)");
    return std::nullopt;
  }
  return p.string();
}

void ReadRequires(const yaml::Node& node, Scenario* sc, LoadContext* ctx) {
  KeyReader r(node, "requires", keys::kRequires);
  const yaml::Node* mock = r.Get("mock");
  ctx->Finish(&r);
  if (mock == nullptr) return;
  std::optional<std::string> reason = internal::ReadString(*mock, "requires.mock", ctx);
  if (!reason.has_value()) return;
  if (reason->empty()) {
    ctx->Error(mock->loc, "requires.mock needs the reason a real endpoint cannot run this scenario");
    return;
  }
  sc->requires_mock = true;
  sc->requires_reason = *reason;
}

void ReadSteps(const yaml::Node& node, const std::string& what, std::vector<Step>* out, LoadContext* ctx) {
  if (!node.is_sequence() || node.items.empty()) {
    ctx->Error(node.loc, what + " must be a non-empty list of steps, got " + std::string(node.KindName()));
    return;
  }
  for (size_t i = 0; i < node.items.size(); ++i) {
    std::optional<Step> step = internal::ReadStep(node.items[i], i, ctx);
    if (step.has_value()) out->push_back(std::move(*step));
  }
}

// The file's `fixture:` (empty: the run's) and where it was written.
struct FileFixture {
  std::string path;
  SourceLocation loc;
};

std::optional<Scenario> ReadScenario(const yaml::Node& node, const ScenarioFile& file, const FileFixture& file_fixture,
                                     LoadContext* ctx) {
  size_t errors_before = ctx->error_count();
  ctx->captures().clear();
  Scenario sc;
  sc.loc = node.loc;
  sc.classname = "onsmqtt." + file.suite;
  sc.fixture = file_fixture.path;
  KeyReader r(node, "scenario", keys::kScenario);
  const yaml::Node* name = r.Get("name");
  const yaml::Node* tags = r.Get("tags");
  const yaml::Node* description = r.Get("description");
  const yaml::Node* fixture = r.Get("fixture");
  const yaml::Node* requires_node = r.Get("requires");
  const yaml::Node* mutates = r.Get("mutates");
  const yaml::Node* retries = r.Get("retries");
  const yaml::Node* steps = r.Get("steps");
  const yaml::Node* cleanup = r.Get("cleanup");
  ctx->Finish(&r);
  if (name != nullptr) {
    sc.name = internal::ReadString(*name, "name", ctx).value_or("");
    if (name->is_scalar() && sc.name.empty()) ctx->Error(name->loc, "a scenario name may not be empty");
  }
  if (tags != nullptr) {
    StatusOr<std::vector<std::string>> t = yaml::AsStringList(*tags, "tags");
    if (t.ok()) sc.tags = *t;
    ctx->Error(t.status());
  }
  if (description != nullptr) sc.description = internal::ReadString(*description, "description", ctx).value_or("");
  if (fixture != nullptr) sc.fixture = ReadFixture(*fixture, file.path, ctx).value_or("");
  // Names are checked against the fixture the scenario runs with.
  ctx->UseFixture(sc.fixture, fixture != nullptr ? fixture->loc : file_fixture.loc);
  if (requires_node != nullptr) ReadRequires(*requires_node, &sc, ctx);
  if (sc.requires_mock && ctx->options().skip_requires_mock_variables) ctx->StopCheckingVariables();
  if (mutates != nullptr) sc.mutates = internal::ReadBool(*mutates, "mutates", ctx).value_or(false);
  if (retries != nullptr)
    sc.retries = static_cast<int>(internal::ReadInt(*retries, "retries", 0, 10, ctx).value_or(-1));
  if (steps != nullptr) ReadSteps(*steps, "steps", &sc.steps, ctx);
  if (cleanup != nullptr) ReadSteps(*cleanup, "cleanup", &sc.cleanup, ctx);
  if (ctx->error_count() != errors_before) return std::nullopt;
  RecordReferences(&sc);
  return sc;
}

// The scenarios of a file, in order; names must be unique.
void ReadScenarioList(const yaml::Node& scenarios, const FileFixture& file_fixture, ScenarioFile* file,
                      LoadContext* ctx) {
  if (!scenarios.is_sequence() || scenarios.items.empty()) {
    ctx->Error(scenarios.loc, "scenarios must be a non-empty list, got " + std::string(scenarios.KindName()));
    return;
  }
  std::map<std::string, int> names;
  for (const yaml::Node& item : scenarios.items) {
    // Names are compared before reading, so a duplicate is reported even
    // when the first scenario of that name has errors of its own.
    const yaml::Node* name = item.Find("name");
    bool duplicate = false;
    if (name != nullptr && name->is_scalar()) {
      auto [it, fresh] = names.emplace(name->scalar, item.loc.line);
      if (!fresh) {
        ctx->Error(item.loc, "duplicate scenario name " + Quote(name->scalar) + " (first at line " +
                                 std::to_string(it->second) + "); names are unique within a file");
        duplicate = true;
      }
    }
    std::optional<Scenario> sc = ReadScenario(item, *file, file_fixture, ctx);
    if (sc.has_value() && !duplicate) file->scenarios.push_back(std::move(*sc));
  }
}

// Reads one file's scenarios into `file`; errors go to `errors`.
void ReadFileUnsorted(const std::string& path, const LoadOptions& options, ScenarioFile* file,
                      std::vector<Diagnostic>* errors, internal::FixtureNamesCache* fixtures) {
  file->path = path;
  LoadContext ctx(options, BuiltinContract(), file->source, errors, fixtures);
  StatusOr<std::string> text = yaml::ReadFile(path);
  if (!text.ok()) {
    ctx.Error(text.status().location().value_or(SourceLocation{path, 0, 0}), text.status().message());
    return;
  }
  file->source = *text;
  std::vector<Status> duplicates;
  StatusOr<yaml::Node> root = yaml::Parse(file->source, path, &duplicates);
  if (!root.ok()) {
    ctx.Error(root.status());
    return;
  }
  for (const Status& s : duplicates) ctx.Error(s);
  KeyReader r(*root, "a scenario file", keys::kFile);
  const yaml::Node* suite = r.Get("suite");
  const yaml::Node* fixture = r.Get("fixture");
  const yaml::Node* scenarios = r.Get("scenarios");
  ctx.Finish(&r);
  file->suite = DefaultSuite(path);
  if (suite != nullptr) {
    std::optional<std::string> s = internal::ReadString(*suite, "suite", &ctx);
    if (s.has_value() && !IsSuiteName(*s)) {
      ctx.Error(suite->loc, "suite must hold letters, digits, _ . - only, got " + Quote(*s));
    } else if (s.has_value()) {
      file->suite = *s;
    }
  }
  FileFixture file_fixture;
  if (fixture != nullptr) file_fixture = {ReadFixture(*fixture, path, &ctx).value_or(""), fixture->loc};
  if (scenarios == nullptr) return;
  ReadScenarioList(*scenarios, file_fixture, file, &ctx);
}

bool SamePosition(const Diagnostic& a, const Diagnostic& b) {
  if (a.loc.line != b.loc.line || a.loc.column != b.loc.column) return false;
  return a.loc.known() || a.message == b.message;
}

// Reads one file; its errors are appended to `errors` in line:col order, one
// per position (content repeated by YAML aliases is read once per use, and
// its errors would repeat at the anchor's position).
void ReadFile(const std::string& path, const LoadOptions& options, ScenarioFile* file, std::vector<Diagnostic>* errors,
              internal::FixtureNamesCache* fixtures) {
  size_t errors_before = errors->size();
  ReadFileUnsorted(path, options, file, errors, fixtures);
  if (errors->size() == errors_before) return;
  file->scenarios.clear();
  auto first = errors->begin() + static_cast<std::ptrdiff_t>(errors_before);
  std::stable_sort(first, errors->end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::pair(a.loc.line, a.loc.column) < std::pair(b.loc.line, b.loc.column);
  });
  errors->erase(std::unique(first, errors->end(), SamePosition), errors->end());
}

Status Summarize(const std::vector<Diagnostic>& errors) {
  Status first = Status::ParseError(errors.front().loc, errors.front().message);
  if (errors.size() == 1) return first;
  return Status::ParseError(errors.front().loc, errors.front().message + " (and " + std::to_string(errors.size() - 1) +
                                                    (errors.size() == 2 ? " more error)" : " more errors)"));
}

}  // namespace

StatusOr<ScenarioFile> LoadScenarioFile(const std::string& path, const LoadOptions& options) {
  ScenarioFile file;
  std::vector<Diagnostic> errors;
  internal::FixtureNamesCache fixtures;
  ReadFile(path, options, &file, &errors, &fixtures);
  if (!errors.empty()) return Summarize(errors);
  return file;
}

LoadResult LoadScenarios(const std::vector<std::string>& paths, const LoadOptions& options) {
  LoadResult result;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        std::string ext = it->path().extension().string();
        if (it->is_regular_file(ec) && (ext == ".yaml" || ext == ".yml")) found.push_back(it->path().string());
      }
      if (ec) {
        std::string msg = "cannot list " + Quote(path) + ": " + ec.message();
        result.errors.push_back(Diagnostic{{path, 0, 0}, msg, RenderDiagnostic({path, 0, 0}, msg, "")});
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      std::string msg = "no such file or folder " + Quote(path);
      result.errors.push_back(Diagnostic{{path, 0, 0}, msg, RenderDiagnostic({path, 0, 0}, msg, "")});
    }
  }
  std::set<std::string> seen;
  internal::FixtureNamesCache fixtures;
  for (const std::string& path : files) {
    // The same file named twice (a folder and a file in it) is read once.
    if (!seen.insert(fs::path(path).lexically_normal().string()).second) continue;
    ScenarioFile file;
    ReadFile(path, options, &file, &result.errors, &fixtures);
    if (!file.scenarios.empty()) result.files.push_back(std::move(file));
  }
  return result;
}

}  // namespace onsmqtt::runner
