// The fixture loader (mock_server/model/fixture.h), as `onsmqtt-mock --fixture`
// and POST /__admin/fixture reach it: MockState::Load on a file holding the
// input, in a folder where pki/ names the test PKI (fuzz/fuzz_util.h), so
// the shipped fixture's PEM references resolve. A loaded state must dump
// and list its variables.
#include <cstdint>

#include "fuzz/fuzz_util.h"
#include "fuzz/mock_parts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const onsmqtt::fuzz::MockParts parts;
  const std::string path = onsmqtt::fuzz::WriteScratch("fixture.yaml", onsmqtt::fuzz::Bytes(data, size));
  onsmqtt::StatusOr<std::unique_ptr<onsmqtt::mock::MockState>> state = parts.Load(path);
  if (!state.ok()) {
    onsmqtt::fuzz::CheckError(state.status(), "MockState::Load");
    return 0;
  }
  (*state)->Dump().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  (*state)->Variables();
  return 0;
}
