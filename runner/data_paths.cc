#include "runner/data_paths.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>
#include <vector>

#ifndef ONSMQTT_DATA_FROM_BIN
#define ONSMQTT_DATA_FROM_BIN "../share/onsmqtt-contract"
#endif

namespace onsmqtt::runner {
namespace {

namespace fs = std::filesystem;

const char kDefaultScenarios[] = "scenarios/";
const char kDefaultFixture[] = "fixtures/default.yaml";
const char kDefaultWaivers[] = "contract/coverage-waivers.yaml";

bool Exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// `relative` itself when it exists here; else data_dir/relative when that
// exists; else "".
std::string Locate(const std::string& relative, const std::string& data_dir) {
  if (Exists(relative)) return relative;
  if (!data_dir.empty() && Exists(fs::path(data_dir) / relative)) return (fs::path(data_dir) / relative).string();
  return "";
}

std::string Places(const std::string& relative, const std::string& data_dir) {
  std::error_code ec;
  fs::path here = fs::current_path(ec);
  std::string out = "\"" + relative + "\" is neither in the current folder (" + (ec ? "?" : here.string()) + ")";
  if (!data_dir.empty()) out += " nor in the installed data folder (" + data_dir + ")";
  return out;
}

}  // namespace

std::string ExecutablePath() {
  std::vector<char> buf(4096);
  ssize_t n = readlink("/proc/self/exe", buf.data(), buf.size() - 1);
  if (n <= 0) return "";
  return std::string(buf.data(), static_cast<size_t>(n));
}

std::string InstalledDataDir(const std::string& exe_path) {
  if (exe_path.empty()) return "";
  return (fs::path(exe_path).parent_path() / ONSMQTT_DATA_FROM_BIN).lexically_normal().string();
}

Status ResolveDataDefaults(CliOptions* o, const std::string& data_dir) {
  std::string problems;
  if (o->paths.size() == 1 && o->paths[0] == kDefaultScenarios) {
    std::string found = Locate(kDefaultScenarios, data_dir);
    if (found.empty()) {
      problems += "no scenarios to run: the default " + Places(kDefaultScenarios, data_dir) +
                  "; name scenario files or folders as arguments (onsmqtt-runner path/to/scenarios/)";
    } else {
      o->paths[0] = found;
    }
  }
  if (o->fixture == kDefaultFixture) {
    std::string found = Locate(kDefaultFixture, data_dir);
    if (!found.empty()) {
      o->fixture = found;
    } else if (o->target.empty()) {
      if (!problems.empty()) problems += "\n  and ";
      problems += "no fixture for the embedded mock: the default " + Places(kDefaultFixture, data_dir) +
                  "; pass --fixture FILE (or run from the checkout, or install the runner)";
    }
  }
  // No waiver file where the default names one: nothing is waived.
  if (o->waivers_file.empty()) o->waivers_file = Locate(kDefaultWaivers, data_dir);
  if (!problems.empty()) return Status::InvalidArgument(problems);
  return Status::Ok();
}

}  // namespace onsmqtt::runner
