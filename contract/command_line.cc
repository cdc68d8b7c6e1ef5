#include "contract/command_line.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iterator>
#include <map>
#include <utility>

#include "contract/yaml_tree.h"

namespace onsmqtt {
namespace {

// What CLI11 records for an option given without its value: a value
// option takes zero or one argument, so that the next option is never
// taken for its value.
constexpr char kNoValue[] = "\x01(no value)";

Status UsageError(const std::string& message) { return Status::InvalidArgument(message + " (see --help)"); }

// The nearest of `names`, compared without their dashes and only from
// three letters on: "--x" is no near miss of "-h".
std::string UnknownOption(std::string arg, const std::vector<std::string>& names) {
  if (size_t eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) arg.resize(eq);
  std::string message = "unknown option \"" + arg + "\"";
  size_t letters = arg.find_first_not_of('-');
  if (letters == std::string::npos || arg.size() - letters < 3) return message;
  std::vector<std::string> bare;
  for (const std::string& n : names) bare.push_back(n.substr(n.find_first_not_of('-')));
  std::string hint = yaml::DidYouMean(arg.substr(letters), bare);  // did you mean "name"?
  for (size_t i = 0; i < bare.size() && !hint.empty(); ++i) {
    if (hint == "did you mean \"" + bare[i] + "\"?") return message + "; did you mean \"" + names[i] + "\"?";
  }
  return message;
}

// CLI11 lets a switch take "true" (`--quiet=true`); these rules take none.
Status SwitchGivenAValue(const std::vector<std::string>& args, const std::vector<std::string>& switches) {
  for (const std::string& arg : args) {
    if (arg == "--") break;
    size_t eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos) continue;
    for (const std::string& s : switches) {
      if (arg.compare(0, eq, s) == 0 && eq == s.size()) return UsageError(s + " takes no value");
    }
  }
  return Status::Ok();
}

}  // namespace

void CommandLine::AddValue(const std::string& name, ApplyValue apply) {
  options_.push_back(Option{name, true, std::move(apply)});
}

void CommandLine::AddSwitch(const std::string& name, std::function<void()> apply) {
  options_.push_back(Option{name, false, [apply = std::move(apply)](const std::string&) {
                              apply();
                              return Status::Ok();
                            }});
}

void CommandLine::AddPositionals(ApplyValue apply) { positional_ = std::move(apply); }

std::vector<std::string> CommandLine::Names() const {
  std::vector<std::string> names;
  for (const Option& o : options_) names.push_back(o.name);
  for (const char* n : {"-h", "--help", "--version"}) names.emplace_back(n);
  return names;
}

Status CommandLine::ApplyPositional(const std::string& value) const {
  if (!positional_) return UsageError("unexpected argument \"" + value + "\"");
  return positional_(value);
}

StatusOr<CommandLine::Request> CommandLine::Parse(const std::vector<std::string>& args) const {
  std::vector<std::string> switches = {"--help", "--version"};
  for (const Option& o : options_) {
    if (!o.takes_value) switches.push_back(o.name);
  }
  if (Status s = SwitchGivenAValue(args, switches); !s.ok()) return s;
  const auto end_of_options = std::find(args.begin(), args.end(), "--");
  CLI::App app;
  app.set_help_flag();
  app.allow_extras();
  std::map<const CLI::Option*, const Option*> specs;
  CLI::Option* help = nullptr;
  CLI::Option* version = nullptr;
  CLI::Option* positional = nullptr;
  try {
    for (const Option& o : options_) {
      CLI::Option* added = o.takes_value
                               ? app.add_option(o.name)->expected(0, 1)->default_str(kNoValue)->multi_option_policy(
                                     CLI::MultiOptionPolicy::TakeAll)
                               : app.add_flag(o.name);
      specs[added] = &o;
    }
    help = app.add_flag("-h,--help");
    version = app.add_flag("--version");
    positional = app.add_option("arguments")->expected(-1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    // CLI11 takes them last first, and reads "--" after a value as the end
    // of that option's values only: what follows the first "--" is never
    // shown to it.
    std::vector<std::string> reversed(std::make_reverse_iterator(end_of_options), args.rend());
    app.parse(reversed);
  } catch (const CLI::Error& e) {
    return UsageError(e.what());
  }
  if (!app.remaining().empty()) return UsageError(UnknownOption(app.remaining().front(), Names()));
  std::map<const CLI::Option*, size_t> seen;
  for (const CLI::Option* opt : app.parse_order()) {
    size_t index = seen[opt]++;
    const std::vector<std::string>& results = opt->results();
    std::string value = index < results.size() ? results[index] : "";
    if (opt == positional) {
      if (Status s = ApplyPositional(value); !s.ok()) return s;
      continue;
    }
    auto spec = specs.find(opt);
    if (spec == specs.end()) continue;  // --help, --version
    if (spec->second->takes_value && value == kNoValue) return UsageError(spec->second->name + " needs a value");
    if (Status s = spec->second->apply(spec->second->takes_value ? value : ""); !s.ok()) return s;
  }
  for (auto arg = end_of_options == args.end() ? args.end() : end_of_options + 1; arg != args.end(); ++arg) {
    if (Status s = ApplyPositional(*arg); !s.ok()) return s;
  }
  if (help->count() > 0) return Request::kHelp;
  if (version->count() > 0) return Request::kVersion;
  return Request::kRun;
}

}  // namespace onsmqtt
