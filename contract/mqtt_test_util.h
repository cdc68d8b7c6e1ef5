#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "contract/mqtt_codec.h"

// Shared by mqtt_codec_test.cc and mqtt_packets_test.cc.
namespace onsmqtt::mqtt::mqtt_test {

// "10 0f 00 04" -> the bytes; spaces are ignored.
inline std::string H(std::string_view hex) {
  std::string out;
  int high = -1;
  for (char c : hex) {
    if (c == ' ') continue;
    const int v = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<char>(high << 4 | v));
      high = -1;
    }
  }
  return out;
}

// The body of the one whole packet in `packet` (its fixed header checked).
inline std::string Body(const std::string& packet, uint8_t* flags = nullptr) {
  Frame f;
  std::string error;
  EXPECT_EQ(ReadFrame(packet, kDefaultMaxPacket, &f, &error), FrameState::kComplete) << error;
  EXPECT_EQ(f.total(), packet.size());
  if (flags != nullptr) *flags = f.flags;
  return packet.substr(f.header_bytes);
}

// A rejected body: what the message must mention.
struct BadCase {
  const char* name;
  Version version;
  std::string body;
  const char* message;
};

template <typename T>
void ExpectRejected(const BadCase& c, const StatusOr<T>& got) {
  ASSERT_FALSE(got.ok()) << c.name;
  EXPECT_EQ(got.status().code(), Status::Code::kInvalidArgument) << c.name;
  EXPECT_NE(got.status().message().find(c.message), std::string::npos)
      << c.name << ": \"" << got.status().message() << "\" does not mention \"" << c.message << "\"";
}

}  // namespace onsmqtt::mqtt::mqtt_test
