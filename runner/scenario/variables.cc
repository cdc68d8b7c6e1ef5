#include "runner/scenario/variables.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "contract/clock.h"
#include "contract/http_message.h"

namespace onsmqtt::runner {

namespace {

constexpr size_t kMaxRepeat = 1 << 20;
constexpr char kRepeatPrefix[] = "repeat:";

std::string LowerUuid() { return ToLower(NewRequestId()); }

// The one reading of the template syntax: calls literal(text) for plain text
// ("$${" arrives as "${") and name(n) for each ${n}; name returns false to
// stop. Returns false at an unterminated "${" (nothing after it is walked).
template <class Literal, class Name>
bool WalkTemplate(const std::string& text, Literal literal, Name name) {
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      literal(std::string_view("${"));
      i += 3;
    } else if (text.compare(i, 2, "${") == 0) {
      size_t end = text.find('}', i + 2);
      if (end == std::string::npos) return false;
      if (!name(text.substr(i + 2, end - i - 2))) return true;
      i = end + 1;
    } else {
      size_t next = std::min(text.find('$', i + 1), text.size());
      literal(std::string_view(text).substr(i, next - i));
      i = next;
    }
  }
  return true;
}

const std::string& ProcessRunId() {
  static const std::string id = LowerUuid();
  return id;
}

StatusOr<std::string> Repeat(const std::string& name) {
  std::string spec = name.substr(sizeof(kRepeatPrefix) - 1);
  size_t colon = spec.rfind(':');
  const std::string usage = "${" + name + "}: write ${repeat:TEXT:COUNT}, e.g. ${repeat:a:129}";
  if (colon == std::string::npos || colon == 0) return Status::InvalidArgument(usage);
  std::string text = spec.substr(0, colon);
  std::string count_text = spec.substr(colon + 1);
  if (count_text.empty() || count_text.size() > 7 || count_text.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument(usage + " (COUNT must be a whole number)");
  }
  size_t count = std::stoul(count_text);
  if (count * text.size() > kMaxRepeat) {
    return Status::InvalidArgument("${" + name + "}: at most " + std::to_string(kMaxRepeat) + " bytes");
  }
  std::string out;
  out.reserve(count * text.size());
  for (size_t i = 0; i < count; ++i) out += text;
  return out;
}

}  // namespace

const std::set<std::string>& BuiltinVariableNames() {
  static const std::set<std::string> names = {"run.id", "uuid", "timestamp"};
  return names;
}

VariableSource SourceOf(const std::string& name, const std::function<bool(const std::string&)>& is_set) {
  if (is_set(name)) return VariableSource::kSet;
  if (name.rfind("env.", 0) == 0 && name.size() > 4) return VariableSource::kEnvironment;
  if (BuiltinVariableNames().count(name) != 0 || name.rfind(kRepeatPrefix, 0) == 0) return VariableSource::kBuiltin;
  return VariableSource::kUndefined;
}

Variables::Variables(Environment environment) : uuid_(LowerUuid()), environment_(std::move(environment)) {
  if (!environment_) environment_ = [](const char* name) -> const char* { return std::getenv(name); };
}

void Variables::Set(const std::string& name, const std::string& value, bool secret) {
  values_[name] = value;
  if (secret && !value.empty()) secrets_.insert(value);
}

bool Variables::Has(const std::string& name) const {
  switch (SourceOf(name, [this](const std::string& n) { return values_.count(n) != 0; })) {
    case VariableSource::kSet:
      return true;
    case VariableSource::kEnvironment:
      return environment_(name.substr(4).c_str()) != nullptr;
    case VariableSource::kBuiltin:
      return ResolveBuiltin(name).ok();
    case VariableSource::kUndefined:
      break;
  }
  return false;
}

StatusOr<std::string> ResolveBuiltin(const std::string& name) {
  if (name == "run.id") return ProcessRunId();
  if (name == "uuid") return LowerUuid();
  if (name == "timestamp") return FormatTimestamp(SystemClock::Instance().Now());
  if (name.rfind(kRepeatPrefix, 0) == 0) return Repeat(name);
  return Status::NotFound("\"" + name + "\" is not a built-in variable");
}

StatusOr<std::string> Variables::Resolve(const Template& t) const { return ResolveWith(t, false); }

StatusOr<std::string> Variables::ResolveRegex(const Template& t) const { return ResolveWith(t, true); }

StatusOr<std::string> Variables::ResolveWith(const Template& t, bool regex_literal) const {
  std::string out;
  Status error;
  bool closed = WalkTemplate(
      t.text, [&](std::string_view piece) { out += piece; },
      [&](const std::string& name) {
        if (!regex_literal) {
          error = Append(name, t.loc, &out);
        } else {
          std::string value;
          error = Append(name, t.loc, &value);
          out += RegexLiteral(value);
        }
        return error.ok();
      });
  if (!error.ok()) return error;
  if (!closed) return Status::InvalidArgument("unterminated \"${\" in \"" + t.text + "\"").WithLocation(t.loc);
  return out;
}

Status Variables::Append(const std::string& name, const SourceLocation& loc, std::string* out) const {
  if (auto it = values_.find(name); it != values_.end()) {
    *out += it->second;
  } else if (name == "uuid") {
    *out += uuid_;
  } else if (name.rfind("env.", 0) == 0) {
    const char* value = environment_(name.substr(4).c_str());
    if (value == nullptr) {
      return Status::InvalidArgument("${" + name + "}: environment variable " + name.substr(4) + " is not set")
          .WithLocation(loc);
    }
    *out += value;
  } else {
    StatusOr<std::string> builtin = ResolveBuiltin(name);
    if (builtin.ok()) {
      *out += *builtin;
    } else if (builtin.status().code() == Status::Code::kNotFound) {
      return Status::InvalidArgument("undefined variable ${" + name + "}").WithLocation(loc);
    } else {
      return builtin.status().WithLocation(loc);
    }
  }
  return Status::Ok();
}

std::vector<std::string> ReferencedNames(const std::string& text) {
  std::vector<std::string> names;
  WalkTemplate(
      text, [](std::string_view) {},
      [&](const std::string& name) {
        names.push_back(name);
        return true;
      });
  return names;
}

std::string RegexLiteral(std::string_view value) {
  static constexpr std::string_view kSpecial = "^$\\.*+?()[]{}|/";
  std::string out = "(?:";
  for (char c : value) {
    if (kSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out + ")";
}

std::string RegexWithPlaceholders(const std::string& text) {
  std::string out;
  WalkTemplate(
      text, [&](std::string_view piece) { out += piece; },
      [&](const std::string&) {
        out += "(?:x)";
        return true;
      });
  return out;
}

Status CheckTemplateSyntax(const std::string& text) {
  bool empty_name = false;
  bool closed = WalkTemplate(
      text, [](std::string_view) {},
      [&](const std::string& name) {
        empty_name = name.empty();
        return !empty_name;
      });
  if (empty_name) return Status::InvalidArgument("empty variable name \"${}\"");
  if (!closed) {
    return Status::InvalidArgument("unterminated \"${\" (close it with \"}\"; write \"$${\" for a literal \"${\")");
  }
  return Status::Ok();
}

}  // namespace onsmqtt::runner
