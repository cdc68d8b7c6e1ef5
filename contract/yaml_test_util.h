#pragma once

#include <string>

// Hostile YAML shared by the tests of the parser (contract) and of the
// programs that read YAML files (runner, mock).
namespace onsmqtt::yaml::testing {

// "Billion laughs": nine levels of anchors, each a list of nine aliases to
// the one before (1 KB of text, 9^9 nodes once expanded).
inline std::string AliasBomb() {
  std::string text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) text += (i ? ",*" : "*") + prev;
    text += "]\n";
  }
  return text;
}

}  // namespace onsmqtt::yaml::testing
