// The contract's YAML tree (contract/yaml_tree.h): yaml::Parse on any text,
// then the invariants the loaders rely on:
//   - Serialize/Deserialize give the same tree back (the build-time cache);
//   - ParseCached gives the same answer as Parse;
//   - the positioned conversions and MapReader never crash and always
//     explain an error.
#include <cstdint>
#include <string>

#include "contract/yaml_cache.h"
#include "contract/yaml_tree.h"
#include "fuzz/fuzz_util.h"

namespace {

using onsmqtt::yaml::Node;

void Convert(const Node& n, int* budget) {
  if (--*budget < 0) return;
  using onsmqtt::fuzz::CheckError;
  CheckError(onsmqtt::yaml::AsString(n, "value").status(), "AsString");
  CheckError(onsmqtt::yaml::AsInt(n, "value").status(), "AsInt");
  CheckError(onsmqtt::yaml::AsDouble(n, "value").status(), "AsDouble");
  CheckError(onsmqtt::yaml::AsBool(n, "value").status(), "AsBool");
  CheckError(onsmqtt::yaml::AsStringList(n, "value").status(), "AsStringList");
  if (n.is_map()) {
    onsmqtt::yaml::MapReader r(n, "map");
    r.Optional("name");
    r.Required("steps");
    CheckError(r.Finish(), "MapReader");
    n.Find("name");
  }
  for (const Node& item : n.items) Convert(item, budget);
  for (const auto& [k, v] : n.entries) {
    Convert(k, budget);
    Convert(v, budget);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(onsmqtt::fuzz::Bytes(data, size));
  onsmqtt::StatusOr<Node> tree = onsmqtt::yaml::Parse(text, "fuzz.yaml");
  onsmqtt::StatusOr<Node> cached = onsmqtt::yaml::ParseCached(text, "fuzz.yaml");
  if (tree.ok() != cached.ok()) onsmqtt::fuzz::Fail("Parse and ParseCached disagree");
  if (!tree.ok()) {
    onsmqtt::fuzz::CheckError(tree.status(), "Parse");
    if (tree.status().ToString() != cached.status().ToString()) onsmqtt::fuzz::Fail("different errors");
    return 0;
  }
  if (!onsmqtt::fuzz::SameTree(*tree, *cached)) onsmqtt::fuzz::Fail("ParseCached gives another tree");
  const std::string bytes = onsmqtt::yaml::Serialize(*tree);
  onsmqtt::StatusOr<Node> back = onsmqtt::yaml::Deserialize(bytes, "fuzz.yaml");
  if (!back.ok()) onsmqtt::fuzz::Fail("Deserialize(Serialize(tree)) failed: " + back.status().ToString());
  if (!onsmqtt::fuzz::SameTree(*tree, *back)) onsmqtt::fuzz::Fail("Serialize/Deserialize changed the tree");
  int budget = 4096;
  Convert(*tree, &budget);
  return 0;
}
