#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runner/execute/assertions.h"
#include "runner/execute/client_adapter.h"
#include "runner/result/result.h"
#include "runner/scenario/scenario.h"

// Call and burst steps performed through an SDK adapter (--client,
// adapters/README.md): the request line, the answer the SDK surfaced as the
// Answer the matchers judge, and (against the embedded mock) the wire as
// the mock's journal saw it.
namespace onsmqtt::runner {

struct StepContext;
struct PreparedCall;

// One attempt's adapter, taken from the pool when a step first needs it and
// given back when the attempt ends. A broken adapter is replaced on the
// next Get(). Not thread-safe (one per attempt).
class ClientLease {
 public:
  explicit ClientLease(ClientPool* pool) : pool_(pool) {}
  ~ClientLease();
  ClientLease(const ClientLease&) = delete;
  ClientLease& operator=(const ClientLease&) = delete;

  StatusOr<ClientAdapter*> Get();
  const ClientHello& hello() const { return pool_->hello(); }
  int timeout_ms() const { return pool_->options().timeout_ms; }

 private:
  ClientPool* pool_;
  std::unique_ptr<ClientAdapter> adapter_;
};

// The request line's object (adapters/README.md, "Requests"): params in the
// step's order, format and scheme only when the step chose them.
nlohmann::ordered_json ClientRequestJson(const PreparedCall& prepared, const CallSpec& spec,
                                         const std::string& endpoint, const std::string& region, int64_t id,
                                         int timeout_ms);

// What the SDK surfaced, as the matchers see it: the answer's body with
// Code, Message and RequestId replaced by the surfaced code, message and
// request_id (removed when not surfaced), the surfaced status and headers.
Answer SurfacedAnswer(const nlohmann::json& answer);

// What the step asked the client to do, for judging the wire.
struct WireAsk {
  std::string action;
  ParamList params;            // business parameters, as resolved
  std::string method;          // "GET" / "POST"
  bool method_chosen = false;  // the step's `method:`; else the operation's sdk_method
  std::string scheme;          // "" when the step did not choose
  bool valid_auth = true;
  bool known_action = true;
};

// The client's mistakes one journal entry (GET /__admin/journal, with
// `violations` when the mock records them) shows for one adapter-performed
// call whose answer the SDK surfaced as `answer`: parameters not sent as
// asked, a signature that does not verify, another method or scheme, a
// status or outcome other than the wire's, a lost or changed request id.
void JudgeWire(const WireAsk& ask, const nlohmann::json& entry, const nlohmann::json& answer,
               std::vector<AssertionFailure>* failures);
// JudgeWire without the answer: the request alone (a burst's sample).
void JudgeWireRequest(const WireAsk& ask, const nlohmann::json& entry, std::vector<AssertionFailure>* failures);
// A journal entry's burst outcome: "success", its code, "unanswered".
std::string WireOutcomeOf(const nlohmann::json& entry);

StepResult RunClientCallStep(const Step& step, StepContext& ctx);
StepResult RunClientBurstStep(const Step& step, StepContext& ctx);

}  // namespace onsmqtt::runner
