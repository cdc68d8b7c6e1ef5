#include "runner/execute/step.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "contract/crypto.h"
#include "contract/json_limits.h"
#include "contract/percent.h"
#include "runner/execute/assertions.h"
#include "runner/execute/xml_answer.h"
#include "runner/result/report_text.h"

namespace onsmqtt::runner {
namespace {

constexpr size_t kBurstSamplesPerOutcome = 1;

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

StatusOr<std::string> ResolveName(const Variables& vars, const std::string& name, const SourceLocation& loc) {
  return vars.Resolve(Template{"${" + name + "}", loc});
}

Status ResolveCredentials(const CallSpec& spec, const Variables& vars, Credentials* creds) {
  if (spec.auth == AuthVariant::kUnknownKey) {
    DECLARE_OR_RETURN(StatusOr<std::string>, id, RandomHex(6));
    DECLARE_OR_RETURN(StatusOr<std::string>, secret, RandomHex(15));
    creds->access_key_id = "LTAI5tUnknown" + *id;
    creds->access_key_secret = *secret;
    return Status::Ok();
  }
  const std::string prefix = "key." + spec.identity;
  if (!vars.Has(prefix + ".id") || !vars.Has(prefix + ".secret")) {
    return Status::InvalidArgument("no credentials for `as: " + spec.identity + "`: the target defines no " + prefix +
                                   ".id / " + prefix + ".secret")
        .WithLocation(spec.identity_loc);
  }
  auto id = ResolveName(vars, prefix + ".id", spec.identity_loc);
  if (!id.ok()) return id.status();
  auto secret = ResolveName(vars, prefix + ".secret", spec.identity_loc);
  if (!secret.ok()) return secret.status();
  creds->access_key_id = *id;
  creds->access_key_secret = *secret;
  if (spec.security_token) {
    auto token = vars.Resolve(*spec.security_token);  // "" sends no token
    if (!token.ok()) return token.status();
    creds->security_token = *token;
  } else if (vars.Has(prefix + ".token")) {
    auto token = ResolveName(vars, prefix + ".token", spec.identity_loc);
    if (!token.ok()) return token.status();
    creds->security_token = *token;
  }
  if (spec.auth == AuthVariant::kWrongSecret) {
    DECLARE_OR_RETURN(StatusOr<std::string>, wrong, RandomHex(13));
    creds->access_key_secret = "wrong" + *wrong;
  }
  return Status::Ok();
}

// Flips one character of a signature so it no longer matches.
void Corrupt(std::string* signature) {
  if (signature->empty()) {
    *signature = "AAAA";
    return;
  }
  char& c = (*signature)[0];
  c = (c == 'a' || c == 'A') ? 'b' : 'a';
}

// Corrupts or removes the V1 Signature parameter in a query or form body.
void EditV1Signature(std::string* encoded, AuthVariant auth) {
  ParamList params = ParseQueryString(*encoded, false);
  ParamList out;
  for (auto& [k, v] : params) {
    if (k == "Signature") {
      if (auth == AuthVariant::kMissingSignature) continue;
      Corrupt(&v);
    }
    out.emplace_back(k, v);
  }
  *encoded = EncodeParams(out);
}

std::string Truncated(const std::string& text, size_t limit) {
  if (text.size() <= limit) return text;
  return text.substr(0, limit) + "... (" + std::to_string(text.size()) + " bytes)";
}

// What the call was, for the documentation and the HTML report: the
// action, the scheme and format, and the values the runner made up.
void DescribeCall(const PreparedCall& p, Exchange* ex) {
  ex->action = p.call.action;
  ex->scheme = p.call.scheme == SignatureScheme::kV1 ? "v1" : "v3";
  ex->format = p.call.format.empty() ? "JSON" : p.call.format;
  if (p.auth == AuthVariant::kUnknownKey) ex->generated.emplace_back("access_key_id", p.creds.access_key_id);
}

Exchange MakeExchange(const HttpRequest& req, const HttpAnswer& ans, const std::optional<nlohmann::json>& json,
                      const Session& session, const Redactor& redactor) {
  Exchange ex;
  HttpRequest redacted = redactor.RedactRequest(req);
  ex.request_line = RequestLine(redacted);
  ex.request = redacted;
  ex.request.body = Truncated(redacted.body, kMaxRecordedBody);
  for (const auto& [name, value] : ans.headers) ex.response_headers.emplace_back(name, redactor.Redact(value));
  ex.curl = CurlCommand(redacted, {session.transport.base_url, session.transport.ca_file, session.transport.insecure});
  ex.status = ans.status;
  ex.seconds = ans.seconds;
  if (const std::string* id = FindHeader(ans.headers, "x-acs-request-id")) ex.request_id = *id;
  if (json && json->is_object()) {
    if (ex.request_id.empty() && json->contains("RequestId") && json->at("RequestId").is_string()) {
      ex.request_id = json->at("RequestId").get<std::string>();
    }
    if (json->contains("Code") && json->at("Code").is_string()) ex.code = json->at("Code").get<std::string>();
    if (json->contains("Message") && json->at("Message").is_string()) {
      ex.message = redactor.Redact(json->at("Message").get<std::string>());
    }
  }
  ex.body = redactor.Redact(Truncated(ans.body, kMaxRecordedBody));
  return ex;
}

// "expected 200, got 500" alone hides why: when the answer is an error
// envelope, its Code and Message follow the status.
void NameTheErrorOfAnUnexpectedStatus(const Exchange& ex, std::vector<AssertionFailure>* failures) {
  if (ex.code.empty()) return;
  for (AssertionFailure& f : *failures) {
    if (f.kind != FailureKind::kStatus) continue;
    f.actual += " (" + ex.code + (ex.message.empty() ? "" : ": " + ex.message) + ")";
  }
}

Answer ToAnswer(HttpAnswer ans) {
  Answer a;
  a.json = ParseAnswerBody(ans);
  a.status = ans.status;
  a.headers = std::move(ans.headers);
  a.body = std::move(ans.body);
  return a;
}

std::string RenderBound(const CountBound& b, int64_t per_second_max) {
  if (b.max_per_second) {
    std::string out = "at most " + std::to_string(per_second_max) + " (" + std::to_string(*b.max_per_second) +
                      " per started second of the burst)";
    if (b.min) out += " and at least " + std::to_string(*b.min);
    return out;
  }
  if (b.min && b.max)
    return *b.min == *b.max ? "exactly " + std::to_string(*b.min)
                            : "between " + std::to_string(*b.min) + " and " + std::to_string(*b.max);
  if (b.max) return "at most " + std::to_string(*b.max);
  if (b.min) return "at least " + std::to_string(*b.min);
  return "any number";
}

}  // namespace

// The summary line, then the bounds: every outcome outside its bound is a
// failure; a burst cut short (Ctrl-C) is an error.
void JudgeBurst(const Burst& burst, const std::map<std::string, int64_t>& counts, StepResult* r) {
  int64_t sent = 0;
  for (const auto& [k, v] : counts) {
    r->burst_summary += (r->burst_summary.empty() ? "" : ", ") + std::to_string(v) + " " + k;
    sent += v;
  }
  char rate[64];
  std::snprintf(rate, sizeof(rate), " in %.3f s (%.0f calls/s)", r->seconds, r->seconds > 0 ? sent / r->seconds : 0.0);
  r->burst_summary += rate;
  if (sent < burst.count) {
    r->verdict = Verdict::kError;
    r->error_kind = ErrorKind::kInterrupted;
    r->error = "interrupted after " + std::to_string(sent) + " of " + Plural(burst.count, "call");
    return;
  }
  double achieved = r->seconds > 0 ? static_cast<double>(sent) / r->seconds : 0.0;
  if (burst.min_rate > 0 && achieved < static_cast<double>(burst.min_rate)) {
    r->verdict = Verdict::kError;
    r->error = "the harness reached " + std::to_string(static_cast<int64_t>(achieved)) +
               " calls/s, below the min_rate of " + std::to_string(burst.min_rate) +
               " this burst needs to mean anything (a slow build or a slow link)";
    return;
  }
  // A sliding one-second limit admits at most N in any second, so at most
  // N * ceil(duration) over the burst.
  int64_t started_seconds = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(r->seconds)));
  for (const auto& [outcome, bound] : burst.outcomes) {
    auto it = counts.find(outcome);
    int64_t n = it == counts.end() ? 0 : it->second;
    int64_t per_second_max = bound.max_per_second ? *bound.max_per_second * started_seconds : 0;
    if ((bound.min && n < *bound.min) || (bound.max && n > *bound.max) ||
        (bound.max_per_second && n > per_second_max)) {
      r->failures.push_back(
          {FailureKind::kOutcome, outcome, RenderBound(bound, per_second_max), std::to_string(n), bound.loc});
    }
  }
  r->verdict = r->failures.empty() ? Verdict::kPassed : Verdict::kFailed;
}

StatusOr<PreparedCall> PrepareCall(const CallSpec& spec, const StepContext& ctx) {
  const Contract& contract = BuiltinContract();
  PreparedCall p;
  p.auth = spec.auth;
  p.timestamp_offset = spec.timestamp_offset;
  p.operation = spec.unknown_action ? nullptr : contract.FindOperation(spec.action);
  p.call.action = spec.action;
  for (const auto& [name, tmpl] : spec.params) {
    auto v = ctx.vars->Resolve(tmpl);
    if (!v.ok()) return v.status();
    p.call.params.emplace_back(name, *v);
  }
  p.call.version = contract.version;
  if (spec.version) {
    auto v = ctx.vars->Resolve(*spec.version);
    if (!v.ok()) return v.status();
    p.call.version = *v;
  }
  p.call.method = spec.method.value_or(p.operation ? p.operation->sdk_method : HttpMethod::kPost);
  p.call.scheme = spec.scheme.value_or(ctx.default_scheme);
  p.call.placement = spec.placement;
  p.call.host = ctx.session->host;
  if (spec.host) {
    auto v = ctx.vars->Resolve(*spec.host);
    if (!v.ok()) return v.status();
    p.call.host = *v;
  }
  p.call.format = spec.format.value_or("");
  if (spec.nonce) {
    auto v = ctx.vars->Resolve(*spec.nonce);
    if (!v.ok()) return v.status();
    p.call.nonce = *v;
  }
  if (Status s = ResolveCredentials(spec, *ctx.vars, &p.creds); !s.ok()) return s;
  return p;
}

StatusOr<HttpRequest> BuildRequest(const PreparedCall& prepared, const Clock& clock) {
  Call call = prepared.call;
  if (prepared.timestamp_offset.count() != 0) call.timestamp = clock.Now() + prepared.timestamp_offset;
  DECLARE_OR_RETURN(StatusOr<HttpRequest>, signed_req, SignCall(call, prepared.creds, clock));
  HttpRequest& req = *signed_req;
  if (prepared.auth != AuthVariant::kCorruptSignature && prepared.auth != AuthVariant::kMissingSignature) {
    return signed_req;
  }
  if (call.scheme == SignatureScheme::kV1) {
    EditV1Signature(call.placement == ParamPlacement::kFormBody ? &req.body : &req.query, prepared.auth);
    return signed_req;
  }
  for (auto it = req.headers.begin(); it != req.headers.end(); ++it) {
    if (ToLower(it->first) != "authorization") continue;
    if (prepared.auth == AuthVariant::kMissingSignature) {
      req.headers.erase(it);
      break;
    }
    size_t at = it->second.find("Signature=");
    if (at != std::string::npos) {
      std::string sig = it->second.substr(at + 10);
      Corrupt(&sig);
      it->second = it->second.substr(0, at + 10) + sig;
    }
    break;
  }
  return signed_req;
}

std::optional<nlohmann::json> ParseAnswerBody(const HttpAnswer& answer) {
  size_t first = answer.body.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::nullopt;
  if (answer.body[first] == '<') return XmlAnswerToJson(answer.body, BuiltinContract());  // depth-bounded too
  if (!CheckJsonDepth(answer.body).ok()) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(answer.body, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

void CaptureAndJudge(const Step& step, const Answer& answer, StepContext& ctx, StepResult* r) {
  for (const Capture& c : step.captures) {
    auto value = ExtractCapture(c, answer);
    if (!value.ok()) {
      r->failures.push_back(
          {FailureKind::kCapture, c.path, "a value to capture as \"" + c.name + "\"", value.status().message(), c.loc});
      continue;
    }
    ctx.vars->Set(c.name, *value);
  }
  r->verdict = r->failures.empty() ? Verdict::kPassed : Verdict::kFailed;
}

StepResult RunCallStep(const Step& step, StepContext& ctx) {
  StepResult r;
  r.name = step.name.empty() ? step.call.action : step.name;
  auto start = std::chrono::steady_clock::now();
  auto prepared = PrepareCall(step.call, ctx);
  if (!prepared.ok()) {
    r.verdict = Verdict::kError;
    r.error = prepared.status().ToString();
    return r;
  }
  StatusOr<HttpRequest> built = BuildRequest(*prepared, *ctx.clock);
  if (!built.ok()) {
    r.verdict = Verdict::kError;
    r.error = built.status().ToString();
    return r;
  }
  const HttpRequest& req = *built;
  HttpAnswer ans = ctx.transport->Send(req);
  Answer answer = ToAnswer(ans);
  r.exchanges.push_back(MakeExchange(req, ans, answer.json, *ctx.session, *ctx.redactor));
  DescribeCall(*prepared, &r.exchanges.back());
  r.seconds = Since(start);
  if (!ans.ok()) {
    r.verdict = Verdict::kError;
    r.error_kind = ErrorKind::kTransport;
    r.error = std::string("transport error (") + TransportErrorName(ans.error) + "): " + ans.error_message;
    return r;
  }
  if (!answer.json && !answer.body.empty()) {
    r.verdict = Verdict::kError;
    size_t first = answer.body.find_first_not_of(" \t\r\n");
    bool xml = first != std::string::npos && answer.body[first] == '<';
    Status why = xml ? ReadXmlAnswer(answer.body, BuiltinContract()).status() : CheckJsonDepth(answer.body);
    r.error = "the answer (HTTP " + std::to_string(ans.status) + ") is " +
              (why.ok() ? "neither JSON nor XML" : why.message()) + ": " + answer.body.substr(0, 120);
    return r;
  }
  CheckExpectation(step.expect, answer, prepared->operation, BuiltinContract(), *ctx.vars, &r.failures);
  NameTheErrorOfAnUnexpectedStatus(r.exchanges.back(), &r.failures);
  CaptureAndJudge(step, answer, ctx, &r);
  return r;
}

StepResult RunBurstStep(const Step& step, StepContext& ctx) {
  StepResult r;
  r.name = step.name.empty() ? "burst " + step.call.action : step.name;
  auto prepared = PrepareCall(step.call, ctx);
  if (!prepared.ok()) {
    r.verdict = Verdict::kError;
    r.error = prepared.status().ToString();
    return r;
  }
  const Burst& burst = step.burst;
  std::atomic<int> next{0};
  std::mutex mu;
  std::map<std::string, int64_t> counts;
  std::map<std::string, size_t> sampled;
  Status build_error;  // the first request that could not be signed ends the burst
  auto worker = [&]() {
    auto transport = Transport::Create(ctx.session->transport);
    std::map<std::string, int64_t> local;
    while (true) {
      int i = next.fetch_add(1);
      if (i >= burst.count || (ctx.interrupted != nullptr && ctx.interrupted->load())) break;
      StatusOr<HttpRequest> built = BuildRequest(*prepared, *ctx.clock);
      if (!built.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (build_error.ok()) build_error = built.status();
        next = burst.count;
        break;
      }
      const HttpRequest& req = *built;
      HttpAnswer ans = transport.ok() ? (*transport)->Send(req) : HttpAnswer{TransportError::kOther, "", 0, {}, {}, 0};
      Answer answer = ToAnswer(ans);
      std::string outcome = OutcomeOf(answer);
      ++local[outcome];
      std::lock_guard<std::mutex> lock(mu);
      if (sampled[outcome]++ < kBurstSamplesPerOutcome) {
        r.exchanges.push_back(MakeExchange(req, ans, answer.json, *ctx.session, *ctx.redactor));
        DescribeCall(*prepared, &r.exchanges.back());
        r.exchanges.back().burst_sample = true;
      }
    }
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& [k, v] : local) counts[k] += v;
  };
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  int workers = std::max(1, std::min(burst.concurrency, burst.count));
  for (int i = 0; i < workers; ++i) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  r.seconds = Since(start);
  if (!build_error.ok()) {
    r.verdict = Verdict::kError;
    r.error = build_error.ToString();
    return r;
  }
  JudgeBurst(burst, counts, &r);
  return r;
}

}  // namespace onsmqtt::runner
