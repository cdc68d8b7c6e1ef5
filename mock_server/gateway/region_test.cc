// Which region a request is in when its Host names none (127.0.0.1:port):
// the fixture's default_region, else --default-region (fixtures/README.md),
// seen through the HTTP API (HostId of an error, the instance lookup).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "contract/codes.h"
#include "mock_server/gateway/http_test_support.h"

namespace onsmqtt::mock {
namespace {

using testing::MockFixture;
using testing::Reply;

class RegionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("onsmqtt_region_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A fixture with one Platinum instance in cn-shanghai and `default_region`
  // (none when empty).
  std::string WriteFixture(const std::string& default_region) {
    std::string path = (dir_ / ("fixture_" + default_region + ".yaml")).string();
    std::ofstream out(path);
    if (!default_region.empty()) out << "default_region: " << default_region << "\n";
    out << "accounts:\n  owner: {uid: \"1\"}\n"
           "access_keys:\n  owner: {id: LTAI5tRegion, secret: s3cr3t, account: owner}\n"
           "instances:\n  sh: {id: post-cn-sh01, region: cn-shanghai, edition: platinum, owner: owner,\n"
           "       registration_code: 11111111-2222-3333-4444-555555555555}\n";
    return path;
  }

  // GetRegisterCode on the cn-shanghai instance, Host without a region.
  // GetRegisterCode for the fixture's instance, sent with Host `host`
  // (default: the mock's address, which names no region) and key `creds`.
  static Reply GetRegisterCode(const MockFixture& mock, std::string host = "",
                               const Credentials& creds = {"LTAI5tRegion", "s3cr3t", ""}) {
    Call call;
    call.action = "GetRegisterCode";
    call.version = "2020-04-20";
    call.params = {{"MqttInstanceId", "post-cn-sh01"}};
    call.host = host.empty() ? "127.0.0.1:" + std::to_string(mock.port()) : host;
    return mock.Send(call, creds);
  }

  std::filesystem::path dir_;
};

TEST_F(RegionTest, FixtureDefaultRegionDecidesTheRegionOfRequests) {
  MockFixture mock({}, WriteFixture("cn-shanghai"));
  Reply r = GetRegisterCode(mock);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json.value("RegisterCode", ""), "11111111-2222-3333-4444-555555555555") << r.body;
}

TEST_F(RegionTest, FixtureDefaultRegionOverridesTheOption) {
  MockOptions options;
  options.default_region = "cn-beijing";
  MockFixture mock(options, WriteFixture("cn-shanghai"));
  EXPECT_EQ(GetRegisterCode(mock).status, 200);
  // An unknown key: the gateway's error names the fixture's region.
  Reply r = GetRegisterCode(mock, "127.0.0.1", {"LTAI5tUnknown", "x", ""});
  EXPECT_EQ(r.Code(), codes::kInvalidAccessKeyIdNotFound) << r.body;
  EXPECT_EQ(r.json.value("HostId", ""), "onsmqtt.cn-shanghai.aliyuncs.com") << r.body;
}

TEST_F(RegionTest, WithoutFixtureDefaultRegionTheOptionDecides) {
  MockOptions options;
  options.default_region = "cn-beijing";
  MockFixture mock(options, WriteFixture(""));
  Reply r = GetRegisterCode(mock);
  EXPECT_EQ(r.Code(), codes::kMqttInstanceNotFound) << r.body;
  EXPECT_EQ(r.json.value("HostId", ""), "onsmqtt.cn-beijing.aliyuncs.com") << r.body;
  options.default_region = "cn-shanghai";
  MockFixture there(options, WriteFixture(""));
  EXPECT_EQ(GetRegisterCode(there).status, 200);
}

TEST_F(RegionTest, HostStillWinsOverTheFixture) {
  MockFixture mock({}, WriteFixture("cn-shanghai"));
  Reply r = GetRegisterCode(mock, "onsmqtt.cn-hangzhou.aliyuncs.com");
  EXPECT_EQ(r.Code(), codes::kMqttInstanceNotFound) << r.body;
  EXPECT_EQ(r.json.value("HostId", ""), "onsmqtt.cn-hangzhou.aliyuncs.com");
}

}  // namespace
}  // namespace onsmqtt::mock
