#include "mock_server/gateway/render.h"

#include <gtest/gtest.h>

#include "contract/codes.h"

namespace onsmqtt::mock {
namespace {

TEST(RenderTest, FormatParameter) {
  EXPECT_EQ(ParseBodyFormat("XML"), BodyFormat::kXml);
  EXPECT_EQ(ParseBodyFormat("xml"), BodyFormat::kXml);
  EXPECT_EQ(ParseBodyFormat("JSON"), BodyFormat::kJson);
  EXPECT_EQ(ParseBodyFormat(""), BodyFormat::kJson);
  EXPECT_EQ(ParseBodyFormat("XMLX"), BodyFormat::kJson);
  EXPECT_STREQ(ContentTypeFor(BodyFormat::kXml), "text/xml;charset=utf-8");
  EXPECT_STREQ(ContentTypeFor(BodyFormat::kJson), "application/json;charset=utf-8");
}

TEST(RenderTest, SuccessPutsRequestIdFirst) {
  nlohmann::json body = {{"DeviceSn", "ab"}, {"Data", {{"Total", 2}, {"Items", {{{"Sn", "1"}}, {{"Sn", "2"}}}}}}};
  EXPECT_EQ(RenderSuccess(BodyFormat::kJson, "X", "ID", body),
            R"({"RequestId":"ID","Data":{"Items":[{"Sn":"1"},{"Sn":"2"}],"Total":2},"DeviceSn":"ab"})");
  EXPECT_EQ(RenderSuccess(BodyFormat::kXml, "ListX", "ID", body),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListXResponse><RequestId>ID</RequestId><Data>"
            "<Items><Sn>1</Sn></Items><Items><Sn>2</Sn></Items><Total>2</Total></Data><DeviceSn>ab</DeviceSn>"
            "</ListXResponse>");
}

TEST(RenderTest, ErrorEnvelopeInOrderFromTheContract) {
  const Contract& c = BuiltinContract();
  ApiError e{403, codes::kMqttOwnerCheckError, "m<&>"};
  EXPECT_EQ(
      RenderError(BodyFormat::kJson, c, "cn-beijing", "ID", e),
      R"({"RequestId":"ID","HostId":"onsmqtt.cn-beijing.aliyuncs.com","Code":"MqttOwnerCheckError",)"
      R"("Message":"m<&>","Recommend":"https://api.aliyun.com/troubleshoot?q=MqttOwnerCheckError&product=OnsMqtt&requestId=ID"})");
  std::string xml = RenderError(BodyFormat::kXml, c, "cn-beijing", "ID", e, {{"AuthAction", "mq:X"}});
  EXPECT_NE(xml.find("<Error><RequestId>ID</RequestId><HostId>onsmqtt.cn-beijing.aliyuncs.com</HostId>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<Message>m&lt;&amp;&gt;</Message>"), std::string::npos);
  EXPECT_NE(xml.find("<AccessDeniedDetail><AuthAction>mq:X</AuthAction></AccessDeniedDetail></Error>"),
            std::string::npos);
  std::string with_detail = RenderError(BodyFormat::kJson, c, "r", "ID", e, {{"AuthAction", "mq:X"}});
  EXPECT_NE(with_detail.find(R"(,"AccessDeniedDetail":{"AuthAction":"mq:X"}})"), std::string::npos);
}

TEST(RenderTest, XmlEscape) { EXPECT_EQ(XmlEscape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;"); }

}  // namespace
}  // namespace onsmqtt::mock
