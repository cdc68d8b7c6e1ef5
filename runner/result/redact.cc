#include "runner/result/redact.h"

#include <algorithm>
#include <vector>

#include "contract/percent.h"

namespace onsmqtt::runner {
namespace {

constexpr size_t kMinSecretSize = 4;

// Names whose value is hidden in `name=value` (query strings, form bodies,
// Authorization headers) and `name: value` (header dumps) text.
constexpr const char* kSecretNames[] = {"Signature", "SecurityToken", "AccessKeySecret", "x-acs-security-token",
                                        "access_key_secret"};

bool IsValueEnd(char c) {
  return c == '&' || c == ',' || c == ' ' || c == '"' || c == '\'' || c == '\n' || c == '\r' || c == ';' || c == '<' ||
         c == '\t';
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Replaces the value after every `name=` / `name:` / `"name":` occurrence.
std::string RedactNamedValues(std::string text) {
  for (const char* name : kSecretNames) {
    const std::string n = name;
    size_t pos = 0;
    while ((pos = text.find(n, pos)) != std::string::npos) {
      size_t after = pos + n.size();
      bool starts_word = pos == 0 || !IsNameChar(text[pos - 1]);
      if (!starts_word || after >= text.size()) {
        pos = after;
        continue;
      }
      size_t v = after;
      if (text[v] == '"') ++v;  // JSON key: "name": "value"
      if (v < text.size() && (text[v] == '=' || text[v] == ':')) {
        ++v;
        while (v < text.size() && text[v] == ' ') ++v;
        if (v < text.size() && text[v] == '"') ++v;
        size_t end = v;
        while (end < text.size() && !IsValueEnd(text[end])) ++end;
        if (end > v) text.replace(v, end - v, kRedacted);
        pos = v + sizeof(kRedacted) - 1;
      } else {
        pos = after;
      }
    }
  }
  return text;
}

constexpr std::string_view kPemBegin = "-----BEGIN ";
constexpr std::string_view kPrivateKeyEnd = "PRIVATE KEY-----";

// Every PEM private key block ("-----BEGIN [RSA |EC |ENCRYPTED ]PRIVATE
// KEY-----" to its END line), whatever registered it or not.
std::string RedactPrivateKeyBlocks(std::string text) {
  size_t pos = 0;
  while ((pos = text.find(kPemBegin, pos)) != std::string::npos) {
    size_t line_end = text.find('\n', pos);
    size_t label_end = text.find(kPrivateKeyEnd, pos);
    if (label_end == std::string::npos) break;
    if (line_end != std::string::npos && label_end > line_end) {
      pos = line_end;
      continue;
    }
    size_t end = text.find("-----END ", label_end);
    size_t end_label = end == std::string::npos ? std::string::npos : text.find(kPrivateKeyEnd, end);
    size_t stop = end_label == std::string::npos ? text.size() : end_label + kPrivateKeyEnd.size();
    text.replace(pos, stop - pos, kRedacted);
    pos += sizeof(kRedacted) - 1;
  }
  return text;
}

// The base64 lines of a PEM text (long enough to be unique), so that a
// part of a secret PEM (a truncated body, a quoted line) is hidden too.
std::vector<std::string> PemBodyLines(std::string_view pem) {
  std::vector<std::string> out;
  if (pem.find(kPemBegin) == std::string_view::npos) return out;
  size_t start = 0;
  while (start < pem.size()) {
    size_t end = pem.find('\n', start);
    std::string_view line = pem.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() >= 16 && line.find("-----") == std::string_view::npos) out.emplace_back(line);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

}  // namespace

void Redactor::AddSecret(std::string_view value) {
  if (value.size() < kMinSecretSize) return;
  secrets_.insert(std::string(value));
  std::string encoded = PercentEncode(value);
  if (encoded != value) secrets_.insert(encoded);
  for (std::string& line : PemBodyLines(value)) {
    std::string line_encoded = PercentEncode(line);
    if (line_encoded != line) secrets_.insert(line_encoded);
    secrets_.insert(std::move(line));
  }
}

void Redactor::AddSecrets(const std::set<std::string>& values) {
  for (const auto& v : values) AddSecret(v);
}

std::string Redactor::Redact(std::string_view text) const {
  std::string out(text);
  // Longest first, so a secret containing another is replaced whole.
  std::vector<const std::string*> ordered;
  for (const auto& s : secrets_) ordered.push_back(&s);
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) { return a->size() > b->size(); });
  for (const std::string* s : ordered) {
    size_t pos = 0;
    while ((pos = out.find(*s, pos)) != std::string::npos) {
      out.replace(pos, s->size(), kRedacted);
      pos += sizeof(kRedacted) - 1;
    }
  }
  return RedactNamedValues(RedactPrivateKeyBlocks(std::move(out)));
}

HttpRequest Redactor::RedactRequest(const HttpRequest& req) const {
  HttpRequest out = req;
  out.query = Redact(req.query);
  out.body = Redact(req.body);
  for (auto& [name, value] : out.headers) {
    std::string lower = ToLower(name);
    if (lower == "x-acs-security-token") {
      value = kRedacted;
    } else if (lower == "authorization") {
      size_t sig = value.find("Signature=");
      value = sig == std::string::npos ? std::string(kRedacted) : Redact(value.substr(0, sig)) + "Signature=***";
    } else {
      value = Redact(value);
    }
  }
  return out;
}

std::string RequestLine(const HttpRequest& redacted) { return redacted.method + " " + redacted.Target(); }

std::string ShellQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string CurlCommand(const HttpRequest& redacted, const CurlOptions& options) {
  std::string cmd = "curl -sS";
  if (options.insecure) cmd += " -k";
  if (!options.ca_file.empty()) cmd += " --cacert " + ShellQuote(options.ca_file);
  cmd += " -X " + redacted.method;
  for (const auto& [name, value] : redacted.headers) cmd += " -H " + ShellQuote(name + ": " + value);
  if (!redacted.body.empty()) cmd += " --data-raw " + ShellQuote(redacted.body);
  std::string base = options.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  cmd += " " + ShellQuote(base + redacted.Target());
  return cmd;
}

}  // namespace onsmqtt::runner
