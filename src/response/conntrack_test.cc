#include "response/conntrack.h"

#include <gtest/gtest.h>

namespace cordon::response {
namespace {

TEST(Conntrack, MinimumsAreTheApiReferences) {
  EXPECT_EQ(MinimalConntrack(),
            (Json{{"TcpEstablishedTimeout", 60}, {"UdpStreamTimeout", 60}, {"UdpTimeout", 30}}));
}

TEST(Conntrack, NeverSetReadsAsTheDefaults) {
  EXPECT_TRUE(ConntrackOf(Json{{"NetworkInterfaceId", "eni-1"}}).is_null());
  const Json defaults = {{"TcpEstablishedTimeout", 432000}, {"UdpStreamTimeout", 180}, {"UdpTimeout", 30}};
  EXPECT_EQ(EffectiveConntrack(nullptr), defaults);
  EXPECT_TRUE(DefaultsUsed(nullptr));
  EXPECT_TRUE(SameConntrack(nullptr, defaults));
  EXPECT_FALSE(SameConntrack(nullptr, MinimalConntrack()));
}

TEST(Conntrack, PartialConfigurationKeepsWhatWasSet) {
  const Json eni = {{"ConnectionTrackingConfiguration", {{"TcpEstablishedTimeout", 3600}}}};
  const Json recorded = ConntrackOf(eni);
  EXPECT_EQ(EffectiveConntrack(recorded)["TcpEstablishedTimeout"], 3600);
  EXPECT_EQ(EffectiveConntrack(recorded)["UdpStreamTimeout"], 180);
  EXPECT_TRUE(DefaultsUsed(recorded));
  EXPECT_FALSE(DefaultsUsed(MinimalConntrack()));
  EXPECT_EQ(DescribeConntrack(recorded), "TCP established 3600 s, UDP stream default, UDP default");
  EXPECT_EQ(DescribeConntrack(nullptr), "not set");
}

}  // namespace
}  // namespace cordon::response
