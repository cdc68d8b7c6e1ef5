#pragma once

#include <map>
#include <set>
#include <string>

#include "contract/status.h"
#include "runner/scenario.h"

// ${name} resolution for one scenario run. Sources, in order of lookup:
// captures of earlier steps, the target's variables, built-ins (run.id,
// uuid, timestamp), env.NAME (the process environment). Values registered
// as secret are known to the redactor and never printed.
namespace onsmqtt::runner {

class Variables {
 public:
  void Set(const std::string& name, const std::string& value, bool secret = false);
  bool Has(const std::string& name) const;
  // Resolves every ${...} in `t`; an undefined name is a kInvalidArgument
  // error located at the template. "$${" escapes a literal "${".
  StatusOr<std::string> Resolve(const Template& t) const;
  // Values registered as secret (for redaction).
  const std::set<std::string>& secrets() const { return secrets_; }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> secrets_;
};

// The names a template refers to, in order (for load-time checks).
std::vector<std::string> ReferencedNames(const std::string& text);

}  // namespace onsmqtt::runner
