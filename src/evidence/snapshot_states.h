// The state of each case snapshot (pending, completed, error) as the journal last recorded it (issue
// 13): the snapshot steps' step.done results and the notes they journal while they wait. For `case
// show` and the case report, which read the case, not AWS.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "evidence/journal_format.h"

namespace cordon::evidence {

struct RecordedSnapshotState {
  std::string state;         // pending | completed | error | missing
  std::string progress;      // "40%" of a pending one
  std::string message;       // an error's StateMessage
  std::string completed_at;  // EC2's CompletionTime, else when cordon saw it completed
  bool completed_observed = false;
  std::string recorded;  // the time of the journal record that says so
  std::string retry_of;  // the failed snapshot this one retries, or ""
};

// By snapshot id; the latest record wins. Snapshots of steps journaled before cordon waited for
// completion have no entry.
std::map<std::string, RecordedSnapshotState> RecordedSnapshotStates(
    const std::vector<JournalRecord>& records);

// One line: "completed at 2026-01-01T10:00:00Z" (", seen at" without CompletionTime), "pending 40% (as of
// <recorded>)", "error: <message>".
std::string DescribeSnapshotState(const RecordedSnapshotState& s);

}  // namespace cordon::evidence
