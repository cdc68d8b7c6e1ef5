#pragma once

#include <set>
#include <string>
#include <string_view>

#include "contract/http_message.h"

// Keeps secrets out of every artifact: the console, the JUnit and JSON
// reports and the logs. Four kinds of text are hidden, each replaced by
// "***":
//   - values registered as secret (AccessKeySecrets, security tokens, any
//     variable the target marks secret, such as a device's private key),
//     wherever they occur, and each base64 line of a secret PEM text;
//   - every PEM private key block ("-----BEGIN PRIVATE KEY-----" ... END),
//     registered or not;
//   - signatures and tokens by position: the V1 `Signature` and
//     `SecurityToken` parameters (query or form body), the V3
//     `Authorization` header's `Signature=` part, `x-acs-security-token`;
//   - the same names when they appear in free text ("Signature=...").
// Thread-safe for concurrent const use once built.
namespace onsmqtt::runner {

inline constexpr char kRedacted[] = "***";

class Redactor {
 public:
  // Values shorter than 4 bytes are ignored: redacting "a" everywhere would
  // destroy reports without protecting anything.
  void AddSecret(std::string_view value);
  void AddSecrets(const std::set<std::string>& values);
  const std::set<std::string>& secrets() const { return secrets_; }

  // Every registered secret and every signature/token pattern in `text`.
  std::string Redact(std::string_view text) const;

  // A copy of `req` with signatures, tokens and secrets replaced.
  HttpRequest RedactRequest(const HttpRequest& req) const;

 private:
  std::set<std::string> secrets_;
};

// "POST /?Action=...&Signature=***" from an already redacted request.
std::string RequestLine(const HttpRequest& redacted);

struct CurlOptions {
  std::string base_url;   // "http://127.0.0.1:8080", "https://onsmqtt.cn-hangzhou.aliyuncs.com"
  std::string ca_file;    // --cacert
  bool insecure = false;  // -k
};

// A shell command reproducing the request (single-quoted arguments). Pass
// a redacted request: the command holds whatever it is given.
std::string CurlCommand(const HttpRequest& redacted, const CurlOptions& options);

// Single-quotes `s` for a POSIX shell.
std::string ShellQuote(std::string_view s);

}  // namespace onsmqtt::runner
