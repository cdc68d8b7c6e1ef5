#include "contract/verifier.h"

#include <algorithm>
#include <vector>

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
    case AuthError::kInternal:
      return codes::kInternalError;
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

// The query's parameters, then a form body's, in wire order.
ParamList AllParams(WireParams wp) {
  ParamList all = std::move(wp.query);
  all.reserve(all.size() + wp.form.size());
  for (Param& p : wp.form) all.push_back(std::move(p));
  return all;
}

AuthOutcome ParseTimestampInto(const std::string& text, ParsedRequest* out) {
  out->timestamp_text = text;
  std::optional<TimePoint> t = ParseTimestamp(text);
  if (!t) return Fail(AuthError::kTimestampFormat, text);
  out->timestamp = *t;
  return {};
}

AuthOutcome ParseV1(WireParams wp, ParsedRequest* out) {
  out->scheme = SignatureScheme::kV1;
  ParamList rest = AllParams(std::move(wp));
  if (!TakeParam(&rest, "Signature", &out->provided_signature)) {
    // Nothing that says "signed request" at all: name the first common
    // parameter missing, as the gateway does.
    std::string ignored;
    if (!TakeParam(&rest, "AccessKeyId", &ignored)) return Fail(AuthError::kMissingParameter, "AccessKeyId");
    return Fail(AuthError::kIncompleteSignature, "the Signature parameter is missing");
  }
  out->signed_params = rest;  // every parameter but Signature, in order
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
    if (!TakeParam(&rest, c.name, c.target) || c.target->empty()) return Fail(AuthError::kMissingParameter, c.name);
  }
  if (method != "HMAC-SHA1") return Fail(AuthError::kIncompleteSignature, "SignatureMethod must be HMAC-SHA1");
  if (sig_version != "1.0") return Fail(AuthError::kIncompleteSignature, "SignatureVersion must be 1.0");
  if (!TakeParam(&rest, "Format", &out->format)) out->format = "JSON";
  TakeParam(&rest, "SecurityToken", &out->security_token);
  std::string ignored;
  TakeParam(&rest, "SignatureType", &ignored);
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

AuthOutcome ParseV3(const HttpRequest& wire, WireParams wp, const std::string& authorization, ParsedRequest* out) {
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
  out->signed_params = wp.query;
  ParamList rest = AllParams(std::move(wp));
  if (!TakeParam(&rest, "Format", &out->format)) out->format = "JSON";
  out->params = std::move(rest);
  return ParseTimestampInto(date, out);
}

AuthOutcome VerifyV1(const HttpRequest& wire, const ParsedRequest& parsed, std::string_view secret) {
  std::string sts = V1StringToSign(wire.method, parsed.signed_params);
  StatusOr<std::string> expected = V1Signature(std::string(secret), sts);
  if (!expected.ok()) return Fail(AuthError::kInternal, expected.status().message());
  if (ConstantTimeEquals(*expected, parsed.provided_signature)) return {};
  AuthOutcome o = Fail(AuthError::kSignatureMismatch, "signature mismatch");
  o.string_to_sign = sts;
  return o;
}

AuthOutcome VerifyV3(const HttpRequest& wire, const ParsedRequest& parsed, std::string_view secret) {
  StatusOr<V3Headers> inspected = InspectV3Headers(wire, parsed);
  if (!inspected.ok()) return Fail(AuthError::kInternal, inspected.status().message());
  HeaderList signed_headers;
  signed_headers.reserve(inspected->server_signed.size());
  for (const std::string& name : inspected->server_signed) {
    const std::string* v = wire.Header(name);
    signed_headers.emplace_back(name, v == nullptr ? "" : *v);
  }
  AuthOutcome o;
  o.canonical_request =
      V3CanonicalRequest(wire.method, wire.path, parsed.signed_params, signed_headers, inspected->hashed_payload);
  StatusOr<std::string> string_to_sign = V3StringToSign(o.canonical_request);
  if (!string_to_sign.ok()) return Fail(AuthError::kInternal, string_to_sign.status().message());
  o.string_to_sign = std::move(*string_to_sign);
  if (!inspected->content_sha256_matches) {
    o.error = AuthError::kSignatureMismatch;
    o.detail = "x-acs-content-sha256 does not match the body";
    return o;
  }
  StatusOr<std::string> expected = V3Signature(std::string(secret), o.string_to_sign);
  if (!expected.ok()) return Fail(AuthError::kInternal, expected.status().message());
  if (!ConstantTimeEquals(*expected, ToLower(parsed.provided_signature))) {
    o.error = AuthError::kSignatureMismatch;
    o.detail = "signature mismatch";
    return o;
  }
  return {};
}

bool IsServerSignedHeader(std::string_view name) {
  return EqualsIgnoreCase(name, "host") || EqualsIgnoreCase(name, "content-type") ||
         (name.size() >= 6 && EqualsIgnoreCase(name.substr(0, 6), "x-acs-"));
}

// The client's SignedHeaders ("a;b;c"), lowercase, in its order.
std::vector<std::string> ClientSignedHeaders(const std::string& list) {
  std::vector<std::string> names;
  names.reserve(8);
  size_t start = 0;
  while (start <= list.size()) {
    size_t semi = list.find(';', start);
    std::string name = ToLower(
        Trim(std::string_view(list).substr(start, semi == std::string::npos ? std::string::npos : semi - start)));
    if (!name.empty()) names.push_back(std::move(name));
    if (semi == std::string::npos) break;
    start = semi + 1;
  }
  return names;
}

// V1 requests carry their signature parameters in the query or a form body.
bool HasV1Markers(const WireParams& wp) {
  auto has = [](const ParamList& params) {
    for (const auto& [k, v] : params) {
      if (k == "Signature" || k == "SignatureMethod" || k == "AccessKeyId") return true;
    }
    return false;
  };
  return has(wp.query) || (wp.is_form && has(wp.form));
}

AuthOutcome ParseSigned(const HttpRequest& wire, WireParams wp, ParsedRequest* out) {
  *out = ParsedRequest{};
  const std::string* authorization = wire.Header("authorization");
  if (authorization != nullptr && authorization->rfind(kV3Algorithm, 0) == 0) {
    return ParseV3(wire, std::move(wp), *authorization, out);
  }
  // pop-core (V1) also sends x-acs-action/x-acs-version headers, so only
  // the absence of V1 parameters makes a request a V3 one missing its
  // Authorization header.
  if (!HasV1Markers(wp) && (authorization != nullptr || wire.Header("x-acs-action") != nullptr)) {
    out->scheme = SignatureScheme::kV3;
    return Fail(AuthError::kIncompleteSignature, authorization == nullptr
                                                     ? "the Authorization header is missing"
                                                     : "unsupported Authorization scheme (expected ACS3-HMAC-SHA256)");
  }
  return ParseV1(std::move(wp), out);
}

void ReadLeniently(const HttpRequest& wire, WireParams wp, ParsedRequest* out) {
  *out = ParsedRequest{};
  ParamList rest = AllParams(std::move(wp));
  const std::string* authorization = wire.Header("authorization");
  bool v3 = authorization != nullptr && authorization->rfind(kV3Algorithm, 0) == 0;
  out->scheme = v3 ? SignatureScheme::kV3 : SignatureScheme::kV1;
  std::string ignored;
  const std::pair<const char*, std::string*> common[] = {
      {"Action", &out->action},       {"Version", &out->version},   {"AccessKeyId", &out->access_key_id},
      {"Format", &out->format},       {"Signature", &ignored},      {"SignatureMethod", &ignored},
      {"SignatureVersion", &ignored}, {"SignatureNonce", &ignored}, {"Timestamp", &ignored},
      {"SecurityToken", &ignored},    {"SignatureType", &ignored},
  };
  for (const auto& [name, target] : common) TakeParam(&rest, name, target);
  if (v3) {
    ParsedRequest fields;
    ParseAuthorization(*authorization, &fields);
    out->access_key_id = fields.access_key_id;
  }
  // V3 names action and version only in headers; pop-core (V1) sends both.
  if (const std::string* h = wire.Header("x-acs-action"); h != nullptr && (v3 || out->action.empty())) out->action = *h;
  if (const std::string* h = wire.Header("x-acs-version"); h != nullptr && (v3 || out->version.empty()))
    out->version = *h;
  if (out->format.empty()) out->format = "JSON";
  out->params = std::move(rest);
}

}  // namespace

AuthOutcome ParseSignedRequest(const HttpRequest& wire, ParsedRequest* out) {
  return ParseSigned(wire, ParseWireParams(wire), out);
}

RequestReading ReadRequest(const HttpRequest& wire) {
  RequestReading reading;
  WireParams wp = ParseWireParams(wire);
  reading.shape = ParseSigned(wire, wp, &reading.parsed);
  if (!reading.shape.ok()) ReadLeniently(wire, std::move(wp), &reading.parsed);
  return reading;
}

AuthOutcome VerifySignature(const HttpRequest& wire, const ParsedRequest& parsed, std::string_view secret) {
  return parsed.scheme == SignatureScheme::kV1 ? VerifyV1(wire, parsed, secret) : VerifyV3(wire, parsed, secret);
}

StatusOr<V3Headers> InspectV3Headers(const HttpRequest& wire, const ParsedRequest& parsed) {
  V3Headers out;
  std::vector<std::string> client = ClientSignedHeaders(parsed.signed_headers);
  out.server_signed = client;
  out.server_signed.emplace_back("host");
  for (const auto& [k, v] : wire.headers) {
    if (!IsServerSignedHeader(k)) continue;
    std::string name = ToLower(k);
    if (std::find(client.begin(), client.end(), name) == client.end()) out.unsigned_present.push_back(name);
    out.server_signed.push_back(std::move(name));
  }
  for (auto* names : {&out.server_signed, &out.unsigned_present}) {
    std::sort(names->begin(), names->end());
    names->erase(std::unique(names->begin(), names->end()), names->end());
  }
  StatusOr<std::string> payload_hash = Sha256Hex(wire.body);
  if (!payload_hash.ok()) return payload_hash.status();
  out.hashed_payload = std::move(*payload_hash);
  const std::string* declared = wire.Header("x-acs-content-sha256");
  out.content_sha256_matches = declared != nullptr && *declared == out.hashed_payload;
  return out;
}

bool TimestampWithin(const ParsedRequest& parsed, const Clock& clock, std::chrono::seconds window) {
  auto diff = clock.Now() - parsed.timestamp;
  if (diff < decltype(diff)::zero()) diff = -diff;
  return diff <= window;
}

}  // namespace onsmqtt
