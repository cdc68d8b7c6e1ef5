#pragma once

#include <cstdio>

#include "contract/mutex.h"
#include "mock_server/gateway/journal.h"

// The mock's access log: one line per answered request on a stream
// (stderr by default), e.g.
//   2026-11-27T18:28:14.123Z ActiveDeviceCertificate account=1234567890 200 - 84us
//   2026-11-27T18:28:14.200Z ActiveDeviceCertificate account=- 400 SignatureDoesNotMatch 61us
// Only the fields shown: never a secret, a signature or a parameter value.
// Also carries free-form notes ("auth log" mode: what would have failed).
// Thread-safe; lines are never interleaved.
namespace onsmqtt::mock {

class RequestLog {
 public:
  // `out` is not owned; nullptr (or quiet) logs nothing.
  RequestLog(std::FILE* out, bool quiet) : out_(quiet ? nullptr : out) {}

  void Request(const JournalEntry& e);
  // "<time> note: <text>"
  void Note(const std::string& text);
  bool enabled() const { return out_ != nullptr; }

  static std::string FormatLine(const JournalEntry& e);

 private:
  std::FILE* out_;
  Mutex mu_;  // one line at a time on *out_
};

}  // namespace onsmqtt::mock
