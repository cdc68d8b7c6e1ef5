#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "contract/clock.h"
#include "contract/contract.h"
#include "fuzz/fuzz_util.h"
#include "mock_server/model/errors.h"
#include "mock_server/model/state.h"
#include "mock_server/options.h"

// The mock's model as the server builds it (mock_server/gateway/server.cc), for the
// fuzz targets that call it directly: the built-in contract, the default
// error catalogue and options, a clock at the seeds' time.
namespace onsmqtt::fuzz {

struct MockParts {
  mock::MockOptions options;
  ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1767225600))};
  std::optional<mock::ErrorCatalog> catalog;

  MockParts() {
    StatusOr<mock::ErrorCatalog> c = mock::ErrorCatalog::Create(BuiltinContract(), options);
    if (!c.ok()) Fail(c.status().ToString());
    catalog.emplace(std::move(*c));
  }

  StatusOr<std::unique_ptr<mock::MockState>> Load(const std::string& fixture_path) const {
    return mock::MockState::Load(fixture_path, &*catalog, &options, &clock);
  }
};

}  // namespace onsmqtt::fuzz
