// bench/soak.sh's load: mixed operations at full load against one running
// onsmqtt-mock, for a bounded time, loopback only.
//
//   bench_soak_driver PORT MOCK_PID SECONDS FIXTURE_PATH
//
// Threads:
//   signed  6 keep-alive clients calling every operation of the contract in
//           turn, freshly signed (V1 and V3, GET and POST, query and form);
//   burst   every 3 s, 16 clients x 50 GetDeviceCertificate at once: over
//           the 500 calls/s limit (Throttling.User answers are counted);
//   admin   resets (every 10 s), fixture reloads (every 15 s), fault rules
//           toggled (errors with a probability, delays, and a
//           drop_connection rule on DeleteCaCertificate);
//   drop    DeleteCaCertificate calls: the only action the drop rule
//           matches, so its unanswered calls are the rule's, counted apart;
//   churn   connections opened and dropped: closed at once, closed after
//           half a request, closed without reading the answer, and short
//           "Connection: close" requests (those are counted).
// Every 30 s (and at the end) prints the mock's resident memory, threads
// and open descriptors (from /proc/MOCK_PID) with the counts so far; the
// last line is the summary (RSS growth from minute 2 to the end, unanswered
// requests, whether the mock is alive and answers). Exit 0 when the targets
// hold (growth < 10%, 0 unanswered, alive), 1 otherwise.
#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "contract/clock.h"
#include "contract/signer.h"

namespace {

using Steady = std::chrono::steady_clock;

struct Counts {
  std::atomic<long> requests{0}, answered{0}, unanswered{0}, s2xx{0}, s4xx{0}, s5xx{0}, throttled{0};
  std::atomic<long> admin{0}, admin_failed{0}, dropped_by_rule{0}, drop_calls{0}, churned{0};
};
Counts g;
std::atomic<bool> g_done{false};
int g_port = 0;
std::map<std::string, std::string> g_vars;
std::mutex g_err_mu;
std::map<std::string, long> g_errors;  // GUARDED_BY(g_err_mu): unanswered by httplib error

std::unique_ptr<httplib::Client> NewClient() {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", g_port);
  c->set_keep_alive(true);
  c->set_read_timeout(15, 0);
  c->set_connection_timeout(5, 0);
  return c;
}

std::string Var(const std::string& k) {
  auto it = g_vars.find(k);
  return it == g_vars.end() ? "" : it->second;
}

// Sends a signed call; returns the HTTP status, 0 when unanswered.
int Send(httplib::Client* client, const onsmqtt::Call& call, std::string* body = nullptr) {
  onsmqtt::Credentials creds{Var("key.owner.id"), Var("key.owner.secret"), ""};
  onsmqtt::StatusOr<onsmqtt::HttpRequest> signed_call =
      onsmqtt::SignCall(call, creds, onsmqtt::SystemClock::Instance());
  if (!signed_call.ok()) {
    std::fprintf(stderr, "soak_driver: %s\n", signed_call.status().ToString().c_str());
    return 0;
  }
  const onsmqtt::HttpRequest& wire = *signed_call;
  httplib::Request req;
  req.method = wire.method;
  req.path = wire.Target();
  for (const auto& [k, v] : wire.headers) req.headers.emplace(k, v);
  req.body = wire.body;
  httplib::Result r = client->send(req);
  if (!r) {
    std::lock_guard<std::mutex> lock(g_err_mu);
    ++g_errors[httplib::to_string(r.error())];
    return 0;
  }
  if (body != nullptr) *body = r->body;
  return r->status;
}

void Count(int status, const std::string& body) {
  ++g.requests;
  if (status == 0) {
    ++g.unanswered;
    return;
  }
  ++g.answered;
  (status < 300 ? g.s2xx : status < 500 ? g.s4xx : g.s5xx)++;
  if (body.find("Throttling.User") != std::string::npos) ++g.throttled;
}

std::vector<onsmqtt::Call> Operations() {
  const std::string inst = Var("instance.platinum.id"), ca = Var("ca.a.sn");
  auto device = [&](const std::string& d) {
    return onsmqtt::ParamList{
        {"MqttInstanceId", inst}, {"DeviceSn", Var("device." + d + ".sn")}, {"CaSn", Var("device." + d + ".ca_sn")}};
  };
  std::vector<std::pair<std::string, onsmqtt::ParamList>> ops = {
      {"ActiveDeviceCertificate", device("active")},
      {"InactivateDeviceCertificate", device("extra1")},
      {"GetDeviceCertificate", device("active")},
      {"DeleteDeviceCertificate", device("extra2")},
      {"ListDeviceCertificate", {{"MqttInstanceId", inst}, {"PageNo", "1"}, {"PageSize", "20"}}},
      {"ListDeviceCertificateByCaSn", {{"MqttInstanceId", inst}, {"CaSn", ca}, {"PageNo", "1"}, {"PageSize", "20"}}},
      {"GetRegisterCode", {{"MqttInstanceId", inst}}},
      {"RegisterCaCertificate",
       {{"MqttInstanceId", inst},
        {"CaName", "soak"},
        {"CaContent", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"},
        {"VerificationContent", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}}},
      {"ActiveCaCertificate", {{"MqttInstanceId", inst}, {"Sn", ca}}},
      {"InactivateCaCertificate", {{"MqttInstanceId", inst}, {"Sn", ca}}},
      {"GetCaCertificate", {{"MqttInstanceId", inst}, {"Sn", ca}}},
      {"ListCaCertificate", {{"MqttInstanceId", inst}, {"PageNo", "1"}, {"PageSize", "20"}}},
  };
  std::vector<onsmqtt::Call> calls;
  for (auto& [action, params] : ops) {
    onsmqtt::Call c;
    c.action = action;
    c.version = "2020-04-20";
    c.params = params;
    c.host = "onsmqtt.cn-hangzhou.aliyuncs.com";
    calls.push_back(c);
  }
  return calls;
}

void SignedLoop(int t) {
  auto client = NewClient();
  std::vector<onsmqtt::Call> ops = Operations();
  for (long i = t; !g_done; ++i) {
    onsmqtt::Call call = ops[static_cast<size_t>(i) % ops.size()];
    call.scheme = i % 2 == 0 ? onsmqtt::SignatureScheme::kV3 : onsmqtt::SignatureScheme::kV1;
    call.method = i % 3 == 0 ? onsmqtt::HttpMethod::kGet : onsmqtt::HttpMethod::kPost;
    call.placement = i % 4 == 1 ? onsmqtt::ParamPlacement::kFormBody : onsmqtt::ParamPlacement::kQuery;
    if (call.method == onsmqtt::HttpMethod::kGet) call.placement = onsmqtt::ParamPlacement::kQuery;
    std::string body;
    Count(Send(client.get(), call, &body), body);
  }
}

void BurstLoop() {
  onsmqtt::Call get = Operations()[2];
  while (!g_done) {
    std::vector<std::thread> th;
    for (int k = 0; k < 16; ++k) {
      th.emplace_back([&] {
        auto client = NewClient();
        for (int i = 0; i < 50 && !g_done; ++i) {
          std::string body;
          Count(Send(client.get(), get, &body), body);
        }
      });
    }
    for (auto& x : th) x.join();
    for (int i = 0; i < 30 && !g_done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void Admin(httplib::Client* c, const std::string& method, const std::string& path, const std::string& body = "") {
  httplib::Request req;
  req.method = method;
  req.path = "/__admin/" + path;
  req.body = body;
  if (!body.empty()) req.headers.emplace("Content-Type", "application/json");
  httplib::Result r = c->send(req);
  ++g.admin;
  if (!r || r->status != 200) ++g.admin_failed;
}

void AdminLoop(const std::string& fixture) {
  auto c = NewClient();
  for (long s = 1; !g_done; ++s) {
    if (s % 10 == 0) Admin(c.get(), "POST", "reset");
    if (s % 15 == 0) Admin(c.get(), "POST", "fixture", nlohmann::json{{"path", fixture}}.dump());
    if (s % 4 == 0) {
      Admin(
          c.get(), "POST", "faults",
          R"([{"code":"InternalError","probability":0.05,"seed":)" + std::to_string(s) +
              R"(},{"delay_ms":20,"times":40},{"action":"DeleteCaCertificate","drop_connection":true,"probability":0.5,"seed":)" +
              std::to_string(s) + "}]");
    }
    if (s % 4 == 2) Admin(c.get(), "DELETE", "faults");
    Admin(c.get(), "GET", s % 2 == 0 ? "journal?limit=5" : "state");
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

// Unanswered DeleteCaCertificate calls are the drop_connection rule's.
void DropLoop() {
  onsmqtt::Call del = Operations()[0];
  del.action = "DeleteCaCertificate";
  del.params = {{"MqttInstanceId", Var("instance.platinum.id")}, {"Sn", "00ff"}};
  auto client = NewClient();
  while (!g_done) {
    ++g.drop_calls;
    if (Send(client.get(), del) == 0) ++g.dropped_by_rule;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int RawConnect() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(g_port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void ChurnLoop() {
  const std::string health = "GET /__admin/health HTTP/1.1\r\nHost: mock\r\n";
  for (long i = 0; !g_done; ++i) {
    if (i % 4 == 3) {  // a counted short-lived request
      httplib::Client c("127.0.0.1", g_port);
      c.set_keep_alive(false);
      c.set_read_timeout(15, 0);
      auto r = c.Get("/__admin/health");
      Count(r ? r->status : 0, "");
      continue;
    }
    int fd = RawConnect();
    if (fd < 0) continue;
    if (i % 4 == 1) (void)!::send(fd, health.data(), health.size() - 5, MSG_NOSIGNAL);             // half a request
    if (i % 4 == 2) (void)!::send(fd, (health + "\r\n").data(), health.size() + 2, MSG_NOSIGNAL);  // not read
    ::close(fd);
    ++g.churned;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

long ProcField(int pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field));
  }
  return -1;
}

long OpenFds(int pid) {
  DIR* d = opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
  if (d == nullptr) return -1;
  long n = 0;
  while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

void Report(int pid, long seconds) {
  std::printf(
      "t=%4lds  mock RSS %6.1f MB  threads %3ld  fds %5ld | requests %ld answered %ld unanswered %ld "
      "(2xx %ld, 4xx %ld of which throttled %ld, 5xx %ld) | admin %ld (failed %ld) | drop rule: %ld of %ld calls "
      "| churned connections %ld\n",
      seconds, ProcField(pid, "VmRSS:") / 1024.0, ProcField(pid, "Threads:"), OpenFds(pid), g.requests.load(),
      g.answered.load(), g.unanswered.load(), g.s2xx.load(), g.s4xx.load(), g.throttled.load(), g.s5xx.load(),
      g.admin.load(), g.admin_failed.load(), g.dropped_by_rule.load(), g.drop_calls.load(), g.churned.load());
  std::fflush(stdout);
}

// Reads the mock's fixture variables (ids, keys) into g_vars.
bool LoadVars() {
  httplib::Client c("127.0.0.1", g_port);
  auto r = c.Get("/__admin/vars");
  if (!r || r->status != 200) return false;
  const nlohmann::json vars = nlohmann::json::parse(r->body, nullptr, false);
  if (vars.is_object()) {
    for (auto it = vars.begin(); it != vars.end(); ++it) {
      if (it->is_string()) g_vars[it.key()] = it->get<std::string>();
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: bench_soak_driver PORT MOCK_PID SECONDS FIXTURE_PATH\n");
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  g_port = std::atoi(argv[1]);
  const int pid = std::atoi(argv[2]);
  const long seconds = std::atol(argv[3]);
  if (!LoadVars()) {
    std::fprintf(stderr, "soak: cannot read /__admin/vars\n");
    return 2;
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) threads.emplace_back(SignedLoop, t);
  threads.emplace_back(BurstLoop);
  threads.emplace_back(AdminLoop, std::string(argv[4]));
  threads.emplace_back(DropLoop);
  threads.emplace_back(ChurnLoop);
  const auto start = Steady::now();
  long rss_min2 = -1, next = 30;
  Report(pid, 0);
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    long t = std::chrono::duration_cast<std::chrono::seconds>(Steady::now() - start).count();
    if (kill(pid, 0) != 0) break;  // the mock is gone
    if (t >= next || t >= seconds) {
      Report(pid, t);
      if (t >= 120 && rss_min2 < 0) rss_min2 = ProcField(pid, "VmRSS:");
      next += 30;
    }
    if (t >= seconds) break;
  }
  g_done = true;
  for (auto& t : threads) t.join();
  const bool alive = kill(pid, 0) == 0;
  httplib::Client c("127.0.0.1", g_port);
  const bool healthy = alive && c.Get("/__admin/health") && c.Get("/__admin/health")->status == 200;
  const long rss_end = ProcField(pid, "VmRSS:");
  if (rss_min2 < 0) rss_min2 = rss_end;
  const double growth = rss_min2 > 0 ? 100.0 * static_cast<double>(rss_end - rss_min2) / rss_min2 : 0;
  Report(pid, seconds);
  {
    std::lock_guard<std::mutex> lock(g_err_mu);
    for (auto& [k, n] : g_errors) std::printf("  transport errors: %s x%ld (drop rule included)\n", k.c_str(), n);
  }
  std::printf(
      "SOAK seconds=%ld requests=%ld unanswered=%ld rss_minute2_mb=%.1f rss_end_mb=%.1f growth=%.1f%% "
      "mock_alive=%s answers_after=%s\n",
      seconds, g.requests.load(), g.unanswered.load(), rss_min2 / 1024.0, rss_end / 1024.0, growth,
      alive ? "yes" : "NO (crashed)", healthy ? "yes" : "NO");
  return growth < 10.0 && g.unanswered == 0 && healthy ? 0 : 1;
}
