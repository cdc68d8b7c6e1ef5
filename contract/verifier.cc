#include "contract/verifier.h"

#include <algorithm>
#include <set>

#include "contract/codes.h"
#include "contract/crypto.h"

namespace onsmqtt {

const char* AuthErrorCode(AuthError e) {
  switch (e) {
    case AuthError::kNone:
      return "";
    case AuthError::kMissingParameter:
      return codes::kMissingParameter;
    case AuthError::kIncompleteSignature:
      return codes::kIncompleteSignature;
    case AuthError::kTimestampFormat:
      return codes::kInvalidTimeStampFormat;
    case AuthError::kSignatureMismatch:
      return codes::kSignatureDoesNotMatch;
  }
  return "";
}

namespace {

AuthOutcome Fail(AuthError e, std::string detail) {
  AuthOutcome o;
  o.error = e;
  o.detail = std::move(detail);
  return o;
}

bool IsForm(const HttpRequest& wire) {
  const std::string* ct = wire.Header("content-type");
  return ct != nullptr && ToLower(*ct).find("application/x-www-form-urlencoded") != std::string::npos;
}

// Removes the first parameter named `name`; returns whether it was there.
bool Take(ParamList* params, std::string_view name, std::string* value) {
  auto it = std::find_if(params->begin(), params->end(), [&](const Param& p) { return p.first == name; });
  if (it == params->end()) return false;
  *value = it->second;
  params->erase(it);
  return true;
}

AuthOutcome ParseTimestampInto(const std::string& text, ParsedRequest* out) {
  out->timestamp_text = text;
  std::optional<TimePoint> t = ParseTimestamp(text);
  if (!t) return Fail(AuthError::kTimestampFormat, text);
  out->timestamp = *t;
  return {};
}

AuthOutcome ParseV1(const HttpRequest& wire, ParsedRequest* out) {
  out->scheme = SignatureScheme::kV1;
  ParamList all = ParseQueryString(wire.query);
  if (IsForm(wire)) {
    ParamList form = ParseQueryString(wire.body);
    all.insert(all.end(), form.begin(), form.end());
  }
  ParamList rest = all;
  if (!Take(&rest, "Signature", &out->provided_signature)) {
    // Nothing that says "signed request" at all: name the first common
    // parameter missing, as the gateway does.
    std::string ignored;
    if (!Take(&rest, "AccessKeyId", &ignored)) return Fail(AuthError::kMissingParameter, "AccessKeyId");
    return Fail(AuthError::kIncompleteSignature, "the Signature parameter is missing");
  }
  out->signed_params = all;
  out->signed_params.erase(std::find_if(out->signed_params.begin(), out->signed_params.end(),
                                        [](const Param& p) { return p.first == "Signature"; }));
  struct Common {
    const char* name;
    std::string* target;
  };
  std::string method, sig_version, timestamp;
  const Common required[] = {
      {"Action", &out->action},     {"Version", &out->version},         {"AccessKeyId", &out->access_key_id},
      {"SignatureMethod", &method}, {"SignatureVersion", &sig_version}, {"SignatureNonce", &out->nonce},
      {"Timestamp", &timestamp},
  };
  for (const auto& c : required) {
    if (!Take(&rest, c.name, c.target) || c.target->empty()) return Fail(AuthError::kMissingParameter, c.name);
  }
  if (method != "HMAC-SHA1") return Fail(AuthError::kIncompleteSignature, "SignatureMethod must be HMAC-SHA1");
  if (sig_version != "1.0") return Fail(AuthError::kIncompleteSignature, "SignatureVersion must be 1.0");
  if (!Take(&rest, "Format", &out->format)) out->format = "JSON";
  Take(&rest, "SecurityToken", &out->security_token);
  std::string ignored;
  Take(&rest, "SignatureType", &ignored);
  out->params = std::move(rest);
  return ParseTimestampInto(timestamp, out);
}

// "ACS3-HMAC-SHA256 Credential=id,SignedHeaders=a;b,Signature=hex"
bool ParseAuthorization(const std::string& value, ParsedRequest* out) {
  std::string_view rest(value);
  rest.remove_prefix(std::string_view(kV3Algorithm).size());
  std::string fields = Trim(rest);
  size_t start = 0;
  while (start < fields.size()) {
    size_t comma = fields.find(',', start);
    std::string part = Trim(fields.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    size_t eq = part.find('=');
    if (eq == std::string::npos) return false;
    std::string key = part.substr(0, eq);
    std::string val = part.substr(eq + 1);
    if (key == "Credential") {
      out->access_key_id = val;
    } else if (key == "SignedHeaders") {
      out->signed_headers = val;
    } else if (key == "Signature") {
      out->provided_signature = val;
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return !out->access_key_id.empty() && !out->signed_headers.empty() && !out->provided_signature.empty();
}

AuthOutcome ParseV3(const HttpRequest& wire, const std::string& authorization, ParsedRequest* out) {
  out->scheme = SignatureScheme::kV3;
  if (!ParseAuthorization(authorization, out)) {
    return Fail(AuthError::kIncompleteSignature,
                "the Authorization header must carry Credential, SignedHeaders and Signature");
  }
  struct Required {
    const char* name;
    std::string* target;
  };
  std::string date, content_sha;
  const Required required[] = {
      {"x-acs-action", &out->action},         {"x-acs-version", &out->version},       {"x-acs-date", &date},
      {"x-acs-signature-nonce", &out->nonce}, {"x-acs-content-sha256", &content_sha},
  };
  for (const auto& r : required) {
    const std::string* v = wire.Header(r.name);
    if (v == nullptr || v->empty()) return Fail(AuthError::kMissingParameter, r.name);
    *r.target = *v;
  }
  if (const std::string* token = wire.Header("x-acs-security-token")) out->security_token = *token;
  out->signed_params = ParseQueryString(wire.query);
  ParamList rest = out->signed_params;
  if (IsForm(wire)) {
    ParamList form = ParseQueryString(wire.body);
    rest.insert(rest.end(), form.begin(), form.end());
  }
  if (!Take(&rest, "Format", &out->format)) out->format = "JSON";
  out->params = std::move(rest);
  return ParseTimestampInto(date, out);
}

AuthOutcome VerifyV1(const HttpRequest& wire, const ParsedRequest& parsed, std::string_view secret) {
  std::string sts = V1StringToSign(wire.method, parsed.signed_params);
  std::string expected = V1Signature(std::string(secret), sts);
  if (ConstantTimeEquals(expected, parsed.provided_signature)) return {};
  AuthOutcome o = Fail(AuthError::kSignatureMismatch, "signature mismatch");
  o.string_to_sign = sts;
  return o;
}

AuthOutcome VerifyV3(const HttpRequest& wire, const ParsedRequest& parsed, std::string_view secret) {
  // The server signs host, content-type and every x-acs-* header present,
  // plus whatever else the client listed: an unsigned x-acs-* header
  // therefore breaks the signature instead of slipping through.
  std::set<std::string> names;
  size_t start = 0;
  while (start <= parsed.signed_headers.size()) {
    size_t semi = parsed.signed_headers.find(';', start);
    std::string name = ToLower(
        Trim(parsed.signed_headers.substr(start, semi == std::string::npos ? std::string::npos : semi - start)));
    if (!name.empty()) names.insert(name);
    if (semi == std::string::npos) break;
    start = semi + 1;
  }
  names.insert("host");
  for (const auto& [k, v] : wire.headers) {
    std::string lower = ToLower(k);
    if (lower == "content-type" || lower.rfind("x-acs-", 0) == 0) names.insert(lower);
  }
  HeaderList signed_headers;
  for (const auto& name : names) {
    const std::string* v = wire.Header(name);
    signed_headers.emplace_back(name, v == nullptr ? "" : *v);
  }
  std::string hashed_payload = Sha256Hex(wire.body);
  AuthOutcome o;
  o.canonical_request =
      V3CanonicalRequest(wire.method, wire.path, parsed.signed_params, signed_headers, hashed_payload);
  o.string_to_sign = V3StringToSign(o.canonical_request);
  const std::string* declared = wire.Header("x-acs-content-sha256");
  if (declared == nullptr || *declared != hashed_payload) {
    o.error = AuthError::kSignatureMismatch;
    o.detail = "x-acs-content-sha256 does not match the body";
    return o;
  }
  std::string expected = V3Signature(std::string(secret), o.string_to_sign);
  if (!ConstantTimeEquals(expected, ToLower(parsed.provided_signature))) {
    o.error = AuthError::kSignatureMismatch;
    o.detail = "signature mismatch";
    return o;
  }
  return {};
}

// V1 requests carry their signature parameters in the query or a form body.
bool HasV1Markers(const HttpRequest& wire) {
  auto has = [](const ParamList& params) {
    for (const auto& [k, v] : params) {
      if (k == "Signature" || k == "SignatureMethod" || k == "AccessKeyId") return true;
    }
    return false;
  };
  return has(ParseQueryString(wire.query)) || (IsForm(wire) && has(ParseQueryString(wire.body)));
}

}  // namespace

AuthOutcome ParseSignedRequest(const HttpRequest& wire, ParsedRequest* out) {
  *out = ParsedRequest{};
  const std::string* authorization = wire.Header("authorization");
  if (authorization != nullptr && authorization->rfind(kV3Algorithm, 0) == 0) {
    return ParseV3(wire, *authorization, out);
  }
  // pop-core (V1) also sends x-acs-action/x-acs-version headers, so only
  // the absence of V1 parameters makes a request a V3 one missing its
  // Authorization header.
  if (!HasV1Markers(wire) && (authorization != nullptr || wire.Header("x-acs-action") != nullptr)) {
    out->scheme = SignatureScheme::kV3;
    return Fail(AuthError::kIncompleteSignature, authorization == nullptr
                                                     ? "the Authorization header is missing"
                                                     : "unsupported Authorization scheme (expected ACS3-HMAC-SHA256)");
  }
  return ParseV1(wire, out);
}

AuthOutcome VerifySignature(const HttpRequest& wire, const ParsedRequest& parsed, std::string_view secret) {
  return parsed.scheme == SignatureScheme::kV1 ? VerifyV1(wire, parsed, secret) : VerifyV3(wire, parsed, secret);
}

bool TimestampWithin(const ParsedRequest& parsed, const Clock& clock, std::chrono::seconds window) {
  auto diff = clock.Now() - parsed.timestamp;
  if (diff < decltype(diff)::zero()) diff = -diff;
  return diff <= window;
}

}  // namespace onsmqtt
