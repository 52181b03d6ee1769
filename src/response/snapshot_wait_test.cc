#include "response/snapshot_wait.h"

#include <gtest/gtest.h>

namespace cordon::response {
namespace {

Json Snap(const std::string& id, const std::string& state, const Json& extra = Json::object()) {
  Json s = {{"SnapshotId", id}, {"State", state}};
  s.update(extra);
  return s;
}

const std::map<std::string, std::string> kSet = {
    {"snap-a", "vol-a"}, {"snap-b", "vol-b"}, {"snap-c", "vol-c"}};

TEST(SnapshotWait, SortsASetByState) {
  const Json described = {{"Snapshots",
                           {Snap("snap-a", "completed", {{"CompletionTime", "2026-01-01T10:05:00.000Z"}}),
                            Snap("snap-b", "pending", {{"Progress", "40%"}}),
                            Snap("snap-c", "error", {{"StateMessage", "internal error"}})}}};
  const SetStates s = ClassifySnapshots(described, kSet, "2026-01-01T11:00:00Z");
  ASSERT_EQ(s.completed.size(), 1u);
  EXPECT_EQ(s.completed[0].completed_at, "2026-01-01T10:05:00.000Z");
  EXPECT_FALSE(s.completed[0].completed_observed);
  ASSERT_EQ(s.pending.size(), 1u);
  EXPECT_EQ(s.pending[0].volume_id, "vol-b");
  ASSERT_EQ(s.failed.size(), 1u);
  EXPECT_EQ(s.failed[0].message, "internal error");
  EXPECT_FALSE(s.settled());
  EXPECT_EQ(s.Summary(),
            "1 of 3 completed; pending snap-b (vol-b) 40%; failed snap-c (vol-c): internal error");
}

TEST(SnapshotWait, ASnapshotNoLongerListedIsMissingNotPending) {
  const SetStates s = ClassifySnapshots(Json{{"Snapshots", {Snap("snap-a", "completed")}}},
                                        {{"snap-a", "vol-a"}, {"snap-b", "vol-b"}}, "now");
  ASSERT_EQ(s.failed.size(), 1u);
  EXPECT_EQ(s.failed[0].state, "missing");
  EXPECT_TRUE(s.settled());
}

TEST(SnapshotWait, CompletionTimeFallsBackToWhenFirstSeen) {
  const Json described = {{"Snapshots", {Snap("snap-a", "completed", {{"Progress", "100%"}})}}};
  const SetStates first = ClassifySnapshots(described, {{"snap-a", "vol-a"}}, "T2", {{"snap-a", "T1"}});
  EXPECT_EQ(first.completed[0].completed_at, "T1");
  EXPECT_TRUE(first.completed[0].completed_observed);
  EXPECT_EQ(first.completed[0].progress, "");
  const Json j = first.completed[0].ToJson();
  EXPECT_EQ(j["seen_completed_at"], "T1");
  EXPECT_FALSE(j.contains("completed_at"));
  EXPECT_EQ(SnapshotState::FromJson(j).completed_at, "T1");
}

TEST(SnapshotWait, AnUnknownStateIsNotEvidenceYet) {
  const SetStates s =
      ClassifySnapshots(Json{{"Snapshots", {Snap("snap-a", "recoverable")}}}, {{"snap-a", "vol-a"}}, "now");
  EXPECT_EQ(s.pending.size(), 1u);
  EXPECT_TRUE(ClassifySnapshots(Json::object(), {}, "now").settled());
}

}  // namespace
}  // namespace cordon::response
