#pragma once

// Shared by the loader's tests: temp snippet files and load options.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "runner/scenario/loader.h"

namespace onsmqtt::runner {

inline std::string WriteTemp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + "loader_test_" + name + ".yaml";
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

inline LoadOptions Options() {
  LoadOptions o;
  o.known_variables = {"instance.platinum.id", "device.active.sn",      "device.active.ca_sn",
                       "key.owner.id",         "key.ram_user_admin.id", "region"};
  return o;
}

// The common start of most snippets: a scenario with one call step at
// line 4 whose keys are indented by 8 columns.
inline constexpr char kHead[] =
    "scenarios:\n"
    "  - name: s\n"
    "    steps:\n"
    "      - call: ActiveDeviceCertificate\n";

}  // namespace onsmqtt::runner
