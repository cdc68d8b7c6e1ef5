// The scenario loader (runner/scenario/loader.h), as `onsmqtt-runner --check` reaches
// it: the input is a scenario file in scenarios/fuzz/ of a scratch folder
// whose fixtures/ is the project's (fuzz/fuzz_util.h), so `fixture:
// ../../fixtures/default.yaml` resolves; the known variables are the
// default fixture's, as for the embedded mock. Every error must be
// positioned and rendered.
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "fuzz/mock_parts.h"
#include "runner/scenario/loader.h"

namespace {

onsmqtt::runner::LoadOptions Options() {
  onsmqtt::fuzz::MockParts parts;
  auto state = parts.Load(ONSMQTT_SOURCE_DIR "/fixtures/default.yaml");
  if (!state.ok()) onsmqtt::fuzz::Fail(state.status().ToString());
  onsmqtt::runner::LoadOptions options;
  for (const auto& [name, value] : (*state)->Variables()) options.known_variables.insert(name);
  options.known_variables.insert("region");
  options.default_fixture = ONSMQTT_SOURCE_DIR "/fixtures/default.yaml";
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const onsmqtt::runner::LoadOptions options = Options();
  const std::string path = onsmqtt::fuzz::WriteScratch("scenarios/fuzz/input.yaml", onsmqtt::fuzz::Bytes(data, size));
  onsmqtt::runner::LoadResult result = onsmqtt::runner::LoadScenarios({path}, options);
  for (const onsmqtt::runner::Diagnostic& d : result.errors) {
    if (d.message.empty() || d.rendered.empty()) onsmqtt::fuzz::Fail("an unexplained scenario error");
  }
  if (result.errors.empty() && result.files.size() != 1) onsmqtt::fuzz::Fail("no error, yet no file");
  return 0;
}
