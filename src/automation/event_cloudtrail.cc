// CreateTags as CloudTrail records it, through EventBridge ("AWS API Call via CloudTrail"):
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
//   detail.eventName "CreateTags", detail.eventTime, detail.eventID, detail.awsRegion, detail.errorCode
//   (only on a failed call), detail.requestParameters.resourcesSet.items[].resourceId,
//   detail.requestParameters.tagSet.items[] {key, value}.
#include "automation/event_fields.h"
#include "base/json_fields.h"

namespace cordon::automation::detail {
namespace {

// requestParameters.<set>.items, or an empty list.
Json Items(const Json& params, const char* set) {
  if (!params.is_object()) return Json::array();
  auto it = params.find(set);
  if (it == params.end() || !it->is_object()) return Json::array();
  auto items = it->find("items");
  return items != it->end() && items->is_array() ? *items : Json::array();
}

}  // namespace

Status ParseCloudTrailTags(const Json& detail, Event* base, std::vector<Event>* out) {
  if (Str(detail, "eventSource") != "ec2.amazonaws.com" || Str(detail, "eventName") != "CreateTags") {
    base->ignored = "a CloudTrail call of " + Str(detail, "eventName") + ", not ec2 CreateTags";
    return Ok();
  }
  if (!Str(detail, "errorCode").empty()) {
    base->ignored = "a CreateTags call that failed (" + Str(detail, "errorCode") + ")";
    return Ok();
  }
  const Json params = detail.contains("requestParameters") ? detail["requestParameters"] : Json();
  Event event = *base;
  event.kind = EventKind::kTagChange;
  if (std::string t = Str(detail, "eventTime"); !t.empty()) event.time = t;
  if (std::string id = Str(detail, "eventID"); !id.empty()) event.event_id = id;
  if (std::string r = Str(detail, "awsRegion"); !r.empty()) event.region = r;
  for (const Json& tag : Items(params, "tagSet")) {
    std::string key = Str(tag, "key");
    if (key.empty()) return Invalid("requestParameters.tagSet holds a tag without a key");
    event.tags[key] = Str(tag, "value");
    event.changed_tag_keys.push_back(key);
  }
  for (const Json& resource : Items(params, "resourcesSet")) {
    std::string id = Str(resource, "resourceId");
    if (!id.starts_with("i-")) continue;  // volumes, groups, ... tagged in the same call
    if (!IsInstanceId(id)) return Invalid("requestParameters.resourcesSet holds a malformed instance id");
    event.instance_id = id;
    out->push_back(event);
  }
  if (out->empty()) base->ignored = "a CreateTags call on no EC2 instance";
  return Ok();
}

}  // namespace cordon::automation::detail
