// `cordon automation deploy`: creates the stack of AutomationTemplate() and waits for it, or finds
// it already there (a rerun changes nothing).
#pragma once

#include <map>
#include <string>

#include "aws/client.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::automation {

struct Deployed {
  std::string stack_id, status;
  bool created = false;                        // false: the stack was there already
  std::map<std::string, std::string> outputs;  // QueueUrl, QueueArn, DeadLetterQueueUrl, TopicArn
};

// CreateStack (tagged cordon:managed=true) with `parameters` (template parameter -> value), then
// the StackCreateComplete waiter; a stack of that name that is complete is returned as it is, one in
// progress is waited for. kConflict naming the status for a stack that failed or is being deleted
// (with the first failure reason CloudFormation gives).
[[nodiscard]] Result<Deployed> DeployAutomation(aws::Client& client, const std::string& stack,
                                                const std::map<std::string, std::string>& parameters);

}  // namespace cordon::automation
