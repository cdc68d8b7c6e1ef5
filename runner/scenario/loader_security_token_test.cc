// The call key `security_token:` (temporary credentials, scenarios/sts).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runner/scenario/loader.h"
#include "runner/scenario/loader_test_util.h"

namespace onsmqtt::runner {
namespace {

using ::testing::HasSubstr;

TEST(LoaderTest, SecurityTokenIsATemplateAndEmptySendsNone) {
  LoadOptions options = Options();
  options.known_variables.insert("key.owner.token");
  std::string path = WriteTemp("security_token", std::string(kHead) +
                                                     "        security_token: ${key.owner.token}\n"
                                                     "      - call: GetRegisterCode\n"
                                                     "        security_token: \"\"\n"
                                                     "      - call: GetRegisterCode\n");
  StatusOr<ScenarioFile> file = LoadScenarioFile(path, options);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const std::vector<Step>& steps = file->scenarios[0].steps;
  ASSERT_EQ(steps.size(), 3u);
  ASSERT_TRUE(steps[0].call.security_token.has_value());
  EXPECT_EQ(steps[0].call.security_token->text, "${key.owner.token}");
  EXPECT_EQ(steps[0].call.security_token->loc.line, 5);
  EXPECT_EQ(steps[0].call.security_token->loc.column, 25);
  ASSERT_TRUE(steps[1].call.security_token.has_value());
  EXPECT_EQ(steps[1].call.security_token->text, "");
  EXPECT_FALSE(steps[2].call.security_token.has_value());
}

TEST(LoaderTest, SecurityTokenErrorsArePositioned) {
  std::string path = WriteTemp("security_token_bad", std::string(kHead) +
                                                         "        security_token: [a]\n"
                                                         "      - call: GetRegisterCode\n"
                                                         "        security_token: ${key.nobody.token}\n"
                                                         "      - call: GetRegisterCode\n"
                                                         "        securty_token: x\n");
  LoadResult result = LoadScenarios({path}, Options());
  ASSERT_EQ(result.errors.size(), 3u);
  EXPECT_EQ(result.errors[0].loc.line, 5);
  EXPECT_EQ(result.errors[0].loc.column, 25);
  EXPECT_THAT(result.errors[0].message, HasSubstr("security_token must be a string"));
  EXPECT_EQ(result.errors[1].loc.line, 7);
  EXPECT_THAT(result.errors[1].message, HasSubstr("undefined variable ${key.nobody.token}"));
  EXPECT_EQ(result.errors[2].loc.line, 9);
  EXPECT_THAT(result.errors[2].message, HasSubstr("did you mean \"security_token\""));
}

}  // namespace
}  // namespace onsmqtt::runner
