#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "contract/mqtt_codec.h"

// The CONNACK codes a broker may answer, by protocol, with the names the
// specifications give them: MQTT 3.1.1 §3.2.2.3 (return codes 0-5, which
// 3.1 shares) and MQTT 5.0 §3.2.2.2 (reason codes 0 and 0x80-0x9F). The
// loader checks a connect step's `{connack: N}` against it, and the
// executor names the code it received ("connack 5 (not authorized)").
namespace onsmqtt::runner {

// "accepted", "not authorized", ...; empty when `code` is not one `v`
// defines.
std::string_view ConnackCodeName(mqtt::Version v, int code);

// "5 (not authorized)", or "7 (not a 3.1.1 return code)".
std::string DescribeConnackCode(mqtt::Version v, int code);

}  // namespace onsmqtt::runner
