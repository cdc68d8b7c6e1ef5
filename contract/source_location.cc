#include "contract/source_location.h"

#include <sstream>

namespace onsmqtt {

std::string SourceLocation::ToString() const {
  std::string out = file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (column > 0) out += ":" + std::to_string(column);
  }
  return out;
}

namespace {

std::string LineOf(const std::string& source, int line) {
  int current = 1;
  size_t start = 0;
  while (current < line) {
    size_t nl = source.find('\n', start);
    if (nl == std::string::npos) return {};
    start = nl + 1;
    ++current;
  }
  size_t end = source.find('\n', start);
  std::string text = source.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

}  // namespace

std::string RenderDiagnostic(const SourceLocation& loc, const std::string& message, const std::string& source,
                             const char* severity) {
  std::ostringstream out;
  std::string where = loc.ToString();
  if (!where.empty()) out << where << ": ";
  out << severity << ": " << message << "\n";
  if (loc.line <= 0 || source.empty()) return out.str();
  std::string text = LineOf(source, loc.line);
  std::string number = std::to_string(loc.line);
  out << " " << number << " | " << text << "\n";
  out << " " << std::string(number.size(), ' ') << " | ";
  for (int i = 1; i < loc.column && i - 1 < static_cast<int>(text.size()); ++i) {
    out << (text[i - 1] == '\t' ? '\t' : ' ');
  }
  out << "^\n";
  return out.str();
}

}  // namespace onsmqtt
