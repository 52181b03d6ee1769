#include "automation/handover.h"

#include "base/strings.h"
#include "cloud/tags.h"

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

namespace {

// The instance's TagList as record-pre-state recorded it (DescribeInstances' Instance.Tags).
Json RecordedTags(evidence::CaseStore& store, const std::string& instance_id) {
  auto rec = store.pre_state().PreState(instance_id);
  if (!rec || !rec->has_value()) return Json::array();
  const Json& instance = (*rec)->state.value("instance", Json::object());
  return instance.is_object() ? instance.value("Tags", Json::array()) : Json::array();
}

}  // namespace

Status HandOverRun(aws::Client& client, evidence::CaseStore& store, const HandOverContext& c,
                   const response::TargetReport& report, const Json& tags) {
  HandOver h;
  h.case_id = store.id();
  h.instance_id = report.target.instance_id;
  h.region = report.target.region;
  h.result = c.result;
  cloud::Tags pairs = cloud::TagsFromList(tags.is_null() ? RecordedTags(store, h.instance_id) : tags);
  h.owner = cloud::FirstTagMatch(pairs, cloud::ParseKeyList(c.owner_tags));
  h.criticality = cloud::FirstTagMatch(pairs, cloud::ParseKeyList(c.criticality_tags));
  h.severity = c.severity;
  h.reason = c.reason;
  h.steps = report.steps;
  auto items = store.evidence().List(h.instance_id);
  if (items) h.evidence = std::move(*items);
  auto published = PublishHandOver(client, c.topic_arn, h);
  if (!published) return WithContext(published.error(), "the hand-over to " + c.topic_arn + " failed");
  auto noted = store.journal().Append(evidence::kind::kNote, h.instance_id, c.command,
                                      Json{{"text", "hand-over published to " + c.topic_arn},
                                           {"sns_message_id", *published},
                                           {"topic", c.topic_arn}});
  if (!noted) return MakeError(noted.error());
  return Ok();
}

}  // namespace cordon::automation
