#include "mock_server/model/store.h"

#include <gtest/gtest.h>

#include "contract/clock.h"
#include "mock_server/model/model_test_util.h"

namespace onsmqtt::mock {
namespace {

std::shared_ptr<const Certificate> Cert(const std::string& name) {
  StatusOr<std::shared_ptr<const Certificate>> c = Certificate::ParsePem(testing::PkiText(name));
  EXPECT_TRUE(c.ok()) << name;
  return c.ok() ? *c : nullptr;
}

TEST(RamUserTest, ActionPatterns) {
  struct Case {
    std::vector<std::string> actions;
    std::string action;
    bool allowed;
  } cases[] = {
      {{"mq:ActiveDeviceCertificate"}, "mq:ActiveDeviceCertificate", true},
      {{"mq:ActiveDeviceCertificate"}, "mq:ActiveCaCertificate", false},
      {{"mq:*"}, "mq:ActiveDeviceCertificate", true},
      {{"*"}, "mq:RegisterCa", true},
      {{"ecs:*"}, "mq:RegisterCa", false},
      {{"mq:Active*"}, "mq:ActiveDeviceCertificate", false},  // only whole-service wildcards
      {{"mq"}, "mq:RegisterCa", false},
      {{}, "mq:RegisterCa", false},
      {{"mq:QueryMqttTraceDevice", "mq:GetRegisterCode"}, "mq:GetRegisterCode", true},
      {{"mq:*"}, "mqx:GetRegisterCode", false},
  };
  for (const auto& c : cases) {
    RamUser user{"k", "1", "n", c.actions};
    EXPECT_EQ(user.Allows(c.action), c.allowed) << c.action << " with " << ::testing::PrintToString(c.actions);
  }
}

TEST(EditionTest, NamesRoundTrip) {
  for (Edition e : {Edition::kPlatinum, Edition::kProfessional, Edition::kStandard, Edition::kBasic}) {
    EXPECT_EQ(ParseEdition(EditionName(e)), e);
  }
  EXPECT_FALSE(ParseEdition("Platinum").has_value());
}

TEST(InstanceTest, DevicesKeepRegistrationOrder) {
  Instance in;
  uint64_t seq = 1;
  auto ca = Cert("ca-a");
  for (const char* name : {"device-a-active", "device-a-extra1", "device-a-extra2"}) {
    in.PutDevice(DeviceCertificate{name, Cert(name), ca->sn(), name, true}, &seq);
  }
  // Replacing keeps the place; a new SN goes last.
  in.PutDevice(DeviceCertificate{"again", Cert("device-a-active"), ca->sn(), "renamed", false}, &seq);
  in.PutDevice(DeviceCertificate{"c", Cert("device-c"), Cert("ca-c")->sn(), "c", true}, &seq);
  std::vector<std::string> order;
  for (const auto& [s, d] : in.devices) order.push_back(d.key);
  EXPECT_EQ(order, (std::vector<std::string>{"again", "device-a-extra1", "device-a-extra2", "c"}));
  EXPECT_EQ(in.FindDevice(Cert("device-a-active")->sn())->name, "renamed");

  in.RemoveDevice(Cert("device-a-extra1")->sn());
  EXPECT_EQ(in.FindDevice(Cert("device-a-extra1")->sn()), nullptr);
  EXPECT_EQ(in.devices.size(), 3u);
  EXPECT_EQ(in.device_by_sn.size(), 3u);
}

TEST(InstanceTest, RemoveCaCascadesToItsDevicesOnly) {
  Instance in;
  uint64_t seq = 1;
  in.cas.push_back(CaCertificate{"a", Cert("ca-a"), nullptr, "a", "code", true});
  in.cas.push_back(CaCertificate{"c", Cert("ca-c"), nullptr, "c", "code", true});
  in.PutDevice(DeviceCertificate{"x", Cert("device-a-active"), in.cas[0].sn(), "x", true}, &seq);
  in.PutDevice(DeviceCertificate{"y", Cert("device-c"), in.cas[1].sn(), "y", true}, &seq);
  std::string a_sn = in.cas[0].sn();
  EXPECT_TRUE(in.RemoveCa(a_sn));
  EXPECT_FALSE(in.RemoveCa(a_sn));
  EXPECT_EQ(in.FindCa(a_sn), nullptr);
  ASSERT_EQ(in.devices.size(), 1u);
  EXPECT_EQ(in.devices.begin()->second.key, "y");
  EXPECT_EQ(in.device_by_sn.size(), 1u);
}

TEST(StoreTest, CopiesAreIndependent) {
  Store store;
  Instance in;
  in.id = "i";
  in.cas.push_back(CaCertificate{"a", Cert("ca-a"), nullptr, "a", "code", true});
  store.instances.emplace("i", in);
  Store copy = store;
  copy.FindInstance("i")->cas[0].active = false;
  EXPECT_TRUE(store.FindInstance("i")->cas[0].active);
  EXPECT_EQ(store.FindCaOwner(Cert("ca-a")->sn()), store.FindInstance("i"));
  EXPECT_EQ(store.FindCaOwner("00"), nullptr);
}

TEST(StoreTest, DumpRedactsSecrets) {
  Store store;
  store.access_keys.emplace("LTAI5tX", AccessKey{"k", "LTAI5tX", "s3cr3t-value", "1", "", true, false, "", {}});
  AccessKey temporary{"t", "STS.X", "t3mp-s3cr3t", "1", "", true, true, "CAIS-t0ken", {}};
  temporary.expiration = ParseTimestamp("2030-01-02T03:04:05Z").value();
  store.access_keys.emplace("STS.X", temporary);
  std::string dump = store.Dump().dump();
  EXPECT_EQ(dump.find("s3cr3t-value"), std::string::npos);
  EXPECT_EQ(dump.find("t3mp-s3cr3t"), std::string::npos);
  EXPECT_EQ(dump.find("CAIS-t0ken"), std::string::npos);
  ASSERT_EQ(store.Dump().at("access_keys").size(), 1u);
  const nlohmann::json t = store.Dump().at("temporary_credentials").at(0);
  EXPECT_EQ(t.at("id"), "STS.X");
  EXPECT_EQ(t.at("secret"), "***");
  EXPECT_EQ(t.at("token"), "***");
  EXPECT_EQ(t.at("expiration"), "2030-01-02T03:04:05Z");
  EXPECT_EQ(store.FindBySecurityToken("CAIS-t0ken"), &store.access_keys.at("STS.X"));
  EXPECT_EQ(store.FindBySecurityToken(""), nullptr);
  EXPECT_EQ(store.Dump().at("access_keys").at(0).at("secret"), "***");
  EXPECT_EQ(store.Dump().at("access_keys").at(0).at("id"), "LTAI5tX");
}

}  // namespace
}  // namespace onsmqtt::mock
