#include "evidence/pre_state.h"

#include <gtest/gtest.h>

#include "evidence/case_store.h"
#include "evidence/test_util.h"

namespace cordon::evidence {
namespace {

class PreStateTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    store_.reset();
    auto store = CaseStore::Open(scratch_.path() / "IR-1", CaseInfo{"alice", ""}, &clock_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  std::filesystem::path db() const { return scratch_.path() / "IR-1" / "case.db"; }
  PreStateStore& pre_state() { return store_->pre_state(); }

  test::ScratchDir scratch_;
  FakeClock clock_{test::TestEpoch()};
  std::unique_ptr<CaseStore> store_;
};

const Json kOriginal = {{"instance_id", "i-1"},
                        {"enis", {{{"id", "eni-1"}, {"groups", {"sg-web", "sg-ssh"}}}}},
                        {"asg", "web-asg"}};

TEST_F(PreStateTest, IsWriteOnceAcrossReopen) {
  EXPECT_FALSE(*pre_state().PreState("i-1"));
  bool recorded_now = false;
  auto first = pre_state().RecordPreState("i-1", kOriginal, &recorded_now);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(recorded_now);
  EXPECT_EQ(first->state, kOriginal);
  EXPECT_EQ(first->time, "2024-05-01T12:00:00Z");

  // A rerun after partial containment sees an already-isolated instance; it must not win.
  Json isolated = kOriginal;
  isolated["enis"][0]["groups"] = {"sg-cordon-isolation"};
  clock_.SleepFor(std::chrono::minutes(1));
  auto second = pre_state().RecordPreState("i-1", isolated, &recorded_now);
  ASSERT_TRUE(second);
  EXPECT_FALSE(recorded_now);
  EXPECT_EQ(second->state, kOriginal);
  EXPECT_EQ(second->seq, first->seq);

  Reopen();
  auto third = pre_state().RecordPreState("i-1", isolated, &recorded_now);
  ASSERT_TRUE(third);
  EXPECT_FALSE(recorded_now);
  EXPECT_EQ(third->state, kOriginal);
  auto read = pre_state().PreState("i-1");
  ASSERT_TRUE(read && *read);
  EXPECT_EQ((*read)->state, kOriginal);
  EXPECT_EQ((*read)->time, "2024-05-01T12:00:00Z");

  // Exactly one pre_state.recorded record, carrying the state's hash.
  auto records = store_->journal().Records();
  ASSERT_TRUE(records);
  int recorded = 0;
  for (const JournalRecord& r : *records) {
    if (r.kind != kind::kPreState) continue;
    ++recorded;
    EXPECT_EQ(r.target, "i-1");
    EXPECT_EQ(r.PayloadJson()["sha256"], first->sha256);
  }
  EXPECT_EQ(recorded, 1);
}

TEST_F(PreStateTest, TargetsAreIndependent) {
  ASSERT_TRUE(pre_state().RecordPreState("i-1", kOriginal));
  ASSERT_TRUE(pre_state().RecordPreState("i-2", Json{{"instance_id", "i-2"}}));
  auto all = pre_state().All();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].state["instance_id"], "i-2");
  EXPECT_FALSE(pre_state().RecordPreState("", kOriginal));
}

TEST_F(PreStateTest, ChangesOutsideCordonAreBlockedOrDetected) {
  ASSERT_TRUE(pre_state().RecordPreState("i-1", kOriginal));
  store_.reset();
  EXPECT_NE(test::RawSql(db(), "UPDATE pre_state SET state = '{}'").find("never changed"), std::string::npos);
  EXPECT_NE(test::RawSql(db(), "DELETE FROM pre_state").find("never changed"), std::string::npos);

  ASSERT_EQ(test::RawSql(db(), test::kDropTriggers), "");
  ASSERT_EQ(test::RawSql(db(), "UPDATE pre_state SET state = '{\"instance_id\":\"i-1\"}'"), "");
  Reopen();
  auto report = store_->Verify();
  ASSERT_TRUE(report);
  EXPECT_EQ(report->first_bad_seq, 0);     // the chain itself is intact...
  ASSERT_EQ(report->problems.size(), 1u);  // ...but the row no longer matches it
  EXPECT_NE(report->problems[0].find("pre-state of i-1"), std::string::npos) << report->problems[0];
}

}  // namespace
}  // namespace cordon::evidence
