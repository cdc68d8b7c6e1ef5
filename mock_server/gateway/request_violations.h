#pragma once

#include <optional>
#include <vector>

#include "contract/contract.h"
#include "contract/http_message.h"
#include "contract/request_check.h"
#include "contract/verifier.h"
#include "mock_server/model/errors.h"

// The gateway's use of contract/request_check.h: every request's
// violations, for its journal entry, and the answer --strict-requests
// (MockOptions::strict_requests) gives a request that has any.
namespace onsmqtt::mock {

// CheckSignedRequest, then CheckRequestParams for the operation the request
// names (none when its Action is not an operation of the contract).
// `signature`: VerifySignature's outcome when it ran, else null.
std::vector<Violation> RequestViolations(const Contract& contract, const HttpRequest& wire,
                                         const RequestReading& reading, const AuthOutcome* signature);

// The strict-requests answer, nullopt when there is no violation. The
// first violation picks the code:
//   signature.missing           MissingParameter ({param}: the parameter)
//   signature.incomplete        IncompleteSignature
//   signature.timestamp_format  InvalidTimeStamp.Format
//   signature.mismatch          SignatureDoesNotMatch
//   headers.*                   IncompleteSignature
//   parameter.missing, .empty   ParameterFieldCheckFailed, its "missing" status
//   other parameter.*           ParameterFieldCheckFailed, its "invalid" status
// The message is the contract's, then " (strict requests: <message>; ...)"
// with the violations' messages (the first 10, then "and N more").
std::optional<ApiError> StrictRequestsError(const ErrorCatalog& catalog, const std::vector<Violation>& violations);

}  // namespace onsmqtt::mock
