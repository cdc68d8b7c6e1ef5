#include "contract/status.h"

namespace onsmqtt {

const char* StatusCodeName(Status::Code code) {
  switch (code) {
    case Status::Code::kOk:
      return "OK";
    case Status::Code::kInvalidArgument:
      return "invalid argument";
    case Status::Code::kParseError:
      return "parse error";
    case Status::Code::kNotFound:
      return "not found";
    case Status::Code::kIoError:
      return "I/O error";
    case Status::Code::kFailedPrecondition:
      return "failed precondition";
    case Status::Code::kUnavailable:
      return "unavailable";
    case Status::Code::kInternal:
      return "internal error";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  if (location_ && !location_->file.empty()) {
    return location_->ToString() + ": error: " + message_;
  }
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

}  // namespace onsmqtt
