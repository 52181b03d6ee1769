#include "posture/suspect_checks.h"

namespace cordon::posture {
namespace {

Severity FromInspector(const std::string& s) {
  if (s == "CRITICAL") return Severity::kCritical;
  if (s == "HIGH") return Severity::kHigh;
  if (s == "MEDIUM") return Severity::kMedium;
  return Severity::kLow;  // LOW, INFORMATIONAL, UNTRIAGED
}

void ListInspectorFindings(RegionScan& scan, const Suspect& s) {
  Json criteria = {{"resourceId", Json::array({{{"comparison", "EQUALS"}, {"value", s.instance_id}}})},
                   {"findingStatus", Json::array({{{"comparison", "EQUALS"}, {"value", "ACTIVE"}}})}};
  auto out = scan.CallAll("inspector2", "ListFindings", Json{{"filterCriteria", criteria}});
  if (!out) return scan.NotAssessed("inspector.findings", out.error());
  for (const Json& x : Arr(*out, "findings")) {
    Finding f;
    f.check = "inspector.finding";
    f.severity = FromInspector(Str(x, "severity"));
    std::string vuln = Str(Obj(x, "packageVulnerabilityDetails"), "vulnerabilityId");
    f.evidence = {s.instance_id, Str(x, "findingArn")};
    if (!vuln.empty()) f.evidence.push_back(vuln);
    f.title = s.instance_id + ": " + Str(x, "title");
    f.details = {{"finding_arn", Str(x, "findingArn")},
                 {"type", Str(x, "type")},
                 {"inspector_severity", Str(x, "severity")},
                 {"vulnerability_id", vuln},
                 {"recommendation", Str(Obj(Obj(x, "remediation"), "recommendation"), "text")}};
    f.fix = scan.Cli("ssm send-command --document-name AWS-RunPatchBaseline --instance-ids " + s.instance_id +
                     " --parameters Operation=Install");
    scan.Add(std::move(f));
  }
}

}  // namespace

void CheckSuspect(RegionScan& scan, const Suspect& s, const DetectiveState& state) {
  SuspectView view{s.instance_id, s.region, s.vpc_id, "unknown", state.inspector};
  if (state.flow_logs_assessed) {
    auto it = state.vpc_flow_logs.find(s.vpc_id);
    view.vpc_flow_logs = it != state.vpc_flow_logs.end() && it->second ? "yes" : "no";
  }
  scan.AddSuspect(view);
  if (state.inspector == "on") ListInspectorFindings(scan, s);
}

}  // namespace cordon::posture
