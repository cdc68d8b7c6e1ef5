#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "contract/status.h"

// Answers requested with Format=XML, converted to JSON so the same
// assertions apply: the root element is dropped and each element becomes
// a member; an element with child elements is an object, a leaf is a
// string (XML has no types), repeated sibling names become an array.
//   <R><RequestId>X</RequestId><Data><Sn>1</Sn></Data></R>
//     -> {"RequestId": "X", "Data": {"Sn": "1"}}
// Attributes, comments, processing instructions and the declaration are
// ignored; text between child elements is dropped; the five predefined
// entities, &#N; / &#xN; and CDATA are decoded; a prefixed name keeps its
// prefix ("a:B").
//
// libxml2 reads the text, strictly: what is not well-formed XML 1.0 with
// namespaces is an error (bytes that are not UTF-8 or the declared
// encoding, references to surrogates, undefined entities, a second root,
// trailing text). So is a DOCTYPE (no DTD or entity is loaded or
// expanded), nesting deeper than JSON answers may (contract/json_limits.h:
// 64 levels below the root), and a text over kMaxAnswerBytes. Every string
// of the result is UTF-8. Thread-safe.
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
class Contract;
struct FieldSpec;
}  // namespace onsmqtt

namespace onsmqtt::runner {

// The answer typed by the operation its root element names
// ("<Action>Response"; an "Error" or unknown root converts untyped), or
// kInvalidArgument saying what is wrong and where, for example
//   "not well-formed XML at line 1, column 9: xmlParseEntityRef: no name".
StatusOr<nlohmann::json> ReadXmlAnswer(std::string_view text, const Contract& contract);

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
