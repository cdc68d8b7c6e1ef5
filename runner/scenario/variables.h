#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "contract/status.h"
#include "runner/scenario/scenario.h"

// ${name} resolution for one scenario run. Sources, in order of lookup:
// captures of earlier steps, the target's variables, built-ins (run.id,
// uuid, timestamp), env.NAME (the environment the object was given).
// Values registered as secret are known to the redactor and never printed.
namespace onsmqtt::runner {

// The environment ${env.NAME} reads: nullptr when NAME is unset.
using Environment = std::function<const char*(const char*)>;

// Where ${name} takes its value from: the one rule for "is this variable
// defined", used by the loader (at load), the executor (to skip a scenario
// an endpoint cannot run) and Variables (at run time). `is_set`: the
// caller's own names (the target's variables, captures).
enum class VariableSource {
  kSet,          // is_set(name)
  kBuiltin,      // run.id, uuid, timestamp, repeat:TEXT:N (which may still be malformed)
  kEnvironment,  // env.NAME, NAME not empty (which may still be unset)
  kUndefined,
};
VariableSource SourceOf(const std::string& name, const std::function<bool(const std::string&)>& is_set);

// Built-in variable names always defined at run time (run.id, uuid, ...).
const std::set<std::string>& BuiltinVariableNames();

class Variables {
 public:
  // Each Variables object has its own ${uuid} (one fresh id per scenario
  // attempt, the same in every step of it). ${env.NAME} reads `environment`
  // (empty: the process environment).
  explicit Variables(Environment environment = {});

  void Set(const std::string& name, const std::string& value, bool secret = false);
  bool Has(const std::string& name) const;
  // Resolves every ${...} in `t`; an undefined name is a kInvalidArgument
  // error located at the template. "$${" escapes a literal "${".
  StatusOr<std::string> Resolve(const Template& t) const;
  // Resolve for a `regex:` pattern: each value enters as RegexLiteral(value),
  // so it is matched literally; the text around it stays a pattern.
  StatusOr<std::string> ResolveRegex(const Template& t) const;
  // Values registered as secret (for redaction).
  const std::set<std::string>& secrets() const { return secrets_; }

 private:
  StatusOr<std::string> ResolveWith(const Template& t, bool regex_literal) const;
  // Appends the value of ${name} (`loc` locates errors).
  Status Append(const std::string& name, const SourceLocation& loc, std::string* out) const;

  std::map<std::string, std::string> values_;
  std::set<std::string> secrets_;
  std::string uuid_;
  Environment environment_;
};

// The names a template refers to, in order (for load-time checks).
std::vector<std::string> ReferencedNames(const std::string& text);

// Fills scenario->references and ->captured from its steps and cleanup:
// per step, its parameters, version, nonce and host, its identity's key
// (key.<as>.id and .secret, unless the step sends an unknown key), then
// the code, message, body and header matchers; per connect step, its
// certificate, key, chain, client id, server name, username and password
// (no identity). The loader calls it for every scenario it reads.
void RecordReferences(Scenario* scenario);

// `value` as an ECMAScript pattern matching exactly that text, as one unit:
// "a.b" -> "(?:a\\.b)" (a quantifier after it repeats the whole value).
std::string RegexLiteral(std::string_view value);

// A `regex:` pattern with every ${...} replaced by a literal placeholder,
// for the load-time check of the pattern's syntax.
std::string RegexWithPlaceholders(const std::string& text);

// Load-time syntax check of a template: every "${" is closed, no name is
// empty. kInvalidArgument naming the problem.
Status CheckTemplateSyntax(const std::string& text);

// Built-in names that need no Set(): "uuid" (a fresh one here; Resolve
// uses the object's own), "run.id" (when the executor did not set it: one
// id per process), "timestamp" (now, the contract's format),
// "repeat:TEXT:N" (TEXT N times, at most 1 MiB in all). Returns kNotFound
// for other names, kInvalidArgument for a malformed repeat.
StatusOr<std::string> ResolveBuiltin(const std::string& name);

}  // namespace onsmqtt::runner
