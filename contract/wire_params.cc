#include "contract/wire_params.h"

#include <algorithm>

namespace onsmqtt {

namespace {

ParamList::const_iterator Find(const ParamList& params, std::string_view name) {
  return std::find_if(params.begin(), params.end(), [&](const Param& p) { return p.first == name; });
}

}  // namespace

WireParams ParseWireParams(const HttpRequest& wire) {
  WireParams p;
  p.query = ParseQueryString(wire.query);
  const std::string* ct = wire.Header("content-type");
  p.is_form = ct != nullptr && ToLower(*ct).find("application/x-www-form-urlencoded") != std::string::npos;
  if (p.is_form) p.form = ParseQueryString(wire.body);
  return p;
}

const std::string* FindParam(const ParamList& params, std::string_view name) {
  auto it = Find(params, name);
  return it == params.end() ? nullptr : &it->second;
}

bool TakeParam(ParamList* params, std::string_view name, std::string* value) {
  auto it = params->begin() + (Find(*params, name) - params->cbegin());
  if (it == params->end()) return false;
  *value = std::move(it->second);
  params->erase(it);
  return true;
}

}  // namespace onsmqtt
