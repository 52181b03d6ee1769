#include "cli/notify_flags.h"

#include "cli/exit_codes.h"
#include "cli/output.h"

namespace cordon::cli {

void AddNotifyFlags(CLI::App& app, NotifyFlags* f) {
  app.add_option("--notify", f->notify,
                 "publish the hand-over (what was done, evidence, how to release) to sns:TOPIC_ARN");
  app.add_option("--owner-tags", f->owner_tags,
                 "tag keys naming the owner in the hand-over (default owner,team,contact)");
  app.add_option("--criticality-tags", f->criticality_tags,
                 "tag keys naming the criticality in the hand-over (default criticality,env,environment)");
}

Status CheckNotifyFlags(NotifyFlags* f) {
  if (f->notify.empty()) return Ok();
  auto topic = automation::ParseNotifyTarget(f->notify);
  if (!topic) return MakeError(topic.error());
  f->topic_arn = *topic;
  return Ok();
}

int NotifyReports(aws::Client& client, evidence::CaseStore& store, const NotifyFlags& f,
                  automation::HandOverContext context, const std::vector<response::TargetReport>& reports,
                  int status) {
  if (f.topic_arn.empty()) return status;
  context.topic_arn = f.topic_arn;
  context.owner_tags = f.owner_tags;
  context.criticality_tags = f.criticality_tags;
  const std::string result = context.result;
  for (const response::TargetReport& report : reports) {
    context.result = report.failed() ? result + " (incomplete: a step failed or was not attempted)" : result;
    if (auto s = automation::HandOverRun(client, store, context, report, Json()); !s) {
      ReportError(s.error());
      if (status == kExitOk || status == kExitPartial) status = kExitFailed;
      continue;
    }
    PrintInfo("hand-over for " + report.target.instance_id + " published to " + f.topic_arn);
  }
  return status;
}

}  // namespace cordon::cli
