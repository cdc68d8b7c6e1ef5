// The runner's XML-answer reader (runner/execute/xml_answer.h), fed what a hostile
// or broken endpoint may answer with Format=XML. The JSON it makes flows
// into assertions, captures and reports, which print it: every string in
// it must be valid UTF-8, or nlohmann::json's dump() throws.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_util.h"
#include "runner/execute/xml_answer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = onsmqtt::fuzz::Bytes(data, size);
  onsmqtt::runner::XmlRootName(text);
  std::optional<nlohmann::json> json = onsmqtt::runner::XmlToJson(text);
  if (!json.has_value()) return 0;
  try {
    json->dump();
  } catch (const nlohmann::json::exception& e) {
    onsmqtt::fuzz::Fail(std::string("the converted answer cannot be printed: ") + e.what());
  }
  return 0;
}
