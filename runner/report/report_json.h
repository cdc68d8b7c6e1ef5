#pragma once

#include <string>

#include "runner/result/result.h"

// A machine-readable report of a run (for tools and dashboards): every
// scenario with its verdict, steps, failures and redacted exchanges
// (request line, curl, status, RequestId, body). Formats only.
namespace onsmqtt::runner {

std::string RenderJson(const RunResult& run);

}  // namespace onsmqtt::runner
