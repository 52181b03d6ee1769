#include "automation/event.h"

#include "automation/event_fields.h"
#include "base/json_fields.h"
#include "base/json_parse.h"

namespace cordon::automation {
namespace detail {

bool IsInstanceId(std::string_view id) {
  if (!id.starts_with("i-") || id.size() < 10 || id.size() > 19) return false;
  for (char c : id.substr(2))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string InstanceFromArn(std::string_view arn) {
  size_t slash = arn.rfind(":instance/");
  if (!arn.starts_with("arn:") || slash == std::string_view::npos) return "";
  std::string id(arn.substr(slash + 10));
  return IsInstanceId(id) ? id : "";
}

}  // namespace detail

namespace {

using detail::Invalid;
using detail::IsInstanceId;

Status ParseFinding(const Json& detail, Event* event) {
  event->finding_id = Str(detail, "id");
  event->finding_type = Str(detail, "type");
  if (event->finding_id.empty()) return Invalid("a GuardDuty finding without detail.id");
  if (auto it = detail.find("severity"); it != detail.end() && it->is_number())
    event->severity = it->get<double>();
  if (event->region.empty()) event->region = Str(detail, "region");
  const Json& resource = detail.contains("resource") ? detail["resource"] : Json::object();
  if (!resource.is_object()) return Invalid("detail.resource is not an object");
  std::string type = Str(resource, "resourceType");
  if (type != "Instance") {
    event->kind = EventKind::kOther;
    event->ignored = "a GuardDuty finding on " +
                     (type.empty() ? std::string("no resource type") : "a(n) " + type) +
                     ", not an EC2 instance";
    return Ok();
  }
  const Json& details = resource.contains("instanceDetails") ? resource["instanceDetails"] : Json::object();
  event->instance_id = details.is_object() ? Str(details, "instanceId") : "";
  if (!IsInstanceId(event->instance_id))
    return Invalid("detail.resource.instanceDetails.instanceId is missing or not an instance id");
  event->kind = EventKind::kGuardDutyFinding;
  return Ok();
}

// resources[0] is arn:aws:ec2:REGION:ACCOUNT:instance/i-...
Status ParseTagChange(const Json& envelope, const Json& detail, Event* event) {
  if (Str(detail, "service") != "ec2" || Str(detail, "resource-type") != "instance") {
    event->ignored = "a tag change on an " + Str(detail, "service") + " " + Str(detail, "resource-type") +
                     ", not an EC2 instance";
    return Ok();
  }
  const Json& resources = envelope.contains("resources") ? envelope["resources"] : Json();
  std::string arn = resources.is_array() && !resources.empty() && resources[0].is_string()
                        ? resources[0].get<std::string>()
                        : "";
  event->instance_id = detail::InstanceFromArn(arn);
  if (event->instance_id.empty()) return Invalid("resources[0] is not an EC2 instance ARN");
  if (auto it = detail.find("tags"); it != detail.end() && it->is_object())
    for (const auto& [k, v] : it->items())
      if (v.is_string()) event->tags[k] = v.get<std::string>();
  if (auto it = detail.find("changed-tag-keys"); it != detail.end() && it->is_array())
    for (const Json& k : *it)
      if (k.is_string()) event->changed_tag_keys.push_back(k.get<std::string>());
  event->kind = EventKind::kTagChange;
  return Ok();
}

}  // namespace

std::string_view EventKindName(EventKind kind) {
  switch (kind) {
    case EventKind::kGuardDutyFinding:
      return "guardduty-finding";
    case EventKind::kSecurityHubFinding:
      return "securityhub-finding";
    case EventKind::kTagChange:
      return "tag-change";
    case EventKind::kOther:
      return "other";
  }
  return "other";
}

Result<std::vector<Event>> ParseEvents(std::string_view body) {
  // ParseJsonInput's message quotes the text around a syntax error, and the body may hold anything.
  auto json = ParseJsonInput(body, "the message body");
  if (!json) return Invalid("the message body is not valid JSON");
  if (!json->is_object()) return Invalid("the message body is not a JSON object");
  const Json& envelope = *json;
  Event event;
  event.event_id = Str(envelope, "id");
  event.time = Str(envelope, "time");
  event.region = Str(envelope, "region");
  event.account = Str(envelope, "account");
  std::string source = Str(envelope, "source"), detail_type = Str(envelope, "detail-type");
  auto detail = envelope.find("detail");
  if (source.empty() || detail_type.empty() || detail == envelope.end() || !detail->is_object())
    return Invalid("not an EventBridge event (it needs \"source\", \"detail-type\" and a \"detail\" object)");
  std::vector<Event> out;
  Status parsed = Ok();
  if (source == "aws.guardduty" && detail_type == "GuardDuty Finding") {
    parsed = ParseFinding(*detail, &event);
  } else if (source == "aws.tag" && detail_type == "Tag Change on Resource") {
    parsed = ParseTagChange(envelope, *detail, &event);
  } else if (source == "aws.ec2" && detail_type == "AWS API Call via CloudTrail") {
    parsed = detail::ParseCloudTrailTags(*detail, &event, &out);
  } else if (source == "aws.securityhub" && detail_type == "Security Hub Findings - Imported") {
    parsed = detail::ParseSecurityHub(*detail, &event, &out);
  } else {
    event.ignored = "an event of " + source + " \"" + detail_type + "\", which watch does not act on";
  }
  if (!parsed) return MakeError(parsed.error());
  if (out.empty()) {
    if (event.kind == EventKind::kOther && event.ignored.empty())
      event.ignored = "the event names no EC2 instance";
    out.push_back(std::move(event));
  }
  return out;
}

}  // namespace cordon::automation
