// What `cordon posture` reports: findings (severity, evidence ids, the fix as an AWS CLI command),
// the checks that could not be assessed and why, and the suspect's share of both.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"

namespace cordon::posture {

enum class Severity { kLow, kMedium, kHigh, kCritical };

// "low", "medium", "high", "critical".
const char* SeverityName(Severity severity);

struct Finding {
  std::string check;  // the check that found it: "sg.world_open", "instance.imdsv1", ...
  Severity severity = Severity::kMedium;
  std::string region;  // "global" for IAM
  std::string title;   // one line for a person: "sg-0abc (web) is open to 0.0.0.0/0 on tcp/22 (SSH)"
  std::vector<std::string> evidence;  // the ids it is about: sg-..., eni-..., i-..., vol-..., vpc-...
  std::string fix;                    // the AWS CLI command that would apply the fix
  Json details = Json::object();      // the check's own facts (ports, public addresses, ...)
};

// A check whose API failed (AccessDenied, not implemented, unreachable): never reported as clean.
struct NotAssessed {
  std::string check;
  std::string region;
  std::string reason;  // the AWS error code and message
};

// What a suspect instance's VPC and scanning had (posture --instance).
struct SuspectView {
  std::string instance_id, region, vpc_id;
  std::string vpc_flow_logs;  // "yes", "no", or "unknown" (the flow-log check was not assessed)
  std::string inspector;      // "on", "off", or "unknown"
};

struct Posture {
  std::string account;                    // from sts GetCallerIdentity; empty when that failed
  std::vector<std::string> regions;       // the regions assessed, sorted
  std::vector<Finding> findings;          // sorted by severity (highest first), region, check, evidence
  std::vector<NotAssessed> not_assessed;  // sorted by region, check
  std::vector<SuspectView> suspect;       // empty without --instance
};

// Sorts findings and not_assessed as Posture documents.
void Normalize(Posture* posture);

// The posture as JSON: {"account", "regions", "summary": {"findings", "by_severity", "not_assessed"},
// "findings": [{"check", "severity", "region", "title", "evidence", "fix", "details"}],
// "not_assessed": [{"check", "region", "reason"}], "suspect"?}. This is the shape the case report and
// triage take.
Json ToJson(const Posture& posture);

// The findings whose evidence names any of `ids` (an instance, its ENIs, groups, volumes, VPC), and
// every not-assessed check of the regions they (and the suspects) are in, or of every region when the
// share has neither (where the ids live is then unknown): triage's share of the posture of one suspect.
Posture ShareOf(const Posture& posture, const std::vector<std::string>& ids);

}  // namespace cordon::posture
