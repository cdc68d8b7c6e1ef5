// BuiltinContract(), apart from the contract loader so that the loader can be
// linked into the generator that embeds the contract (embed_contract.cc)
// before the embedded data exists.
#include <cstdio>
#include <cstdlib>

#include "contract/contract.h"
#include "contract/yaml_tree.h"

namespace onsmqtt {

namespace {

// The generator parsed and checked the text at build time; only the model is
// left to build, with no YAML parsing at start-up.
StatusOr<Contract> LoadBuiltinContract() {
  StatusOr<yaml::Node> tree = yaml::Deserialize(BuiltinContractTree(), BuiltinContractPath());
  if (!tree.ok()) return tree.status();
  return ContractFromTree(*tree);
}

}  // namespace

const Contract& BuiltinContract() {
  static const Contract* contract = [] {
    StatusOr<Contract> c = LoadBuiltinContract();
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
      std::abort();
    }
    return new Contract(std::move(*c));
  }();
  return *contract;
}

}  // namespace onsmqtt
