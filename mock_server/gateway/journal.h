#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "contract/clock.h"
#include "contract/mutex.h"
#include "contract/percent.h"
#include "contract/request_check.h"

// The request journal (WireMock-like): the most recent requests the mock
// answered, for tests and the admin API (GET /__admin/journal).
//
// An entry never holds a secret: no AccessKeySecret, no Signature, no
// Authorization header, no SecurityToken (violation messages included). Business parameters are kept as
// received (they are not secret in this API); parameters whose names look
// like credentials are dropped defensively (see IsSecretParameter).
//
// Thread-safe; a ring buffer of `capacity` entries.
namespace onsmqtt::mock {

struct JournalEntry {
  TimePoint time;
  std::string action;  // empty when the request named none
  std::string method;  // GET, POST, ...
  std::string scheme;  // "v1", "v3" or "" (not a signed request)
  std::string account_uid;
  std::string access_key_id;
  int status = 0;
  std::string code;  // error code; empty on success
  int64_t micros = 0;
  std::string request_id;
  std::string fault;  // id of the fault rule applied, if any
  ParamList params;   // business parameters
  // "valid", "invalid" or "unchecked" (SignatureVerdict, request_check.h).
  std::string signature = "unchecked";
  // What is wrong with the request (contract/request_check.h), whatever the
  // answer was. Messages hold no secret (the checker's rule).
  std::vector<Violation> violations;
  // A device's connect to the MQTT listener (then action "CONNECT", method
  // "MQTT", code the outcome): {instance_id, server_name, client_id,
  // protocol, device_sn, ca_sn, device_name, outcome, reason, registered,
  // connack, refusal, peer}. Null for API requests.
  nlohmann::json connect;
};

// True for names that could carry a credential: Signature, SecurityToken,
// AccessKeySecret and anything containing "secret", "signature", "token"
// or "password" (case-insensitive).
bool IsSecretParameter(const std::string& name);

nlohmann::json JournalEntryToJson(const JournalEntry& e);

class Journal {
 public:
  explicit Journal(size_t capacity);
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Drops secret-looking parameters, then stores the entry (evicting the
  // oldest when full).
  void Record(JournalEntry entry);

  // Oldest first; at most `limit` of the newest (0: all).
  std::vector<JournalEntry> Entries(size_t limit = 0) const;
  // {"capacity", "recorded" (ever, since the last clear), "requests": [...]}
  nlohmann::json ToJson(size_t limit = 0) const;
  void Clear();

 private:
  // The newest `limit` entries (0: all), oldest first, and the count
  // recorded, under one lock.
  std::vector<JournalEntry> Snapshot(size_t limit, uint64_t* recorded) const;

  const size_t capacity_;
  mutable Mutex mu_;
  std::vector<JournalEntry> ring_ GUARDED_BY(mu_);
  size_t next_ GUARDED_BY(mu_) = 0;
  uint64_t recorded_ GUARDED_BY(mu_) = 0;
};

}  // namespace onsmqtt::mock
