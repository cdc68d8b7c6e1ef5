#include "runner/execute/xml_answer.h"

#include <string>

#include "contract/contract.h"

namespace onsmqtt::runner {
namespace {

constexpr int kMaxDepth = 64;
constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 sequence at in[i] (RFC 3629: no
// overlong forms, no surrogates, nothing beyond U+10FFFF), or 0.
size_t Utf8SequenceLength(std::string_view in, size_t i) {
  auto byte = [&](size_t k) { return i + k < in.size() ? static_cast<unsigned char>(in[i + k]) : 0u; };
  auto cont = [&](size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return byte(k) >= lo && byte(k) <= hi; };
  const unsigned b = byte(0);
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return cont(1) ? 2 : 0;
  if (b >= 0xE0 && b <= 0xEF) {
    const unsigned lo = b == 0xE0 ? 0xA0 : 0x80, hi = b == 0xED ? 0x9F : 0xBF;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    const unsigned lo = b == 0xF0 ? 0x90 : 0x80, hi = b == 0xF4 ? 0x8F : 0xBF;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

// `in` with every byte that does not start a well-formed UTF-8 sequence
// replaced by U+FFFD: JSON strings must be UTF-8 (nlohmann::json throws when
// printing anything else), and an answer's bytes are not to be trusted.
std::string ValidUtf8(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    size_t n = Utf8SequenceLength(in, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(in.substr(i, n));
      i += n;
    }
  }
  return out;
}

class XmlReader {
 public:
  explicit XmlReader(std::string_view text) : s_(text) {}

  // Skips the declaration, comments, processing instructions and DOCTYPE.
  void SkipMisc() {
    while (true) {
      SkipSpace();
      if (Starts("<?")) {
        SkipPast("?>");
      } else if (Starts("<!--")) {
        SkipPast("-->");
      } else if (Starts("<!")) {
        SkipPast(">");
      } else {
        return;
      }
    }
  }

  // Parses one element at the cursor; `name` receives its name.
  std::optional<nlohmann::json> Element(std::string* name, int depth) {
    if (depth > kMaxDepth || !Starts("<")) return std::nullopt;
    ++pos_;
    *name = Name();
    if (name->empty()) return std::nullopt;
    size_t close = s_.find('>', pos_);
    if (close == std::string_view::npos) return std::nullopt;
    bool empty_element = s_[close - 1] == '/';
    pos_ = close + 1;
    if (empty_element) return nlohmann::json("");
    nlohmann::json object = nlohmann::json::object();
    std::string text;
    bool has_children = false;
    while (pos_ < s_.size()) {
      if (Starts("</")) {
        pos_ += 2;
        if (Name() != *name) return std::nullopt;
        size_t gt = s_.find('>', pos_);
        if (gt == std::string_view::npos) return std::nullopt;
        pos_ = gt + 1;
        return has_children ? object : nlohmann::json(text);
      }
      if (Starts("<!--") || Starts("<?")) {
        SkipPast(Starts("<!--") ? "-->" : "?>");
      } else if (Starts("<![CDATA[")) {
        size_t end = s_.find("]]>", pos_);
        if (end == std::string_view::npos) return std::nullopt;
        text += ValidUtf8(s_.substr(pos_ + 9, end - pos_ - 9));
        pos_ = end + 3;
      } else if (Starts("<")) {
        std::string child_name;
        auto child = Element(&child_name, depth + 1);
        if (!child) return std::nullopt;
        has_children = true;
        Add(&object, child_name, std::move(*child));
      } else {
        size_t lt = s_.find('<', pos_);
        if (lt == std::string_view::npos) return std::nullopt;
        text += Decode(ValidUtf8(s_.substr(pos_, lt - pos_)));
        pos_ = lt;
      }
    }
    return std::nullopt;
  }

 private:
  static void Add(nlohmann::json* object, const std::string& name, nlohmann::json value) {
    if (!object->contains(name)) {
      (*object)[name] = std::move(value);
      return;
    }
    nlohmann::json& existing = (*object)[name];
    if (!existing.is_array()) existing = nlohmann::json::array({existing});
    existing.push_back(std::move(value));
  }

  static std::string Decode(std::string_view in) {
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
      if (in[i] != '&') {
        out += in[i];
        continue;
      }
      size_t semi = in.find(';', i);
      if (semi == std::string_view::npos) {
        out.append(in.substr(i));  // no entity can end later either
        break;
      }
      std::string_view ent = in.substr(i + 1, semi - i - 1);
      if (ent == "amp")
        out += '&';
      else if (ent == "lt")
        out += '<';
      else if (ent == "gt")
        out += '>';
      else if (ent == "quot")
        out += '"';
      else if (ent == "apos")
        out += '\'';
      else if (!ent.empty() && ent[0] == '#')
        AppendCodePoint(ent.substr(1), &out);
      else
        out += "&" + std::string(ent) + ";";
      i = semi;
    }
    return out;
  }

  static void AppendCodePoint(std::string_view digits, std::string* out) {
    unsigned long cp = 0;
    try {
      cp = digits.size() > 1 && (digits[0] == 'x' || digits[0] == 'X')
               ? std::stoul(std::string(digits.substr(1)), nullptr, 16)
               : std::stoul(std::string(digits), nullptr, 10);
    } catch (...) {
      return;
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp >= 0x110000) {
      *out += kReplacement;  // a surrogate or beyond Unicode: not a character
    } else if (cp < 0x80) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *out += static_cast<char>(0xC0 | (cp >> 6));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xE0 | (cp >> 12));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | (cp >> 18));
      *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string Name() {
    size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != '>' && s_[pos_] != '/' && s_[pos_] != ' ' && s_[pos_] != '\t' &&
           s_[pos_] != '\n' && s_[pos_] != '\r') {
      ++pos_;
    }
    return ValidUtf8(s_.substr(start, pos_ - start));
  }
  bool Starts(std::string_view p) const { return s_.substr(pos_, p.size()) == p; }
  void SkipPast(std::string_view end) {
    size_t e = s_.find(end, pos_);
    pos_ = e == std::string_view::npos ? s_.size() : e + end.size();
  }
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) ++pos_;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

void ApplyFields(const std::vector<FieldSpec>& fields, nlohmann::json* object);

// `value` as the contract's `field` says (see xml_answer.h).
void ApplyField(const FieldSpec& field, nlohmann::json* value) {
  switch (field.type) {
    case JsonType::kArray:
      if (value->is_string() && value->get_ref<const std::string&>().empty()) {
        *value = nlohmann::json::array();
      } else if (!value->is_array()) {
        *value = nlohmann::json::array({std::move(*value)});
      }
      for (nlohmann::json& item : *value) {
        if (!field.fields.empty() && item.is_string() && item.get_ref<const std::string&>().empty()) {
          item = nlohmann::json::object();
        }
        if (item.is_object()) ApplyFields(field.fields, &item);
      }
      break;
    case JsonType::kObject:
      if (value->is_string() && value->get_ref<const std::string&>().empty()) *value = nlohmann::json::object();
      if (value->is_object()) ApplyFields(field.fields, value);
      break;
    case JsonType::kNumber:
      if (value->is_string()) {
        nlohmann::json n = nlohmann::json::parse(value->get_ref<const std::string&>(), nullptr, false);
        if (n.is_number()) *value = std::move(n);
      }
      break;
    case JsonType::kBoolean:
      if (*value == "true" || *value == "false") *value = *value == "true";
      break;
    case JsonType::kString:
      break;
  }
}

void ApplyFields(const std::vector<FieldSpec>& fields, nlohmann::json* object) {
  for (const FieldSpec& field : fields) {
    auto it = object->find(field.name);
    if (it != object->end()) {
      ApplyField(field, &*it);
    } else if (field.type == JsonType::kArray) {
      (*object)[field.name] = nlohmann::json::array();  // an empty list writes no element
    }
  }
}

}  // namespace

std::optional<nlohmann::json> XmlToJson(std::string_view text, const std::vector<FieldSpec>& response) {
  std::optional<nlohmann::json> j = XmlToJson(text);
  if (j && j->is_object()) ApplyFields(response, &*j);
  return j;
}

std::optional<nlohmann::json> XmlAnswerToJson(std::string_view text, const Contract& contract) {
  static constexpr std::string_view kSuffix = "Response";
  std::string root = XmlRootName(text);
  if (root.size() > kSuffix.size() && root.compare(root.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
    if (const OperationSpec* op = contract.FindOperation(root.substr(0, root.size() - kSuffix.size()))) {
      return XmlToJson(text, op->response);
    }
  }
  return XmlToJson(text);
}

std::optional<nlohmann::json> XmlToJson(std::string_view text) {
  XmlReader reader(text);
  reader.SkipMisc();
  std::string root;
  auto value = reader.Element(&root, 0);
  if (!value) return std::nullopt;
  if (value->is_string()) return nlohmann::json::object();  // a root without children
  return value;
}

std::string XmlRootName(std::string_view text) {
  XmlReader reader(text);
  reader.SkipMisc();
  std::string root;
  if (!reader.Element(&root, 0)) return "";
  return root;
}

}  // namespace onsmqtt::runner
