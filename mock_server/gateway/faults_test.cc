#include "mock_server/gateway/faults.h"

#include <gtest/gtest.h>

namespace onsmqtt::mock {
namespace {

FaultRule Rule(const char* json) {
  StatusOr<FaultRule> r = ParseFaultRule(nlohmann::json::parse(json), BuiltinContract());
  EXPECT_TRUE(r.ok()) << json << ": " << r.status().ToString();
  return r.ok() ? *r : FaultRule{};
}

TEST(FaultsTest, ParseErrorsNameTheKey) {
  struct Case {
    const char* json;
    const char* mentions;
  };
  const Case cases[] = {
      {R"({"code":"Nope"})", "\"code\""},
      {R"({"actoin":"X","delay_ms":1})", "\"actoin\""},
      {R"({"delay_ms":-1})", "\"delay_ms\""},
      {R"({"probability":"half","code":"InternalError"})", "\"probability\""},
      {R"({"seed":1,"code":"InternalError"})", "\"seed\""},
      {R"([1])", "object"},
  };
  for (const auto& c : cases) {
    StatusOr<FaultRule> r = ParseFaultRule(nlohmann::json::parse(c.json), BuiltinContract());
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_NE(r.status().message().find(c.mentions), std::string::npos) << r.status().message();
  }
}

TEST(FaultsTest, FirstMatchingRuleAppliesAndTimesRunOut) {
  Faults f;
  f.Add(Rule(R"({"action":"GetCaCertificate","code":"InternalError","times":1})"));
  f.Add(Rule(R"({"delay_ms":5,"times":2})"));
  EXPECT_EQ(f.Match("GetCaCertificate")->code, "InternalError");
  EXPECT_EQ(f.Match("GetCaCertificate")->delay_ms, 5);
  EXPECT_EQ(f.Match("ActiveDeviceCertificate")->rule_id, "f2");
  EXPECT_FALSE(f.Match("ActiveDeviceCertificate"));
  EXPECT_TRUE(f.empty());
}

TEST(FaultsTest, ProbabilityDrawsAreSeeded) {
  auto count = [](uint64_t seed) {
    Faults f;
    FaultRule r = Rule(R"({"probability":0.3,"code":"InternalError"})");
    r.seed = seed;
    f.Add(r);
    int hits = 0;
    for (int i = 0; i < 1000; ++i) hits += f.Match("A") ? 1 : 0;
    return hits;
  };
  EXPECT_EQ(count(1), count(1));
  EXPECT_GT(count(1), 240);
  EXPECT_LT(count(1), 360);
  Faults never;
  never.Add(Rule(R"({"probability":0,"code":"InternalError"})"));
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(never.Match("A"));
}

}  // namespace
}  // namespace onsmqtt::mock
