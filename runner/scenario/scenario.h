#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "contract/contract.h"
#include "contract/mqtt_codec.h"
#include "contract/signer.h"
#include "contract/source_location.h"
#include "runner/scenario/json_path.h"

// The scenario model: what a scenario file says, typed, every element with
// its position in the YAML file. Built by the loader (loader.h), run by the
// executor (executor.h). The format is documented in scenarios/README.md
// and in scenarios/scenario.schema.json.
namespace onsmqtt::runner {

// Text that may hold ${name} references, resolved when the step runs.
struct Template {
  std::string text;
  SourceLocation loc;
};

// A JSON value from the YAML file, typed as written: plain scalars become
// numbers/booleans/null when they look like one, quoted ones stay strings.
// Strings may hold ${...}.
struct Value {
  enum class Type { kNull, kString, kNumber, kBoolean, kArray, kObject };
  // A named struct rather than std::pair<std::string, Value>: clang (with
  // libstdc++ 12, C++20) cannot instantiate that pair inside Value.
  struct Member;
  Type type = Type::kNull;
  std::string text;             // kString (template), kNumber (as written), kBoolean ("true"/"false")
  std::vector<Value> items;     // kArray
  std::vector<Member> members;  // kObject, in order
  SourceLocation loc;
};

struct Value::Member {
  std::string name;
  Value value;
};

enum class MatcherKind {
  kEquals,           // `x` or {equals: x}: same JSON value (type included)
  kRegex,            // {regex: "..."}: a string matching (ECMAScript, full match)
  kType,             // {type: string|number|boolean|object|array|null}
  kRequestIdFormat,  // {format: request_id}: an uppercase UUID
  kAbsent,           // {absent: true}
  kPresent,          // {present: true}
  kOneOf,            // {one_of: [a, b]}
  kContains,         // {contains: "..."}: a string containing the text
};

struct Matcher {
  MatcherKind kind = MatcherKind::kEquals;
  Value value;  // kEquals: the value; kOneOf: kArray; kRegex/kContains: kString; kType: kString
  SourceLocation loc;
};

// `$.Data.Status` or `$.Data.DeviceCertificateVOS[0].DeviceSn`.
struct BodyAssertion {
  JsonPath path;  // parsed by the loader; path.text is the path as written
  Matcher matcher;
  SourceLocation loc;
};

struct HeaderAssertion {
  std::string name;  // case-insensitive
  Matcher matcher;
  SourceLocation loc;
};

struct StatusExpectation {
  // kDocumented: every status the contract documents for the expected code
  // (so the same scenario passes against the mock and a real service whose
  // statuses drifted). kAnyOf: one of `statuses`.
  enum class Kind { kAnyOf, kDocumented };
  Kind kind = Kind::kAnyOf;
  std::vector<int> statuses;
  SourceLocation loc;
};

struct Expectation {
  std::optional<StatusExpectation> status;  // absent: 200, or documented when `code` is set
  std::optional<Matcher> code;              // the body's Code
  std::optional<Matcher> message;           // the body's Message
  std::vector<BodyAssertion> body;
  std::vector<HeaderAssertion> headers;
  // The answer has the contract's shape: on success the operation's
  // documented fields with their JSON types; on error the envelope
  // (RequestId, HostId, Code, Message, Recommend) and a status the contract
  // documents for the Code.
  bool contract = true;
  SourceLocation loc;
};

// How the request is signed, when a scenario wants it broken.
enum class AuthVariant {
  kValid,
  kCorruptSignature,  // signature altered after signing
  kWrongSecret,       // signed with a secret that is not the key's
  kMissingSignature,  // V1: no Signature parameter; V3: no Authorization
  kUnknownKey,        // an AccessKeyId no account has
};

struct CallSpec {
  std::string action;           // checked against the contract unless unknown_action
  bool unknown_action = false;  // a deliberately unknown action (InvalidAction.NotFound)
  SourceLocation action_loc;
  std::string identity = "owner";  // `as:`; credentials from key.<identity>.id/.secret
  SourceLocation identity_loc;
  std::optional<SignatureScheme> scheme;  // absent: the run's default (v3)
  std::optional<HttpMethod> method;       // absent: the contract's sdk_method
  ParamPlacement placement = ParamPlacement::kQuery;
  std::vector<std::pair<std::string, Template>> params;  // sent as listed; absent = not sent
  std::optional<Template> version;                       // absent: the contract's version
  std::optional<std::string> format;                     // "JSON" / "XML"
  std::optional<Template> nonce;                         // absent: random
  std::chrono::seconds timestamp_offset{0};              // e.g. -1200 for a stale timestamp
  AuthVariant auth = AuthVariant::kValid;
  std::optional<Template> host;  // Host header override (region tests)
  // The SecurityToken sent (V1 parameter, V3 x-acs-security-token) instead
  // of the identity's key.<identity>.token; "" sends none.
  std::optional<Template> security_token;
  SourceLocation loc;
};

// Saves a value of the answer for later steps: ${captured name}.
struct Capture {
  std::string name;
  std::string path;  // "$.DeviceSn", or "header:x-acs-request-id"
  SourceLocation loc;
  std::optional<JsonPath> json_path;  // path parsed by the loader; nullopt for header:
};

struct CountBound {
  std::optional<int64_t> min;
  std::optional<int64_t> max;
  SourceLocation loc;
  // At most this many per second of the burst's duration: the bound a
  // sliding one-second limit guarantees however long the burst takes
  // (N * ceil(seconds)).
  std::optional<int64_t> max_per_second;
};

// One call sent `count` times, `concurrency` at a time, as fast as possible.
struct Burst {
  int count = 0;
  int concurrency = 1;
  // Calls per second the harness must reach for the expectations to mean
  // anything (e.g. above a rate limit); below it the step is an error.
  int64_t min_rate = 0;
  // Outcome -> bound. Outcomes: "success" (HTTP 200 without Code), an error
  // Code such as "Throttling.User", "unanswered" (no HTTP answer), "other".
  std::map<std::string, CountBound> outcomes;
  SourceLocation loc;
};

// What a connect step expects of the broker: exactly one outcome.
struct ConnectExpectation {
  enum class Kind {
    kConnack,      // {connack: N}: a CONNACK with return (3.1/3.1.1) or reason (5.0) code N
    kRefusedTls,   // {refused: tls}: the TLS handshake failed (an alert, or the server hung up in it)
    kRefusedAny,   // {refused: any}: refused in any form: a CONNACK other than 0, a close, a TLS refusal
    kClosed,       // {closed: true}: the connection closed before any CONNACK
    kHandshakeOk,  // {handshake: ok}: handshake_only steps: the handshake completed
  };
  Kind kind = Kind::kConnack;
  int code = 0;  // kConnack
  SourceLocation loc;
};

// The runner acting as a device: mutual TLS to the broker, then (unless
// handshake_only) CONNECT, one packet read back, DISCONNECT.
struct ConnectSpec {
  // `device: <k>`: the fixture's device k (certificate ${device.<k>.pem},
  // key ${device.<k>.key}); empty when certificate/key were written.
  std::string device;
  Template certificate;         // PEM text of the leaf
  Template key;                 // PEM text of its private key (a secret)
  std::vector<Template> chain;  // extra PEM certificates sent after the leaf
  mqtt::Version protocol = mqtt::Version::k311;
  std::optional<Template> client_id;    // absent: GID_onsmqtt@@@<short id>
  std::optional<Template> server_name;  // TLS SNI; absent: the target's default
  std::optional<Template> username;
  std::optional<Template> password;
  int keep_alive = 60;          // seconds
  bool handshake_only = false;  // complete TLS, send no CONNECT, close
  ConnectExpectation expect;    // absent: {connack: 0}, or {handshake: ok} for handshake_only
  SourceLocation loc;
};

struct Step {
  enum class Kind { kCall, kBurst, kConnect };
  Kind kind = Kind::kCall;
  std::string name;    // optional; defaults to "<index>: <action>" ("<index>: connect <device>")
  CallSpec call;       // kCall, kBurst
  Expectation expect;  // kCall
  // kCall: "$.Path" / "header:NAME"; kConnect: "certificate.sn",
  // "certificate.cn" or "client_id" (of what the step sent).
  std::vector<Capture> captures;
  Burst burst;          // kBurst
  ConnectSpec connect;  // kConnect
  SourceLocation loc;
};

struct Scenario {
  std::string name;       // unique within the file
  std::string classname;  // dotted suite path, e.g. onsmqtt.active_device_certificate.errors
  std::vector<std::string> tags;
  std::string description;
  std::string fixture;  // resolved path; for mock targets; empty: the file's or the run's default
  // Needs a mock target (state a real endpoint cannot be put into); the
  // reason is shown when skipped.
  bool requires_mock = false;
  std::string requires_reason;
  // Changes or deletes state: skipped on real endpoints unless the user
  // opts in (--allow-mutations).
  bool mutates = false;
  std::vector<Step> steps;
  std::vector<Step> cleanup;  // always run after steps (restores state); results reported but not judged
  int retries = -1;           // -1: the run's --retries
  SourceLocation loc;
  // Recorded at load (RecordReferences, variables.h): the variables its
  // steps and cleanup refer to, in the order they are used, and the names
  // its captures define.
  std::vector<std::string> references;
  std::vector<std::string> captured;
};

struct ScenarioFile {
  std::string path;    // as given / found
  std::string suite;   // testsuite name, e.g. active_device_certificate.errors
  std::string source;  // the file's text (for diagnostics)
  std::vector<Scenario> scenarios;
};

}  // namespace onsmqtt::runner
