// Markdown text for the documentation's pages (docs_internal.h).
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "runner/report/docs_internal.h"

namespace onsmqtt::runner::docs {
namespace {

// The longest run of backticks in `s`.
size_t LongestBacktickRun(std::string_view s) {
  size_t longest = 0;
  size_t run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

std::string OneLine(std::string_view s) {
  std::string out(s);
  std::replace(out.begin(), out.end(), '\n', ' ');
  std::replace(out.begin(), out.end(), '\r', ' ');
  return out;
}

}  // namespace

std::string Page::File(std::string_view base, std::string_view anchor) const {
  std::string out = std::string(base) + std::string(ext);
  if (!anchor.empty()) out += "#" + std::string(anchor);
  return out;
}

std::string Text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : OneLine(s)) {
    // Every character that can open markup; '.', '-', ':' and the like
    // only matter at the start of a line, which inline text never is.
    static constexpr std::string_view kMarkup = "\\`*_[]<>|~&!#";
    if (kMarkup.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string Code(std::string_view s) {
  std::string body = OneLine(s);
  if (body.empty()) return "";
  std::string ticks(LongestBacktickRun(body) + 1, '`');
  // A leading or trailing backtick would join the delimiter: pad both
  // sides (CommonMark strips one space from each).
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`' || body.front() == ' ');
  std::string space = pad ? " " : "";
  return ticks + space + body + space + ticks;
}

std::string CellCode(std::string_view s) {
  std::string out;
  for (char c : Code(s)) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string Fenced(std::string_view body, std::string_view info) {
  std::string fence(std::max<size_t>(3, LongestBacktickRun(body) + 1), '`');
  std::string out = fence + std::string(info) + "\n" + std::string(body);
  if (!body.empty() && body.back() != '\n') out += "\n";
  return out + fence + "\n";
}

std::string Slug(std::string_view heading) {
  std::string out;
  for (char c : heading) {
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else if (c == ' ') {
      out += '-';
    } else if (c == '-' || c == '_' || std::isalnum(static_cast<unsigned char>(c)) ||
               static_cast<unsigned char>(c) >= 0x80) {
      out += c;
    }
  }
  return out;
}

std::string Link(std::string_view text, std::string_view href) {
  std::string dest;
  for (char c : href) {
    switch (c) {
      case ' ':
        dest += "%20";
        break;
      case '(':
        dest += "%28";
        break;
      case ')':
        dest += "%29";
        break;
      case '<':
        dest += "%3C";
        break;
      case '>':
        dest += "%3E";
        break;
      case '|':
        dest += "%7C";
        break;
      default:
        dest += c;
    }
  }
  return "[" + std::string(text) + "](" + dest + ")";
}

std::string Row(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& c : cells) out += " " + c + " |";
  return out + "\n";
}

std::string Header(const std::vector<std::string>& names) {
  std::vector<std::string> rule(names.size(), "---");
  return Row(names) + Row(rule);
}

std::string StatusList(const std::vector<int>& statuses) {
  if (statuses.empty()) return "—";
  std::string out;
  for (int s : statuses) out += (out.empty() ? "" : ", ") + std::to_string(s);
  return out;
}

std::string SourceLink(const Page& page, const std::string& file, int line) {
  std::string where = line > 0 ? file + ":" + std::to_string(line) : file;
  std::string href = page.options.source_link_prefix + file;
  if (line > 0) href += "#L" + std::to_string(line);
  return Link(Code(where), href);
}

}  // namespace onsmqtt::runner::docs
