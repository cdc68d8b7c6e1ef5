#include "runner/execute/client_step.h"

#include <atomic>
#include <chrono>
#include <map>

#include "contract/percent.h"
#include "runner/execute/step.h"
#include "runner/execute/xml_answer.h"

namespace onsmqtt::runner {
namespace {

using Json = nlohmann::json;
using Ordered = nlohmann::ordered_json;

std::atomic<int64_t> g_next_id{1};  // unique within the run

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string Str(const Json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string Dump(const Ordered& j) { return j.dump(-1, ' ', false, Ordered::error_handler_t::replace); }

const char* SchemeName(SignatureScheme s) { return s == SignatureScheme::kV1 ? "v1" : "v3"; }

// The request line as reports show it: the secret and the token masked.
std::string ShownRequest(Ordered request) {
  Ordered& creds = request["credentials"];
  if (creds.contains("secret")) creds["secret"] = kRedacted;
  if (creds.contains("token")) creds["token"] = kRedacted;
  return Dump(request);
}

Exchange ClientExchange(const Ordered& request, const PreparedCall& p, const Answer& surfaced, const Redactor& redactor,
                        const std::string& client) {
  Exchange ex;
  ex.request_line = redactor.Redact("client " + client + ": " + ShownRequest(request));
  ex.request.method = HttpMethodName(p.call.method);
  ParamList query = {{"Action", p.call.action}};
  query.insert(query.end(), p.call.params.begin(), p.call.params.end());
  ex.request.query = redactor.Redact(EncodeParams(query));
  ex.action = p.call.action;
  ex.scheme = request.contains("scheme") ? request["scheme"].get<std::string>() : "";
  ex.format = p.call.format.empty() ? "JSON" : p.call.format;
  if (p.auth == AuthVariant::kUnknownKey) ex.generated.emplace_back("access_key_id", p.creds.access_key_id);
  ex.status = surfaced.status;
  if (surfaced.json) {
    ex.request_id = Str(*surfaced.json, "RequestId");
    ex.code = Str(*surfaced.json, "Code");
    ex.message = redactor.Redact(Str(*surfaced.json, "Message"));
  }
  for (const auto& [name, value] : surfaced.headers) ex.response_headers.emplace_back(name, redactor.Redact(value));
  ex.body = redactor.Redact(surfaced.body.substr(0, kMaxRecordedBody));
  return ex;
}

WireAsk AskOf(const PreparedCall& p, const CallSpec& spec) {
  WireAsk ask;
  ask.action = p.call.action;
  ask.params = p.call.params;
  ask.method = HttpMethodName(p.call.method);
  ask.method_chosen = spec.method.has_value();
  ask.scheme = spec.scheme ? SchemeName(*spec.scheme) : "";
  ask.valid_auth = spec.auth == AuthVariant::kValid;
  ask.known_action = p.operation != nullptr;
  return ask;
}

// The embedded mock's journal (mock_server/README.md, admin API): `limit`
// entries, and how many it has recorded.
StatusOr<Json> Journal(StepContext& ctx, uint64_t limit) {
  HttpRequest req;
  req.method = "GET";
  req.path = "/__admin/journal";
  req.query = "limit=" + std::to_string(limit);
  req.headers.emplace_back("Host", ctx.session->host);
  HttpAnswer ans = ctx.transport->Send(req);
  if (!ans.ok() || ans.status != 200) {
    return Status::Internal("cannot read the mock's journal: " +
                            (ans.ok() ? "HTTP " + std::to_string(ans.status) : ans.error_message));
  }
  Json j = Json::parse(ans.body, nullptr, false);
  if (!j.is_object() || !j.contains("recorded") || !j.contains("requests")) {
    return Status::Internal("the mock's journal is not {recorded, requests}");
  }
  return j;
}

StatusOr<uint64_t> Recorded(StepContext& ctx) {
  DECLARE_OR_RETURN(StatusOr<Json>, j, Journal(ctx, 1));
  return j->at("recorded").get<uint64_t>();
}

// The API requests recorded since `before` (CONNECTs left out), oldest first.
StatusOr<std::vector<Json>> EntriesSince(StepContext& ctx, uint64_t before) {
  DECLARE_OR_RETURN(StatusOr<uint64_t>, now, Recorded(ctx));
  std::vector<Json> out;
  if (*now <= before) return out;
  DECLARE_OR_RETURN(StatusOr<Json>, j, Journal(ctx, std::min<uint64_t>(*now - before, 10000)));
  for (Json& e : j->at("requests")) {
    if (e.value("action", "") != "CONNECT") out.push_back(std::move(e));
  }
  return out;
}

bool JudgesWire(const StepContext& ctx) { return ctx.session->mock != nullptr; }

StepResult Errored(StepResult r, ErrorKind kind, const std::string& error) {
  r.verdict = Verdict::kError;
  r.error_kind = kind;
  r.error = error;
  return r;
}

// Prepares the call and its request, registering the credentials' secret
// and token with the redactor. Null on error (set in `r`).
std::optional<PreparedCall> Prepare(const Step& step, StepContext& ctx, StepResult* r) {
  auto prepared = PrepareCall(step.call, ctx);
  if (!prepared.ok()) {
    *r = Errored(std::move(*r), ErrorKind::kHarness, prepared.status().ToString());
    return std::nullopt;
  }
  ctx.redactor->AddSecret(prepared->creds.access_key_secret);
  ctx.redactor->AddSecret(prepared->creds.security_token);
  return std::move(*prepared);
}

// The adapter's answer when no HTTP answer arrived (ok false, status 0).
std::optional<std::string> TransportProblem(const Json& answer) {
  if (answer.value("ok", false) || (answer.contains("status") && answer["status"] != 0)) return std::nullopt;
  std::string kind = Str(answer, "transport");
  return "the client got no HTTP answer" + (kind.empty() ? "" : " (" + kind + ")") + ": " + Str(answer, "message");
}

// The wire side of one call: exactly one request, judged.
void JudgeCallOnWire(StepContext& ctx, uint64_t before, const WireAsk& ask, const Json& answer, StepResult* r) {
  auto entries = EntriesSince(ctx, before);
  if (!entries.ok()) {
    *r = Errored(std::move(*r), ErrorKind::kHarness, entries.status().message());
    return;
  }
  if (entries->empty()) {
    r->failures.push_back(
        {FailureKind::kClient, "request", "one request", "the mock received no request for the call", {}});
    return;
  }
  if (entries->size() > 1) {
    r->failures.push_back(
        {FailureKind::kClient,
         "request",
         "one request",
         "the client sent " + std::to_string(entries->size()) + " requests for one call (does the SDK retry?)",
         {}});
  }
  JudgeWire(ask, entries->back(), answer, &r->failures);
}

std::string CountsText(const std::map<std::string, int64_t>& counts) {
  std::string out;
  for (const auto& [k, v] : counts) out += (out.empty() ? "" : ", ") + std::to_string(v) + " " + k;
  return out.empty() ? "nothing" : out;
}

// The wire side of a burst: one request per call, the same outcomes as
// surfaced, and the first request judged like a call's.
void JudgeBurstOnWire(StepContext& ctx, uint64_t before, const WireAsk& ask, size_t sent,
                      const std::map<std::string, int64_t>& surfaced, StepResult* r) {
  auto entries = EntriesSince(ctx, before);
  if (!entries.ok()) {
    *r = Errored(std::move(*r), ErrorKind::kHarness, entries.status().message());
    return;
  }
  std::map<std::string, int64_t> wire;
  for (const Json& e : *entries) ++wire[WireOutcomeOf(e)];
  if (entries->size() != sent) {
    r->failures.push_back(
        {FailureKind::kClient,
         "requests",
         std::to_string(sent),
         "the mock received " + std::to_string(entries->size()) + " requests for " + std::to_string(sent) + " calls",
         {}});
  }
  if (surfaced != wire) {
    r->failures.push_back({FailureKind::kClient,
                           "outcomes",
                           CountsText(wire),
                           "the client reported " + CountsText(surfaced) + "; the mock answered " + CountsText(wire),
                           {}});
  }
  if (!entries->empty()) JudgeWireRequest(ask, entries->front(), &r->failures);
}

}  // namespace

ClientLease::~ClientLease() {
  if (adapter_ != nullptr) pool_->Release(std::move(adapter_));
}

StatusOr<ClientAdapter*> ClientLease::Get() {
  if (adapter_ != nullptr && adapter_->broken()) pool_->Release(std::move(adapter_));
  if (adapter_ == nullptr) {
    auto started = pool_->Acquire();
    if (!started.ok()) return started.status();
    adapter_ = std::move(*started);
  }
  return adapter_.get();
}

nlohmann::ordered_json ClientRequestJson(const PreparedCall& p, const CallSpec& spec, const std::string& endpoint,
                                         const std::string& region, int64_t id, int timeout_ms) {
  Ordered params = Ordered::object();
  for (const auto& [name, value] : p.call.params) params[name] = value;
  Ordered creds = {{"id", p.creds.access_key_id}, {"secret", p.creds.access_key_secret}};
  if (!p.creds.security_token.empty()) creds["token"] = p.creds.security_token;
  Ordered r = {{"id", id},
               {"action", p.call.action},
               {"params", std::move(params)},
               {"endpoint", endpoint},
               {"region", region},
               {"credentials", std::move(creds)},
               {"method", HttpMethodName(p.call.method)}};
  if (spec.format) r["format"] = *spec.format;
  if (spec.scheme) r["scheme"] = SchemeName(*spec.scheme);
  r["timeout_ms"] = timeout_ms;
  return r;
}

Answer SurfacedAnswer(const nlohmann::json& answer) {
  Answer a;
  Json body = Json::object();
  if (answer.contains("body") && answer["body"].is_object()) body = answer["body"];
  // An SDK that returns an XML answer as text: read with the contract's types,
  // as the runner reads XML it receives itself.
  if (answer.contains("body") && answer["body"].is_string()) {
    std::optional<Json> xml = XmlAnswerToJson(answer["body"].get<std::string>(), BuiltinContract());
    if (xml && xml->is_object()) body = std::move(*xml);
  }
  for (const auto& [field, key] : {std::pair{"code", "Code"}, {"message", "Message"}, {"request_id", "RequestId"}}) {
    body.erase(key);
    if (answer.contains(field) && answer[field].is_string()) body[key] = answer[field];
  }
  a.status = answer.contains("status") && answer["status"].is_number_integer() ? answer["status"].get<int>() : 0;
  a.headers_surfaced = answer.contains("headers") && answer["headers"].is_object();
  if (a.headers_surfaced) {
    for (const auto& [name, value] : answer["headers"].items()) {
      if (value.is_string()) a.headers.emplace_back(name, value.get<std::string>());
    }
  }
  a.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  a.json = std::move(body);
  return a;
}

// The journal's count before a step whose wire is judged; nullopt when the
// wire is not judged (not the embedded mock).
StatusOr<std::optional<uint64_t>> RecordedBefore(StepContext& ctx) {
  if (!JudgesWire(ctx)) return std::optional<uint64_t>();
  auto recorded = Recorded(ctx);
  if (!recorded.ok()) return recorded.status();
  return std::optional<uint64_t>(*recorded);
}

StepResult RunClientCallStep(const Step& step, StepContext& ctx) {
  StepResult r;
  r.name = step.name.empty() ? step.call.action : step.name;
  auto start = std::chrono::steady_clock::now();
  std::optional<PreparedCall> p = Prepare(step, ctx, &r);
  if (!p) return r;
  auto adapter = ctx.client->Get();
  if (!adapter.ok()) return Errored(std::move(r), ErrorKind::kClient, adapter.status().message());
  StatusOr<std::optional<uint64_t>> recorded = RecordedBefore(ctx);
  if (!recorded.ok()) return Errored(std::move(r), ErrorKind::kHarness, recorded.status().message());
  const std::optional<uint64_t> before = *recorded;
  const int64_t id = g_next_id.fetch_add(1);
  Ordered request = ClientRequestJson(*p, step.call, ctx.session->transport.base_url, ctx.session->region, id,
                                      ctx.client->timeout_ms());
  auto answers = (*adapter)->Call({{id, request["action"].get<std::string>(), Dump(request)}}, 1);
  r.seconds = Since(start);
  if (!answers.ok()) return Errored(std::move(r), ErrorKind::kClient, answers.status().message());
  const Json& answer = answers->front();
  Answer surfaced = SurfacedAnswer(answer);
  r.exchanges.push_back(ClientExchange(request, *p, surfaced, *ctx.redactor, (*adapter)->hello().name));
  r.exchanges.back().seconds = r.seconds;
  if (auto problem = TransportProblem(answer)) return Errored(std::move(r), ErrorKind::kTransport, *problem);
  CheckExpectation(step.expect, surfaced, p->operation, BuiltinContract(), *ctx.vars, &r.failures);
  if (before) JudgeCallOnWire(ctx, *before, AskOf(*p, step.call), answer, &r);
  if (r.verdict == Verdict::kError) return r;
  CaptureAndJudge(step, surfaced, ctx, &r);
  return r;
}

StepResult RunClientBurstStep(const Step& step, StepContext& ctx) {
  StepResult r;
  r.name = step.name.empty() ? "burst " + step.call.action : step.name;
  std::optional<PreparedCall> p = Prepare(step, ctx, &r);
  if (!p) return r;
  auto adapter = ctx.client->Get();
  if (!adapter.ok()) return Errored(std::move(r), ErrorKind::kClient, adapter.status().message());
  StatusOr<std::optional<uint64_t>> recorded = RecordedBefore(ctx);
  if (!recorded.ok()) return Errored(std::move(r), ErrorKind::kHarness, recorded.status().message());
  const std::optional<uint64_t> before = *recorded;
  std::vector<Ordered> requests;
  std::vector<ClientRequest> lines;
  for (int i = 0; i < step.burst.count; ++i) {
    const int64_t id = g_next_id.fetch_add(1);
    requests.push_back(ClientRequestJson(*p, step.call, ctx.session->transport.base_url, ctx.session->region, id,
                                         ctx.client->timeout_ms()));
    lines.push_back({id, p->call.action, Dump(requests.back())});
  }
  auto start = std::chrono::steady_clock::now();
  auto answers = (*adapter)->Call(lines, step.burst.concurrency, ctx.interrupted);
  r.seconds = Since(start);
  if (!answers.ok()) return Errored(std::move(r), ErrorKind::kClient, answers.status().message());
  std::map<std::string, int64_t> counts;
  for (size_t i = 0; i < answers->size(); ++i) {
    Answer surfaced = SurfacedAnswer((*answers)[i]);
    std::string outcome = OutcomeOf(surfaced);
    if (counts[outcome]++ > 0) continue;
    r.exchanges.push_back(ClientExchange(requests[i], *p, surfaced, *ctx.redactor, (*adapter)->hello().name));
    r.exchanges.back().burst_sample = true;
  }
  JudgeBurst(step.burst, counts, &r);
  if (r.verdict == Verdict::kError || !before) return r;
  JudgeBurstOnWire(ctx, *before, AskOf(*p, step.call), answers->size(), counts, &r);
  if (r.verdict != Verdict::kError) r.verdict = r.failures.empty() ? Verdict::kPassed : Verdict::kFailed;
  return r;
}

}  // namespace onsmqtt::runner
