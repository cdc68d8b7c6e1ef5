// The runner's XML-answer reader (runner/execute/xml_answer.h), fed what a hostile
// or broken endpoint may answer with Format=XML. The JSON it makes flows
// into assertions, captures and reports, which print it: every string in
// it must be valid UTF-8, or nlohmann::json's dump() throws. The three
// entries agree on what is XML, and every refusal says why.
#include <cstdint>
#include <string>

#include "contract/contract.h"
#include "fuzz/fuzz_util.h"
#include "runner/execute/xml_answer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = onsmqtt::fuzz::Bytes(data, size);
  const bool has_root = !onsmqtt::runner::XmlRootName(text).empty();
  std::optional<nlohmann::json> json = onsmqtt::runner::XmlToJson(text);
  onsmqtt::StatusOr<nlohmann::json> typed = onsmqtt::runner::ReadXmlAnswer(text, onsmqtt::BuiltinContract());
  if (json.has_value() != has_root || typed.ok() != has_root) {
    onsmqtt::fuzz::Fail("XmlRootName, XmlToJson and ReadXmlAnswer disagree on whether the text is XML");
  }
  if (!typed.ok() && typed.status().message().empty()) onsmqtt::fuzz::Fail("an error without a message");
  if (!json.has_value()) return 0;
  try {
    json->dump();
    typed->dump();
  } catch (const nlohmann::json::exception& e) {
    onsmqtt::fuzz::Fail(std::string("the converted answer cannot be printed: ") + e.what());
  }
  return 0;
}
