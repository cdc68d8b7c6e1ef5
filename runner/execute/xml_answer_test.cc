#include "runner/execute/xml_answer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "contract/contract.h"
#include "contract/json_limits.h"
#include "runner/execute/transport.h"

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
// an exception out of captures and reports). The hand-written reader then
// read such bytes, and references to surrogates, as U+FFFD; a judge must
// not repair what it judges: an answer that is not UTF-8 is not XML.
TEST(XmlToJson, InvalidUtf8AndReferencesToNonCharactersAreRefused) {
  for (const char* bad :
       {"<Error><Code>\xB3x</Code></Error>", "<Error><Message><![CDATA[\xC3]]></Message></Error>",
        "<Error><N\xFF>v</N\xFF></Error>", "<Error><S>&#xD800;</S></Error>", "<Error><S>&#x110000;</S></Error>"}) {
    EXPECT_FALSE(XmlToJson(bad).has_value()) << bad;
  }
  std::optional<json> ok = XmlToJson("<Error><S>&#xE9;\xC3\xA9&#x1F600;</S></Error>");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->at("S"), "\xC3\xA9\xC3\xA9\xF0\x9F\x98\x80");
}

// The hand-written reader took the first '>' for the end of a start tag,
// also inside an attribute value: <A x=">">v</A> read as "\">v".
TEST(XmlToJson, AGreaterThanInAnAttributeValueDoesNotEndTheTag) {
  std::optional<json> got = XmlToJson("<R><A x=\">\">v</A><B y='a>b' z=\"/>\"/></R>");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, (json{{"A", "v"}, {"B", ""}}));
  EXPECT_EQ(XmlRootName("<A x=\">\">v</A>"), "A");
}

std::string ErrorOf(std::string_view xml) {
  StatusOr<json> got = ReadXmlAnswer(xml, BuiltinContract());
  if (got.ok()) return "accepted: " + got->dump(-1, ' ', false, json::error_handler_t::replace);
  EXPECT_EQ(got.status().code(), Status::Code::kInvalidArgument);
  return got.status().message();
}

// The hand-written reader accepted all but the unclosed, the mismatched and
// the empty one, dropping, keeping or repairing the offending text, and
// never said where.
TEST(ReadXmlAnswer, MalformedAnswersAreErrorsThatSayWhere) {
  const std::pair<const char*, const char*> cases[] = {
      {"<R>\n  <A>a & b</A>\n</R>", "line 2, column 9: xmlParseEntityRef: no name"},
      {"<R><A>x</A></R>\njunk", "line 2, column 1: Extra content at the end of the document"},
      {"<R><A>&#12abc;</A></R>", "line 1, column 11: CharRef: invalid decimal value"},
      {"<R/>\n<S/>", "line 2, column 1: Extra content at the end of the document"},
      {"<R><A>&nbsp;</A></R>", "line 1, column 13: Entity 'nbsp' not defined"},
      {"<R>\n<A>x</A>", "line 2, column 9: Premature end of data in tag R line 1"},
      {"<R><A>x</B></R>", "line 1, column 12: Opening and ending tag mismatch: A line 1 and B"},
      {"<R><A>&#xD800;</A></R>", "line 1, column 15: xmlParseCharRef: invalid xmlChar value 55296"},
      {"<R><A>\xB3</A></R>",
       "line 1, column 7: Input is not proper UTF-8, indicate encoding ! Bytes: 0xB3 0x3C 0x2F 0x41"},
      {"", "line 1, column 1: Document is empty"},
      {"<a:R/>", "line 1, column 5: Namespace prefix a on R is not defined"},
  };
  for (const auto& [xml, where_what] : cases) {
    EXPECT_EQ(ErrorOf(xml), std::string("not well-formed XML at ") + where_what) << xml;
  }
}

// No DTD is read: not an external entity (a file or a URL), nor internal
// entities that expand exponentially ("billion laughs").
TEST(ReadXmlAnswer, ADoctypeIsRefusedBeforeItIsRead) {
  const std::string laughs =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE R [<!ENTITY a \"aaaaaaaaaa\">"
      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
      "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\"><!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
      "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\"><!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">]>"
      "<R><A>&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;</A></R>";
  const std::string cases[] = {
      laughs,
      "<?xml version=\"1.0\"?>\n<!DOCTYPE R [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><R><A>&x;</A></R>",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE R SYSTEM \"http://127.0.0.1:9/r.dtd\"><R><A>v</A></R>",
      "<?xml version=\"1.0\"?>\n<!DOCTYPE R><R><A>v</A></R>",
  };
  for (const std::string& xml : cases) {
    EXPECT_THAT(ErrorOf(xml), testing::StartsWith("XML with a DOCTYPE (at line 2, column ")) << xml;
  }
}

std::string Nested(int depth) {
  std::string out;
  for (int i = 0; i < depth; ++i) out += "<E>";
  out += "v";
  for (int i = 0; i < depth; ++i) out += "</E>";
  return out;
}

// As for JSON answers (contract/json_limits.h): the root and 64 levels
// below it make JSON nested 64 levels.
TEST(ReadXmlAnswer, NestingIsBoundedLikeJsonAnswers) {
  StatusOr<json> deepest = ReadXmlAnswer(Nested(65), BuiltinContract());
  ASSERT_TRUE(deepest.ok()) << deepest.status().message();
  EXPECT_TRUE(CheckJsonDepth(deepest->dump()).ok());
  EXPECT_EQ(ErrorOf(Nested(66)), "XML nested deeper than 64 levels (at line 1, column 198)");
  EXPECT_EQ(ErrorOf(Nested(1'000'000)), "XML nested deeper than 64 levels (at line 1, column 198)");
}

TEST(ReadXmlAnswer, AnswersLargerThanTheTransportReadsAreRefused) {
  const std::string big = "<R><A>" + std::string(kMaxAnswerBytes, 'x') + "</A></R>";
  EXPECT_EQ(ErrorOf(big), "XML of " + std::to_string(big.size()) + " bytes; at most 16777216 are read");
}

// libxml2 keeps parser state per call and reports errors through a global
// handler that prints to stderr unless told otherwise.
TEST(ReadXmlAnswer, ErrorsStayWithTheirCallAndPrintNothing) {
  testing::internal::CaptureStderr();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&wrong, t] {
      for (int i = 0; i < 200; ++i) {
        const bool bad = (i + t) % 2 == 0;
        StatusOr<json> got = ReadXmlAnswer(bad ? "<R>\n<A>a & b</A></R>" : "<R><A>v</A></R>", BuiltinContract());
        if (got.ok() == bad) ++wrong;
        if (!got.ok() && got.status().message().find("at line 2") == std::string::npos) ++wrong;
        if (got.ok() && *got != json{{"A", "v"}}) ++wrong;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (const std::string& xml : {std::string("<!DOCTYPE R><R/>"), Nested(70), std::string("<a:R/>")}) {
    EXPECT_FALSE(ReadXmlAnswer(xml, BuiltinContract()).ok()) << xml;
  }
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
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
