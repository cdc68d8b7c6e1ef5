#pragma once

#include <array>
#include <string_view>

// The keys each map of a scenario file accepts, in the order the loader
// reads them (which is the order its "expected one of" messages list them).
// The one list per map: the loader rejects every other key (KeyReader in
// loader_internal.h), and ScenarioSchemaTest checks that
// scenarios/scenario.schema.json declares exactly these properties, with
// the same required ones.
namespace onsmqtt::runner::keys {

struct Key {
  std::string_view name;
  bool required = false;
};

// The top level of a file.
inline constexpr std::array kFile = {Key{"suite"}, Key{"fixture"}, Key{"scenarios", true}};

inline constexpr std::array kScenario = {Key{"name", true}, Key{"tags"},        Key{"description"},
                                         Key{"fixture"},    Key{"requires"},    Key{"mutates"},
                                         Key{"retries"},    Key{"steps", true}, Key{"cleanup"}};

// A scenario's `requires:`.
inline constexpr std::array kRequires = {Key{"mock"}};

// A step: its own keys, then how the call is made.
inline constexpr std::array kStep = {
    Key{"name"},   Key{"burst"},  Key{"expect"},           Key{"capture"},   Key{"call", true}, Key{"unknown_action"},
    Key{"as"},     Key{"scheme"}, Key{"method"},           Key{"placement"}, Key{"params"},     Key{"version"},
    Key{"format"}, Key{"nonce"},  Key{"timestamp_offset"}, Key{"auth"},      Key{"host"},       Key{"security_token"}};

// A connect step: the device's connection and what the broker must answer.
inline constexpr std::array kConnectStep = {Key{"name"}, Key{"connect", true}, Key{"expect"}, Key{"capture"}};

// A connect step's `connect:`.
inline constexpr std::array kConnect = {Key{"device"},   Key{"certificate"}, Key{"key"},           Key{"chain"},
                                        Key{"protocol"}, Key{"client_id"},   Key{"server_name"},   Key{"username"},
                                        Key{"password"}, Key{"keep_alive"},  Key{"handshake_only"}};

// A connect step's `expect:`: exactly one of these.
inline constexpr std::array kConnectExpect = {Key{"connack"}, Key{"refused"}, Key{"closed"}, Key{"handshake"}};

// A call step's `expect:`. `outcomes` is read to say it belongs to bursts.
inline constexpr std::array kExpect = {Key{"status"},  Key{"code"},     Key{"message"}, Key{"body"},
                                       Key{"headers"}, Key{"contract"}, Key{"outcomes"}};

// A burst step's `expect:` (the schema's expect, of which it is a part).
inline constexpr std::array kBurstExpect = {Key{"outcomes", true}};

// A step's `burst:`.
inline constexpr std::array kBurst = {Key{"count", true}, Key{"concurrency"}, Key{"min_rate"}};

// One outcome's bound, when written as a map.
inline constexpr std::array kBound = {Key{"min"}, Key{"max"}, Key{"max_per_second"}};

// A matcher written as a map has exactly one of these keys.
inline constexpr std::array kMatcher = {Key{"equals"}, Key{"regex"},   Key{"type"},   Key{"format"},
                                        Key{"absent"}, Key{"present"}, Key{"one_of"}, Key{"contains"}};

}  // namespace onsmqtt::runner::keys
