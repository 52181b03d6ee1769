#include "cloud/tags.h"

#include <gtest/gtest.h>

namespace cordon::cloud {
namespace {

TEST(Tags, SortedFromTagList) {
  Tags t = TagsFromList(Json::parse(R"([{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}])"));
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].first, "a");
  EXPECT_TRUE(TagsFromList(Json()).empty());
}

TEST(Tags, FirstMatchFollowsKeyPreferenceCaseInsensitively) {
  Tags t = {{"Env", "prod"}, {"Team", "payments"}, {"owner", "alice"}};
  EXPECT_EQ(FirstTagMatch(t, {"Owner", "team"}), "owner=alice");
  EXPECT_EQ(FirstTagMatch(t, {"team", "owner"}), "Team=payments");
  EXPECT_EQ(FirstTagMatch(t, {"criticality", "env"}), "Env=prod");
  EXPECT_EQ(FirstTagMatch(t, {"cost-center"}), "");
}

TEST(Tags, ParseKeyList) {
  EXPECT_EQ(ParseKeyList(" owner, team ,,"), (std::vector<std::string>{"owner", "team"}));
  EXPECT_TRUE(ParseKeyList("").empty());
}

}  // namespace
}  // namespace cordon::cloud
