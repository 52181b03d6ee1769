#include "hunt/findings_reader.h"

#include <gtest/gtest.h>

#include <set>

#include "hunt/test_util.h"

namespace cordon::hunt {
namespace {

using testing::Hunt;
using testing::TestData;

std::string Base(const std::string& path) { return path.substr(path.rfind('/') + 1); }

TEST(GuardDutyReader, FindingShapesApiAndEventBridge) {
  Selectors s;
  s.instances = {"i-05746eb48123455e0"};
  HuntResults r = Hunt(s, {{LogKind::kGuardDuty, TestData("guardduty")}});
  EXPECT_TRUE(r.skipped.empty());
  // The camelCase finding and its EventBridge-wrapped copy (derived/).
  ASSERT_EQ(r.findings.size(), 2u);
  std::set<std::string> files;
  for (const Finding& f : r.findings) {
    EXPECT_EQ(f.kind, "guardduty");
    EXPECT_EQ(f.id, "16afba5c5c43e07c9e3e5e2e544e95df");
    EXPECT_EQ(f.type, "Canary:EC2/Stateless.IntegTest");
    EXPECT_EQ(f.resource, "i-05746eb48123455e0");
    EXPECT_EQ(f.severity, 5);
    files.insert(Base(f.file));
  }
  EXPECT_EQ(files,
            (std::set<std::string>{"guardduty_ec2_event.json", "eventbridge-guardduty_ec2_event.json"}));
}

TEST(GuardDutyReader, PascalCaseFindingsResponse) {
  Selectors s;
  s.instances = {"i-99999999"};
  HuntResults r = Hunt(s, {{LogKind::kGuardDuty, TestData("guardduty/secmon-as-code-alertchain")}});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].type, "Trojan:EC2/DropPoint!DNS");
  EXPECT_EQ(r.findings[0].severity, 8);
  EXPECT_EQ(r.findings[0].resource, "i-99999999");
}

TEST(ConfigReader, InstanceLifecycleInEveryShape) {
  Selectors s;
  s.instances = {"i-0a763ac3ee37d8d2b"};
  HuntResults r = Hunt(s, {{LogKind::kConfig, TestData("config")}});
  EXPECT_TRUE(r.skipped.empty());
  // ec2.0-4 + ec2.5, ec2.6 and ec2.malformed (SNS envelopes), ec2.0-4.message (bare notifications), and
  // the 5 items of the history file: 18 items, 5 distinct states.
  EXPECT_EQ(r.findings.size(), 18u);
  std::set<std::string> states;
  for (const Finding& f : r.findings) states.insert(f.id);
  EXPECT_EQ(states.size(), 5u);
  const Finding* restart = nullptr;
  for (const Finding& f : r.findings) {
    if (Base(f.file) == "ec2.2.json") restart = &f;
  }
  ASSERT_NE(restart, nullptr);
  EXPECT_EQ(restart->title, "OK (UPDATE)");
  EXPECT_EQ(restart->time, "2019-02-22T21:02:18.758Z");
  EXPECT_NE(std::find(restart->details.begin(), restart->details.end(), "Configuration.PublicIpAddress"),
            restart->details.end());
}

TEST(ConfigReader, PublicIpFindsTheItemsThatHadIt) {
  Selectors s;
  s.ips = {"34.219.72.29"};  // the new public IP after the restart (ec2.2), gone again at ec2.3's stop
  HuntResults r =
      Hunt(s, {{LogKind::kConfig, TestData("config/derived/ec2-i-0a763ac3ee37d8d2b.history.json")}});
  ASSERT_EQ(r.findings.size(), 1u);  // only the ec2.2 item: history files carry no diffs
  EXPECT_EQ(r.findings[0].time, "2019-02-22T21:02:18.758Z");
}

TEST(ConfigReader, InvalidMessageInEnvelopeIsSkippedWithFileName) {
  Selectors s;
  s.instances = {"i-08f37101ae44e31e4"};
  HuntResults r =
      Hunt(s, {{LogKind::kConfig, TestData("config/asecurityteam-awsconfig-transformerd/pkg/handlers/"
                                             "v1/testdata/ec2.deleted-malformed.json")}});
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(Base(r.skipped[0].file), "ec2.deleted-malformed.json");
  EXPECT_EQ(r.skipped[0].unit, "record");
  EXPECT_NE(r.skipped[0].reason.find("SNS Message"), std::string::npos) << r.skipped[0].reason;
}

}  // namespace
}  // namespace cordon::hunt
