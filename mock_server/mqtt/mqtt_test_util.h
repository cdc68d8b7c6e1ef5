#pragma once

#include <cstdint>
#include <string>

// Hand-built MQTT packets for the listener's tests: bytes written from the
// OASIS specifications, independent of contract/mqtt_codec.
namespace onsmqtt::mock::testing {

inline std::string Str(const std::string& s) {
  return std::string{static_cast<char>(s.size() >> 8), static_cast<char>(s.size() & 0xff)} + s;
}

// Fixed header (type/flags byte, Remaining Length) + body.
inline std::string Packet(uint8_t first, const std::string& body) {
  std::string out(1, static_cast<char>(first));
  size_t n = body.size();
  do {
    uint8_t b = n % 128;
    n /= 128;
    if (n > 0) b |= 0x80;
    out += static_cast<char>(b);
  } while (n > 0);
  return out + body;
}

// CONNECT, clean session, keep-alive `keep_alive`; level 3 ("MQIsdp"), 4 or 5.
inline std::string Connect(int level, const std::string& client_id, uint16_t keep_alive = 60) {
  std::string body = Str(level == 3 ? "MQIsdp" : "MQTT");
  body += static_cast<char>(level);
  body += '\x02';
  body += static_cast<char>(keep_alive >> 8);
  body += static_cast<char>(keep_alive & 0xff);
  if (level == 5) body += '\x00';  // no properties
  body += Str(client_id);
  return Packet(0x10, body);
}

inline std::string Connack311(uint8_t code) { return std::string{0x20, 0x02, 0x00, static_cast<char>(code)}; }
inline std::string Connack5(uint8_t code) { return std::string{0x20, 0x03, 0x00, static_cast<char>(code), 0x00}; }

inline std::string Pingreq() { return std::string{static_cast<char>(0xC0), 0x00}; }
inline std::string Pingresp() { return std::string{static_cast<char>(0xD0), 0x00}; }
inline std::string Disconnect() { return std::string{static_cast<char>(0xE0), 0x00}; }

}  // namespace onsmqtt::mock::testing
