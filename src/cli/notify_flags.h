// --notify sns:TOPIC_ARN, --owner-tags, --criticality-tags of contain, lab and cleanup: the hand-over
// of what the command did to the instance's owner (automation/handover.h), as watch publishes it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "automation/handover.h"
#include "aws/client.h"
#include "base/error.h"
#include "evidence/case_store.h"
#include "response/executor.h"

namespace cordon::cli {

struct NotifyFlags {
  std::string notify;  // as given: sns:TOPIC_ARN
  std::string owner_tags = "owner,team,contact", criticality_tags = "criticality,env,environment";
  std::string topic_arn;  // from `notify`, by CheckNotifyFlags
};

void AddNotifyFlags(CLI::App& app, NotifyFlags* flags);

// kInvalidArgument unless --notify is empty or sns:arn:aws...:TOPIC.
[[nodiscard]] Status CheckNotifyFlags(NotifyFlags* flags);

// With --notify: publishes one hand-over per report (`result` the command's verb, `reason` what the
// responder gave), owner and criticality from the case's recorded pre-state. Returns `status`, or 1
// when a hand-over could not be published (said on stderr; what the command did stays done).
int NotifyReports(aws::Client& client, evidence::CaseStore& store, const NotifyFlags& flags,
                  automation::HandOverContext context, const std::vector<response::TargetReport>& reports,
                  int status);

}  // namespace cordon::cli
