#include "runner/execute/assertions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner/scenario/json_path.h"

namespace onsmqtt::runner {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr char kRid[] = "020F6A43-19E6-4B6E-B846-44EB31DF0A1B";
const SourceLocation kLoc{"s.yaml", 9, 7};

const Contract& C() { return BuiltinContract(); }
const OperationSpec* Active() { return C().FindOperation("ActiveDeviceCertificate"); }

Answer Ok(json body) {
  body["RequestId"] = kRid;
  Answer a;
  a.status = 200;
  a.headers = {{"Content-Type", "application/json;charset=utf-8"}, {"x-acs-request-id", kRid}};
  a.body = body.dump();
  a.json = body;
  return a;
}

Answer Err(int status, const std::string& code) {
  json body = {{"RequestId", kRid},
               {"HostId", C().HostId("cn-hangzhou")},
               {"Code", code},
               {"Message", C().FindError(code)->message},
               {"Recommend", C().Recommend(code, kRid)}};
  Answer a = Ok(json::object());
  a.status = status;
  a.body = body.dump();
  a.json = body;
  return a;
}

Value Str(const std::string& s) { return Value{Value::Type::kString, s, {}, {}, kLoc}; }
Value Num(const std::string& s) { return Value{Value::Type::kNumber, s, {}, {}, kLoc}; }
Value Arr(std::vector<Value> items) { return Value{Value::Type::kArray, "", std::move(items), {}, kLoc}; }
Matcher M(MatcherKind kind, Value v = {}) { return Matcher{kind, std::move(v), kLoc}; }
Matcher Eq(Value v) { return M(MatcherKind::kEquals, std::move(v)); }

std::vector<AssertionFailure> Check(const Expectation& e, const Answer& a, const Variables& vars = Variables()) {
  std::vector<AssertionFailure> failures;
  CheckExpectation(e, a, Active(), C(), vars, &failures);
  return failures;
}

Expectation Body(const std::string& path, Matcher m) {
  Expectation e;
  e.contract = false;
  e.body.push_back(BodyAssertion{*ParseJsonPath(path), std::move(m), kLoc});
  return e;
}

TEST(AssertionsTest, DefaultExpectationIsStatus200AndTheContractShape) {
  EXPECT_TRUE(Check(Expectation{}, Ok({{"DeviceSn", "ab"}})).empty());
  std::vector<AssertionFailure> f = Check(Expectation{}, Err(400, "ParameterFieldCheckFailed"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, FailureKind::kStatus);
  EXPECT_EQ(f[0].expected, "200");
  EXPECT_EQ(f[0].actual, "400");
}

TEST(AssertionsTest, ExplicitStatusList) {
  Expectation e;
  e.contract = false;
  e.status = StatusExpectation{StatusExpectation::Kind::kAnyOf, {400, 429}, kLoc};
  EXPECT_TRUE(Check(e, Err(429, "Throttling.User")).empty());
  std::vector<AssertionFailure> f = Check(e, Err(500, "FindDeviceBySnError"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].expected, "one of [400, 429]");
  EXPECT_EQ(f[0].loc.ToString(), "s.yaml:9:7");
}

TEST(AssertionsTest, CodeWithoutStatusMeansEveryDocumentedStatus) {
  Expectation e;
  e.code = Eq(Str("ParameterFieldCheckFailed"));
  EXPECT_TRUE(Check(e, Err(400, "ParameterFieldCheckFailed")).empty());
  EXPECT_TRUE(Check(e, Err(500, "ParameterFieldCheckFailed")).empty());
  std::vector<AssertionFailure> f = Check(e, Err(403, "ParameterFieldCheckFailed"));
  // The expectation and the contract check both see the undocumented status.
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].kind, FailureKind::kStatus);
  EXPECT_EQ(f[0].expected, "one of [400, 500] (documented for ParameterFieldCheckFailed)");
  EXPECT_EQ(f[1].kind, FailureKind::kContract);
}

TEST(AssertionsTest, DocumentedStatusUsesTheExpectedCodeNotTheReceivedOne) {
  Expectation e;
  e.contract = false;
  e.status = StatusExpectation{StatusExpectation::Kind::kDocumented, {}, kLoc};
  e.code = Eq(Str("FindDeviceBySnError"));
  // 404 is documented for InvalidAccessKeyId.NotFound but not for FindDeviceBySnError.
  std::vector<AssertionFailure> f = Check(e, Err(404, "InvalidAccessKeyId.NotFound"));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].kind, FailureKind::kStatus);
  EXPECT_EQ(f[0].expected, "500 (documented for FindDeviceBySnError)");
  EXPECT_EQ(f[1].kind, FailureKind::kCode);
  EXPECT_EQ(f[1].expected, "\"FindDeviceBySnError\"");
  EXPECT_EQ(f[1].actual, "\"InvalidAccessKeyId.NotFound\"");
}

TEST(AssertionsTest, DocumentedStatusWithAOneOfCodeUsesTheReceivedCode) {
  Expectation e;
  e.code = M(MatcherKind::kOneOf, Arr({Str("IncompleteSignature"), Str("MissingParameter")}));
  EXPECT_TRUE(Check(e, Err(400, "MissingParameter")).empty());
  std::vector<AssertionFailure> f = Check(e, Err(404, "InvalidAccessKeyId.NotFound"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, FailureKind::kCode);
  EXPECT_EQ(f[0].expected, "one of [\"IncompleteSignature\",\"MissingParameter\"]");
}

TEST(AssertionsTest, DocumentedStatusWithoutAnyCodeFails) {
  Expectation e;
  e.contract = false;
  e.status = StatusExpectation{StatusExpectation::Kind::kDocumented, {}, kLoc};
  std::vector<AssertionFailure> f = Check(e, Ok({{"DeviceSn", "a"}}));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].expected, "a status the contract documents for the Code");
  EXPECT_EQ(f[0].actual, "200 without a Code");
  EXPECT_TRUE(Check(e, Err(404, "InvalidAction.NotFound")).empty());  // the received Code's statuses
}

TEST(AssertionsTest, MessageMatchers) {
  Expectation e;
  e.code = Eq(Str("SignatureDoesNotMatch"));
  e.message = M(MatcherKind::kContains, Str("is not matched"));
  EXPECT_TRUE(Check(e, Err(400, "SignatureDoesNotMatch")).empty());
  e.message = Eq(Str("Specified signature is not matched"));
  std::vector<AssertionFailure> f = Check(e, Err(400, "SignatureDoesNotMatch"));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, FailureKind::kMessage);
  EXPECT_EQ(f[0].path, "$.Message");
}

TEST(AssertionsTest, EqualityIsTyped) {
  Answer a = Ok({{"Data", {{"Status", "1"}, {"Total", 3}, {"Ratio", 1.0}}}});
  EXPECT_TRUE(Check(Body("$.Data.Status", Eq(Str("1"))), a).empty());
  std::vector<AssertionFailure> f = Check(Body("$.Data.Status", Eq(Num("1"))), a);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].ToString(), "$.Data.Status: expected 1, got \"1\" (s.yaml:9:7)");
  EXPECT_TRUE(Check(Body("$.Data.Total", Eq(Num("3"))), a).empty());
  EXPECT_FALSE(Check(Body("$.Data.Total", Eq(Str("3"))), a).empty());
  EXPECT_TRUE(Check(Body("$.Data.Ratio", Eq(Num("1"))), a).empty());  // numbers compare by value
  EXPECT_TRUE(Check(Body("$.Data", Eq(Value{Value::Type::kObject,
                                            "",
                                            {},
                                            {{"Status", Str("1")}, {"Total", Num("3")}, {"Ratio", Num("1.0")}},
                                            kLoc})),
                    a)
                  .empty());
  Value null_value;
  EXPECT_FALSE(Check(Body("$.Data.Status", Eq(null_value)), a).empty());
  EXPECT_TRUE(Check(Body("$.N", Eq(null_value)), Ok({{"N", nullptr}})).empty());
  EXPECT_TRUE(Check(Body("$.B", Eq(Value{Value::Type::kBoolean, "true", {}, {}, kLoc})), Ok({{"B", true}})).empty());
}

TEST(AssertionsTest, EachMatcherKindPassesAndFails) {
  Answer a = Ok({{"DeviceSn", "abc123"}, {"Items", json::array({"x", "y"})}, {"N", 5}});
  struct Row {
    std::string path;
    Matcher m;
    bool pass;
    std::string expected;
  } rows[] = {
      {"$.DeviceSn", M(MatcherKind::kRegex, Str("[a-c]+[0-9]+")), true, ""},
      {"$.DeviceSn", M(MatcherKind::kRegex, Str("[0-9]+")), false, "a string matching /[0-9]+/"},  // full match
      {"$.N", M(MatcherKind::kRegex, Str("5")), false, "a string matching /5/"},
      {"$.N", M(MatcherKind::kType, Str("number")), true, ""},
      {"$.Items", M(MatcherKind::kType, Str("array")), true, ""},
      {"$.DeviceSn", M(MatcherKind::kType, Str("number")), false, "a value of type number"},
      {"$.RequestId", M(MatcherKind::kRequestIdFormat), true, ""},
      {"$.DeviceSn", M(MatcherKind::kRequestIdFormat), false, "a request id (uppercase UUID)"},
      {"$.Nope", M(MatcherKind::kAbsent), true, ""},
      {"$.DeviceSn", M(MatcherKind::kAbsent), false, "absent"},
      {"$.DeviceSn", M(MatcherKind::kPresent), true, ""},
      {"$.Nope", M(MatcherKind::kPresent), false, "present"},
      {"$.N", M(MatcherKind::kOneOf, Arr({Num("4"), Num("5")})), true, ""},
      {"$.N", M(MatcherKind::kOneOf, Arr({Str("5")})), false, "one of [\"5\"]"},
      {"$.DeviceSn", M(MatcherKind::kContains, Str("c12")), true, ""},
      {"$.DeviceSn", M(MatcherKind::kContains, Str("zz")), false, "a string or array containing \"zz\""},
      {"$.Items", M(MatcherKind::kContains, Str("y")), true, ""},
      {"$.Items", M(MatcherKind::kContains, Str("z")), false, "a string or array containing \"z\""},
  };
  for (const Row& row : rows) {
    std::vector<AssertionFailure> f = Check(Body(row.path, row.m), a);
    if (row.pass) {
      EXPECT_TRUE(f.empty()) << row.path << ": " << (f.empty() ? "" : f[0].ToString());
    } else {
      ASSERT_EQ(f.size(), 1u) << row.path << " " << row.expected;
      EXPECT_EQ(f[0].kind, FailureKind::kBody);
      EXPECT_EQ(f[0].path, row.path);
      EXPECT_EQ(f[0].expected, row.expected);
    }
  }
}

TEST(AssertionsTest, AbsentValueIsRenderedAsAbsent) {
  std::vector<AssertionFailure> f = Check(Body("$.Data.Sn", Eq(Str("x"))), Ok({{"DeviceSn", "a"}}));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].actual, "absent");
}

TEST(AssertionsTest, JsonPathsIntoArrays) {
  Answer a = Ok({{"Data",
                  {{"DeviceCertificateVOS",
                    json::array({{{"DeviceSn", "a1"}, {"Status", "1"}}, {{"DeviceSn", "b2"}, {"Status", "0"}}})}}}});
  EXPECT_TRUE(Check(Body("$.Data.DeviceCertificateVOS[0].DeviceSn", Eq(Str("a1"))), a).empty());
  EXPECT_TRUE(Check(Body("$.Data.DeviceCertificateVOS[-1].Status", Eq(Str("0"))), a).empty());
  EXPECT_TRUE(Check(Body("$.Data.DeviceCertificateVOS[2]", M(MatcherKind::kAbsent)), a).empty());
  EXPECT_TRUE(Check(Body("$.Data.DeviceCertificateVOS[*].DeviceSn", M(MatcherKind::kContains, Str("b2"))), a).empty());
  EXPECT_TRUE(Check(Body("$.Data.DeviceCertificateVOS[*].DeviceSn", Eq(Arr({Str("a1"), Str("b2")}))), a).empty());
  EXPECT_TRUE(Check(Body("$[\"Data\"].DeviceCertificateVOS[1][\"DeviceSn\"]", Eq(Str("b2"))), a).empty());
}

TEST(AssertionsTest, VariablesInExpectedValuesAreResolved) {
  Variables vars;
  vars.Set("device.active.sn", "abc");
  Answer a = Ok({{"DeviceSn", "abc"}});
  EXPECT_TRUE(Check(Body("$.DeviceSn", Eq(Str("${device.active.sn}"))), a, vars).empty());
  std::vector<AssertionFailure> f = Check(Body("$.DeviceSn", Eq(Str("${missing}"))), a, vars);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].actual, HasSubstr("undefined variable ${missing}"));
}

TEST(AssertionsTest, HeadersAreCaseInsensitive) {
  Expectation e;
  e.contract = false;
  e.headers.push_back(HeaderAssertion{"X-ACS-REQUEST-ID", M(MatcherKind::kRequestIdFormat), kLoc});
  e.headers.push_back(HeaderAssertion{"content-type", M(MatcherKind::kContains, Str("json")), kLoc});
  e.headers.push_back(HeaderAssertion{"x-missing", M(MatcherKind::kPresent), kLoc});
  std::vector<AssertionFailure> f = Check(e, Ok({{"DeviceSn", "a"}}));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].kind, FailureKind::kHeader);
  EXPECT_EQ(f[0].path, "x-missing");
}

TEST(AssertionsTest, EveryFailureIsReportedNotJustTheFirst) {
  Expectation e;
  e.status = StatusExpectation{StatusExpectation::Kind::kAnyOf, {404}, kLoc};
  e.code = Eq(Str("FindDeviceBySnError"));
  e.message = M(MatcherKind::kContains, Str("certificate"));
  e.headers.push_back(HeaderAssertion{"x-acs-request-id", M(MatcherKind::kAbsent), kLoc});
  std::vector<AssertionFailure> f = Check(e, Err(500, "MqttInstanceNotFound"));
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].kind, FailureKind::kStatus);
  EXPECT_EQ(f[1].kind, FailureKind::kCode);
  EXPECT_EQ(f[2].kind, FailureKind::kMessage);
  EXPECT_EQ(f[3].kind, FailureKind::kHeader);
}

TEST(AssertionsTest, UnparseableBodyIsAFailureNotACrash) {
  Answer a;
  a.status = 502;
  a.body = "<html>Bad Gateway</html>";
  Expectation e;
  e.code = Eq(Str("InternalError"));
  e.body.push_back(BodyAssertion{*ParseJsonPath("$.RequestId"), M(MatcherKind::kPresent), kLoc});
  std::vector<AssertionFailure> f = Check(e, a);
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].kind, FailureKind::kStatus);
  EXPECT_EQ(f[1].kind, FailureKind::kBody);
  EXPECT_EQ(f[1].actual, "\"<html>Bad Gateway</html>\"");
  EXPECT_EQ(f[2].kind, FailureKind::kContract);
  EXPECT_EQ(f[2].path, "body");
}

TEST(JsonPathTest, ParsesAndEvaluates) {
  json doc = {{"a", {{"b", json::array({{{"c", 1}}, {{"c", 2}}, {{"d", 3}}})}}}, {"x-y", "dash"}, {"e", json::array()}};
  auto eval = [&](const std::string& text) {
    StatusOr<JsonPath> p = ParseJsonPath(text);
    EXPECT_TRUE(p.ok()) << text << ": " << p.status().ToString();
    return p.ok() ? EvaluateJsonPath(*p, doc) : std::nullopt;
  };
  EXPECT_EQ(eval("$"), doc);
  EXPECT_EQ(eval("$.a.b[1].c"), json(2));
  EXPECT_EQ(eval("$.a.b[-3].c"), json(1));
  EXPECT_EQ(eval("$.a.b[3]"), std::nullopt);
  EXPECT_EQ(eval("$.a.b[-4]"), std::nullopt);
  EXPECT_EQ(eval("$.a.b[*].c"), json::array({1, 2}));  // items without c are skipped
  EXPECT_EQ(eval("$.e[*].c"), json::array());
  EXPECT_EQ(eval("$.x-y"), json("dash"));
  EXPECT_EQ(eval("$['x-y']"), json("dash"));
  EXPECT_EQ(eval("$.a.c"), std::nullopt);
  EXPECT_EQ(eval("$.x-y.z"), std::nullopt);              // member of a string
  EXPECT_EQ(eval("$[*][*][*].c"), json::array({1, 2}));  // nested wildcards flatten
}

TEST(JsonPathTest, MalformedPathsSayWhere) {
  const std::pair<const char*, const char*> kBad[] = {
      {"Data.Sn", "column 1: a path starts with \"$\""},
      {"$.", "column 3: expected a member name after \".\""},
      {"$.a[", "column 4: missing \"]\""},
      {"$.a[x]", "column 5: expected an index, \"*\" or a quoted name"},
      {"$.a['b]", "column 4: unterminated quoted name"},
      {"$ a", "column 2: unexpected \" \""},
  };
  for (const auto& [text, where] : kBad) {
    StatusOr<JsonPath> p = ParseJsonPath(text);
    ASSERT_FALSE(p.ok()) << text;
    EXPECT_THAT(p.status().message(), HasSubstr(where)) << text;
  }
}

TEST(ExtractCaptureTest, FromBodyAndHeader) {
  Answer a = Ok({{"Sn", "ab"}, {"Data", {{"Total", 3}}}});
  EXPECT_EQ(*ExtractCapture(Capture{"sn", "$.Sn", kLoc, *ParseJsonPath("$.Sn")}, a), "ab");
  EXPECT_EQ(*ExtractCapture(Capture{"t", "$.Data.Total", kLoc, *ParseJsonPath("$.Data.Total")}, a), "3");
  EXPECT_EQ(*ExtractCapture(Capture{"rid", "header:X-Acs-Request-Id", kLoc, std::nullopt}, a), kRid);
  StatusOr<std::string> missing = ExtractCapture(Capture{"x", "$.Nope", kLoc, *ParseJsonPath("$.Nope")}, a);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "capture x: $.Nope is absent in the answer");
  EXPECT_EQ(missing.status().location()->ToString(), "s.yaml:9:7");
  EXPECT_FALSE(ExtractCapture(Capture{"h", "header:x-nope", kLoc, std::nullopt}, a).ok());
  Answer unparsed;
  unparsed.status = 200;
  EXPECT_FALSE(ExtractCapture(Capture{"sn", "$.Sn", kLoc, *ParseJsonPath("$.Sn")}, unparsed).ok());
}

TEST(OutcomeOfTest, ClassifiesAnswers) {
  EXPECT_EQ(OutcomeOf(Ok({{"DeviceSn", "a"}})), "success");
  EXPECT_EQ(OutcomeOf(Err(400, "Throttling.User")), "Throttling.User");
  Answer none;
  EXPECT_EQ(OutcomeOf(none), "unanswered");
  Answer html;
  html.status = 502;
  html.body = "Bad Gateway";
  EXPECT_EQ(OutcomeOf(html), "other");
}

}  // namespace
}  // namespace onsmqtt::runner
