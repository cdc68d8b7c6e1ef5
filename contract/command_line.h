#pragma once

#include <functional>
#include <string>
#include <vector>

#include "contract/status.h"

// One set of command-line rules for onsmqtt-runner and onsmqtt-mock, parsed
// by CLI11 (which stays in command_line.cc):
//  - a value is written `--name VALUE` or `--name=VALUE` (`-j4` and `-j 4`
//    for a short name); a value that starts with "-" needs the `=` form,
//    so that `--junit --quiet` is a forgotten value, not a file "--quiet";
//  - a switch takes no value: `--quiet=1` is an error;
//  - a repeated option applies each of its values in turn;
//  - "--" ends the options: what follows is positional;
//  - `-h`/`--help` and `--version` belong to every program.
// Usage errors are kInvalidArgument and name the option and what to do:
//   unknown option "--prot"; did you mean "--port"? (see --help)
//   --port needs a value (see --help)
//   --quiet takes no value (see --help)
// A value's own check (its ApplyValue) gives its message unchanged.
namespace onsmqtt {

class CommandLine {
 public:
  // Called with an option's value, in command-line order; an error stops
  // the parse and is its result.
  using ApplyValue = std::function<Status(const std::string& value)>;
  enum class Request { kRun, kHelp, kVersion };

  // One name each ("--target", "-j"): an alias is its own option, so that a
  // message names the spelling that was typed.
  void AddValue(const std::string& name, ApplyValue apply);
  void AddSwitch(const std::string& name, std::function<void()> apply);
  // Positional arguments; without this, any is an unknown-argument error.
  void AddPositionals(ApplyValue apply);

  // Applies the options and positional arguments of `args` (argv without
  // the program) in order. kHelp or kVersion when asked for (the other
  // options are still checked, not required).
  StatusOr<Request> Parse(const std::vector<std::string>& args) const;

  // Every option name, --help and --version included, e.g. to check that a
  // usage text documents each.
  std::vector<std::string> Names() const;

 private:
  struct Option {
    std::string name;
    bool takes_value = false;
    ApplyValue apply;  // a switch's is called with ""
  };
  Status ApplyPositional(const std::string& value) const;

  std::vector<Option> options_;
  ApplyValue positional_;
};

}  // namespace onsmqtt
