#pragma once

#include <optional>
#include <string>

#include "contract/clock.h"
#include "contract/http_message.h"
#include "contract/verifier.h"
#include "mock_server/gateway/nonce_cache.h"
#include "mock_server/gateway/request_log.h"
#include "mock_server/model/errors.h"
#include "mock_server/model/state.h"
#include "mock_server/options.h"

// Authentication policy of the gateway: which access key signed a request
// and whether the request may pass, in the contract's order
//   key lookup -> security token -> signature -> timestamp window -> nonce
// (the shape of the request was checked before, by ReadRequest).
//
// The security token (SecurityToken, x-acs-security-token), README.md's
// assumptions: a temporary credential's key without a token is
// MissingSecurityToken; a token no temporary credential has (also sent with
// a permanent key) InvalidSecurityToken.Malformed; another temporary
// credential's token (with either kind of key)
// InvalidSecurityToken.MismatchWithAccessKey; the
// credential's own token at or after its expiration (the mock's clock)
// InvalidSecurityToken.Expired. A temporary credential's caller is its
// account or RAM user, as for an access key.
//
// Modes (MockOptions::auth):
//   strict  the first failing check is the answer.
//   log     every check runs; a failure is logged (RequestLog::Note, no
//           secrets) and the request passes.
//   off     no check fails; the signature is still verified when the key is
//           known, for the journal (AuthResult::signature).
// In log and off modes the caller is the access key's owner when the key is
// known (even if inactive); otherwise the fixture's key named "owner"
// (variable key.owner.id) when there is one; otherwise an anonymous caller
// (no account: the service's own checks will deny it).
namespace onsmqtt::mock {

struct AuthResult {
  std::optional<ApiError> error;  // strict mode: the gateway error to answer
  Caller caller;
  // VerifySignature's outcome when it ran: a well-formed request of a known
  // key, in every mode (off verifies too, for the journal, and never fails
  // on it), unless an earlier check (an inactive key in strict mode) decided.
  std::optional<AuthOutcome> signature;
};

class AuthPolicy {
 public:
  // Pointers are not owned and must outlive the policy. `nonces` may be
  // null when options.check_nonce_replay is false.
  AuthPolicy(const MockOptions* options, const ErrorCatalog* catalog, const Clock* clock, NonceCache* nonces,
             RequestLog* log);

  // `reading` is ReadRequest(wire). REQUIRES: reading.shape is ok, or the
  // mode is log or off (OnParseFailure let the request pass).
  AuthResult Authenticate(const HttpRequest& wire, const RequestReading& reading, MockState* state) const;

  // Failure of the shape check: strict -> the error to answer; log -> noted,
  // nullopt; off -> nullopt.
  std::optional<ApiError> OnParseFailure(const AuthOutcome& outcome) const;

 private:
  Caller FallbackCaller(const std::string& access_key_id, MockState* state) const;
  // The security token's error code for `key`, or nullptr when it passes.
  const char* TokenError(const AccessKeyRecord& key, const std::string& token, MockState* state) const;
  // Strict: the error. Log: notes it and returns nullopt.
  std::optional<ApiError> Fail(ApiError error, const std::string& access_key_id) const;

  const MockOptions* options_;
  const ErrorCatalog* catalog_;
  const Clock* clock_;
  NonceCache* nonces_;
  RequestLog* log_;
};

}  // namespace onsmqtt::mock
