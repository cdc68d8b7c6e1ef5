#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "contract/contract.h"
#include "contract/xml_escape.h"  // XmlEscape, used for every text node
#include "mock_server/model/errors.h"

// Renders the mock's answers as the service writes them: JSON by default,
// XML when the request said Format=XML. Field names, roots and the error
// envelope follow CONTRACT.md §2; messages come from the ErrorCatalog.
namespace onsmqtt::mock {

enum class BodyFormat { kJson, kXml };

// "XML" (any case) -> kXml; anything else -> kJson.
BodyFormat ParseBodyFormat(const std::string& format_param);
// "application/json;charset=utf-8" or "text/xml;charset=utf-8" (exactly
// what openapi-client expects for XML).
const char* ContentTypeFor(BodyFormat format);

// {"RequestId": ..., <body fields>}; XML root <{action}Response>.
std::string RenderSuccess(BodyFormat format, const std::string& action, const std::string& request_id,
                          const nlohmann::json& body);

// The error envelope:
//   {"RequestId","HostId","Code","Message","Recommend"[,"AccessDeniedDetail"]}
// HostId and Recommend from the contract (host_id, recommend templates).
// XML root <Error>. `access_denied_detail` is omitted when null.
std::string RenderError(BodyFormat format, const Contract& contract, const std::string& region,
                        const std::string& request_id, const ApiError& error,
                        const nlohmann::json& access_denied_detail = nullptr);

// XML of a JSON value under <name>: objects become child elements, each
// array item is a repeated <name> element, scalars become escaped text.
void AppendXmlElement(const std::string& name, const nlohmann::json& value, std::string* out);

}  // namespace onsmqtt::mock
