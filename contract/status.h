#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "contract/source_location.h"

namespace onsmqtt {

// The result of an operation that can fail: ok, or a code, a message and,
// for errors found in a source file, where. Errors are values; no exceptions
// cross a module's public API.
class Status {
 public:
  enum class Code {
    kOk,
    kInvalidArgument,     // bad input from a user (flag, parameter)
    kParseError,          // a file that does not follow its format (has a location)
    kNotFound,            // a file, key or entity that does not exist
    kIoError,             // reading or writing failed
    kFailedPrecondition,  // the operation cannot run in the current state
    kUnavailable,         // a peer could not be reached
    kInternal,            // a bug
  };

  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status ParseError(SourceLocation loc, std::string msg) {
    Status s(Code::kParseError, std::move(msg));
    s.location_ = std::move(loc);
    return s;
  }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status FailedPrecondition(std::string msg) { return Status(Code::kFailedPrecondition, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // Set for parse errors; may be set on others to point at a source.
  const std::optional<SourceLocation>& location() const { return location_; }
  Status WithLocation(SourceLocation loc) const {
    Status s = *this;
    s.location_ = std::move(loc);
    return s;
  }

  // "OK", or "file:line:col: error: message" when located, else
  // "<code name>: message".
  std::string ToString() const;

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::optional<SourceLocation> location_;
};

const char* StatusCodeName(Status::Code code);

// A value or the Status that explains why there is none.
// REQUIRES: value() only when ok().
template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : data_(std::move(value)) {}        // NOLINT: implicit by design
  StatusOr(Status status) : data_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(data_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace onsmqtt

// Returns the Status of `expr` from the enclosing function when it is not ok.
#define RETURN_IF_ERROR(expr)                               \
  do {                                                      \
    if (::onsmqtt::Status _s = (expr); !_s.ok()) return _s; \
  } while (0)

// Declares `name` of type `type` (a StatusOr) from the expression, returning
// its status from the enclosing function on error. Commas inside `type` are
// fine: it is the first argument.
#define DECLARE_OR_RETURN(type, name, ...) \
  type name = (__VA_ARGS__);               \
  if (!name.ok()) return name.status()
