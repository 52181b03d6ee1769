#include "evidence/snapshot_states.h"

#include <gtest/gtest.h>

namespace cordon::evidence {
namespace {

JournalRecord Rec(const std::string& time, std::string_view kind, const std::string& step,
                  const Json& payload) {
  JournalRecord r;
  r.time = time;
  r.kind = std::string(kind);
  r.step = step;
  r.payload = payload.dump();
  return r;
}

TEST(SnapshotStates, TheLatestRecordWins) {
  const Json pending = {{"snapshot_id", "snap-a"}, {"state", "pending"}, {"progress", "50%"}};
  const Json done = {{"snapshot_id", "snap-a"}, {"state", "completed"}, {"completed_at", "T3"}};
  const std::vector<JournalRecord> records = {
      Rec("T1", kind::kStepDone, "snapshot", Json{{"result", {{"snapshots", {pending}}}}}),
      Rec("T2", kind::kStepDone, "preserve-snapshot-1", Json{{"result", {{"snapshots", {done}}}}}),
  };
  auto states = RecordedSnapshotStates(records);
  ASSERT_EQ(states.count("snap-a"), 1u);
  EXPECT_EQ(DescribeSnapshotState(states["snap-a"]), "completed at T3");
  states = RecordedSnapshotStates({records[0]});
  EXPECT_EQ(DescribeSnapshotState(states["snap-a"]), "pending 50% (as of T1; not yet evidence)");
}

TEST(SnapshotStates, NotesAndRetriesCount) {
  const Json failed = {{"snapshot_id", "snap-a"}, {"state", "error"}, {"message", "boom"}};
  const Json retry = {
      {"snapshot_id", "snap-b"}, {"state", "completed"}, {"seen_completed_at", "T2"}, {"retry_of", "snap-a"}};
  auto states = RecordedSnapshotStates({
      Rec("T1", kind::kNote, "snapshot", Json{{"text", "x"}, {"snapshots", {failed}}}),
      Rec("T2", kind::kStepDone, "snapshot", Json{{"result", {{"retries", {retry}}}}}),
      Rec("T3", kind::kNote, "tag", Json{{"snapshots", {{{"snapshot_id", "snap-c"}, {"state", "error"}}}}}),
  });
  EXPECT_EQ(DescribeSnapshotState(states["snap-a"]), "error: boom");
  EXPECT_EQ(DescribeSnapshotState(states["snap-b"]), "completed, seen at T2; retry of snap-a");
  EXPECT_EQ(states.count("snap-c"), 0u);  // not a snapshot step's record
}

}  // namespace
}  // namespace cordon::evidence
