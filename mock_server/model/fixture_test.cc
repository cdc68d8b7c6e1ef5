#include "mock_server/model/fixture.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "contract/clock.h"
#include "contract/yaml_tree.h"

namespace onsmqtt::mock {
namespace {

const std::string kRoot = ONSMQTT_SOURCE_DIR;
const std::string kPki = kRoot + "/fixtures/pki";

std::string Sn(const std::string& pki_name) {
  StatusOr<std::string> text = yaml::ReadFile(kPki + "/" + pki_name + ".pem");
  if (!text.ok()) return "";
  StatusOr<std::shared_ptr<const Certificate>> cert = Certificate::ParsePem(*text);
  return cert.ok() ? (*cert)->sn() : "";
}

TEST(FixtureTest, DefaultFixtureHasTheSharedNames) {
  StatusOr<Fixture> f = LoadFixtureFile(kRoot + "/fixtures/default.yaml");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const auto& v = f->variables;
  for (const char* account : {"owner", "other_account"}) {
    EXPECT_EQ(v.count(std::string("account.") + account + ".uid"), 1u) << account;
  }
  for (const char* key : {"owner", "ram_user_without_permission", "ram_user_admin", "other_account", "disabled"}) {
    EXPECT_EQ(v.at(std::string("key.") + key + ".id").size(), 24u) << key;
    EXPECT_EQ(v.at(std::string("key.") + key + ".secret").size(), 30u) << key;
  }
  for (const char* in : {"platinum", "professional", "other_account", "other_region"}) {
    EXPECT_EQ(v.count(std::string("instance.") + in + ".id"), 1u) << in;
    EXPECT_EQ(v.count(std::string("instance.") + in + ".region"), 1u) << in;
  }
  EXPECT_EQ(v.at("instance.other_region.region"), "cn-shanghai");
  EXPECT_EQ(v.at("ca.a.sn"), Sn("ca-a"));
  EXPECT_EQ(v.at("ca.b.sn"), Sn("ca-b"));
  EXPECT_EQ(v.at("ca.c.sn"), Sn("ca-c"));
  EXPECT_EQ(v.at("ca.other.sn"), Sn("ca-other"));
  EXPECT_EQ(v.at("ca.a.name"), "ca-a");
  struct Device {
    const char* key;
    const char* pem;
    const char* ca;
  } devices[] = {{"active", "device-a-active", "ca-a"},
                 {"inactive", "device-a-inactive", "ca-a"},
                 {"extra1", "device-a-extra1", "ca-a"},
                 {"extra2", "device-a-extra2", "ca-a"},
                 {"expired", "device-a-expired", "ca-a"},
                 {"c", "device-c", "ca-c"},
                 {"b", "device-b", "ca-b"},
                 {"other", "device-other", "ca-other"}};
  for (const auto& d : devices) {
    EXPECT_EQ(v.at(std::string("device.") + d.key + ".sn"), Sn(d.pem)) << d.key;
    EXPECT_EQ(v.at(std::string("device.") + d.key + ".ca_sn"), Sn(d.ca)) << d.key;
  }
  for (const char* file :
       {"ca_new", "ca_new_verification", "ca_new_wrongcode_verification", "ca_new_foreign_verification", "ca_new2",
        "ca_new2_verification", "not_a_ca", "not_a_ca_verification", "device_a_unregistered", "device_unknown_ca",
        "device_a_expired", "device_b"}) {
    ASSERT_EQ(v.count(std::string("file.") + file), 1u) << file;
    EXPECT_NE(v.at(std::string("file.") + file).find("-----BEGIN CERTIFICATE-----"), std::string::npos) << file;
  }
}

TEST(FixtureTest, DefaultFixtureState) {
  StatusOr<Fixture> f = LoadFixtureFile(kRoot + "/fixtures/default.yaml");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  Store& store = f->store;
  EXPECT_EQ(store.default_region, "cn-hangzhou");
  EXPECT_EQ(store.limits.max_cas_per_instance, 4);
  Instance* platinum = store.FindInstance("post-cn-platinum01");
  ASSERT_NE(platinum, nullptr);
  EXPECT_EQ(platinum->cas.size(), 3u);
  EXPECT_EQ(platinum->devices.size(), 7u);
  EXPECT_FALSE(platinum->FindCa(Sn("ca-b"))->active);
  EXPECT_FALSE(platinum->FindDevice(Sn("device-a-inactive"))->active);
  EXPECT_EQ(platinum->FindDevice(Sn("device-a-active"))->name, "device-a-active");  // from the subject CN
  EXPECT_EQ(store.FindInstance("post-cn-professional01")->edition, Edition::kProfessional);
  const AccessKey& disabled = store.access_keys.at(f->variables.at("key.disabled.id"));
  EXPECT_FALSE(disabled.active);
  const AccessKey& ram = store.access_keys.at(f->variables.at("key.ram_user_admin.id"));
  EXPECT_EQ(ram.account_uid, f->variables.at("account.owner.uid"));
  EXPECT_EQ(ram.ram_user, "mq-admin");
}

TEST(FixtureTest, DefaultFixtureTemporaryCredentials) {
  StatusOr<Fixture> f = LoadFixtureFile(kRoot + "/fixtures/default.yaml");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  const auto& v = f->variables;
  struct Expected {
    const char* key;
    const char* expiration;
    const char* ram_user;  // empty: the account's own
  } expected[] = {{"sts_owner", "2099-12-31T23:59:59Z", ""},
                  {"sts_ram_user_without_permission", "2099-12-31T23:59:59Z", "cert-reader-without-permission"},
                  {"sts_expired", "2020-01-01T00:00:00Z", ""}};
  for (const auto& e : expected) {
    SCOPED_TRACE(e.key);
    const std::string prefix = std::string("key.") + e.key;
    ASSERT_EQ(v.count(prefix + ".id"), 1u);
    EXPECT_EQ(v.at(prefix + ".id").rfind("STS.", 0), 0u);
    EXPECT_EQ(v.at(prefix + ".token").rfind("CAIS", 0), 0u);
    EXPECT_GT(v.at(prefix + ".token").size(), 200u);
    EXPECT_EQ(v.at(prefix + ".expiration"), e.expiration);
    const AccessKey& k = f->store.access_keys.at(v.at(prefix + ".id"));
    EXPECT_TRUE(k.temporary);
    EXPECT_EQ(k.secret, v.at(prefix + ".secret"));
    EXPECT_EQ(k.token, v.at(prefix + ".token"));
    EXPECT_EQ(FormatTimestamp(k.expiration), e.expiration);
    EXPECT_EQ(k.account_uid, v.at("account.owner.uid"));
    EXPECT_EQ(k.ram_user, e.ram_user);
    EXPECT_EQ(f->store.FindBySecurityToken(k.token), &k);
  }
  EXPECT_FALSE(f->store.access_keys.at(v.at("key.owner.id")).temporary);
  EXPECT_EQ(f->store.FindBySecurityToken(""), nullptr);
  EXPECT_EQ(f->store.FindBySecurityToken("not-a-token"), nullptr);
  // The dump lists them apart from the access keys, without secret or token.
  nlohmann::json dump = f->store.Dump();
  ASSERT_EQ(dump["temporary_credentials"].size(), 3u);
  EXPECT_EQ(dump["access_keys"].size(), 5u);
  const std::string text = dump.dump();
  for (const auto& e : expected) {
    const std::string prefix = std::string("key.") + e.key;
    EXPECT_NE(text.find(v.at(prefix + ".id")), std::string::npos);
    EXPECT_EQ(text.find(v.at(prefix + ".secret")), std::string::npos);
    EXPECT_EQ(text.find(v.at(prefix + ".token")), std::string::npos);
  }
  for (const auto& cred : dump["temporary_credentials"]) {
    EXPECT_EQ(cred["secret"], "***");
    EXPECT_EQ(cred["token"], "***");
  }
}

// Each case: a fixture text ("$PKI" is replaced by the PKI folder), the
// expected "line:col: error: message" after the file name.
struct ErrorCase {
  const char* name;
  const char* yaml;
  const char* expected;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

const char kBase[] =
    "accounts:\n"
    "  owner:\n"
    "    uid: \"1234567890123456\"\n"
    "instances:\n"
    "  p:\n"
    "    id: post-cn-p1\n"
    "    region: cn-hangzhou\n"
    "    edition: platinum\n"
    "    owner: owner\n"
    "    registration_code: code\n";  // lines 1-10

const ErrorCase kErrorCases[] = {
    {"unknown_top_key", "acounts:\n  owner: {uid: \"1\"}\n",
     "1:1: error: unknown key \"acounts\" in the fixture; did you mean \"accounts\"?"},
    {"duplicate_key", "accounts:\n  owner: {uid: \"1\"}\n  owner: {uid: \"2\"}\n",
     "3:3: error: duplicate key \"owner\" (a key may appear once per map)"},
    {"missing_uid", "accounts:\n  owner: {}\n", "2:10: error: missing required key \"uid\" in account \"owner\""},
    {"uid_not_digits", "accounts:\n  owner:\n    uid: abc\n",
     "3:10: error: uid must be digits (an Alibaba Cloud account id), got \"abc\""},
    {"key_with_dot", "accounts:\n  own.er:\n    uid: \"1\"\n",
     "2:3: error: key \"own.er\" in accounts must be letters, digits, '_' or '-' (scenarios write ${...<key>...})"},
    {"unknown_owner",
     "accounts:\n  owner:\n    uid: \"1\"\ninstances:\n  p:\n    id: i\n    region: r\n    edition: platinum\n"
     "    owner: ownr\n    registration_code: c\n",
     "9:12: error: unknown account \"ownr\"; did you mean \"owner\"?"},
    {"bad_edition",
     "accounts:\n  owner:\n    uid: \"1\"\ninstances:\n  p:\n    id: i\n    region: r\n    edition: platnum\n"
     "    owner: owner\n    registration_code: c\n",
     "8:14: error: edition must be platinum, professional, standard or basic, got \"platnum\"; did you mean "
     "\"platinum\"?"},
    {"key_with_account_and_ram_user",
     "accounts:\n  owner:\n    uid: \"1\"\naccess_keys:\n  k:\n    id: LTAI\n    secret: s\n    account: owner\n"
     "    ram_user: x\n",
     "6:5: error: access key \"k\" needs exactly one of \"account\" (a root key) or \"ram_user\""},
    {"bad_key_status",
     "accounts:\n  owner:\n    uid: \"1\"\naccess_keys:\n  k:\n    id: LTAI\n    secret: s\n    account: owner\n"
     "    status: activ\n",
     "9:13: error: status must be active or inactive, got \"activ\"; did you mean \"active\"?"},
    {"empty_secret",
     "accounts:\n  owner:\n    uid: \"1\"\naccess_keys:\n  k:\n    id: LTAI\n    secret: \"\"\n    account: owner\n",
     "7:13: error: secret must not be empty"},
    {"unknown_instance_of_ca", "ca_certificates:\n  a:\n    instance: platinum\n    pem: $PKI/ca-a.pem\n",
     "3:15: error: unknown instance \"platinum\" (defined: none)"},
    {"missing_pem_file", "%BASE%ca_certificates:\n  a:\n    instance: p\n    pem: $PKI/ca-zz.pem\n",
     "14:10: error: cannot read pem \"$PKI/ca-zz.pem\""},
    {"ca_without_ca_flag", "%BASE%ca_certificates:\n  a:\n    instance: p\n    pem: $PKI/not-a-ca.pem\n",
     "14:10: error: \"$PKI/not-a-ca.pem\" is not a CA certificate (it lacks basicConstraints CA:TRUE)"},
    {"pem_is_not_a_certificate", "%BASE%ca_certificates:\n  a:\n    instance: p\n    pem: $PKI/ca-a.key\n",
     "14:10: error: pem \"$PKI/ca-a.key\": not a PEM certificate"},
    {"verification_not_signed_by_ca",
     "%BASE%ca_certificates:\n  a:\n    instance: p\n    pem: $PKI/ca-new.pem\n"
     "    verification_pem: $PKI/ca-new-foreign-verification.pem\n",
     "15:23: error: \"$PKI/ca-new-foreign-verification.pem\" was not issued by the CA \"$PKI/ca-new.pem\""},
    {"same_ca_twice",
     "%BASE%ca_certificates:\n  a:\n    instance: p\n    pem: $PKI/ca-a.pem\n  a2:\n    instance: p\n"
     "    pem: $PKI/ca-a.pem\n",
     "17:10: error: CA SN %SN_CA_A% is already registered on instance \"p\" (SNs are unique across all instances)"},
    {"device_not_issued_by_ca",
     "%BASE%ca_certificates:\n  a:\n    instance: p\n    pem: $PKI/ca-a.pem\ndevice_certificates:\n  d:\n"
     "    instance: p\n    ca: a\n    pem: $PKI/device-c.pem\n",
     "19:10: error: \"$PKI/device-c.pem\" was not issued by CA certificate \"a\" (onsmqtt-contract test CA A)"},
    {"device_unknown_ca",
     "%BASE%ca_certificates:\n  ca_a:\n    instance: p\n    pem: $PKI/ca-a.pem\ndevice_certificates:\n  d:\n"
     "    instance: p\n    ca: ca_b\n    pem: $PKI/device-b.pem\n",
     "18:9: error: unknown CA certificate \"ca_b\"; did you mean \"ca_a\"?"},
    {"device_ca_on_other_instance",
     "%BASE%  q:\n    id: post-cn-q1\n    region: r\n    edition: basic\n    owner: owner\n"
     "    registration_code: c\nca_certificates:\n  a:\n    instance: p\n    pem: $PKI/ca-a.pem\n"
     "device_certificates:\n  d:\n    instance: q\n    ca: a\n    pem: $PKI/device-a-active.pem\n",
     "24:9: error: CA certificate \"a\" is registered on instance \"p\", not \"q\""},
    {"too_many_cas",
     "limits:\n  max_cas_per_instance: 1\n%BASE%ca_certificates:\n  a:\n    instance: p\n    pem: $PKI/ca-a.pem\n"
     "  b:\n    instance: p\n    pem: $PKI/ca-b.pem\n",
     "18:5: error: instance \"p\" would hold more than limits.max_cas_per_instance (1) CAs"},
    {"limit_not_an_integer", "limits:\n  max_cas_per_instance: many\n",
     "2:25: error: limits.max_cas_per_instance must be an integer, got \"many\""},
    {"unknown_ram_user_key",
     "accounts:\n  owner:\n    uid: \"1\"\nram_users:\n  u:\n    account: owner\n    name: n\n    action: [\"*\"]\n",
     "8:5: error: unknown key \"action\" in RAM user \"u\"; did you mean \"actions\"?"},
    {"file_missing", "files:\n  x: nowhere.pem\n", "2:6: error: cannot read file \""},
    // temporary_credentials: %STS% is lines 1-15, ending with the entry "t:".
    {"sts_unknown_key", "%STS%%T%    account: owner\n    status: active\n",
     "21:5: error: unknown key \"status\" in temporary credential \"t\""},
    {"sts_missing_token",
     "%STS%    id: STS.1\n    secret: s\n    expiration: \"2099-01-01T00:00:00Z\"\n    account: owner\n",
     "16:5: error: missing required key \"token\" in temporary credential \"t\""},
    {"sts_empty_token",
     "%STS%    id: STS.1\n    secret: s\n    token: \"\"\n    expiration: \"2099-01-01T00:00:00Z\"\n"
     "    account: owner\n",
     "18:12: error: token must not be empty"},
    {"sts_bad_expiration",
     "%STS%    id: STS.1\n    secret: s\n    token: CAIS1\n    expiration: 2099-13-01\n    account: owner\n",
     "19:17: error: expiration must be an ISO 8601 UTC time such as 2099-12-31T23:59:59Z, got \"2099-13-01\""},
    {"sts_expiration_not_utc",
     "%STS%    id: STS.1\n    secret: s\n    token: CAIS1\n    expiration: \"2099-01-01T08:00:00+08:00\"\n"
     "    account: owner\n",
     "19:17: error: expiration must be an ISO 8601 UTC time such as 2099-12-31T23:59:59Z, got "
     "\"2099-01-01T08:00:00+08:00\""},
    {"sts_account_and_ram_user", "%STS%%T%    account: owner\n    ram_user: u\n",
     "16:5: error: temporary credential \"t\" needs exactly one of \"account\" (a root key) or \"ram_user\""},
    {"sts_neither_account_nor_ram_user", "%STS%%T%",
     "16:5: error: temporary credential \"t\" needs exactly one of \"account\" (a root key) or \"ram_user\""},
    {"sts_unknown_ram_user", "%STS%%T%    ram_user: usr\n", "20:15: error: unknown ram_user \"usr\""},
    {"sts_id_is_an_access_key",
     "%STS%    id: LTAI1\n    secret: s\n    token: CAIS1\n    expiration: \"2099-01-01T00:00:00Z\"\n"
     "    account: owner\n",
     "16:9: error: temporary credential id \"LTAI1\" is also access key \"k\""},
    {"sts_key_is_an_access_key", "%KEYS%temporary_credentials:\n  k:\n%T%    account: owner\n",
     "15:3: error: key \"k\" in temporary_credentials is also an access key's (both would be ${key.k.*})"},
    {"sts_same_token_twice",
     "%STS%%T%    account: owner\n  t2:\n    id: STS.2\n    secret: s\n    token: CAIS1\n"
     "    expiration: \"2099-01-01T00:00:00Z\"\n    account: owner\n",
     "24:12: error: token is also temporary credential \"t\"'s"},
    {"sts_same_id_twice",
     "%STS%%T%    account: owner\n  t2:\n    id: STS.1\n    secret: s\n    token: CAIS2\n"
     "    expiration: \"2099-01-01T00:00:00Z\"\n    account: owner\n",
     "22:9: error: temporary credential id \"STS.1\" is also temporary credential \"t\""},
};

// Lines 1-13: an account, a RAM user and an access key; %STS% adds the
// temporary credential "t" (lines 14-15), %T% its fields but the owner
// (lines 16-19).
const char kKeys[] =
    "accounts:\n  owner:\n    uid: \"1\"\nram_users:\n  u:\n    account: owner\n    name: n\n    actions: [\"*\"]\n"
    "access_keys:\n  k:\n    id: LTAI1\n    secret: s\n    account: owner\n";
const char kTemporaryFields[] =
    "    id: STS.1\n    secret: s\n    token: CAIS1\n    expiration: \"2099-01-01T00:00:00Z\"\n";

class FixtureErrorTest : public ::testing::TestWithParam<ErrorCase> {};

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

TEST_P(FixtureErrorTest, PositionedMessage) {
  const ErrorCase& c = GetParam();
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("onsmqtt_fixture_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / (std::string(c.name) + ".yaml")).string();
  std::string text = Replace(c.yaml, "%STS%", "%KEYS%temporary_credentials:\n  t:\n");
  text = Replace(Replace(Replace(text, "%KEYS%", kKeys), "%T%", kTemporaryFields), "%BASE%", kBase);
  text = Replace(text, "$PKI", kPki);
  std::ofstream(path) << text;
  StatusOr<Fixture> f = LoadFixtureFile(path);
  ASSERT_FALSE(f.ok()) << c.name << " loaded";
  std::string expected = path + ":" + Replace(Replace(c.expected, "$PKI", kPki), "%SN_CA_A%", Sn("ca-a"));
  std::string actual = f.status().ToString();
  EXPECT_EQ(actual.substr(0, expected.size()), expected) << c.name;
  std::filesystem::remove(path);
}

INSTANTIATE_TEST_SUITE_P(Table, FixtureErrorTest, ::testing::ValuesIn(kErrorCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(FixtureTest, MissingFileSaysSo) {
  StatusOr<Fixture> f = LoadFixtureFile(kRoot + "/fixtures/no-such-fixture.yaml");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().ToString().find("no-such-fixture.yaml"), std::string::npos) << f.status().ToString();
}

}  // namespace
}  // namespace onsmqtt::mock
