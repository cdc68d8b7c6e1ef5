// The binary form of YAML trees (contract/yaml_serialize.cc) fed garbled
// bytes: yaml::Deserialize must answer kInvalidArgument or a tree, never
// crash, and a tree it accepts must serialize to bytes that read back the
// same. Seeds: fuzz_seeds yaml-binary (fuzz/README.md).
//
// Each input is read twice: as given (the header and checksum checks), and
// with the checksum recomputed when it starts with the magic, so that
// mutations reach the node reader instead of stopping at the checksum.
#include <cstdint>
#include <string>

#include "contract/yaml_tree.h"
#include "fuzz/fuzz_util.h"

namespace {

// The layout's header: "OYT1", then FNV-1a of the payload, little-endian.
std::string WithChecksum(std::string bytes) {
  if (bytes.size() < 8 || bytes.compare(0, 4, "OYT1") != 0) return bytes;
  uint32_t h = 2166136261u;
  for (size_t i = 8; i < bytes.size(); ++i) h = (h ^ static_cast<uint8_t>(bytes[i])) * 16777619u;
  for (int i = 0; i < 4; ++i) bytes[4 + i] = static_cast<char>((h >> (8 * i)) & 0xff);
  return bytes;
}

void Check(std::string_view bytes) {
  onsmqtt::StatusOr<onsmqtt::yaml::Node> tree = onsmqtt::yaml::Deserialize(bytes, "f");
  if (!tree.ok()) {
    onsmqtt::fuzz::CheckError(tree.status(), "Deserialize");
    return;
  }
  const std::string again = onsmqtt::yaml::Serialize(*tree);
  onsmqtt::StatusOr<onsmqtt::yaml::Node> back = onsmqtt::yaml::Deserialize(again, "f");
  if (!back.ok()) onsmqtt::fuzz::Fail("a re-serialized tree does not read back: " + back.status().ToString());
  if (!onsmqtt::fuzz::SameTree(*tree, *back)) onsmqtt::fuzz::Fail("the tree changed on a round trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view raw = onsmqtt::fuzz::Bytes(data, size);
  Check(raw);
  std::string fixed = WithChecksum(std::string(raw));
  if (fixed != raw) Check(fixed);
  return 0;
}
