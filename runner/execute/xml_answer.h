#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

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
//
// XML cannot tell a list of one from a single element, nor an empty list
// from an absent one, nor "1" from 1. The typed forms take the types from
// the contract's response fields (contract/onsmqtt-2020-04-20.yaml):
//   - an `array` field is always an array: one element -> [item], an empty
//     element (<L/>) -> [], no element at all -> [] (the mock and the
//     service write no element for an empty list);
//   - an `object` field that is an empty element is {};
//   - `number` and `boolean` leaves that read as one become one ("2" -> 2,
//     "true" -> true); anything else stays the string it was;
//   - fields the contract does not list are left as read.
// Nested fields (objects in array items, arrays in objects) follow the
// same rules.
namespace onsmqtt {
struct Contract;
struct FieldSpec;
}  // namespace onsmqtt

namespace onsmqtt::runner {

// nullopt when `text` is not well-formed enough to convert.
std::optional<nlohmann::json> XmlToJson(std::string_view text);

// Typed by `response` (an operation's top-level response fields).
std::optional<nlohmann::json> XmlToJson(std::string_view text, const std::vector<FieldSpec>& response);

// Typed by the operation the root element names ("<Action>Response"); an
// "Error" or unknown root converts untyped.
std::optional<nlohmann::json> XmlAnswerToJson(std::string_view text, const Contract& contract);

// The root element's name ("ActiveDeviceCertificateResponse", "Error"), or "".
std::string XmlRootName(std::string_view text);

}  // namespace onsmqtt::runner
