#pragma once

#include <string>
#include <string_view>
#include <vector>

// "Did you mean ...?" for names typed by people and programs: YAML keys,
// command-line options, the parameters of a request.
namespace onsmqtt {

// Levenshtein distance, ASCII letters compared without case.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` (the first of equals, in the order given)
// when it is within max(2, word.size() / 3) edits, else "". A candidate
// equal to `word` but for case is at distance 0.
std::string NearestName(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace onsmqtt
