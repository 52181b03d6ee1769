// The case's record of where each target is (its account and region), so that release goes back
// there without the flags that found it. Journal kind "target.location" (docs/case-format.md).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/error.h"
#include "cli/command_context.h"
#include "evidence/case_store.h"

namespace cordon::cli {

inline constexpr std::string_view kTargetLocation = "target.location";

struct TargetLocation {
  std::string region;
  std::string account;   // empty when unknown (the run's identity could not be read)
  std::string role_arn;  // the role assumed there; empty for the profile's own account
};

// Journals one target.location record per target of ctx (target: the instance; payload {"region",
// "account", "role_arn"}), unless the case's latest one for it says the same. The account of a
// target in the profile's account is the one the run's identity (run.identity) names.
Status RecordTargetLocations(evidence::CaseStore& store, const CommandContext& ctx);

// The latest target.location of each target, by instance id (targets of cases from before this
// record are absent).
std::map<std::string, TargetLocation> TargetLocationsOf(const std::vector<evidence::JournalRecord>& records);
Result<std::map<std::string, TargetLocation>> ReadTargetLocations(evidence::CaseStore& store);

}  // namespace cordon::cli
