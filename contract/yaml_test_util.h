#pragma once

// Test helpers shared by the YAML tests: two trees are the same node by
// node; an embedded table (contract/yaml_cache.h) is what is on disk.

#include <gtest/gtest.h>

#include <set>
#include <span>
#include <string>

#include "contract/yaml_cache.h"
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

// The build embedded the files of `shipped` as they are below `root` now
// (else the build is stale: the cache would silently stop applying).
// Returns their paths.
inline std::set<std::string> ExpectEmbeddedAsOnDisk(std::span<const ShippedYaml> shipped, const std::string& root) {
  std::set<std::string> paths;
  for (const ShippedYaml& f : shipped) {
    paths.insert(f.path);
    StatusOr<std::string> text = ReadFile(root + "/" + f.path);
    if (!text.ok()) {
      ADD_FAILURE() << text.status().ToString();
      continue;
    }
    EXPECT_EQ(*text, f.text) << f.path << ": rebuild, the embedded copy is stale";
  }
  return paths;
}

// From the embedded tree or from yaml-cpp: the same nodes, locations naming
// the path the caller gave.
inline void ExpectEmbeddedTreesAreWhatYamlCppParses(std::span<const ShippedYaml> shipped) {
  for (const ShippedYaml& f : shipped) {
    std::string text(f.text);
    ASSERT_NE(FindShipped(text, shipped), nullptr) << f.path;
    StatusOr<Node> cached = ParseCached(text, "some/where.yaml", nullptr, shipped);
    StatusOr<Node> parsed = Parse(text, "some/where.yaml");
    ASSERT_TRUE(cached.ok() && parsed.ok()) << f.path;
    ExpectSameTree(*cached, *parsed, f.path);
  }
}

}  // namespace onsmqtt::yaml
