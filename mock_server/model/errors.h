#pragma once

#include <string>
#include <string_view>

#include "contract/contract.h"
#include "contract/status.h"
#include "mock_server/options.h"

// Turns an error code into the answer the mock gives: the HTTP status the
// options select (default, profile, override) and the contract's message.
// Messages and statuses come only from the contract file.
namespace onsmqtt::mock {

struct ApiError {
  int status = 500;
  std::string code;
  std::string message;
};

class ErrorCatalog {
 public:
  // Fails when the profile is unknown or an override names an unknown code.
  static StatusOr<ErrorCatalog> Create(const Contract& contract, const MockOptions& options);

  // REQUIRES: `code` is in the contract (checked in tests via codes.h).
  // `param` fills "{param}" in the message; `invalid` selects the
  // present-but-invalid status variant (ParameterFieldCheckFailed).
  ApiError Make(std::string_view code, const std::string& param = "", bool invalid = false) const;

  const Contract& contract() const { return *contract_; }

 private:
  ErrorCatalog(const Contract* contract, std::string profile, std::map<std::string, int> overrides)
      : contract_(contract), profile_(std::move(profile)), overrides_(std::move(overrides)) {}

  const Contract* contract_;
  std::string profile_;
  std::map<std::string, int> overrides_;
};

}  // namespace onsmqtt::mock
