// Waiting until a case's EBS snapshots are `completed` (issue 13). EBS creates snapshots
// asynchronously: a snapshot is `pending` while its blocks are copied, then `completed` or `error`
// (EC2 API reference, Snapshot.State; "Create Amazon EBS snapshots" in the EBS user guide). Only a
// completed snapshot can be restored, so only a completed one is evidence.
//
// The default --snapshot-timeout is 30 minutes: EBS copies only a volume's written blocks, so a
// first snapshot of a volume of tens of GiB completes in minutes to tens of minutes; contain's
// snapshot step runs after isolation, so the wait holds back no protection; and a set not done by
// then gains nothing from a terminal waiting on longer: the snapshots keep completing in AWS, and a
// rerun waits on the recorded set.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "base/time.h"
#include "response/step.h"

namespace cordon::response {

struct SnapshotState {
  std::string snapshot_id, volume_id;
  std::string state;                // pending | completed | error | missing (no longer listed: deleted)
  std::string progress;             // "40%", as EC2 reports it
  std::string message;              // an error's StateMessage
  std::string completed_at;         // CompletionTime, else when cordon first saw it completed
  bool completed_observed = false;  // completed_at is cordon's observation, not CompletionTime

  Json ToJson() const;
  static SnapshotState FromJson(const Json& j);
};

// A set's snapshots sorted by state; `failed` holds `error` and `missing` ones.
struct SetStates {
  std::vector<SnapshotState> completed, pending, failed;

  bool settled() const { return pending.empty(); }
  // "1 of 3 completed; pending snap-1 (vol-1) 40%, snap-2 (vol-2); error snap-3 (vol-3): message"
  std::string Summary() const;
  // Every snapshot, in the order completed, pending, failed.
  Json ToJson() const;
};

// Sorts the snapshots of `volume_of` (snapshot id -> volume id) by their state in `described`, a
// DescribeSnapshots answer. A snapshot the answer does not list is `missing`. A completed one
// without CompletionTime gets `now`, or its time in `seen_completed` (an earlier poll's), instead.
SetStates ClassifySnapshots(const Json& described, const std::map<std::string, std::string>& volume_of,
                            const std::string& now,
                            const std::map<std::string, std::string>& seen_completed = {});

// How long the snapshot step waits for its set (contain/preserve --snapshot-timeout; the reason for
// the default is above). Set once per process by the command, before any step runs; a process-wide
// value rather than a ResponseOptions member, which nearly every file of response/ and cli/ includes.
void SetSnapshotTimeout(std::chrono::seconds timeout);
std::chrono::seconds SnapshotTimeout();
inline constexpr std::chrono::seconds kDefaultSnapshotTimeout{30 * 60};

// How often to poll: from `first`, doubling up to `most`. CORDON_TEST_SNAPSHOT_POLL_MS=N (for the
// integration tests, whose range holds snapshots pending for a few polls) makes it N then up to 4N ms.
struct SnapshotPolling {
  std::chrono::milliseconds first{5000}, most{60000};
};
SnapshotPolling SnapshotPollingFromEnvironment();

// Polls DescribeSnapshots (every page) for the snapshots of `volume_of` until none is pending or
// `deadline` has passed, and returns the last states. The first poll is at once (moto and small
// volumes are done already). While it waits, the CLI's wait notice shows "ec2 snapshots of <set>:
// 1 of 2 completed ...". Errors only when DescribeSnapshots fails.
Result<SetStates> WaitForSnapshots(const StepContext& ctx,
                                   const std::map<std::string, std::string>& volume_of, TimePoint deadline,
                                   const std::string& set);

}  // namespace cordon::response
