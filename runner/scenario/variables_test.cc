#include "runner/scenario/variables.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "contract/clock.h"

namespace onsmqtt::runner {
namespace {

using ::testing::HasSubstr;

Template T(const std::string& text) { return Template{text, SourceLocation{"s.yaml", 7, 11}}; }

TEST(VariablesTest, ResolvesSetNames) {
  Variables vars;
  vars.Set("device.active.sn", "0a1b");
  vars.Set("ca.a.sn", "ff");
  StatusOr<std::string> r = vars.Resolve(T("sn=${device.active.sn}&ca=${ca.a.sn}${ca.a.sn}"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "sn=0a1b&ca=ffff");
}

TEST(VariablesTest, TextWithoutReferencesIsUnchanged) {
  Variables vars;
  EXPECT_EQ(*vars.Resolve(T("")), "");
  EXPECT_EQ(*vars.Resolve(T("plain $ text {x} $")), "plain $ text {x} $");
}

TEST(VariablesTest, DoubleDollarEscapesALiteralReference) {
  Variables vars;
  vars.Set("x", "X");
  EXPECT_EQ(*vars.Resolve(T("$${x} and ${x}")), "${x} and X");
  EXPECT_EQ(ReferencedNames("$${x} and ${y}"), (std::vector<std::string>{"y"}));
}

TEST(VariablesTest, UndefinedNameIsAnErrorAtTheTemplate) {
  Variables vars;
  StatusOr<std::string> r = vars.Resolve(T("a${nope}b"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "undefined variable ${nope}");
  ASSERT_TRUE(r.status().location().has_value());
  EXPECT_EQ(r.status().location()->ToString(), "s.yaml:7:11");
}

TEST(VariablesTest, UnterminatedReferenceIsAnError) {
  Variables vars;
  StatusOr<std::string> r = vars.Resolve(T("a${b"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unterminated"));
  EXPECT_FALSE(CheckTemplateSyntax("a${b").ok());
  EXPECT_FALSE(CheckTemplateSyntax("${}").ok());
  EXPECT_TRUE(CheckTemplateSyntax("$${b").ok());
}

TEST(VariablesTest, EnvironmentVariables) {
  ::setenv("ONSMQTT_VARIABLES_TEST", "from-env", 1);
  ::unsetenv("ONSMQTT_VARIABLES_TEST_UNSET");
  Variables vars;
  EXPECT_EQ(*vars.Resolve(T("${env.ONSMQTT_VARIABLES_TEST}")), "from-env");
  EXPECT_TRUE(vars.Has("env.ONSMQTT_VARIABLES_TEST"));
  EXPECT_FALSE(vars.Has("env.ONSMQTT_VARIABLES_TEST_UNSET"));
  StatusOr<std::string> r = vars.Resolve(T("${env.ONSMQTT_VARIABLES_TEST_UNSET}"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "${env.ONSMQTT_VARIABLES_TEST_UNSET}: environment variable ONSMQTT_VARIABLES_TEST_UNSET is not set");
}

TEST(VariablesTest, SetValuesWinOverBuiltinsAndEnvironment) {
  ::setenv("ONSMQTT_VARIABLES_TEST", "from-env", 1);
  Variables vars;
  vars.Set("env.ONSMQTT_VARIABLES_TEST", "captured");
  vars.Set("run.id", "run-7");
  EXPECT_EQ(*vars.Resolve(T("${env.ONSMQTT_VARIABLES_TEST}/${run.id}")), "captured/run-7");
}

TEST(VariablesTest, RepeatBuiltin) {
  Variables vars;
  StatusOr<std::string> r = vars.Resolve(T("${repeat:a:129}"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::string(129, 'a'));
  EXPECT_EQ(*vars.Resolve(T("${repeat:ab:3}")), "ababab");
  EXPECT_EQ(*vars.Resolve(T("${repeat:a:b:2}")), "a:ba:b");  // the count is after the last colon
  EXPECT_EQ(*vars.Resolve(T("x${repeat:z:0}y")), "xy");
  EXPECT_FALSE(vars.Resolve(T("${repeat:a}")).ok());
  EXPECT_FALSE(vars.Resolve(T("${repeat:a:-1}")).ok());
  StatusOr<std::string> big = vars.Resolve(T("${repeat:abcd:1000000}"));
  ASSERT_FALSE(big.ok());
  EXPECT_THAT(big.status().message(), HasSubstr("at most 1048576 bytes"));
}

TEST(VariablesTest, UuidIsStablePerObjectAndFreshAcrossObjects) {
  Variables a;
  Variables b;
  std::string first = *a.Resolve(T("${uuid}"));
  EXPECT_EQ(first.size(), 36u);
  EXPECT_EQ(*a.Resolve(T("${uuid}")), first);
  EXPECT_NE(*b.Resolve(T("${uuid}")), first);
}

TEST(VariablesTest, TimestampAndRunIdBuiltins) {
  Variables vars;
  std::string ts = *vars.Resolve(T("${timestamp}"));
  EXPECT_TRUE(ParseTimestamp(ts).has_value()) << ts;
  std::string run = *vars.Resolve(T("${run.id}"));
  EXPECT_FALSE(run.empty());
  EXPECT_EQ(*Variables().Resolve(T("${run.id}")), run);  // one per process unless set
  EXPECT_EQ(ResolveBuiltin("nope").status().code(), Status::Code::kNotFound);
}

TEST(VariablesTest, SecretsAreRemembered) {
  Variables vars;
  vars.Set("key.owner.secret", "s3cr3t", /*secret=*/true);
  vars.Set("key.owner.id", "LTAI");
  EXPECT_EQ(vars.secrets(), (std::set<std::string>{"s3cr3t"}));
  EXPECT_TRUE(vars.Has("key.owner.id"));
  EXPECT_FALSE(vars.Has("key.other.id"));
}

TEST(VariablesTest, ReferencedNamesInOrder) {
  EXPECT_EQ(ReferencedNames("${a}-${b.c}${a}"), (std::vector<std::string>{"a", "b.c", "a"}));
  EXPECT_TRUE(ReferencedNames("no refs").empty());
}

}  // namespace
}  // namespace onsmqtt::runner
