#pragma once

#include <string>
#include <vector>

#include "contract/contract.h"
#include "contract/source_location.h"
#include "contract/status.h"
#include "runner/result/result.h"

// Which documented (operation, error code) pairs a run demonstrated, and
// the waivers for those it cannot. The reporters format the Coverage in
// RunResult::coverage (JUnit's contract.coverage suite, the docs' matrix
// and coverage.json); this computes it.
namespace onsmqtt::runner {

// A documented pair not demonstrated on purpose, with the reason.
struct Waiver {
  std::string operation;
  std::string code;
  std::string reason;
  SourceLocation loc;
};

// Reads a waiver file:
//   waivers:
//     - operation: ActiveDeviceCertificate
//       code: ApiNotSupport
//       reason: why no scenario can demonstrate it
// Strict: unknown keys, a pair the contract does not document for the
// operation, a pair waived twice and an empty reason are located errors.
StatusOr<std::vector<Waiver>> LoadWaivers(const std::string& path, const Contract& contract);
StatusOr<std::vector<Waiver>> ParseWaivers(const std::string& text, const std::string& file, const Contract& contract);

// The coverage of `run`: every documented pair of `contract` in order, each
// demonstrated (a passing scenario's call to the operation was answered
// the code), waived or missing; then the undocumented pairs received.
// `gate` is copied into the result. A waiver of a demonstrated pair is
// ignored (the pair is demonstrated).
Coverage ComputeCoverage(const RunResult& run, const Contract& contract, const std::vector<Waiver>& waivers, bool gate);

// Codes any operation may answer: the gateway's errors, and the service
// errors the contract lists for no operation (SystemOverFlow,
// InternalError). Never a coverage gap, never drift.
bool IsCommonError(const Contract& contract, const std::string& code);

// The percentage of documented pairs demonstrated, e.g. 96.2 (100 when no
// pair is documented).
double DemonstratedPercent(const Coverage& c);

}  // namespace onsmqtt::runner
