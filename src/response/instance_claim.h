// Which case holds an instance, kept in the instance's tags so every responder sees it, and the
// claim protocol that lets exactly one of several racing cases take it. See docs/concurrency.md.
//
// Tags (keys distinct per case, because CreateTags on one key is last-writer-wins):
//   cordon:claim:<CASE> = <ISO time>   written by ClaimInstance before a case changes anything
//   cordon:case = <CASE>, incident-response = quarantine:<CASE>   written by the tag step
//   incident-response = released:<CASE>   written by release (the case's claim is then stale)
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "aws/client.h"
#include "base/error.h"
#include "base/json.h"
#include "cloud/target.h"
#include "evidence/case_store.h"

namespace cordon::response {

inline constexpr std::string_view kClaimTagPrefix = "cordon:claim:";

struct ClaimState {
  std::string holder_case;      // empty: unclaimed
  std::string since;            // the holder's claim time; empty when it holds no claim tag
  bool contained = false;       // the holder's quarantine tags are on the instance
  std::string taken_over_from;  // ClaimInstance only: the case a --take-over moved it from
};

struct ClaimOptions {
  // When two claims are seen together, the earlier one (time, then case id) waits this many polls
  // for the other to withdraw before giving up itself.
  int settle_polls = 5;
  std::chrono::milliseconds settle_interval{1000};
};

// Who holds the instance, from its tags (pure): the case whose cordon:case and
// incident-response=quarantine:<CASE> tags are on it, else the earliest live claim (time, then
// case id). A claim of the case named by incident-response=released:<CASE> is not live.
ClaimState ClaimFromTags(const Json& tags);

// The instance's tags as DescribeInstances returns them ([{"Key", "Value"}]). kNotFound when the
// instance is gone.
[[nodiscard]] Result<Json> ReadInstanceTags(aws::Client& client, const cloud::ResolvedTarget& target);

// DescribeInstances, then ClaimFromTags. kNotFound when the instance is gone.
[[nodiscard]] Result<ClaimState> ReadClaim(aws::Client& client, const cloud::ResolvedTarget& target);

// Claims `target` for `case_id` before anything is changed on it:
//   - held by case_id already (a rerun): returns at once, writing nothing;
//   - held or claimed by another case: kConflict naming it ("instance i-... is claimed by case A
//     (since ...); contain it under that case, or pass --take-over A to move it to this case"),
//     unless take_over_case names exactly that case, which moves the claim (see below);
//   - unclaimed: writes cordon:claim:<case_id>, re-reads, and wins only when a read after its own
//     write shows no other live claim and no other holder. A case that sees another claim and is
//     not the earliest withdraws (deletes its own claim tag) and fails with kConflict; the earliest
//     polls (ClaimOptions) for the others to withdraw, and withdraws and fails if they do not.
// Take-over (take_over_case == the holder): writes this case's claim, deletes the holder's claim
// tag and sets cordon:case=<case_id> (the tag step then sets incident-response); the result's
// taken_over_from names the old case, which the caller journals (RecordTakeOver).
// kInvalidArgument when take_over_case is not the holder, or names case_id itself.
// Calls: ec2:DescribeInstances, ec2:CreateTags, ec2:DeleteTags (InstanceClaimIam()).
[[nodiscard]] Result<ClaimState> ClaimInstance(aws::Client& client, const cloud::ResolvedTarget& target,
                                               const std::string& case_id, const std::string& take_over_case,
                                               const ClaimOptions& options = {});

// Journals a take-over as note records in both cases: in `store` (the new case), and in the old
// case, opened from `cases_root`/<old case> with CaseStore::OpenExisting. When the old case is not
// on this machine, the new case's note says so. Fails only when the new case's journal fails.
[[nodiscard]] Status RecordTakeOver(evidence::CaseStore& store, const std::filesystem::path& cases_root,
                                    const std::string& instance_id, const ClaimState& claim,
                                    const std::string& responder);

}  // namespace cordon::response
