#include "automation/automation_template.h"

namespace cordon::automation {
namespace {

// Each rule matches only what watch acts on, so the queue (and its DLQ) carry no noise: GuardDuty
// findings, tag changes and CreateTags calls on instances naming the trigger key, and Security Hub
// findings with an EC2 instance resource. The queue policy admits EventBridge for these rules only.
constexpr std::string_view kTemplate = R"cfn({
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "cordon watch: EventBridge rules -> SQS queue (with a dead-letter queue) and the hand-over topic",
  "Parameters": {
    "VisibilityTimeout": {"Type": "Number", "Default": 900,
                          "Description": "seconds a received event stays hidden (watch keeps it hidden while it works)"},
    "MaxReceiveCount": {"Type": "Number", "Default": 5,
                        "Description": "receives before an event that keeps failing moves to the dead-letter queue"},
    "TriggerTagKey": {"Type": "String", "Default": "incident-response",
                      "Description": "the tag whose change is sent to watch (the policy decides its value)"}
  },
  "Resources": {
    "DeadLetterQueue": {"Type": "AWS::SQS::Queue",
                        "Properties": {"MessageRetentionPeriod": 1209600,
                                       "Tags": [{"Key": "cordon:managed", "Value": "true"}]}},
    "EventQueue": {"Type": "AWS::SQS::Queue",
                   "Properties": {"VisibilityTimeout": {"Ref": "VisibilityTimeout"},
                                  "MessageRetentionPeriod": 1209600,
                                  "RedrivePolicy": {"deadLetterTargetArn": {"Fn::GetAtt": ["DeadLetterQueue", "Arn"]},
                                                    "maxReceiveCount": {"Ref": "MaxReceiveCount"}},
                                  "Tags": [{"Key": "cordon:managed", "Value": "true"}]}},
    "EventQueuePolicy": {"Type": "AWS::SQS::QueuePolicy",
                         "Properties": {"Queues": [{"Ref": "EventQueue"}],
                                        "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
                                          "Sid": "EventBridgeRulesOnly", "Effect": "Allow",
                                          "Principal": {"Service": "events.amazonaws.com"},
                                          "Action": "sqs:SendMessage",
                                          "Resource": {"Fn::GetAtt": ["EventQueue", "Arn"]},
                                          "Condition": {"ArnEquals": {"aws:SourceArn": [
                                            {"Fn::GetAtt": ["GuardDutyRule", "Arn"]},
                                            {"Fn::GetAtt": ["TagChangeRule", "Arn"]},
                                            {"Fn::GetAtt": ["CreateTagsRule", "Arn"]},
                                            {"Fn::GetAtt": ["SecurityHubRule", "Arn"]}]}}}]}}},
    "HandOverTopic": {"Type": "AWS::SNS::Topic",
                      "Properties": {"Tags": [{"Key": "cordon:managed", "Value": "true"}]}},
    "GuardDutyRule": {"Type": "AWS::Events::Rule",
                      "Properties": {"Description": "cordon watch: GuardDuty findings on EC2 instances",
                                     "State": "ENABLED",
                                     "EventPattern": {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"],
                                                      "detail": {"resource": {"resourceType": ["Instance"]}}},
                                     "Targets": [{"Id": "cordon-watch", "Arn": {"Fn::GetAtt": ["EventQueue", "Arn"]}}]}},
    "TagChangeRule": {"Type": "AWS::Events::Rule",
                      "Properties": {"Description": "cordon watch: the trigger tag changed on an EC2 instance",
                                     "State": "ENABLED",
                                     "EventPattern": {"source": ["aws.tag"], "detail-type": ["Tag Change on Resource"],
                                                      "detail": {"service": ["ec2"], "resource-type": ["instance"],
                                                                 "changed-tag-keys": [{"Ref": "TriggerTagKey"}]}},
                                     "Targets": [{"Id": "cordon-watch", "Arn": {"Fn::GetAtt": ["EventQueue", "Arn"]}}]}},
    "CreateTagsRule": {"Type": "AWS::Events::Rule",
                       "Properties": {"Description": "cordon watch: CreateTags as CloudTrail records it",
                                      "State": "ENABLED",
                                      "EventPattern": {"source": ["aws.ec2"], "detail-type": ["AWS API Call via CloudTrail"],
                                                       "detail": {"eventSource": ["ec2.amazonaws.com"],
                                                                  "eventName": ["CreateTags"]}},
                                      "Targets": [{"Id": "cordon-watch", "Arn": {"Fn::GetAtt": ["EventQueue", "Arn"]}}]}},
    "SecurityHubRule": {"Type": "AWS::Events::Rule",
                        "Properties": {"Description": "cordon watch: Security Hub findings on EC2 instances",
                                       "State": "ENABLED",
                                       "EventPattern": {"source": ["aws.securityhub"],
                                                        "detail-type": ["Security Hub Findings - Imported"],
                                                        "detail": {"findings": {"Resources": {"Type": ["AwsEc2Instance"]}}}},
                                       "Targets": [{"Id": "cordon-watch", "Arn": {"Fn::GetAtt": ["EventQueue", "Arn"]}}]}}
  },
  "Outputs": {
    "QueueUrl": {"Value": {"Ref": "EventQueue"}},
    "QueueArn": {"Value": {"Fn::GetAtt": ["EventQueue", "Arn"]}},
    "DeadLetterQueueUrl": {"Value": {"Ref": "DeadLetterQueue"}},
    "TopicArn": {"Value": {"Ref": "HandOverTopic"}}
  }
}
)cfn";

}  // namespace

std::string_view AutomationTemplate() { return kTemplate; }

}  // namespace cordon::automation
