#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "contract/status.h"

// The runner's side of the SDK adapter protocol (adapters/README.md): an
// adapter process started with `/bin/sh -c CMD`, one JSON object per line
// on its stdin and stdout, stderr kept as a bounded tail of lines. Every
// read is bounded (poll() with a deadline, lines of at most 16 MiB), so a
// hostile or broken adapter makes a harness error, never a hang or an
// exhausted memory.
namespace onsmqtt::runner {

// Who the adapter is and what it can do: its hello line.
struct ClientHello {
  std::string name;                  // "pop-core-1.8.0"
  std::vector<std::string> schemes;  // "v1", "v3"
  std::vector<std::string> methods;  // "GET", "POST"
  std::vector<std::string> formats;  // "JSON", "XML"
};

// True if `list` holds `value` (case-sensitive, as the protocol spells them).
bool Offers(const std::vector<std::string>& list, const std::string& value);

struct ClientOptions {
  std::string command;     // run with /bin/sh -c
  int timeout_ms = 30000;  // --client-timeout: each request's timeout_ms
};

// How long the runner waits for an answer beyond the request's timeout_ms.
inline constexpr std::chrono::milliseconds kClientGrace{5000};
// The longest line an adapter may print.
inline constexpr size_t kMaxClientLine = size_t{16} << 20;
// How many of the adapter's last stderr lines are kept (each cut at 2 KB).
inline constexpr size_t kClientStderrLines = 20;

// Which way an adapter failed (the message says it in words).
enum class ClientFailure {
  kNone,
  kStart,         // /bin/sh could not be started
  kExited,        // the process ended
  kClosed,        // it closed its stdout but is still running
  kNotJson,       // a line that is not a JSON object
  kMissingField,  // an answer without "id" or "ok"
  kUnknownId,     // an answer to an id that was not asked
  kTimedOut,      // no answer within timeout_ms + 5 s
  kLineTooLong,   // a line over 16 MiB
  kBadHello,      // the hello is missing, malformed or of another protocol
};

// One request line: its id, its action (named when it goes unanswered) and
// the JSON object's text.
struct ClientRequest {
  int64_t id = 0;
  std::string action;
  std::string line;  // without the newline
};

class ClientAdapter {
 public:
  // Starts `options.command` and reads its hello (within timeout_ms + 5 s).
  // Errors name the failure, with the exit status and the stderr tail.
  static StatusOr<std::unique_ptr<ClientAdapter>> Start(const ClientOptions& options);
  ~ClientAdapter();  // Close()
  ClientAdapter(const ClientAdapter&) = delete;
  ClientAdapter& operator=(const ClientAdapter&) = delete;

  const ClientHello& hello() const { return hello_; }
  const ClientOptions& options() const { return options_; }

  // Sends `requests` (each with a unique id), keeping at
  // most `window` unanswered, and returns the answers in the order of the
  // requests (matched by id, whatever order they came in). Each answer is
  // an object with "id" and a boolean "ok". When `stop` becomes true no
  // more requests are sent; the answers of those sent are returned (a
  // prefix). Any protocol failure breaks the adapter: the error says which.
  StatusOr<std::vector<nlohmann::json>> Call(const std::vector<ClientRequest>& requests, int window,
                                             const std::atomic<bool>* stop = nullptr);

  bool broken() const { return failure_ != ClientFailure::kNone; }
  ClientFailure failure() const { return failure_; }
  // The last stderr lines, joined with newlines (not redacted: the caller
  // redacts with the run's Redactor before showing them).
  std::string StderrTail() const;
  pid_t pid() const { return pid_; }

  // Closes stdin, waits up to 5 s for the process to exit, then SIGKILLs it.
  // Idempotent.
  void Close();
  // Closes stdin only: the adapter's signal to exit (Close() then waits).
  void CloseInput();

 private:
  explicit ClientAdapter(ClientOptions options) : options_(std::move(options)) {}
  Status Spawn();
  Status Hello();
  // Pumps stdin (pending output), stdout and stderr until a whole line is
  // read or `deadline` passes. Sets failure_ on any failure.
  StatusOr<std::string> ReadLine(std::chrono::steady_clock::time_point deadline, const std::string& waiting_for);
  Status Fail(ClientFailure kind, const std::string& message);
  Status EndOfOutput(const std::string& waiting_for);
  void DrainStderr();
  bool ExtractLine(std::string* line);
  // "exited with status 3", "was killed by signal 9 (Killed)", "is still running".
  std::string ExitDescription(std::chrono::milliseconds wait);

  ClientOptions options_;
  ClientHello hello_;
  pid_t pid_ = -1;
  bool reaped_ = false;
  int wait_status_ = 0;
  int in_ = -1, out_ = -1, err_ = -1;  // the child's stdin (write end), stdout and stderr (read ends)
  std::string pending_;                // bytes not yet written to stdin
  std::string out_buf_;                // stdout bytes not yet split into lines
  std::string err_partial_;
  std::deque<std::string> err_lines_;
  ClientFailure failure_ = ClientFailure::kNone;
};

// The adapters of a run: one per worker in use, started lazily, reused
// across scenarios, replaced after a failure, closed by the destructor.
// Thread-safe.
class ClientPool {
 public:
  // Starts the first adapter at once, to read the hello (the console names
  // the client, the executor skips what it cannot do). Errors: Start's.
  static StatusOr<std::unique_ptr<ClientPool>> Create(const ClientOptions& options);
  ~ClientPool();

  const ClientHello& hello() const { return hello_; }
  const ClientOptions& options() const { return options_; }

  // An idle adapter, or a new one. Errors: Start's.
  StatusOr<std::unique_ptr<ClientAdapter>> Acquire();
  // Back to the pool; a broken adapter is closed instead.
  void Release(std::unique_ptr<ClientAdapter> adapter);

 private:
  explicit ClientPool(ClientOptions options) : options_(std::move(options)) {}
  ClientOptions options_;
  ClientHello hello_;
  std::mutex mu_;
  std::vector<std::unique_ptr<ClientAdapter>> idle_;  // GUARDED_BY(mu_)
};

}  // namespace onsmqtt::runner
