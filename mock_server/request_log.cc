#include "mock_server/request_log.h"

#include <ctime>

namespace onsmqtt::mock {

namespace {

std::string TimeText(TimePoint t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

std::string RequestLog::FormatLine(const JournalEntry& e) {
  std::string line = TimeText(e.time);
  line += ' ';
  line += e.action.empty() ? "-" : e.action;
  line += " account=";
  line += e.account_uid.empty() ? "-" : e.account_uid;
  line += ' ';
  line += std::to_string(e.status);
  line += ' ';
  line += e.code.empty() ? "-" : e.code;
  line += ' ';
  line += std::to_string(e.micros);
  line += "us";
  if (!e.fault.empty()) line += " fault=" + e.fault;
  return line;
}

void RequestLog::Request(const JournalEntry& e) {
  if (out_ == nullptr) return;
  std::string line = FormatLine(e);
  line.push_back('\n');
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
}

void RequestLog::Note(const std::string& text) {
  if (out_ == nullptr) return;
  std::string line = TimeText(std::chrono::system_clock::now()) + " note: " + text + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
}

}  // namespace onsmqtt::mock
