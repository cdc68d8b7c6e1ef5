#pragma once

#include <string>
#include <string_view>

#include "contract/http_message.h"
#include "contract/percent.h"

// A request's parameters as the wire carries them, decoded once: the mock
// parses each request's query (and form body) here and hands the result to
// the verifier, the auth policy and the service handlers.
namespace onsmqtt {

struct WireParams {
  ParamList query;       // the query's parameters, decoded, in wire order
  ParamList form;        // a form body's, likewise; empty unless is_form
  bool is_form = false;  // Content-Type says application/x-www-form-urlencoded
};

// Parses `wire.query` (the raw query string: clients may leave * ! ' ( )
// unescaped) and, when the Content-Type says so, the body as a form.
// Malformed escapes are kept literally (percent.h), so parsing cannot fail.
WireParams ParseWireParams(const HttpRequest& wire);

// The one rule for a parameter by name: the first one whose name is
// exactly `name` (case-sensitive, as the service reads names); nullptr when
// there is none.
const std::string* FindParam(const ParamList& params, std::string_view name);

// Moves the value of that parameter into *value and removes it from
// *params; false (nothing changed) when there is none.
bool TakeParam(ParamList* params, std::string_view name, std::string* value);

}  // namespace onsmqtt
