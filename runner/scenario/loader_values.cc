// Scalars, values, templates and matchers of scenario files.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <regex>

#include "runner/scenario/loader_internal.h"
#include "runner/scenario/variables.h"

namespace onsmqtt::runner::internal {

namespace {

bool LooksLikeNumber(const std::string& s) {
  static const std::regex kNumber(R"(-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)");
  return std::regex_match(s, kNumber);
}

const std::vector<std::string>& TypeNames() {
  static const std::vector<std::string> names = {"string", "number", "boolean", "object", "array", "null"};
  return names;
}

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string Joined(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

}  // namespace

KeyReader::KeyReader(const yaml::Node& node, std::string what, std::span<const keys::Key> table)
    : reader_(node, std::move(what)), table_(table) {
  for (const keys::Key& key : table_)
    found_.push_back(key.required ? reader_.Required(key.name) : reader_.Optional(key.name));
}

const yaml::Node* KeyReader::Get(std::string_view key) const {
  for (size_t i = 0; i < table_.size(); ++i) {
    if (table_[i].name == key) return found_[i];
  }
  std::fprintf(stderr, "internal error: the loader asked for key \"%.*s\", which its table lacks\n",
               static_cast<int>(key.size()), key.data());
  std::abort();
}

std::vector<std::string> KeyNames(std::span<const keys::Key> table) {
  std::vector<std::string> names;
  for (const keys::Key& key : table) names.emplace_back(key.name);
  return names;
}

std::optional<std::string> ReadString(const yaml::Node& node, const std::string& what, LoadContext* ctx) {
  if (!node.is_scalar()) {
    ctx->Error(node.loc, what + " must be a string, got " + node.KindName());
    return std::nullopt;
  }
  return node.scalar;
}

std::optional<int64_t> ReadInt(const yaml::Node& node, const std::string& what, int64_t min, int64_t max,
                               LoadContext* ctx) {
  StatusOr<int64_t> v = yaml::AsInt(node, what);
  if (!v.ok()) {
    ctx->Error(v.status());
    return std::nullopt;
  }
  if (*v < min || *v > max) {
    ctx->Error(node.loc, what + " must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                             std::to_string(*v));
    return std::nullopt;
  }
  return *v;
}

std::optional<bool> ReadBool(const yaml::Node& node, const std::string& what, LoadContext* ctx) {
  StatusOr<bool> v = yaml::AsBool(node, what);
  if (!v.ok()) {
    ctx->Error(v.status());
    return std::nullopt;
  }
  return *v;
}

std::optional<size_t> ReadChoice(const yaml::Node& node, const std::string& what,
                                 const std::vector<std::string>& choices, LoadContext* ctx) {
  std::optional<std::string> s = ReadString(node, what, ctx);
  if (!s.has_value()) return std::nullopt;
  for (size_t i = 0; i < choices.size(); ++i) {
    if (choices[i] == *s) return i;
  }
  std::string msg = what + " must be one of";
  for (const auto& c : choices) msg += " " + c;
  msg += ", got " + Quote(*s);
  std::string hint = yaml::DidYouMean(*s, choices);
  if (!hint.empty()) msg += "; " + hint;
  ctx->Error(node.loc, msg);
  return std::nullopt;
}

std::optional<Template> ReadTemplate(const yaml::Node& node, const std::string& what, LoadContext* ctx) {
  if (!node.is_scalar()) {
    std::string hint = node.is_null() ? " (write \"\" for an empty value)" : "";
    ctx->Error(node.loc, what + " must be a string, got " + node.KindName() + hint);
    return std::nullopt;
  }
  ctx->CheckTemplate(node.scalar, node.loc);
  return Template{node.scalar, node.loc};
}

Value ReadValue(const yaml::Node& node, LoadContext* ctx) {
  Value v;
  v.loc = node.loc;
  switch (node.kind) {
    case yaml::Kind::kNull:
      v.type = Value::Type::kNull;
      break;
    case yaml::Kind::kScalar:
      v.text = node.scalar;
      if (!node.quoted && (node.scalar == "true" || node.scalar == "false")) {
        v.type = Value::Type::kBoolean;
      } else if (!node.quoted && LooksLikeNumber(node.scalar)) {
        v.type = Value::Type::kNumber;
      } else {
        v.type = Value::Type::kString;
        ctx->CheckTemplate(node.scalar, node.loc);
      }
      break;
    case yaml::Kind::kSequence:
      v.type = Value::Type::kArray;
      for (const auto& item : node.items) v.items.push_back(ReadValue(item, ctx));
      break;
    case yaml::Kind::kMap:
      v.type = Value::Type::kObject;
      for (const auto& [key, value] : node.entries) v.members.push_back({key.scalar, ReadValue(value, ctx)});
      break;
  }
  return v;
}

namespace {

bool ReadMatcherArgument(const std::string& kind, const yaml::Node& arg, const std::string& what, Matcher* m,
                         LoadContext* ctx) {
  if (kind == "equals") {
    m->kind = MatcherKind::kEquals;
    m->value = ReadValue(arg, ctx);
  } else if (kind == "regex") {
    m->kind = MatcherKind::kRegex;
    std::optional<Template> t = ReadTemplate(arg, what + " regex", ctx);
    if (!t.has_value()) return false;
    // Values are substituted as literals (RegexLiteral), so a placeholder
    // checks the pattern around them; the values are checked at run time.
    const bool templated = !ReferencedNames(t->text).empty();
    try {
      std::regex check(RegexWithPlaceholders(t->text), std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      ctx->Error(arg.loc, what + ": invalid regular expression " + Quote(t->text) + ": " + e.what() +
                              (templated ? " (each ${...} stands for its value, matched literally)" : ""));
      return false;
    }
    m->value = Value{Value::Type::kString, t->text, {}, {}, arg.loc};
  } else if (kind == "type") {
    std::optional<size_t> i = ReadChoice(arg, what + " type", TypeNames(), ctx);
    if (!i.has_value()) return false;
    m->kind = MatcherKind::kType;
    m->value = Value{Value::Type::kString, TypeNames()[*i], {}, {}, arg.loc};
  } else if (kind == "format") {
    if (!ReadChoice(arg, what + " format", {"request_id"}, ctx).has_value()) return false;
    m->kind = MatcherKind::kRequestIdFormat;
  } else if (kind == "absent" || kind == "present") {
    std::optional<bool> b = ReadBool(arg, what + " " + kind, ctx);
    if (!b.has_value()) return false;
    if (!*b) {
      ctx->Error(arg.loc, what + ": write {" + kind + ": true}; the opposite is {" +
                              (kind == "absent" ? "present" : "absent") + ": true}");
      return false;
    }
    m->kind = kind == "absent" ? MatcherKind::kAbsent : MatcherKind::kPresent;
  } else if (kind == "one_of") {
    if (!arg.is_sequence() || arg.items.empty()) {
      ctx->Error(arg.loc, what + " one_of must be a non-empty list, got " + arg.KindName());
      return false;
    }
    m->kind = MatcherKind::kOneOf;
    m->value = ReadValue(arg, ctx);
  } else {  // contains
    m->kind = MatcherKind::kContains;
    if (!arg.is_scalar()) {
      ctx->Error(arg.loc, what + " contains must be a string, got " + arg.KindName());
      return false;
    }
    m->value = ReadValue(arg, ctx);
  }
  return true;
}

}  // namespace

std::optional<Matcher> ReadMatcher(const yaml::Node& node, const std::string& what, LoadContext* ctx) {
  Matcher m;
  m.loc = node.loc;
  if (!node.is_map()) {
    m.kind = MatcherKind::kEquals;
    m.value = ReadValue(node, ctx);
    return m;
  }
  const std::vector<std::string> kinds = KeyNames(keys::kMatcher);
  if (node.entries.size() != 1) {
    ctx->Error(node.loc, what + ": a matcher is a map with exactly one key (" + Joined(kinds, ", ") +
                             "); to compare with an object write {equals: {...}}");
    return std::nullopt;
  }
  const auto& [key, arg] = node.entries.front();
  if (std::find(kinds.begin(), kinds.end(), key.scalar) == kinds.end()) {
    std::string msg = what + ": unknown matcher " + Quote(key.scalar);
    std::string hint = yaml::DidYouMean(key.scalar, kinds);
    msg += hint.empty() ? " (expected one of: " + Joined(kinds, " ") + ")" : "; " + hint;
    ctx->Error(key.loc, msg);
    return std::nullopt;
  }
  if (!ReadMatcherArgument(key.scalar, arg, what, &m, ctx)) return std::nullopt;
  return m;
}

void LoadContext::Error(const SourceLocation& loc, const std::string& message) {
  errors_->push_back(Diagnostic{loc, message, RenderDiagnostic(loc, message, source_)});
}

void LoadContext::Error(const Status& status) {
  if (status.ok()) return;
  Error(status.location().value_or(SourceLocation{}), status.message());
}

SourceLocation LoadContext::PointAt(const SourceLocation& loc, const std::string& needle) const {
  if (!loc.known()) return loc;
  size_t start = 0;
  for (int line = 1; line < loc.line; ++line) {
    start = source_.find('\n', start);
    if (start == std::string::npos) return loc;
    ++start;
  }
  size_t end = source_.find('\n', start);
  std::string text = source_.substr(start, end == std::string::npos ? std::string::npos : end - start);
  size_t at = text.find(needle, static_cast<size_t>(loc.column > 0 ? loc.column - 1 : 0));
  if (at == std::string::npos) return loc;
  SourceLocation out = loc;
  out.column = static_cast<int>(at) + 1;
  return out;
}

void LoadContext::UseFixture(const std::string& fixture, const SourceLocation& loc) {
  if (fixture.empty() || !options_.fixture_variables) {
    known_ = &options_.known_variables;
    return;
  }
  auto it = fixtures_->find(fixture);
  if (it == fixtures_->end()) it = fixtures_->emplace(fixture, options_.fixture_variables(fixture)).first;
  if (it->second.ok()) {
    known_ = &*it->second;
    return;
  }
  known_ = nullptr;
  if (reported_fixtures_.insert(fixture).second) {
    const Status& s = it->second.status();
    Error(loc, "fixture " + Quote(fixture) +
                   " does not load: " + (s.location() ? s.location()->ToString() + ": " : "") + s.message());
  }
}

void LoadContext::CheckTemplate(const std::string& text, const SourceLocation& loc) {
  if (Status s = CheckTemplateSyntax(text); !s.ok()) {
    Error(PointAt(loc, "${"), s.message());
    return;
  }
  if (!check_variables()) return;
  auto is_set = [this](const std::string& n) { return known_->count(n) != 0 || captures_.count(n) != 0; };
  for (const std::string& name : ReferencedNames(text)) {
    VariableSource source = SourceOf(name, is_set);
    if (source == VariableSource::kSet || source == VariableSource::kEnvironment) continue;
    SourceLocation at = PointAt(loc, "${" + name + "}");
    if (source == VariableSource::kBuiltin) {
      // A malformed ${repeat:...} says how to write it.
      if (StatusOr<std::string> builtin = ResolveBuiltin(name); !builtin.ok()) Error(at, builtin.status().message());
      continue;
    }
    std::vector<std::string> candidates(known_->begin(), known_->end());
    candidates.insert(candidates.end(), captures_.begin(), captures_.end());
    candidates.insert(candidates.end(), BuiltinVariableNames().begin(), BuiltinVariableNames().end());
    std::string msg = "undefined variable ${" + name + "}";
    std::string hint = yaml::DidYouMean(name, candidates);
    if (!hint.empty()) {
      msg += "; " + hint;
    } else {
      msg += " (not a variable of the target, a capture of an earlier step, a built-in or env.NAME)";
    }
    Error(at, msg);
  }
}

}  // namespace onsmqtt::runner::internal
