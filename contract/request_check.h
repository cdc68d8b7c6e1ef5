#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "contract/contract.h"
#include "contract/http_message.h"
#include "contract/percent.h"
#include "contract/verifier.h"

// Is this a correct request? The rules a request breaks, as data, for the
// mock's journal (and --strict-requests) and for the runner. Nothing here
// answers a request: the mock's own answers stay as the contract says
// (unknown parameters are ignored by the service, for instance).
//
// A message names the parameter (or header) and the operation, e.g.
//   DeviceSN is not a parameter of ActiveDeviceCertificate (did you mean DeviceSn?)
// and never holds a secret, a signature, an Authorization or SecurityToken
// value. Values of integer parameters are quoted (at most 32 bytes of them).
namespace onsmqtt {

struct Violation {
  std::string rule;       // one of the rules below
  std::string parameter;  // the parameter or header concerned; "" when none
  std::string message;

  bool operator==(const Violation&) const = default;
};

namespace rules {
// Business parameters (CheckRequestParams).
inline constexpr char kParameterUnknown[] = "parameter.unknown";      // not a parameter of the operation
inline constexpr char kParameterMissing[] = "parameter.missing";      // required, absent
inline constexpr char kParameterEmpty[] = "parameter.empty";          // required, present and empty
inline constexpr char kParameterTooLong[] = "parameter.too_long";     // over max_bytes
inline constexpr char kParameterType[] = "parameter.type";            // integer: not a decimal, or out of range
inline constexpr char kParameterDuplicate[] = "parameter.duplicate";  // the same name more than once
// The signed request (CheckSignedRequest).
inline constexpr char kSignatureMissing[] = "signature.missing";        // a common parameter / x-acs-* header absent
inline constexpr char kSignatureIncomplete[] = "signature.incomplete";  // no or a malformed signature
inline constexpr char kSignatureTimestampFormat[] = "signature.timestamp_format";  // Timestamp / x-acs-date
inline constexpr char kSignatureMismatch[] = "signature.mismatch";  // does not verify with the key's secret
inline constexpr char kHeadersUnsigned[] = "headers.unsigned";      // V3: present, signed by the server, unlisted
inline constexpr char kHeadersContentSha256[] = "headers.content_sha256";  // V3: not the body's hash
}  // namespace rules

// The business parameters of a request (ParsedRequest::params: the common
// and signature parameters removed) against `op`. Order: the operation's
// parameters in contract order, each with its duplicate, then missing /
// empty / too_long / type violations; then the names the operation does
// not have, in wire order (each once, with its duplicate). Values are read
// as the mock reads them: the first of a name (FindParam).
std::vector<Violation> CheckRequestParams(const OperationSpec& op, const ParamList& params);

// The signed request itself, in this order: the shape failure the verifier
// reported (reading.shape: signature.missing, .incomplete,
// .timestamp_format); for a well-formed V3 request, headers.unsigned (each
// header, by name) and headers.content_sha256 (either breaks the signature:
// they come before the mismatch they cause); signature.mismatch when
// VerifySignature ran and said so (`signature`; null when it did not run,
// e.g. for an unknown key). Messages name reading.parsed.action if any.
std::vector<Violation> CheckSignedRequest(const HttpRequest& wire, const RequestReading& reading,
                                          const AuthOutcome* signature);

// "valid" (verified), "invalid" (kSignatureMismatch) or "unchecked" (not
// verified: null, or the crypto failed).
const char* SignatureVerdict(const AuthOutcome* signature);

// A decimal int64 the way the service reads integer parameters: "-"
// allowed, 1 to 18 digits, nothing else.
bool ParseDecimalInteger(std::string_view s, int64_t* out);

}  // namespace onsmqtt
