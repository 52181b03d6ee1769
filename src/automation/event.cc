#include "automation/event.h"

#include "base/json_parse.h"
#include "response/live_state.h"

namespace cordon::automation {
namespace {

Status Invalid(std::string what) { return MakeError(ErrorKind::kInvalidArgument, std::move(what)); }

using response::Str;  // a string member, or "" when absent or not a string

// Instance ids are what a message can make cordon act on, so nothing else passes as one.
bool IsInstanceId(std::string_view id) {
  if (!id.starts_with("i-") || id.size() < 10 || id.size() > 19) return false;
  for (char c : id.substr(2))
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Status ParseFinding(const Json& detail, Event* event) {
  event->finding_id = Str(detail, "id");
  event->finding_type = Str(detail, "type");
  if (event->finding_id.empty()) return Invalid("a GuardDuty finding without detail.id");
  if (auto it = detail.find("severity"); it != detail.end() && it->is_number()) event->severity = it->get<double>();
  if (event->region.empty()) event->region = Str(detail, "region");
  const Json& resource = detail.contains("resource") ? detail["resource"] : Json::object();
  if (!resource.is_object()) return Invalid("detail.resource is not an object");
  std::string type = Str(resource, "resourceType");
  if (type != "Instance") {
    event->kind = EventKind::kOther;
    event->ignored = "a GuardDuty finding on " + (type.empty() ? std::string("no resource type") : "a(n) " + type) +
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
  size_t slash = arn.rfind("instance/");
  event->instance_id = slash == std::string::npos ? "" : arn.substr(slash + 9);
  if (!arn.starts_with("arn:") || !IsInstanceId(event->instance_id))
    return Invalid("resources[0] is not an EC2 instance ARN");
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
    case EventKind::kGuardDutyFinding: return "guardduty-finding";
    case EventKind::kTagChange: return "tag-change";
    case EventKind::kOther: return "other";
  }
  return "other";
}

Result<Event> ParseEvent(std::string_view body) {
  // ParseJsonInput's message quotes the text around a syntax error, and the body may hold anything.
  auto json = ParseJsonInput(body, "the message body");
  if (!json) return MakeError(ErrorKind::kInvalidArgument, "the message body is not valid JSON");
  if (!json->is_object()) return MakeError(ErrorKind::kInvalidArgument, "the message body is not a JSON object");
  const Json& envelope = *json;
  Event event;
  event.event_id = Str(envelope, "id");
  event.time = Str(envelope, "time");
  event.region = Str(envelope, "region");
  event.account = Str(envelope, "account");
  std::string source = Str(envelope, "source"), detail_type = Str(envelope, "detail-type");
  auto detail = envelope.find("detail");
  if (source.empty() || detail_type.empty() || detail == envelope.end() || !detail->is_object())
    return MakeError(ErrorKind::kInvalidArgument,
                     "not an EventBridge event (it needs \"source\", \"detail-type\" and a \"detail\" object)");
  Status parsed = Ok();
  if (source == "aws.guardduty" && detail_type == "GuardDuty Finding")
    parsed = ParseFinding(*detail, &event);
  else if (source == "aws.tag" && detail_type == "Tag Change on Resource")
    parsed = ParseTagChange(envelope, *detail, &event);
  else
    event.ignored = "an event of " + source + " \"" + detail_type + "\", which watch does not act on";
  if (!parsed) return MakeError(parsed.error());
  return event;
}

}  // namespace cordon::automation
