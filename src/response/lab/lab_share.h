// A lab in the forensic account (lab_account.h) gets the case's snapshots the way AWS allows:
// snapshots encrypted with the default aws/ebs key cannot be shared, so each is copied in the
// suspect's account, re-encrypted with a KMS key of the case that only the forensic account may
// also use, and shared with that account alone (createVolumePermission); the lab volumes are made
// from the copies there ("Share an Amazon EBS snapshot", Amazon EBS User Guide). The copies and the
// key are the lab's (cordon:role=lab): lab down deletes the copies and schedules the key for
// deletion; the case's own snapshots are never touched.
// Every function here acts with ctx's client in the suspect's account.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "response/step.h"

namespace cordon::response::lab {

// "alias/cordon-lab-<case>" (the stack name's characters).
std::string CaseKeyAlias(const std::string& case_id);

// The case key's ARN: found by its alias, re-enabled if a lab down scheduled its deletion, else
// made (usable by `forensic_account` too) and given the alias.
Result<std::string> EnsureCaseKey(const StepContext& ctx, const std::string& forensic_account);

// The lab copy of `snapshot` (encrypted with `key_arn`, completed, shared with `forensic_account`
// only): found again by its tags, else copied.
Result<std::string> EnsureSharedCopy(const StepContext& ctx, const std::string& snapshot,
                                     const std::string& key_arn, const std::string& forensic_account);

// What is left of the sharing: "snapshot snap-..." per lab copy, "kms-key <id>" while the case key
// is not pending deletion.
Result<std::vector<std::string>> SharingLeftovers(const StepContext& ctx);

// Deletes the lab copies and schedules the case key for deletion (7 days, the shortest AWS allows).
Status RemoveSharing(const StepContext& ctx, Json* deleted);

}  // namespace cordon::response::lab
