#include "mock_server/gateway/gateway.h"

#include <chrono>
#include <thread>

#include "contract/codes.h"
#include "mock_server/gateway/request_violations.h"

namespace onsmqtt::mock {

struct Gateway::Context {
  std::chrono::steady_clock::time_point started;
  std::string region;
  RequestReading reading;  // the one parse of the request
  BodyFormat format = BodyFormat::kJson;
  const OperationSpec* operation = nullptr;
  Caller caller;
  std::string code;                      // error answered, if any
  std::string fault_id;                  // fault rule applied, if any
  std::optional<AuthOutcome> signature;  // VerifySignature's outcome when it ran
  std::vector<Violation> violations;
  GatewayAnswer answer;
};

void Gateway::Answer(Context* ctx, int status, std::string body) const {
  ctx->answer.status = status;
  ctx->answer.content_type = ContentTypeFor(ctx->format);
  ctx->answer.body = std::move(body);
}

void Gateway::AnswerError(Context* ctx, const ApiError& error, const nlohmann::json& detail) const {
  ctx->code = error.code;
  Answer(ctx, error.status, RenderError(ctx->format, *p_.contract, ctx->region, ctx->answer.request_id, error, detail));
}

// Step 0. True when the fault decided the answer (or dropped it).
bool Gateway::ApplyFault(Context* ctx) const {
  std::optional<FaultEffect> fault = p_.faults->Match(ctx->reading.parsed.action);
  if (!fault) return false;
  ctx->fault_id = fault->rule_id;
  if (fault->delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(fault->delay_ms));
  if (fault->drop_connection) {
    ctx->answer.drop_connection = true;
    ctx->code = "(dropped)";
    return true;
  }
  if (fault->code.empty()) return false;
  ApiError error = p_.catalog->Make(fault->code);
  if (fault->status) error.status = *fault->status;
  AnswerError(ctx, error);
  return true;
}

// Steps 1-3. Leaves ctx->operation set when the request may go on.
void Gateway::Route(const HttpRequest& wire, Context* ctx) const {
  ctx->reading = ReadRequest(wire);
  const AuthOutcome& shape = ctx->reading.shape;
  const ParsedRequest& parsed = ctx->reading.parsed;
  ctx->format = ParseBodyFormat(parsed.format);
  // RPC style: the API lives at "/" only.
  if (wire.path != "/") return AnswerError(ctx, p_.catalog->Make(codes::kInvalidActionNotFound));
  if (ApplyFault(ctx)) return;
  if (!shape.ok()) {
    if (std::optional<ApiError> e = p_.auth->OnParseFailure(shape)) return AnswerError(ctx, *e);
    if (parsed.action.empty()) return AnswerError(ctx, p_.catalog->Make(codes::kMissingParameter, "Action"));
  }
  if (parsed.version != p_.contract->version) {
    return AnswerError(ctx, p_.catalog->Make(codes::kInvalidVersion));
  }
  const OperationSpec* op = p_.contract->FindOperation(parsed.action);
  std::optional<HttpMethod> method = ParseHttpMethod(wire.method);
  if (op == nullptr || !method || !op->Accepts(*method)) {
    return AnswerError(ctx, p_.catalog->Make(codes::kInvalidActionNotFound));
  }
  ctx->operation = op;
}

// Steps 4-8. False when the answer is decided.
bool Gateway::Admit(const HttpRequest& wire, Context* ctx) const {
  AuthResult auth = p_.auth->Authenticate(wire, ctx->reading, p_.state);
  ctx->caller = auth.caller;
  ctx->signature = std::move(auth.signature);
  if (auth.error) {
    AnswerError(ctx, *auth.error);
    return false;
  }
  if (!p_.throttle->Admit(ctx->caller.account_uid, ctx->operation->name)) {
    AnswerError(ctx, p_.catalog->Make(codes::kThrottlingUser));
    return false;
  }
  return true;
}

void Gateway::Finish(const HttpRequest& wire, Context* ctx) const {
  JournalEntry e;
  e.time = p_.clock->Now();
  e.action = ctx->reading.parsed.action;
  e.method = wire.method;
  e.scheme = ctx->reading.shape.ok() ? SignatureSchemeName(ctx->reading.parsed.scheme) : "";
  e.account_uid = ctx->caller.account_uid;
  e.access_key_id = ctx->reading.parsed.access_key_id;
  e.status = ctx->answer.drop_connection ? 0 : ctx->answer.status;
  e.code = ctx->code;
  e.micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - ctx->started).count();
  e.request_id = ctx->answer.request_id;
  e.fault = ctx->fault_id;
  e.params = std::move(ctx->reading.parsed.params);
  e.signature = SignatureVerdict(ctx->signature ? &*ctx->signature : nullptr);
  e.violations = std::move(ctx->violations);
  p_.log->Request(e);
  p_.journal->Record(std::move(e));
}

GatewayAnswer Gateway::Handle(const HttpRequest& wire) const {
  Context ctx;
  ctx.started = std::chrono::steady_clock::now();
  ctx.answer.request_id = NewRequestId();
  const std::string* host = wire.Header("host");
  ctx.region = host != nullptr ? p_.contract->RegionFromHost(*host) : "";
  // The fixture's default_region, else --default-region (fixtures/README.md).
  if (ctx.region.empty()) ctx.region = p_.state->default_region();
  Route(wire, &ctx);
  const bool admitted = ctx.operation != nullptr && Admit(wire, &ctx);
  ctx.violations = RequestViolations(*p_.contract, wire, ctx.reading, ctx.signature ? &*ctx.signature : nullptr);
  if (admitted && p_.options->strict_requests && !ctx.violations.empty()) {
    AnswerError(&ctx, *StrictRequestsError(*p_.catalog, ctx.violations));  // step 9
  } else if (admitted) {
    ServiceCall call{ctx.operation, ctx.caller, ctx.region, ctx.reading.parsed.params};
    ServiceResult result = p_.state->Handle(call);
    if (result.error) {
      AnswerError(&ctx, *result.error, result.access_denied_detail);
    } else {
      Answer(&ctx, result.status, RenderSuccess(ctx.format, ctx.operation->name, ctx.answer.request_id, result.body));
    }
  }
  Finish(wire, &ctx);
  return std::move(ctx.answer);
}

}  // namespace onsmqtt::mock
