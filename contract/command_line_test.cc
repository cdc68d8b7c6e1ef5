// The command-line rules both programs share (contract/command_line.h).
#include "contract/command_line.h"

#include <gtest/gtest.h>

namespace onsmqtt {
namespace {

// A command line that records what it applies, in order.
struct Recorder {
  std::vector<std::string> applied;
  CommandLine line;
  explicit Recorder(bool positionals = true) {
    line.AddValue("--port", [this](const std::string& v) { return Record("--port", v); });
    line.AddValue("-j", [this](const std::string& v) { return Record("-j", v); });
    line.AddValue("--check", [](const std::string& v) { return Status::InvalidArgument("--check: bad " + v); });
    line.AddSwitch("--quiet", [this] { applied.push_back("--quiet"); });
    if (positionals) line.AddPositionals([this](const std::string& v) { return Record("arg", v); });
  }
  Status Record(const std::string& name, const std::string& value) {
    applied.push_back(name + "=" + value);
    return Status::Ok();
  }
  std::string ErrorOf(const std::vector<std::string>& args) {
    StatusOr<CommandLine::Request> r = line.Parse(args);
    return r.ok() ? "(parsed)" : r.status().message();
  }
};

TEST(CommandLine, AppliesOptionsAndPositionalsInTheirOrder) {
  Recorder r;
  StatusOr<CommandLine::Request> request =
      r.line.Parse({"a", "--port=1", "--quiet", "-j4", "b", "--port", "2", "-j", "5", "--", "--quiet", "-"});
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(*request, CommandLine::Request::kRun);
  EXPECT_EQ(r.applied, (std::vector<std::string>{"arg=a", "--port=1", "--quiet", "-j=4", "arg=b", "--port=2", "-j=5",
                                                 "arg=--quiet", "arg=-"}));
}

TEST(CommandLine, AValueThatStartsWithADashNeedsTheEqualsSign) {
  Recorder r;
  EXPECT_EQ(r.ErrorOf({"--port", "--quiet"}), "--port needs a value (see --help)");
  EXPECT_EQ(r.ErrorOf({"--port", "-x"}), "unknown option \"-x\" (see --help)");
  EXPECT_EQ(r.ErrorOf({"--quiet", "-j"}), "-j needs a value (see --help)");
  Recorder ok;
  EXPECT_EQ(ok.ErrorOf({"--port=-x", "--port=a=b"}), "(parsed)");
  EXPECT_EQ(ok.applied, (std::vector<std::string>{"--port=-x", "--port=a=b"}));
  // CLI11 alone would end only -j's values there and apply the switch.
  Recorder after_a_value;
  EXPECT_EQ(after_a_value.ErrorOf({"-j", "5", "--", "--quiet"}), "(parsed)");
  EXPECT_EQ(after_a_value.applied, (std::vector<std::string>{"-j=5", "arg=--quiet"}));
}

TEST(CommandLine, SwitchesTakeNoValueNotEvenTrue) {
  Recorder r;
  EXPECT_EQ(r.ErrorOf({"--quiet=true"}), "--quiet takes no value (see --help)");
  EXPECT_EQ(r.ErrorOf({"--version=1"}), "--version takes no value (see --help)");
  EXPECT_EQ(r.ErrorOf({"--", "--quiet=1"}), "(parsed)");  // a positional
}

TEST(CommandLine, UnknownOptionsNameTheNearestKnownOne) {
  Recorder r;
  EXPECT_EQ(r.ErrorOf({"--prot=80"}), "unknown option \"--prot\"; did you mean \"--port\"? (see --help)");
  EXPECT_EQ(r.ErrorOf({"--quite"}), "unknown option \"--quite\"; did you mean \"--quiet\"? (see --help)");
  EXPECT_EQ(r.ErrorOf({"--verbose"}), "unknown option \"--verbose\" (see --help)");
  EXPECT_EQ(r.ErrorOf({"--x"}), "unknown option \"--x\" (see --help)");
  Recorder options_only(false);
  EXPECT_EQ(options_only.ErrorOf({"--port", "1", "a"}), "unexpected argument \"a\" (see --help)");
}

TEST(CommandLine, AValuesOwnErrorStopsTheParseUnchanged) {
  Recorder r;
  EXPECT_EQ(r.ErrorOf({"--port", "1", "--check", "x", "--port", "2"}), "--check: bad x");
  EXPECT_EQ(r.applied, std::vector<std::string>{"--port=1"});
}

TEST(CommandLine, HelpAndVersionAreEveryProgramsAndStillCheckTheRest) {
  Recorder r;
  EXPECT_EQ(*r.line.Parse({"--port", "1", "-h"}), CommandLine::Request::kHelp);
  EXPECT_EQ(*r.line.Parse({"--help"}), CommandLine::Request::kHelp);
  EXPECT_EQ(*r.line.Parse({"--version"}), CommandLine::Request::kVersion);
  EXPECT_EQ(r.ErrorOf({"--help", "--x"}), "unknown option \"--x\" (see --help)");
  EXPECT_EQ(r.line.Names(),
            (std::vector<std::string>{"--port", "-j", "--check", "--quiet", "-h", "--help", "--version"}));
}

}  // namespace
}  // namespace onsmqtt
