#include "contract/signer.h"

#include <algorithm>

#include "contract/crypto.h"

namespace onsmqtt {

const char* SignatureSchemeName(SignatureScheme s) { return s == SignatureScheme::kV1 ? "v1" : "v3"; }

std::string V1StringToSign(const std::string& method, const ParamList& params) {
  std::string encoded = PercentEncode(CanonicalQueryString(params));
  std::string out;
  out.reserve(method.size() + encoded.size() + 5);
  out.append(method).append("&%2F&").append(encoded);  // %2F: "/" percent-encoded
  return out;
}

StatusOr<std::string> V1Signature(const std::string& secret, const std::string& string_to_sign) {
  return HmacSha1Base64(secret + "&", string_to_sign);
}

std::string V3CanonicalRequest(const std::string& method, const std::string& path, const ParamList& query,
                               const HeaderList& signed_headers, const std::string& hashed_payload) {
  HeaderList headers;
  for (const auto& [k, v] : signed_headers) headers.emplace_back(ToLower(k), Trim(v));
  std::sort(headers.begin(), headers.end());
  std::string canonical_headers;
  std::string names;
  for (const auto& [k, v] : headers) {
    canonical_headers += k + ":" + v + "\n";
    if (!names.empty()) names += ";";
    names += k;
  }
  return method + "\n" + path + "\n" + CanonicalQueryString(query) + "\n" + canonical_headers + "\n" + names + "\n" +
         hashed_payload;
}

StatusOr<std::string> V3StringToSign(const std::string& canonical_request) {
  DECLARE_OR_RETURN(StatusOr<std::string>, hash, Sha256Hex(canonical_request));
  return std::string(kV3Algorithm) + "\n" + *hash;
}

StatusOr<std::string> V3Signature(const std::string& secret, const std::string& string_to_sign) {
  return HmacSha256Hex(secret, string_to_sign);
}

namespace {

constexpr char kFormContentType[] = "application/x-www-form-urlencoded";

StatusOr<HttpRequest> SignV1(const Call& call, const Credentials& creds, const std::string& nonce, TimePoint now) {
  ParamList params = {
      {"AccessKeyId", creds.access_key_id},
      {"Action", call.action},
      {"Format", call.format.empty() ? "JSON" : call.format},
      {"SignatureMethod", "HMAC-SHA1"},
      {"SignatureNonce", nonce},
      {"SignatureVersion", "1.0"},
      {"Timestamp", FormatTimestamp(now)},
      {"Version", call.version},
  };
  if (!creds.security_token.empty()) params.emplace_back("SecurityToken", creds.security_token);
  params.insert(params.end(), call.params.begin(), call.params.end());
  HttpRequest req;
  req.method = HttpMethodName(call.method);
  DECLARE_OR_RETURN(StatusOr<std::string>, signature,
                    V1Signature(creds.access_key_secret, V1StringToSign(req.method, params)));
  params.emplace_back("Signature", std::move(*signature));
  req.headers.emplace_back("Host", call.host);
  req.headers.emplace_back("Accept", "application/json");
  if (call.placement == ParamPlacement::kFormBody) {
    req.body = EncodeParams(params);
    req.headers.emplace_back("Content-Type", kFormContentType);
  } else {
    req.query = EncodeParams(params);
  }
  return req;
}

StatusOr<HttpRequest> SignV3(const Call& call, const Credentials& creds, const std::string& nonce, TimePoint now) {
  HttpRequest req;
  req.method = HttpMethodName(call.method);
  ParamList query;
  if (!call.format.empty()) query.emplace_back("Format", call.format);
  if (call.placement == ParamPlacement::kFormBody) {
    req.body = EncodeParams(call.params);
  } else {
    query.insert(query.end(), call.params.begin(), call.params.end());
  }
  req.query = EncodeParams(query);
  DECLARE_OR_RETURN(StatusOr<std::string>, payload_hash, Sha256Hex(req.body));
  const std::string& hashed_payload = *payload_hash;
  HeaderList signed_headers = {
      {"host", call.host},
      {"x-acs-action", call.action},
      {"x-acs-version", call.version},
      {"x-acs-date", FormatTimestamp(now)},
      {"x-acs-signature-nonce", nonce},
      {"x-acs-content-sha256", hashed_payload},
  };
  if (!creds.security_token.empty()) signed_headers.emplace_back("x-acs-security-token", creds.security_token);
  if (call.placement == ParamPlacement::kFormBody) signed_headers.emplace_back("content-type", kFormContentType);
  std::string canonical = V3CanonicalRequest(req.method, "/", query, signed_headers, hashed_payload);
  DECLARE_OR_RETURN(StatusOr<std::string>, string_to_sign, V3StringToSign(canonical));
  DECLARE_OR_RETURN(StatusOr<std::string>, signature, V3Signature(creds.access_key_secret, *string_to_sign));
  std::vector<std::string> names;
  for (const auto& [k, v] : signed_headers) names.push_back(k);
  std::sort(names.begin(), names.end());
  std::string joined;
  for (const auto& n : names) joined += (joined.empty() ? "" : ";") + n;
  req.headers = signed_headers;
  req.headers.emplace_back("accept", "application/json");
  req.headers.emplace_back("authorization", std::string(kV3Algorithm) + " Credential=" + creds.access_key_id +
                                                ",SignedHeaders=" + joined + ",Signature=" + *signature);
  return req;
}

}  // namespace

StatusOr<HttpRequest> SignCall(const Call& call, const Credentials& creds, const Clock& clock) {
  std::string nonce = call.nonce;
  if (nonce.empty()) {
    DECLARE_OR_RETURN(StatusOr<std::string>, random, RandomHex(16));
    nonce = std::move(*random);
  }
  TimePoint now = call.timestamp.value_or(clock.Now());
  return call.scheme == SignatureScheme::kV1 ? SignV1(call, creds, nonce, now) : SignV3(call, creds, nonce, now);
}

}  // namespace onsmqtt
