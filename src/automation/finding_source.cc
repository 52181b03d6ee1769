#include "automation/finding_source.h"

#include "base/json_parse.h"

namespace cordon::automation {
namespace {

const Json& Member(const Json& j, const char* name) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(name);
  return it != j.end() ? *it : kNull;
}

// A PascalCase finding (GetFindings as boto3 and the AWS CLI shape it) as the API's own camelCase,
// as far as ParseEvents reads it; a camelCase one as it is.
Json WireForm(const Json& f) {
  if (!Member(f, "id").is_null() || Member(f, "Id").is_null()) return f;
  const Json& resource = Member(f, "Resource");
  Json wire = {
      {"id", Member(f, "Id")},
      {"type", Member(f, "Type")},
      {"severity", Member(f, "Severity")},
      {"region", Member(f, "Region")},
      {"accountId", Member(f, "AccountId")},
      {"resource",
       {{"resourceType", Member(resource, "ResourceType")},
        {"instanceDetails", {{"instanceId", Member(Member(resource, "InstanceDetails"), "InstanceId")}}}}}};
  // Null members would fail ParseEvents' string checks with a less clear message than missing ones.
  for (auto it = wire.begin(); it != wire.end();) it = it->is_null() ? wire.erase(it) : std::next(it);
  return wire;
}

// The one finding in what a file may hold.
Result<Json> OneFinding(const Json& doc, const std::string& name) {
  const Json* list = nullptr;
  if (doc.is_array()) list = &doc;
  for (const char* key : {"findings", "Findings"})
    if (list == nullptr && Member(doc, key).is_array()) list = &doc[key];
  if (list != nullptr) {
    if (list->size() != 1)
      return MakeError(ErrorKind::kInvalidArgument,
                       name + " holds " + std::to_string(list->size()) + " findings; give one");
    return (*list)[0];
  }
  if (Member(doc, "detail").is_object() && Member(doc, "detail-type").is_string()) return doc["detail"];
  return doc;
}

Result<Finding> FromFinding(const Json& finding, const std::string& name, std::string source) {
  Json envelope = {
      {"source", "aws.guardduty"}, {"detail-type", "GuardDuty Finding"}, {"detail", WireForm(finding)}};
  auto events = ParseEvents(envelope.dump());
  if (!events) return MakeError(ErrorKind::kInvalidArgument, name + ": " + events.error().message);
  const Event& event = events->front();
  if (event.kind != EventKind::kGuardDutyFinding)
    return MakeError(ErrorKind::kInvalidArgument,
                     name + ": " + event.ignored + "; contain needs an instance");
  return Finding{finding, event, std::move(source)};
}

// The region's GuardDuty detector, when it has exactly one (GuardDuty allows one per account and region).
Result<std::string> OnlyDetector(aws::Client& client) {
  auto out = client.Call("guardduty", "ListDetectors", Json::object());
  if (!out) return MakeError(out.error());
  const Json ids = out->value("DetectorIds", Json::array());
  if (ids.size() != 1 || !ids[0].is_string())
    return MakeError(ErrorKind::kInvalidArgument, "region " + client.region() + " has " +
                                                      std::to_string(ids.size()) +
                                                      " GuardDuty detectors; name one with --detector");
  return ids[0].get<std::string>();
}

}  // namespace

Result<Finding> FindingFromJson(std::string_view text, const std::string& name) {
  auto doc = ParseJsonInput(text, name);
  if (!doc) return MakeError(doc.error());
  auto finding = OneFinding(*doc, name);
  if (!finding) return MakeError(finding.error());
  return FromFinding(*finding, name, "file " + name);
}

Result<Finding> FetchFinding(aws::Client& client, const std::string& finding_id,
                             const std::string& detector) {
  std::string d = detector;
  if (d.empty()) {
    auto only = OnlyDetector(client);
    if (!only) return MakeError(only.error());
    d = *only;
  }
  auto out = client.Call("guardduty", "GetFindings", Json{{"DetectorId", d}, {"FindingIds", {finding_id}}});
  if (!out) return WithContext(out.error(), "GuardDuty GetFindings " + finding_id);
  const Json findings = out->value("Findings", Json::array());
  if (findings.empty())
    return MakeError(ErrorKind::kNotFound, "GuardDuty detector " + d + " has no finding " + finding_id);
  return FromFinding(findings[0], "finding " + finding_id, "guardduty:GetFindings detector " + d);
}

}  // namespace cordon::automation
