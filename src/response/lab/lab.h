// The forensics lab of a case (DESIGN.md §6, issue 11): a single-use workstation launched as a
// CloudFormation stack in the suspect's VPC and AZ, allowed to reach the suspect through the case's
// own allow group, with volumes made from the case's snapshots attached to it, and torn down again.
// Everything the lab makes is tagged cordon:case=<case> and cordon:role=lab (the workstation itself
// cordon:role=forensic-workstation) and found again by those tags (rule 10). The lab never touches a
// snapshot, an evidence object or the case folder (rule 9).
//
// Each sub-command is a plan of steps on the suspect (step.h), run by the Executor, so it is
// journaled with its AWS request ids and a rerun after a crash continues without a second stack or
// volume:
//   lab up      lab-stack (create the stack, wait) -> lab-verify (check the workstation, fix it)
//   lab allow   lab-allow (workstation group -> case allow group on the suspect's ENIs)
//   lab attach  lab-attach (one volume per snapshot, attached; the chain of custody in the journal)
//   lab down    lab-detach-volumes -> lab-revoke-allow -> lab-delete-stack -> lab-sweep (look, then
//               delete what is left; the step fails while anything tagged for the lab remains)
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "response/plan.h"
#include "response/step.h"

namespace cordon::response::lab {

inline constexpr std::string_view kRoleTag = "cordon:role";
inline constexpr std::string_view kWorkstationRole = "forensic-workstation";
inline constexpr std::string_view kLabRole = "lab";

// What the responder chose for the lab (lab up / attach flags; empty: the default).
struct LabOptions {
  std::string ami;                               // required for lab up
  std::string instance_type = "t3.large";        // a current type with NVMe EBS and enough memory to carve
  std::string subnet;                            // default: the suspect's subnet (its VPC and AZ)
  std::string evidence_bucket, evidence_prefix;  // the workstation's role may write only there
  std::vector<std::string> snapshots;            // lab attach --snapshot; empty: every snapshot of the case
  std::string volume_type = "gp3", kms_key;
  int iops = 0;        // 0: the volume type's default
  bool mount = false;  // lab attach --mount: hash and mount the volumes on the workstation over SSM
  // lab up: launch the lab in the account of this role (lab_account.h); "" : the suspect's account.
  std::string forensic_account_role;
};

// "cordon-lab-<case>", with every character CloudFormation refuses in a stack name ([A-Za-z0-9-]
// only) replaced by '-'. Two case ids that differ only there map to one name: the stack's
// cordon:case tag tells them apart (FindLab refuses a stack of another case).
std::string LabStackName(const std::string& case_id);

// The case's lab as it is now, found by its stack (by name) and else by its tags.
struct Lab {
  std::string stack_id, stack_status;  // "" when there is no stack
  std::string workstation_id, workstation_state;
  std::string lab_group_id;  // the workstation's own group
  std::string vpc_id, subnet_id, availability_zone;
};

// nullopt when the case has no lab (no stack, no live workstation). kConflict when the stack of that
// name belongs to another case.
Result<std::optional<Lab>> FindLab(const StepContext& ctx, const std::string& case_id);

// The CloudFormation template `lab up` launches (and `cordon lab template` prints), written for real
// AWS; lab-verify corrects what an emulator ignores of it.
std::string_view WorkstationTemplate();

// The plans, for ctx.target = the suspect (its pre-state recorded by contain).
Plan BuildLabUpPlan(const cloud::ResolvedTarget& suspect, const LabOptions& options);
Plan BuildLabAllowPlan(const cloud::ResolvedTarget& suspect);
Plan BuildLabAttachPlan(const cloud::ResolvedTarget& suspect, const LabOptions& options);
Plan BuildLabDownPlan(const cloud::ResolvedTarget& suspect);

// Everything tagged for the case's lab that still exists ("instance i-...", "volume vol-...",
// "security-group sg-...", "stack cordon-lab-..."), for lab down's final check.
Result<std::vector<std::string>> LabLeftovers(const StepContext& ctx, const std::string& case_id);

// The IAM actions of each sub-command, for `cordon iam-policy --for lab`.
std::vector<std::string> LabIamActions();

}  // namespace cordon::response::lab
