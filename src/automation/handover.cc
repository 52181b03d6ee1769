#include "automation/handover.h"

#include "base/strings.h"

namespace cordon::automation {

Json HandOverMessage(const HandOver& h) {
  Json actions = Json::array();
  for (const response::StepReport& r : h.steps) {
    Json a = {{"step", r.step}, {"status", response::StepStatusName(r.status)}, {"detail", r.detail}};
    if (r.status == response::StepStatus::kFailed) a["error"] = r.error.ToString();
    actions.push_back(std::move(a));
  }
  Json evidence = Json::array();
  for (const evidence::EvidenceItem& e : h.evidence) {
    Json j = {{"kind", evidence::EvidenceKindName(e.kind)}, {"location", e.location}};
    if (!e.sha256.empty()) j["sha256"] = e.sha256;
    evidence.push_back(std::move(j));
  }
  return Json{{"case", h.case_id},
              {"instance_id", h.instance_id},
              {"region", h.region},
              {"result", h.result},
              {"owner", h.owner},
              {"criticality", h.criticality},
              {"severity", h.severity},
              {"reason", h.reason},
              {"actions", actions},
              {"evidence", evidence},
              {"release", "cordon release --case " + h.case_id + " --yes  (if this was a false positive)"}};
}

Result<std::string> ParseNotifyTarget(const std::string& target) {
  if (!StartsWith(target, "sns:arn:aws") || Split(target.substr(4), ':').size() != 6)
    return MakeError(ErrorKind::kInvalidArgument,
                     "--notify takes sns:TOPIC_ARN (sns:arn:aws:sns:REGION:ACCOUNT:NAME)");
  return target.substr(4);
}

Result<std::string> PublishHandOver(aws::Client& client, const std::string& topic_arn, const HandOver& h) {
  Json attributes = {{"case_id", {{"DataType", "String"}, {"StringValue", h.case_id}}},
                     {"instance_id", {{"DataType", "String"}, {"StringValue", h.instance_id}}}};
  if (!h.severity.empty()) attributes["severity"] = {{"DataType", "Number"}, {"StringValue", h.severity}};
  Json input = {
      {"TopicArn", topic_arn},
      // SNS takes at most 100 characters of subject.
      {"Subject", ("cordon: " + h.instance_id + " " + h.result + " (case " + h.case_id + ")").substr(0, 100)},
      {"Message", HandOverMessage(h).dump(2, ' ', false, Json::error_handler_t::replace)},
      {"MessageAttributes", attributes}};
  aws::CallOptions options;
  options.region = Split(topic_arn, ':')[3];  // a topic is called in its own region
  auto out = client.Call("sns", "Publish", std::move(input), options);
  if (!out) return MakeError(out.error());
  return out->value("MessageId", "");
}

}  // namespace cordon::automation
