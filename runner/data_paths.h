#pragma once

#include <string>

#include "contract/status.h"
#include "runner/cli.h"

// Where onsmqtt-runner finds the files its defaults name — the scenarios
// folder "scenarios/" and the fixture "fixtures/default.yaml" — so that an
// installed runner works from any folder. A default is taken relative to
// the current folder when it exists there (a checkout), else from the
// installed data folder <executable's folder>/../share/onsmqtt-contract
// (cmake --install, the .deb). Paths the user gave are never changed.
namespace onsmqtt::runner {

// The running executable's absolute path (/proc/self/exe); "" if unknown.
std::string ExecutablePath();

// The installed data folder for an executable at `exe_path`
// (<dir>/ONSMQTT_DATA_FROM_BIN, by default <dir>/../share/onsmqtt-contract),
// lexically normalised; "" when `exe_path` is empty. It may not exist.
std::string InstalledDataDir(const std::string& exe_path);

// Replaces each default of `o` that does not exist relative to the current
// folder by the same relative path under `data_dir` when it exists there.
// kInvalidArgument when a default the run needs exists in neither place,
// naming the option to pass (--fixture FILE; scenario PATH arguments) and
// both places looked in. The default fixture is needed only for the
// embedded mock (no --target). The default waiver file
// (contract/coverage-waivers.yaml) is looked for the same way; when it is in
// neither place, waivers_file stays "" and nothing is waived.
Status ResolveDataDefaults(CliOptions* o, const std::string& data_dir);

}  // namespace onsmqtt::runner
