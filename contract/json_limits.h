#pragma once

#include <cstddef>
#include <string_view>

#include "contract/status.h"

// Limits of JSON read from outside: bodies of the mock's admin API and the
// answers of an endpoint the runner calls. nlohmann::json parses without
// recursion, but copying, dumping and comparing its values recurse once
// per level: a 400,000-deep array crashed the mock with SIGSEGV. A text is
// therefore checked before it is parsed.
namespace onsmqtt {

inline constexpr int kMaxJsonDepth = 64;                  // arrays and objects nested
inline constexpr size_t kMaxAdminBodyBytes = 256u << 10;  // an admin API request body

// Ok, or kInvalidArgument "JSON nested deeper than 64 levels (at byte N)"
// when arrays and objects outside strings nest deeper than `max_depth`. It
// does not validate: malformed JSON is the parser's to report. O(n), no
// allocation.
Status CheckJsonDepth(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace onsmqtt
