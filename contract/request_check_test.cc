// contract/request_check.h: each rule, its message, the order, and no false
// positive on any operation's documented parameters.
#include "contract/request_check.h"

#include <gtest/gtest.h>

#include "contract/clock.h"
#include "contract/signer.h"

namespace onsmqtt {
namespace {

const OperationSpec& Op(const std::string& name) {
  const OperationSpec* op = BuiltinContract().FindOperation(name);
  EXPECT_NE(op, nullptr) << name;
  return *op;
}

ParamList Activate() { return {{"MqttInstanceId", "post-cn-1"}, {"DeviceSn", "abc"}, {"CaSn", "def"}}; }

std::vector<std::string> Rules(const std::vector<Violation>& v) {
  std::vector<std::string> out;
  for (const Violation& x : v) out.push_back(x.rule + ":" + x.parameter);
  return out;
}

using Rs = std::vector<std::string>;

TEST(CheckRequestParams, ACorrectRequestHasNone) {
  EXPECT_TRUE(CheckRequestParams(Op("ActiveDeviceCertificate"), Activate()).empty());
}

// Every operation, every documented parameter, valid values at the edges:
// the shortest and the longest allowed, an integer's min and max.
TEST(CheckRequestParams, NoFalsePositiveOnAnyOperation) {
  for (const OperationSpec& op : BuiltinContract().operations) {
    for (int edge = 0; edge < 2; ++edge) {
      ParamList params;
      for (const ParameterSpec& p : op.parameters) {
        std::string value = "x";
        if (p.integer) {
          value = std::to_string(edge == 0 || !p.integer->max ? p.integer->min : *p.integer->max);
        } else if (edge == 1) {
          value = p.max_bytes ? std::string(*p.max_bytes, 'a') : std::string(4000, 'b');
        }
        params.emplace_back(p.name, value);
      }
      SCOPED_TRACE(op.name + " edge " + std::to_string(edge));
      EXPECT_EQ(Rules(CheckRequestParams(op, params)), Rs{});
    }
  }
}

TEST(CheckRequestParams, UnknownWithDidYouMean) {
  ParamList params = Activate();
  params[1].first = "DeviceSN";
  std::vector<Violation> v = CheckRequestParams(Op("ActiveDeviceCertificate"), params);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0],
            (Violation{"parameter.missing", "DeviceSn", "DeviceSn is required by ActiveDeviceCertificate and absent"}));
  EXPECT_EQ(v[1], (Violation{"parameter.unknown", "DeviceSN",
                             "DeviceSN is not a parameter of ActiveDeviceCertificate (did you mean DeviceSn?)"}));
}

TEST(CheckRequestParams, UnknownFarFromEveryNameListsThem) {
  ParamList params = Activate();
  params.emplace_back("RegionId", "cn-hangzhou");
  std::vector<Violation> v = CheckRequestParams(Op("ActiveDeviceCertificate"), params);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, rules::kParameterUnknown);
  EXPECT_EQ(v[0].message,
            "RegionId is not a parameter of ActiveDeviceCertificate (its parameters: MqttInstanceId, DeviceSn, CaSn)");
  params.back().first = "";
  EXPECT_EQ(CheckRequestParams(Op("ActiveDeviceCertificate"), params)
                .at(0)
                .message.rfind("A parameter with an empty name is not a parameter of ActiveDeviceCertificate", 0),
            0u);
}

TEST(CheckRequestParams, MissingAndEmpty) {
  std::vector<Violation> v = CheckRequestParams(Op("ActiveDeviceCertificate"), {{"DeviceSn", ""}, {"CaSn", "def"}});
  EXPECT_EQ(Rules(v), (Rs{"parameter.missing:MqttInstanceId", "parameter.empty:DeviceSn"}));
  EXPECT_EQ(v[1].message, "DeviceSn is required by ActiveDeviceCertificate and empty");
  EXPECT_EQ(Rules(CheckRequestParams(Op("GetRegisterCode"), {})), (Rs{"parameter.missing:MqttInstanceId"}));
}

TEST(CheckRequestParams, TooLongCountsBytes) {
  ParamList params = Activate();
  params[2].second = std::string(128, 'c');
  EXPECT_TRUE(CheckRequestParams(Op("ActiveDeviceCertificate"), params).empty());
  params[2].second = std::string(129, 'c');
  std::vector<Violation> v = CheckRequestParams(Op("ActiveDeviceCertificate"), params);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0], (Violation{"parameter.too_long", "CaSn",
                             "CaSn of ActiveDeviceCertificate is 129 bytes long; at most 128 are allowed"}));
  params[2].second = std::string(64, '\xe4') + std::string(1, 'x');  // 65 bytes of a multibyte text
  EXPECT_TRUE(CheckRequestParams(Op("ActiveDeviceCertificate"), params).empty());
}

TEST(CheckRequestParams, IntegersAndTheirRange) {
  const OperationSpec& list = Op("ListDeviceCertificate");
  auto check = [&](const std::string& page_no, const std::string& page_size) {
    return CheckRequestParams(list, {{"MqttInstanceId", "i"}, {"PageNo", page_no}, {"PageSize", page_size}});
  };
  EXPECT_TRUE(check("1", "100").empty());
  EXPECT_TRUE(check("999999", "1").empty());
  EXPECT_EQ(Rules(check("0", "101")), (Rs{"parameter.type:PageNo", "parameter.type:PageSize"}));
  EXPECT_EQ(check("0", "1").at(0).message, "PageNo of ListDeviceCertificate must be an integer >= 1, got \"0\"");
  EXPECT_EQ(check("1", "ten").at(0).message,
            "PageSize of ListDeviceCertificate must be an integer in 1..100, got \"ten\"");
  for (const char* bad : {"1.0", " 1", "+1", "0x10", "-", "1234567890123456789"}) {
    EXPECT_EQ(Rules(check(bad, "1")), (Rs{"parameter.type:PageNo"})) << bad;
  }
  std::vector<Violation> v = check(std::string(100, '9'), "1");
  EXPECT_NE(v.at(0).message.find("...\" (100 bytes)"), std::string::npos) << v[0].message;
}

TEST(CheckRequestParams, DuplicatesOfKnownAndUnknownNames) {
  ParamList params = Activate();
  params.emplace_back("DeviceSn", "other");
  params.emplace_back("Extra", "1");
  params.emplace_back("Extra", "2");
  params.emplace_back("DeviceSn", "third");
  std::vector<Violation> v = CheckRequestParams(Op("ActiveDeviceCertificate"), params);
  EXPECT_EQ(Rules(v), (Rs{"parameter.duplicate:DeviceSn", "parameter.unknown:Extra", "parameter.duplicate:Extra"}));
  EXPECT_EQ(v[0].message, "DeviceSn is given 3 times to ActiveDeviceCertificate (the first one is read)");
}

// Contract order for the operation's parameters, then wire order for the
// rest: the same request gives the same list every time.
TEST(CheckRequestParams, OrderIsDeterministic) {
  ParamList params = {{"Zeta", "1"}, {"PageSize", "0"}, {"alpha", "1"}, {"PageNo", ""}};
  const Rs expected = {"parameter.missing:MqttInstanceId", "parameter.empty:PageNo", "parameter.type:PageSize",
                       "parameter.unknown:Zeta", "parameter.unknown:alpha"};
  EXPECT_EQ(Rules(CheckRequestParams(Op("ListCaCertificate"), params)), expected);
  EXPECT_EQ(Rules(CheckRequestParams(Op("ListCaCertificate"), params)), expected);
}

TEST(ParseDecimalInteger, TheServiceReading) {
  int64_t n = 0;
  EXPECT_TRUE(ParseDecimalInteger("-42", &n));
  EXPECT_EQ(n, -42);
  EXPECT_TRUE(ParseDecimalInteger("999999999999999999", &n));
  for (const char* bad : {"", "-", "1e3", "1 ", "9999999999999999999"})
    EXPECT_FALSE(ParseDecimalInteger(bad, &n)) << bad;
}

}  // namespace
}  // namespace onsmqtt
