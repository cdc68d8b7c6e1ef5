#include "mock_server/gateway/auth_policy.h"

#include "contract/codes.h"

namespace onsmqtt::mock {

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

const char* AuthPolicy::TokenError(const AccessKeyRecord& key, const std::string& token, MockState* state) const {
  if (key.temporary && token.empty()) return codes::kMissingSecurityToken;
  if (token.empty()) return nullptr;  // a permanent key without a token
  if (!key.temporary || token != key.token) {
    // Another temporary credential's token, or one no credential has.
    return state->FindSecurityTokenOwner(token) ? codes::kInvalidSecurityTokenMismatch
                                                : codes::kInvalidSecurityTokenMalformed;
  }
  if (key.expiration <= clock_->Now()) return codes::kInvalidSecurityTokenExpired;
  return nullptr;
}

AuthResult AuthPolicy::Authenticate(const HttpRequest& wire, const RequestReading& reading, MockState* state) const {
  const ParsedRequest& parsed = reading.parsed;
  AuthResult result;
  std::optional<AccessKeyRecord> key = state->FindAccessKey(parsed.access_key_id);
  if (options_->auth == AuthMode::kOff) {
    result.caller = key ? key->caller : FallbackCaller(parsed.access_key_id, state);
    if (key && reading.shape.ok()) result.signature = VerifySignature(wire, parsed, key->secret);
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
  if (!reading.shape.ok()) return result;  // log mode after a shape failure: nothing more to verify
  // Verified before the token is judged, so that the journal records the
  // signature's verdict whatever the answer is.
  result.signature = VerifySignature(wire, parsed, key->secret);
  if (const char* code = TokenError(*key, parsed.security_token, state)) {
    if ((result.error = Fail(catalog_->Make(code), id))) return result;
  }
  const AuthOutcome& sig = *result.signature;
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
