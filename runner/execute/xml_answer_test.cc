#include "runner/execute/xml_answer.h"

#include <gtest/gtest.h>

#include "contract/contract.h"

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

constexpr char kDecl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

std::string Vo(const std::string& sn) {
  return "<DeviceCertificateVOS><CaSn>ca</CaSn><DeviceSn>" + sn +
         "</DeviceSn><Status>1</Status></DeviceCertificateVOS>";
}

std::string ListAnswer(const std::string& action, const std::string& items, const std::string& total) {
  return std::string(kDecl) + "<" + action + "Response><RequestId>R</RequestId><Data><Total>" + total +
         "</Total><PageNo>1</PageNo><PageSize>10</PageSize>" + items + "</Data></" + action + "Response>";
}

TEST(XmlAnswerToJson, AListOfOneIsAList) {
  for (const char* action : {"ListDeviceCertificate", "ListDeviceCertificateByCaSn"}) {
    auto j = XmlAnswerToJson(ListAnswer(action, Vo("d1"), "1"), BuiltinContract());
    ASSERT_TRUE(j.has_value()) << action;
    ASSERT_TRUE(j->at("Data").at("DeviceCertificateVOS").is_array()) << j->dump();
    EXPECT_EQ(j->at("Data").at("DeviceCertificateVOS").size(), 1u);
    EXPECT_EQ(j->at("Data").at("DeviceCertificateVOS")[0].at("DeviceSn"), "d1");
    // Strings stay strings (Status is a string field), numbers become numbers.
    EXPECT_EQ(j->at("Data").at("DeviceCertificateVOS")[0].at("Status"), "1");
    EXPECT_EQ(j->at("Data").at("Total"), 1);
    EXPECT_EQ(j->at("Data").at("PageSize"), 10);
    EXPECT_EQ(j->at("RequestId"), "R");
  }
}

TEST(XmlAnswerToJson, AListOfTwoIsUnchanged) {
  auto j = XmlAnswerToJson(ListAnswer("ListDeviceCertificate", Vo("d1") + Vo("d2"), "2"), BuiltinContract());
  ASSERT_TRUE(j.has_value());
  EXPECT_EQ(j->at("Data").at("DeviceCertificateVOS")[1].at("DeviceSn"), "d2");
}

TEST(XmlAnswerToJson, AnEmptyListIsAnEmptyArray) {
  // No element at all (what the mock writes) and an empty element.
  for (const std::string& items : {std::string(), std::string("<DeviceCertificateVOS/>"),
                                   std::string("<DeviceCertificateVOS></DeviceCertificateVOS>")}) {
    auto j = XmlAnswerToJson(ListAnswer("ListDeviceCertificate", items, "0"), BuiltinContract());
    ASSERT_TRUE(j.has_value()) << items;
    EXPECT_EQ(j->at("Data").at("DeviceCertificateVOS"), json::array()) << items;
    EXPECT_EQ(j->at("Data").at("Total"), 0);
  }
}

TEST(XmlAnswerToJson, ErrorsAndUnknownRootsStayUntyped) {
  auto e = XmlAnswerToJson("<Error><Code>X</Code><Total>1</Total></Error>", BuiltinContract());
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(*e, (json{{"Code", "X"}, {"Total", "1"}}));
  auto u = XmlAnswerToJson("<NoSuchActionResponse><Total>1</Total></NoSuchActionResponse>", BuiltinContract());
  EXPECT_EQ(*u, (json{{"Total", "1"}}));
  EXPECT_FALSE(XmlAnswerToJson("<ListDeviceCertificateResponse>", BuiltinContract()).has_value());
}

FieldSpec Field(const std::string& name, JsonType type, std::vector<FieldSpec> fields = {}) {
  return FieldSpec{name, type, std::move(fields), {}};
}

TEST(XmlToJsonTyped, NestedArraysObjectsAndLeaves) {
  const std::vector<FieldSpec> shape = {
      Field("Groups", JsonType::kArray,
            {Field("Name", JsonType::kString), Field("Members", JsonType::kArray, {Field("Id", JsonType::kNumber)}),
             Field("Owner", JsonType::kObject, {Field("Tags", JsonType::kArray)})}),
      Field("Ok", JsonType::kBoolean), Field("Bad", JsonType::kNumber), Field("Empty", JsonType::kObject)};
  const std::string xml =
      "<R><Groups><Name>g1</Name><Members><Id>7</Id></Members><Owner><Tags>t</Tags></Owner></Groups>"
      "<Groups><Name>g2</Name></Groups><Ok>true</Ok><Bad>seven</Bad><Empty/><Other>1</Other></R>";
  auto j = XmlToJson(xml, shape);
  ASSERT_TRUE(j.has_value());
  const json expected = {
      {"Groups",
       json::array(
           {{{"Name", "g1"}, {"Members", json::array({{{"Id", 7}}})}, {"Owner", {{"Tags", json::array({"t"})}}}},
            {{"Name", "g2"}, {"Members", json::array()}}})},
      {"Ok", true},
      {"Bad", "seven"},
      {"Empty", json::object()},
      {"Other", "1"}};
  EXPECT_EQ(*j, expected) << j->dump();
}

}  // namespace
}  // namespace onsmqtt::runner
