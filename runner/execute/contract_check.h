#pragma once

#include <vector>

#include "contract/contract.h"
#include "contract/source_location.h"
#include "runner/execute/assertions.h"
#include "runner/result/result.h"

// "The answer has the contract's shape", derived from the contract model
// only. On success (HTTP 200, no Code): every response field the operation
// documents, with its JSON type (nested objects and array items too), and
// RequestId in the request-id format. On error: the envelope RequestId,
// HostId, Code, Message, Recommend as strings, RequestId a request id,
// HostId of the contract's form, and an HTTP status the contract documents
// for the Code. In both: the x-acs-request-id header equals RequestId.
//
// Answers whose Content-Type is XML were converted to JSON by the caller;
// XML carries no JSON types, so only the presence of fields is checked.
// Every problem is appended as a failure of kind "contract" located at `loc`.
namespace onsmqtt::runner {

void CheckContractShape(const Answer& answer, const OperationSpec* operation, const Contract& contract,
                        const SourceLocation& loc, std::vector<AssertionFailure>* failures);

}  // namespace onsmqtt::runner
