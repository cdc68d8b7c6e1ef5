#include "mock_server/model/errors.h"

namespace onsmqtt::mock {

StatusOr<ErrorCatalog> ErrorCatalog::Create(const Contract& contract, const MockOptions& options) {
  if (options.status_profile != "documented" && contract.profiles.count(options.status_profile) == 0) {
    std::string known = "documented";
    for (const auto& [name, unused] : contract.profiles) known += ", " + name;
    return Status::InvalidArgument("unknown status profile \"" + options.status_profile + "\" (known: " + known + ")");
  }
  for (const auto& [code, status] : options.status_overrides) {
    if (contract.FindError(code) == nullptr) {
      return Status::InvalidArgument("status override for unknown error code \"" + code + "\"");
    }
    if (status < 100 || status > 599) {
      return Status::InvalidArgument("status override for " + code +
                                     " is not an HTTP status: " + std::to_string(status));
    }
  }
  return ErrorCatalog(&contract, options.status_profile, options.status_overrides);
}

ApiError ErrorCatalog::Make(std::string_view code, const std::string& param, bool invalid) const {
  std::string key(code);
  const ErrorSpec* spec = contract_->FindError(key);
  if (spec == nullptr) {
    const ErrorSpec* internal = contract_->FindError("InternalError");
    return ApiError{500, "InternalError", internal != nullptr ? internal->message : "internal error"};
  }
  int status = invalid && spec->mock_status_invalid ? *spec->mock_status_invalid : spec->mock_status;
  if (auto p = contract_->profiles.find(profile_); p != contract_->profiles.end()) {
    if (auto s = p->second.find(key); s != p->second.end()) status = s->second;
  }
  if (auto o = overrides_.find(key); o != overrides_.end()) status = o->second;
  return ApiError{status, key, spec->FormatMessage(param)};
}

}  // namespace onsmqtt::mock
