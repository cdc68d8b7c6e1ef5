#include "runner/xml_answer.h"

#include <gtest/gtest.h>

namespace onsmqtt::runner {
namespace {

using nlohmann::json;

TEST(XmlToJson, Table) {
  const std::pair<std::string, json> cases[] = {
      {"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ActiveDeviceCertificateResponse>"
       "<RequestId>0A1B</RequestId><DeviceSn>aa</DeviceSn></ActiveDeviceCertificateResponse>",
       {{"RequestId", "0A1B"}, {"DeviceSn", "aa"}}},
      {"<Error><Code>Throttling.User</Code><Message>a &amp; b &lt;c&gt; &#65;&#x42;</Message></Error>",
       {{"Code", "Throttling.User"}, {"Message", "a & b <c> AB"}}},
      {"<R><Data><Total>2</Total><VOS><Sn>1</Sn></VOS><VOS><Sn>2</Sn></VOS></Data></R>",
       {{"Data", {{"Total", "2"}, {"VOS", json::array({{{"Sn", "1"}}, {{"Sn", "2"}}})}}}}},
      {"<R>\n  <!-- c -->\n  <A x=\"1\">v</A>\n  <B/>\n  <C><![CDATA[<raw>]]></C>\n</R>",
       {{"A", "v"}, {"B", ""}, {"C", "<raw>"}}},
      {"<R/>", json::object()},
  };
  for (const auto& [xml, expected] : cases) {
    auto got = XmlToJson(xml);
    ASSERT_TRUE(got.has_value()) << xml;
    EXPECT_EQ(*got, expected) << xml;
  }
}

TEST(XmlToJson, RejectsMalformed) {
  for (const char* bad : {"", "not xml", "<R><A>x</B></R>", "<R><A>x</A>", "<R"}) {
    EXPECT_FALSE(XmlToJson(bad).has_value()) << bad;
  }
}

// Found by fuzz_xml_answer: a byte that is not UTF-8 (here 0xB3) in an
// answer became a JSON string nlohmann::json cannot print (type_error 316,
// an exception out of captures and reports). Invalid UTF-8, in text, CDATA
// and names, and character references to surrogates or beyond U+10FFFF,
// are read as U+FFFD.
TEST(XmlToJson, InvalidUtf8BecomesReplacementCharacters) {
  const std::string fffd = "\xEF\xBF\xBD";
  std::optional<json> got = XmlToJson(
      "<Error><Code>\xB3x</Code><Message><![CDATA[\xC3]]></Message><N\xFF>v</N\xFF>"
      "<S>&#xD800;&#x110000;&#xE9;\xC3\xA9</S></Error>");
  ASSERT_TRUE(got.has_value());
  EXPECT_NO_THROW(got->dump());
  EXPECT_EQ(got->at("Code"), fffd + "x");
  EXPECT_EQ(got->at("Message"), fffd);
  EXPECT_EQ(got->at("N" + fffd), "v");
  EXPECT_EQ(got->at("S"), fffd + fffd + "\xC3\xA9\xC3\xA9");
}

TEST(XmlRootName, NamesTheRoot) {
  EXPECT_EQ(XmlRootName("<?xml version=\"1.0\"?><Error><Code>X</Code></Error>"), "Error");
  EXPECT_EQ(XmlRootName("nope"), "");
}

}  // namespace
}  // namespace onsmqtt::runner
