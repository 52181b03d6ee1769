#include "automation/event.h"

#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "testing/test_paths.h"

namespace cordon::automation {
namespace {

std::string Sample(const std::string& relative) {
  std::ifstream in(std::string(::cordon::test::TestDataDir()) + "/" + relative, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The one event of a message that holds one.
Result<Event> ParseEvent(std::string_view body) {
  auto events = ParseEvents(body);
  if (!events) return MakeError(events.error());
  EXPECT_EQ(events->size(), 1u);
  return events->front();
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
  auto e = ParseEvent(
      R"({"detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","detail":{}})");
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

namespace cordon::automation {
namespace {

TEST(ParseEvents, CloudTrailCreateTagsGivesOneTagChangePerInstance) {
  auto events = ParseEvents(R"({"version":"0","id":"env-1","detail-type":"AWS API Call via CloudTrail",
    "source":"aws.ec2","time":"2026-12-03T06:11:00Z","region":"us-east-1","resources":[],
    "detail":{"eventSource":"ec2.amazonaws.com","eventName":"CreateTags","eventTime":"2026-12-03T06:10:59Z",
      "eventID":"ct-1","awsRegion":"us-east-1",
      "requestParameters":{"resourcesSet":{"items":[{"resourceId":"i-0abc123def4567890"},{"resourceId":"vol-0123"},
                                                   {"resourceId":"i-0fedcba9876543210"}]},
                           "tagSet":{"items":[{"key":"incident-response","value":"contain"}]}}}})");
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].instance_id, "i-0abc123def4567890");
  EXPECT_EQ((*events)[1].instance_id, "i-0fedcba9876543210");
  for (const Event& e : *events) {
    EXPECT_EQ(e.kind, EventKind::kTagChange);
    EXPECT_EQ(e.time, "2026-12-03T06:10:59Z");  // the call's time, as the aws.tag event would carry
    EXPECT_EQ(e.event_id, "ct-1");
    EXPECT_EQ(e.tags.at("incident-response"), "contain");
    EXPECT_EQ(e.changed_tag_keys, std::vector<std::string>{"incident-response"});
  }
}

TEST(ParseEvents, CloudTrailFailedOrOtherCallsAreIgnored) {
  for (
      const char* body : {
          R"({"detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","detail":{"eventSource":"ec2.amazonaws.com",
               "eventName":"CreateTags","errorCode":"Client.UnauthorizedOperation","requestParameters":{}}})",
          R"({"detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","detail":{"eventSource":"ec2.amazonaws.com",
               "eventName":"RunInstances"}})",
          R"({"detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","detail":{"eventSource":"ec2.amazonaws.com",
               "eventName":"CreateTags","requestParameters":{"resourcesSet":{"items":[{"resourceId":"vol-1"}]}}}})"}) {
    auto events = ParseEvents(body);
    ASSERT_TRUE(events) << events.error().message;
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ(events->front().kind, EventKind::kOther);
    EXPECT_FALSE(events->front().ignored.empty());
  }
}

TEST(ParseEvents, SecurityHubFindingPerInstanceResource) {
  auto events = ParseEvents(R"({"detail-type":"Security Hub Findings - Imported","source":"aws.securityhub",
    "region":"us-east-1","detail":{"findings":[
      {"Id":"arn:aws:securityhub:us-east-1:123456789012:finding/abc","Types":["TTPs/Command and Control/Backdoor"],
       "Severity":{"Label":"HIGH","Normalized":70},"RecordState":"ACTIVE",
       "Resources":[{"Type":"AwsEc2Instance","Id":"arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc123def4567890",
                     "Region":"eu-west-1"},{"Type":"AwsS3Bucket","Id":"arn:aws:s3:::b"}]},
      {"Id":"old","RecordState":"ARCHIVED","Resources":[{"Type":"AwsEc2Instance",
       "Id":"arn:aws:ec2:us-east-1:123456789012:instance/i-0fedcba9876543210"}]}]}})");
  ASSERT_TRUE(events) << events.error().message;
  ASSERT_EQ(events->size(), 1u);
  const Event& e = events->front();
  EXPECT_EQ(e.kind, EventKind::kSecurityHubFinding);
  EXPECT_EQ(e.instance_id, "i-0abc123def4567890");
  EXPECT_EQ(e.region, "eu-west-1");
  EXPECT_EQ(e.severity, 7);
  EXPECT_EQ(e.finding_type, "TTPs/Command and Control/Backdoor");
  EXPECT_EQ(e.finding_id, "arn:aws:securityhub:us-east-1:123456789012:finding/abc");
}

TEST(ParseEvents, SecurityHubWithoutIdOrWithABadInstanceArnIsMalformed) {
  for (
      const char* body :
      {R"({"detail-type":"Security Hub Findings - Imported","source":"aws.securityhub","detail":{"findings":[{}]}})",
       R"({"detail-type":"Security Hub Findings - Imported","source":"aws.securityhub","detail":{"findings":[
               {"Id":"x","Resources":[{"Type":"AwsEc2Instance","Id":"arn:aws:ec2:r:a:instance/i-0abc;rm -rf"}]}]}})",
       R"({"detail-type":"Security Hub Findings - Imported","source":"aws.securityhub","detail":{}})"}) {
    auto events = ParseEvents(body);
    ASSERT_FALSE(events) << body;
    EXPECT_EQ(events.error().kind, ErrorKind::kInvalidArgument);
  }
}

}  // namespace
}  // namespace cordon::automation
