// The renderers of `cordon triage`: its text report (triage_text.cc, with the posture and log hunt
// sections in triage_posture_text.cc and triage_hunt_text.cc) and its JSON result (triage_json.cc). What
// triage reads, and which parts it could not, is decided by the command (cli/triage_command.cc); these
// only lay it out, so the text and the JSON say the same thing.
#pragma once

#include <string>
#include <vector>

#include "base/json.h"
#include "cloud/activity.h"
#include "cloud/instance_inventory.h"
#include "cloud/target.h"

namespace cordon::report {

// A part triage attempted that failed or was only partly read. `part` is where it sits in the JSON output
// ("inventory.volumes", "activity.cloudtrail", "hunt"); `error` is why (the AWS error code and message).
struct IncompletePart {
  std::string part, error;
};

// Everything one triage read, as the renderers take it. The references outlive the rendering.
struct TriageReport {
  const cloud::ResolvedTarget& target;
  const std::string& query;  // the target as typed
  const cloud::InstanceInventory& inventory;
  const cloud::Activity& activity;
  // The first matching owner and criticality tags' values; empty when none matched.
  const std::string& owner;
  const std::string& criticality;
  // The posture share's JSON (posture::ToJson), or {"error": "..."}.
  const Json& posture;
  // The log hunt's JSON (hunt::ResultsToJson), or {"error": "..."}; null when no hunt ran.
  const Json& hunt;
  const std::vector<IncompletePart>& incomplete;
};

// The text report on stdout: the target line, findings, identity, network, exposure, memberships,
// credentials, storage, protections, activity, the posture share, the log hunt (when it ran) and what is
// incomplete. Every value from AWS or a log is kept on its line with its control characters neutralized.
void PrintTriageText(const TriageReport& report);

// The --output json result: {"target", "owner", "criticality", "findings", "inventory", "activity",
// "posture", "hunt", "complete", "incomplete"}, exact (its escaping is what makes it safe).
Json TriageJson(const TriageReport& report);

// The "Posture" section: each finding with its severity, evidence and fix, the instance's public
// addresses on its open groups, and what could not be assessed.
void PrintTriagePostureText(const Json& posture, const std::string& instance_id);

// The "Log hunt" section: CloudTrail by/on counts and the most frequent events, credential exfiltration,
// the top flow peers, rejected attempts, findings and what was skipped.
void PrintTriageHuntText(const Json& hunt, const std::string& since);

}  // namespace cordon::report
