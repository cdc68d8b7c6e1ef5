// Which scenarios a run selects: --tags, --filter, --shard.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "runner/execute/executor.h"

namespace onsmqtt::runner {
namespace {

TEST(Selection, TagsFilterAndShards) {
  ScenarioFile file{"scenarios/x.yaml", "x", "", {}};
  for (int i = 0; i < 40; ++i) {
    Scenario s;
    s.name = "s" + std::to_string(i);
    s.classname = "onsmqtt.test";
    s.tags = {i % 2 ? "odd" : "even"};
    file.scenarios.push_back(s);
  }
  RunOptions tags;
  tags.tags = {"odd"};
  RunOptions filter;
  filter.filter = std::regex("\\.s1[0-9]$");
  int odd = 0, filtered = 0;
  for (const Scenario& s : file.scenarios) {
    odd += IsSelected(file, s, tags);
    filtered += IsSelected(file, s, filter);
  }
  EXPECT_EQ(odd, 20);
  EXPECT_EQ(filtered, 10);
  std::vector<int> per_shard(3, 0);
  for (const Scenario& s : file.scenarios) {
    int shards = 0;
    for (int i = 1; i <= 3; ++i) {
      RunOptions o;
      o.shard_index = i;
      o.shard_count = 3;
      if (IsSelected(file, s, o)) ++shards, ++per_shard[i - 1];
    }
    EXPECT_EQ(shards, 1) << s.name << " belongs to exactly one shard";
  }
  for (int n : per_shard) EXPECT_GT(n, 5) << "shards are reasonably balanced";
  EXPECT_EQ(StableHash("onsmqtt.test.s1"), 0x2876618aa7193ea3ull) << "the hash must never change";
}

}  // namespace
}  // namespace onsmqtt::runner
