#include "mock_server/model/certificate.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "contract/clock.h"
#include "contract/yaml_tree.h"

namespace onsmqtt::mock {
namespace {

std::string Pki(const std::string& name) {
  StatusOr<std::string> text = yaml::ReadFile(std::string(ONSMQTT_SOURCE_DIR) + "/fixtures/pki/" + name + ".pem");
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : "";
}

std::shared_ptr<const Certificate> Load(const std::string& name) {
  StatusOr<std::shared_ptr<const Certificate>> cert = Certificate::ParsePem(Pki(name));
  EXPECT_TRUE(cert.ok()) << name << ": " << cert.status().ToString();
  return cert.ok() ? *cert : nullptr;
}

// What `openssl x509 -serial` prints, read back from the PKI's own listing:
// every SN is 32 lowercase hex digits (fixtures/pki/README.md).
TEST(CertificateTest, SerialIsLowercaseHex) {
  for (const char* name : {"ca-a", "ca-new", "device-a-active", "device-a-expired", "server"}) {
    auto cert = Load(name);
    ASSERT_NE(cert, nullptr);
    EXPECT_EQ(cert->sn().size(), 32u) << name;
    EXPECT_EQ(cert->sn().find_first_not_of("0123456789abcdef"), std::string::npos) << name << " " << cert->sn();
  }
}

// The same text as `openssl x509 -serial`, lowercased (when the CLI exists).
TEST(CertificateTest, SerialMatchesTheOpensslCommandLine) {
  std::string cmd = "openssl x509 -noout -serial -in " + std::string(ONSMQTT_SOURCE_DIR) +
                    "/fixtures/pki/device-a-active.pem 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buf[256] = {0};
  size_t n = fread(buf, 1, sizeof buf - 1, pipe);
  int rc = pclose(pipe);
  if (rc != 0 || n == 0) GTEST_SKIP() << "openssl command line not available";
  std::string line(buf, n);
  ASSERT_EQ(line.rfind("serial=", 0), 0u) << line;
  std::string expected = line.substr(7, line.find_last_not_of("\r\n") - 6);
  for (char& c : expected) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto cert = Load("device-a-active");
  ASSERT_NE(cert, nullptr);
  EXPECT_EQ(cert->sn(), expected);
}

TEST(CertificateTest, ReadsSubjectCnAndCaFlag) {
  auto ca = Load("ca-a");
  auto device = Load("device-a-active");
  auto not_ca = Load("not-a-ca");
  auto verification = Load("ca-new-verification");
  ASSERT_TRUE(ca && device && not_ca && verification);
  EXPECT_EQ(ca->subject_cn(), "onsmqtt-contract test CA A");
  EXPECT_TRUE(ca->is_ca());
  EXPECT_EQ(device->subject_cn(), "device-a-active");
  EXPECT_FALSE(device->is_ca());
  EXPECT_FALSE(not_ca->is_ca());
  EXPECT_EQ(verification->subject_cn(), "13274673-8f90-4630-bea1-9cccb25756ad2089c0ffee");
}

TEST(CertificateTest, ValidityInEpochMillisIncludingGeneralizedTime) {
  auto expired = Load("device-a-expired");
  ASSERT_NE(expired, nullptr);
  EXPECT_EQ(expired->not_before_ms(), 1577836800000);  // 2020-01-01T00:00:00Z
  EXPECT_EQ(expired->not_after_ms(), 1609459200000);   // 2021-01-01T00:00:00Z
  auto ca = Load("ca-a");
  ASSERT_NE(ca, nullptr);
  // notAfter lies after 2049 (GeneralizedTime): 36500 days after notBefore.
  EXPECT_GT(ca->not_after_ms(), 2524608000000);  // 2050-01-01
  EXPECT_EQ(ca->not_after_ms() - ca->not_before_ms(), 36500LL * 86400 * 1000);
}

TEST(CertificateTest, SignedByChecksIssuerAndSignature) {
  auto ca_a = Load("ca-a");
  auto ca_c = Load("ca-c");
  auto device = Load("device-a-active");
  auto ca_new = Load("ca-new");
  auto foreign = Load("ca-new-foreign-verification");
  auto good = Load("ca-new-verification");
  ASSERT_TRUE(ca_a && ca_c && device && ca_new && foreign && good);
  EXPECT_TRUE(device->IsSignedBy(*ca_a));
  EXPECT_FALSE(device->IsSignedBy(*ca_c));
  EXPECT_TRUE(good->IsSignedBy(*ca_new));
  EXPECT_FALSE(foreign->IsSignedBy(*ca_new));
  EXPECT_TRUE(ca_a->IsSignedBy(*ca_a));  // self-signed
}

TEST(CertificateTest, VerifyAgainstUsesTheGivenTime) {
  auto ca = Load("ca-a");
  auto device = Load("device-a-active");
  auto expired = Load("device-a-expired");
  auto other = Load("device-c");
  ASSERT_TRUE(ca && device && expired && other);
  int64_t now = device->not_before_ms() + 86400000;
  EXPECT_TRUE(device->VerifyAgainst(*ca, now).ok());

  Status s = expired->VerifyAgainst(*ca, now);
  EXPECT_EQ(s.code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(s.message().find("certificate has expired"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("notAfter 2021-01-01T00:00:00Z"), std::string::npos) << s.message();

  // In 2020 the expired certificate was valid, but the CA did not exist yet.
  Status early = expired->VerifyAgainst(*ca, 1590000000000);
  EXPECT_NE(early.message().find("the CA certificate"), std::string::npos) << early.message();
  EXPECT_NE(early.message().find("not yet valid"), std::string::npos) << early.message();

  Status before = device->VerifyAgainst(*ca, device->not_before_ms() - 1000);
  EXPECT_NE(before.message().find("not yet valid"), std::string::npos) << before.message();

  Status wrong_ca = other->VerifyAgainst(*ca, now);
  EXPECT_FALSE(wrong_ca.ok());
}

TEST(CertificateTest, BadPemIsRefusedWithAReason) {
  struct Case {
    std::string pem;
    std::string expected;
  } cases[] = {
      {"", "not a PEM certificate"},
      {"hello", "not a PEM certificate"},
      {"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "cannot decode the PEM certificate"},
  };
  for (const auto& c : cases) {
    StatusOr<std::shared_ptr<const Certificate>> cert = Certificate::ParsePem(c.pem);
    ASSERT_FALSE(cert.ok()) << c.pem;
    EXPECT_EQ(cert.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(cert.status().message().find(c.expected), std::string::npos) << cert.status().message();
  }
}

TEST(CertificateTest, KeepsThePemAsGiven) {
  std::string pem = Pki("device-b");
  StatusOr<std::shared_ptr<const Certificate>> cert = Certificate::ParsePem(pem);
  ASSERT_TRUE(cert.ok());
  EXPECT_EQ((*cert)->pem(), pem);
}

// A self-signed EC certificate valid from `not_before` to `not_after`
// (GeneralizedTime text, YYYYMMDDHHMMSSZ), as PEM.
std::string SelfSigned(const char* not_before, const char* not_after) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 7);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("far"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  ASN1_TIME_set_string(X509_getm_notBefore(x), not_before);
  ASN1_TIME_set_string(X509_getm_notAfter(x), not_after);
  X509_set_pubkey(x, key);
  X509_sign(x, key, EVP_sha256());
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, x);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  X509_free(x);
  EVP_PKEY_free(key);
  return pem;
}

// Found by fuzz_certificate: a notAfter in the year 126 (or a notBefore in
// 9999) overflowed the nanosecond clock while the verification error was
// being written (signed overflow, UBSan). Such dates are printed as they are.
TEST(CertificateTest, ValidityFarFromNowIsReportedWithoutOverflow) {
  const int64_t now = 1767225600000;  // 2026-01-01
  auto ancient = Certificate::ParsePem(SelfSigned("20061127182437Z", "01261103182437Z"));
  ASSERT_TRUE(ancient.ok()) << ancient.status().ToString();
  Status expired = (*ancient)->VerifyAgainst(**ancient, now);
  EXPECT_NE(expired.message().find("(notAfter 0126-11-03T18:24:37Z, now 2026-01-01T00:00:00Z)"), std::string::npos)
      << expired.message();

  auto future = Certificate::ParsePem(SelfSigned("99991231235959Z", "99991231235959Z"));
  ASSERT_TRUE(future.ok()) << future.status().ToString();
  Status early = (*future)->VerifyAgainst(**future, now);
  EXPECT_NE(early.message().find("(notBefore 9999-12-31T23:59:59Z, now 2026-01-01T00:00:00Z)"), std::string::npos)
      << early.message();
}

int64_t EpochSeconds(const ASN1_TIME* t) {
  struct tm tm {};
  EXPECT_EQ(ASN1_TIME_to_tm(t, &tm), 1);
  return static_cast<int64_t>(timegm(&tm));
}

// Certificates are parsed lightly (the public key is decoded only when a
// signature is checked). Over every pair of the test PKI's certificates, the
// answers must be OpenSSL's own on fully decoded certificates: the fields,
// and "issued by" as X509_check_issued + X509_verify.
TEST(CertificateTest, AgreesWithFullOpensslParsingOnTheWholePki) {
  struct Pair {
    std::string name;
    std::shared_ptr<const Certificate> lite;
    X509* full;
  };
  std::vector<Pair> certs;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(ONSMQTT_SOURCE_DIR) + "/fixtures/pki")) {
    if (entry.path().extension() != ".pem") continue;
    std::string name = entry.path().stem().string();
    std::string pem = Pki(name);
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* full = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    ASSERT_NE(full, nullptr) << name;
    certs.push_back({name, Load(name), full});
    ASSERT_NE(certs.back().lite, nullptr) << name;
  }
  ASSERT_GE(certs.size(), 20u);
  int issued = 0;
  for (const Pair& c : certs) {
    EXPECT_EQ(c.lite->is_ca(), (X509_get_extension_flags(c.full) & EXFLAG_CA) != 0) << c.name;
    EXPECT_EQ(c.lite->not_before_ms() / 1000, EpochSeconds(X509_get0_notBefore(c.full))) << c.name;
    EXPECT_EQ(c.lite->not_after_ms() / 1000, EpochSeconds(X509_get0_notAfter(c.full))) << c.name;
    for (const Pair& issuer : certs) {
      bool expected = X509_check_issued(issuer.full, c.full) == X509_V_OK &&
                      X509_verify(c.full, X509_get0_pubkey(issuer.full)) == 1;
      EXPECT_EQ(c.lite->IsSignedBy(*issuer.lite), expected) << c.name << " issued by " << issuer.name;
      issued += expected;
    }
  }
  EXPECT_GE(issued, static_cast<int>(certs.size()) - 2);  // the PKI is mostly chains, not strangers
  for (Pair& c : certs) X509_free(c.full);
}

TEST(CertificateTest, TakesTheFirstCertificateBlockAfterOtherPemBlocks) {
  StatusOr<std::string> key = yaml::ReadFile(std::string(ONSMQTT_SOURCE_DIR) + "/fixtures/pki/device-b.key");
  ASSERT_TRUE(key.ok());
  StatusOr<std::shared_ptr<const Certificate>> cert = Certificate::ParsePem(*key + Pki("device-b") + Pki("ca-a"));
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  EXPECT_EQ((*cert)->subject_cn(), "device-b");
}

// Valid base64 whose DER is not a certificate, and a certificate cut short.
TEST(CertificateTest, BrokenDerIsRefused) {
  std::string pem = Pki("device-b");
  size_t body = pem.find('\n') + 1;
  std::string truncated = pem.substr(0, body + 64) + "\n-----END CERTIFICATE-----\n";
  std::string not_a_cert =
      "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n";  // SEQUENCE { INTEGER 1 }
  for (const std::string& bad : {truncated, not_a_cert}) {
    StatusOr<std::shared_ptr<const Certificate>> cert = Certificate::ParsePem(bad);
    ASSERT_FALSE(cert.ok()) << bad;
    EXPECT_NE(cert.status().message().find("cannot decode the PEM certificate"), std::string::npos)
        << cert.status().message();
  }
}

// Keys and full certificates are decoded on first use, from const methods
// that handlers call concurrently: many threads racing on fresh
// certificates must all get the right answers (and ThreadSanitizer runs of
// this suite see no race).
TEST(CertificateTest, FirstUseDecodingIsSafeAcrossThreads) {
  for (int round = 0; round < 5; ++round) {
    auto ca = Load("ca-a");
    auto device = Load("device-a-active");
    auto stranger = Load("device-c");
    ASSERT_TRUE(ca && device && stranger);
    int64_t now = device->not_before_ms() + 86400000;
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 10; ++i) {
          if (!device->IsSignedBy(*ca) || stranger->IsSignedBy(*ca) || !device->VerifyAgainst(*ca, now).ok()) ++wrong;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(wrong.load(), 0);
  }
}

}  // namespace
}  // namespace onsmqtt::mock
