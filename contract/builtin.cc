// BuiltinContract(), apart from the contract loader so that the loader can be
// linked into the generator that checks and embeds the contract
// (embed_contract.cc) before the embedded text exists.
#include <cstdio>
#include <cstdlib>

#include "contract/contract.h"

namespace onsmqtt {

const Contract& BuiltinContract() {
  // Parsed once per process; the generator checked the same text at build
  // time, so a failure here is a build defect.
  static const Contract* contract = [] {
    StatusOr<Contract> c = ParseContract(BuiltinContractText(), BuiltinContractPath());
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
      std::abort();
    }
    return new Contract(std::move(*c));
  }();
  return *contract;
}

}  // namespace onsmqtt
