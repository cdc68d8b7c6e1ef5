// The adapter protocol: the hello, requests and answers matched by id, and
// the pool of adapters a run keeps. The process is client_process.cc.
#include "runner/execute/client_adapter.h"

#include <algorithm>
#include <map>
#include <regex>

#include "contract/json_limits.h"

namespace onsmqtt::runner {
namespace {

using Json = nlohmann::json;

std::string First120(const std::string& line) {
  return line.size() <= 120 ? line : line.substr(0, 120) + "... (" + std::to_string(line.size()) + " bytes)";
}

std::string Dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// A JSON object, or nullopt (not JSON, nested too deep, not an object).
std::optional<Json> ParseObject(const std::string& line) {
  if (!CheckJsonDepth(line).ok()) return std::nullopt;
  Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

// The strings of hello[field], each one of `allowed`; "" when fine, else why not.
std::string ReadList(const Json& hello, const char* field, const std::vector<std::string>& allowed,
                     std::vector<std::string>* out) {
  auto it = hello.find(field);
  if (it == hello.end() || !it->is_array()) return std::string("\"") + field + "\" must be an array of strings";
  for (const Json& v : *it) {
    if (!v.is_string() || !Offers(allowed, v.get<std::string>())) {
      std::string all;
      for (const std::string& a : allowed) all += (all.empty() ? "" : ", ") + a;
      return std::string("\"") + field + "\" may hold only " + all + ", got " + Dump(v);
    }
    out->push_back(v.get<std::string>());
  }
  return "";
}

// Why `line` is not a protocol-1 hello, or "" (and `out` filled).
std::string ParseHello(const std::string& line, ClientHello* out) {
  std::optional<Json> j = ParseObject(line);
  if (!j || !j->contains("hello") || !j->at("hello").is_object()) {
    return "it is not {\"hello\": {...}}: " + First120(line);
  }
  const Json& h = j->at("hello");
  if (!h.contains("protocol") || h.at("protocol") != 1) {
    return "it speaks protocol " + (h.contains("protocol") ? Dump(h.at("protocol")) : "(none)") +
           "; the runner speaks protocol 1";
  }
  static const std::regex kName("[A-Za-z0-9._@-]{1,100}");
  if (!h.contains("name") || !h.at("name").is_string() || !std::regex_match(h.at("name").get<std::string>(), kName)) {
    return "\"name\" must be 1 to 100 letters, digits, '-', '_', '.' or '@', got " +
           (h.contains("name") ? First120(Dump(h.at("name"))) : "none");
  }
  out->name = h.at("name").get<std::string>();
  for (std::string why :
       {ReadList(h, "schemes", {"v1", "v3"}, &out->schemes), ReadList(h, "methods", {"GET", "POST"}, &out->methods),
        ReadList(h, "formats", {"JSON", "XML"}, &out->formats)}) {
    if (!why.empty()) return why;
  }
  return "";
}

std::string Describe(const ClientRequest& request) {
  return "the answer to request " + std::to_string(request.id) + " (" + request.action + ")";
}

}  // namespace

bool Offers(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

StatusOr<std::unique_ptr<ClientAdapter>> ClientAdapter::Start(const ClientOptions& options) {
  std::unique_ptr<ClientAdapter> adapter(new ClientAdapter(options));
  if (Status s = adapter->Spawn(); !s.ok()) return s;
  if (Status s = adapter->Hello(); !s.ok()) return s;
  return adapter;
}

Status ClientAdapter::Hello() {
  pending_ = "{\"hello\":{\"protocol\":1}}\n";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.timeout_ms) + kClientGrace;
  StatusOr<std::string> line = ReadLine(deadline, "its hello");
  if (!line.ok()) return line.status();
  std::string why = ParseHello(*line, &hello_);
  if (why.empty()) return Status::Ok();
  return Fail(ClientFailure::kBadHello, "the client adapter's hello is not the protocol's: " + why);
}

StatusOr<std::vector<nlohmann::json>> ClientAdapter::Call(const std::vector<ClientRequest>& requests, int window,
                                                          const std::atomic<bool>* stop) {
  using Clock = std::chrono::steady_clock;
  struct Outstanding {
    size_t index;
    Clock::time_point deadline;
  };
  std::vector<Json> answers(requests.size());
  std::map<int64_t, Outstanding> outstanding;  // by id
  size_t next = 0;
  const size_t limit = static_cast<size_t>(std::max(1, window));
  const auto patience = std::chrono::milliseconds(options_.timeout_ms) + kClientGrace;
  while (true) {
    while (next < requests.size() && outstanding.size() < limit && !(stop != nullptr && stop->load())) {
      pending_ += requests[next].line + "\n";
      outstanding[requests[next].id] = {next, Clock::now() + patience};
      ++next;
    }
    if (outstanding.empty()) break;
    auto oldest = std::min_element(outstanding.begin(), outstanding.end(),
                                   [](const auto& a, const auto& b) { return a.second.deadline < b.second.deadline; });
    StatusOr<std::string> line = ReadLine(oldest->second.deadline, Describe(requests[oldest->second.index]));
    if (!line.ok()) return line.status();
    std::optional<Json> answer = ParseObject(*line);
    if (!answer)
      return Fail(ClientFailure::kNotJson,
                  "the client adapter printed a line that is not a JSON object: " + First120(*line));
    if (!answer->contains("id") || !answer->at("id").is_number_integer()) {
      return Fail(ClientFailure::kMissingField,
                  "the client adapter's answer has no numeric \"id\": " + First120(*line));
    }
    if (!answer->contains("ok") || !answer->at("ok").is_boolean()) {
      return Fail(ClientFailure::kMissingField,
                  "the client adapter's answer has no boolean \"ok\": " + First120(*line));
    }
    auto it = outstanding.find(answer->at("id").get<int64_t>());
    if (it == outstanding.end()) {
      return Fail(ClientFailure::kUnknownId, "the client adapter answered id " + Dump(answer->at("id")) +
                                                 ", which the runner did not ask (or had an answer for already)");
    }
    answers[it->second.index] = std::move(*answer);
    outstanding.erase(it);
  }
  answers.resize(next);
  return answers;
}

StatusOr<std::unique_ptr<ClientPool>> ClientPool::Create(const ClientOptions& options) {
  std::unique_ptr<ClientPool> pool(new ClientPool(options));
  auto first = ClientAdapter::Start(options);
  if (!first.ok()) return first.status();
  pool->hello_ = (*first)->hello();
  pool->idle_.push_back(std::move(*first));
  return pool;
}

ClientPool::~ClientPool() {
  std::lock_guard<std::mutex> lock(mu_);
  // Every adapter is told first, so that they exit together, not 5 s apart.
  for (auto& adapter : idle_) adapter->CloseInput();
  for (auto& adapter : idle_) adapter->Close();
}

StatusOr<std::unique_ptr<ClientAdapter>> ClientPool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<ClientAdapter> adapter = std::move(idle_.back());
      idle_.pop_back();
      return adapter;
    }
  }
  return ClientAdapter::Start(options_);
}

void ClientPool::Release(std::unique_ptr<ClientAdapter> adapter) {
  if (adapter == nullptr) return;
  if (adapter->broken()) {
    adapter->Close();
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(adapter));
}

}  // namespace onsmqtt::runner
