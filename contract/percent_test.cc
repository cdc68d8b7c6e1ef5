#include "contract/percent.h"

#include <gtest/gtest.h>

namespace onsmqtt {
namespace {

TEST(PercentEncode, Rfc3986Table) {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"AZaz09-_.~", "AZaz09-_.~"},
      {" ", "%20"},
      {"+", "%2B"},
      {"*", "%2A"},
      {"~", "~"},
      {"!'()", "%21%27%28%29"},
      {"/", "%2F"},
      {"=", "%3D"},
      {"&", "%26"},
      {"é", "%C3%A9"},
      {"", ""},
      {"%", "%25"},
      {"\n", "%0A"},
  };
  for (const auto& [in, out] : table) EXPECT_EQ(PercentEncode(in), out) << in;
}

TEST(PercentDecode, HandlesPlusAndMalformedEscapes) {
  EXPECT_EQ(PercentDecode("a%20b+c"), "a b c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("%C3%A9%2a"), "é*");
  EXPECT_EQ(PercentDecode("%G1%"), "%G1%");
  EXPECT_EQ(PercentDecode("100%"), "100%");
}

TEST(QueryString, ParsesAndCanonicalizes) {
  ParamList p = ParseQueryString("b=2&a=x%20y&c&a=0&");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0], Param("b", "2"));
  EXPECT_EQ(p[1], Param("a", "x y"));
  EXPECT_EQ(p[2], Param("c", ""));
  EXPECT_EQ(CanonicalQueryString(p), "a=0&a=x%20y&b=2&c=");
  EXPECT_EQ(EncodeParams({{"k y", "v*"}}), "k%20y=v%2A");
  EXPECT_TRUE(ParseQueryString("").empty());
}

}  // namespace
}  // namespace onsmqtt
