#include "mock_server/gateway/auth_policy.h"

#include <algorithm>

#include "contract/codes.h"

namespace onsmqtt::mock {

namespace {

bool IsForm(const HttpRequest& wire) {
  const std::string* ct = wire.Header("content-type");
  return ct != nullptr && ToLower(*ct).find("application/x-www-form-urlencoded") != std::string::npos;
}

// Moves the first parameter named `name` into *value.
void TakeParam(ParamList* params, std::string_view name, std::string* value) {
  auto it = std::find_if(params->begin(), params->end(), [&](const Param& p) { return p.first == name; });
  if (it == params->end()) return;
  *value = it->second;
  params->erase(it);
}

// "ACS3-HMAC-SHA256 Credential=<id>,..." -> <id>
std::string CredentialOf(const std::string& authorization) {
  size_t at = authorization.find("Credential=");
  if (at == std::string::npos) return "";
  at += 11;
  size_t end = authorization.find(',', at);
  return Trim(authorization.substr(at, end == std::string::npos ? std::string::npos : end - at));
}

}  // namespace

void LenientParse(const HttpRequest& wire, ParsedRequest* out) {
  *out = ParsedRequest{};
  ParamList all = ParseQueryString(wire.query);
  if (IsForm(wire)) {
    ParamList form = ParseQueryString(wire.body);
    all.insert(all.end(), form.begin(), form.end());
  }
  const std::string* authorization = wire.Header("authorization");
  bool v3 = authorization != nullptr && authorization->rfind(kV3Algorithm, 0) == 0;
  out->scheme = v3 ? SignatureScheme::kV3 : SignatureScheme::kV1;
  std::string ignored;
  for (const char* name : {"Action", "Version", "AccessKeyId", "Format", "Signature", "SignatureMethod",
                           "SignatureVersion", "SignatureNonce", "Timestamp", "SecurityToken", "SignatureType"}) {
    std::string* target = &ignored;
    if (std::string_view(name) == "Action") target = &out->action;
    if (std::string_view(name) == "Version") target = &out->version;
    if (std::string_view(name) == "AccessKeyId") target = &out->access_key_id;
    if (std::string_view(name) == "Format") target = &out->format;
    TakeParam(&all, name, target);
  }
  if (v3) out->access_key_id = CredentialOf(*authorization);
  // V3 names action and version only in headers; pop-core (V1) sends both.
  if (const std::string* h = wire.Header("x-acs-action"); h != nullptr && (v3 || out->action.empty())) out->action = *h;
  if (const std::string* h = wire.Header("x-acs-version"); h != nullptr && (v3 || out->version.empty()))
    out->version = *h;
  if (out->format.empty()) out->format = "JSON";
  out->params = std::move(all);
}

AuthPolicy::AuthPolicy(const MockOptions* options, const ErrorCatalog* catalog, const Clock* clock, NonceCache* nonces,
                       RequestLog* log)
    : options_(options), catalog_(catalog), clock_(clock), nonces_(nonces), log_(log) {}

std::optional<ApiError> AuthPolicy::Fail(ApiError error, const std::string& access_key_id) const {
  if (options_->auth == AuthMode::kStrict) return error;
  if (options_->auth == AuthMode::kLog) {
    // The code only: messages may carry the server's string to sign.
    log_->Note("auth log: would answer " + error.code + " (access key " +
               (access_key_id.empty() ? std::string("-") : access_key_id) + "); letting it pass");
  }
  return std::nullopt;
}

std::optional<ApiError> AuthPolicy::OnParseFailure(const AuthOutcome& outcome) const {
  const bool missing = outcome.error == AuthError::kMissingParameter;
  return Fail(catalog_->Make(outcome.code(), missing ? outcome.detail : ""), "");
}

Caller AuthPolicy::FallbackCaller(const std::string& access_key_id, MockState* state) const {
  std::map<std::string, std::string> vars = state->Variables();
  if (auto it = vars.find("key.owner.id"); it != vars.end()) {
    if (std::optional<AccessKeyRecord> owner = state->FindAccessKey(it->second)) return owner->caller;
  }
  return Caller{access_key_id, "", ""};
}

AuthResult AuthPolicy::Authenticate(const HttpRequest& wire, const ParsedRequest& parsed, bool parsed_strictly,
                                    MockState* state) const {
  AuthResult result;
  std::optional<AccessKeyRecord> key = state->FindAccessKey(parsed.access_key_id);
  if (options_->auth == AuthMode::kOff) {
    result.caller = key ? key->caller : FallbackCaller(parsed.access_key_id, state);
    return result;
  }
  const std::string& id = parsed.access_key_id;
  if (!key) {
    result.error = Fail(catalog_->Make(codes::kInvalidAccessKeyIdNotFound), id);
    if (!result.error) result.caller = FallbackCaller(id, state);
    return result;
  }
  result.caller = key->caller;
  if (!key->active) {
    if ((result.error = Fail(catalog_->Make(codes::kInvalidAccessKeyIdInactive), id))) return result;
  }
  if (!parsed_strictly) return result;  // log mode after a shape failure: nothing more to verify
  AuthOutcome sig = VerifySignature(wire, parsed, key->secret);
  if (!sig.ok()) {
    ApiError e = catalog_->Make(sig.code());  // SignatureDoesNotMatch, or InternalError when crypto failed
    if (sig.error == AuthError::kSignatureMismatch) e.message += " server string to sign is:" + sig.string_to_sign;
    if ((result.error = Fail(std::move(e), id))) return result;
  }
  if (!TimestampWithin(parsed, *clock_, options_->timestamp_window)) {
    if ((result.error = Fail(catalog_->Make(codes::kInvalidTimeStampExpired), id))) return result;
  }
  if (options_->check_nonce_replay && nonces_ != nullptr &&
      !nonces_->CheckAndRecord(id, parsed.nonce, parsed.timestamp)) {
    if ((result.error = Fail(catalog_->Make(codes::kSignatureNonceUsed), id))) return result;
  }
  return result;
}

}  // namespace onsmqtt::mock
