#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

// Answers requested with Format=XML, converted to JSON so the same
// assertions apply: the root element is dropped and each element becomes
// a member; an element with child elements is an object, a leaf is a
// string (XML has no types), repeated sibling names become an array.
//   <R><RequestId>X</RequestId><Data><Sn>1</Sn></Data></R>
//     -> {"RequestId": "X", "Data": {"Sn": "1"}}
// Attributes, comments, processing instructions and the declaration are
// ignored; the five predefined entities and &#N; / &#xN; are decoded.
// Every string of the result is UTF-8: bytes that are not, and references
// to surrogates or beyond U+10FFFF, become U+FFFD.
namespace onsmqtt::runner {

// nullopt when `text` is not well-formed enough to convert.
std::optional<nlohmann::json> XmlToJson(std::string_view text);

// The root element's name ("ActiveDeviceCertificateResponse", "Error"), or "".
std::string XmlRootName(std::string_view text);

}  // namespace onsmqtt::runner
