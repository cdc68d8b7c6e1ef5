// NormalizeExchange: a recorded exchange as it is in every run (docs.h).
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "contract/percent.h"
#include "runner/report/docs.h"

namespace onsmqtt::runner {
namespace {

// Values shorter than this are not replaced everywhere (the Redactor's
// rule): a scenario's deliberately malformed "bad" timestamp is the same
// in every run, and "bad" replaced in every field would garble the page.
constexpr size_t kMinReplaced = 4;

constexpr char kTimestamp[] = "<timestamp>";
constexpr char kNonce[] = "<nonce>";
constexpr char kBodyHash[] = "<sha256 of the body>";

// value -> placeholder, applied longest value first.
using Substitutions = std::vector<std::pair<std::string, std::string>>;

void Add(std::string_view value, const std::string& placeholder, size_t min, Substitutions* out) {
  if (value.size() < min || value.empty()) return;
  out->emplace_back(value, placeholder);
  std::string encoded = PercentEncode(value);
  if (encoded != value) out->emplace_back(std::move(encoded), placeholder);
}

// Every text of the exchange, in the order that numbers the UUIDs: the
// request as sent, the answer as received, then the derived fields.
template <typename F>
void ForEachText(Exchange* e, F f) {
  f(&e->request.path);
  f(&e->request.query);
  for (auto& [name, value] : e->request.headers) f(&value);
  f(&e->request.body);
  for (auto& [name, value] : e->response_headers) f(&value);
  f(&e->body);
  f(&e->request_line);
  f(&e->curl);
  f(&e->request_id);
  f(&e->message);
}

void ReplaceAll(std::string* text, std::string_view from, std::string_view to) {
  size_t pos = 0;
  while ((pos = text->find(from, pos)) != std::string::npos) {
    text->replace(pos, from.size(), to);
    pos += to.size();
  }
}

bool IsFormBody(const HttpRequest& req) {
  const std::string* type = req.Header("content-type");
  return type != nullptr && ToLower(*type).find("application/x-www-form-urlencoded") != std::string::npos;
}

// "127.0.0.1:38291" (the embedded mock's port 0, read back) -> its port's
// position, or npos for any other host (a real endpoint's name is stable).
size_t LoopbackPortAt(std::string_view host) {
  for (std::string_view name : {"127.0.0.1:", "localhost:", "[::1]:"}) {
    if (host.size() <= name.size() || host.substr(0, name.size()) != name) continue;
    std::string_view port = host.substr(name.size());
    bool digits = std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
    return digits ? name.size() : std::string_view::npos;
  }
  return std::string_view::npos;
}

// What the runner made up, what the signatures' clocks and nonces put in
// the request, the mock's port, and the caller's masks.
Substitutions Collect(const Exchange& e, const DocsOptions& options) {
  Substitutions out;
  for (const auto& [name, value] : e.generated) Add(value, "<" + name + ">", kMinReplaced, &out);
  for (const auto& [value, name] : options.masks) Add(value, "<" + name + ">", 1, &out);
  ParamList params = ParseQueryString(e.request.query, false);
  if (IsFormBody(e.request)) {
    ParamList form = ParseQueryString(e.request.body, false);
    params.insert(params.end(), form.begin(), form.end());
  }
  for (const auto& [name, value] : params) {
    if (name == "Timestamp") Add(value, kTimestamp, kMinReplaced, &out);
    if (name == "SignatureNonce") Add(value, kNonce, kMinReplaced, &out);
  }
  for (const auto& [name, value] : e.request.headers) {
    std::string lower = ToLower(name);
    if (lower == "x-acs-date") Add(value, kTimestamp, kMinReplaced, &out);
    if (lower == "x-acs-signature-nonce") Add(value, kNonce, kMinReplaced, &out);
    if (size_t port = LoopbackPortAt(value); lower == "host" && port != std::string::npos) {
      Add(value, value.substr(0, port) + "<port>", kMinReplaced, &out);
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  return out;
}

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// An 8-4-4-4-12 hex UUID at `i`, with no letter or digit on either side.
bool UuidAt(std::string_view s, size_t i) {
  constexpr size_t kLen = 36;
  if (i + kLen > s.size() || (i > 0 && IsAlnum(s[i - 1])) || (i + kLen < s.size() && IsAlnum(s[i + kLen]))) {
    return false;
  }
  for (size_t k = 0; k < kLen; ++k) {
    bool dash = k == 8 || k == 13 || k == 18 || k == 23;
    if (dash ? s[i + k] != '-' : !IsHex(s[i + k])) return false;
  }
  return true;
}

// UUIDs (request ids, a nonce sent as a UUID) -> "<uuid-N>", numbered by
// first appearance; the same UUID in any case gets the same number.
class UuidNumbering {
 public:
  void Apply(std::string* text) {
    std::string out;
    for (size_t i = 0; i < text->size();) {
      if (!UuidAt(*text, i)) {
        out += (*text)[i++];
        continue;
      }
      std::string key = text->substr(i, 36);
      std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::toupper(c); });
      auto [it, added] = numbers_.emplace(key, numbers_.size() + 1);
      out += "<uuid-" + std::to_string(it->second) + ">";
      i += 36;
    }
    *text = std::move(out);
  }

 private:
  std::map<std::string, size_t> numbers_;
};

// The length of "YYYY-MM-DDThh:mm:ss[.fff]Z" at `i` (':' also as %3A, or
// %253A when encoded twice, as in a quoted string to sign), or 0. It must
// not continue a word, but may follow an escape such as "%3D" ('=').
size_t TimestampAt(std::string_view s, size_t i) {
  bool after_escape = i >= 3 && s[i - 3] == '%';
  if (i > 0 && IsAlnum(s[i - 1]) && !after_escape) return 0;
  size_t p = i;
  auto digits = [&](size_t n) {
    for (size_t k = 0; k < n; ++k, ++p) {
      if (p >= s.size() || !IsDigit(s[p])) return false;
    }
    return true;
  };
  auto literal = [&](char c) { return p < s.size() && s[p++] == c; };
  auto colon = [&] {
    std::string_view at = s.substr(p, 5);
    size_t n = at.substr(0, 1) == ":"                                   ? 1
               : (at.substr(0, 3) == "%3A" || at.substr(0, 3) == "%3a") ? 3
               : (at == "%253A" || at == "%253a")                       ? 5
                                                                        : 0;
    p += n;
    return n > 0;
  };
  if (!(digits(4) && literal('-') && digits(2) && literal('-') && digits(2) && literal('T') && digits(2) && colon() &&
        digits(2) && colon() && digits(2))) {
    return 0;
  }
  if (p < s.size() && s[p] == '.') {
    ++p;
    if (!digits(1)) return 0;
    while (p < s.size() && IsDigit(s[p])) ++p;
  }
  return literal('Z') ? p - i : 0;
}

void ReplaceTimestamps(std::string* text) {
  std::string out;
  for (size_t i = 0; i < text->size();) {
    if (size_t n = TimestampAt(*text, i); n > 0) {
      out += kTimestamp;
      i += n;
    } else {
      out += (*text)[i++];
    }
  }
  *text = std::move(out);
}

// The answer's headers that carry the moment or the connection's history.
void NormalizeAnswerHeaders(HeaderList* headers) {
  for (auto& [name, value] : *headers) {
    std::string lower = ToLower(name);
    if (lower == "date") value = "<date>";
    if (lower != "keep-alive") continue;
    size_t max = value.find("max=");
    if (max == std::string::npos) continue;
    size_t end = max + 4;
    while (end < value.size() && IsDigit(value[end])) ++end;
    value.replace(max + 4, end - max - 4, "<n>");
  }
}

}  // namespace

Exchange NormalizeExchange(const Exchange& e, const DocsOptions& options) {
  Exchange out = e;
  Substitutions subs = Collect(e, options);
  UuidNumbering uuids;
  ForEachText(&out, [&](std::string* text) {
    for (const auto& [from, to] : subs) ReplaceAll(text, from, to);
  });
  ForEachText(&out, [&](std::string* text) { uuids.Apply(text); });
  ForEachText(&out, ReplaceTimestamps);
  NormalizeAnswerHeaders(&out.response_headers);
  // V3 signs the body's hash: a body with placeholders no longer has it.
  const std::string* hash = e.request.Header("x-acs-content-sha256");
  if (hash != nullptr && out.request.body != e.request.body && hash->size() >= kMinReplaced) {
    std::string old = *hash;
    ForEachText(&out, [&](std::string* text) { ReplaceAll(text, old, kBodyHash); });
  }
  for (auto& [name, value] : out.generated) value = "<" + name + ">";
  out.seconds = 0;
  return out;
}

}  // namespace onsmqtt::runner
