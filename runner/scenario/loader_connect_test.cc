// Connect steps: what the loader reads, and every bad form with its
// message and position.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "runner/scenario/loader.h"
#include "runner/scenario/loader_test_util.h"

namespace onsmqtt::runner {
namespace {

using ::testing::HasSubstr;

LoadOptions ConnectOptions() {
  LoadOptions o = Options();
  for (const char* name : {"device.active.pem", "device.active.key", "device.inactive.pem", "device.inactive.key",
                           "file.device_a_unregistered", "file.device_a_unregistered.key", "file.ca_a", "mqtt.ca"}) {
    o.known_variables.insert(name);
  }
  o.known_variables.insert("device.nokey.pem");  // a device without a key beside its certificate
  return o;
}

StatusOr<ScenarioFile> Load(const std::string& name, const std::string& steps) {
  std::string path = WriteTemp(name, "scenarios:\n  - name: s\n    steps:\n" + steps);
  return LoadScenarioFile(path, ConnectOptions());
}

TEST(LoaderConnectTest, DeviceShorthandAndDefaults) {
  StatusOr<ScenarioFile> file = Load("connect_device", "      - connect: {device: active}\n");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const Step& step = file->scenarios[0].steps[0];
  EXPECT_EQ(step.kind, Step::Kind::kConnect);
  EXPECT_EQ(step.name, "1: connect active");
  const ConnectSpec& c = step.connect;
  EXPECT_EQ(c.device, "active");
  EXPECT_EQ(c.certificate.text, "${device.active.pem}");
  EXPECT_EQ(c.key.text, "${device.active.key}");
  EXPECT_EQ(c.protocol, mqtt::Version::k311);
  EXPECT_EQ(c.keep_alive, 60);
  EXPECT_FALSE(c.handshake_only);
  EXPECT_FALSE(c.client_id.has_value());
  EXPECT_FALSE(c.server_name.has_value());
  EXPECT_EQ(c.expect.kind, ConnectExpectation::Kind::kConnack);
  EXPECT_EQ(c.expect.code, 0);
  // The references include the device's certificate and key, no identity.
  EXPECT_EQ(file->scenarios[0].references, (std::vector<std::string>{"device.active.pem", "device.active.key"}));
}

TEST(LoaderConnectTest, EveryKey) {
  StatusOr<ScenarioFile> file =
      Load("connect_every_key",
           "      - name: the new device\n"
           "        connect:\n"
           "          certificate: ${file.device_a_unregistered}\n"
           "          key: ${file.device_a_unregistered.key}\n"
           "          chain: [\"${file.ca_a}\"]\n"
           "          protocol: \"5.0\"\n"
           "          client_id: GID_x@@@${uuid}\n"
           "          server_name: ${instance.platinum.id}.mqtt.aliyuncs.com\n"
           "          username: u\n"
           "          password: p\n"
           "          keep_alive: 0\n"
           "        expect: {connack: 135}\n"
           "      - connect: {device: active, chain: \"${file.ca_a}\", handshake_only: true}\n"
           "      - connect: {device: inactive, protocol: \"3.1\"}\n"
           "        expect: {connack: 5}\n"
           "      - connect: {device: inactive}\n"
           "        expect: {closed: true}\n"
           "      - connect: {device: inactive, handshake_only: true}\n"
           "        expect: {refused: tls}\n");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const std::vector<Step>& steps = file->scenarios[0].steps;
  ASSERT_EQ(steps.size(), 5u);
  const ConnectSpec& c = steps[0].connect;
  EXPECT_EQ(steps[0].name, "the new device");
  EXPECT_TRUE(c.device.empty());
  EXPECT_EQ(c.certificate.text, "${file.device_a_unregistered}");
  EXPECT_EQ(c.certificate.loc.line, 6);
  EXPECT_EQ(c.key.text, "${file.device_a_unregistered.key}");
  ASSERT_EQ(c.chain.size(), 1u);
  EXPECT_EQ(c.protocol, mqtt::Version::k5);
  EXPECT_EQ(c.client_id->text, "GID_x@@@${uuid}");
  EXPECT_EQ(c.server_name->text, "${instance.platinum.id}.mqtt.aliyuncs.com");
  EXPECT_EQ(c.username->text, "u");
  EXPECT_EQ(c.password->text, "p");
  EXPECT_EQ(c.keep_alive, 0);
  EXPECT_EQ(c.expect.code, 135);
  EXPECT_EQ(c.expect.loc.line, 15);
  EXPECT_TRUE(steps[1].connect.handshake_only);
  EXPECT_EQ(steps[1].connect.chain.size(), 1u);
  EXPECT_EQ(steps[1].connect.expect.kind, ConnectExpectation::Kind::kHandshakeOk);
  EXPECT_EQ(steps[1].name, "2: connect active (handshake only)");
  EXPECT_EQ(steps[2].connect.protocol, mqtt::Version::k31);
  EXPECT_EQ(steps[2].connect.expect.code, 5);
  EXPECT_EQ(steps[3].connect.expect.kind, ConnectExpectation::Kind::kClosed);
  EXPECT_EQ(steps[4].connect.expect.kind, ConnectExpectation::Kind::kRefusedTls);
}

TEST(LoaderConnectTest, RefusedAnyAndCaptures) {
  StatusOr<ScenarioFile> file =
      Load("connect_capture",
           "      - connect: {device: inactive}\n"
           "        expect: {refused: any}\n"
           "        capture: {sn: certificate.sn, cn: certificate.cn, id: client_id}\n"
           "      - call: GetDeviceCertificate\n"
           "        params: {MqttInstanceId: x, DeviceSn: \"${sn}\", CaSn: \"${cn}${id}\"}\n");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const Step& step = file->scenarios[0].steps[0];
  EXPECT_EQ(step.connect.expect.kind, ConnectExpectation::Kind::kRefusedAny);
  ASSERT_EQ(step.captures.size(), 3u);
  EXPECT_EQ(step.captures[0].name, "sn");
  EXPECT_EQ(step.captures[0].path, "certificate.sn");
  EXPECT_EQ(step.captures[2].path, "client_id");
  EXPECT_EQ(file->scenarios[0].captured, (std::vector<std::string>{"sn", "cn", "id"}));
}

TEST(LoaderConnectTest, MixesWithCallSteps) {
  StatusOr<ScenarioFile> file = Load("connect_mixed",
                                     "      - connect: {device: inactive}\n"
                                     "        expect: {connack: 5}\n"
                                     "      - call: ActiveDeviceCertificate\n"
                                     "        params: {MqttInstanceId: \"${instance.platinum.id}\"}\n"
                                     "      - connect: {device: inactive}\n");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  const std::vector<Step>& steps = file->scenarios[0].steps;
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[1].kind, Step::Kind::kCall);
  EXPECT_EQ(steps[2].kind, Step::Kind::kConnect);
}

struct BadCase {
  const char* name;
  std::string steps;  // after "scenarios:\n  - name: s\n    steps:\n" (the first step is at line 4)
  int line;
  int column;
  std::string message;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class LoaderConnectErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(LoaderConnectErrorTest, ReportsExactMessageAndPosition) {
  const BadCase& c = GetParam();
  std::string path = WriteTemp(std::string("connect_") + c.name, "scenarios:\n  - name: s\n    steps:\n" + c.steps);
  LoadResult result = LoadScenarios({path}, ConnectOptions());
  ASSERT_FALSE(result.errors.empty()) << "no error for:\n" << c.steps;
  const Diagnostic& d = result.errors.front();
  EXPECT_EQ(d.message, c.message);
  EXPECT_EQ(d.loc.file, path);
  EXPECT_EQ(d.loc.line, c.line) << d.rendered;
  EXPECT_EQ(d.loc.column, c.column) << d.rendered;
  EXPECT_THAT(d.rendered, HasSubstr("^"));
  EXPECT_TRUE(result.files.empty());
}

const char kAllowed[] =
    "{connack: N}, {refused: any}, {refused: tls}, {closed: true} or {handshake: ok} (handshake_only steps)";

const BadCase kBadCases[] = {
    {"unknown_connect_key", "      - connect: {device: active, protocl: \"5.0\"}\n", 4, 35,
     "unknown key \"protocl\" in connect; did you mean \"protocol\"?"},
    {"unknown_step_key", "      - connect: {device: active}\n        params: {}\n", 5, 9,
     "unknown key \"params\" in connect step (expected one of: name connect expect capture)"},
    {"call_and_connect", "      - call: GetRegisterCode\n        connect: {device: active}\n", 4, 15,
     "a step is either a call (call:) or a device connecting (connect:), not both"},
    {"misspelt_connect", "      - conect: {device: active}\n", 4, 9,
     "unknown key \"conect\" in step; did you mean \"connect\"?"},
    {"connect_not_a_map", "      - connect: active\n", 4, 18, "connect must be a map, got a scalar"},
    {"no_identity", "      - connect: {protocol: \"3.1.1\"}\n", 4, 18,
     "connect needs device: <k> (the fixture's device.<k>.pem and .key) or certificate: and key: (PEM texts, e.g. "
     "${file.<k>} and ${file.<k>.key})"},
    {"device_and_certificate", "      - connect: {device: active, certificate: x, key: y}\n", 4, 48,
     "write device: <k> or certificate: and key:, not both"},
    {"certificate_without_key", "      - connect: {certificate: \"${file.device_a_unregistered}\"}\n", 4, 18,
     "connect has certificate: but no key: (its private key's PEM text)"},
    {"unknown_device", "      - connect: {device: activ}\n", 4, 27,
     "unknown device \"activ\": the target defines no device.activ.pem; did you mean \"active\"?"},
    {"device_without_key", "      - connect: {device: nokey}\n", 4, 27,
     "unknown device \"nokey\": the target defines no device.nokey.key (devices: active inactive)"},
    {"undefined_variable", "      - connect: {certificate: \"${file.device_a_unregistred}\", key: x}\n", 4, 33,
     "undefined variable ${file.device_a_unregistred}; did you mean \"file.device_a_unregistered\"?"},
    {"bad_protocol", "      - connect: {device: active, protocol: \"3\"}\n", 4, 45,
     "protocol must be one of 3.1 3.1.1 5.0, got \"3\"; did you mean \"3.1\"?"},
    {"bad_keep_alive", "      - connect: {device: active, keep_alive: 70000}\n", 4, 47,
     "keep_alive must be between 0 and 65535, got 70000"},
    {"bad_chain", "      - connect: {device: active, chain: {a: b}}\n", 4, 42,
     "chain must be a PEM text or a non-empty list of them, got a map"},
    {"expect_status", "      - connect: {device: active}\n        expect: {status: 200}\n", 5, 18,
     std::string("unknown expectation \"status\" of a connect step (one of ") + kAllowed + ")"},
    {"expect_misspelt", "      - connect: {device: active}\n        expect: {conack: 0}\n", 5, 18,
     std::string("unknown expectation \"conack\" of a connect step; did you mean \"connack\"? (one of ") + kAllowed +
         ")"},
    {"expect_two_keys", "      - connect: {device: active}\n        expect: {connack: 0, closed: true}\n", 5, 17,
     std::string("a connect step's expect is one of ") + kAllowed},
    {"expect_scalar", "      - connect: {device: active}\n        expect: accepted\n", 5, 17,
     std::string("a connect step's expect is one of ") + kAllowed},
    {"connack_not_a_number", "      - connect: {device: active}\n        expect: {connack: five}\n", 5, 27,
     "connack must be an integer, got \"five\""},
    {"connack_5_in_mqtt5", "      - connect: {device: active, protocol: \"5.0\"}\n        expect: {connack: 5}\n", 5,
     27, "connack 5 is not an MQTT 5.0 reason code (a 3.1.1 return code; in 5.0 \"not authorized\" is 135)"},
    {"connack_135_in_311", "      - connect: {device: active}\n        expect: {connack: 135}\n", 5, 27,
     "connack 135 is not an MQTT 3.1/3.1.1 return code (0-5) (a 5.0 reason code; write protocol: \"5.0\", or 5 for "
     "not authorized)"},
    {"refused_http", "      - connect: {device: active}\n        expect: {refused: http}\n", 5, 27,
     "refused must be one of any tls, got \"http\""},
    {"capture_unknown_field", "      - connect: {device: active}\n        capture: {sn: certificate.serial}\n", 5, 23,
     "capture sn must be one of certificate.sn certificate.cn client_id, got \"certificate.serial\"; did you mean "
     "\"certificate.sn\"?"},
    {"capture_bad_name", "      - connect: {device: active}\n        capture: {1sn: certificate.sn}\n", 5, 19,
     "capture name \"1sn\" must start with a letter and hold letters, digits, _ . - (not env.*)"},
    {"capture_client_id_of_handshake",
     "      - connect: {device: active, handshake_only: true}\n"
     "        capture: {id: client_id}\n",
     5, 23, "a handshake_only step sends no client id to capture"},
    {"capture_used_before",
     "      - connect: {device: active}\n        expect: {refused: any}\n"
     "      - connect: {certificate: \"${sn}\", key: k}\n        capture: {sn: certificate.sn}\n",
     6, 33,
     "undefined variable ${sn} (not a variable of the target, a capture of an earlier step, a built-in or env.NAME)"},
    {"closed_false", "      - connect: {device: active}\n        expect: {closed: false}\n", 5, 26,
     "write {closed: true} (an accepted connect is {connack: 0})"},
    {"handshake_without_handshake_only", "      - connect: {device: active}\n        expect: {handshake: ok}\n", 5, 18,
     "{handshake: ok} is for steps with handshake_only: true (a CONNECT is answered: {connack: N})"},
    {"handshake_only_connack",
     "      - connect: {device: active, handshake_only: true}\n        expect: {connack: 0}\n", 5, 18,
     "a handshake_only step sends no CONNECT: expect {handshake: ok}, {refused: any} or {refused: tls}"},
    {"handshake_not_ok",
     "      - connect: {device: active, handshake_only: true}\n        expect: {handshake: failed}\n", 5, 29,
     "handshake must be one of ok, got \"failed\""},
};

INSTANTIATE_TEST_SUITE_P(Table, LoaderConnectErrorTest, ::testing::ValuesIn(std::begin(kBadCases), std::end(kBadCases)),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace onsmqtt::runner
