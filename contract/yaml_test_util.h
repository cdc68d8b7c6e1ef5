#pragma once

// Test helper shared by the YAML tests: two trees are the same node by node.

#include <gtest/gtest.h>

#include <string>

#include "contract/yaml_tree.h"

namespace onsmqtt::yaml {

inline void ExpectSameTree(const Node& a, const Node& b, const std::string& path = "root") {
  EXPECT_EQ(a.kind, b.kind) << path;
  EXPECT_EQ(a.scalar, b.scalar) << path;
  EXPECT_EQ(a.quoted, b.quoted) << path;
  EXPECT_EQ(a.loc.file, b.loc.file) << path;
  EXPECT_EQ(a.loc.line, b.loc.line) << path;
  EXPECT_EQ(a.loc.column, b.loc.column) << path;
  ASSERT_EQ(a.items.size(), b.items.size()) << path;
  for (size_t i = 0; i < a.items.size(); ++i)
    ExpectSameTree(a.items[i], b.items[i], path + "[" + std::to_string(i) + "]");
  ASSERT_EQ(a.entries.size(), b.entries.size()) << path;
  for (size_t i = 0; i < a.entries.size(); ++i) {
    std::string at = path + "." + a.entries[i].first.scalar;
    ExpectSameTree(a.entries[i].first, b.entries[i].first, at + " (key)");
    ExpectSameTree(a.entries[i].second, b.entries[i].second, at);
  }
}

}  // namespace onsmqtt::yaml
