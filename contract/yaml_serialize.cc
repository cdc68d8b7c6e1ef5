// yaml::Serialize and yaml::Deserialize (declared in yaml_tree.h).
//
// Layout: the magic "OYT1", a 4-byte little-endian FNV-1a checksum of the
// payload, then the payload: the root node and nothing after it.
//   node := tag line column body     (line, column, lengths, counts: LEB128)
//   tag  := kind, | 4 when the scalar was quoted
//   body := null: nothing | scalar: length, bytes | sequence: count, items |
//           map: count, then key and value nodes in turn
#include <cstdint>
#include <limits>
#include <string>

#include "contract/yaml_tree.h"

namespace onsmqtt::yaml {

namespace {

constexpr std::string_view kMagic = "OYT1";
constexpr size_t kHeaderBytes = kMagic.size() + 4;
constexpr uint8_t kKindMask = 3;
constexpr uint8_t kQuotedBit = 4;
static_assert(static_cast<uint8_t>(Kind::kMap) == kKindMask, "every Kind must fit in the tag's kind bits");
// The smallest node: a tag and two one-byte varints.
constexpr uint64_t kMinNodeBytes = 3;
// Deeper nesting is garbage, not YAML anyone writes; the limit keeps the
// recursion off the end of the stack.
constexpr int kMaxDepth = 1000;
constexpr uint64_t kMaxPosition = std::numeric_limits<int>::max();

// FNV-1a: every step is a bijection of the state, so changing any single byte
// always changes the result. Every flipped byte is caught, not just most.
uint32_t Checksum(std::string_view bytes) {
  uint32_t h = 2166136261u;
  for (char c : bytes) h = (h ^ static_cast<uint8_t>(c)) * 16777619u;
  return h;
}

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutNode(const Node& node, std::string* out) {
  uint8_t tag = static_cast<uint8_t>(node.kind);
  if (node.is_scalar() && node.quoted) tag |= kQuotedBit;
  out->push_back(static_cast<char>(tag));
  PutVarint(static_cast<uint64_t>(node.loc.line), out);
  PutVarint(static_cast<uint64_t>(node.loc.column), out);
  switch (node.kind) {
    case Kind::kNull:
      return;
    case Kind::kScalar:
      PutVarint(node.scalar.size(), out);
      out->append(node.scalar);
      return;
    case Kind::kSequence:
      PutVarint(node.items.size(), out);
      for (const Node& item : node.items) PutNode(item, out);
      return;
    case Kind::kMap:
      PutVarint(node.entries.size(), out);
      for (const auto& [key, value] : node.entries) {
        PutNode(key, out);
        PutNode(value, out);
      }
      return;
  }
}

class Reader {
 public:
  Reader(std::string_view bytes, const std::string& file) : bytes_(bytes), file_(file) {}

  Status ReadHeader();
  Status ReadNode(int depth, Node* out);
  // Ok when every byte has been read.
  Status ReadEnd() const;

 private:
  Status Corrupt(size_t at, const std::string& why) const {
    return Status::InvalidArgument("serialized YAML tree of \"" + file_ + "\" is corrupt at byte " +
                                   std::to_string(at) + ": " + why);
  }
  Status ReadVarint(const char* what, uint64_t* out);
  Status ReadPosition(const char* what, int* out);
  // A count of children of `nodes_per_child` nodes each.
  Status ReadCount(uint64_t nodes_per_child, uint64_t* out);

  std::string_view bytes_;
  const std::string& file_;
  size_t pos_ = 0;
  // Nodes announced by counts and not read yet. Each takes kMinNodeBytes, so
  // all of them must fit in the bytes left: that bounds every resize() by the
  // input's size, whatever a garbled count says.
  uint64_t pending_ = 1;  // the root
};

Status Reader::ReadHeader() {
  if (bytes_.size() < kHeaderBytes) return Corrupt(bytes_.size(), "shorter than the 8-byte header");
  if (bytes_.substr(0, kMagic.size()) != kMagic) return Corrupt(0, "no \"OYT1\" magic");
  uint32_t stored = 0;
  for (size_t i = 0; i < 4; ++i) stored |= uint32_t{static_cast<uint8_t>(bytes_[kMagic.size() + i])} << (8 * i);
  if (stored != Checksum(bytes_.substr(kHeaderBytes))) return Corrupt(kMagic.size(), "checksum mismatch");
  pos_ = kHeaderBytes;
  return Status::Ok();
}

Status Reader::ReadVarint(const char* what, uint64_t* out) {
  size_t at = pos_;
  uint64_t v = 0;
  // Nine bytes carry 63 bits: no value below can overflow.
  for (int shift = 0; shift <= 56; shift += 7) {
    if (pos_ == bytes_.size()) return Corrupt(at, std::string(what) + " is cut off");
    uint8_t b = static_cast<uint8_t>(bytes_[pos_++]);
    v |= uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) {
      *out = v;
      return Status::Ok();
    }
  }
  return Corrupt(at, std::string(what) + " is longer than 9 bytes");
}

Status Reader::ReadPosition(const char* what, int* out) {
  size_t at = pos_;
  uint64_t v = 0;
  RETURN_IF_ERROR(ReadVarint(what, &v));
  if (v > kMaxPosition) return Corrupt(at, std::string(what) + " " + std::to_string(v) + " is out of range");
  *out = static_cast<int>(v);
  return Status::Ok();
}

Status Reader::ReadCount(uint64_t nodes_per_child, uint64_t* out) {
  size_t at = pos_;
  RETURN_IF_ERROR(ReadVarint("count", out));
  uint64_t room = (bytes_.size() - pos_) / kMinNodeBytes;
  if (*out > room / nodes_per_child || pending_ + *out * nodes_per_child > room) {
    return Corrupt(at, "count " + std::to_string(*out) + " is more than the bytes left can hold");
  }
  pending_ += *out * nodes_per_child;
  return Status::Ok();
}

Status Reader::ReadNode(int depth, Node* out) {
  size_t at = pos_;
  if (depth > kMaxDepth) return Corrupt(at, "nested deeper than " + std::to_string(kMaxDepth) + " levels");
  if (pos_ == bytes_.size()) return Corrupt(at, "node is cut off");
  --pending_;
  uint8_t tag = static_cast<uint8_t>(bytes_[pos_++]);
  if ((tag & ~(kKindMask | kQuotedBit)) != 0) return Corrupt(at, "unknown node tag " + std::to_string(tag));
  out->kind = static_cast<Kind>(tag & kKindMask);
  out->quoted = (tag & kQuotedBit) != 0;
  if (out->quoted && !out->is_scalar()) return Corrupt(at, "only a scalar can be quoted");
  out->loc.file = file_;
  RETURN_IF_ERROR(ReadPosition("line", &out->loc.line));
  RETURN_IF_ERROR(ReadPosition("column", &out->loc.column));
  switch (out->kind) {
    case Kind::kNull:
      return Status::Ok();
    case Kind::kScalar: {
      size_t length_at = pos_;
      uint64_t length = 0;
      RETURN_IF_ERROR(ReadVarint("scalar length", &length));
      if (length > bytes_.size() - pos_) {
        return Corrupt(length_at, "scalar of " + std::to_string(length) + " bytes is cut off");
      }
      out->scalar.assign(bytes_.data() + pos_, length);
      pos_ += length;
      return Status::Ok();
    }
    case Kind::kSequence: {
      uint64_t count = 0;
      RETURN_IF_ERROR(ReadCount(1, &count));
      out->items.resize(count);
      for (Node& item : out->items) RETURN_IF_ERROR(ReadNode(depth + 1, &item));
      return Status::Ok();
    }
    case Kind::kMap: {
      uint64_t count = 0;
      RETURN_IF_ERROR(ReadCount(2, &count));
      out->entries.resize(count);
      for (auto& [key, value] : out->entries) {
        size_t key_at = pos_;
        RETURN_IF_ERROR(ReadNode(depth + 1, &key));
        // Loaders read keys as text; Parse refuses any other key.
        if (!key.is_scalar()) return Corrupt(key_at, std::string("map key is ") + key.KindName());
        RETURN_IF_ERROR(ReadNode(depth + 1, &value));
      }
      return Status::Ok();
    }
  }
  return Corrupt(at, "unknown node kind");
}

Status Reader::ReadEnd() const {
  if (pos_ != bytes_.size()) return Corrupt(pos_, "trailing bytes after the root node");
  return Status::Ok();
}

}  // namespace

std::string Serialize(const Node& root) {
  std::string out(kMagic);
  out.append(4, '\0');  // the checksum, once the payload is known
  PutNode(root, &out);
  uint32_t sum = Checksum(std::string_view(out).substr(kHeaderBytes));
  for (size_t i = 0; i < 4; ++i) out[kMagic.size() + i] = static_cast<char>(sum >> (8 * i));
  return out;
}

StatusOr<Node> Deserialize(std::string_view bytes, const std::string& file) {
  Reader reader(bytes, file);
  RETURN_IF_ERROR(reader.ReadHeader());
  Node root;
  RETURN_IF_ERROR(reader.ReadNode(0, &root));
  RETURN_IF_ERROR(reader.ReadEnd());
  return root;
}

}  // namespace onsmqtt::yaml
