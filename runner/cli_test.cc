#include "runner/cli.h"

#include <gtest/gtest.h>

namespace onsmqtt::runner {
namespace {

StatusOr<CliOptions> Parse(std::vector<std::string> args) { return ParseCommandLine(args); }

TEST(Cli, Defaults) {
  auto o = Parse({});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->paths, std::vector<std::string>{"scenarios/"});
  EXPECT_EQ(o->target, "");
  EXPECT_EQ(o->fixture, "fixtures/default.yaml");
  EXPECT_EQ(o->JUnitPath(), "reports/junit.xml");
  EXPECT_EQ(o->scheme, SignatureScheme::kV3);
  EXPECT_EQ(o->junit_flavour, JUnitFlavour::kStrict);
  EXPECT_EQ(o->jobs, 0);
  EXPECT_FALSE(o->seed.has_value());
}

TEST(Cli, EveryFlag) {
  auto o = Parse({"--target",
                  "https://onsmqtt.cn-hangzhou.aliyuncs.com",
                  "--vars=v.yaml",
                  "--ca-file",
                  "ca.pem",
                  "--insecure",
                  "--mqtt-endpoint",
                  "post-cn-x.mqtt.aliyuncs.com:8883",
                  "--fixture",
                  "f.yaml",
                  "--tags",
                  " auth, ,errors ",
                  "--filter",
                  "Active.*",
                  "-j4",
                  "--shard",
                  "2/3",
                  "--retries",
                  "2",
                  "--scheme",
                  "v1",
                  "--allow-mutations",
                  "--allow-empty",
                  "--report-dir",
                  "out",
                  "--junit-flavour",
                  "extended",
                  "--json",
                  "r.json",
                  "--seed",
                  "7",
                  "--no-color",
                  "-q",
                  "a.yaml",
                  "--",
                  "--odd-file.yaml"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->vars_file, "v.yaml");
  EXPECT_EQ(o->ca_file, "ca.pem");
  EXPECT_TRUE(o->insecure);
  EXPECT_EQ(o->mqtt_endpoint, "post-cn-x.mqtt.aliyuncs.com:8883");
  EXPECT_EQ(o->tags, (std::vector<std::string>{"auth", "errors"}));
  EXPECT_EQ(o->filter, "Active.*");
  EXPECT_EQ(o->jobs, 4);
  EXPECT_EQ(o->shard_index, 2);
  EXPECT_EQ(o->shard_count, 3);
  EXPECT_EQ(o->retries, 2);
  EXPECT_EQ(o->scheme, SignatureScheme::kV1);
  EXPECT_TRUE(o->allow_mutations);
  EXPECT_TRUE(o->allow_empty);
  EXPECT_EQ(o->JUnitPath(), "out/junit.xml");
  EXPECT_EQ(o->junit_flavour, JUnitFlavour::kExtended);
  EXPECT_EQ(o->json_file, "r.json");
  EXPECT_EQ(o->seed, 7u);
  EXPECT_TRUE(o->no_color);
  EXPECT_TRUE(o->quiet);
  EXPECT_EQ(o->paths, (std::vector<std::string>{"a.yaml", "--odd-file.yaml"}));
}

TEST(Cli, Client) {
  auto o = Parse({"--client", "node adapters/node/pop-core.mjs", "--client-timeout=2500"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->client, "node adapters/node/pop-core.mjs");
  EXPECT_EQ(o->client_timeout_ms, 2500);
  auto d = Parse({"--client", "python3 a.py"});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->client_timeout_ms, 30000);
  EXPECT_EQ(Parse({})->client, "");
}

TEST(Cli, ErrorsSayWhatToDo) {
  const std::pair<std::vector<std::string>, std::string> cases[] = {
      {{"--shard", "4/3"}, "--shard wants I/N with 1 <= I <= N"},
      {{"--shard", "x"}, "--shard wants I/N"},
      {{"-j", "0"}, "-j must be between 1 and 256"},
      {{"--jobs", "many"}, "--jobs wants a whole number"},
      {{"--scheme", "v2"}, "--scheme wants v1 or v3"},
      {{"--junit-flavour", "xunit2"}, "--junit-flavour wants strict or extended"},
      {{"--filter", "("}, "is not a valid regular expression"},
      {{"--tagz", "a"}, "unknown option \"--tagz\"; did you mean \"--tags\"?"},
      {{"--target"}, "--target needs a value"},
      {{"--junit", "--quiet"}, "--junit needs a value"},
      {{"--check", "--x"}, "unknown option \"--x\" (see --help)"},
      {{"--check=yes"}, "--check takes no value"},
      {{"--ca-file", "ca.pem"}, "--ca-file needs an https:// --target"},
      {{"--vars", "v.yaml"}, "--vars is for --target endpoints"},
      {{"--mqtt-endpoint", "h:8883"}, "--mqtt-endpoint is for --target endpoints"},
      {{"--check", "--list"}, "cannot be combined"},
      {{"--tags", " , "}, "--tags wants one or more tags"},
      {{"--client", " "}, "--client wants the command that starts the adapter"},
      {{"--client", "x", "--client-timeout", "0"}, "--client-timeout must be between 1 and 3600000"},
      {{"--client", "x", "--client-timeout", "soon"}, "--client-timeout wants a whole number"},
      {{"--client-timeout", "100"}, "--client-timeout needs --client"},
  };
  for (const auto& [args, message] : cases) {
    auto o = Parse(args);
    ASSERT_FALSE(o.ok()) << args[0];
    EXPECT_EQ(o.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(o.status().message().find(message), std::string::npos) << o.status().message();
  }
}

TEST(Cli, UsageDocumentsEveryFlagAndExitCode) {
  std::string usage = UsageText();
  for (const char* flag : {"--target",
                           "--vars",
                           "--ca-file",
                           "--insecure",
                           "--mqtt-endpoint",
                           "--fixture",
                           "--check",
                           "--list",
                           "--tags",
                           "--filter",
                           "--jobs",
                           "--shard",
                           "--retries",
                           "--scheme",
                           "--allow-mutations",
                           "--allow-empty",
                           "--report-dir",
                           "--junit",
                           "--junit-flavour",
                           "--json",
                           "--seed",
                           "--no-color",
                           "--quiet",
                           "--help",
                           "--version",
                           "ALIBABA_CLOUD_ACCESS_KEY_ID"}) {
    EXPECT_NE(usage.find(flag), std::string::npos) << flag;
  }
  for (const char* code : {"  0  ", "  1  ", "  2  ", "  3  ", "  4  "}) EXPECT_NE(usage.find(code), std::string::npos);
}

std::string ErrorOf(const std::vector<std::string>& args) {
  StatusOr<CliOptions> o = ParseCommandLine(args);
  if (o.ok()) return "(parsed)";
  EXPECT_EQ(o.status().code(), Status::Code::kInvalidArgument);
  return o.status().message();
}

// The rules and words of onsmqtt-mock's command line too (gateway/cli_test.cc).
TEST(Cli, UsageErrorsSayWhatToDoInTheMocksWords) {
  EXPECT_EQ(ErrorOf({"--verbose"}), "unknown option \"--verbose\" (see --help)");
  EXPECT_EQ(ErrorOf({"--verison"}), "unknown option \"--verison\"; did you mean \"--version\"? (see --help)");
  EXPECT_EQ(ErrorOf({"--quiet=1"}), "--quiet takes no value (see --help)");
  EXPECT_EQ(ErrorOf({"--help=yes"}), "--help takes no value (see --help)");
  EXPECT_EQ(ErrorOf({"--junit"}), "--junit needs a value (see --help)");
  EXPECT_EQ(ErrorOf({"-j"}), "-j needs a value (see --help)");
  EXPECT_EQ(ErrorOf({"--report-dir", "-q"}), "--report-dir needs a value (see --help)");
  EXPECT_EQ(ErrorOf({"--jobs=0"}), "--jobs must be between 1 and 256, got 0");
}

TEST(Cli, ValuesInBothFormsTheLastOneWins) {
  auto o = Parse({"--jobs=2", "-j", "3", "--filter=-x", "--tags", "a", "--tags=b", "--", "-"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->jobs, 3);
  EXPECT_EQ(o->filter, "-x");
  EXPECT_EQ(o->tags, std::vector<std::string>{"b"});
  EXPECT_EQ(o->paths, std::vector<std::string>{"-"});
  auto after_a_value = Parse({"--jobs", "2", "--", "--quiet"});  // "--" ends the options, not just --jobs's
  ASSERT_TRUE(after_a_value.ok()) << after_a_value.status().ToString();
  EXPECT_EQ(after_a_value->paths, std::vector<std::string>{"--quiet"});
  EXPECT_FALSE(after_a_value->quiet);
  auto help = Parse({"--check", "-h"});
  ASSERT_TRUE(help.ok());
  EXPECT_TRUE(help->help);
  auto version = Parse({"--version"});
  ASSERT_TRUE(version.ok());
  EXPECT_TRUE(version->version);
}

TEST(Cli, UsageDocumentsEveryOptionOfTheParser) {
  std::vector<std::string> names = CommandLineNames();
  EXPECT_GE(names.size(), 27u);
  for (const std::string& name : names) EXPECT_NE(UsageText().find(name), std::string::npos) << name;
}

TEST(Cli, ReportPathsAreReadFromArgumentsThatDoNotParse) {
  struct Case {
    std::vector<std::string> args;
    std::string junit, json;
    bool none;
  };
  const Case cases[] = {
      {{"--no-such-flag"}, "reports/junit.xml", "", false},
      {{"--report-dir", "out", "--jobs", "0"}, "out/junit.xml", "", false},
      {{"--report-dir=out", "--junit", "j.xml", "--json=r.json", "--bad"}, "j.xml", "r.json", false},
      {{"--jobs", "0", "--junit"}, "reports/junit.xml", "", false},  // no value: the default
      {{"--check", "--bad"}, "reports/junit.xml", "", true},
      {{"--", "--junit", "x.xml"}, "reports/junit.xml", "", false},  // paths, not flags
  };
  for (const Case& c : cases) {
    ReportPaths p = ReportPathsOf(c.args);
    EXPECT_EQ(p.junit, c.junit) << c.args[0];
    EXPECT_EQ(p.json, c.json) << c.args[0];
    EXPECT_EQ(p.none, c.none) << c.args[0];
  }
}

}  // namespace
}  // namespace onsmqtt::runner
