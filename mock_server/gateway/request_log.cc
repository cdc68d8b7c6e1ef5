#include "mock_server/gateway/request_log.h"

#include <ctime>

namespace onsmqtt::mock {

std::string RequestLog::FormatLine(const JournalEntry& e) {
  std::string line = FormatTimestamp(e.time, TimestampStyle::kMillis);
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
  MutexLock lock(&mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
}

void RequestLog::Note(const std::string& text) {
  if (out_ == nullptr) return;
  std::string line =
      FormatTimestamp(std::chrono::system_clock::now(), TimestampStyle::kMillis) + " note: " + text + "\n";
  MutexLock lock(&mu_);
  std::fwrite(line.data(), 1, line.size(), out_);
}

}  // namespace onsmqtt::mock
