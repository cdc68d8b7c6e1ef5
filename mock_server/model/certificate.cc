#include "mock_server/model/certificate.h"

#include <openssl/asn1.h>
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

#include "contract/clock.h"

namespace onsmqtt::mock {

// The decoded certificate. Read-only after ParsePem (which fills OpenSSL's
// extension cache), so const methods may use it from any thread.
struct Certificate::Handle {
  X509* x509 = nullptr;
  ~Handle() { X509_free(x509); }
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
  auto handle = std::make_unique<Handle>();
  // The first CERTIFICATE block; other PEM blocks before it are skipped.
  handle->x509 = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (handle->x509 == nullptr) {
    return Status::InvalidArgument("cannot decode the PEM certificate: " + OpensslError("not DER X.509"));
  }
  // OpenSSL 3.0 fills its extension cache (key identifiers, flags) on first
  // use, behind an unlocked "already done" check: filled here, before any
  // other thread can see the certificate.
  X509_check_purpose(handle->x509, -1, 0);
  ERR_clear_error();
  std::shared_ptr<Certificate> cert(new Certificate(std::move(handle)));
  X509* x = cert->handle_->x509;
  cert->pem_ = pem;
  cert->sn_ = SerialHex(X509_get0_serialNumber(x));
  cert->subject_cn_ = SubjectCn(X509_get_subject_name(x));
  if (!TimeToMillis(X509_get0_notBefore(x), &cert->not_before_ms_) ||
      !TimeToMillis(X509_get0_notAfter(x), &cert->not_after_ms_)) {
    ERR_clear_error();
    return Status::InvalidArgument("the certificate's validity dates cannot be read");
  }
  if (cert->sn_.empty()) return Status::InvalidArgument("the certificate's serial number cannot be read");
  // basicConstraints CA:TRUE (not X509_check_ca, which also accepts old v1
  // self-signed roots).
  cert->is_ca_ = (X509_get_extension_flags(x) & EXFLAG_CA) != 0;
  return std::shared_ptr<const Certificate>(std::move(cert));
}

bool Certificate::NamesIssuer(const Certificate& issuer) const {
  bool ok = X509_check_issued(issuer.handle_->x509, handle_->x509) == X509_V_OK;
  ERR_clear_error();
  return ok;
}

bool Certificate::IsSignedBy(const Certificate& issuer) const {
  if (!NamesIssuer(issuer)) return false;
  EVP_PKEY* key = X509_get0_pubkey(issuer.handle_->x509);
  bool ok = key != nullptr && X509_verify(handle_->x509, key) == 1;
  ERR_clear_error();
  return ok;
}

Status Certificate::VerifyAgainst(const Certificate& ca, int64_t now_ms) const {
  X509* self = handle_->x509;
  X509* anchor = ca.handle_->x509;
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
