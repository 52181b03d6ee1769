#include "automation/event.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cordon::automation {
namespace {

std::string Sample(const std::string& relative) {
  std::ifstream in(std::string(CORDON_TEST_DATA_DIR) + "/" + relative, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ParseEvent, GuardDutyFindingOnAnInstance) {
  auto e = ParseEvent(Sample("guardduty/derived/eventbridge-guardduty_ec2_event.json"));
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->kind, EventKind::kGuardDutyFinding);
  EXPECT_EQ(e->instance_id, "i-05746eb48123455e0");
  EXPECT_EQ(e->finding_id, "16afba5c5c43e07c9e3e5e2e544e95df");
  EXPECT_EQ(e->finding_type, "Canary:EC2/Stateless.IntegTest");
  EXPECT_EQ(e->severity, 5);
  EXPECT_EQ(e->region, "us-east-1");
  EXPECT_EQ(e->event_id, "cd2d702e-ab31-411b-9344-793ce56b1bc7");
}

TEST(ParseEvent, FindingOnAnAccessKeyIsIgnoredNotAnError) {
  auto e = ParseEvent(Sample("guardduty/derived/eventbridge-guardduty_iam_event.json"));
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->kind, EventKind::kOther);
  EXPECT_NE(e->ignored.find("AccessKey"), std::string::npos) << e->ignored;
  EXPECT_TRUE(e->instance_id.empty());
}

TEST(ParseEvent, TagChangeOnAnInstance) {
  auto e = ParseEvent(R"({"version":"0","id":"e1","detail-type":"Tag Change on Resource","source":"aws.tag",
    "account":"123456789012","time":"2026-12-03T06:10:00Z","region":"eu-west-1",
    "resources":["arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc123def4567890"],
    "detail":{"changed-tag-keys":["incident-response"],"service":"ec2","resource-type":"instance","version":3,
              "tags":{"incident-response":"contain","Owner":"web"}}})");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->kind, EventKind::kTagChange);
  EXPECT_EQ(e->instance_id, "i-0abc123def4567890");
  EXPECT_EQ(e->tags.at("incident-response"), "contain");
  EXPECT_EQ(e->changed_tag_keys, std::vector<std::string>{"incident-response"});
  EXPECT_EQ(e->region, "eu-west-1");
}

TEST(ParseEvent, TagChangeOnAnotherResourceIsIgnored) {
  auto e = ParseEvent(R"({"detail-type":"Tag Change on Resource","source":"aws.tag",
    "resources":["arn:aws:s3:::bucket"],"detail":{"service":"s3","resource-type":"bucket","tags":{}}})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, EventKind::kOther);
}

TEST(ParseEvent, OtherSourcesAreIgnored) {
  auto e = ParseEvent(R"({"detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","detail":{}})");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, EventKind::kOther);
}

TEST(ParseEvent, MalformedBodiesAreErrorsThatNeverQuoteTheBody) {
  const std::string secret = "AKIASECRETMARKER0000";
  for (const std::string& body : {
           std::string("{\"detail-type\": \"GuardDuty Finding\", \"x\": \"") + secret,
           std::string("[\"") + secret + "\"]",
           std::string("{\"source\": \"") + secret + "\"}",
           std::string(R"({"source":"aws.guardduty","detail-type":"GuardDuty Finding","detail":{"id":"f",
             "resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-; rm -rf /"}}}})"),
           std::string(R"({"source":"aws.guardduty","detail-type":"GuardDuty Finding","detail":{}})"),
           std::string(R"({"source":"aws.tag","detail-type":"Tag Change on Resource","resources":["x"],
             "detail":{"service":"ec2","resource-type":"instance"}})"),
       }) {
    auto e = ParseEvent(body);
    ASSERT_FALSE(e) << body;
    EXPECT_EQ(e.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_EQ(e.error().message.find(secret), std::string::npos) << e.error().message;
  }
}

}  // namespace
}  // namespace cordon::automation
