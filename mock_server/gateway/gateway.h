#pragma once

#include <string>

#include "contract/contract.h"
#include "contract/http_message.h"
#include "mock_server/gateway/auth_policy.h"
#include "mock_server/gateway/faults.h"
#include "mock_server/gateway/journal.h"
#include "mock_server/gateway/render.h"
#include "mock_server/gateway/request_log.h"
#include "mock_server/gateway/throttle.h"
#include "mock_server/model/errors.h"
#include "mock_server/model/state.h"
#include "mock_server/options.h"

// The mock's request pipeline for the API path "/", without HTTP plumbing:
// an HttpRequest in, the answer out. Steps, in order (each failure is the
// answer, rendered with the contract's envelope):
//
//   0. the path must be "/":                    InvalidAction.NotFound
//      fault rules (/__admin/faults) matching the action: delay, error or
//      dropped connection
//   1. parse the signed request: MissingParameter, IncompleteSignature,
//      InvalidTimeStamp.Format                   (contract/verifier.h)
//   2. Version == the contract's version:       InvalidVersion
//   3. Action is an operation of the contract and the method is one it
//      accepts:                                  InvalidAction.NotFound
//   4. access key:       InvalidAccessKeyId.NotFound / .Inactive; then its
//      security token:   MissingSecurityToken / InvalidSecurityToken.Malformed /
//                        .MismatchWithAccessKey / .Expired (auth_policy.h)
//   5. signature:        SignatureDoesNotMatch (+ " server string to sign is:<sts>")
//   6. timestamp within +-15 min:               InvalidTimeStamp.Expired
//   7. nonce not used within the window:        SignatureNonceUsed
//   8. throttle (account, action):              Throttling.User
//   9. --strict-requests only: no violation (request_violations.h): the
//      code the first one picks, the contract's message + " (strict
//      requests: <violations>)"
//  10. MockState::Handle: permission, parameters, instance, owner,
//      edition, certificate, state change.
// Steps 1 and 4-7 follow MockOptions::auth (see auth_policy.h); 2, 3, 8 and
// 10 always run. Every answer carries x-acs-request-id == RequestId, is
// journalled (with the request's violations, whatever the answer) and
// logged.
//
// Thread-safe (its parts are).
namespace onsmqtt::mock {

struct GatewayAnswer {
  int status = 200;
  std::string content_type;
  std::string body;
  std::string request_id;
  bool drop_connection = false;  // close without answering
};

struct GatewayParts {
  const Contract* contract = nullptr;
  const ErrorCatalog* catalog = nullptr;
  const MockOptions* options = nullptr;
  const Clock* clock = nullptr;
  MockState* state = nullptr;
  const AuthPolicy* auth = nullptr;
  Throttle* throttle = nullptr;
  Faults* faults = nullptr;
  Journal* journal = nullptr;
  RequestLog* log = nullptr;
};

class Gateway {
 public:
  // Every pointer in `parts` must be set and outlive the gateway.
  explicit Gateway(GatewayParts parts) : p_(parts) {}

  GatewayAnswer Handle(const HttpRequest& wire) const;

 private:
  struct Context;
  void Route(const HttpRequest& wire, Context* ctx) const;
  bool Admit(const HttpRequest& wire, Context* ctx) const;
  void Answer(Context* ctx, int status, std::string body) const;
  void AnswerError(Context* ctx, const ApiError& error, const nlohmann::json& detail = nullptr) const;
  bool ApplyFault(Context* ctx) const;
  void Finish(const HttpRequest& wire, Context* ctx) const;

  GatewayParts p_;
};

}  // namespace onsmqtt::mock
