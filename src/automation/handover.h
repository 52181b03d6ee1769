// The hand-over to the instance's owner, the runbook's first containment step: what was done, to
// which instance of whose, with what evidence, and how to undo it, published to an SNS topic
// (`--notify sns:TOPIC_ARN` on watch, contain, lab, cleanup and the Lambda function).
#pragma once

#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "base/json.h"
#include "evidence/case_store.h"
#include "response/executor.h"

namespace cordon::automation {

struct HandOver {
  std::string case_id, instance_id, region;
  std::string result;              // "contained", "triaged"
  std::string owner, criticality;  // "owner=alice" as cloud::FirstTagMatch gives them; "" when untagged
  std::string severity;            // the event's ("8"), "" for a tag change
  std::string reason;              // what started it: the event and the rule
  std::vector<response::StepReport> steps;
  std::vector<evidence::EvidenceItem> evidence;
};

// The message body, as JSON: {"case", "instance_id", "region", "result", "owner", "criticality",
// "severity", "reason", "actions": [{"step", "status", "detail"}], "evidence": [{"kind", "location",
// "sha256"?}], "release": "cordon release --case ..."}. Pure.
Json HandOverMessage(const HandOver& handover);

// "sns:arn:aws:sns:REGION:ACCOUNT:NAME" -> the topic ARN; kInvalidArgument for another form.
[[nodiscard]] Result<std::string> ParseNotifyTarget(const std::string& target);

// SNS Publish of HandOverMessage to `topic_arn` (in the topic's region), with message attributes
// case_id, instance_id and severity (when known). Returns the SNS message id.
[[nodiscard]] Result<std::string> PublishHandOver(aws::Client& client, const std::string& topic_arn,
                                                  const HandOver& handover);

// What the command handing a run over knows beyond the run's report.
struct HandOverContext {
  std::string topic_arn;
  std::string command;   // "contain", "watch", "lab up": the journal note's step
  std::string result;    // "contained", "lab up", "cleaned up"
  std::string reason;    // what started it ("GuardDuty finding ... ; rule high-ec2", "contain by alice")
  std::string severity;  // "" when unknown (no finding)
  std::string owner_tags = "owner,team,contact", criticality_tags = "criticality,env,environment";
};

// Hands one target's run over: the owner and criticality from `tags` (an EC2 TagList) or, when it is
// null, from the instance's tags as the case recorded them before anything changed; the case's
// evidence of the instance; the steps of `report`. Publishes (PublishHandOver) and journals a note
// under `context.command` with the SNS message id. An error when it could not be published.
[[nodiscard]] Status HandOverRun(aws::Client& client, evidence::CaseStore& store,
                                 const HandOverContext& context, const response::TargetReport& report,
                                 const Json& tags);

}  // namespace cordon::automation
