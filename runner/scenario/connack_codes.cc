#include "runner/scenario/connack_codes.h"

#include <string>

namespace onsmqtt::runner {
namespace {

struct CodeName {
  int code;
  std::string_view name;
};

// MQTT 3.1.1 §3.2.2.3, Table 3.1 (3.1 uses the same codes).
constexpr CodeName kReturnCodes[] = {
    {0, "accepted"},           {1, "unacceptable protocol version"}, {2, "identifier rejected"},
    {3, "server unavailable"}, {4, "bad user name or password"},     {5, "not authorized"},
};

// MQTT 5.0 §3.2.2.2, the CONNACK reason codes.
constexpr CodeName kReasonCodes[] = {
    {0x00, "success"},
    {0x80, "unspecified error"},
    {0x81, "malformed packet"},
    {0x82, "protocol error"},
    {0x83, "implementation specific error"},
    {0x84, "unsupported protocol version"},
    {0x85, "client identifier not valid"},
    {0x86, "bad user name or password"},
    {0x87, "not authorized"},
    {0x88, "server unavailable"},
    {0x89, "server busy"},
    {0x8A, "banned"},
    {0x8C, "bad authentication method"},
    {0x90, "topic name invalid"},
    {0x95, "packet too large"},
    {0x97, "quota exceeded"},
    {0x99, "payload format invalid"},
    {0x9A, "retain not supported"},
    {0x9B, "QoS not supported"},
    {0x9C, "use another server"},
    {0x9D, "server moved"},
    {0x9F, "connection rate exceeded"},
};

}  // namespace

std::string_view ConnackCodeName(mqtt::Version v, int code) {
  if (v == mqtt::Version::k5) {
    for (const CodeName& c : kReasonCodes) {
      if (c.code == code) return c.name;
    }
    return {};
  }
  for (const CodeName& c : kReturnCodes) {
    if (c.code == code) return c.name;
  }
  return {};
}

std::string DescribeConnackCode(mqtt::Version v, int code) {
  std::string_view name = ConnackCodeName(v, code);
  if (!name.empty()) return std::to_string(code) + " (" + std::string(name) + ")";
  return std::to_string(code) + (v == mqtt::Version::k5 ? " (not a 5.0 reason code)" : " (not a 3.1.1 return code)");
}

}  // namespace onsmqtt::runner
