// The CloudFormation template of the event plumbing `cordon watch` reads (`cordon automation
// template` prints it, `cordon automation deploy` creates it): the queue and its dead-letter queue,
// the queue policy letting EventBridge send, one EventBridge rule per event kind watch acts on, and
// the hand-over topic. Not in it yet: the Lambda function that would run cordon itself.
#pragma once

#include <string_view>

namespace cordon::automation {

// The template (JSON). Parameters: VisibilityTimeout (default 900 s), MaxReceiveCount (5),
// TriggerTagKey (incident-response). Outputs: QueueUrl, QueueArn, DeadLetterQueueUrl, TopicArn.
std::string_view AutomationTemplate();

}  // namespace cordon::automation
