#include "contract/yaml_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "contract/suggest.h"

namespace onsmqtt::yaml {

const Node* Node::Find(std::string_view key) const {
  if (kind != Kind::kMap) return nullptr;
  for (const auto& [k, v] : entries) {
    if (k.is_scalar() && k.scalar == key) return &v;
  }
  return nullptr;
}

const char* Node::KindName() const {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kScalar:
      return "a scalar";
    case Kind::kSequence:
      return "a list";
    case Kind::kMap:
      return "a map";
  }
  return "?";
}

StatusOr<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  // POSIX rather than iostreams: a fixture reads a few dozen PEM files at
  // start-up, and a stream per file cost more than the reading.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::NotFound("cannot open \"" + path + "\": " + std::strerror(errno));
  std::string out;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::IoError("cannot read \"" + path + "\": it is a directory");
  }
  if (st.st_size > 0) out.reserve(std::min(static_cast<size_t>(st.st_size), max_bytes + 1));
  char buf[16384];
  for (;;) {
    if (out.size() > max_bytes) {
      ::close(fd);
      return Status::ParseError(SourceLocation{path, 1, 1}, "the file is larger than " + std::to_string(max_bytes) +
                                                                " bytes, the limit for an input file");
    }
    ssize_t n = ::read(fd, buf, std::min(sizeof buf, max_bytes + 1 - out.size()));
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      return Status::IoError("cannot read \"" + path + "\": " + why);
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

StatusOr<Node> ParseFile(const std::string& path, std::string* text) {
  StatusOr<std::string> content = ReadFile(path);
  if (!content.ok()) return content.status();
  if (text != nullptr) *text = *content;
  return Parse(*content, path);
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string nearest = NearestName(word, candidates);
  return nearest.empty() ? "" : "did you mean \"" + nearest + "\"?";
}

StatusOr<std::string> AsString(const Node& node, std::string_view what) {
  if (!node.is_scalar()) {
    return Status::ParseError(node.loc, std::string(what) + " must be a string, got " + node.KindName());
  }
  return node.scalar;
}

StatusOr<int64_t> AsInt(const Node& node, std::string_view what) {
  if (!node.is_scalar() || node.quoted || node.scalar.empty()) {
    return Status::ParseError(node.loc, std::string(what) + " must be an integer, got " +
                                            (node.is_scalar() ? "\"" + node.scalar + "\"" : node.KindName()));
  }
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(node.scalar.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') {
    return Status::ParseError(node.loc, std::string(what) + " must be an integer, got \"" + node.scalar + "\"");
  }
  return static_cast<int64_t>(v);
}

StatusOr<double> AsDouble(const Node& node, std::string_view what) {
  if (!node.is_scalar() || node.quoted || node.scalar.empty()) {
    return Status::ParseError(node.loc, std::string(what) + " must be a number, got " +
                                            (node.is_scalar() ? "\"" + node.scalar + "\"" : node.KindName()));
  }
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(node.scalar.c_str(), &end);
  if (errno != 0 || *end != '\0') {
    return Status::ParseError(node.loc, std::string(what) + " must be a number, got \"" + node.scalar + "\"");
  }
  return v;
}

StatusOr<bool> AsBool(const Node& node, std::string_view what) {
  if (node.is_scalar() && !node.quoted) {
    if (node.scalar == "true") return true;
    if (node.scalar == "false") return false;
  }
  return Status::ParseError(node.loc, std::string(what) + " must be true or false, got " +
                                          (node.is_scalar() ? "\"" + node.scalar + "\"" : node.KindName()));
}

StatusOr<std::vector<std::string>> AsStringList(const Node& node, std::string_view what) {
  if (!node.is_sequence()) {
    return Status::ParseError(node.loc, std::string(what) + " must be a list, got " + node.KindName());
  }
  std::vector<std::string> out;
  for (const auto& item : node.items) {
    StatusOr<std::string> s = AsString(item, std::string(what) + " item");
    if (!s.ok()) return s.status();
    out.push_back(*s);
  }
  return out;
}

MapReader::MapReader(const Node& node, std::string what) : node_(node), what_(std::move(what)) {
  if (!node_.is_map()) {
    status_ = Status::ParseError(node_.loc, what_ + " must be a map, got " + node_.KindName());
  }
}

const Node* MapReader::Optional(std::string_view key) {
  known_.emplace_back(key);
  return node_.Find(key);
}

const Node* MapReader::Required(std::string_view key) {
  const Node* found = Optional(key);
  if (found == nullptr) missing_.emplace_back(key);
  return found;
}

Status MapReader::Finish() {
  if (!status_.ok() || !node_.is_map()) return status_;
  for (const auto& [key, value] : node_.entries) {
    if (std::find(known_.begin(), known_.end(), key.scalar) != known_.end()) continue;
    std::string msg = "unknown key \"" + key.scalar + "\" in " + what_;
    std::string hint = DidYouMean(key.scalar, known_);
    if (!hint.empty()) {
      msg += "; " + hint;
    } else {
      msg += " (expected one of:";
      for (const auto& k : known_) msg += " " + k;
      msg += ")";
    }
    status_ = Status::ParseError(key.loc, msg);
    return status_;
  }
  if (!missing_.empty()) {
    status_ = Status::ParseError(node_.loc, "missing required key \"" + missing_.front() + "\" in " + what_);
  }
  return status_;
}

}  // namespace onsmqtt::yaml
