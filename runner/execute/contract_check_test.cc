#include "runner/execute/contract_check.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <span>
#include <sstream>

#include "runner/scenario/keys.h"

namespace onsmqtt::runner {
namespace {

using nlohmann::json;

constexpr char kRid[] = "020F6A43-19E6-4B6E-B846-44EB31DF0A1B";
const SourceLocation kLoc{"s.yaml", 3, 5};

const Contract& C() { return BuiltinContract(); }

Answer Make(int status, json body, const std::string& content_type = "application/json;charset=utf-8") {
  Answer a;
  a.status = status;
  a.headers = {{"Content-Type", content_type}, {"x-acs-request-id", kRid}};
  a.body = body.dump();
  a.json = std::move(body);
  return a;
}

json Envelope(const std::string& code) {
  return {{"RequestId", kRid},
          {"HostId", "onsmqtt.cn-shanghai.aliyuncs.com"},
          {"Code", code},
          {"Message", "whatever the service says"},
          {"Recommend", C().Recommend(code, kRid)}};
}

std::vector<AssertionFailure> Check(const Answer& a, const std::string& action) {
  std::vector<AssertionFailure> f;
  CheckContractShape(a, C().FindOperation(action), C(), kLoc, &f);
  return f;
}

std::string Paths(const std::vector<AssertionFailure>& f) {
  std::string out;
  for (const auto& x : f) out += x.path + "|";
  return out;
}

TEST(ContractCheckTest, SuccessWithDocumentedFieldsPasses) {
  EXPECT_TRUE(Check(Make(200, {{"RequestId", kRid}, {"DeviceSn", "ab"}}), "ActiveDeviceCertificate").empty());
  json vo = {{"CaSn", "a"},   {"DeviceContent", "p"}, {"DeviceName", "n"}, {"DeviceSn", "d"},
             {"Status", "1"}, {"ValidBegin", "1"},    {"ValidEnd", "2"}};
  json list = {{"RequestId", kRid},
               {"Data", {{"Total", 1}, {"PageNo", 1}, {"PageSize", 10}, {"DeviceCertificateVOS", json::array({vo})}}}};
  EXPECT_TRUE(Check(Make(200, list), "ListDeviceCertificate").empty());
}

TEST(ContractCheckTest, MissingAndMistypedFields) {
  json vo = {{"CaSn", "a"},     {"DeviceContent", "p"}, {"DeviceName", "n"},
             {"DeviceSn", "d"}, {"Status", 1},          {"ValidBegin", "1"}};  // Status a number, ValidEnd missing
  json list = {
      {"RequestId", kRid},
      {"Data", {{"Total", "1"}, {"PageNo", 1}, {"PageSize", 10}, {"DeviceCertificateVOS", json::array({vo})}}}};
  std::vector<AssertionFailure> f = Check(Make(200, list), "ListDeviceCertificate");
  ASSERT_EQ(f.size(), 3u) << Paths(f);
  EXPECT_EQ(f[0].path, "$.Data.Total");
  EXPECT_EQ(f[0].expected, "a number");
  EXPECT_EQ(f[0].actual, "\"1\"");
  EXPECT_EQ(f[1].path, "$.Data.DeviceCertificateVOS[0].Status");
  EXPECT_EQ(f[1].expected, "a string");
  EXPECT_EQ(f[1].actual, "1");
  EXPECT_EQ(f[2].path, "$.Data.DeviceCertificateVOS[0].ValidEnd");
  EXPECT_EQ(f[2].actual, "absent");
  for (const auto& x : f) {
    EXPECT_EQ(x.kind, FailureKind::kContract);
    EXPECT_EQ(x.loc.ToString(), "s.yaml:3:5");
  }
}

TEST(ContractCheckTest, RequestIdFormatAndHeader) {
  Answer a = Make(200, {{"RequestId", "not-a-uuid"}, {"DeviceSn", "ab"}});
  std::vector<AssertionFailure> f = Check(a, "ActiveDeviceCertificate");
  EXPECT_EQ(Paths(f), "$.RequestId|x-acs-request-id|");
  a = Make(200, {{"RequestId", kRid}, {"DeviceSn", "ab"}});
  a.headers.pop_back();
  f = Check(a, "ActiveDeviceCertificate");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "x-acs-request-id");
  EXPECT_EQ(f[0].actual, "absent");
}

TEST(ContractCheckTest, ErrorEnvelopeWithADocumentedStatusPasses) {
  EXPECT_TRUE(Check(Make(400, Envelope("MqttInstanceNotFound")), "ActiveDeviceCertificate").empty());
  EXPECT_TRUE(Check(Make(500, Envelope("MqttInstanceNotFound")), "ActiveDeviceCertificate").empty());
  // Unknown actions have no operation; the envelope is still checked.
  EXPECT_TRUE(Check(Make(404, Envelope("InvalidAction.NotFound")), "NoSuchAction").empty());
}

TEST(ContractCheckTest, StatusMustBeDocumentedForTheCode) {
  std::vector<AssertionFailure> f = Check(Make(403, Envelope("FindDeviceBySnError")), "ActiveDeviceCertificate");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "status");
  EXPECT_EQ(f[0].expected, "a status documented for FindDeviceBySnError: one of [500]");
  EXPECT_EQ(f[0].actual, "403");
}

TEST(ContractCheckTest, EnvelopeFields) {
  json body = Envelope("SignatureDoesNotMatch");
  body.erase("Recommend");
  body["HostId"] = "example.com";
  body["Message"] = 7;
  std::vector<AssertionFailure> f = Check(Make(400, body), "ActiveDeviceCertificate");
  EXPECT_EQ(Paths(f), "$.Message|$.Recommend|$.HostId|");
  f = Check(Make(400, Envelope("NotInTheCatalogue")), "ActiveDeviceCertificate");
  EXPECT_EQ(Paths(f), "$.Code|");
}

TEST(ContractCheckTest, ErrorStatusWithoutCode) {
  std::vector<AssertionFailure> f = Check(Make(500, {{"RequestId", kRid}}), "ActiveDeviceCertificate");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "$.Code");
}

TEST(ContractCheckTest, UnparseableOrNonObjectBody) {
  Answer a;
  a.status = 200;
  a.body = "garbage";
  std::vector<AssertionFailure> f = Check(a, "ActiveDeviceCertificate");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "body");
  EXPECT_EQ(f[0].actual, "\"garbage\"");
  f = Check(Make(200, json::array()), "ActiveDeviceCertificate");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "$");
}

TEST(ContractCheckTest, XmlAnswersAreCheckedForPresenceOnly) {
  // Converted from XML: every leaf is a string, so Total "1" is fine there.
  json list = {{"RequestId", kRid},
               {"Data", {{"Total", "1"}, {"PageNo", "1"}, {"PageSize", "10"}, {"CaCertificateVOS", json::array()}}}};
  EXPECT_TRUE(Check(Make(200, list, "text/xml;charset=utf-8"), "ListCaCertificate").empty());
  list["Data"].erase("PageNo");
  std::vector<AssertionFailure> f = Check(Make(200, list, "text/xml;charset=utf-8"), "ListCaCertificate");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].path, "$.Data.PageNo");
}

// The names of `table` (or of its required keys) as a set.
std::set<std::string> Names(std::span<const keys::Key> table, bool required_only = false) {
  std::set<std::string> out;
  for (const keys::Key& k : table) {
    if (k.required || !required_only) out.emplace(k.name);
  }
  return out;
}

std::set<std::string> Strings(const json& j) {
  std::set<std::string> out;
  if (j.is_array()) {
    for (const json& s : j) out.insert(s.get<std::string>());
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items()) out.insert(k);
  }
  return out;
}

// The loader's key tables (keys.h) and scenarios/scenario.schema.json
// declare the same keys, and require the same ones, for every map: a key
// added to one and not the other fails here.
TEST(ScenarioSchemaTest, DeclaresExactlyTheKeysTheLoaderAccepts) {
  std::ifstream in("scenarios/scenario.schema.json");
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  json schema = json::parse(text.str(), nullptr, false);
  ASSERT_FALSE(schema.is_discarded()) << "scenario.schema.json is not valid JSON";
  EXPECT_EQ(schema.value("$schema", ""), "https://json-schema.org/draft/2020-12/schema");
  struct Map {
    const char* pointer;  // the schema object that describes the map
    std::span<const keys::Key> table;
  };
  const Map maps[] = {{"", keys::kFile},
                      {"/$defs/scenario", keys::kScenario},
                      {"/$defs/scenario/properties/requires", keys::kRequires},
                      {"/$defs/step", keys::kStep},
                      {"/$defs/connect_step", keys::kConnectStep},
                      {"/$defs/connect", keys::kConnect},
                      {"/$defs/connect_expect", keys::kConnectExpect},
                      {"/$defs/expect", keys::kExpect},
                      {"/$defs/burst", keys::kBurst},
                      {"/$defs/bound/oneOf/1", keys::kBound},
                      {"/$defs/matcher/oneOf/1", keys::kMatcher}};
  for (const Map& m : maps) {
    SCOPED_TRACE(std::string("schema at \"") + m.pointer + "\"");
    const json& object = schema.at(json::json_pointer(m.pointer));
    EXPECT_EQ(object.value("additionalProperties", true), false);
    EXPECT_EQ(Strings(object.value("properties", json::object())), Names(m.table));
    EXPECT_EQ(Strings(object.value("required", json::array())), Names(m.table, true));
  }
  // A burst step's expect is the schema's expect, holding outcomes only.
  for (const std::string& key : Names(keys::kBurstExpect)) {
    EXPECT_EQ(Names(keys::kExpect).count(key), 1u) << key;
  }
  for (const std::string& op : C().OperationNames()) {
    EXPECT_NE(text.str().find("\"" + op + "\""), std::string::npos) << op;
  }
}

}  // namespace
}  // namespace onsmqtt::runner
