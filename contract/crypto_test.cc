#include "contract/crypto.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "contract/signer.h"
#include "contract/verifier.h"

namespace onsmqtt {
namespace {

// RFC 4231 test case 2 and RFC 2202 test case 2: key "Jefe".
TEST(Crypto, KnownAnswers) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?").value(),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(HmacSha1Base64("Jefe", "what do ya want for nothing?").value(), "7/zfauXrL6LSdBbV8YTfnCWafHk=");
  EXPECT_EQ(Sha256Hex("abc").value(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HexEncode(std::string("\x00\xff\x10", 3)), "00ff10");
}

// RFC 4648 section 10.
TEST(Crypto, Base64KnownAnswers) {
  const char* const kCases[][2] = {{"", ""},
                                   {"f", "Zg=="},
                                   {"fo", "Zm8="},
                                   {"foo", "Zm9v"},
                                   {"foob", "Zm9vYg=="},
                                   {"fooba", "Zm9vYmE="},
                                   {"foobar", "Zm9vYmFy"}};
  for (const auto& [in, out] : kCases) EXPECT_EQ(Base64Encode(in), out) << in;
}

TEST(Crypto, RandomHexLength) {
  EXPECT_EQ(RandomHex(0).value(), "");
  StatusOr<std::string> a = RandomHex(16);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->size(), 32u);
  EXPECT_EQ(a->find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(*a, RandomHex(16).value());
  EXPECT_EQ(RandomHex(kMaxRandomBytes).value().size(), 2 * kMaxRandomBytes);
}

TEST(Crypto, RandomHexOverTheLimitIsAnErrorValue) {
  StatusOr<std::string> r = RandomHex(kMaxRandomBytes + 1);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "RandomHex: 4097 bytes asked, at most 4096");
  EXPECT_FALSE(RandomHex(static_cast<size_t>(-1)).ok());
}

// Run by the ctest entry crypto_without_providers, whose OPENSSL_CONF
// activates only OpenSSL's null provider: no algorithm can be fetched and
// the DRBG has no source. Every failure is a value, not an exception.
class CryptoWithoutProviders : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::getenv("ONSMQTT_CRYPTO_WITHOUT_PROVIDERS") == nullptr) {
      GTEST_SKIP() << "run by ctest -R crypto_without_providers (OPENSSL_CONF with the null provider only)";
    }
  }
};

void ExpectInternal(const Status& s, const std::string& message) {
  EXPECT_EQ(s.code(), Status::Code::kInternal) << s.ToString();
  EXPECT_EQ(s.message(), message);
}

TEST_F(CryptoWithoutProviders, HashesMacsAndRandomBytesAreErrorValues) {
  ExpectInternal(Sha256Hex("abc").status(), "EVP_MD_fetch failed: SHA256");
  ExpectInternal(HmacSha256Hex("key", "data").status(), "EVP_MAC_fetch(HMAC) failed");
  ExpectInternal(HmacSha1Base64("key", "data").status(), "EVP_MAC_fetch(HMAC) failed");
  ExpectInternal(RandomHex(16).status(), "RAND_bytes failed");
  // What needs no algorithm still works.
  EXPECT_EQ(Sha256Hex("").value(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_TRUE(ConstantTimeEquals("a", "a"));
}

TEST_F(CryptoWithoutProviders, SigningAndVerifyingAreErrorValues) {
  Call call;
  call.action = "ListCertificates";
  call.version = "2020-04-20";
  call.host = "onsmqtt.cn-hangzhou.aliyuncs.com";
  const Credentials creds{"LTAIid", "secret", ""};
  ExpectInternal(SignCall(call, creds, SystemClock::Instance()).status(), "RAND_bytes failed");
  call.nonce = "0123456789abcdef";
  ExpectInternal(SignCall(call, creds, SystemClock::Instance()).status(), "EVP_MD_fetch failed: SHA256");
  call.scheme = SignatureScheme::kV1;
  ExpectInternal(SignCall(call, creds, SystemClock::Instance()).status(), "EVP_MAC_fetch(HMAC) failed");

  HttpRequest wire;
  wire.method = "GET";
  wire.path = "/";
  wire.query =
      "AccessKeyId=LTAIid&Action=ListCertificates&Format=JSON&Signature=x&SignatureMethod=HMAC-SHA1&SignatureNonce=n"
      "&SignatureVersion=1.0&Timestamp=2024-01-02T03%3A04%3A05Z&Version=2020-04-20";
  ParsedRequest parsed;
  ASSERT_TRUE(ParseSignedRequest(wire, &parsed).ok());
  AuthOutcome o = VerifySignature(wire, parsed, "secret");
  EXPECT_EQ(o.error, AuthError::kInternal);
  EXPECT_STREQ(o.code(), "InternalError");
  EXPECT_EQ(o.detail, "EVP_MAC_fetch(HMAC) failed");
}

}  // namespace
}  // namespace onsmqtt
