#include "contract/json_limits.h"

#include <gtest/gtest.h>

#include <string>

namespace onsmqtt {
namespace {

TEST(JsonDepth, CountsArraysAndObjectsOutsideStrings) {
  EXPECT_TRUE(CheckJsonDepth(R"({"a":[{"b":[1,2]}]})", 4).ok());
  EXPECT_EQ(CheckJsonDepth(R"({"a":[{"b":[[1]]}]})", 4).message(), "JSON nested deeper than 4 levels (at byte 12)");
  // Brackets in strings, escaped quotes included, do not count.
  EXPECT_TRUE(CheckJsonDepth(R"(["[[[[[", "\"[[[[", {"k{{{{": 1}])", 2).ok());
  EXPECT_TRUE(CheckJsonDepth(std::string(64, '[') + std::string(64, ']')).ok());
  EXPECT_FALSE(CheckJsonDepth(std::string(65, '[') + std::string(65, ']')).ok());
  // Closing brackets beyond the opening ones do not hide later depth.
  EXPECT_FALSE(CheckJsonDepth("]]]]" + std::string(3, '['), 2).ok());
}

}  // namespace
}  // namespace onsmqtt
