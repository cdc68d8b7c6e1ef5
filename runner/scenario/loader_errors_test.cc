// Loader error table: a bad snippet -> the exact message and line:col.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "runner/scenario/loader.h"
#include "runner/scenario/loader_test_util.h"

namespace onsmqtt::runner {
namespace {

using ::testing::HasSubstr;

struct ErrorCase {
  const char* name;
  std::string yaml;
  int line;
  int column;
  std::string message;
};

// Test names in ctest output: the case's name, not its bytes.
void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

class LoaderErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(LoaderErrorTest, ReportsExactMessageAndPosition) {
  const ErrorCase& c = GetParam();
  std::string path = WriteTemp(c.name, c.yaml);
  LoadResult result = LoadScenarios({path}, Options());
  ASSERT_FALSE(result.errors.empty()) << "no error for:\n" << c.yaml;
  const Diagnostic& d = result.errors.front();
  // An empty message: the text depends on the environment (temp paths,
  // yaml-cpp's wording); the position is still exact.
  if (!c.message.empty()) {
    EXPECT_EQ(d.message, c.message);
  }
  EXPECT_EQ(d.loc.file, path);
  EXPECT_EQ(d.loc.line, c.line) << d.rendered;
  EXPECT_EQ(d.loc.column, c.column) << d.rendered;
  // Rendered GCC-style with the source line and a caret.
  std::string where = path + ":" + std::to_string(c.line) + ":" + std::to_string(c.column) + ": error: ";
  EXPECT_EQ(d.rendered.rfind(where + d.message + "\n", 0), 0u) << d.rendered;
  EXPECT_THAT(d.rendered, HasSubstr(" | ")) << d.rendered;
  EXPECT_THAT(d.rendered, HasSubstr("^")) << d.rendered;
  EXPECT_TRUE(result.files.empty()) << "a file with an error contributes no scenarios";
}

const ErrorCase kErrorCases[] = {
    {"unknown_key", std::string(kHead) + "        expect:\n          stauts: 200\n", 6, 11,
     "unknown key \"stauts\" in expect; did you mean \"status\"?"},
    {"unknown_step_key", std::string(kHead) + "        parms: {}\n", 5, 9,
     "unknown key \"parms\" in step; did you mean \"params\"?"},
    {"duplicate_key", std::string(kHead) + "        params:\n          DeviceSn: a\n          DeviceSn: b\n", 7, 11,
     "duplicate key \"DeviceSn\" (a key may appear once per map)"},
    {"wrong_type_retries", "scenarios:\n  - name: s\n    retries: many\n    steps:\n      - call: GetRegisterCode\n", 3,
     14, "retries must be an integer, got \"many\""},
    {"wrong_type_mutates", "scenarios:\n  - name: s\n    mutates: \"yes\"\n    steps:\n      - call: GetRegisterCode\n",
     3, 14, "mutates must be true or false, got \"yes\""},
    {"wrong_type_params", std::string(kHead) + "        params: [a, b]\n", 5, 17,
     "params must be a map of parameter name to value, got a list"},
    // yaml-cpp gives an empty value no position; the error points at its key.
    {"null_param", std::string(kHead) + "        params:\n          CaSn:\n          DeviceSn: x\n", 6, 11,
     "parameter CaSn must be a string, got null (write \"\" for an empty value)"},
    {"undefined_variable", std::string(kHead) + "        params:\n          DeviceSn: ${device.activ.sn}\n", 6, 21,
     "undefined variable ${device.activ.sn}; did you mean \"device.active.sn\"?"},
    {"undefined_variable_mid_text",
     std::string(kHead) + "        params:\n          DeviceSn: \"x-${nothing_like_it}\"\n", 6, 24,
     "undefined variable ${nothing_like_it} (not a variable of the target, a capture of an earlier step, a built-in "
     "or env.NAME)"},
    {"capture_before_defined",
     std::string(kHead) +
         "        params:\n          DeviceSn: ${sn}\n      - call: GetRegisterCode\n        capture:\n"
         "          sn: $.RegisterCode\n",
     6, 21,
     "undefined variable ${sn} (not a variable of the target, a capture of an earlier step, a built-in or env.NAME)"},
    {"capture_used_in_its_own_step",
     std::string(kHead) + "        params:\n          DeviceSn: ${sn}\n        capture:\n          sn: $.DeviceSn\n", 6,
     21,
     "undefined variable ${sn} (not a variable of the target, a capture of an earlier step, a built-in or env.NAME)"},
    {"unknown_action", "scenarios:\n  - name: s\n    steps:\n      - call: ActiveDeviceCertificat\n", 4, 15,
     "unknown action \"ActiveDeviceCertificat\"; did you mean \"ActiveDeviceCertificate\"? (write unknown_action: true "
     "to send it deliberately)"},
    {"unknown_action_flag_on_known", std::string(kHead) + "        unknown_action: true\n", 5, 25,
     "\"ActiveDeviceCertificate\" is an operation of the contract; remove unknown_action"},
    {"unknown_parameter", std::string(kHead) + "        params:\n          DeviceSN: x\n", 6, 11,
     "unknown parameter \"DeviceSN\" of ActiveDeviceCertificate; did you mean \"DeviceSn\"?"},
    {"unknown_matcher", std::string(kHead) + "        expect:\n          body:\n            $.DeviceSn: {regx: a}\n", 7,
     26, "body $.DeviceSn: unknown matcher \"regx\"; did you mean \"regex\"?"},
    {"matcher_two_keys",
     std::string(kHead) + "        expect:\n          body:\n            $.DeviceSn: {regex: a, type: string}\n", 7, 25,
     "body $.DeviceSn: a matcher is a map with exactly one key (equals, regex, type, format, absent, present, one_of, "
     "contains); to compare with an object write {equals: {...}}"},
    {"absent_false", std::string(kHead) + "        expect:\n          body:\n            $.DeviceSn: {absent: false}\n",
     7, 34, "body $.DeviceSn: write {absent: true}; the opposite is {present: true}"},
    {"unknown_type", std::string(kHead) + "        expect:\n          body:\n            $.DeviceSn: {type: strng}\n",
     7, 32,
     "body $.DeviceSn type must be one of string number boolean object array null, got \"strng\"; did you mean "
     "\"string\"?"},
    {"bad_json_path", std::string(kHead) + "        expect:\n          body:\n            $.Data..Sn: 1\n", 7, 13,
     "JSON path \"$.Data..Sn\", column 8: expected a member name after \".\" (write e.g. $.Data.Status, $.Items[0].Sn, "
     "$.Items[*].Sn or $[\"x-y\"])"},
    {"bad_scheme", std::string(kHead) + "        scheme: v2\n", 5, 17,
     "scheme must be one of v1 v3, got \"v2\"; did you mean \"v1\"?"},
    {"bad_auth", std::string(kHead) + "        auth: corrupt\n", 5, 15,
     "auth must be one of valid corrupt_signature wrong_secret missing_signature unknown_key, got \"corrupt\""},
    {"bad_status", std::string(kHead) + "        expect:\n          status: ok\n", 6, 19,
     "status must be a number, a list of numbers or documented, got \"ok\""},
    {"status_out_of_range", std::string(kHead) + "        expect:\n          status: [200, 99]\n", 6, 25,
     "status must be between 100 and 599, got 99"},
    {"unknown_code", std::string(kHead) + "        expect:\n          code: ParameterFieldCheckFail\n", 6, 17,
     "unknown error code \"ParameterFieldCheckFail\" (not in the contract's catalogue); did you mean "
     "\"ParameterFieldCheckFailed\"?"},
    {"numeric_code", std::string(kHead) + "        expect:\n          code: 404\n", 6, 17,
     "code must be a string (an error code such as Throttling.User)"},
    {"unknown_identity", std::string(kHead) + "        as: ownr\n", 5, 13,
     "unknown identity \"ownr\": the target defines no key.ownr.id; did you mean \"owner\"?"},
    {"unterminated_template", std::string(kHead) + "        params:\n          DeviceSn: ab${device\n", 6, 23,
     "unterminated \"${\" (close it with \"}\"; write \"$${\" for a literal \"${\")"},
    {"bad_repeat", std::string(kHead) + "        params:\n          CaSn: ${repeat:a:many}\n", 6, 17,
     "${repeat:a:many}: write ${repeat:TEXT:COUNT}, e.g. ${repeat:a:129} (COUNT must be a whole number)"},
    {"burst_without_expect", std::string(kHead) + "        burst: {count: 10, concurrency: 2}\n", 5, 16,
     "a burst step needs expect: {outcomes: {...}}"},
    {"unknown_outcome",
     std::string(kHead) +
         "        burst: {count: 10}\n        expect:\n          outcomes:\n            Throttling.Usr: 1\n",
     8, 13,
     "unknown outcome \"Throttling.Usr\" (success, unanswered, other, or an error code of the contract); did you mean "
     "\"Throttling.User\"?"},
    {"burst_capture",
     std::string(kHead) +
         "        burst: {count: 10}\n        expect: {outcomes: {success: 1}}\n        capture:\n          x: $.Sn\n",
     8, 11, "a burst step cannot capture (it sends many calls)"},
    {"outcomes_without_burst", std::string(kHead) + "        expect:\n          outcomes: {success: 1}\n", 6, 21,
     "outcomes are for burst steps (add burst: {count: N, concurrency: M} to the step)"},
    {"burst_expect_status",
     std::string(kHead) + "        burst: {count: 10}\n        expect:\n          status: 200\n"
                          "          outcomes: {success: 1}\n",
     7, 11, "unknown key \"status\" in burst expect (expected one of: outcomes)"},
    {"missing_steps", "scenarios:\n  - name: s\n    tags: [a]\n", 2, 5, "missing required key \"steps\" in scenario"},
    {"empty_steps", "scenarios:\n  - name: s\n    steps: []\n", 3, 12,
     "steps must be a non-empty list of steps, got a list"},
    {"missing_call", "scenarios:\n  - name: s\n    steps:\n      - params: {}\n", 4, 9,
     "a step needs call: (an API call) or connect: (a device connecting over MQTT)"},
    {"duplicate_scenario_name",
     "scenarios:\n  - name: s\n    steps:\n      - call: GetRegisterCode\n  - name: s\n    steps:\n"
     "      - call: GetRegisterCode\n",
     5, 5, "duplicate scenario name \"s\" (first at line 2); names are unique within a file"},
    {"fixture_not_found",
     "fixture: no/such/fixture.yaml\nscenarios:\n  - name: s\n    steps:\n      - call: GetRegisterCode\n", 1, 10,
     ""},  // message holds the temp path; checked below
    {"unknown_file_key", "scenario:\n  - name: s\n", 1, 1,
     "unknown key \"scenario\" in a scenario file; did you mean \"scenarios\"?"},
    {"yaml_syntax", "scenarios:\n  - name: s\n    steps: [\n", 4, 1, ""},
    {"requires_unknown", "scenarios:\n  - name: s\n    requires: {mok: x}\n    steps:\n      - call: GetRegisterCode\n",
     3, 16, "unknown key \"mok\" in requires; did you mean \"mock\"?"},
    {"requires_empty_reason",
     "scenarios:\n  - name: s\n    requires: {mock: \"\"}\n    steps:\n      - call: GetRegisterCode\n", 3, 22,
     "requires.mock needs the reason a real endpoint cannot run this scenario"},
};

INSTANTIATE_TEST_SUITE_P(Table, LoaderErrorTest, ::testing::ValuesIn(std::begin(kErrorCases), std::end(kErrorCases)),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace onsmqtt::runner
