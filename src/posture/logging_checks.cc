// The logging controls: CloudTrail, VPC flow logs, AWS Config.
#include <set>

#include "posture/detective_checks.h"

namespace cordon::posture {
namespace {

struct Trail {
  std::string arn, name, home;
  bool multi_region = false, validation = false, logging = false;
};

Finding TrailFinding(const RegionScan& scan, const char* check, Severity severity, std::string title,
                     std::vector<std::string> evidence, std::string fix) {
  Finding f;
  f.check = check;
  f.severity = severity;
  f.title = std::move(title);
  f.evidence = std::move(evidence);
  f.evidence.insert(f.evidence.begin(), scan.region());
  f.fix = std::move(fix);
  return f;
}

}  // namespace

void CheckCloudTrail(RegionScan& scan) {
  // Shadow trails are the multi-region trails of other home regions, as each region sees them.
  auto out = scan.Call("cloudtrail", "DescribeTrails", Json{{"includeShadowTrails", true}});
  if (!out) return scan.NotAssessed("cloudtrail", out.error());
  std::vector<Trail> covering;
  for (const Json& t : Arr(*out, "trailList")) {
    Trail trail{Str(t, "TrailARN"),
                Str(t, "Name"),
                Str(t, "HomeRegion"),
                t.value("IsMultiRegionTrail", false),
                t.value("LogFileValidationEnabled", false),
                false};
    if (!trail.multi_region && trail.home != scan.region()) continue;
    // GetTrailStatus answers for a shadow trail given its ARN; it is asked in the home region.
    auto status = scan.client().Call(
        "cloudtrail", "GetTrailStatus", Json{{"Name", trail.arn}},
        aws::CallOptions{trail.home.empty() ? scan.region() : trail.home, {}, false, nullptr});
    if (!status) {
      scan.NotAssessed("cloudtrail", "GetTrailStatus " + trail.arn + ": " + status.error().ToString());
      return;
    }
    trail.logging = status->value("IsLogging", false);
    covering.push_back(trail);
  }
  const Trail* best = nullptr;  // logging and multi-region, validated if any is
  const Trail* logging = nullptr;
  const Trail* idle_multi = nullptr;
  for (const Trail& t : covering) {
    if (t.logging && !logging) logging = &t;
    if (!t.logging && t.multi_region && !idle_multi) idle_multi = &t;
    if (t.logging && t.multi_region && (!best || (t.validation && !best->validation))) best = &t;
  }
  const std::string create =
      scan.Cli(
          "cloudtrail create-trail --name org-trail --s3-bucket-name BUCKET --is-multi-region-trail "
          "--enable-log-file-validation") +
      " && " + scan.Cli("cloudtrail start-logging --name org-trail");
  if (!logging) {
    std::vector<std::string> ev;
    for (const Trail& t : covering) ev.push_back(t.arn);
    scan.Add(TrailFinding(scan, "cloudtrail.off", Severity::kHigh,
                          "no CloudTrail trail is logging " + scan.region() + "'s API activity", ev,
                          idle_multi ? "aws cloudtrail start-logging --name " + idle_multi->arn +
                                           " --region " + idle_multi->home
                                     : create));
    return;
  }
  if (!best) {
    scan.Add(TrailFinding(scan, "cloudtrail.not_multi_region", Severity::kMedium,
                          "only single-region trails log " + scan.region() + " (" + logging->name +
                              "): activity in other regions goes unrecorded",
                          {logging->arn},
                          "aws cloudtrail update-trail --name " + logging->arn +
                              " --is-multi-region-trail --region " + logging->home));
    return;
  }
  if (!best->validation)
    scan.Add(TrailFinding(
        scan, "cloudtrail.no_validation", Severity::kMedium,
        "trail " + best->name + " has no log-file validation: edited or deleted log files go unnoticed",
        {best->arn},
        "aws cloudtrail update-trail --name " + best->arn + " --enable-log-file-validation --region " +
            best->home));
}

void CheckFlowLogs(RegionScan& scan, DetectiveState* state) {
  auto vpcs = scan.CallAll("ec2", "DescribeVpcs");
  if (!vpcs) return scan.NotAssessed("vpc.no_flow_logs", vpcs.error());
  auto logs = scan.CallAll("ec2", "DescribeFlowLogs");
  if (!logs) return scan.NotAssessed("vpc.no_flow_logs", logs.error());
  std::set<std::string> logged;
  for (const Json& l : Arr(*logs, "FlowLogs")) {
    std::string status = Str(l, "FlowLogStatus");
    if (status.empty() || status == "ACTIVE") logged.insert(Str(l, "ResourceId"));
  }
  state->flow_logs_assessed = true;
  for (const Json& v : Arr(*vpcs, "Vpcs")) {
    std::string id = Str(v, "VpcId");
    bool has = logged.count(id) > 0;
    state->vpc_flow_logs[id] = has;
    if (has) continue;
    Finding f;
    f.check = "vpc.no_flow_logs";
    f.severity = Severity::kMedium;
    f.evidence = {id};
    f.title = id + (v.value("IsDefault", false) ? " (default VPC)" : "") +
              " has no VPC flow log: no record of who its instances talked to";
    f.fix = scan.Cli(
        "ec2 create-flow-logs --resource-type VPC --resource-ids " + id +
        " --traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::BUCKET/flow-logs/");
    scan.Add(std::move(f));
  }
}

void CheckConfig(RegionScan& scan) {
  auto out = scan.Call("config", "DescribeConfigurationRecorderStatus");
  if (!out) return scan.NotAssessed("config.not_recording", out.error());
  std::string idle;
  for (const Json& r : Arr(*out, "ConfigurationRecordersStatus")) {
    if (r.value("recording", false)) return;
    if (idle.empty()) idle = Str(r, "name");
  }
  Finding f;
  f.check = "config.not_recording";
  f.severity = Severity::kMedium;
  f.evidence = {scan.region()};
  if (!idle.empty()) f.evidence.push_back(idle);
  f.title =
      "AWS Config is not recording in " + scan.region() + ": no history of how resources were configured";
  f.fix =
      idle.empty()
          ? scan.Cli(
                "configservice put-configuration-recorder --configuration-recorder "
                "name=default,roleARN=ROLE_ARN --recording-group allSupported=true") +
                " && " +
                scan.Cli("configservice start-configuration-recorder --configuration-recorder-name default")
          : scan.Cli("configservice start-configuration-recorder --configuration-recorder-name " + idle);
  scan.Add(std::move(f));
}

}  // namespace cordon::posture
