#include "runner/result/report_text.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "runner/result/redact.h"

namespace onsmqtt::runner {

std::string FormatSeconds(double seconds) {
  if (!(seconds > 0) || !std::isfinite(seconds)) seconds = 0;
  int64_t millis = static_cast<int64_t>(std::llround(seconds * 1000.0));
  std::string frac = std::to_string(millis % 1000);
  return std::to_string(millis / 1000) + "." + std::string(3 - frac.size(), '0') + frac;
}

std::string Plural(size_t count, std::string_view noun, std::string_view plural) {
  std::string out = std::to_string(count) + " ";
  if (count == 1) return out.append(noun);
  return plural.empty() ? out.append(noun).append("s") : out.append(plural);
}

std::string OneLineSummary(const std::vector<StepResult>& steps) {
  const StepResult* first = nullptr;
  size_t total = 0;
  for (const StepResult& s : steps) {
    if (s.cleanup || s.verdict == Verdict::kPassed || s.verdict == Verdict::kSkipped) continue;
    if (first == nullptr) first = &s;
    total += s.verdict == Verdict::kError ? 1 : s.failures.size();
  }
  if (first == nullptr) return "";
  std::string line = "step \"" + first->name + "\": ";
  if (first->verdict == Verdict::kError) {
    line += first->error;
  } else if (!first->failures.empty()) {
    line += first->failures.front().ToString();
  }
  if (total > 1) line += " (and " + std::to_string(total - 1) + " more)";
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return line;
}

std::string FirstFailureKind(const std::vector<StepResult>& steps) {
  for (const StepResult& s : steps) {
    if (s.cleanup) continue;
    if (s.verdict == Verdict::kError) return std::string(KindName(s.error_kind));
    if (s.verdict == Verdict::kFailed && !s.failures.empty()) return std::string(KindName(s.failures.front().kind));
  }
  return "";
}

std::string FailureDetail(const std::vector<StepResult>& steps) {
  std::string out;
  for (const StepResult& s : steps) {
    if (s.cleanup || s.verdict == Verdict::kPassed || s.verdict == Verdict::kSkipped) continue;
    out += "step \"" + s.name + "\":\n";
    if (s.verdict == Verdict::kError) out += "  error: " + s.error + "\n";
    for (const AssertionFailure& f : s.failures) out += "  " + f.ToString() + "\n";
    if (!s.burst_summary.empty()) out += "  burst: " + s.burst_summary + "\n";
    if (s.connect) out += "  connect: " + s.connect->Summary() + "\n";
    if (!s.exchanges.empty()) {
      const Exchange& e = s.exchanges.back();
      out += "  request: " + e.request_line + "\n";
      out += "  status: " + (e.status == 0 ? std::string("no answer") : std::to_string(e.status));
      if (!e.request_id.empty()) out += ", RequestId: " + e.request_id;
      if (!e.code.empty()) out += ", Code: " + e.code;
      if (!e.message.empty()) out += ", Message: " + e.message;
      out += "\n";
    }
  }
  return out;
}

std::string RetryTrace(const ScenarioResult& r) {
  if (r.earlier_attempts.empty()) return "";
  const std::string of = " of " + std::to_string(std::max<size_t>(r.attempts_allowed, r.earlier_attempts.size() + 1));
  std::string out =
      std::string(VerdictName(r.verdict)) + " on attempt " + std::to_string(r.earlier_attempts.size() + 1) + of + "\n";
  for (size_t i = 0; i < r.earlier_attempts.size(); ++i) {
    const Attempt& a = r.earlier_attempts[i];
    out += "attempt " + std::to_string(i + 1) + " " + (a.verdict == Verdict::kError ? "errored" : "failed") + ": " +
           a.message + "\n";
  }
  return out;
}

std::string ShellWord(std::string_view word) {
  static constexpr std::string_view kPlain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=@%+,";
  if (!word.empty() && word.find_first_not_of(kPlain) == std::string_view::npos) return std::string(word);
  return ShellQuote(word);
}

std::string RerunCommand(const std::string& prefix, const ScenarioResult& r) {
  if (prefix.empty() || r.file.empty()) return "";
  std::string pattern = "^";
  for (char c : r.classname + "." + r.name) {
    if (std::string_view("\\^$.|?*+()[]{}/").find(c) != std::string_view::npos) pattern += '\\';
    pattern += c;
  }
  return prefix + " " + ShellWord(r.file) + " --filter " + ShellWord(pattern + "$");
}

std::string StripAnsi(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\x1b' || i + 1 >= text.size()) {
      out += text[i];
      continue;
    }
    char kind = text[i + 1];
    if (kind == '[') {  // CSI: parameters, then a final byte in 0x40..0x7e
      size_t j = i + 2;
      while (j < text.size() && !(text[j] >= 0x40 && text[j] <= 0x7e)) ++j;
      i = j;
    } else if (kind == ']') {  // OSC: until BEL or ESC backslash
      size_t j = i + 2;
      while (j < text.size() && text[j] != '\x07' && !(text[j] == '\x1b' && j + 1 < text.size() && text[j + 1] == '\\'))
        ++j;
      i = (j < text.size() && text[j] == '\x1b') ? j + 1 : j;
    } else {
      out += text[i];  // a lone ESC: left for the caller to show visibly
    }
  }
  return out;
}

std::string ReportedClassname(const ScenarioResult& result, const RunInfo& info) {
  std::string classname = result.classname.empty() ? "onsmqtt" : result.classname;
  if (info.client.empty() || classname == kRunnerClassname) return classname;
  std::string client = info.client;
  std::replace(client.begin(), client.end(), '.', '_');
  return client + "." + classname;
}

}  // namespace onsmqtt::runner
