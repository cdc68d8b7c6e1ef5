#include "mock_server/gateway/faults.h"

#include <algorithm>

namespace onsmqtt::mock {

namespace {

constexpr int64_t kMaxDelayMs = 10 * 60 * 1000;

Status Bad(const std::string& key, const std::string& what) {
  return Status::InvalidArgument("fault rule: \"" + key + "\" " + what);
}

Status ReadField(const std::string& key, const nlohmann::json& v, const Contract& contract, FaultRule* r) {
  if (key == "action") {
    if (!v.is_string()) return Bad(key, "must be a string");
    r->action = v.get<std::string>();
    if (contract.FindOperation(r->action) == nullptr)
      return Bad(key, "is not an operation of the contract: " + r->action);
  } else if (key == "times") {
    if (!v.is_number_integer() || v.get<int64_t>() < 1) return Bad(key, "must be an integer >= 1");
    r->times = v.get<int64_t>();
  } else if (key == "probability") {
    if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1) return Bad(key, "must be a number in [0, 1]");
    r->probability = v.get<double>();
  } else if (key == "seed") {
    if (!v.is_number_integer()) return Bad(key, "must be an integer");
    r->seed = static_cast<uint64_t>(v.get<int64_t>());
  } else if (key == "delay_ms") {
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > kMaxDelayMs) {
      return Bad(key, "must be an integer in [0, " + std::to_string(kMaxDelayMs) + "]");
    }
    r->delay_ms = v.get<int64_t>();
  } else if (key == "code") {
    if (!v.is_string()) return Bad(key, "must be a string");
    r->code = v.get<std::string>();
    if (contract.FindError(r->code) == nullptr) return Bad(key, "is not an error code of the contract: " + r->code);
  } else if (key == "status") {
    if (!v.is_number_integer() || v.get<int64_t>() < 100 || v.get<int64_t>() > 599)
      return Bad(key, "must be an HTTP status (100-599)");
    r->status = static_cast<int>(v.get<int64_t>());
  } else if (key == "drop_connection") {
    if (!v.is_boolean()) return Bad(key, "must be true or false");
    r->drop_connection = v.get<bool>();
  } else {
    return Bad(
        key,
        "is not a fault rule field (known: action, times, probability, seed, delay_ms, code, status, drop_connection)");
  }
  return Status::Ok();
}

nlohmann::json RuleToJson(const FaultRule& r) {
  nlohmann::json j = {{"id", r.id}};
  if (!r.action.empty()) j["action"] = r.action;
  if (r.times) j["remaining"] = *r.times;
  if (r.probability) {
    j["probability"] = *r.probability;
    j["seed"] = r.seed;
  }
  if (r.delay_ms > 0) j["delay_ms"] = r.delay_ms;
  if (!r.code.empty()) j["code"] = r.code;
  if (r.status) j["status"] = *r.status;
  if (r.drop_connection) j["drop_connection"] = true;
  return j;
}

}  // namespace

StatusOr<FaultRule> ParseFaultRule(const nlohmann::json& j, const Contract& contract) {
  if (!j.is_object()) return Status::InvalidArgument("fault rule: must be a JSON object");
  FaultRule r;
  for (const auto& [key, v] : j.items()) {
    if (Status s = ReadField(key, v, contract, &r); !s.ok()) return s;
  }
  if (r.code.empty() && !r.drop_connection && r.delay_ms == 0) {
    return Status::InvalidArgument("fault rule: needs an effect: \"delay_ms\", \"code\" or \"drop_connection\"");
  }
  if (!r.code.empty() && r.drop_connection) {
    return Status::InvalidArgument("fault rule: \"code\" and \"drop_connection\" exclude each other");
  }
  if (r.status && r.code.empty()) return Status::InvalidArgument("fault rule: \"status\" needs \"code\"");
  if (j.contains("seed") && !r.probability)
    return Status::InvalidArgument("fault rule: \"seed\" needs \"probability\"");
  return r;
}

std::string Faults::Add(FaultRule rule) {
  MutexLock lock(&mu_);
  rule.id = "f" + std::to_string(next_id_++);
  std::string id = rule.id;
  Entry e{std::move(rule), std::mt19937_64(0), 0};
  e.rng.seed(e.rule.seed);
  rules_.push_back(std::move(e));
  any_ = true;
  return id;
}

bool Faults::Remove(const std::string& id) {
  MutexLock lock(&mu_);
  auto it = std::find_if(rules_.begin(), rules_.end(), [&](const Entry& e) { return e.rule.id == id; });
  if (it == rules_.end()) return false;
  rules_.erase(it);
  any_ = !rules_.empty();
  return true;
}

void Faults::Clear() {
  MutexLock lock(&mu_);
  rules_.clear();
  any_ = false;
}

bool Faults::empty() const {
  MutexLock lock(&mu_);
  return rules_.empty();
}

std::optional<FaultEffect> Faults::Match(const std::string& action) {
  if (!any_.load(std::memory_order_relaxed)) return std::nullopt;
  MutexLock lock(&mu_);
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    FaultRule& r = it->rule;
    if (!r.action.empty() && r.action != action) continue;
    if (r.probability) {
      // 53 random bits -> [0, 1), the same draw on every platform.
      double draw = static_cast<double>(it->rng() >> 11) * (1.0 / 9007199254740992.0);
      if (draw >= *r.probability) continue;
    }
    FaultEffect effect{r.id, r.delay_ms, r.code, r.status, r.drop_connection};
    ++it->applied;
    if (r.times && --*r.times == 0) {
      rules_.erase(it);
      any_ = !rules_.empty();
    }
    return effect;
  }
  return std::nullopt;
}

nlohmann::json Faults::ToJson() const {
  MutexLock lock(&mu_);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : rules_) {
    nlohmann::json j = RuleToJson(e.rule);
    j["applied"] = e.applied;
    list.push_back(std::move(j));
  }
  return {{"faults", std::move(list)}};
}

}  // namespace onsmqtt::mock
