// The case's deny on a shared role (DESIGN.md §3 rule 4, issue 13): one inline policy
// cordon-deny-<CASE> per role, holding one Deny * statement whose ec2:SourceInstanceARN condition
// lists every instance of the case that runs with the role (and, with --revoke-role-sessions, one
// role-wide Deny on sessions issued before a time). One policy per instance would exhaust IAM's
// 10,240-character inline quota of a role at about 40 instances; merged, an entry costs 24
// characters, so a role holds about 400 of them.
//
// Cases recorded by older versions hold one policy per instance, cordon-deny-<CASE>-<instance>:
// release still deletes those by the name their undo data records (steps/credentials.cc).
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "response/step.h"

namespace cordon::response {

// IAM quota "Role policy size": a role's inline policies together hold at most 10,240 characters,
// whitespace not counted. Not adjustable.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
inline constexpr size_t kRoleInlinePolicyQuota = 10240;

// The last part of an IAM ARN's path: the name of the role or instance profile it names
// ("arn:aws:iam::1:instance-profile/web" -> "web"); the whole text when it has no '/'.
std::string LastPathPart(const std::string& arn);

// "cordon-deny-<CASE>". A case id is 1-64 of [A-Za-z0-9_.-], so the name stays below IAM's
// 128-character limit for policy names.
std::string DenyPolicyName(const std::string& case_id);

// The condition value that matches exactly the sessions of `instance_id`: "*/i-...". See the .cc.
std::string DenyEntry(const std::string& instance_id);

// The entries of a deny document as DenyDocument makes it (a string or a list), in order; empty for
// null or any other document.
std::vector<std::string> DenyEntries(const Json& doc);
// The time of the document's revoke statement (aws:TokenIssueTime), "" when it has none.
std::string RevokedBefore(const Json& doc);

// The document: one deny statement for `entries` (sorted, each once), plus the revoke statement when
// `revoke_before` is not empty. Without entries and revoke it has no statement (delete it instead).
Json DenyDocument(std::vector<std::string> entries, const std::string& revoke_before);

// `doc` (null: none yet) with `add` merged in; the revoke time is the later one of the document's
// and `revoke_before` (denying more sessions, never fewer).
Json MergeDeny(const Json& doc, const std::vector<std::string>& add, const std::string& revoke_before);
// `doc` without `entry`. The revoke statement stays while any entry does.
Json WithoutEntry(const Json& doc, const std::string& entry);

// A policy's size as IAM counts it against its quotas: its characters, whitespace not counted.
size_t IamPolicySize(std::string_view text);
size_t IamDocumentSize(const Json& doc);  // of doc.dump(), the text cordon sends

// The lock that serialises, in this process, every read-modify-write of the deny policies of roles
// named `role`. Steps of many targets run at once: without it two of them could read the same
// document and one's entry would be lost. (Keyed by name only: same-named roles of two accounts
// merely wait for each other.) Lives until exit.
std::mutex& RoleDenyLock(const std::string& role);

// GetRolePolicy's document, parsed; null when the role has no such policy.
Result<Json> ReadRolePolicy(const StepContext& ctx, const std::string& role, const std::string& policy);

// What one run wrote last on each role's deny policy (AddDenyEntry, RemoveDenyEntry), by role and policy: the
// state its targets share. The run owns it (Executor::Run, ReleaseCase) and hands it to every step of the run
// as StepContext::role_denies, so a run never sees another's (the watcher's next event, a test's next
// run, contain's run in the next account) and nothing is left to clear. Thread-safe: the targets'
// steps run side by side (AddDenyEntry also holds RoleDenyLock across its read-modify-write).
class RunDenies {
 public:
  // `certain`: the put succeeded, so `doc` is IAM's document; false after a failed put, whose
  // document may or may not have been taken.
  struct Put {
    Json doc;
    bool certain = true;
  };
  std::optional<Put> Find(const std::string& role, const std::string& policy) const;
  // After the run wrote `doc` on the role's policy (null: deleted it): `ok`, the write succeeded, so
  // `doc` is IAM's; else what the run knew before stays, no longer certain (the failed write may or
  // may not have been taken), and a run that knew nothing still knows nothing.
  void Wrote(const std::string& role, const std::string& policy, bool ok, const Json& doc);

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Put> puts_;  // by (role, policy)
};

// Adds `entry` (and the revoke time) to the role's deny policy under RoleDenyLock, putting it only
// when it changes. Idempotent.
// Within a run (ctx.role_denies set) the document this run last put on the role is the
// base of the next merge instead of a new GetRolePolicy: IAM is eventually consistent ("Changes that
// I make are not always immediately visible", IAM User Guide, troubleshooting), so a read right after
// a sibling's put may not show it yet, and an entry merged into such a read would drop the sibling's.
// Nothing else changes the case's deny while the run lasts (one live run per case,
// docs/concurrency.md). After a failed put the next merge reads again, adding the entries this run
// did put. Without ctx.role_denies every call reads IAM's document.
Status AddDenyEntry(const StepContext& ctx, const std::string& role, const std::string& policy,
                    const std::string& entry, const std::string& revoke_before);

// Removes `entry` from the role's deny policy under RoleDenyLock, and deletes the policy once no
// entry is left. Within a run (ctx.role_denies set: release's) the document this run last wrote is the
// base instead of a new GetRolePolicy, for the reason AddDenyEntry gives: a stale read right after a
// sibling's removal would put the sibling's entry back, and its instance would stay denied after its
// release. After a failed write the next removal reads again, leaving out what this run took out. Returns
// "removed", "removed, policy deleted" or "already gone" (for the detail).
Result<std::string> RemoveDenyEntry(const StepContext& ctx, const std::string& role,
                                    const std::string& policy, const std::string& entry);

}  // namespace cordon::response
