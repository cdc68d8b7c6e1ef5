#include "contract/request_check.h"

#include <cstdlib>
#include <unordered_map>

#include "contract/suggest.h"
#include "contract/wire_params.h"

namespace onsmqtt {

namespace {

constexpr size_t kMaxQuotedValue = 32;

// A value for a message: quoted, cut after kMaxQuotedValue bytes.
std::string Quote(const std::string& value) {
  if (value.size() <= kMaxQuotedValue) return "\"" + value + "\"";
  return "\"" + value.substr(0, kMaxQuotedValue) + "...\" (" + std::to_string(value.size()) + " bytes)";
}

std::string RangeText(const IntegerRange& range) {
  if (range.max) return "an integer in " + std::to_string(range.min) + ".." + std::to_string(*range.max);
  return "an integer >= " + std::to_string(range.min);
}

Violation Duplicate(const std::string& name, size_t times, const std::string& op) {
  return {rules::kParameterDuplicate, name,
          name + " is given " + std::to_string(times) + " times to " + op + " (the first one is read)"};
}

// The violations of one of the operation's parameters, but its duplicate.
void CheckValue(const OperationSpec& op, const ParameterSpec& spec, const std::string* value,
                std::vector<Violation>* out) {
  if (value == nullptr) {
    if (spec.required) {
      out->push_back({rules::kParameterMissing, spec.name, spec.name + " is required by " + op.name + " and absent"});
    }
    return;
  }
  if (value->empty()) {
    if (spec.required) {
      out->push_back({rules::kParameterEmpty, spec.name, spec.name + " is required by " + op.name + " and empty"});
    }
    return;
  }
  if (spec.max_bytes && value->size() > *spec.max_bytes) {
    out->push_back({rules::kParameterTooLong, spec.name,
                    spec.name + " of " + op.name + " is " + std::to_string(value->size()) + " bytes long; at most " +
                        std::to_string(*spec.max_bytes) + " are allowed"});
  }
  if (spec.integer) {
    int64_t n = 0;
    const IntegerRange& range = *spec.integer;
    if (!ParseDecimalInteger(*value, &n) || n < range.min || (range.max && n > *range.max)) {
      out->push_back({rules::kParameterType, spec.name,
                      spec.name + " of " + op.name + " must be " + RangeText(range) + ", got " + Quote(*value)});
    }
  }
}

Violation Unknown(const OperationSpec& op, const std::string& name) {
  std::vector<std::string> known;
  known.reserve(op.parameters.size());
  for (const ParameterSpec& spec : op.parameters) known.push_back(spec.name);
  std::string message =
      (name.empty() ? std::string("A parameter with an empty name") : name) + " is not a parameter of " + op.name;
  if (std::string nearest = NearestName(name, known); !nearest.empty()) {
    message += " (did you mean " + nearest + "?)";
  } else if (known.empty()) {
    message += " (it has none)";
  } else {
    std::string list;
    for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
    message += " (its parameters: " + list + ")";
  }
  return {rules::kParameterUnknown, name, std::move(message)};
}

}  // namespace

bool ParseDecimalInteger(std::string_view s, int64_t* out) {
  size_t digits_from = !s.empty() && s[0] == '-' ? 1 : 0;
  size_t digits = s.size() - digits_from;
  if (digits == 0 || digits > 18 || s.find_first_not_of("0123456789", digits_from) != std::string_view::npos) {
    return false;
  }
  *out = std::strtoll(std::string(s).c_str(), nullptr, 10);
  return true;
}

std::vector<Violation> CheckRequestParams(const OperationSpec& op, const ParamList& params) {
  // Names counted once (a hostile request may hold thousands).
  std::unordered_map<std::string_view, size_t> counts;
  for (const auto& [k, v] : params) ++counts[k];
  std::vector<Violation> out;
  for (const ParameterSpec& spec : op.parameters) {
    auto it = counts.find(spec.name);
    if (it != counts.end() && it->second > 1) out.push_back(Duplicate(spec.name, it->second, op.name));
    CheckValue(op, spec, FindParam(params, spec.name), &out);
  }
  for (const auto& [name, v] : params) {
    auto it = counts.find(name);
    if (it->second == 0 || op.FindParameter(name) != nullptr) continue;
    out.push_back(Unknown(op, name));
    if (it->second > 1) out.push_back(Duplicate(name, it->second, op.name));
    it->second = 0;  // reported
  }
  return out;
}

}  // namespace onsmqtt
