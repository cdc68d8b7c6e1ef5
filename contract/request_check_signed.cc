// CheckSignedRequest and SignatureVerdict (contract/request_check.h): what
// the verifier found, as violations.
#include "contract/request_check.h"

namespace onsmqtt {

namespace {

constexpr size_t kMaxQuotedValue = 32;

const char* SchemeLabel(SignatureScheme s) { return s == SignatureScheme::kV1 ? "V1" : "V3"; }

std::string Request(const ParsedRequest& p) {
  return p.action.empty() ? std::string("the request") : "the request for " + p.action;
}

// The name the verifier's reason is about: its first word that starts with
// "Signature" or "Authorization" ("SignatureMethod must be HMAC-SHA1",
// "the Authorization header is missing"), else "".
std::string Subject(const std::string& reason) {
  size_t start = 0;
  while (start < reason.size()) {
    size_t end = reason.find(' ', start);
    std::string word = reason.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (word.rfind("Signature", 0) == 0 || word.rfind("Authorization", 0) == 0) return word;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return "";
}

void ShapeViolations(const RequestReading& reading, std::vector<Violation>* out) {
  const AuthOutcome& shape = reading.shape;
  const ParsedRequest& p = reading.parsed;
  switch (shape.error) {
    case AuthError::kMissingParameter:
      out->push_back({rules::kSignatureMissing, shape.detail,
                      shape.detail + " is missing from " + Request(p) + " (every signed request carries it)"});
      return;
    case AuthError::kIncompleteSignature:
      out->push_back({rules::kSignatureIncomplete, Subject(shape.detail),
                      Request(p) + " is not completely signed: " + shape.detail});
      return;
    case AuthError::kTimestampFormat: {
      std::string name = p.scheme == SignatureScheme::kV1 ? "Timestamp" : "x-acs-date";
      std::string got = shape.detail.size() <= kMaxQuotedValue ? shape.detail : shape.detail.substr(0, kMaxQuotedValue);
      out->push_back({rules::kSignatureTimestampFormat, name,
                      name + " of " + Request(p) + " must be YYYY-MM-DDThh:mm:ssZ (UTC), got \"" + got + "\""});
      return;
    }
    case AuthError::kNone:
    case AuthError::kSignatureMismatch:
    case AuthError::kInternal:
      return;
  }
}

void HeaderViolations(const HttpRequest& wire, const ParsedRequest& p, std::vector<Violation>* out) {
  StatusOr<V3Headers> headers = InspectV3Headers(wire, p);
  if (!headers.ok()) return;
  for (const std::string& name : headers->unsigned_present) {
    out->push_back({rules::kHeadersUnsigned, name,
                    name + " is sent but not in the SignedHeaders of " + Request(p) + " (" + p.signed_headers +
                        "); the server signs host, content-type and every x-acs-* header present"});
  }
  if (!headers->content_sha256_matches) {
    out->push_back({rules::kHeadersContentSha256, "x-acs-content-sha256",
                    "x-acs-content-sha256 of " + Request(p) + " is not the SHA-256 of its body (" +
                        std::to_string(wire.body.size()) + " bytes, " + headers->hashed_payload + ")"});
  }
}

}  // namespace

std::vector<Violation> CheckSignedRequest(const HttpRequest& wire, const RequestReading& reading,
                                          const AuthOutcome* signature) {
  std::vector<Violation> out;
  ShapeViolations(reading, &out);
  const ParsedRequest& p = reading.parsed;
  // The headers first: they are the cause of a mismatch they come with.
  if (reading.shape.ok() && p.scheme == SignatureScheme::kV3) HeaderViolations(wire, p, &out);
  if (signature != nullptr && signature->error == AuthError::kSignatureMismatch) {
    std::string message = "the " + std::string(SchemeLabel(p.scheme)) + " signature of " + Request(p) +
                          " does not verify with the secret of access key " + p.access_key_id;
    if (signature->detail != "signature mismatch") message += " (" + signature->detail + ")";
    out.push_back({rules::kSignatureMismatch, p.scheme == SignatureScheme::kV1 ? "Signature" : "Authorization",
                   std::move(message)});
  }
  return out;
}

const char* SignatureVerdict(const AuthOutcome* signature) {
  if (signature == nullptr) return "unchecked";
  if (signature->ok()) return "valid";
  return signature->error == AuthError::kSignatureMismatch ? "invalid" : "unchecked";
}

}  // namespace onsmqtt
