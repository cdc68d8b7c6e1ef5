#pragma once

#include <gtest/gtest.h>

#include <string>

#include "contract/yaml_tree.h"
#include "runner/execute/device_client.h"

// The device client's tests: the test PKI's files and a device's options.
namespace onsmqtt::runner::testing {

inline std::string Pki(const std::string& name) {
  StatusOr<std::string> text = yaml::ReadFile(std::string(ONSMQTT_SOURCE_DIR) + "/fixtures/pki/" + name);
  EXPECT_TRUE(text.ok()) << name;
  return text.ok() ? *text : "";
}

// Test PKI device `device` connecting to 127.0.0.1:`port` as "localhost",
// trusting tls-ca.pem.
inline TlsClientOptions Device(int port, const std::string& device) {
  TlsClientOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.server_name = "localhost";
  o.ca_pem = Pki("tls-ca.pem");
  o.certificate_pem = Pki(device + ".pem");
  o.key_pem = Pki(device + ".key");
  return o;
}

}  // namespace onsmqtt::runner::testing
