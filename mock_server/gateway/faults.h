#pragma once

#include <atomic>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "contract/contract.h"
#include "contract/mutex.h"
#include "contract/status.h"

// Fault injection (WireMock-like), configured through /__admin/faults.
//
// A rule: {"action": "ActiveDeviceCertificate" (optional: every action),
//          "times": 2 (optional: apply to the next 2 matching requests only),
//          "probability": 0.25, "seed": 7 (optional: apply to a matching
//                          request with this probability, drawn from a
//                          generator seeded with `seed` — deterministic),
//          effects, at least one of:
//          "delay_ms": 150            wait before answering
//          "code": "InternalError",   answer this contract error with the
//          "status": 503              envelope (status optional: the
//                                     catalogue's status for the code)
//          "drop_connection": true    close the connection, no HTTP answer}
// `code` and `drop_connection` exclude each other; a rule with only
// `delay_ms` delays the normal answer.
//
// Rules are tried in the order they were added; the first rule that matches
// (and whose probability draw succeeds) applies. Thread-safe.
namespace onsmqtt::mock {

struct FaultRule {
  std::string id;      // "f1", "f2", ... assigned on Add
  std::string action;  // empty: any
  std::optional<int64_t> times;
  std::optional<double> probability;
  uint64_t seed = 0;
  int64_t delay_ms = 0;
  std::string code;
  std::optional<int> status;
  bool drop_connection = false;
};

// What to do to one request.
struct FaultEffect {
  std::string rule_id;
  int64_t delay_ms = 0;
  std::string code;  // non-empty: answer this error
  std::optional<int> status;
  bool drop_connection = false;
};

// Parses one rule object; errors name the offending key. Codes are checked
// against the contract's error catalogue, actions against its operations.
StatusOr<FaultRule> ParseFaultRule(const nlohmann::json& j, const Contract& contract);

class Faults {
 public:
  // Returns the assigned id.
  std::string Add(FaultRule rule);
  // Removes one rule by id; false when unknown.
  bool Remove(const std::string& id);
  void Clear();
  bool empty() const;

  // The effect for a request to `action`, consuming a `times` count and a
  // probability draw of the matching rule. nullopt: no fault.
  std::optional<FaultEffect> Match(const std::string& action);

  // {"faults": [{rule..., "remaining": n|null, "applied": n}]}
  nlohmann::json ToJson() const;

 private:
  struct Entry {
    FaultRule rule;
    std::mt19937_64 rng;
    int64_t applied = 0;
  };
  mutable Mutex mu_;
  std::vector<Entry> rules_ GUARDED_BY(mu_);
  int next_id_ GUARDED_BY(mu_) = 1;
  std::atomic<bool> any_{false};  // mirrors !rules_.empty(); lets Match skip the lock when there are no rules
};

}  // namespace onsmqtt::mock
