#include "automation/handover.h"

#include <gtest/gtest.h>

namespace cordon::automation {
namespace {

TEST(HandOver, MessageSaysWhatWasDoneAndHowToUndoIt) {
  HandOver h;
  h.case_id = "AUTO-GD-1";
  h.instance_id = "i-0abc123def4567890";
  h.region = "us-east-1";
  h.result = "contained";
  h.owner = "Owner=web-team";
  h.severity = "8";
  response::StepReport done;
  done.step = "isolate-network";
  done.status = response::StepStatus::kDone;
  done.detail = "2 ENIs";
  h.steps = {done};
  evidence::EvidenceItem snap;
  snap.kind = evidence::EvidenceKind::kSnapshot;
  snap.location = "snap-0123";
  h.evidence = {snap};
  Json m = HandOverMessage(h);
  EXPECT_EQ(m["case"], "AUTO-GD-1");
  EXPECT_EQ(m["owner"], "Owner=web-team");
  EXPECT_EQ(m["actions"][0]["step"], "isolate-network");
  EXPECT_EQ(m["actions"][0]["status"], "done");
  EXPECT_EQ(m["evidence"][0]["location"], "snap-0123");
  EXPECT_FALSE(m["evidence"][0].contains("sha256"));  // a snapshot has none
  EXPECT_NE(m["release"].get<std::string>().find("cordon release --case AUTO-GD-1"), std::string::npos);
}

TEST(HandOver, NotifyTakesAnSnsTopicArn) {
  auto topic = ParseNotifyTarget("sns:arn:aws:sns:eu-west-1:123456789012:ir-handover");
  ASSERT_TRUE(topic) << topic.error().message;
  EXPECT_EQ(*topic, "arn:aws:sns:eu-west-1:123456789012:ir-handover");
  for (const char* bad : {"arn:aws:sns:eu-west-1:123456789012:x", "sns:ir-handover", "slack:#ir", ""})
    EXPECT_FALSE(ParseNotifyTarget(bad)) << bad;
}

}  // namespace
}  // namespace cordon::automation
