#include "mock_server/gateway/request_violations.h"

#include "contract/codes.h"

namespace onsmqtt::mock {

namespace {

constexpr size_t kMessagesShown = 10;

bool Starts(const std::string& rule, std::string_view prefix) { return rule.rfind(prefix, 0) == 0; }

ApiError ErrorFor(const ErrorCatalog& catalog, const Violation& first) {
  const std::string& rule = first.rule;
  if (rule == rules::kSignatureMissing) return catalog.Make(codes::kMissingParameter, first.parameter);
  if (rule == rules::kSignatureTimestampFormat) return catalog.Make(codes::kInvalidTimeStampFormat);
  if (rule == rules::kSignatureMismatch) return catalog.Make(codes::kSignatureDoesNotMatch);
  if (Starts(rule, "signature.") || Starts(rule, "headers.")) return catalog.Make(codes::kIncompleteSignature);
  const bool missing = rule == rules::kParameterMissing || rule == rules::kParameterEmpty;
  return catalog.Make(codes::kParameterFieldCheckFailed, first.parameter, !missing);
}

}  // namespace

std::vector<Violation> RequestViolations(const Contract& contract, const HttpRequest& wire,
                                         const RequestReading& reading, const AuthOutcome* signature) {
  std::vector<Violation> out = CheckSignedRequest(wire, reading, signature);
  if (const OperationSpec* op = contract.FindOperation(reading.parsed.action)) {
    std::vector<Violation> params = CheckRequestParams(*op, reading.parsed.params);
    out.insert(out.end(), std::make_move_iterator(params.begin()), std::make_move_iterator(params.end()));
  }
  return out;
}

std::optional<ApiError> StrictRequestsError(const ErrorCatalog& catalog, const std::vector<Violation>& violations) {
  if (violations.empty()) return std::nullopt;
  ApiError error = ErrorFor(catalog, violations.front());
  error.message += " (strict requests: ";
  for (size_t i = 0; i < violations.size() && i < kMessagesShown; ++i) {
    error.message += (i == 0 ? "" : "; ") + violations[i].message;
  }
  if (violations.size() > kMessagesShown) {
    error.message += "; and " + std::to_string(violations.size() - kMessagesShown) + " more";
  }
  error.message += ")";
  return error;
}

}  // namespace onsmqtt::mock
