#pragma once

#include <cstdio>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "contract/status.h"
#include "mock_server/mock_server.h"
#include "mock_server/options.h"

// onsmqtt-mock's command line, parsed into MockOptions (main.cc only wires
// the result to a MockServer). Every flag is in MockUsageText() and
// mock_server/README.md. Values are given as `--flag VALUE` or
// `--flag=VALUE`; switches take no value.
namespace onsmqtt::mock {

struct MockCommandLine {
  MockOptions options;   // port defaults to 8080 here
  std::string fixture;   // --fixture FILE; required unless help or version
  bool help = false;     // --help / -h: print MockUsageText(), exit 0
  bool version = false;  // --version: print "onsmqtt-mock <version>", exit 0
};

// kInvalidArgument with the problem and what to write instead (no program
// name), in the rules and words of onsmqtt-runner's command line
// (contract/command_line.h), e.g. `unknown option "--prot"; did you mean
// "--port"? (see --help)`, `--port needs a value (see --help)`. Any
// unknown option is reported as unknown, wherever it stands; a positional
// argument is unexpected.
StatusOr<MockCommandLine> ParseMockCommandLine(const std::vector<std::string>& args);

// What main does before serving: the help on `out` (exit 0), the version
// "onsmqtt-mock <version> (contract OnsMqtt 2020-04-20)" on `out` (0), or
// the usage error "onsmqtt-mock: error: ..." on `err` (2). nullopt: serve.
std::optional<int> AnswerCommandLine(const StatusOr<MockCommandLine>& cl, std::ostream& out, std::ostream& err);

// The started mock's addresses, one line each: "onsmqtt-mock listening on
// http://HOST:PORT/" and, with a listener, "onsmqtt-mock MQTT (mutual TLS)
// on mqtts://HOST:PORT" (scripts read the ports from these lines).
void PrintListening(const MockServer& server, const std::string& host, std::FILE* out);

// Every option name ParseMockCommandLine knows ("--fixture", "-h", ...).
std::vector<std::string> MockOptionNames();

// The --help text.
const char* MockUsageText();

// The project's version (CMake's PROJECT_VERSION), e.g. "0.1.0".
const char* MockVersion();

}  // namespace onsmqtt::mock
