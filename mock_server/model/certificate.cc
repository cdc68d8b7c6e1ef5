#include "mock_server/model/certificate.h"

#include <openssl/asn1.h>
#include <openssl/asn1t.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "contract/clock.h"

namespace onsmqtt::mock {

namespace {

// The certificate as parsed at load time: the TBSCertificate's fields with
// the public key left undecoded. OpenSSL 3.0's d2i_X509 decodes the public
// key through its provider decoder framework, ≈0.6 M instructions per
// certificate; a fixture holds dozens of certificates and the mock's
// start-up budget is 20 ms. The public key and the full X509 are decoded on
// first use instead (signature checks, chain verification).
struct LiteSpki {
  X509_ALGOR* algorithm;
  ASN1_BIT_STRING* key;
};
struct LiteTbs {
  ASN1_ENCODING enc;  // the bytes as received: they are what was signed
  ASN1_INTEGER* version;
  ASN1_INTEGER* serial;
  X509_ALGOR* signature;
  X509_NAME* issuer;
  X509_VAL* validity;
  X509_NAME* subject;
  LiteSpki* spki;
  ASN1_BIT_STRING* issuer_uid;
  ASN1_BIT_STRING* subject_uid;
  STACK_OF(X509_EXTENSION) * extensions;
};
struct LiteCert {
  LiteTbs* tbs;
  X509_ALGOR* algorithm;
  ASN1_BIT_STRING* signature;
};

// RFC 5280 §4.1, as OpenSSL's own X509_CINF template reads it.
ASN1_SEQUENCE(LiteSpki) =
    {
        ASN1_SIMPLE(LiteSpki, algorithm, X509_ALGOR),
        ASN1_SIMPLE(LiteSpki, key, ASN1_BIT_STRING),
} static_ASN1_SEQUENCE_END(LiteSpki)

        ASN1_SEQUENCE_enc(LiteTbs, enc, 0) =
            {
                ASN1_EXP_OPT(LiteTbs, version, ASN1_INTEGER, 0),
                ASN1_SIMPLE(LiteTbs, serial, ASN1_INTEGER),
                ASN1_SIMPLE(LiteTbs, signature, X509_ALGOR),
                ASN1_SIMPLE(LiteTbs, issuer, X509_NAME),
                ASN1_SIMPLE(LiteTbs, validity, X509_VAL),
                ASN1_SIMPLE(LiteTbs, subject, X509_NAME),
                ASN1_SIMPLE(LiteTbs, spki, LiteSpki),
                ASN1_IMP_OPT(LiteTbs, issuer_uid, ASN1_BIT_STRING, 1),
                ASN1_IMP_OPT(LiteTbs, subject_uid, ASN1_BIT_STRING, 2),
                ASN1_EXP_SEQUENCE_OF_OPT(LiteTbs, extensions, X509_EXTENSION, 3),
} static_ASN1_SEQUENCE_END_ref(LiteTbs, LiteTbs)

                ASN1_SEQUENCE(LiteCert) = {
                    ASN1_SIMPLE(LiteCert, tbs, LiteTbs),
                    ASN1_SIMPLE(LiteCert, algorithm, X509_ALGOR),
                    ASN1_SIMPLE(LiteCert, signature, ASN1_BIT_STRING),
} static_ASN1_SEQUENCE_END(LiteCert)

}  // namespace

struct Certificate::Handle {
  LiteCert* lite = nullptr;
  std::string der;
  // Decoded on first use (see LiteTbs).
  mutable std::once_flag x509_once, key_once;
  mutable X509* x509 = nullptr;
  mutable EVP_PKEY* key = nullptr;

  ~Handle() {
    ASN1_item_free(reinterpret_cast<ASN1_VALUE*>(lite), ASN1_ITEM_rptr(LiteCert));
    X509_free(x509);
    EVP_PKEY_free(key);
  }
  // The full OpenSSL certificate, or nullptr when OpenSSL cannot decode it
  // (e.g. a public key it does not support).
  X509* Full() const {
    std::call_once(x509_once, [this] {
      const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
      x509 = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
      // OpenSSL 3.0 fills its extension cache (key identifiers, flags) on
      // first use, behind an unlocked "already done" check: filled here,
      // inside call_once, every thread sees it complete.
      if (x509 != nullptr) X509_check_purpose(x509, -1, 0);
      ERR_clear_error();
    });
    return x509;
  }
  EVP_PKEY* PublicKey() const {
    std::call_once(key_once, [this] {
      unsigned char* spki = nullptr;
      int len = ASN1_item_i2d(reinterpret_cast<ASN1_VALUE*>(lite->tbs->spki), &spki, ASN1_ITEM_rptr(LiteSpki));
      const unsigned char* p = spki;
      if (len > 0) key = d2i_PUBKEY(nullptr, &p, len);
      OPENSSL_free(spki);
      ERR_clear_error();
    });
    return key;
  }
  // An extension decoded (OpenSSL's own types), or nullptr when absent,
  // repeated or malformed.
  template <class T>
  T* Extension(int nid) const {
    int critical = 0;
    return static_cast<T*>(X509V3_get_d2i(lite->tbs->extensions, nid, &critical, nullptr));
  }
  bool KeyIdentifiersAgree(const Handle& issuer) const;
  bool MaySignCertificates() const;
};

namespace {

std::string SerialHex(const ASN1_INTEGER* serial) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
  if (bn == nullptr) return "";
  char* hex = BN_bn2hex(bn);
  std::string out = hex != nullptr ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string SubjectCn(const X509_NAME* name) {
  int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return "";
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

// UTCTime and GeneralizedTime alike (notAfter beyond 2049 is the latter).
bool TimeToMillis(const ASN1_TIME* t, int64_t* out) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return false;
  *out = static_cast<int64_t>(timegm(&tm)) * 1000;
  return true;
}

// The contract's timestamp form of epoch milliseconds, for any year X.509
// allows (0000-9999): a certificate's dates need not fit the nanosecond
// clock (1678-2262), whose conversion overflowed (found by fuzz_certificate).
std::string FormatMillis(int64_t ms) {
  const int64_t secs = ms / 1000 - (ms % 1000 < 0 ? 1 : 0);
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return std::to_string(ms) + " ms";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string OpensslError(const char* fallback) {
  unsigned long err = ERR_get_error();
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s", fallback);
  if (err != 0) ERR_error_string_n(err, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

}  // namespace

Certificate::Certificate(std::unique_ptr<Handle> handle) : handle_(std::move(handle)) {}

Certificate::~Certificate() = default;

StatusOr<std::shared_ptr<const Certificate>> Certificate::ParsePem(const std::string& pem) {
  if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return Status::InvalidArgument("not a PEM certificate (no \"-----BEGIN CERTIFICATE-----\" line)");
  }
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return Status::Internal("BIO_new_mem_buf failed");
  unsigned char* der = nullptr;
  long der_len = 0;
  // The first CERTIFICATE block (others are skipped), as PEM_read_bio_X509.
  int read = PEM_bytes_read_bio(&der, &der_len, nullptr, PEM_STRING_X509, bio, nullptr, nullptr);
  BIO_free(bio);
  auto handle = std::make_unique<Handle>();
  if (read == 1) {
    handle->der.assign(reinterpret_cast<const char*>(der), static_cast<size_t>(der_len));
    const unsigned char* p = der;
    handle->lite = reinterpret_cast<LiteCert*>(ASN1_item_d2i(nullptr, &p, der_len, ASN1_ITEM_rptr(LiteCert)));
  }
  OPENSSL_free(der);
  if (handle->lite == nullptr) {
    return Status::InvalidArgument("cannot decode the PEM certificate: " + OpensslError("not DER X.509"));
  }
  std::shared_ptr<Certificate> cert(new Certificate(std::move(handle)));
  const LiteTbs* tbs = cert->handle_->lite->tbs;
  cert->pem_ = pem;
  cert->sn_ = SerialHex(tbs->serial);
  cert->subject_cn_ = SubjectCn(tbs->subject);
  if (!TimeToMillis(tbs->validity->notBefore, &cert->not_before_ms_) ||
      !TimeToMillis(tbs->validity->notAfter, &cert->not_after_ms_)) {
    ERR_clear_error();
    return Status::InvalidArgument("the certificate's validity dates cannot be read");
  }
  if (cert->sn_.empty()) return Status::InvalidArgument("the certificate's serial number cannot be read");
  // basicConstraints CA:TRUE, as OpenSSL's EXFLAG_CA (not X509_check_ca,
  // which also accepts old v1 self-signed roots).
  BASIC_CONSTRAINTS* bc = cert->handle_->Extension<BASIC_CONSTRAINTS>(NID_basic_constraints);
  cert->is_ca_ = bc != nullptr && bc->ca != 0;
  BASIC_CONSTRAINTS_free(bc);
  ERR_clear_error();
  return std::shared_ptr<const Certificate>(std::move(cert));
}

// The issuer tests of X509_check_issued, on the lightly parsed fields: the
// authority key identifier (when present) names `issuer`'s key, serial and
// name.
bool Certificate::Handle::KeyIdentifiersAgree(const Handle& issuer) const {
  AUTHORITY_KEYID* akid = Extension<AUTHORITY_KEYID>(NID_authority_key_identifier);
  if (akid == nullptr) return true;
  bool ok = true;
  if (akid->keyid != nullptr) {
    ASN1_OCTET_STRING* skid = issuer.Extension<ASN1_OCTET_STRING>(NID_subject_key_identifier);
    ok = skid == nullptr || ASN1_OCTET_STRING_cmp(akid->keyid, skid) == 0;
    ASN1_OCTET_STRING_free(skid);
  }
  if (ok && akid->serial != nullptr) ok = ASN1_INTEGER_cmp(issuer.lite->tbs->serial, akid->serial) == 0;
  if (ok && akid->issuer != nullptr) {
    bool named = false;
    for (int i = 0; i < sk_GENERAL_NAME_num(akid->issuer) && !named; ++i) {
      const GENERAL_NAME* gen = sk_GENERAL_NAME_value(akid->issuer, i);
      named = gen->type == GEN_DIRNAME && X509_NAME_cmp(gen->d.dirn, issuer.lite->tbs->issuer) == 0;
    }
    ok = named;
  }
  AUTHORITY_KEYID_free(akid);
  return ok;
}

// keyUsage, when present, must allow keyCertSign (bit 5).
bool Certificate::Handle::MaySignCertificates() const {
  ASN1_BIT_STRING* usage = Extension<ASN1_BIT_STRING>(NID_key_usage);
  bool ok = usage == nullptr || ASN1_BIT_STRING_get_bit(usage, 5) == 1;
  ASN1_BIT_STRING_free(usage);
  return ok;
}

bool Certificate::NamesIssuer(const Certificate& issuer) const {
  bool ok = X509_NAME_cmp(handle_->lite->tbs->issuer, issuer.handle_->lite->tbs->subject) == 0 &&
            handle_->KeyIdentifiersAgree(*issuer.handle_) && issuer.handle_->MaySignCertificates();
  ERR_clear_error();
  return ok;
}

bool Certificate::IsSignedBy(const Certificate& issuer) const {
  if (!NamesIssuer(issuer)) return false;
  const LiteCert* self = handle_->lite;
  // As X509_verify: the signed and the outer algorithm must agree, then the
  // issuer's key verifies the TBSCertificate bytes as received.
  EVP_PKEY* key = issuer.handle_->PublicKey();
  bool ok = X509_ALGOR_cmp(self->algorithm, self->tbs->signature) == 0 && key != nullptr &&
            ASN1_item_verify(ASN1_ITEM_rptr(LiteTbs), self->algorithm, self->signature, self->tbs, key) == 1;
  ERR_clear_error();
  return ok;
}

Status Certificate::VerifyAgainst(const Certificate& ca, int64_t now_ms) const {
  X509* self = handle_->Full();
  X509* anchor = ca.handle_->Full();
  if (self == nullptr || anchor == nullptr) {
    return Status::FailedPrecondition(std::string(self == nullptr ? "the device certificate" : "the CA certificate") +
                                      " cannot be decoded by OpenSSL (unsupported public key?)");
  }
  X509_STORE* store = X509_STORE_new();
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  if (store == nullptr || ctx == nullptr || X509_STORE_add_cert(store, anchor) != 1 ||
      X509_STORE_CTX_init(ctx, store, self, nullptr) != 1) {
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    ERR_clear_error();
    return Status::Internal("cannot set up OpenSSL certificate verification");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(now_ms / 1000));
  // A registered CA is the trust anchor even when it is an intermediate.
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  int ok = X509_verify_cert(ctx);
  int error = X509_STORE_CTX_get_error(ctx);
  int depth = X509_STORE_CTX_get_error_depth(ctx);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  ERR_clear_error();
  if (ok == 1) return Status::Ok();

  const Certificate& culprit = depth == 0 ? *this : ca;
  std::string who = depth == 0 ? "the device certificate" : "the CA certificate " + ca.sn();
  std::string msg = who + " failed OpenSSL verification: " + X509_verify_cert_error_string(error);
  if (error == X509_V_ERR_CERT_HAS_EXPIRED) {
    msg += " (notAfter " + FormatMillis(culprit.not_after_ms()) + ", now " + FormatMillis(now_ms) + ")";
  } else if (error == X509_V_ERR_CERT_NOT_YET_VALID) {
    msg += " (notBefore " + FormatMillis(culprit.not_before_ms()) + ", now " + FormatMillis(now_ms) + ")";
  }
  return Status::FailedPrecondition(msg);
}

}  // namespace onsmqtt::mock
