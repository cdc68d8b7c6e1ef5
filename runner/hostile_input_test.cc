// Hostile input through the real programs (issue 9: limits on every input;
// issue 8: diagnostics). Each case once crashed a program, exhausted
// memory, or printed a misleading or unreadable diagnostic. The programs
// run under `ulimit -v` so that a regression is a failed test, not a
// machine brought down.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "contract/yaml_test_util.h"
#include "runner/test_util.h"

namespace onsmqtt::runner {
namespace {

using testing::CommandResult;
using testing::RunCommand;
using testing::TempDir;
using testing::WriteAll;

const std::string kRunner = ONSMQTT_RUNNER_BIN;
const std::string kMock = ONSMQTT_MOCK_BIN;
// 1 GB of address space: far more than either program needs, far less
// than an alias bomb takes. A sanitizer reserves terabytes of address space
// for its shadow memory, so there the sanitizer's own bound on resident
// memory does the job (the options the test preset sets are kept).
#ifdef ONSMQTT_SANITIZED
const std::string kBounded =
    "export ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=1000\" "
    "TSAN_OPTIONS=\"${TSAN_OPTIONS:+$TSAN_OPTIONS:}hard_rss_limit_mb=1000\"; ";
#else
const std::string kBounded = "ulimit -v 1000000; ";
#endif

using yaml::testing::AliasBomb;

CommandResult Check(const std::string& file) { return RunCommand(kBounded + kRunner + " --check '" + file + "'"); }

using testing::Count;

TEST(HostileYaml, RunnerRefusesAnAliasBomb) {
  TempDir dir;
  WriteAll(dir.File("bomb.yaml"), AliasBomb());
  CommandResult r = Check(dir.File("bomb.yaml"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(dir.File("bomb.yaml") + ":6:11: error: aliases expand this document beyond 250,000 nodes"),
            std::string::npos)
      << r.output;
}

TEST(HostileYaml, MockRefusesAnAliasBombAsFixture) {
  TempDir dir;
  WriteAll(dir.File("bomb.yaml"), AliasBomb());
  CommandResult r = RunCommand(kBounded + kMock + " --fixture '" + dir.File("bomb.yaml") + "' --port 0");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(dir.File("bomb.yaml") + ":6:11: error: aliases expand"), std::string::npos) << r.output;
}

TEST(HostileYaml, DeepNestingIsAPositionedError) {
  TempDir dir;
  WriteAll(dir.File("deep.yaml"), "scenarios: " + std::string(50'000, '[') + "\n");
  CommandResult r = Check(dir.File("deep.yaml"));
  EXPECT_EQ(r.exit_code, 2) << r.output.substr(0, 2000);
  EXPECT_NE(r.output.find("deep.yaml:1:"), std::string::npos);
  EXPECT_NE(r.output.find(": error: lists and maps are nested deeper than 128 levels"), std::string::npos)
      << r.output.substr(0, 2000);
  // So many that yaml-cpp would read through them all first (≈240 bytes each).
  WriteAll(dir.File("deeper.yaml"), "scenarios:\n" + std::string(2'000'000, '[') + "\n");
  r = Check(dir.File("deeper.yaml"));
  EXPECT_EQ(r.exit_code, 2) << r.output.substr(0, 2000);
  EXPECT_NE(r.output.find("deeper.yaml:2:100001: error: the file holds more than 100,000 \"[\" and \"{\""),
            std::string::npos)
      << r.output.substr(0, 2000);
  for (const char* name : {"deep.yaml", "deeper.yaml"}) {
    CommandResult mock = RunCommand(kBounded + kMock + " --fixture '" + dir.File(name) + "' --port 0");
    EXPECT_EQ(mock.exit_code, 2) << mock.output.substr(0, 2000);
  }
}

TEST(HostileYaml, FilesOverFourMebibytesAreRefusedAtLineOne) {
  TempDir dir;
  WriteAll(dir.File("big.yaml"), "# " + std::string(5 << 20, 'x') + "\n");
  CommandResult r = Check(dir.File("big.yaml"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find(dir.File("big.yaml") +
                          ":1:1: error: the file is larger than 4194304 bytes, the limit for an input file"),
            std::string::npos)
      << r.output.substr(0, 2000);
  CommandResult mock = RunCommand(kBounded + kMock + " --fixture '" + dir.File("big.yaml") + "' --port 0");
  EXPECT_EQ(mock.exit_code, 2);
  EXPECT_NE(mock.output.find(dir.File("big.yaml") + ":1:1: error: the file is larger"), std::string::npos)
      << mock.output.substr(0, 2000);
}

// Content shared with an anchor is read once per alias; its error is
// reported once, at its position.
TEST(Diagnostics, AnAnchoredErrorIsReportedOnce) {
  TempDir dir;
  WriteAll(dir.File("anchors.yaml"),
           "scenarios:\n"
           "  - name: a\n"
           "    steps:\n"
           "      - call: ActiveDeviceCertificate\n"
           "        params: &p\n"
           "          MqttInstanceId: ${instance.platinum.id}\n"
           "          DeviceSn: ${nowhere.sn}\n"
           "          CaSn: x\n"
           "  - name: b\n"
           "    steps:\n"
           "      - call: ActiveDeviceCertificate\n"
           "        params: *p\n"
           "  - name: c\n"
           "    steps:\n"
           "      - call: ActiveDeviceCertificate\n"
           "        params: *p\n");
  CommandResult r = Check(dir.File("anchors.yaml"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(Count(r.output, "anchors.yaml:7:21: error: undefined variable ${nowhere.sn}"), 1u) << r.output;
  EXPECT_EQ(Count(r.output, ": error: "), 1u) << r.output;
}

// Every duplicate key, and all errors in line:col order.
TEST(Diagnostics, EveryErrorOfAFileInLineOrder) {
  TempDir dir;
  WriteAll(dir.File("many.yaml"),
           "scenarios:\n"
           "  - name: s\n"
           "    steps:\n"
           "      - call: NoSuchAction\n"
           "        params: {a: 1, a: 2}\n"
           "    tagz: [x]\n"
           "  - name: t\n"
           "    name: u\n"
           "    steps:\n"
           "      - call: GetRegisterCode\n"
           "        params:\n"
           "          MqttInstanceId: ${instance.platinum.id}\n"
           "          MqttInstanceId: y\n");
  CommandResult r = Check(dir.File("many.yaml"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  std::vector<std::string> where;
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) {
    size_t at = line.find(": error: ");
    if (at != std::string::npos && line.rfind(dir.path(), 0) == 0) where.push_back(line.substr(0, at));
  }
  std::string f = dir.File("many.yaml");
  std::vector<std::string> expected = {f + ":4:15", f + ":5:24", f + ":6:5", f + ":8:5", f + ":13:11"};
  EXPECT_EQ(where, expected) << r.output;
  EXPECT_EQ(Count(r.output, "duplicate key"), 3u) << r.output;
}

TEST(Diagnostics, YamlCppErrorsNameTheLikelyCause) {
  TempDir dir;
  WriteAll(dir.File("flow.yaml"),
           "scenarios:\n  - name: s\n    steps:\n      - call: GetRegisterCode\n"
           "        params: {MqttInstanceId: ${instance.platinum.id}}\n");
  CommandResult r = Check(dir.File("flow.yaml"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("end of map flow not found; likely cause: an unquoted ${...} inside {...} or [...]"),
            std::string::npos)
      << r.output;
}

TEST(Diagnostics, LongSourceLinesAreClippedAroundTheCaret) {
  TempDir dir;
  WriteAll(dir.File("long.yaml"),
           "scenarios:\n  - name: s\n    steps:\n      - call: GetRegisterCode\n"
           "        params: {MqttInstanceId: \"" +
               std::string(100'000, 'x') + "${nowhere.id}\"}\n");
  CommandResult r = Check(dir.File("long.yaml"));
  EXPECT_EQ(r.exit_code, 2) << r.output.substr(0, 2000);
  EXPECT_NE(r.output.find("long.yaml:5:100035: error: undefined variable ${nowhere.id}"), std::string::npos)
      << r.output.substr(0, 2000);
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);) EXPECT_LT(line.size(), 300u) << line.substr(0, 300);
  EXPECT_NE(r.output.find(" | ..." + std::string(60, 'x') + "${nowhere.id}\"}\n"), std::string::npos)
      << r.output.substr(0, 2000);
}

// The mock as a separate process on a free port; killed at the end.
class MockProcess {
 public:
  MockProcess() {
    port_ = testing::ClosedPort();
    pid_ = fork();
    if (pid_ == 0) {
      std::string port = std::to_string(port_);
      execl(kMock.c_str(), kMock.c_str(), "--fixture", "fixtures/default.yaml", "--port", port.c_str(), "--quiet",
            static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~MockProcess() {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  // Waits (bounded) until the mock answers; false if it never does.
  bool Ready() {
    httplib::Client c("127.0.0.1", port_);
    for (int i = 0; i < 200; ++i) {
      if (auto res = c.Get("/__admin/health")) return res->status == 200;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }
  bool Alive() { return waitpid(pid_, nullptr, WNOHANG) == 0; }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

TEST(HostileJson, DeepJsonOnTheAdminApiIsA400AndTheMockKeepsServing) {
  MockProcess mock;
  ASSERT_TRUE(mock.Ready());
  httplib::Client c("127.0.0.1", mock.port());
  c.set_read_timeout(30, 0);
  // The 400,000 levels (800 KB) are over the size limit; 100,000
  // (200 KB, enough for SIGSEGV before) meet the depth check.
  auto bomb = c.Post("/__admin/faults", std::string(400'000, '[') + std::string(400'000, ']'), "application/json");
  ASSERT_TRUE(bomb) << httplib::to_string(bomb.error());
  EXPECT_EQ(bomb->status, 413);
  EXPECT_EQ(nlohmann::json::parse(bomb->body, nullptr, false).value("error", ""),
            "the request body holds 800000 bytes; the admin API accepts at most 262144");
  std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  for (const char* path : {"/__admin/faults", "/__admin/fixture", "/__admin/devices/register"}) {
    auto res = c.Post(path, deep, "application/json");
    ASSERT_TRUE(res) << path << ": " << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 400) << path;
    nlohmann::json body = nlohmann::json::parse(res->body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << res->body;
    EXPECT_EQ(body.value("error", ""),
              "the request body is JSON nested deeper than 64 levels (at byte 64); the admin API accepts at most 64")
        << path;
  }
  auto big = c.Post("/__admin/faults", "[" + std::string(300'000, ' ') + "]", "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  EXPECT_NE(big->body.find("the admin API accepts at most 262144"), std::string::npos) << big->body;
  auto health = c.Get("/__admin/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_TRUE(mock.Alive());
}

// cpp-httplib's own limits (compiled into Debian's library) answer before
// the mock's handlers; the mock says which limit in a JSON reason.
TEST(HostileHttp, HttpLayerLimitsAnswerWithAJsonReason) {
  MockProcess mock;
  ASSERT_TRUE(mock.Ready());
  httplib::Client c("127.0.0.1", mock.port());
  auto reason = [](const httplib::Result& res) {
    nlohmann::json j = nlohmann::json::parse(res->body, nullptr, false);
    return j.is_object() ? j.value("error", "") : "not JSON: " + res->body;
  };
  auto near = c.Get("/__admin/health?x=" + std::string(8000, 'a'));
  ASSERT_TRUE(near);
  EXPECT_EQ(near->status, 200);
  auto uri = c.Get("/__admin/health?x=" + std::string(8200, 'a'));
  ASSERT_TRUE(uri);
  EXPECT_EQ(uri->status, 414);
  EXPECT_EQ(reason(uri), "the request line (method, path and query) is longer than 8192 bytes");
  auto header = c.Get("/__admin/health", {{"X-Long", std::string(8200, 'a')}});
  ASSERT_TRUE(header);
  EXPECT_EQ(header->status, 400);
  EXPECT_NE(reason(header).find("a header line longer than 8192 bytes"), std::string::npos) << reason(header);
  auto form = c.Post("/", "a=" + std::string(8200, 'a'), "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 413);
  EXPECT_NE(reason(form).find("at most 8192 bytes for a form body"), std::string::npos) << reason(form);
  auto body = c.Post("/__admin/faults", std::string((1 << 20) + 1, ' '), "application/json");
  ASSERT_TRUE(body);
  EXPECT_EQ(body->status, 413);
  EXPECT_NE(reason(body).find("1048576 bytes for any other"), std::string::npos) << reason(body);
  auto health = c.Get("/__admin/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
}

// A hostile endpoint: the runner reads its answer (transport_error.yaml's
// one call) and must finish with a harness error saying why.
CommandResult RunAgainst(const std::string& answer) {
  httplib::Server server;
  auto handler = [&](const httplib::Request&, httplib::Response& res) { res.set_content(answer, "application/json"); };
  server.Post("/", handler);
  server.Get("/", handler);
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread t([&] { server.listen_after_bind(); });
  TempDir dir;
  WriteAll(dir.File("vars.yaml"),
           "region: cn-hangzhou\ninstance.platinum.id: post-cn-x\ndevice.active.sn: aa\ndevice.active.ca_sn: bb\n");
  CommandResult r =
      RunCommand(kBounded + "ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIhostile ALIBABA_CLOUD_ACCESS_KEY_SECRET=hostileSecret1 " +
                 kRunner + " --report-dir " + dir.path() + " --target http://127.0.0.1:" + std::to_string(port) +
                 " --vars " + dir.File("vars.yaml") + " runner/testdata/failing/transport_error.yaml");
  server.stop();
  t.join();
  return r;
}

TEST(HostileJson, DeepAnswersOfAnEndpointAreErrorsNotCrashes) {
  CommandResult r = RunAgainst(std::string(400'000, '[') + std::string(400'000, ']'));
  EXPECT_EQ(r.exit_code, 3) << r.output.substr(0, 3000);
  EXPECT_NE(r.output.find("is JSON nested deeper than 64 levels (at byte 64)"), std::string::npos)
      << r.output.substr(0, 3000);
}

TEST(HostileJson, HugeAnswersOfAnEndpointStopAtTheLimit) {
  CommandResult r = RunAgainst(std::string((16 << 20) + 1, ' '));
  EXPECT_EQ(r.exit_code, 3) << r.output.substr(0, 3000);
  EXPECT_NE(r.output.find("is larger than 16777216 bytes, the runner's limit for an answer"), std::string::npos)
      << r.output.substr(0, 3000);
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// An endpoint answering XML: libxml2 reads it (runner/execute/xml_answer.h),
// loading no DTD and expanding no entity, bounded like JSON answers.
TEST(HostileXml, BadXmlAnswersOfAnEndpointAreErrorsThatSayWhere) {
  std::string laughs = "<!ENTITY lol0 \"lol\">";  // lol9 would be 3,000,000,000 bytes
  for (int i = 1; i <= 9; ++i) {
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"" + Repeat("&lol" + std::to_string(i - 1) + ";", 10) + "\">";
  }
  const std::pair<std::string, std::string> cases[] = {
      {"<?xml version=\"1.0\"?><!DOCTYPE R [" + laughs + "]><R><A>&lol9;</A></R>",
       "is XML with a DOCTYPE (at line 1, column "},
      {"<!DOCTYPE R [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><R><A>&x;</A></R>",
       "is XML with a DOCTYPE (at line 1, column "},
      {Repeat("<E>", 400'000), "is XML nested deeper than 64 levels (at line 1, column 198)"},
      {"<Error><Code>a & b</Code></Error>", "is not well-formed XML at line 1, column 17: xmlParseEntityRef: no name"},
  };
  for (const auto& [answer, reason] : cases) {
    CommandResult r = RunAgainst(answer);
    EXPECT_EQ(r.exit_code, 3) << r.output.substr(0, 3000);
    EXPECT_NE(r.output.find(reason), std::string::npos) << reason << "\n" << r.output.substr(0, 3000);
  }
}

}  // namespace
}  // namespace onsmqtt::runner
