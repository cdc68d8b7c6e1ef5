#include <gtest/gtest.h>

#include <string>

#include "contract/codes.h"
#include "mock_server/model/model_test_util.h"

// Flows through the certificate family: state changes read back, paging,
// cascades, and RegisterCaCertificate with the test PKI.
namespace onsmqtt::mock {
namespace {

using testing::CodeOf;
using testing::MockHarness;
using testing::PkiSn;
using testing::PkiText;

const ParamList kPlatinum = {{"MqttInstanceId", "${instance.platinum.id}"}};

ParamList Params(std::initializer_list<Param> extra, const ParamList& base = kPlatinum) {
  ParamList p = base;
  p.insert(p.end(), extra);
  return p;
}

ParamList DeviceParams(const std::string& device, const std::string& ca) {
  return Params({{"DeviceSn", "${device." + device + ".sn}"}, {"CaSn", "${ca." + ca + ".sn}"}});
}

std::string DeviceStatus(MockHarness& mock, const std::string& device, const std::string& ca) {
  ServiceResult r = mock.Call("GetDeviceCertificate", "owner", DeviceParams(device, ca));
  if (r.error) return r.error->code;
  return r.body.at("Data").at("Status").get<std::string>();
}

TEST(DeviceTest, ActivationIsIdempotent) {
  MockHarness mock;
  for (int i = 0; i < 3; ++i) {
    ServiceResult r = mock.Call("ActiveDeviceCertificate", "owner", DeviceParams("active", "a"));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, nlohmann::json({{"DeviceSn", mock.var("device.active.sn")}}));
  }
  EXPECT_EQ(DeviceStatus(mock, "active", "a"), "1");
}

TEST(DeviceTest, InactivateGetActivateGet) {
  MockHarness mock;
  EXPECT_EQ(DeviceStatus(mock, "active", "a"), "1");
  EXPECT_EQ(mock.Call("InactivateDeviceCertificate", "owner", DeviceParams("active", "a")).status, 200);
  EXPECT_EQ(DeviceStatus(mock, "active", "a"), "0");
  EXPECT_EQ(mock.Call("InactivateDeviceCertificate", "owner", DeviceParams("active", "a")).status, 200);
  EXPECT_EQ(DeviceStatus(mock, "active", "a"), "0");
  EXPECT_EQ(mock.Call("ActiveDeviceCertificate", "owner", DeviceParams("active", "a")).status, 200);
  EXPECT_EQ(DeviceStatus(mock, "active", "a"), "1");
  // The fixture's inactive device is the happy path of the central operation.
  EXPECT_EQ(DeviceStatus(mock, "inactive", "a"), "0");
  EXPECT_EQ(mock.Call("ActiveDeviceCertificate", "owner", DeviceParams("inactive", "a")).status, 200);
  EXPECT_EQ(DeviceStatus(mock, "inactive", "a"), "1");
}

TEST(DeviceTest, GetShowsTheCertificate) {
  MockHarness mock;
  ServiceResult r = mock.Call("GetDeviceCertificate", "owner", DeviceParams("expired", "a"));
  ASSERT_EQ(r.status, 200) << CodeOf(r);
  const nlohmann::json& d = r.body.at("Data");
  EXPECT_EQ(d.at("CaSn"), mock.var("ca.a.sn"));
  EXPECT_EQ(d.at("DeviceSn"), mock.var("device.expired.sn"));
  EXPECT_EQ(d.at("DeviceContent"), PkiText("device-a-expired"));
  EXPECT_EQ(d.at("DeviceName"), "device-a-expired");
  EXPECT_EQ(d.at("Status"), "1");
  EXPECT_EQ(d.at("ValidBegin"), "1577836800000");
  EXPECT_EQ(d.at("ValidEnd"), "1609459200000");
  EXPECT_EQ(d.size(), 7u);
}

TEST(DeviceTest, DeleteRemovesOnlyThatDevice) {
  MockHarness mock;
  ServiceResult r = mock.Call("DeleteDeviceCertificate", "owner", DeviceParams("extra1", "a"));
  EXPECT_EQ(r.body, nlohmann::json({{"DeviceSn", mock.var("device.extra1.sn")}}));
  EXPECT_EQ(DeviceStatus(mock, "extra1", "a"), codes::kFindDeviceBySnError);
  EXPECT_EQ(CodeOf(mock.Call("DeleteDeviceCertificate", "owner", DeviceParams("extra1", "a"))),
            codes::kFindDeviceBySnError);
  EXPECT_EQ(DeviceStatus(mock, "extra2", "a"), "1");
}

nlohmann::json List(MockHarness& mock, const std::string& action, const std::string& page_no,
                    const std::string& page_size, const std::string& ca = "") {
  ParamList p = Params({{"PageNo", page_no}, {"PageSize", page_size}});
  if (!ca.empty()) p.emplace_back("CaSn", "${ca." + ca + ".sn}");
  ServiceResult r = mock.Call(action, "owner", p);
  EXPECT_EQ(r.status, 200) << CodeOf(r);
  return r.body.contains("Data") ? r.body.at("Data") : nlohmann::json();
}

std::vector<std::string> Sns(const nlohmann::json& items, const char* field) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.at(field).get<std::string>());
  return out;
}

TEST(ListTest, PagesInRegistrationOrderWithNumbers) {
  MockHarness mock;
  auto v = [&](const char* k) { return mock.var(std::string("device.") + k + ".sn"); };
  nlohmann::json p1 = List(mock, "ListDeviceCertificate", "1", "2");
  EXPECT_TRUE(p1.at("Total").is_number_integer());
  EXPECT_TRUE(p1.at("PageNo").is_number_integer());
  EXPECT_TRUE(p1.at("PageSize").is_number_integer());
  EXPECT_EQ(p1.at("Total"), 7);
  EXPECT_EQ(p1.at("PageNo"), 1);
  EXPECT_EQ(p1.at("PageSize"), 2);
  EXPECT_EQ(Sns(p1.at("DeviceCertificateVOS"), "DeviceSn"), (std::vector{v("active"), v("inactive")}));
  EXPECT_EQ(Sns(List(mock, "ListDeviceCertificate", "3", "2").at("DeviceCertificateVOS"), "DeviceSn"),
            (std::vector{v("expired"), v("c")}));
  EXPECT_EQ(Sns(List(mock, "ListDeviceCertificate", "4", "2").at("DeviceCertificateVOS"), "DeviceSn"),
            (std::vector{v("b")}));
  nlohmann::json past = List(mock, "ListDeviceCertificate", "5", "2");
  EXPECT_EQ(past.at("Total"), 7);
  EXPECT_TRUE(past.at("DeviceCertificateVOS").is_array());
  EXPECT_TRUE(past.at("DeviceCertificateVOS").empty());
  EXPECT_TRUE(List(mock, "ListDeviceCertificate", "999999999999999999", "100").at("DeviceCertificateVOS").empty());
  const nlohmann::json& item = p1.at("DeviceCertificateVOS").at(1);
  EXPECT_EQ(item.at("Status"), "0");
  EXPECT_TRUE(item.at("ValidBegin").is_string());
}

TEST(ListTest, ByCaSnFiltersAndCounts) {
  MockHarness mock;
  nlohmann::json a = List(mock, "ListDeviceCertificateByCaSn", "1", "100", "a");
  EXPECT_EQ(a.at("Total"), 5);
  EXPECT_EQ(a.at("DeviceCertificateVOS").size(), 5u);
  for (const auto& item : a.at("DeviceCertificateVOS")) EXPECT_EQ(item.at("CaSn"), mock.var("ca.a.sn"));
  nlohmann::json c = List(mock, "ListDeviceCertificateByCaSn", "1", "10", "c");
  EXPECT_EQ(Sns(c.at("DeviceCertificateVOS"), "DeviceSn"), (std::vector{mock.var("device.c.sn")}));
  nlohmann::json cas = List(mock, "ListCaCertificate", "1", "10");
  EXPECT_EQ(cas.at("Total"), 3);
  EXPECT_EQ(Sns(cas.at("CaCertificateVOS"), "Sn"),
            (std::vector{mock.var("ca.a.sn"), mock.var("ca.b.sn"), mock.var("ca.c.sn")}));
  EXPECT_EQ(cas.at("CaCertificateVOS").at(1).at("Status"), "0");
}

TEST(CaTest, GetRegisterCodeAndGetCa) {
  MockHarness mock;
  EXPECT_EQ(mock.Call("GetRegisterCode", "owner", kPlatinum).body,
            nlohmann::json({{"RegisterCode", "13274673-8f90-4630-bea1-9cccb25756ad2089c0ffee"}}));
  ServiceResult r = mock.Call("GetCaCertificate", "owner", Params({{"Sn", "${ca.b.sn}"}}));
  ASSERT_EQ(r.status, 200);
  const nlohmann::json& d = r.body.at("Data");
  EXPECT_EQ(d.at("CaContent"), PkiText("ca-b"));
  EXPECT_EQ(d.at("CaName"), "ca-b");
  EXPECT_EQ(d.at("RegistrationCode"), "13274673-8f90-4630-bea1-9cccb25756ad2089c0ffee");
  EXPECT_EQ(d.at("Sn"), mock.var("ca.b.sn"));
  EXPECT_EQ(d.at("Status"), "0");
  EXPECT_EQ(d.at("VerificationContent"), "");
  EXPECT_EQ(d.size(), 8u);
  EXPECT_EQ(std::stoll(d.at("ValidEnd").get<std::string>()) - std::stoll(d.at("ValidBegin").get<std::string>()),
            36500LL * 86400 * 1000);
}

TEST(CaTest, InactivateAndActivate) {
  MockHarness mock;
  ParamList b = Params({{"Sn", "${ca.b.sn}"}});
  EXPECT_EQ(mock.Call("ActiveCaCertificate", "owner", b).body, nlohmann::json({{"Sn", mock.var("ca.b.sn")}}));
  EXPECT_EQ(mock.Call("GetCaCertificate", "owner", b).body.at("Data").at("Status"), "1");
  EXPECT_EQ(mock.Call("ActiveCaCertificate", "owner", b).status, 200);
  EXPECT_EQ(mock.Call("InactivateCaCertificate", "owner", b).status, 200);
  EXPECT_EQ(mock.Call("GetCaCertificate", "owner", b).body.at("Data").at("Status"), "0");
}

TEST(CaTest, DeleteCascadesToItsDevices) {
  MockHarness mock;
  ServiceResult r = mock.Call("DeleteCaCertificate", "owner", Params({{"Sn", "${ca.a.sn}"}}));
  EXPECT_EQ(r.body, nlohmann::json({{"Sn", mock.var("ca.a.sn")}}));
  for (const char* d : {"active", "inactive", "extra1", "extra2", "expired"}) {
    EXPECT_EQ(DeviceStatus(mock, d, "a"), codes::kFindDeviceBySnError) << d;
  }
  EXPECT_EQ(DeviceStatus(mock, "c", "c"), "1");
  EXPECT_EQ(List(mock, "ListDeviceCertificate", "1", "10").at("Total"), 2);
  EXPECT_EQ(CodeOf(mock.Call("ListDeviceCertificateByCaSn", "owner",
                             Params({{"CaSn", "${ca.a.sn}"}, {"PageNo", "1"}, {"PageSize", "10"}}))),
            codes::kFindCaBySnError);
  EXPECT_EQ(CodeOf(mock.Call("GetCaCertificate", "owner", Params({{"Sn", "${ca.a.sn}"}}))), codes::kFindCaBySnError);
}

ServiceResult Register(MockHarness& mock, const std::string& ca, const std::string& verification,
                       const std::string& as = "owner", const std::string& instance = "${instance.platinum.id}",
                       const std::string& region = "cn-hangzhou") {
  return mock.Call(
      "RegisterCaCertificate", as,
      {{"MqttInstanceId", instance}, {"CaName", "my-ca"}, {"CaContent", ca}, {"VerificationContent", verification}},
      region);
}

TEST(RegisterCaTest, SuccessRegistersAnActiveCa) {
  MockHarness mock;
  ServiceResult r = Register(mock, "${file.ca_new}", "${file.ca_new_verification}");
  ASSERT_EQ(r.status, 200) << CodeOf(r);
  EXPECT_EQ(r.body, nlohmann::json({{"Sn", PkiSn("ca-new")}}));
  ServiceResult get = mock.Call("GetCaCertificate", "owner", Params({{"Sn", PkiSn("ca-new")}}));
  const nlohmann::json& d = get.body.at("Data");
  EXPECT_EQ(d.at("CaName"), "my-ca");
  EXPECT_EQ(d.at("Status"), "1");
  EXPECT_EQ(d.at("CaContent"), PkiText("ca-new"));
  EXPECT_EQ(d.at("VerificationContent"), PkiText("ca-new-verification"));
  EXPECT_EQ(List(mock, "ListCaCertificate", "1", "10").at("Total"), 4);
  // Another instance of the owner (its own region) takes the second CA.
  ServiceResult second = Register(mock, "${file.ca_new2}", "${file.ca_new2_verification}", "owner",
                                  "${instance.other_region.id}", "cn-shanghai");
  EXPECT_EQ(second.body, nlohmann::json({{"Sn", PkiSn("ca-new2")}}));
}

TEST(RegisterCaTest, Errors) {
  struct Case {
    const char* name;
    std::string ca;
    std::string verification;
    const char* code;
  } cases[] = {
      {"not_a_ca", "${file.not_a_ca}", "${file.not_a_ca_verification}", codes::kCertificateContentError},
      {"ca_is_not_pem", "hello", "${file.ca_new_verification}", codes::kCertificateContentError},
      {"verification_is_not_pem", "${file.ca_new}", "-----BEGIN CERTIFICATE-----\nAA\n-----END CERTIFICATE-----\n",
       codes::kCertificateContentError},
      {"verification_of_another_ca", "${file.ca_new}", "${file.ca_new_foreign_verification}",
       codes::kCertificateContentError},
      {"verification_is_the_ca_itself", "${file.ca_new}", "${file.ca_new}", codes::kRegisterCodeError},
      {"wrong_code", "${file.ca_new}", "${file.ca_new_wrongcode_verification}", codes::kRegisterCodeError},
  };
  for (const auto& c : cases) {
    MockHarness mock;
    ServiceResult r = Register(mock, c.ca, c.verification);
    EXPECT_EQ(CodeOf(r), c.code) << c.name;
    EXPECT_EQ(r.status, 500) << c.name;
    EXPECT_EQ(List(mock, "ListCaCertificate", "1", "10").at("Total"), 3) << c.name;
  }
}

TEST(RegisterCaTest, SameCaTwiceIsSnNotUnique) {
  MockHarness mock;
  EXPECT_EQ(Register(mock, "${file.ca_new}", "${file.ca_new_verification}").status, 200);
  EXPECT_EQ(CodeOf(Register(mock, "${file.ca_new}", "${file.ca_new_verification}")), codes::kSnNotUnique);
}

TEST(RegisterCaTest, SnIsUniqueAcrossAccounts) {
  MockHarness mock;
  ServiceResult theirs =
      Register(mock, "${file.ca_new}", "${file.ca_new_verification}", "other_account", "${instance.other_account.id}");
  ASSERT_EQ(theirs.status, 200) << CodeOf(theirs);
  EXPECT_EQ(CodeOf(Register(mock, "${file.ca_new}", "${file.ca_new_verification}")), codes::kSnNotUnique);
}

TEST(RegisterCaTest, VerificationCertificateIsUsedOnce) {
  MockHarness mock;
  EXPECT_EQ(Register(mock, "${file.ca_new}", "${file.ca_new_verification}").status, 200);
  EXPECT_EQ(mock.Call("DeleteCaCertificate", "owner", Params({{"Sn", PkiSn("ca-new")}})).status, 200);
  EXPECT_EQ(CodeOf(Register(mock, "${file.ca_new}", "${file.ca_new_verification}")), codes::kRegisterCodeUsed);
}

TEST(RegisterCaTest, InstanceLimit) {
  MockHarness mock;  // default.yaml: at most 4 CAs per instance, 3 registered
  EXPECT_EQ(Register(mock, "${file.ca_new}", "${file.ca_new_verification}").status, 200);
  ServiceResult r = Register(mock, "${file.ca_new2}", "${file.ca_new2_verification}");
  EXPECT_EQ(CodeOf(r), codes::kCaNumExceed);
  EXPECT_EQ(r.status, 500);
  // Room again after a deletion.
  EXPECT_EQ(mock.Call("DeleteCaCertificate", "owner", Params({{"Sn", "${ca.c.sn}"}})).status, 200);
  EXPECT_EQ(Register(mock, "${file.ca_new2}", "${file.ca_new2_verification}").status, 200);
}

}  // namespace
}  // namespace onsmqtt::mock
