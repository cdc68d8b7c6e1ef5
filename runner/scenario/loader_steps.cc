// Steps: the call, its expectation, captures and bursts.
#include <algorithm>
#include <cctype>
#include <type_traits>

#include "runner/scenario/json_path.h"
#include "runner/scenario/loader_internal.h"

namespace onsmqtt::runner::internal {

namespace {

constexpr int64_t kMaxBurstCount = 1000000;
constexpr int64_t kMaxConcurrency = 1024;
constexpr int64_t kMaxOffsetSeconds = 366 * 86400;

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

void ReadAction(const yaml::Node& node, const yaml::Node* unknown, Step* step, LoadContext* ctx) {
  CallSpec& call = step->call;
  call.action_loc = node.loc;
  std::optional<std::string> action = ReadString(node, "call", ctx);
  if (!action.has_value()) return;
  call.action = *action;
  if (unknown != nullptr) call.unknown_action = ReadBool(*unknown, "unknown_action", ctx).value_or(false);
  const OperationSpec* op = ctx->contract().FindOperation(call.action);
  if (call.unknown_action && op != nullptr) {
    ctx->Error(unknown->loc, Quote(call.action) + " is an operation of the contract; remove unknown_action");
  } else if (!call.unknown_action && op == nullptr) {
    std::string msg = "unknown action " + Quote(call.action);
    std::string hint = yaml::DidYouMean(call.action, ctx->contract().OperationNames());
    msg += hint.empty() ? "" : "; " + hint;
    ctx->Error(node.loc, msg + " (write unknown_action: true to send it deliberately)");
  }
}

void ReadIdentity(const yaml::Node& node, CallSpec* call, LoadContext* ctx) {
  call->identity_loc = node.loc;
  std::optional<std::string> as = ReadString(node, "as", ctx);
  if (!as.has_value()) return;
  call->identity = *as;
  if (!ctx->check_variables() || *as == "owner" || ctx->known()->count("key." + *as + ".id") != 0) return;
  const std::set<std::string>& known = *ctx->known();
  std::vector<std::string> identities = {"owner"};
  for (const auto& name : known) {
    if (name.rfind("key.", 0) == 0 && name.size() > 7 && name.compare(name.size() - 3, 3, ".id") == 0) {
      identities.push_back(name.substr(4, name.size() - 7));
    }
  }
  std::string msg = "unknown identity " + Quote(*as) + ": the target defines no key." + *as + ".id";
  std::string hint = yaml::DidYouMean(*as, identities);
  ctx->Error(node.loc, msg + (hint.empty() ? "" : "; " + hint));
}

void ReadParams(const yaml::Node& node, CallSpec* call, LoadContext* ctx) {
  if (!node.is_map()) {
    ctx->Error(node.loc, "params must be a map of parameter name to value, got " + std::string(node.KindName()));
    return;
  }
  const OperationSpec* op = call->unknown_action ? nullptr : ctx->contract().FindOperation(call->action);
  std::vector<std::string> names;
  if (op != nullptr) {
    for (const auto& p : op->parameters) names.push_back(p.name);
  }
  for (const auto& [key, value] : node.entries) {
    if (op != nullptr && op->FindParameter(key.scalar) == nullptr) {
      std::string msg = "unknown parameter " + Quote(key.scalar) + " of " + call->action;
      std::string hint = yaml::DidYouMean(key.scalar, names);
      if (hint.empty()) {
        msg += " (parameters:";
        for (const auto& n : names) msg += " " + n;
        msg += ")";
      } else {
        msg += "; " + hint;
      }
      ctx->Error(key.loc, msg);
      continue;
    }
    if (value.is_null()) {  // yaml-cpp gives an empty value no position: point at its key
      ctx->Error(key.loc, "parameter " + key.scalar + " must be a string, got null (write \"\" for an empty value)");
      continue;
    }
    std::optional<Template> t = ReadTemplate(value, "parameter " + key.scalar, ctx);
    if (t.has_value()) call->params.emplace_back(key.scalar, std::move(*t));
  }
}

// The keys every step shares: how the call is made.
void ReadCall(const KeyReader* r, Step* step, LoadContext* ctx) {
  CallSpec& call = step->call;
  const yaml::Node* action = r->Get("call");
  const yaml::Node* unknown = r->Get("unknown_action");
  if (action != nullptr) ReadAction(*action, unknown, step, ctx);
  if (const yaml::Node* n = r->Get("as")) ReadIdentity(*n, &call, ctx);
  if (const yaml::Node* n = r->Get("scheme")) {
    if (auto i = ReadChoice(*n, "scheme", {"v1", "v3"}, ctx)) {
      call.scheme = *i == 0 ? SignatureScheme::kV1 : SignatureScheme::kV3;
    }
  }
  if (const yaml::Node* n = r->Get("method")) {
    if (auto i = ReadChoice(*n, "method", {"GET", "POST"}, ctx)) {
      call.method = *i == 0 ? HttpMethod::kGet : HttpMethod::kPost;
    }
  }
  if (const yaml::Node* n = r->Get("placement")) {
    if (auto i = ReadChoice(*n, "placement", {"query", "form"}, ctx)) {
      call.placement = *i == 0 ? ParamPlacement::kQuery : ParamPlacement::kFormBody;
    }
  }
  if (const yaml::Node* n = r->Get("params")) ReadParams(*n, &call, ctx);
  if (const yaml::Node* n = r->Get("version")) call.version = ReadTemplate(*n, "version", ctx);
  if (const yaml::Node* n = r->Get("format")) {
    if (auto i = ReadChoice(*n, "format", {"JSON", "XML"}, ctx)) call.format = *i == 0 ? "JSON" : "XML";
  }
  if (const yaml::Node* n = r->Get("nonce")) call.nonce = ReadTemplate(*n, "nonce", ctx);
  if (const yaml::Node* n = r->Get("timestamp_offset")) {
    if (auto v = ReadInt(*n, "timestamp_offset", -kMaxOffsetSeconds, kMaxOffsetSeconds, ctx)) {
      call.timestamp_offset = std::chrono::seconds(*v);
    }
  }
  if (const yaml::Node* n = r->Get("auth")) {
    static const std::vector<std::string> kNames = {"valid", "corrupt_signature", "wrong_secret", "missing_signature",
                                                    "unknown_key"};
    static const AuthVariant kVariants[] = {AuthVariant::kValid, AuthVariant::kCorruptSignature,
                                            AuthVariant::kWrongSecret, AuthVariant::kMissingSignature,
                                            AuthVariant::kUnknownKey};
    if (auto i = ReadChoice(*n, "auth", kNames, ctx)) call.auth = kVariants[*i];
  }
  if (const yaml::Node* n = r->Get("host")) call.host = ReadTemplate(*n, "host", ctx);
  if (const yaml::Node* n = r->Get("security_token")) call.security_token = ReadTemplate(*n, "security_token", ctx);
}

std::optional<StatusExpectation> ReadStatus(const yaml::Node& node, LoadContext* ctx) {
  StatusExpectation st;
  st.loc = node.loc;
  if (node.is_scalar() && !node.quoted && node.scalar == "documented") {
    st.kind = StatusExpectation::Kind::kDocumented;
    return st;
  }
  std::vector<const yaml::Node*> items;
  if (node.is_sequence() && !node.items.empty()) {
    for (const auto& item : node.items) items.push_back(&item);
  } else if (node.is_scalar() && !node.quoted && std::isdigit(static_cast<unsigned char>(node.scalar[0])) != 0) {
    items.push_back(&node);
  } else {
    ctx->Error(node.loc, "status must be a number, a list of numbers or documented, got " +
                             (node.is_scalar() ? Quote(node.scalar) : std::string(node.KindName())));
    return std::nullopt;
  }
  for (const yaml::Node* item : items) {
    std::optional<int64_t> v = ReadInt(*item, "status", 100, 599, ctx);
    if (!v.has_value()) return std::nullopt;
    st.statuses.push_back(static_cast<int>(*v));
  }
  return st;
}

void ReadCodeMatcher(const yaml::Node& node, Expectation* e, LoadContext* ctx) {
  e->code = ReadMatcher(node, "code", ctx);
  if (!e->code.has_value() || e->code->kind != MatcherKind::kEquals) return;
  const Value& v = e->code->value;
  if (v.type != Value::Type::kString) {
    ctx->Error(node.loc, "code must be a string (an error code such as Throttling.User)");
    e->code.reset();
    return;
  }
  if (v.text.find("${") != std::string::npos || ctx->contract().FindError(v.text) != nullptr) return;
  std::vector<std::string> codes;
  for (const auto& err : ctx->contract().errors) codes.push_back(err.code);
  std::string hint = yaml::DidYouMean(v.text, codes);
  ctx->Error(node.loc, "unknown error code " + Quote(v.text) + " (not in the contract's catalogue)" +
                           (hint.empty() ? "" : "; " + hint));
}

template <typename T>
void ReadAssertionMap(const yaml::Node& node, const std::string& what, std::vector<T>* out, LoadContext* ctx) {
  if (!node.is_map()) {
    ctx->Error(node.loc, what + " must be a map, got " + std::string(node.KindName()));
    return;
  }
  for (const auto& [key, value] : node.entries) {
    if constexpr (std::is_same_v<T, BodyAssertion>) {
      StatusOr<JsonPath> p = ParseJsonPath(key.scalar);
      if (!p.ok()) {
        ctx->Error(key.loc, p.status().message());
        continue;
      }
      std::optional<Matcher> m = ReadMatcher(value, what + " " + key.scalar, ctx);
      if (m.has_value()) out->push_back(T{std::move(*p), std::move(*m), key.loc});
    } else {
      std::optional<Matcher> m = ReadMatcher(value, what + " " + key.scalar, ctx);
      if (m.has_value()) out->push_back(T{key.scalar, std::move(*m), key.loc});
    }
  }
}

void ReadExpect(const yaml::Node& node, Expectation* e, LoadContext* ctx) {
  e->loc = node.loc;
  KeyReader r(node, "expect", keys::kExpect);
  const yaml::Node* status = r.Get("status");
  const yaml::Node* code = r.Get("code");
  const yaml::Node* message = r.Get("message");
  const yaml::Node* body = r.Get("body");
  const yaml::Node* headers = r.Get("headers");
  const yaml::Node* contract = r.Get("contract");
  const yaml::Node* outcomes = r.Get("outcomes");
  ctx->Finish(&r);
  if (outcomes != nullptr) {
    ctx->Error(outcomes->loc, "outcomes are for burst steps (add burst: {count: N, concurrency: M} to the step)");
  }
  if (status != nullptr) e->status = ReadStatus(*status, ctx);
  if (code != nullptr) ReadCodeMatcher(*code, e, ctx);
  if (message != nullptr) e->message = ReadMatcher(*message, "message", ctx);
  if (body != nullptr) ReadAssertionMap(*body, "body", &e->body, ctx);
  if (headers != nullptr) ReadAssertionMap(*headers, "header", &e->headers, ctx);
  if (contract != nullptr) e->contract = ReadBool(*contract, "contract", ctx).value_or(true);
}

void ReadCaptures(const yaml::Node& node, Step* step, std::set<std::string>* defined, LoadContext* ctx) {
  if (!node.is_map()) {
    ctx->Error(node.loc, "capture must be a map of variable name to \"$.Path\" or \"header:NAME\"");
    return;
  }
  for (const auto& [key, value] : node.entries) {
    if (!IsCaptureName(key.scalar) || key.scalar.rfind("env.", 0) == 0) {
      ctx->Error(key.loc, "capture name " + Quote(key.scalar) +
                              " must start with a letter and hold letters, digits, _ . - (not env.*)");
      continue;
    }
    std::optional<std::string> path = ReadString(value, "capture " + key.scalar, ctx);
    if (!path.has_value()) continue;
    std::optional<JsonPath> json_path;
    if (path->rfind("header:", 0) == 0) {
      if (path->size() == 7) ctx->Error(value.loc, "capture " + key.scalar + ": header name missing after header:");
    } else if (StatusOr<JsonPath> p = ParseJsonPath(*path); !p.ok()) {
      ctx->Error(value.loc, p.status().message());
      continue;
    } else {
      json_path = std::move(*p);
    }
    step->captures.push_back(Capture{key.scalar, *path, key.loc, std::move(json_path)});
    defined->insert(key.scalar);
  }
}

void ReadOutcomes(const yaml::Node& node, Burst* burst, LoadContext* ctx) {
  if (!node.is_map() || node.entries.empty()) {
    ctx->Error(node.loc,
               "outcomes must be a map of outcome to {min, max} (outcomes: success, unanswered, other, "
               "or an error code)");
    return;
  }
  std::vector<std::string> names = {"success", "unanswered", "other"};
  for (const auto& err : ctx->contract().errors) names.push_back(err.code);
  for (const auto& [key, value] : node.entries) {
    if (std::find(names.begin(), names.end(), key.scalar) == names.end()) {
      std::string hint = yaml::DidYouMean(key.scalar, names);
      ctx->Error(key.loc, "unknown outcome " + Quote(key.scalar) +
                              " (success, unanswered, other, or an error code of the contract)" +
                              (hint.empty() ? "" : "; " + hint));
      continue;
    }
    CountBound bound;
    bound.loc = value.loc;
    if (value.is_scalar()) {
      bound.min = bound.max = ReadInt(value, "outcome " + key.scalar, 0, kMaxBurstCount, ctx);
    } else {
      KeyReader r(value, "outcome " + key.scalar, keys::kBound);
      const yaml::Node* min = r.Get("min");
      const yaml::Node* max = r.Get("max");
      const yaml::Node* per_second = r.Get("max_per_second");
      ctx->Finish(&r);
      if (min != nullptr) bound.min = ReadInt(*min, "min", 0, kMaxBurstCount, ctx);
      if (max != nullptr) bound.max = ReadInt(*max, "max", 0, kMaxBurstCount, ctx);
      if (per_second != nullptr) bound.max_per_second = ReadInt(*per_second, "max_per_second", 1, kMaxBurstCount, ctx);
      if (value.is_map() && min == nullptr && max == nullptr && per_second == nullptr) {
        ctx->Error(value.loc, "outcome " + key.scalar + " needs min, max, max_per_second or a combination");
      }
      if (bound.min && bound.max && *bound.min > *bound.max) {
        ctx->Error(value.loc, "outcome " + key.scalar + ": min is greater than max");
      }
    }
    burst->outcomes[key.scalar] = bound;
  }
}

void ReadBurst(const yaml::Node& node, const yaml::Node* expect, Step* step, LoadContext* ctx) {
  Burst& burst = step->burst;
  burst.loc = node.loc;
  KeyReader r(node, "burst", keys::kBurst);
  const yaml::Node* count = r.Get("count");
  const yaml::Node* concurrency = r.Get("concurrency");
  const yaml::Node* min_rate = r.Get("min_rate");
  ctx->Finish(&r);
  if (min_rate != nullptr) burst.min_rate = ReadInt(*min_rate, "min_rate", 1, 1000000, ctx).value_or(0);
  if (count != nullptr) burst.count = static_cast<int>(ReadInt(*count, "count", 1, kMaxBurstCount, ctx).value_or(1));
  if (concurrency != nullptr) {
    burst.concurrency = static_cast<int>(ReadInt(*concurrency, "concurrency", 1, kMaxConcurrency, ctx).value_or(1));
  }
  if (expect == nullptr) {
    ctx->Error(node.loc, "a burst step needs expect: {outcomes: {...}}");
    return;
  }
  step->expect.loc = expect->loc;
  KeyReader e(*expect, "burst expect", keys::kBurstExpect);
  const yaml::Node* outcomes = e.Get("outcomes");
  ctx->Finish(&e);
  if (outcomes != nullptr) ReadOutcomes(*outcomes, &burst, ctx);
}

}  // namespace

bool IsCaptureName(const std::string& s) {
  if (s.empty() || std::isalpha(static_cast<unsigned char>(s[0])) == 0) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
  });
}

std::optional<Step> ReadStep(const yaml::Node& node, size_t index, LoadContext* ctx) {
  if (node.is_map() && node.Find("connect") != nullptr) return ReadConnectStep(node, index, ctx);
  if (node.is_map() && node.Find("call") == nullptr) {
    ReportStepWithoutKind(node, ctx);
    return std::nullopt;
  }
  size_t errors_before = ctx->error_count();
  Step step;
  step.loc = node.loc;
  KeyReader r(node, "step", keys::kStep);
  if (!node.is_map()) {
    ctx->Finish(&r);
    return std::nullopt;
  }
  const yaml::Node* name = r.Get("name");
  const yaml::Node* burst = r.Get("burst");
  const yaml::Node* expect = r.Get("expect");
  const yaml::Node* capture = r.Get("capture");
  ReadCall(&r, &step, ctx);
  ctx->Finish(&r);
  if (name != nullptr) step.name = ReadString(*name, "name", ctx).value_or("");
  if (step.name.empty()) step.name = std::to_string(index + 1) + ": " + step.call.action;
  std::set<std::string> defined;
  if (burst != nullptr) {
    step.kind = Step::Kind::kBurst;
    ReadBurst(*burst, expect, &step, ctx);
    if (capture != nullptr) ctx->Error(capture->loc, "a burst step cannot capture (it sends many calls)");
  } else {
    step.expect.loc = node.loc;
    if (expect != nullptr) ReadExpect(*expect, &step.expect, ctx);
    if (capture != nullptr) ReadCaptures(*capture, &step, &defined, ctx);
  }
  // A step's captures are visible from the next step on.
  ctx->captures().insert(defined.begin(), defined.end());
  if (ctx->error_count() != errors_before) return std::nullopt;
  return step;
}

}  // namespace onsmqtt::runner::internal
