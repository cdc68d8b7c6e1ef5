#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "contract/percent.h"
#include "contract/status.h"
#include "mock_server/model/errors.h"
#include "mock_server/model/state.h"
#include "mock_server/model/store.h"

// Internal to the model: the operation handlers. MockState runs the common
// checks (RAM permission, parameters, instance, region, owner, edition) and
// then the operation's handler, with the store locked.
namespace onsmqtt::mock::internal {

struct Context {
  Store& store;
  Instance& instance;  // exists, in the region, owned by the caller, Platinum
  const ErrorCatalog& catalog;
  const ParamList& params;  // checked against the operation's ParameterSpecs
  int64_t now_ms = 0;

  // The first value of `name` ("" when absent; required ones are present).
  const std::string& Param(const std::string& name) const;
  // A parameter the contract declares as an integer (already range-checked).
  int64_t IntParam(const std::string& name) const;
  ServiceResult Fail(const char* code) const;
};

ServiceResult Success(nlohmann::json body);
ServiceResult Failure(const ErrorCatalog& catalog, const char* code, const std::string& param = "",
                      bool invalid = false);

// {Data: {Total, PageNo, PageSize, <array_name>: [page of items]}}.
template <typename Range, typename View>
nlohmann::json Page(const Context& ctx, const Range& items, const char* array_name, View view) {
  int64_t page_no = ctx.IntParam("PageNo");
  int64_t page_size = ctx.IntParam("PageSize");
  int64_t total = 0;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& item : items) {
    // (page_no - 1) * page_size may overflow for absurd page numbers.
    int64_t index = total++;
    if (index / page_size == page_no - 1) list.push_back(view(item));
  }
  return {{"Data", {{"Total", total}, {"PageNo", page_no}, {"PageSize", page_size}, {array_name, list}}}};
}

using Handler = ServiceResult (*)(Context&);

// Device certificates and the registration code (device_handlers.cc).
ServiceResult ActiveDeviceCertificate(Context& ctx);
ServiceResult InactivateDeviceCertificate(Context& ctx);
ServiceResult DeleteDeviceCertificate(Context& ctx);
ServiceResult GetDeviceCertificate(Context& ctx);
ServiceResult ListDeviceCertificate(Context& ctx);
ServiceResult ListDeviceCertificateByCaSn(Context& ctx);
ServiceResult GetRegisterCode(Context& ctx);

// CA certificates (ca_handlers.cc).
ServiceResult RegisterCaCertificate(Context& ctx);
ServiceResult ActiveCaCertificate(Context& ctx);
ServiceResult InactivateCaCertificate(Context& ctx);
ServiceResult DeleteCaCertificate(Context& ctx);
ServiceResult GetCaCertificate(Context& ctx);
ServiceResult ListCaCertificate(Context& ctx);

// The handler of an action, or nullptr.
Handler FindHandler(const std::string& action);

// The broker's decision on connect (device_handlers.cc); see
// MockState::DecideConnect.
ConnectDecision DecideConnect(Store& store, const std::string& instance_id,
                              const std::shared_ptr<const Certificate>& cert, int64_t now_ms, bool register_device);

}  // namespace onsmqtt::mock::internal
