// ${var} inside `regex:` (scenarios/README.md, "Matchers"): the pattern is
// checked at load with every ${...} standing for a literal, and at run time
// each value is matched literally (its regex metacharacters escaped).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner/execute/assertions.h"
#include "runner/scenario/loader.h"
#include "runner/scenario/loader_test_util.h"
#include "runner/scenario/variables.h"

namespace onsmqtt::runner {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::string Snippet(const std::string& regex) {
  return std::string(kHead) + "        expect:\n          body:\n            $.DeviceSn: {regex: '" + regex + "'}\n";
}

TEST(RegexTemplateTest, TemplatedPatternsLoad) {
  for (const char* pattern : {"x${region}", "^${region}$", "${region}", "(${region})+", "[a-z]+-${region}",
                              "${device.active.sn}|${device.active.ca_sn}", "${region}{1,2}"}) {
    LoadResult r = LoadScenarios({WriteTemp("regex_ok", Snippet(pattern))}, Options());
    EXPECT_TRUE(r.errors.empty()) << pattern << ": " << (r.errors.empty() ? "" : r.errors[0].rendered);
  }
}

TEST(RegexTemplateTest, ABrokenPatternAroundATemplateIsStillAnError) {
  LoadResult r = LoadScenarios({WriteTemp("regex_bad", Snippet("(${region}"))}, Options());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0].message, HasSubstr("invalid regular expression \"(${region}\""));
  EXPECT_THAT(r.errors[0].message, HasSubstr("${...} stands for its value, matched literally"));
  EXPECT_EQ(r.errors[0].loc.line, 7);
}

TEST(RegexTemplateTest, UndefinedVariableInAPatternIsNamed) {
  LoadResult r = LoadScenarios({WriteTemp("regex_undef", Snippet("^${regoin}$"))}, Options());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0].message, HasSubstr("undefined variable ${regoin}; did you mean \"region\"?"));
}

std::vector<AssertionFailure> CheckRegex(const std::string& pattern, const std::string& actual, const Variables& vars) {
  Expectation e;
  e.contract = false;
  SourceLocation loc{"s.yaml", 3, 4};
  e.body.push_back(BodyAssertion{*ParseJsonPath("$.DeviceSn"),
                                 Matcher{MatcherKind::kRegex, Value{Value::Type::kString, pattern, {}, {}, loc}, loc},
                                 loc});
  Answer a;
  a.status = 200;
  a.json = json{{"DeviceSn", actual}};
  a.body = a.json->dump();
  std::vector<AssertionFailure> failures;
  const Contract& c = BuiltinContract();
  CheckExpectation(e, a, c.FindOperation("ActiveDeviceCertificate"), c, vars, &failures);
  return failures;
}

TEST(RegexTemplateTest, AValueIsMatchedLiterally) {
  Variables vars;
  vars.Set("sn", "a.b+(c)");
  EXPECT_TRUE(CheckRegex("^${sn}$", "a.b+(c)", vars).empty());
  EXPECT_FALSE(CheckRegex("^${sn}$", "aXbb(c)", vars).empty()) << "'.' and '+' of the value are not operators";
  EXPECT_FALSE(CheckRegex("^${sn}$", "a.bc", vars).empty());
  // The value is one unit: a quantifier after it repeats all of it.
  EXPECT_TRUE(CheckRegex("(${sn})+", "a.b+(c)a.b+(c)", vars).empty());
  EXPECT_TRUE(CheckRegex("${sn}+", "a.b+(c)a.b+(c)", vars).empty());
}

TEST(RegexTemplateTest, AnOrdinaryValue) {
  Variables vars;
  vars.Set("region", "cn-hangzhou");
  EXPECT_TRUE(CheckRegex("onsmqtt\\.${region}\\.aliyuncs\\.com", "onsmqtt.cn-hangzhou.aliyuncs.com", vars).empty());
  EXPECT_TRUE(CheckRegex("x${region}", "xcn-hangzhou", vars).empty());
  std::vector<AssertionFailure> f = CheckRegex("x${region}", "xcn-shanghai", vars);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].expected, HasSubstr("cn-hangzhou"));
}

TEST(RegexTemplateTest, RegexLiteralEscapesEveryMetacharacter) {
  EXPECT_EQ(RegexLiteral("a.b"), "(?:a\\.b)");
  EXPECT_EQ(RegexLiteral("^$\\.*+?()[]{}|/"), "(?:\\^\\$\\\\\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\/)");
  EXPECT_EQ(RegexLiteral(""), "(?:)");
}

}  // namespace
}  // namespace onsmqtt::runner
