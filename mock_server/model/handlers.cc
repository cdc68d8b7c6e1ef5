#include "mock_server/model/handlers.h"

#include <cstdlib>
#include <unordered_map>

#include "contract/wire_params.h"

namespace onsmqtt::mock::internal {

const std::string& Context::Param(const std::string& name) const {
  static const std::string kEmpty;
  const std::string* value = FindParam(params, name);
  return value != nullptr ? *value : kEmpty;
}

int64_t Context::IntParam(const std::string& name) const { return std::strtoll(Param(name).c_str(), nullptr, 10); }

ServiceResult Context::Fail(const char* code) const { return Failure(catalog, code); }

ServiceResult Success(nlohmann::json body) {
  ServiceResult result;
  result.body = std::move(body);
  return result;
}

ServiceResult Failure(const ErrorCatalog& catalog, const char* code, const std::string& param, bool invalid) {
  ServiceResult result;
  ApiError error = catalog.Make(code, param, invalid);
  result.status = error.status;
  result.error = std::move(error);
  return result;
}

Handler FindHandler(const std::string& action) {
  static const std::unordered_map<std::string, Handler> kHandlers = {
      {"ActiveDeviceCertificate", &ActiveDeviceCertificate},
      {"InactivateDeviceCertificate", &InactivateDeviceCertificate},
      {"DeleteDeviceCertificate", &DeleteDeviceCertificate},
      {"GetDeviceCertificate", &GetDeviceCertificate},
      {"ListDeviceCertificate", &ListDeviceCertificate},
      {"ListDeviceCertificateByCaSn", &ListDeviceCertificateByCaSn},
      {"GetRegisterCode", &GetRegisterCode},
      {"RegisterCaCertificate", &RegisterCaCertificate},
      {"ActiveCaCertificate", &ActiveCaCertificate},
      {"InactivateCaCertificate", &InactivateCaCertificate},
      {"DeleteCaCertificate", &DeleteCaCertificate},
      {"GetCaCertificate", &GetCaCertificate},
      {"ListCaCertificate", &ListCaCertificate},
  };
  auto it = kHandlers.find(action);
  return it == kHandlers.end() ? nullptr : it->second;
}

}  // namespace onsmqtt::mock::internal
