#include "runner/result/result.h"

namespace onsmqtt::runner {

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kPassed:
      return "passed";
    case Verdict::kFailed:
      return "failed";
    case Verdict::kError:
      return "error";
    case Verdict::kSkipped:
      return "skipped";
  }
  return "?";
}

std::string AssertionFailure::ToString() const {
  std::string out = path.empty() ? std::string(KindName(kind)) : path;
  out += ": expected " + expected + ", got " + actual;
  std::string where = loc.ToString();
  if (!where.empty()) out += " (" + where + ")";
  return out;
}

}  // namespace onsmqtt::runner
