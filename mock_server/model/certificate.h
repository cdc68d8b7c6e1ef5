#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "contract/status.h"

// One X.509 certificate, parsed once with OpenSSL and kept immutable, so the
// hot paths never parse PEM again. OpenSSL types stay inside the .cc.
// Parsing reads the fields below without decoding the public key (OpenSSL
// 3.0 makes that the dominant cost of loading a fixture); the key and the
// full X509 are decoded on first use by IsSignedBy and VerifyAgainst.
//
// Thread-safe: every method is const and may be called concurrently.
namespace onsmqtt::mock {

class Certificate {
 public:
  ~Certificate();
  Certificate(const Certificate&) = delete;
  Certificate& operator=(const Certificate&) = delete;

  // Parses the first PEM certificate in `pem`. kInvalidArgument with a short
  // reason when there is none or it cannot be decoded.
  static StatusOr<std::shared_ptr<const Certificate>> ParsePem(const std::string& pem);

  // The PEM text as given.
  const std::string& pem() const { return pem_; }
  // Lowercase hex of the serial number, as `openssl x509 -serial` prints it.
  const std::string& sn() const { return sn_; }
  // The subject's commonName, or "" when it has none.
  const std::string& subject_cn() const { return subject_cn_; }
  // Validity in milliseconds since the epoch (GeneralizedTime after 2049
  // included).
  int64_t not_before_ms() const { return not_before_ms_; }
  int64_t not_after_ms() const { return not_after_ms_; }
  // basicConstraints CA:TRUE.
  bool is_ca() const { return is_ca_; }

  // X509_check_issued's tests: `issuer`'s subject is this certificate's
  // issuer name, the authority key identifier (when present) matches
  // `issuer`'s key identifier, serial and name, and `issuer`'s keyUsage
  // (when present) allows certificate signing. No signature check: cheap
  // (no public key is decoded), for trusted input such as fixtures.
  bool NamesIssuer(const Certificate& issuer) const;
  // NamesIssuer, and `issuer`'s public key verifies this certificate's
  // signature (as X509_verify).
  bool IsSignedBy(const Certificate& issuer) const;

  // Full OpenSSL chain verification of this certificate against `ca` as the
  // trust anchor, at `now_ms` (validity of both is checked). Ok, or
  // kFailedPrecondition with OpenSSL's reason (e.g. "certificate has
  // expired") and the dates involved.
  Status VerifyAgainst(const Certificate& ca, int64_t now_ms) const;

 private:
  struct Handle;
  explicit Certificate(std::unique_ptr<Handle> handle);

  std::unique_ptr<Handle> handle_;
  std::string pem_;
  std::string sn_;
  std::string subject_cn_;
  int64_t not_before_ms_ = 0;
  int64_t not_after_ms_ = 0;
  bool is_ca_ = false;
};

}  // namespace onsmqtt::mock
