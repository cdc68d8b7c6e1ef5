#include "contract/contract.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "contract/codes.h"
#include "contract/yaml_tree.h"

namespace onsmqtt {
namespace {

std::string ContractPath() { return std::string(ONSMQTT_SOURCE_DIR) + "/contract/onsmqtt-2020-04-20.yaml"; }

TEST(Contract, FileLoadsAndMatchesTheEmbeddedCopy) {
  StatusOr<Contract> c = LoadContractFile(ContractPath());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->product, "OnsMqtt");
  EXPECT_EQ(c->version, "2020-04-20");
  StatusOr<std::string> text = yaml::ReadFile(ContractPath());
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, BuiltinContractText()) << "rebuild: the embedded contract is stale";
  EXPECT_EQ(BuiltinContract().operations.size(), c->operations.size());
}

TEST(Contract, BuiltinIsWhatParsingTheFileGives) {
  StatusOr<std::string> text = yaml::ReadFile(ContractPath());
  ASSERT_TRUE(text.ok());
  StatusOr<Contract> parsed = ParseContract(*text, BuiltinContractPath());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const Contract& builtin = BuiltinContract();
  EXPECT_EQ(builtin.operations.size(), parsed->operations.size());
  EXPECT_EQ(builtin.errors.size(), parsed->errors.size());
  EXPECT_EQ(builtin.OperationNames(), parsed->OperationNames());
  const ErrorSpec* b = builtin.FindError("MqttInstanceNotFound");
  const ErrorSpec* p = parsed->FindError("MqttInstanceNotFound");
  ASSERT_NE(b, nullptr);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(b->message, p->message);
  EXPECT_EQ(b->statuses, p->statuses);
  EXPECT_EQ(b->mock_status, p->mock_status);
  EXPECT_EQ(b->loc.ToString(), p->loc.ToString());
  EXPECT_EQ(builtin.FindOperation("GetCaCertificate")->loc.ToString(),
            parsed->FindOperation("GetCaCertificate")->loc.ToString());
  EXPECT_EQ(builtin.profiles, parsed->profiles);
}

TEST(Contract, HasEveryOperationOfTheCertificateFamily) {
  const Contract& c = BuiltinContract();
  const std::set<std::string> expected = {
      "ActiveDeviceCertificate", "InactivateDeviceCertificate", "DeleteDeviceCertificate", "GetDeviceCertificate",
      "ListDeviceCertificate",   "ListDeviceCertificateByCaSn", "GetRegisterCode",         "RegisterCaCertificate",
      "ActiveCaCertificate",     "InactivateCaCertificate",     "DeleteCaCertificate",     "GetCaCertificate",
      "ListCaCertificate"};
  std::vector<std::string> names = c.OperationNames();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
}

TEST(Contract, ActiveDeviceCertificateIsAsDocumented) {
  const OperationSpec* op = BuiltinContract().FindOperation("ActiveDeviceCertificate");
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->sdk_method, HttpMethod::kPost);
  EXPECT_TRUE(op->Accepts(HttpMethod::kGet));
  EXPECT_TRUE(op->Accepts(HttpMethod::kPost));
  EXPECT_EQ(op->ram_action, "mq:ActiveDeviceCertificate");
  EXPECT_EQ(op->kind, OperationKind::kWrite);
  ASSERT_EQ(op->parameters.size(), 3u);
  EXPECT_EQ(op->parameters[0].name, "MqttInstanceId");
  EXPECT_EQ(op->parameters[1].name, "DeviceSn");
  ASSERT_NE(op->FindParameter("CaSn"), nullptr);
  EXPECT_EQ(op->FindParameter("CaSn")->max_bytes, 128u);
  for (const auto& p : op->parameters) EXPECT_TRUE(p.required) << p.name;
  ASSERT_EQ(op->response.size(), 2u);
  EXPECT_EQ(op->response[1].name, "DeviceSn");
  EXPECT_EQ(op->response[1].type, JsonType::kString);
  EXPECT_EQ(BuiltinContract().rate_limit.calls_per_second, 500);
  EXPECT_EQ(BuiltinContract().rate_limit.error_code, "Throttling.User");
}

TEST(Contract, InactivateUsesTheUnregisterRamAction) {
  EXPECT_EQ(BuiltinContract().FindOperation("InactivateDeviceCertificate")->ram_action,
            "mq:UnregisterDeviceCertificate");
}

TEST(Contract, ListShapesKeepNumbersAndStrings) {
  const OperationSpec* op = BuiltinContract().FindOperation("ListDeviceCertificateByCaSn");
  ASSERT_NE(op, nullptr);
  const FieldSpec& data = op->response.at(1);
  ASSERT_EQ(data.type, JsonType::kObject);
  std::map<std::string, const FieldSpec*> by_name;
  for (const auto& f : data.fields) by_name[f.name] = &f;
  EXPECT_EQ(by_name.at("Total")->type, JsonType::kNumber);
  EXPECT_EQ(by_name.at("PageNo")->type, JsonType::kNumber);
  const FieldSpec* vos = by_name.at("DeviceCertificateVOS");
  ASSERT_EQ(vos->type, JsonType::kArray);
  bool saw_status = false;
  for (const auto& f : vos->fields) {
    if (f.name == "Status" || f.name == "ValidBegin") {
      EXPECT_EQ(f.type, JsonType::kString) << f.name;
    }
    saw_status |= f.name == "Status";
  }
  EXPECT_TRUE(saw_status);
  ASSERT_TRUE(op->FindParameter("PageSize")->integer.has_value());
  EXPECT_EQ(op->FindParameter("PageSize")->integer->min, 1);
  EXPECT_EQ(op->FindParameter("PageSize")->integer->max, 100);
}

struct ExpectedError {
  const char* code;
  std::vector<int> statuses;  // must all be documented
  int mock_status;
  const char* message;
};

TEST(Contract, ErrorCatalogueHasTheDocumentedCodesAndStatuses) {
  const std::vector<ExpectedError> table = {
      {"ParameterFieldCheckFailed",
       {400, 500},
       400,
       "Failed to validate the parameters. The parameters may be missing or invalid."},
      {"FindDeviceBySnError", {500}, 500, "Failed to find the device certificate by the SN. Please check sn is valid"},
      {"MqttInstanceNotFound", {500, 400}, 500, "Specified instance is not found"},
      {"PermissionCheckFailed", {403}, 403, "Failed to verify API permissions."},
      {"MqttOwnerCheckError", {403, 500}, 403, "Failed to validate the instance permission"},
      {"FindCaBySnError", {500, 400}, 500, "Failed to find the CA by the SN. Please check sn is valid."},
      {"SystemOverFlow", {500, 403}, 500, nullptr},
      {"ApiNotSupport", {404}, 404, "The specified API is not supported."},
      {"IncompleteSignature", {400}, 400, nullptr},
      {"MissingParameter", {400}, 400, nullptr},
      {"SignatureDoesNotMatch", {400}, 400, nullptr},
      {"InvalidAccessKeyId.NotFound", {404}, 404, nullptr},
      {"InvalidAccessKeyId.Inactive", {400}, 400, nullptr},
      {"InvalidTimeStamp.Format", {400}, 400, nullptr},
      {"InvalidTimeStamp.Expired", {400}, 400, nullptr},
      {"SignatureNonceUsed", {400}, 400, nullptr},
      {"MissingSecurityToken", {400}, 400, "SecurityToken is mandatory for this action."},
      {"InvalidSecurityToken.Expired", {400, 403}, 400, "Specified SecurityToken is expired."},
      {"InvalidSecurityToken.Malformed", {400}, 400, "Specified SecurityToken is malformed."},
      {"InvalidSecurityToken.MismatchWithAccessKey",
       {400},
       400,
       "Specified SecurityToken mismatch with the AccessKey."},
      {"InvalidVersion", {400}, 400, nullptr},
      {"InvalidAction.NotFound", {404}, 404, "Specified api is not found, please check your url and method."},
      {"Throttling.User", {400, 429}, 400, "Request was denied due to user flow control."},
  };
  const Contract& c = BuiltinContract();
  for (const auto& row : table) {
    const ErrorSpec* e = c.FindError(row.code);
    ASSERT_NE(e, nullptr) << row.code;
    for (int s : row.statuses) EXPECT_TRUE(e->Documents(s)) << row.code << " " << s;
    EXPECT_EQ(e->mock_status, row.mock_status) << row.code;
    if (row.message != nullptr) {
      EXPECT_EQ(e->message, row.message) << row.code;
    }
  }
  EXPECT_EQ(c.FindError("ParameterFieldCheckFailed")->mock_status_invalid, 500);
  EXPECT_EQ(c.FindError("MissingParameter")->FormatMessage("Timestamp").find("\"Timestamp\""), 20u);
}

TEST(Contract, EveryCodeTheCodeNamesIsInTheFile) {
  for (const char* code : codes::kAll) EXPECT_NE(BuiltinContract().FindError(code), nullptr) << code;
}

TEST(Contract, AdjustedProfileFollowsTheAnnouncement) {
  const auto& adjusted = BuiltinContract().profiles.at("adjusted");
  EXPECT_EQ(adjusted.at("MqttInstanceNotFound"), 400);
  EXPECT_EQ(adjusted.at("ParameterFieldCheckFailed"), 400);
  EXPECT_EQ(adjusted.at("MqttOwnerCheckError"), 403);
  EXPECT_EQ(adjusted.at("FindCaBySnError"), 400);
  EXPECT_EQ(adjusted.at("SystemOverFlow"), 403);
}

TEST(Contract, EnvelopeTemplates) {
  const Contract& c = BuiltinContract();
  EXPECT_EQ(c.HostId("cn-hangzhou"), "onsmqtt.cn-hangzhou.aliyuncs.com");
  EXPECT_EQ(c.Endpoint("cn-shanghai"), "https://onsmqtt.cn-shanghai.aliyuncs.com/");
  EXPECT_EQ(c.Recommend("X", "ID"), "https://api.aliyun.com/troubleshoot?q=X&product=OnsMqtt&requestId=ID");
}

// --- A deliberately broken copy yields a positioned error ----------------------

std::string Mutated(const std::string& from, const std::string& to) {
  std::string text = BuiltinContractText();
  size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  text.replace(pos, from.size(), to);
  return text;
}

int LineOf(const std::string& text, const std::string& needle) {
  size_t pos = text.find(needle);
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(pos), '\n'));
}

struct Broken {
  const char* name;
  std::string from;
  std::string to;
  std::string locate;  // text whose first occurrence in the mutated file is the error line
  int column;
  std::string message_part;
};

void PrintTo(const Broken& b, std::ostream* os) { *os << b.name; }

class BrokenContract : public ::testing::TestWithParam<Broken> {};

TEST_P(BrokenContract, ReportsFileLineColumn) {
  const Broken& b = GetParam();
  std::string text = Mutated(b.from, b.to);
  StatusOr<Contract> c = ParseContract(text, "broken.yaml");
  ASSERT_FALSE(c.ok());
  ASSERT_TRUE(c.status().location().has_value()) << c.status().ToString();
  EXPECT_EQ(c.status().location()->file, "broken.yaml");
  EXPECT_EQ(c.status().location()->line, LineOf(text, b.locate)) << c.status().ToString();
  EXPECT_EQ(c.status().location()->column, b.column) << c.status().ToString();
  EXPECT_NE(c.status().message().find(b.message_part), std::string::npos) << c.status().ToString();
  EXPECT_EQ(c.status().ToString().rfind("broken.yaml:" + std::to_string(LineOf(text, b.locate)) + ":", 0), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BrokenContract,
    ::testing::Values(
        Broken{
            "misspelled_key",
            "    sdk_method: POST\n    accepted_methods: [GET, POST]\n    ram_action: \"mq:ActiveDeviceCertificate\"",
            "    sdk_methd: POST\n    accepted_methods: [GET, POST]\n    ram_action: \"mq:ActiveDeviceCertificate\"",
            "sdk_methd", 5, "did you mean \"sdk_method\""},
        Broken{"bad_status", "    statuses: [403]\n", "    statuses: [40x]\n", "[40x]", 16, "must be an integer"},
        Broken{"unknown_type", "      DeviceSn: string\n    errors: [ParameterFieldCheckFailed, FindDeviceBySnError",
               "      DeviceSn: strin\n    errors: [ParameterFieldCheckFailed, FindDeviceBySnError",
               "DeviceSn: strin\n", 17, "did you mean \"string\""},
        Broken{"duplicate_key", "  FindDeviceBySnError:\n    origin: service\n",
               "  FindDeviceBySnError:\n    origin: service\n    origin: gateway\n", "    origin: gateway", 5,
               "duplicate key \"origin\""},
        Broken{"unknown_code",
               "PermissionCheckFailed, MqttOwnerCheckError, ApiNotSupport]\n\n  InactivateDeviceCertificate",
               "PermissionCheckFailed, MqttOwnerCheckEror, ApiNotSupport]\n\n  InactivateDeviceCertificate",
               "MqttOwnerCheckEror", 37, "unknown error code \"MqttOwnerCheckEror\""},
        Broken{"syntax", "  GetRegisterCode:\n    sdk_method: GET", "  GetRegisterCode:\n    sdk_method: [GET",
               "    accepted_methods: [GET, POST]\n    ram_action: \"mq:GetRegisterCode\"", 21,
               "end of sequence flow not found"}),
    [](const auto& info) { return std::string(info.param.name); });

// The host -> region rule both programs use, from the contract's host_id.
TEST(Contract, RegionFromHostFollowsTheHostPattern) {
  const Contract& c = BuiltinContract();
  ASSERT_EQ(c.host_id, "onsmqtt.{region}.aliyuncs.com");
  EXPECT_EQ(c.RegionFromHost(c.HostId("cn-hangzhou")), "cn-hangzhou");
  EXPECT_EQ(c.RegionFromHost("ONSMQTT.cn-beijing.aliyuncs.com:443"), "cn-beijing");
  EXPECT_EQ(c.RegionFromHost("onsmqtt-vpc.ap-southeast-1.aliyuncs.com"), "ap-southeast-1");
  EXPECT_EQ(c.RegionFromHost("127.0.0.1:8080"), "");
  EXPECT_EQ(c.RegionFromHost("[::1]:8080"), "");
  EXPECT_EQ(c.RegionFromHost("onsmqtt.aliyuncs.com"), "");
  EXPECT_EQ(c.RegionFromHost("onsmqtt.a.b.aliyuncs.com"), "");
  EXPECT_EQ(c.RegionFromHost("mqtt.cn-hangzhou.aliyuncs.com"), "");
}

// The runner had a rule of its own: the label after "onsmqtt." or
// "onsmqtt-vpc.", whatever followed and case-sensitively. The contract's
// pattern decides now, for both programs: a host outside aliyuncs.com names
// no region (the runner asks for `region:` in the --vars file), and a host
// written in capitals names the same region as in small letters.
TEST(Contract, RegionFromHostIsTheContractsPatternNotAPrefix) {
  const Contract& c = BuiltinContract();
  EXPECT_EQ(c.RegionFromHost("onsmqtt.cn-hangzhou.example.com"), "");              // was "cn-hangzhou" in the runner
  EXPECT_EQ(c.RegionFromHost("onsmqtt.cn-hangzhou.aliyuncs.com.cn"), "");          // was "cn-hangzhou" in the runner
  EXPECT_EQ(c.RegionFromHost("ONSMQTT.CN-HANGZHOU.ALIYUNCS.COM"), "cn-hangzhou");  // was "" in the runner
}

}  // namespace
}  // namespace onsmqtt
