#include "automation/automation_template.h"

#include <gtest/gtest.h>

#include "base/json_parse.h"

namespace cordon::automation {
namespace {

TEST(AutomationTemplate, IsJsonWithTheQueueItsDlqTheRulesAndTheTopic) {
  auto t = ParseJsonInput(AutomationTemplate(), "the template");
  ASSERT_TRUE(t) << t.error().message;
  const Json& r = (*t)["Resources"];
  EXPECT_EQ(r["EventQueue"]["Type"], "AWS::SQS::Queue");
  EXPECT_EQ(r["EventQueue"]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0],
            "DeadLetterQueue");
  EXPECT_EQ(r["HandOverTopic"]["Type"], "AWS::SNS::Topic");
  int rules = 0;
  for (const auto& [name, res] : r.items()) {
    if (res["Type"] != "AWS::Events::Rule") continue;
    ++rules;
    EXPECT_EQ(res["Properties"]["Targets"][0]["Arn"]["Fn::GetAtt"][0], "EventQueue") << name;
  }
  EXPECT_EQ(rules, 4);
  // EventBridge may send to the queue for these rules only.
  const Json& st = r["EventQueuePolicy"]["Properties"]["PolicyDocument"]["Statement"][0];
  EXPECT_EQ(st["Principal"]["Service"], "events.amazonaws.com");
  EXPECT_EQ(st["Condition"]["ArnEquals"]["aws:SourceArn"].size(), 4u);
  for (const char* out : {"QueueUrl", "QueueArn", "DeadLetterQueueUrl", "TopicArn"})
    EXPECT_TRUE((*t)["Outputs"].contains(out)) << out;
}

}  // namespace
}  // namespace cordon::automation
