#include "posture/finding.h"

#include <gtest/gtest.h>

namespace cordon::posture {
namespace {

Finding Make(const char* check, Severity s, const char* region, std::vector<std::string> evidence) {
  Finding f;
  f.check = check;
  f.severity = s;
  f.region = region;
  f.evidence = std::move(evidence);
  return f;
}

TEST(PostureNormalize, HighestSeverityFirstThenRegion) {
  Posture p;
  p.findings = {Make("a", Severity::kLow, "us-east-1", {"x"}),
                Make("b", Severity::kCritical, "us-west-2", {"y"}),
                Make("c", Severity::kCritical, "eu-west-1", {"z"})};
  Normalize(&p);
  EXPECT_EQ(p.findings[0].check, "c");
  EXPECT_EQ(p.findings[1].check, "b");
  EXPECT_EQ(p.findings[2].check, "a");
}

TEST(PostureShareOf, KeepsFindingsNamingTheIdsAndTheirRegionsGaps) {
  Posture p;
  p.findings = {Make("sg.world_open", Severity::kHigh, "us-east-1", {"sg-1", "eni-1", "i-1"}),
                Make("instance.imdsv1", Severity::kHigh, "us-east-1", {"i-2"}),
                Make("vpc.no_flow_logs", Severity::kMedium, "us-east-1", {"vpc-1"})};
  p.not_assessed = {{"macie", "us-east-1", "AccessDenied"}, {"macie", "eu-west-1", "AccessDenied"}};
  Posture share = ShareOf(p, {"i-1", "vpc-1"});
  ASSERT_EQ(share.findings.size(), 2u);
  EXPECT_EQ(share.findings[0].check, "sg.world_open");
  EXPECT_EQ(share.findings[1].check, "vpc.no_flow_logs");
  ASSERT_EQ(share.not_assessed.size(), 1u);
  EXPECT_EQ(share.not_assessed[0].region, "us-east-1");
}

TEST(PostureShareOf, WithNothingFoundKeepsEveryGap) {
  Posture p;
  p.regions = {"eu-west-1", "us-east-1"};
  p.findings = {Make("instance.imdsv1", Severity::kHigh, "us-east-1", {"i-2"})};
  p.not_assessed = {{"instance.imdsv1", "us-east-1", "AccessDenied"}, {"macie", "eu-west-1", "AccessDenied"}};
  Posture share = ShareOf(p, {"i-1"});
  EXPECT_TRUE(share.findings.empty());
  EXPECT_EQ(share.not_assessed.size(), 2u);  // either gap could hide a finding on i-1
  EXPECT_EQ(share.regions, p.regions);
}

TEST(PostureToJson, SummaryCountsBySeverity) {
  Posture p;
  p.account = "123456789012";
  p.findings = {Make("a", Severity::kHigh, "r", {"x"}), Make("b", Severity::kHigh, "r", {"y"})};
  Json j = ToJson(p);
  EXPECT_EQ(j["summary"]["findings"], 2);
  EXPECT_EQ(j["summary"]["by_severity"]["high"], 2);
  EXPECT_EQ(j["findings"][0]["severity"], "high");
  EXPECT_FALSE(j.contains("suspect"));
}

}  // namespace
}  // namespace cordon::posture
