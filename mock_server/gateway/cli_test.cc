// onsmqtt-mock's command line (mock_server/gateway/cli.h).
#include "mock_server/gateway/cli.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <sstream>

namespace onsmqtt::mock {
namespace {

std::string ErrorOf(const std::vector<std::string>& args) {
  StatusOr<MockCommandLine> cl = ParseMockCommandLine(args);
  if (cl.ok()) return "(parsed)";
  EXPECT_EQ(cl.status().code(), Status::Code::kInvalidArgument);
  return cl.status().message();
}

TEST(MockCli, EveryFlagInBothForms) {
  StatusOr<MockCommandLine> cl = ParseMockCommandLine({"--fixture",
                                                       "f.yaml",
                                                       "--host=0.0.0.0",
                                                       "--port",
                                                       "0",
                                                       "--tls-cert",
                                                       "c.pem",
                                                       "--tls-key=k.pem",
                                                       "--auth",
                                                       "log",
                                                       "--status-profile",
                                                       "adjusted",
                                                       "--status",
                                                       "Throttling.User=429",
                                                       "--rate-limit=7",
                                                       "--non-platinum-code",
                                                       "ApiNotSupport",
                                                       "--default-region",
                                                       "cn-beijing",
                                                       "--admin-token=t",
                                                       "--admin-remote",
                                                       "--no-nonce-check",
                                                       "--strict-requests",
                                                       "--quiet",
                                                       "--max-connections=64"});
  ASSERT_TRUE(cl.ok()) << cl.status().ToString();
  EXPECT_EQ(cl->fixture, "f.yaml");
  EXPECT_EQ(cl->options.host, "0.0.0.0");
  EXPECT_EQ(cl->options.port, 0);
  EXPECT_EQ(cl->options.tls_cert_file, "c.pem");
  EXPECT_EQ(cl->options.tls_key_file, "k.pem");
  EXPECT_EQ(cl->options.auth, AuthMode::kLog);
  EXPECT_EQ(cl->options.status_profile, "adjusted");
  EXPECT_EQ(cl->options.status_overrides.at("Throttling.User"), 429);
  EXPECT_EQ(cl->options.rate_limit, 7);
  EXPECT_EQ(cl->options.default_region, "cn-beijing");
  EXPECT_EQ(cl->options.admin_token, "t");
  EXPECT_TRUE(cl->options.admin_remote);
  EXPECT_FALSE(cl->options.check_nonce_replay);
  EXPECT_TRUE(cl->options.strict_requests);
  EXPECT_TRUE(cl->options.quiet);
  EXPECT_EQ(cl->options.max_connections, 64);
  EXPECT_TRUE(cl->options.admin_enabled);
  EXPECT_FALSE(cl->help || cl->version);
}

TEST(MockCli, Defaults) {
  StatusOr<MockCommandLine> cl = ParseMockCommandLine({"--fixture", "f.yaml"});
  ASSERT_TRUE(cl.ok());
  EXPECT_EQ(cl->options.port, 8080);
  EXPECT_EQ(cl->options.host, "127.0.0.1");
  EXPECT_EQ(cl->options.auth, AuthMode::kStrict);
  EXPECT_TRUE(cl->options.check_nonce_replay);
  EXPECT_FALSE(cl->options.strict_requests) << "the service's behaviour: unknown parameters ignored";
}

TEST(MockCli, VersionAndHelpNeedNoFixture) {
  StatusOr<MockCommandLine> v = ParseMockCommandLine({"--version"});
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->version);
  StatusOr<MockCommandLine> h = ParseMockCommandLine({"-h"});
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->help);
  EXPECT_STREQ(MockVersion(), ONSMQTT_EXPECTED_VERSION);
  EXPECT_NE(std::string(MockUsageText()).find("--version"), std::string::npos);
}

TEST(MockCli, UnknownOptionsAreUnknownWhereverTheyStand) {
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--x"}), "unknown option \"--x\" (see --help)");
  EXPECT_EQ(ErrorOf({"--x", "--fixture", "f.yaml"}), "unknown option \"--x\" (see --help)");
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--prot", "80"}),
            "unknown option \"--prot\"; did you mean \"--port\"? (see --help)");
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--verison"}),
            "unknown option \"--verison\"; did you mean \"--version\"? (see --help)");
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--quite"}),
            "unknown option \"--quite\"; did you mean \"--quiet\"? (see --help)");
  EXPECT_EQ(ErrorOf({"--fixture=f.yaml", "--defualt-region=cn-beijing"}),
            "unknown option \"--defualt-region\"; did you mean \"--default-region\"? (see --help)");
  EXPECT_EQ(ErrorOf({"f.yaml"}), "unexpected argument \"f.yaml\" (the mock takes options only; e.g. --fixture f.yaml)");
}

TEST(MockCli, AKnownFlagWithoutItsValueNeedsAValue) {
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--port"}), "--port needs a value (see --help)");
  EXPECT_EQ(ErrorOf({"--fixture"}), "--fixture needs a value (see --help)");
  EXPECT_EQ(ErrorOf({"--fixture", "--quiet"}), "--fixture needs a value (see --help)");
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--quiet=yes"}), "--quiet takes no value (see --help)");
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--strict-requests=on"}), "--strict-requests takes no value (see --help)");
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--strict-request"}),
            "unknown option \"--strict-request\"; did you mean \"--strict-requests\"? (see --help)");
}

// The rules and words of onsmqtt-runner's command line too (runner/cli_test.cc).
TEST(MockCli, UsageErrorsSayWhatToDoInTheRunnersWords) {
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--verbose"}), "unknown option \"--verbose\" (see --help)");
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--quiet=1"}), "--quiet takes no value (see --help)");
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--help=yes"}), "--help takes no value (see --help)");
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--port", "-h"}), "--port needs a value (see --help)");
}

TEST(MockCli, TheLastValueWinsAndStatusRepeats) {
  StatusOr<MockCommandLine> cl = ParseMockCommandLine(
      {"--fixture=a.yaml", "--port=1", "--port", "2", "--status", "A=429", "--status=B=503", "--fixture", "b.yaml"});
  ASSERT_TRUE(cl.ok()) << cl.status().ToString();
  EXPECT_EQ(cl->fixture, "b.yaml");
  EXPECT_EQ(cl->options.port, 2);
  EXPECT_EQ(cl->options.status_overrides, (std::map<std::string, int>{{"A", 429}, {"B", 503}}));
  EXPECT_EQ(ErrorOf({"--fixture", "f.yaml", "--", "x"}),
            "unexpected argument \"x\" (the mock takes options only; e.g. --fixture x)");
}

TEST(MockCli, UsageDocumentsEveryOptionOfTheParser) {
  std::vector<std::string> names = MockOptionNames();
  EXPECT_GE(names.size(), 20u);
  for (const std::string& name : names) EXPECT_NE(std::string(MockUsageText()).find(name), std::string::npos) << name;
}

struct Answer {
  std::optional<int> exit_code;
  std::string out, err;
};

Answer AnswerOf(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  std::optional<int> code = AnswerCommandLine(ParseMockCommandLine(args), out, err);
  return {code, out.str(), err.str()};
}

TEST(MockCli, HelpVersionAndUsageErrorsAreAnsweredBeforeServing) {
  Answer help = AnswerOf({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out, MockUsageText());
  EXPECT_EQ(help.err, "");
  Answer version = AnswerOf({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, std::string("onsmqtt-mock ") + ONSMQTT_EXPECTED_VERSION + " (contract OnsMqtt 2020-04-20)\n");
  Answer bad = AnswerOf({"--fixture", "f.yaml", "--verbose"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(bad.err, "onsmqtt-mock: error: unknown option \"--verbose\" (see --help)\n");
  EXPECT_EQ(AnswerOf({"--fixture", "f.yaml"}).exit_code, std::nullopt);
}

TEST(MockCli, BadValuesSayWhatIsExpected) {
  EXPECT_EQ(ErrorOf({"--fixture", "f", "--port", "http"}), "--port needs a number in 0..65535, got \"http\"");
  EXPECT_EQ(ErrorOf({"--fixture", "f", "--auth=none"}), "--auth must be strict, log or off, got \"none\"");
  EXPECT_EQ(ErrorOf({"--fixture", "f", "--status", "X"}),
            "--status needs CODE=STATUS with STATUS in 100..599, got \"X\"");
  EXPECT_EQ(ErrorOf({"--fixture", "f", "--non-platinum-code", "Nope"}),
            "--non-platinum-code: \"Nope\" is not an error code of the contract");
  EXPECT_EQ(ErrorOf({"--fixture", "f", "--max-connections", "0"}),
            "--max-connections needs a number in 1..1000000, got \"0\"");
  EXPECT_EQ(ErrorOf({}), "--fixture FILE is required (e.g. --fixture fixtures/default.yaml)");
  EXPECT_EQ(ErrorOf({"--fixture", "f", "--mqtt-refusal", "drop"}),
            "--mqtt-refusal must be connack, close or tls-alert, got \"drop\"");
  EXPECT_EQ(ErrorOf({"--fixture", "f", "--mqtt-tls-version=1.1"}),
            "--mqtt-tls-version must be 1.2 or 1.3, got \"1.1\"");
  EXPECT_EQ(ErrorOf({"--fixture", "f", "--mqtt-port", "-1"}), "--mqtt-port needs a number in 0..65535, got \"-1\"");
}

TEST(MockCli, MqttFlags) {
  StatusOr<MockCommandLine> cl = ParseMockCommandLine(
      {"--fixture", "f.yaml", "--mqtt-port=0", "--mqtt-tls-cert", "c.pem", "--mqtt-tls-key=k.pem", "--mqtt-instance",
       "post-cn-x", "--mqtt-refusal", "tls-alert", "--mqtt-tls-version=1.3", "--mqtt-max-connections", "5"});
  ASSERT_TRUE(cl.ok()) << cl.status().ToString();
  EXPECT_EQ(cl->options.mqtt_port, 0);
  EXPECT_EQ(cl->options.mqtt_tls_cert_file, "c.pem");
  EXPECT_EQ(cl->options.mqtt_tls_key_file, "k.pem");
  EXPECT_EQ(cl->options.mqtt_instance, "post-cn-x");
  EXPECT_EQ(cl->options.mqtt_refusal, MqttRefusal::kTlsAlert);
  EXPECT_EQ(cl->options.mqtt_tls_version, "1.3");
  EXPECT_EQ(cl->options.mqtt_max_connections, 5);
  StatusOr<MockCommandLine> defaults = ParseMockCommandLine({"--fixture", "f.yaml"});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->options.mqtt_port, -1);  // no listener unless asked
  EXPECT_EQ(defaults->options.mqtt_refusal, MqttRefusal::kConnack);
  EXPECT_EQ(defaults->options.mqtt_tls_version, "1.2");
}

}  // namespace
}  // namespace onsmqtt::mock
