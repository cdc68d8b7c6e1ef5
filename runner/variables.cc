#include "runner/variables.h"

#include <cstdlib>

#include "contract/clock.h"
#include "contract/http_message.h"

namespace onsmqtt::runner {

namespace {

constexpr size_t kMaxRepeat = 1 << 20;
constexpr char kRepeatPrefix[] = "repeat:";

std::string LowerUuid() { return ToLower(NewRequestId()); }

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

Variables::Variables() : uuid_(LowerUuid()) {}

void Variables::Set(const std::string& name, const std::string& value, bool secret) {
  values_[name] = value;
  if (secret && !value.empty()) secrets_.insert(value);
}

bool Variables::Has(const std::string& name) const {
  if (values_.count(name) != 0) return true;
  if (name == "uuid") return true;
  if (name.rfind("env.", 0) == 0) return std::getenv(name.substr(4).c_str()) != nullptr;
  return ResolveBuiltin(name).ok();
}

StatusOr<std::string> ResolveBuiltin(const std::string& name) {
  if (name == "run.id") return ProcessRunId();
  if (name == "uuid") return LowerUuid();
  if (name == "timestamp") return FormatTimestamp(SystemClock::Instance().Now());
  if (name.rfind(kRepeatPrefix, 0) == 0) return Repeat(name);
  return Status::NotFound("\"" + name + "\" is not a built-in variable");
}

StatusOr<std::string> Variables::Resolve(const Template& t) const {
  std::string out;
  const std::string& text = t.text;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {
      out += text[i++];
      continue;
    }
    size_t end = text.find('}', i + 2);
    if (end == std::string::npos) {
      return Status::InvalidArgument("unterminated \"${\" in \"" + text + "\"").WithLocation(t.loc);
    }
    std::string name = text.substr(i + 2, end - i - 2);
    i = end + 1;
    if (auto it = values_.find(name); it != values_.end()) {
      out += it->second;
    } else if (name == "uuid") {
      out += uuid_;
    } else if (name.rfind("env.", 0) == 0) {
      const char* value = std::getenv(name.substr(4).c_str());
      if (value == nullptr) {
        return Status::InvalidArgument("${" + name + "}: environment variable " + name.substr(4) + " is not set")
            .WithLocation(t.loc);
      }
      out += value;
    } else {
      StatusOr<std::string> builtin = ResolveBuiltin(name);
      if (builtin.ok()) {
        out += *builtin;
      } else if (builtin.status().code() == Status::Code::kNotFound) {
        return Status::InvalidArgument("undefined variable ${" + name + "}").WithLocation(t.loc);
      } else {
        return builtin.status().WithLocation(t.loc);
      }
    }
  }
  return out;
}

std::vector<std::string> ReferencedNames(const std::string& text) {
  std::vector<std::string> names;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      i += 3;
    } else if (text.compare(i, 2, "${") == 0) {
      size_t end = text.find('}', i + 2);
      if (end == std::string::npos) break;
      names.push_back(text.substr(i + 2, end - i - 2));
      i = end + 1;
    } else {
      ++i;
    }
  }
  return names;
}

Status CheckTemplateSyntax(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      i += 3;
    } else if (text.compare(i, 2, "${") == 0) {
      size_t end = text.find('}', i + 2);
      if (end == std::string::npos) {
        return Status::InvalidArgument("unterminated \"${\" (close it with \"}\"; write \"$${\" for a literal \"${\")");
      }
      if (end == i + 2) return Status::InvalidArgument("empty variable name \"${}\"");
      i = end + 1;
    } else {
      ++i;
    }
  }
  return Status::Ok();
}

}  // namespace onsmqtt::runner
