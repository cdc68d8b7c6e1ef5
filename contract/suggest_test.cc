// contract/suggest.h: the one "did you mean" rule of the project.
#include "contract/suggest.h"

#include <gtest/gtest.h>

#include "contract/yaml_tree.h"

namespace onsmqtt {
namespace {

TEST(EditDistance, IsLevenshteinWithoutCase) {
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("DeviceSN", "devicesn"), 0u);
  EXPECT_EQ(EditDistance("CaSn", "CaSnX"), 1u);
}

TEST(NearestName, CaseOnlyAndSmallEditsAreFound) {
  const std::vector<std::string> params = {"MqttInstanceId", "DeviceSn", "CaSn"};
  EXPECT_EQ(NearestName("DeviceSN", params), "DeviceSn");
  EXPECT_EQ(NearestName("mqttinstanceid", params), "MqttInstanceId");
  EXPECT_EQ(NearestName("MqttInstancId", params), "MqttInstanceId");
  EXPECT_EQ(NearestName("CaSN", params), "CaSn");
}

TEST(NearestName, FarNamesAndNoCandidatesGiveNothing) {
  EXPECT_EQ(NearestName("RegionId", {"MqttInstanceId", "DeviceSn", "CaSn"}), "");
  EXPECT_EQ(NearestName("PageNo", {}), "");
  // The limit grows with the word: max(2, size / 3) edits.
  EXPECT_EQ(NearestName("abc", {"xyz"}), "");
  EXPECT_EQ(NearestName("abcdefghi", {"abcdefxyz"}), "abcdefxyz");
  EXPECT_EQ(NearestName("abcdefghi", {"abcdewxyz"}), "");
}

TEST(NearestName, TheFirstOfEqualsWins) {
  EXPECT_EQ(NearestName("Sn", {"CaSn", "DeSn"}), "CaSn");
  EXPECT_EQ(NearestName("Sn", {"DeSn", "CaSn"}), "DeSn");
  EXPECT_EQ(NearestName("CaSnn", {"Sn", "CaSn"}), "CaSn") << "the closest, not the first";
}

TEST(NearestName, YamlDidYouMeanQuotesIt) {
  EXPECT_EQ(yaml::DidYouMean("acounts", {"accounts", "keys"}), "did you mean \"accounts\"?");
  EXPECT_EQ(yaml::DidYouMean("zzzzzz", {"accounts", "keys"}), "");
}

}  // namespace
}  // namespace onsmqtt
