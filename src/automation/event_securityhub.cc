// Security Hub findings (ASFF) through EventBridge ("Security Hub Findings - Imported"):
// https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-cwe-integration-types.html
// https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format-syntax.html
//   detail.findings[] {Id, Types[], Severity {Normalized 0-100, Label}, RecordState, Region,
//   Resources[] {Type "AwsEc2Instance", Id "arn:aws:ec2:...:instance/i-...", Region}}
#include "automation/event_fields.h"
#include "base/json_fields.h"

namespace cordon::automation::detail {
namespace {

// Severity.Normalized on GuardDuty's 0-10 scale, so one min_severity reads the same for both.
double Severity(const Json& finding) {
  auto s = finding.find("Severity");
  if (s == finding.end() || !s->is_object()) return 0;
  auto n = s->find("Normalized");
  return n != s->end() && n->is_number() ? n->get<double>() / 10 : 0;
}

Status AddFinding(const Json& finding, const Event& base, std::vector<Event>* out, size_t i) {
  const std::string at = "detail.findings[" + std::to_string(i) + "]";
  if (!finding.is_object()) return Invalid(at + " is not an object");
  Event event = base;
  event.kind = EventKind::kSecurityHubFinding;
  event.finding_id = Str(finding, "Id");
  if (event.finding_id.empty()) return Invalid(at + ".Id is missing");
  if (Str(finding, "RecordState") == "ARCHIVED") return Ok();
  auto types = finding.find("Types");
  if (types != finding.end() && types->is_array() && !types->empty() && (*types)[0].is_string())
    event.finding_type = (*types)[0].get<std::string>();
  event.severity = Severity(finding);
  auto resources = finding.find("Resources");
  if (resources == finding.end() || !resources->is_array()) return Ok();
  for (const Json& r : *resources) {
    if (Str(r, "Type") != "AwsEc2Instance") continue;
    event.instance_id = InstanceFromArn(Str(r, "Id"));
    if (event.instance_id.empty())
      return Invalid(at + ".Resources holds an AwsEc2Instance whose Id is not an instance ARN");
    if (std::string region = Str(r, "Region"); !region.empty()) event.region = region;
    out->push_back(event);
  }
  return Ok();
}

}  // namespace

Status ParseSecurityHub(const Json& detail, Event* base, std::vector<Event>* out) {
  auto findings = detail.find("findings");
  if (findings == detail.end() || !findings->is_array()) return Invalid("detail.findings is not a list");
  for (size_t i = 0; i < findings->size(); ++i)
    if (auto s = AddFinding((*findings)[i], *base, out, i); !s) return s;
  if (out->empty()) base->ignored = "Security Hub findings on no EC2 instance (or archived)";
  return Ok();
}

}  // namespace cordon::automation::detail
