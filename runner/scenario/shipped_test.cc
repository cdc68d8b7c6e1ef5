#include "runner/scenario/shipped.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "contract/yaml_test_util.h"

namespace onsmqtt::runner {
namespace {

// The build embedded every shipped scenario as it is on disk now (else the
// build is stale: the loader's cache would silently stop applying), and
// nothing else: the fixtures are the contract library's table.
TEST(ShippedScenarios, EmbedsEveryScenarioFileAsOnDisk) {
  std::set<std::string> paths = yaml::ExpectEmbeddedAsOnDisk(ShippedScenarios(), ONSMQTT_SOURCE_DIR);
  EXPECT_TRUE(paths.count("scenarios/active_device_certificate/success.yaml"));
  EXPECT_GE(paths.size(), 11u);
  for (const std::string& path : paths) EXPECT_EQ(path.rfind("scenarios/", 0), 0u) << path;
}

TEST(ShippedScenarios, EmbeddedTreesAreWhatYamlCppParses) {
  yaml::ExpectEmbeddedTreesAreWhatYamlCppParses(ShippedScenarios());
}

}  // namespace
}  // namespace onsmqtt::runner
