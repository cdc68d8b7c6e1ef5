#pragma once

#include <string>

namespace onsmqtt {

// A position in a source file. Lines and columns are 1-based; 0 means
// "unknown". Rendered GCC-style as "file:line:col".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;

  bool known() const { return line > 0; }
  // "file:line:col", "file:line", "file" or "" depending on what is known.
  std::string ToString() const;
};

// Renders a diagnostic the way compilers do:
//   scenarios/x.yaml:12:7: error: unknown key "stauts"; did you mean "status"?
//      12 |     stauts: 200
//         |     ^
// `source` is the whole text of loc.file (may be empty: then no excerpt).
std::string RenderDiagnostic(const SourceLocation& loc, const std::string& message, const std::string& source,
                             const char* severity = "error");

}  // namespace onsmqtt
