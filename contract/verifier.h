#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "contract/clock.h"
#include "contract/http_message.h"
#include "contract/percent.h"
#include "contract/signer.h"
#include "contract/status.h"
#include "contract/wire_params.h"

// Verifies requests as they arrive on the wire, in two steps so the caller
// can look the secret up in between:
//
//   ParsedRequest parsed;
//   AuthOutcome o = ParseSignedRequest(wire, &parsed);       // shape
//   if (o.ok()) {
//     const AccessKey* key = store.Find(parsed.access_key_id);
//     if (!key) -> InvalidAccessKeyId.NotFound
//     o = VerifySignature(wire, parsed, key->secret);         // signature
//   }
//   if (!o.ok()) answer with o.code() (plus o.string_to_sign for mismatches)
//
// Timestamp windows and nonce replay are policy of the caller; the parsed
// request exposes timestamp and nonce, and TimestampWithin() takes a Clock.
//
// A server reads each request once with ReadRequest(): one parse of its
// parameters (wire_params.h), the strict reading, and when that fails the
// lenient one, from the same parsed parameters.
namespace onsmqtt {

enum class AuthError {
  kNone,
  kMissingParameter,     // a common parameter or header is absent (detail: its name)
  kIncompleteSignature,  // no signature, or a malformed/unsupported one
  kTimestampFormat,      // Timestamp / x-acs-date not YYYY-MM-DDThh:mm:ssZ
  kSignatureMismatch,    // the signature (or the body hash) does not match
  kInternal,             // the signature could not be computed (crypto.h; detail: why)
};

// The contract's error code for a failure: "MissingParameter",
// "IncompleteSignature", "InvalidTimeStamp.Format", "SignatureDoesNotMatch",
// "InternalError".
const char* AuthErrorCode(AuthError e);

struct AuthOutcome {
  AuthError error = AuthError::kNone;
  std::string detail;             // parameter name or a reason, for messages
  std::string string_to_sign;     // for kSignatureMismatch: the server's
  std::string canonical_request;  // for kSignatureMismatch under V3

  bool ok() const { return error == AuthError::kNone; }
  const char* code() const { return AuthErrorCode(error); }
};

// What a request says about itself once its shape is checked.
struct ParsedRequest {
  SignatureScheme scheme = SignatureScheme::kV3;
  std::string access_key_id;
  std::string action;
  std::string version;
  std::string nonce;
  std::string timestamp_text;
  TimePoint timestamp;
  std::string format;          // "JSON" when absent
  std::string security_token;  // empty when absent
  // Business parameters, decoded, from the query and a form body (query
  // first); signature-scheme parameters removed.
  ParamList params;

  // Internal to verification.
  std::string provided_signature;
  std::string signed_headers;  // V3: as the client listed them
  ParamList signed_params;     // V1: every parameter but Signature; V3: the query
};

// Determines the scheme (an "ACS3-HMAC-SHA256" Authorization header means
// V3, anything else V1) and extracts the common parts. `wire.query` is the
// raw query string (clients may leave * ! ' ( ) unescaped); header names
// may have any case; a body is read as a form when Content-Type says so.
AuthOutcome ParseSignedRequest(const HttpRequest& wire, ParsedRequest* out);

// One reading of a request, from one parse of its parameters.
struct RequestReading {
  // The strict reading when `shape` is ok. Otherwise the request as far as
  // it can be read without trusting it (for routing, fault rules, the
  // Format of the error answer, the journal and the auth log/off modes):
  // Action, Version, AccessKeyId and Format from the parameters (x-acs-action
  // and x-acs-version when a V1 request lacks them, always under V3), the
  // access key of a V3 Authorization header by ParseSignedRequest's rule,
  // "JSON" for an absent or empty Format, the other parameters without the
  // V1 signature parameters.
  ParsedRequest parsed;
  AuthOutcome shape;  // what the strict reading found wrong
};
RequestReading ReadRequest(const HttpRequest& wire);

// Checks the signature with the AccessKeySecret of parsed.access_key_id.
AuthOutcome VerifySignature(const HttpRequest& wire, const ParsedRequest& parsed, std::string_view secret);

// What VerifySignature reads from the headers of a V3 request before it
// needs the secret. REQUIRES: `parsed` is a strict V3 reading
// (ParseSignedRequest ok).
struct V3Headers {
  // Lowercase, sorted, unique: what the server signs, i.e. the client's
  // SignedHeaders plus host, content-type and every x-acs-* header present
  // (so an unsigned x-acs-* header breaks the signature instead of slipping
  // through).
  std::vector<std::string> server_signed;
  // Of those, the ones present on the wire that SignedHeaders leaves out.
  std::vector<std::string> unsigned_present;
  std::string hashed_payload;           // hex SHA-256 of the body
  bool content_sha256_matches = false;  // x-acs-content-sha256 == hashed_payload
};
// Fails (kInternal) only when the body cannot be hashed (crypto.h).
StatusOr<V3Headers> InspectV3Headers(const HttpRequest& wire, const ParsedRequest& parsed);

// True when |now - parsed.timestamp| <= window.
bool TimestampWithin(const ParsedRequest& parsed, const Clock& clock, std::chrono::seconds window);

}  // namespace onsmqtt
