// Percent-decoding and query parsing (contract/percent.h), the first thing
// the mock does with every request's query and form body. Invariants:
//   - decoding what PercentEncode made gives the text back;
//   - ParseQueryString(EncodeParams(p)) == p (what a client sends is what
//     the mock reads);
//   - the canonical query string is independent of parameter order.
#include <algorithm>
#include <cstdint>
#include <string>

#include "contract/percent.h"
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using onsmqtt::fuzz::Fail;
  const std::string_view raw = onsmqtt::fuzz::Bytes(data, size);
  for (bool plus_is_space : {true, false}) {
    onsmqtt::PercentDecode(raw, plus_is_space);
    onsmqtt::ParamList params = onsmqtt::ParseQueryString(raw, plus_is_space);
    const std::string encoded = onsmqtt::EncodeParams(params);
    if (onsmqtt::ParseQueryString(encoded, plus_is_space) != params) Fail("EncodeParams does not parse back");
    const std::string canonical = onsmqtt::CanonicalQueryString(params);
    std::reverse(params.begin(), params.end());
    if (onsmqtt::CanonicalQueryString(params) != canonical) Fail("CanonicalQueryString depends on the order");
  }
  const std::string encoded = onsmqtt::PercentEncode(raw);
  if (encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%") !=
      std::string::npos) {
    Fail("PercentEncode left a reserved character");
  }
  if (onsmqtt::PercentDecode(encoded, true) != raw || onsmqtt::PercentDecode(encoded, false) != raw) {
    Fail("PercentDecode(PercentEncode(x)) != x");
  }
  return 0;
}
