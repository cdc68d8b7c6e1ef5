// The admin API's JSON handlers (mock_server/gateway/admin.h), called directly with
// raw requests (fuzz/wire_request.h), e.g.
//   POST /__admin/faults HTTP/1.1
//   Content-Type: application/json
//
//   [{"code":"InternalError","times":1}]
// against a mock state loaded from fixtures/default.yaml. Every answer must
// be a JSON object with a status the API documents. State a request changed
// is put back afterwards, so every input starts from the same mock.
#include <cstdint>
#include <memory>

#include "fuzz/fuzz_util.h"
#include "fuzz/mock_parts.h"
#include "fuzz/wire_request.h"
#include "mock_server/gateway/admin.h"

namespace {

using namespace onsmqtt::mock;

constexpr char kFixture[] = ONSMQTT_SOURCE_DIR "/fixtures/default.yaml";

struct World {
  onsmqtt::fuzz::MockParts parts;
  std::unique_ptr<MockState> state;
  Journal journal{16};
  Faults faults;
  Throttle throttle{500, &parts.clock};
  NonceCache nonces{&parts.clock, std::chrono::seconds(900)};
  std::unique_ptr<Admin> admin;

  World() {
    auto s = parts.Load(kFixture);
    if (!s.ok()) onsmqtt::fuzz::Fail(s.status().ToString());
    state = std::move(*s);
    admin = std::make_unique<Admin>(
        AdminParts{&onsmqtt::BuiltinContract(), &parts.options, state.get(), &journal, &faults, &throttle, &nonces});
  }

  // Two journal entries, so that GET /__admin/journal?limit=N has some.
  void Prepare() {
    journal.Clear();
    for (int i = 0; i < 2; ++i) {
      JournalEntry e;
      e.time = parts.clock.Now();
      e.action = "ActiveDeviceCertificate";
      e.method = "POST";
      e.scheme = "v3";
      e.status = 200;
      e.params = {{"MqttInstanceId", "post-cn-platinum01"}, {"DeviceSn", "00ff"}};
      journal.Record(std::move(e));
    }
  }

  void Restore(const onsmqtt::HttpRequest& wire, int status) {
    faults.Clear();
    if (status != 200 || wire.method != "POST") return;
    if (wire.path.find("fixture") != std::string::npos) {
      if (auto s = state->LoadFixture(kFixture); !s.ok()) onsmqtt::fuzz::Fail(s.ToString());
    } else if (wire.path.find("register") != std::string::npos) {
      if (auto s = state->Reset(); !s.ok()) onsmqtt::fuzz::Fail(s.ToString());
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;
  const onsmqtt::HttpRequest wire = onsmqtt::fuzz::ParseWireRequest(onsmqtt::fuzz::Bytes(data, size));
  world.Prepare();
  AdminAnswer answer = world.admin->Handle(wire, "127.0.0.1");
  world.Restore(wire, answer.status);
  nlohmann::json body = nlohmann::json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) onsmqtt::fuzz::Fail("an answer that is not a JSON object: " + answer.body.substr(0, 200));
  if (answer.status != 200 && !body.contains("error")) onsmqtt::fuzz::Fail("an error answer without \"error\"");
  if (answer.status < 200 || answer.status > 599) onsmqtt::fuzz::Fail("status " + std::to_string(answer.status));
  return 0;
}
