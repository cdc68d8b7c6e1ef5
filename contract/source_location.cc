#include "contract/source_location.h"

#include <algorithm>
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

// At most this many bytes of the source line are shown: a long line (a
// minified flow map, a PEM on one line) is clipped around the caret.
constexpr size_t kMaxShown = 120;

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string RenderDiagnostic(const SourceLocation& loc, const std::string& message, const std::string& source,
                             const char* severity) {
  std::ostringstream out;
  std::string where = loc.ToString();
  if (!where.empty()) out << where << ": ";
  out << severity << ": " << message << "\n";
  if (loc.line <= 0 || source.empty()) return out.str();
  std::string text = LineOf(source, loc.line);
  size_t caret = std::min(static_cast<size_t>(std::max(loc.column, 1) - 1), text.size());
  size_t start = 0, end = text.size();
  if (text.size() > kMaxShown) {
    start = caret > kMaxShown / 2 ? caret - kMaxShown / 2 : 0;
    end = std::min(text.size(), start + kMaxShown);
    while (start > 0 && IsContinuationByte(text[start])) --start;
    while (end < text.size() && IsContinuationByte(text[end])) ++end;
  }
  const char* kEllipsis = "...";
  std::string number = std::to_string(loc.line);
  out << " " << number << " | " << (start > 0 ? kEllipsis : "") << text.substr(start, end - start)
      << (end < text.size() ? kEllipsis : "") << "\n";
  out << " " << std::string(number.size(), ' ') << " | " << (start > 0 ? "   " : "");
  for (size_t i = start; i < caret; ++i) out << (text[i] == '\t' ? '\t' : ' ');
  out << "^\n";
  return out.str();
}

}  // namespace onsmqtt
