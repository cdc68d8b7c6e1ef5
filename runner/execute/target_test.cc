#include "runner/execute/target.h"

#include <gtest/gtest.h>

#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::TempDir;
using testing::WriteAll;

std::function<const char*(const char*)> Env(std::map<std::string, std::string> values) {
  auto shared = std::make_shared<std::map<std::string, std::string>>(std::move(values));
  return [shared](const char* name) -> const char* {
    auto it = shared->find(name);
    return it == shared->end() ? nullptr : it->second.c_str();
  };
}

TEST(LoadVarsFile, FlatNestedAndEnvironment) {
  TempDir dir;
  WriteAll(dir.File("v.yaml"),
           "region: cn-shanghai\ninstance:\n  platinum:\n    id: post-1\n"
           "key.x.secret: ${env.X_SECRET}\nmixed: a-${env.X_SECRET}-b\n");
  auto vars = LoadVarsFile(dir.File("v.yaml"), Env({{"X_SECRET", "s3cr3t"}}));
  ASSERT_TRUE(vars.ok()) << vars.status().ToString();
  EXPECT_EQ(*vars, (std::map<std::string, std::string>{{"region", "cn-shanghai"},
                                                       {"instance.platinum.id", "post-1"},
                                                       {"key.x.secret", "s3cr3t"},
                                                       {"mixed", "a-s3cr3t-b"}}));
}

TEST(LoadVarsFile, ErrorsArePositioned) {
  TempDir dir;
  const std::pair<std::string, std::string> cases[] = {
      {"a: ${env.UNSET_FOR_TEST}\n", "v.yaml:1:4: error: environment variable UNSET_FOR_TEST is not set"},
      {"a: ${region}\n", "v.yaml:1:4: error: only ${env.NAME} may be used in a vars file"},
      {"a: [1, 2]\n", "v.yaml:1:4: error: the value of \"a\" must be a string, not a list"},
      {"- a\n", "v.yaml:1:1: error: a vars file is a map of name: value, not a list"},
      {"a: 1\na: 2\n", "v.yaml:2:1: error: duplicate key"},
  };
  for (const auto& [text, message] : cases) {
    WriteAll(dir.File("v.yaml"), text);
    auto vars = LoadVarsFile(dir.File("v.yaml"), Env({}));
    ASSERT_FALSE(vars.ok()) << text;
    EXPECT_NE(vars.status().ToString().find(message), std::string::npos) << vars.status().ToString();
  }
}

TEST(LoadVarsFile, TheShippedExampleLoads) {
  auto vars = LoadVarsFile("runner/testdata/vars.example.yaml", [](const char* name) -> const char* {
    return std::string(name).rfind("ONSMQTT_", 0) == 0 ? "from-env" : nullptr;
  });
  ASSERT_TRUE(vars.ok()) << vars.status().ToString();
  EXPECT_EQ(vars->at("instance.platinum.id"), "post-cn-xxxxxxxxxxx");
  EXPECT_EQ(vars->at("key.other_account.secret"), "from-env");
}

TEST(Target, EndpointTakesCredentialsFromTheEnvironment) {
  TargetOptions o;
  o.url = "https://onsmqtt.cn-beijing.aliyuncs.com";
  o.getenv = Env({{"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIid"},
                  {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secretvalue"},
                  {"ALIBABA_CLOUD_SECURITY_TOKEN", "tokenvalue"}});
  auto t = Target::Create(o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_FALSE((*t)->is_mock());
  EXPECT_STREQ((*t)->kind(), "endpoint");
  EXPECT_EQ((*t)->region(), "cn-beijing") << "from the endpoint's host";
  auto session = (*t)->Open("");
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->host, "onsmqtt.cn-beijing.aliyuncs.com");
  EXPECT_EQ(session->variables.at("key.owner.id"), "LTAIid");
  EXPECT_EQ(session->variables.at("key.owner.token"), "tokenvalue");
  EXPECT_EQ(session->secret_values, (std::set<std::string>{"secretvalue", "tokenvalue"}));
  EXPECT_TRUE((*t)->VariableNames().count("instance.platinum.id")) << "the fixture's names are known to the loader";
  EXPECT_FALSE((*t)->HasVariable("instance.platinum.id")) << "but not defined by this endpoint";
}

TEST(Target, EndpointErrorsSayWhatToDo) {
  TargetOptions o;
  o.url = "https://onsmqtt.cn-beijing.aliyuncs.com";
  o.getenv = Env({});
  auto no_creds = Target::Create(o);
  ASSERT_FALSE(no_creds.ok());
  EXPECT_NE(no_creds.status().message().find("export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
            std::string::npos);
  o.url = "https://127.0.0.1:8443";
  o.getenv = Env({{"ALIBABA_CLOUD_ACCESS_KEY_ID", "a"}, {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "b"}});
  auto no_region = Target::Create(o);
  ASSERT_FALSE(no_region.ok());
  EXPECT_NE(no_region.status().message().find("set `region: <id>` in the --vars file"), std::string::npos);
}

TEST(Target, EmbeddedMockStartsOneFreshServerPerSession) {
  TargetOptions o;
  auto t = Target::Create(o);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE((*t)->is_mock());
  EXPECT_EQ((*t)->region(), "cn-hangzhou");
  auto a = (*t)->Open("");
  auto b = (*t)->Open("");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->transport.base_url, b->transport.base_url);
  EXPECT_EQ(a->transport.base_url.rfind("http://127.0.0.1:", 0), 0u);
  EXPECT_TRUE(a->secret_values.count(a->variables.at("key.owner.secret")));
  EXPECT_FALSE(a->secret_values.count(a->variables.at("key.owner.id")));
  o.default_fixture = "does/not/exist.yaml";
  EXPECT_FALSE(Target::Create(o).ok());
}

TEST(Target, NamesForAFilesOwnFixture) {
  const std::string own = "runner/testdata/fixtures/shanghai.yaml";
  TargetOptions o;
  auto mock = Target::Create(o);
  ASSERT_TRUE(mock.ok()) << mock.status().ToString();
  auto names = (*mock)->VariableNamesFor(own);
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  EXPECT_TRUE(names->count("instance.plat.id"));
  EXPECT_FALSE(names->count("instance.platinum.id")) << "the mock runs the scenario with that fixture only";
  EXPECT_EQ((*mock)->VariableNamesFor("").value(), (*mock)->VariableNames());
  auto broken = (*mock)->VariableNamesFor("does/not/exist.yaml");
  EXPECT_FALSE(broken.ok());

  o.url = "https://onsmqtt.cn-beijing.aliyuncs.com";
  o.getenv = Env({{"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIid"}, {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secretvalue"}});
  auto endpoint = Target::Create(o);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  auto endpoint_names = (*endpoint)->VariableNamesFor(own);
  ASSERT_TRUE(endpoint_names.ok());
  EXPECT_TRUE(endpoint_names->count("instance.plat.id")) << "known, so the scenario loads (and is skipped)";
  EXPECT_TRUE(endpoint_names->count("key.owner.id")) << "and what the endpoint defines";
}

TEST(Target, AnEndpointNeedsAFixtureThatLoadsForItsNames) {
  TargetOptions o;
  o.url = "https://onsmqtt.cn-beijing.aliyuncs.com";
  o.getenv = Env({{"ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIid"}, {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secretvalue"}});
  o.default_fixture = "does/not/exist.yaml";
  auto t = Target::Create(o);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("the fixture does/not/exist.yaml names the variables scenarios may use"),
            std::string::npos)
      << t.status().message();
  EXPECT_NE(t.status().message().find("pass --fixture FILE"), std::string::npos);
}

}  // namespace
}  // namespace onsmqtt::runner
