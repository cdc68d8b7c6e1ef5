// PEM/X.509 reading (mock_server/model/certificate.h): what fixtures, RegisterCA,
// RegisterDeviceCertificate and registration on connect hand to OpenSSL.
// An input that contains "-----BEGIN" is read as PEM text; any other is
// taken as DER and wrapped in a PEM block first, so that mutations of the
// DER seeds reach the X.509 parser rather than the base64 decoder. An
// accepted certificate is then checked against the test PKI's CA a, both
// ways, and against itself.
#include <cstdint>
#include <string>

#include "contract/crypto.h"
#include "contract/yaml_tree.h"
#include "fuzz/fuzz_util.h"
#include "mock_server/model/certificate.h"

namespace {

using onsmqtt::mock::Certificate;

std::string AsPem(std::string_view bytes) {
  if (bytes.find("-----BEGIN") != std::string_view::npos) return std::string(bytes);
  std::string b64 = onsmqtt::Base64Encode(bytes);
  std::string pem = "-----BEGIN CERTIFICATE-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) pem += b64.substr(i, 64) + "\n";
  return pem + "-----END CERTIFICATE-----\n";
}

std::shared_ptr<const Certificate> LoadCa() {
  onsmqtt::StatusOr<std::string> pem = onsmqtt::yaml::ReadFile(ONSMQTT_SOURCE_DIR "/fixtures/pki/ca-a.pem");
  if (!pem.ok()) onsmqtt::fuzz::Fail(pem.status().ToString());
  onsmqtt::StatusOr<std::shared_ptr<const Certificate>> ca = Certificate::ParsePem(*pem);
  if (!ca.ok()) onsmqtt::fuzz::Fail(ca.status().ToString());
  return *ca;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::shared_ptr<const Certificate> ca = LoadCa();
  onsmqtt::StatusOr<std::shared_ptr<const Certificate>> cert =
      Certificate::ParsePem(AsPem(onsmqtt::fuzz::Bytes(data, size)));
  if (!cert.ok()) {
    onsmqtt::fuzz::CheckError(cert.status(), "ParsePem");
    return 0;
  }
  const Certificate& c = **cert;
  // Lowercase hex; RFC 5280 wants positive serials, but OpenSSL reads
  // negative ones, and the SN then starts with '-' (as openssl x509 -serial).
  const std::string_view sn = std::string_view(c.sn()).substr(c.sn().rfind('-', 0) == 0 ? 1 : 0);
  if (sn.empty() || sn.find_first_not_of("0123456789abcdef") != std::string::npos) {
    onsmqtt::fuzz::Fail("sn is not hex: " + c.sn());
  }
  c.NamesIssuer(*ca);
  ca->NamesIssuer(c);
  c.NamesIssuer(c);
  c.IsSignedBy(*ca);
  c.IsSignedBy(c);
  const int64_t now_ms = 1767225600000;
  onsmqtt::fuzz::CheckError(c.VerifyAgainst(*ca, now_ms), "VerifyAgainst");
  onsmqtt::fuzz::CheckError(c.VerifyAgainst(c, now_ms), "VerifyAgainst");
  onsmqtt::fuzz::CheckError(ca->VerifyAgainst(c, now_ms), "VerifyAgainst");
  return 0;
}
