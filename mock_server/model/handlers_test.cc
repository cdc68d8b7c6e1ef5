#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "contract/codes.h"
#include "mock_server/model/model_test_util.h"

// The operations' semantics through MockState::Handle with the real default
// fixture: the error table, the order of checks, and every operation.
namespace onsmqtt::mock {
namespace {

using testing::CodeOf;
using testing::MockHarness;

const std::string kLongSn(129, 'a');

struct ErrorCase {
  const char* name;
  const char* action;
  const char* as;
  ParamList params;
  const char* region;
  std::string code;  // "" for success
  int status;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

const ParamList kDevice = {
    {"MqttInstanceId", "${instance.platinum.id}"}, {"DeviceSn", "${device.inactive.sn}"}, {"CaSn", "${ca.a.sn}"}};

ParamList With(ParamList params, const std::string& name, const std::string& value) {
  for (auto& [k, v] : params) {
    if (k == name) {
      v = value;
      return params;
    }
  }
  params.emplace_back(name, value);
  return params;
}

ParamList Without(ParamList params, const std::string& name) {
  std::erase_if(params, [&](const Param& p) { return p.first == name; });
  return params;
}

const ErrorCase kActiveDeviceCases[] = {
    {"success", "ActiveDeviceCertificate", "owner", kDevice, "cn-hangzhou", "", 200},
    {"ram_admin_success", "ActiveDeviceCertificate", "ram_user_admin", kDevice, "cn-hangzhou", "", 200},
    {"missing_instance", "ActiveDeviceCertificate", "owner", Without(kDevice, "MqttInstanceId"), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 400},
    {"missing_device_sn", "ActiveDeviceCertificate", "owner", Without(kDevice, "DeviceSn"), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 400},
    {"missing_ca_sn", "ActiveDeviceCertificate", "owner", Without(kDevice, "CaSn"), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 400},
    {"empty_ca_sn", "ActiveDeviceCertificate", "owner", With(kDevice, "CaSn", ""), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 400},
    {"empty_device_sn", "ActiveDeviceCertificate", "owner", With(kDevice, "DeviceSn", ""), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 400},
    {"long_ca_sn", "ActiveDeviceCertificate", "owner", With(kDevice, "CaSn", kLongSn), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 500},
    {"long_device_sn", "ActiveDeviceCertificate", "owner", With(kDevice, "DeviceSn", kLongSn), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 500},
    {"sn_of_128_bytes_is_not_too_long", "ActiveDeviceCertificate", "owner", With(kDevice, "CaSn", kLongSn.substr(1)),
     "cn-hangzhou", codes::kFindDeviceBySnError, 500},
    {"unknown_device_sn", "ActiveDeviceCertificate", "owner", With(kDevice, "DeviceSn", "00ff"), "cn-hangzhou",
     codes::kFindDeviceBySnError, 500},
    {"unregistered_device", "ActiveDeviceCertificate", "owner", With(kDevice, "DeviceSn", "SN_UNREGISTERED"),
     "cn-hangzhou", codes::kFindDeviceBySnError, 500},
    {"device_of_another_ca", "ActiveDeviceCertificate", "owner", With(kDevice, "DeviceSn", "${device.c.sn}"),
     "cn-hangzhou", codes::kFindDeviceBySnError, 500},
    {"right_device_wrong_ca", "ActiveDeviceCertificate", "owner", With(kDevice, "CaSn", "${ca.c.sn}"), "cn-hangzhou",
     codes::kFindDeviceBySnError, 500},
    {"unknown_instance", "ActiveDeviceCertificate", "owner", With(kDevice, "MqttInstanceId", "post-cn-nothing"),
     "cn-hangzhou", codes::kMqttInstanceNotFound, 500},
    {"instance_in_other_region", "ActiveDeviceCertificate", "owner",
     With(kDevice, "MqttInstanceId", "${instance.other_region.id}"), "cn-hangzhou", codes::kMqttInstanceNotFound, 500},
    {"platinum_called_in_wrong_region", "ActiveDeviceCertificate", "owner", kDevice, "cn-shanghai",
     codes::kMqttInstanceNotFound, 500},
    {"other_accounts_instance",
     "ActiveDeviceCertificate",
     "owner",
     {{"MqttInstanceId", "${instance.other_account.id}"},
      {"DeviceSn", "${device.other.sn}"},
      {"CaSn", "${ca.other.sn}"}},
     "cn-hangzhou",
     codes::kMqttOwnerCheckError,
     403},
    {"owner_instance_called_by_other_account", "ActiveDeviceCertificate", "other_account", kDevice, "cn-hangzhou",
     codes::kMqttOwnerCheckError, 403},
    {"non_platinum", "ActiveDeviceCertificate", "owner", With(kDevice, "MqttInstanceId", "${instance.professional.id}"),
     "cn-hangzhou", codes::kApiNotSupport, 404},
    {"ram_user_without_permission", "ActiveDeviceCertificate", "ram_user_without_permission", kDevice, "cn-hangzhou",
     codes::kPermissionCheckFailed, 403},
    // Order of checks.
    {"permission_before_parameters",
     "ActiveDeviceCertificate",
     "ram_user_without_permission",
     {},
     "cn-hangzhou",
     codes::kPermissionCheckFailed,
     403},
    {"parameters_before_instance", "ActiveDeviceCertificate", "owner",
     With(With(kDevice, "MqttInstanceId", "post-cn-nothing"), "CaSn", ""), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 400},
    {"owner_before_edition", "ActiveDeviceCertificate", "other_account",
     With(kDevice, "MqttInstanceId", "${instance.professional.id}"), "cn-hangzhou", codes::kMqttOwnerCheckError, 403},
    {"edition_before_lookup", "ActiveDeviceCertificate", "owner",
     With(With(kDevice, "MqttInstanceId", "${instance.professional.id}"), "DeviceSn", "00ff"), "cn-hangzhou",
     codes::kApiNotSupport, 404},
    {"extra_parameters_ignored", "ActiveDeviceCertificate", "owner", With(kDevice, "Extra", "x"), "cn-hangzhou", "",
     200},
};

const ParamList kPage = {{"MqttInstanceId", "${instance.platinum.id}"}, {"PageNo", "1"}, {"PageSize", "10"}};

const ErrorCase kOtherCases[] = {
    {"list_page_size_zero", "ListDeviceCertificate", "owner", With(kPage, "PageSize", "0"), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 500},
    {"list_page_size_101", "ListDeviceCertificate", "owner", With(kPage, "PageSize", "101"), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 500},
    {"list_page_size_100", "ListDeviceCertificate", "owner", With(kPage, "PageSize", "100"), "cn-hangzhou", "", 200},
    {"list_page_no_zero", "ListDeviceCertificate", "owner", With(kPage, "PageNo", "0"), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 500},
    {"list_page_no_text", "ListDeviceCertificate", "owner", With(kPage, "PageNo", "one"), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 500},
    {"list_page_no_huge", "ListDeviceCertificate", "owner", With(kPage, "PageNo", "9999999999999999999999"),
     "cn-hangzhou", codes::kParameterFieldCheckFailed, 500},
    {"list_page_no_empty", "ListDeviceCertificate", "owner", With(kPage, "PageNo", ""), "cn-hangzhou",
     codes::kParameterFieldCheckFailed, 400},
    {"list_by_unknown_ca", "ListDeviceCertificateByCaSn", "owner", With(kPage, "CaSn", "SN_UNREGISTERED_CA"),
     "cn-hangzhou", codes::kFindCaBySnError, 500},
    {"list_by_ca_of_other_instance", "ListDeviceCertificateByCaSn", "owner", With(kPage, "CaSn", "${ca.other.sn}"),
     "cn-hangzhou", codes::kFindCaBySnError, 500},
    {"get_ca_unknown",
     "GetCaCertificate",
     "owner",
     {{"MqttInstanceId", "${instance.platinum.id}"}, {"Sn", "SN_UNREGISTERED_CA"}},
     "cn-hangzhou",
     codes::kFindCaBySnError,
     500},
    {"active_ca_unknown",
     "ActiveCaCertificate",
     "owner",
     {{"MqttInstanceId", "${instance.platinum.id}"}, {"Sn", "00"}},
     "cn-hangzhou",
     codes::kFindCaBySnError,
     500},
    {"inactivate_ca_unknown",
     "InactivateCaCertificate",
     "owner",
     {{"MqttInstanceId", "${instance.platinum.id}"}, {"Sn", "00"}},
     "cn-hangzhou",
     codes::kFindCaBySnError,
     500},
    {"delete_ca_of_other_instance",
     "DeleteCaCertificate",
     "owner",
     {{"MqttInstanceId", "${instance.platinum.id}"}, {"Sn", "${ca.other.sn}"}},
     "cn-hangzhou",
     codes::kFindCaBySnError,
     500},
    {"get_register_code_other_region",
     "GetRegisterCode",
     "owner",
     {{"MqttInstanceId", "${instance.other_region.id}"}},
     "cn-shanghai",
     "",
     200},
    {"get_device_wrong_ca", "GetDeviceCertificate", "owner", With(kDevice, "CaSn", "${ca.b.sn}"), "cn-hangzhou",
     codes::kFindDeviceBySnError, 500},
    {"delete_device_unknown", "DeleteDeviceCertificate", "owner", With(kDevice, "DeviceSn", "00ff"), "cn-hangzhou",
     codes::kFindDeviceBySnError, 500},
    {"inactivate_device_unknown", "InactivateDeviceCertificate", "owner", With(kDevice, "DeviceSn", "00ff"),
     "cn-hangzhou", codes::kFindDeviceBySnError, 500},
    {"ram_user_lacks_inactivate", "InactivateDeviceCertificate", "ram_user_without_permission", kDevice, "cn-hangzhou",
     codes::kPermissionCheckFailed, 403},
};

class ErrorTableTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ErrorTableTest, CodeAndStatus) {
  const ErrorCase& c = GetParam();
  MockHarness mock;
  ParamList params;
  for (const auto& [k, v] : c.params) {
    std::string value = v;
    if (value == "SN_UNREGISTERED") value = testing::PkiSn("device-a-unregistered");
    if (value == "SN_UNREGISTERED_CA") value = testing::PkiSn("ca-unregistered");
    params.emplace_back(k, value);
  }
  ServiceResult r = mock.Call(c.action, c.as, params, c.region);
  EXPECT_EQ(CodeOf(r), c.code) << c.name;
  EXPECT_EQ(r.status, c.status) << c.name;
  if (r.error) {
    EXPECT_EQ(r.error->status, r.status);
    EXPECT_EQ(r.error->message, BuiltinContract().FindError(c.code)->FormatMessage()) << c.name;
    const OperationSpec* op = BuiltinContract().FindOperation(c.action);
    EXPECT_NE(std::find(op->errors.begin(), op->errors.end(), c.code), op->errors.end())
        << c.code << " is not documented for " << c.action;
  }
}

INSTANTIATE_TEST_SUITE_P(ActiveDevice, ErrorTableTest, ::testing::ValuesIn(kActiveDeviceCases),
                         [](const auto& info) { return std::string(info.param.name); });
INSTANTIATE_TEST_SUITE_P(Others, ErrorTableTest, ::testing::ValuesIn(kOtherCases),
                         [](const auto& info) { return std::string(info.param.name); });

// Valid parameters for any operation of the contract.
ParamList ValidParams(const OperationSpec& op, const std::string& instance) {
  const std::map<std::string, std::string> values = {{"MqttInstanceId", instance},
                                                     {"DeviceSn", "${device.active.sn}"},
                                                     {"CaSn", "${ca.a.sn}"},
                                                     {"Sn", "${ca.a.sn}"},
                                                     {"PageNo", "1"},
                                                     {"PageSize", "10"},
                                                     {"CaName", "new"},
                                                     {"CaContent", "${file.ca_new}"},
                                                     {"VerificationContent", "${file.ca_new_verification}"}};
  ParamList params;
  for (const auto& spec : op.parameters) params.emplace_back(spec.name, values.at(spec.name));
  return params;
}

// The common checks hold for every operation of the contract.
TEST(AllOperationsTest, CommonChecksInOrder) {
  for (const OperationSpec& op : BuiltinContract().operations) {
    SCOPED_TRACE(op.name);
    MockHarness mock;
    ParamList valid = ValidParams(op, "${instance.platinum.id}");
    ServiceResult denied = mock.Call(op.name, "ram_user_without_permission", {});
    EXPECT_EQ(CodeOf(denied), codes::kPermissionCheckFailed);
    ASSERT_TRUE(denied.access_denied_detail.is_object());
    EXPECT_EQ(denied.access_denied_detail.at("AuthAction"), op.ram_action);
    EXPECT_EQ(denied.access_denied_detail.at("AuthPrincipalType"), "SubUser");
    EXPECT_EQ(denied.access_denied_detail.at("AuthPrincipalOwnerId"), mock.var("account.owner.uid"));
    EXPECT_EQ(denied.access_denied_detail.at("AuthPrincipalDisplayName"), "cert-reader-without-permission");
    EXPECT_EQ(denied.access_denied_detail.at("NoPermissionType"), "ImplicitDeny");
    EXPECT_EQ(denied.access_denied_detail.at("PolicyType"), "AccountLevelIdentityBasedPolicy");
    for (const auto& spec : op.parameters) {
      ServiceResult missing = mock.Call(op.name, "owner", Without(valid, spec.name));
      EXPECT_EQ(CodeOf(missing), codes::kParameterFieldCheckFailed) << spec.name;
      EXPECT_EQ(missing.status, 400) << spec.name;
      EXPECT_EQ(CodeOf(mock.Call(op.name, "owner", With(valid, spec.name, ""))), codes::kParameterFieldCheckFailed);
    }
    EXPECT_EQ(CodeOf(mock.Call(op.name, "owner", With(valid, "MqttInstanceId", "post-cn-none"))),
              codes::kMqttInstanceNotFound);
    EXPECT_EQ(CodeOf(mock.Call(op.name, "owner", ValidParams(op, "${instance.other_region.id}"))),
              codes::kMqttInstanceNotFound);
    EXPECT_EQ(CodeOf(mock.Call(op.name, "owner", ValidParams(op, "${instance.other_account.id}"))),
              codes::kMqttOwnerCheckError);
    EXPECT_EQ(CodeOf(mock.Call(op.name, "other_account", ValidParams(op, "${instance.professional.id}"))),
              codes::kMqttOwnerCheckError);
    ServiceResult edition = mock.Call(op.name, "owner", ValidParams(op, "${instance.professional.id}"));
    EXPECT_EQ(CodeOf(edition), codes::kApiNotSupport);
    EXPECT_EQ(edition.status, 404);
    ServiceResult ok = mock.Call(op.name, "ram_user_admin", valid);
    EXPECT_EQ(CodeOf(ok), "") << ok.body.dump();
    EXPECT_EQ(ok.status, 200);
    EXPECT_TRUE(ok.access_denied_detail.is_null());
  }
}

// Every error code the contract documents for an operation is produced by
// that operation through Handle (a new code in the contract fails here
// until the model produces it and a recipe is added).
TEST(AllOperationsTest, EveryDocumentedErrorIsProduced) {
  using Recipe = std::function<ServiceResult(MockHarness&, const OperationSpec&)>;
  auto call = [](MockHarness& m, const OperationSpec& op, const ParamList& p, const std::string& as = "owner") {
    return m.Call(op.name, as, p);
  };
  auto platinum = [](const OperationSpec& op) { return ValidParams(op, "${instance.platinum.id}"); };
  auto register_with = [&](const std::string& ca, const std::string& verification) {
    return [=](MockHarness& m, const OperationSpec& op) {
      return call(m, op, With(With(platinum(op), "CaContent", ca), "VerificationContent", verification));
    };
  };
  const std::map<std::string, Recipe> recipes = {
      {codes::kParameterFieldCheckFailed, [&](MockHarness& m, const OperationSpec& op) { return call(m, op, {}); }},
      {codes::kPermissionCheckFailed,
       [&](MockHarness& m, const OperationSpec& op) {
         return call(m, op, platinum(op), "ram_user_without_permission");
       }},
      {codes::kMqttInstanceNotFound,
       [&](MockHarness& m, const OperationSpec& op) { return call(m, op, ValidParams(op, "post-cn-none")); }},
      {codes::kMqttOwnerCheckError,
       [&](MockHarness& m, const OperationSpec& op) { return call(m, op, platinum(op), "other_account"); }},
      {codes::kApiNotSupport,
       [&](MockHarness& m, const OperationSpec& op) {
         return call(m, op, ValidParams(op, "${instance.professional.id}"));
       }},
      {codes::kFindDeviceBySnError,
       [&](MockHarness& m, const OperationSpec& op) { return call(m, op, With(platinum(op), "DeviceSn", "00ff")); }},
      {codes::kFindCaBySnError,
       [&](MockHarness& m, const OperationSpec& op) {
         return call(m, op, With(platinum(op), op.FindParameter("Sn") ? "Sn" : "CaSn", "00ff"));
       }},
      {codes::kCertificateContentError, register_with("${file.not_a_ca}", "${file.not_a_ca_verification}")},
      {codes::kRegisterCodeError, register_with("${file.ca_new}", "${file.ca_new_wrongcode_verification}")},
      {codes::kSnNotUnique,
       [&](MockHarness& m, const OperationSpec& op) {
         call(m, op, platinum(op));
         return call(m, op, platinum(op));
       }},
      {codes::kRegisterCodeUsed,
       [&](MockHarness& m, const OperationSpec& op) {
         call(m, op, platinum(op));
         m.Call("DeleteCaCertificate", "owner",
                {{"MqttInstanceId", "${instance.platinum.id}"}, {"Sn", testing::PkiSn("ca-new")}});
         return call(m, op, platinum(op));
       }},
      {codes::kCaNumExceed,
       [&](MockHarness& m, const OperationSpec& op) {
         call(m, op, platinum(op));
         return register_with("${file.ca_new2}", "${file.ca_new2_verification}")(m, op);
       }},
  };
  int produced = 0;
  for (const OperationSpec& op : BuiltinContract().operations) {
    for (const std::string& code : op.errors) {
      SCOPED_TRACE(op.name + " " + code);
      auto recipe = recipes.find(code);
      ASSERT_NE(recipe, recipes.end()) << "no recipe produces " << code;
      MockHarness mock;
      ServiceResult r = recipe->second(mock, op);
      EXPECT_EQ(CodeOf(r), code);
      ++produced;
    }
  }
  EXPECT_GT(produced, 13 * 5);
}

TEST(OptionsTest, AdjustedProfileChangesStatuses) {
  MockOptions options;
  options.status_profile = "adjusted";
  MockHarness mock(options);
  ServiceResult r = mock.Call("ActiveDeviceCertificate", "owner", With(kDevice, "MqttInstanceId", "post-cn-none"));
  EXPECT_EQ(CodeOf(r), codes::kMqttInstanceNotFound);
  EXPECT_EQ(r.status, 400);
  ServiceResult ca =
      mock.Call("GetCaCertificate", "owner", {{"MqttInstanceId", "${instance.platinum.id}"}, {"Sn", "0"}});
  EXPECT_EQ(CodeOf(ca), codes::kFindCaBySnError);
  EXPECT_EQ(ca.status, 400);
}

TEST(OptionsTest, NonPlatinumCodeAndOverrides) {
  MockOptions options;
  options.non_platinum_code = codes::kMqttInstanceNotFound;
  options.status_overrides[codes::kMqttInstanceNotFound] = 418;
  MockHarness mock(options);
  ServiceResult r =
      mock.Call("ActiveDeviceCertificate", "owner", With(kDevice, "MqttInstanceId", "${instance.professional.id}"));
  EXPECT_EQ(CodeOf(r), codes::kMqttInstanceNotFound);
  EXPECT_EQ(r.status, 418);
}

}  // namespace
}  // namespace onsmqtt::mock
