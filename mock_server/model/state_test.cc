#include "mock_server/model/state.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "contract/codes.h"
#include "mock_server/model/model_test_util.h"

// MockState as a whole: registration on connect, variables, dump, reset,
// fixture reloads, isolation and concurrency.
namespace onsmqtt::mock {
namespace {

using testing::CodeOf;
using testing::MockHarness;
using testing::PkiSn;
using testing::PkiText;

ParamList DeviceParams(const std::string& sn, const std::string& ca_sn) {
  return {{"MqttInstanceId", "${instance.platinum.id}"}, {"DeviceSn", sn}, {"CaSn", ca_sn}};
}

TEST(RegisterOnConnectTest, AcceptsADeviceOfAnActiveCa) {
  MockHarness mock;
  StatusOr<nlohmann::json> d =
      mock.state().RegisterDeviceOnConnect(mock.var("instance.platinum.id"), PkiText("device-a-unregistered"));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->at("DeviceSn"), PkiSn("device-a-unregistered"));
  EXPECT_EQ(d->at("CaSn"), mock.var("ca.a.sn"));
  EXPECT_EQ(d->at("Status"), "1");
  EXPECT_EQ(d->at("DeviceName"), "device-a-unregistered");
  ServiceResult get =
      mock.Call("GetDeviceCertificate", "owner", DeviceParams(PkiSn("device-a-unregistered"), "${ca.a.sn}"));
  ASSERT_EQ(get.status, 200) << CodeOf(get);
  EXPECT_EQ(get.body.at("Data"), *d);
  // Registered last: the end of the listing.
  ServiceResult list = mock.Call("ListDeviceCertificate", "owner",
                                 {{"MqttInstanceId", "${instance.platinum.id}"}, {"PageNo", "1"}, {"PageSize", "100"}});
  EXPECT_EQ(list.body.at("Data").at("Total"), 8);
  EXPECT_EQ(list.body.at("Data").at("DeviceCertificateVOS").back().at("DeviceSn"), PkiSn("device-a-unregistered"));
}

TEST(RegisterOnConnectTest, RefusesARegisteredInactiveDeviceUntilActivated) {
  MockHarness mock;
  const std::string instance = mock.var("instance.platinum.id");
  ConnectDecision refused = mock.state().DecideConnect(instance, PkiText("device-a-inactive"), true);
  EXPECT_FALSE(refused.accepted);
  EXPECT_FALSE(refused.registered);
  EXPECT_EQ(refused.device_sn, mock.var("device.inactive.sn"));
  EXPECT_NE(refused.reason.find("inactive (activate it with ActiveDeviceCertificate)"), std::string::npos)
      << refused.reason;
  ASSERT_EQ(mock.Call("ActiveDeviceCertificate", "owner", DeviceParams("${device.inactive.sn}", "${ca.a.sn}")).status,
            200);
  ConnectDecision accepted = mock.state().DecideConnect(instance, PkiText("device-a-inactive"), true);
  EXPECT_TRUE(accepted.accepted) << accepted.reason;
  EXPECT_FALSE(accepted.registered);  // known already: no second record
  ServiceResult list = mock.Call("ListDeviceCertificate", "owner",
                                 {{"MqttInstanceId", "${instance.platinum.id}"}, {"PageNo", "1"}, {"PageSize", "100"}});
  EXPECT_EQ(list.body.at("Data").at("Total"), 7);
}

TEST(RegisterOnConnectTest, ARepeatedConnectRegistersOnce) {
  MockHarness mock;
  const std::string instance = mock.var("instance.platinum.id");
  ConnectDecision first = mock.state().DecideConnect(instance, PkiText("device-a-unregistered"), true);
  ConnectDecision second = mock.state().DecideConnect(instance, PkiText("device-a-unregistered"), true);
  EXPECT_TRUE(first.registered);
  EXPECT_TRUE(second.accepted);
  EXPECT_FALSE(second.registered);
  ServiceResult list = mock.Call("ListDeviceCertificate", "owner",
                                 {{"MqttInstanceId", "${instance.platinum.id}"}, {"PageNo", "1"}, {"PageSize", "100"}});
  EXPECT_EQ(list.body.at("Data").at("Total"), 8);
}

TEST(RegisterOnConnectTest, ADecisionWithoutRegistrationChangesNothing) {
  MockHarness mock;
  ConnectDecision d =
      mock.state().DecideConnect(mock.var("instance.platinum.id"), PkiText("device-a-unregistered"), false);
  EXPECT_TRUE(d.accepted) << d.reason;
  EXPECT_FALSE(d.registered);
  EXPECT_EQ(d.ca_sn, mock.var("ca.a.sn"));
  ServiceResult get =
      mock.Call("GetDeviceCertificate", "owner", DeviceParams(PkiSn("device-a-unregistered"), "${ca.a.sn}"));
  EXPECT_EQ(CodeOf(get), "FindDeviceBySnError");
}

TEST(RegisterOnConnectTest, ARegisteredDeviceIsStillVerified) {
  MockHarness mock;  // device.expired is registered and active, past its validity
  ConnectDecision d = mock.state().DecideConnect(mock.var("instance.platinum.id"), PkiText("device-a-expired"), true);
  EXPECT_FALSE(d.accepted);
  EXPECT_NE(d.reason.find("certificate has expired"), std::string::npos) << d.reason;
  ASSERT_EQ(mock.Call("InactivateCaCertificate", "owner",
                      {{"MqttInstanceId", "${instance.platinum.id}"}, {"Sn", "${ca.a.sn}"}})
                .status,
            200);
  ConnectDecision of_inactive_ca =
      mock.state().DecideConnect(mock.var("instance.platinum.id"), PkiText("device-a-active"), true);
  EXPECT_FALSE(of_inactive_ca.accepted);
  EXPECT_NE(of_inactive_ca.reason.find("which is inactive"), std::string::npos) << of_inactive_ca.reason;
}

TEST(RegisterOnConnectTest, RefusalsSayWhy) {
  struct Case {
    const char* name;
    std::string instance;
    std::string pem;
    std::string reason;
  } cases[] = {
      {"bad_pem", "${instance.platinum.id}", "not a certificate", "bad device certificate: not a PEM certificate"},
      {"unknown_instance", "post-cn-none", PkiText("device-a-unregistered"), "unknown instance \"post-cn-none\""},
      {"unknown_ca", "${instance.platinum.id}", PkiText("device-unknown-ca"),
       "was not issued by any CA certificate registered on instance post-cn-platinum01"},
      {"ca_of_other_instance", "${instance.platinum.id}", PkiText("device-other"),
       "was not issued by any CA certificate registered on instance"},
      {"inactive_ca", "${instance.platinum.id}", PkiText("device-b"), "which is inactive on instance"},
      {"expired", "${instance.platinum.id}", PkiText("device-a-expired"),
       "the device certificate failed OpenSSL verification: certificate has expired (notAfter 2021-01-01T00:00:00Z, "
       "now 2030-06-01T00:00:00Z)"},
  };
  for (const auto& c : cases) {
    MockHarness mock;
    StatusOr<nlohmann::json> d = mock.state().RegisterDeviceOnConnect(mock.Expand(c.instance), c.pem);
    ASSERT_FALSE(d.ok()) << c.name;
    EXPECT_EQ(d.status().code(), Status::Code::kFailedPrecondition) << c.name;
    EXPECT_NE(d.status().message().find(c.reason), std::string::npos) << c.name << ": " << d.status().message();
  }
}

TEST(RegisterOnConnectTest, UsesTheInjectedClock) {
  MockHarness mock;
  std::string pem = PkiText("device-a-unregistered");
  StatusOr<std::shared_ptr<const Certificate>> cert = Certificate::ParsePem(pem);
  ASSERT_TRUE(cert.ok());
  mock.clock().Set(TimePoint(std::chrono::milliseconds((*cert)->not_before_ms() - 60000)));
  StatusOr<nlohmann::json> early = mock.state().RegisterDeviceOnConnect(mock.var("instance.platinum.id"), pem);
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("not yet valid"), std::string::npos) << early.status().message();
  mock.clock().Set(TimePoint(std::chrono::milliseconds((*cert)->not_after_ms() + 1000)));
  StatusOr<nlohmann::json> late = mock.state().RegisterDeviceOnConnect(mock.var("instance.platinum.id"), pem);
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.status().message().find("expired"), std::string::npos) << late.status().message();
}

TEST(RegisterOnConnectTest, ActivatingTheCaLetsItsDevicesConnect) {
  MockHarness mock;
  ASSERT_EQ(
      mock.Call("ActiveCaCertificate", "owner", {{"MqttInstanceId", "${instance.platinum.id}"}, {"Sn", "${ca.b.sn}"}})
          .status,
      200);
  EXPECT_TRUE(mock.state().RegisterDeviceOnConnect(mock.var("instance.platinum.id"), PkiText("device-b")).ok());
}

TEST(MockStateTest, VariablesAndRegion) {
  MockHarness mock;
  std::map<std::string, std::string> v = mock.state().Variables();
  EXPECT_EQ(v.at("region"), "cn-hangzhou");
  EXPECT_EQ(mock.state().default_region(), "cn-hangzhou");
  EXPECT_EQ(v.at("ca.a.sn"), PkiSn("ca-a"));
  EXPECT_EQ(v.at("file.ca_new"), PkiText("ca-new"));
  std::optional<AccessKeyRecord> key = mock.state().FindAccessKey(v.at("key.ram_user_admin.id"));
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->secret, v.at("key.ram_user_admin.secret"));
  EXPECT_TRUE(key->active);
  EXPECT_EQ(key->caller.account_uid, v.at("account.owner.uid"));
  EXPECT_EQ(key->caller.ram_user, "mq-admin");
  EXPECT_FALSE(mock.state().FindAccessKey(v.at("key.disabled.id"))->active);
  EXPECT_FALSE(mock.state().FindAccessKey("LTAI5tNoSuchKey").has_value());
}

TEST(MockStateTest, DumpRedactsSecrets) {
  MockHarness mock;
  std::string dump = mock.state().Dump().dump();
  for (const auto& [name, value] : mock.state().Variables()) {
    const bool secret = name.size() > 7 && name.compare(name.size() - 7, 7, ".secret") == 0;
    const bool token = name.size() > 6 && name.compare(name.size() - 6, 6, ".token") == 0;
    if (secret || token) {
      EXPECT_EQ(dump.find(value), std::string::npos) << name << " leaks into Dump()";
    }
  }
  nlohmann::json j = mock.state().Dump();
  EXPECT_EQ(j.at("access_keys").size(), 5u);
  for (const auto& k : j.at("access_keys")) EXPECT_EQ(k.at("secret"), "***");
  EXPECT_EQ(j.at("temporary_credentials").size(), 3u);
  for (const auto& k : j.at("temporary_credentials")) {
    EXPECT_EQ(k.at("secret"), "***");
    EXPECT_EQ(k.at("token"), "***");
  }
  EXPECT_EQ(j.at("instances").size(), 4u);
}

TEST(MockStateTest, ResetRestoresTheFixture) {
  MockHarness mock;
  ParamList ca_a = {{"MqttInstanceId", "${instance.platinum.id}"}, {"Sn", "${ca.a.sn}"}};
  ASSERT_EQ(mock.Call("DeleteCaCertificate", "owner", ca_a).status, 200);
  ASSERT_EQ(CodeOf(mock.Call("GetCaCertificate", "owner", ca_a)), codes::kFindCaBySnError);
  nlohmann::json before_reset = mock.state().Dump();
  ASSERT_TRUE(mock.state().Reset().ok());
  EXPECT_EQ(mock.Call("GetCaCertificate", "owner", ca_a).status, 200);
  EXPECT_EQ(mock.Call("GetDeviceCertificate", "owner", DeviceParams("${device.active.sn}", "${ca.a.sn}")).status, 200);
  EXPECT_NE(mock.state().Dump(), before_reset);
}

TEST(MockStateTest, LoadFixtureReplacesOrKeepsState) {
  MockHarness mock;
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("onsmqtt_state_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string broken = (dir / "broken.yaml").string();
  std::ofstream(broken) << "accounts:\n  owner: {uid: x}\n";
  Status s = mock.state().LoadFixture(broken);
  EXPECT_EQ(s.ToString(), broken + ":2:16: error: uid must be digits (an Alibaba Cloud account id), got \"x\"");
  EXPECT_EQ(mock.Call("GetRegisterCode", "owner", {{"MqttInstanceId", "${instance.platinum.id}"}}).status, 200);

  std::string small = (dir / "small.yaml").string();
  std::ofstream(small) << "default_region: cn-beijing\naccounts:\n  owner: {uid: \"1\"}\n";
  ASSERT_TRUE(mock.state().LoadFixture(small).ok());
  EXPECT_EQ(mock.state().default_region(), "cn-beijing");
  EXPECT_EQ(mock.state().Variables().count("ca.a.sn"), 0u);
  EXPECT_FALSE(mock.state().FindAccessKey(mock.var("key.owner.id")).has_value());
  ASSERT_TRUE(mock.state().Reset().ok());
  EXPECT_EQ(mock.state().Dump().at("fixture"), small);
  std::filesystem::remove_all(dir);
}

TEST(MockStateTest, RegionFallsBackToTheOptions) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("onsmqtt_state_region_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "no_region.yaml").string();
  std::ofstream(path)
      << "accounts:\n  owner: {uid: \"1\"}\naccess_keys:\n  owner: {id: LTAI5tA, secret: s, account: owner}\n";
  MockOptions options;
  options.default_region = "cn-qingdao";
  {
    MockHarness mock(options, path);
    EXPECT_EQ(mock.state().default_region(), "cn-qingdao");
    EXPECT_EQ(mock.var("region"), "cn-qingdao");
    EXPECT_EQ(mock.state().Dump().at("access_keys").at(0).at("secret"), "***");
  }
  std::filesystem::remove_all(dir);
}

TEST(MockStateTest, TwoStatesShareNothing) {
  MockHarness one;
  MockHarness two;
  ASSERT_EQ(one.Call("InactivateDeviceCertificate", "owner", DeviceParams("${device.active.sn}", "${ca.a.sn}")).status,
            200);
  ASSERT_EQ(
      one.Call("DeleteCaCertificate", "owner", {{"MqttInstanceId", "${instance.platinum.id}"}, {"Sn", "${ca.c.sn}"}})
          .status,
      200);
  ServiceResult get = two.Call("GetDeviceCertificate", "owner", DeviceParams("${device.active.sn}", "${ca.a.sn}"));
  EXPECT_EQ(get.body.at("Data").at("Status"), "1");
  EXPECT_EQ(two.Call("GetCaCertificate", "owner", {{"MqttInstanceId", "${instance.platinum.id}"}, {"Sn", "${ca.c.sn}"}})
                .status,
            200);
}

// The runner reads a fixture once and starts every scenario's mock from it:
// each state changes its own copy, and the loaded fixture stays as read.
TEST(MockStateTest, StatesCreatedFromOneLoadedFixtureShareNothing) {
  StatusOr<Fixture> fixture = LoadFixtureFile(testing::kDefaultFixture);
  ASSERT_TRUE(fixture.ok()) << fixture.status().ToString();
  MockHarness one(*fixture);
  ASSERT_EQ(one.Call("InactivateDeviceCertificate", "owner", DeviceParams("${device.active.sn}", "${ca.a.sn}")).status,
            200);
  EXPECT_EQ(one.Call("GetDeviceCertificate", "owner", DeviceParams("${device.active.sn}", "${ca.a.sn}"))
                .body.at("Data")
                .at("Status"),
            "0");
  MockHarness two(*fixture);
  ServiceResult get = two.Call("GetDeviceCertificate", "owner", DeviceParams("${device.active.sn}", "${ca.a.sn}"));
  EXPECT_EQ(get.body.at("Data").at("Status"), "1");
}

TEST(MockStateTest, ConcurrentCallsKeepStateConsistent) {
  MockHarness mock;
  constexpr int kThreads = 8;
  constexpr int kCalls = 500;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const char* action = t % 2 == 0 ? "ActiveDeviceCertificate" : "InactivateDeviceCertificate";
      for (int i = 0; i < kCalls; ++i) {
        if (mock.Call(action, "owner", DeviceParams("${device.extra1.sn}", "${ca.a.sn}")).status != 200) ++failures;
        if (mock.Call("GetDeviceCertificate", "owner", DeviceParams("${device.extra2.sn}", "${ca.a.sn}")).status !=
            200) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  ServiceResult last = mock.Call("ActiveDeviceCertificate", "owner", DeviceParams("${device.extra1.sn}", "${ca.a.sn}"));
  EXPECT_EQ(last.status, 200);
}

}  // namespace
}  // namespace onsmqtt::mock
