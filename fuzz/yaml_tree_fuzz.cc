// The contract's YAML tree (contract/yaml_tree.h): yaml::Parse on any text,
// then the invariants the loaders rely on:
//   - the positioned conversions and MapReader never crash and always
//     explain an error.
#include <cstdint>
#include <string>

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
  if (!tree.ok()) {
    onsmqtt::fuzz::CheckError(tree.status(), "Parse");
    return 0;
  }
  int budget = 4096;
  Convert(*tree, &budget);
  return 0;
}
