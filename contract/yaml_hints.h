#pragma once

#include <string>

#include "contract/source_location.h"

// yaml-cpp's syntax errors ("illegal block entry", "end of map flow not
// found") name the parser's state, not the writer's mistake. WithHint
// appends the likely cause, judged from the message and the source lines at
// and before `at`: a tab in the indentation, an unquoted ${...} inside a
// flow map or list, an indentation that does not line up, an alias before
// its anchor. Messages without a known cause are returned as they are.
namespace onsmqtt::yaml {

std::string WithHint(const std::string& message, const std::string& text, const SourceLocation& at);

}  // namespace onsmqtt::yaml
