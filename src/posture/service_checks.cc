// The detection services: GuardDuty (and its EC2 runtime monitoring and malware protection), Security
// Hub, Macie, Inspector.
#include "posture/detective_checks.h"

namespace cordon::posture {
namespace {

Finding ServiceOff(const RegionScan& scan, const char* check, Severity severity, const std::string& title,
                   const std::string& fix) {
  Finding f;
  f.check = check;
  f.severity = severity;
  f.evidence = {scan.region()};
  f.title = title;
  f.fix = scan.Cli(fix);
  return f;
}

constexpr char kGuardDutyFeatures[] =
    R"([{"Name":"RUNTIME_MONITORING","Status":"ENABLED","AdditionalConfiguration":[{"Name":"EC2_AGENT_MANAGEMENT","Status":"ENABLED"}]},{"Name":"EBS_MALWARE_PROTECTION","Status":"ENABLED"}])";

const Json* Feature(const Json& detector, const char* name) {
  for (const Json& f : Arr(detector, "Features"))
    if (Str(f, "Name") == name) return &f;
  return nullptr;
}

// EC2 runtime monitoring: RUNTIME_MONITORING enabled with its EC2 agent management (or an agent the
// account manages itself, which GuardDuty cannot see from the detector: then EC2_AGENT_MANAGEMENT is
// off and cordon says so).
bool RuntimeMonitoringOn(const Json& detector) {
  const Json* f = Feature(detector, "RUNTIME_MONITORING");
  if (!f || Str(*f, "Status") != "ENABLED") return false;
  for (const Json& c : Arr(*f, "AdditionalConfiguration"))
    if (Str(c, "Name") == "EC2_AGENT_MANAGEMENT") return Str(c, "Status") == "ENABLED";
  return false;
}

// Malware protection for EC2: the EBS_MALWARE_PROTECTION feature, or the older DataSources form.
bool MalwareProtectionOn(const Json& detector) {
  if (const Json* f = Feature(detector, "EBS_MALWARE_PROTECTION")) return Str(*f, "Status") == "ENABLED";
  const Json& ebs =
      Obj(Obj(Obj(Obj(detector, "DataSources"), "MalwareProtection"), "ScanEc2InstanceWithFindings"),
          "EbsVolumes");
  return Str(ebs, "Status") == "ENABLED";
}

}  // namespace

void CheckGuardDuty(RegionScan& scan) {
  auto list = scan.CallAll("guardduty", "ListDetectors");
  if (!list) return scan.NotAssessed("guardduty", list.error());
  const Json& ids = Arr(*list, "DetectorIds");
  if (ids.empty() || !ids[0].is_string()) {
    scan.Add(
        ServiceOff(scan, "guardduty.off", Severity::kHigh,
                   "GuardDuty is not enabled in " + scan.region() + ": no threat detection for its instances",
                   "guardduty create-detector --enable --features " + ShellQuote(kGuardDutyFeatures)));
    return;
  }
  // A region has at most one detector per account.
  std::string id = ids[0].get<std::string>();
  auto detector = scan.Call("guardduty", "GetDetector", Json{{"DetectorId", id}});
  if (!detector) return scan.NotAssessed("guardduty", detector.error());
  auto add = [&](const char* check, Severity severity, const std::string& title, const std::string& fix) {
    Finding f = ServiceOff(scan, check, severity, title, fix);
    f.evidence.push_back(id);
    scan.Add(std::move(f));
  };
  if (Str(*detector, "Status") != "ENABLED") {
    add("guardduty.off", Severity::kHigh, "GuardDuty detector " + id + " is suspended in " + scan.region(),
        "guardduty update-detector --detector-id " + id + " --enable --features " +
            ShellQuote(kGuardDutyFeatures));
    return;
  }
  if (!RuntimeMonitoringOn(*detector))
    add("guardduty.runtime_monitoring_off", Severity::kMedium,
        "GuardDuty EC2 runtime monitoring is off in " + scan.region() +
            ": no process or file events from instances",
        "guardduty update-detector --detector-id " + id + " --features " +
            ShellQuote(
                R"([{"Name":"RUNTIME_MONITORING","Status":"ENABLED","AdditionalConfiguration":[{"Name":"EC2_AGENT_MANAGEMENT","Status":"ENABLED"}]}])"));
  if (!MalwareProtectionOn(*detector))
    add("guardduty.malware_protection_off", Severity::kMedium,
        "GuardDuty malware protection for EC2 is off in " + scan.region() +
            ": no scan of a flagged instance's volumes",
        "guardduty update-detector --detector-id " + id + " --features " +
            ShellQuote(R"([{"Name":"EBS_MALWARE_PROTECTION","Status":"ENABLED"}])"));
}

void CheckSecurityHub(RegionScan& scan) {
  auto hub = scan.Call("securityhub", "DescribeHub");
  if (hub) return;
  // "InvalidAccessException: Account ... is not subscribed to AWS Security Hub" is how DescribeHub
  // says the hub is off; any other error leaves it unknown.
  if (hub.error().code == "InvalidAccessException" &&
      hub.error().message.find("not subscribed") != std::string::npos)
    return scan.Add(ServiceOff(
        scan, "securityhub.off", Severity::kLow,
        "Security Hub is not enabled in " + scan.region() + ": findings are not gathered in one place",
        "securityhub enable-security-hub --enable-default-standards"));
  scan.NotAssessed("securityhub", hub.error());
}

void CheckMacie(RegionScan& scan) {
  auto session = scan.Call("macie2", "GetMacieSession");
  std::string why;
  bool paused = false;
  if (session) {
    if (Str(*session, "status") == "ENABLED") return;
    paused = true;
    why = "Macie is paused (status " + Str(*session, "status") + ") in " + scan.region();
  } else if (session.error().code == "ResourceNotFoundException" ||
             (session.error().code == "AccessDeniedException" &&
              session.error().message.find("not enabled") != std::string::npos)) {
    // Macie without a session (never enabled, or disabled) answers one of these.
    why = "Macie is not enabled in " + scan.region();
  } else {
    return scan.NotAssessed("macie", session.error());
  }
  scan.Add(ServiceOff(scan, "macie.off", Severity::kLow,
                      why + ": no discovery of sensitive data an attacker could take",
                      paused ? "macie2 update-macie-session --status ENABLED" : "macie2 enable-macie"));
}

void CheckInspector(RegionScan& scan, DetectiveState* state) {
  Json input = Json::object();
  if (!scan.account().empty()) input["accountIds"] = Json::array({scan.account()});
  auto out = scan.Call("inspector2", "BatchGetAccountStatus", input);
  if (!out) return scan.NotAssessed("inspector", out.error());
  if (const Json& failed = Arr(*out, "failedAccounts"); !failed.empty())
    return scan.NotAssessed("inspector", Str(failed[0], "errorCode") + ": " + Str(failed[0], "errorMessage"));
  const Json& accounts = Arr(*out, "accounts");
  std::string status = accounts.empty() ? "" : Str(Obj(Obj(accounts[0], "resourceState"), "ec2"), "status");
  if (status == "ENABLED") {
    state->inspector = "on";
    return;
  }
  state->inspector = "off";
  scan.Add(ServiceOff(scan, "inspector.ec2_off", Severity::kMedium,
                      "Inspector is not scanning EC2 instances in " + scan.region() + " (status " +
                          (status.empty() ? "DISABLED" : status) + "): no vulnerability findings",
                      "inspector2 enable --resource-types EC2" +
                          (scan.account().empty() ? "" : " --account-ids " + scan.account())));
}

}  // namespace cordon::posture
