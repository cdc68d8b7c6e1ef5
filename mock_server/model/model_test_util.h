#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "contract/clock.h"
#include "contract/contract.h"
#include "contract/yaml_tree.h"
#include "mock_server/model/certificate.h"
#include "mock_server/model/errors.h"
#include "mock_server/model/state.h"

// Test helpers for the model's tests: a MockState on the real default
// fixture with a manual clock, and calls by fixture key.
namespace onsmqtt::mock::testing {

inline const std::string kSourceDir = ONSMQTT_SOURCE_DIR;
inline const std::string kDefaultFixture = kSourceDir + "/fixtures/default.yaml";

inline std::string PkiText(const std::string& name) {
  StatusOr<std::string> text = yaml::ReadFile(kSourceDir + "/fixtures/pki/" + name + ".pem");
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : "";
}

inline std::string PkiSn(const std::string& name) {
  StatusOr<std::shared_ptr<const Certificate>> cert = Certificate::ParsePem(PkiText(name));
  return cert.ok() ? (*cert)->sn() : "";
}

// 2030-06-01T00:00:00Z: inside the long-lived PKI's validity, after
// device-a-expired's.
inline const TimePoint kNow = TimePoint(std::chrono::seconds(1906502400));

class MockHarness {
 public:
  explicit MockHarness(MockOptions options = MockOptions(), const std::string& fixture = kDefaultFixture)
      : options_(std::move(options)), clock_(kNow) {
    StatusOr<std::unique_ptr<MockState>> state = MockState::Load(fixture, Catalog(), &options_, &clock_);
    EXPECT_TRUE(state.ok()) << state.status().ToString();
    if (state.ok()) state_ = std::move(*state);
    vars_ = state_->Variables();
  }
  // From a fixture loaded before (MockState::Create).
  explicit MockHarness(const Fixture& fixture) : clock_(kNow) {
    state_ = MockState::Create(fixture, Catalog(), &options_, &clock_);
    vars_ = state_->Variables();
  }

  MockState& state() { return *state_; }
  ManualClock& clock() { return clock_; }
  const std::string& var(const std::string& name) const { return vars_.at(name); }

  // Replaces every ${name} in `text` with the fixture's variable.
  std::string Expand(std::string text) const {
    for (size_t p = text.find("${"); p != std::string::npos; p = text.find("${", p)) {
      size_t end = text.find('}', p);
      std::string value = vars_.at(text.substr(p + 2, end - p - 2));
      text.replace(p, end - p + 1, value);
      p += value.size();
    }
    return text;
  }

  // Calls `action` as the access key with fixture key `as`.
  ServiceResult Call(const std::string& action, const std::string& as, const ParamList& params,
                     const std::string& region = "cn-hangzhou") {
    ServiceCall call;
    call.operation = BuiltinContract().FindOperation(action);
    EXPECT_NE(call.operation, nullptr) << action;
    std::optional<AccessKeyRecord> key = state_->FindAccessKey(var("key." + as + ".id"));
    EXPECT_TRUE(key.has_value()) << as;
    call.caller = key->caller;
    call.region = region;
    for (const auto& [name, value] : params) call.params.emplace_back(name, Expand(value));
    return state_->Handle(call);
  }

 private:
  MockOptions options_;
  ManualClock clock_;
  std::unique_ptr<ErrorCatalog> catalog_;
  std::unique_ptr<MockState> state_;
  std::map<std::string, std::string> vars_;

  const ErrorCatalog* Catalog() {
    StatusOr<ErrorCatalog> catalog = ErrorCatalog::Create(BuiltinContract(), options_);
    EXPECT_TRUE(catalog.ok()) << catalog.status().ToString();
    catalog_ = std::make_unique<ErrorCatalog>(*catalog);
    return catalog_.get();
  }
};

inline std::string CodeOf(const ServiceResult& r) { return r.error ? r.error->code : ""; }

}  // namespace onsmqtt::mock::testing
