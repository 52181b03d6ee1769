#include "evidence/journal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "evidence/case_store.h"
#include "evidence/test_util.h"

namespace cordon::evidence {
namespace {

using test::kDropTriggers;
using test::RawQuery;
using test::RawSql;

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    store_.reset();
    auto store = CaseStore::Open(dir(), CaseInfo{"alice", "journal test"}, &clock_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  void Close() { store_.reset(); }

  std::filesystem::path dir() const { return scratch_.path() / "IR-1"; }
  std::filesystem::path db() const { return dir() / "case.db"; }
  Journal& journal() { return store_->journal(); }

  // Appends notes until the journal's last seq is `last`; case.open is seq 1.
  void AppendNotesUpTo(int64_t last) {
    auto head = journal().Head();
    ASSERT_TRUE(head);
    for (int64_t seq = head->seq + 1; seq <= last; ++seq) {
      clock_.SleepFor(std::chrono::seconds(1));
      auto appended = journal().Append(kind::kNote, "i-0abc", "", Json{{"n", seq}});
      ASSERT_TRUE(appended) << appended.error().message;
      ASSERT_EQ(*appended, seq);
    }
  }

  VerifyReport Verify(const std::optional<JournalHead>& external = std::nullopt) {
    auto report = journal().Verify(external);
    EXPECT_TRUE(report) << report.error().message;
    return report ? *report : VerifyReport{};
  }

  // Replaces the journal record `seq` as a careful forger would: with the right hash for its new
  // contents. Triggers must already be dropped.
  void Rewrite(JournalRecord r) {
    r.hash = RecordHash(r);
    ASSERT_EQ(RawSql(db(), "DELETE FROM journal WHERE seq = " + std::to_string(r.seq) +
                               "; INSERT INTO journal VALUES (" + std::to_string(r.seq) + ", '" + r.time +
                               "', '" + r.kind + "', '" + r.target + "', '" + r.step + "', '" + r.payload +
                               "', '" + r.prev_hash + "', '" + r.hash + "')"),
              "");
  }

  test::ScratchDir scratch_;
  FakeClock clock_{test::TestEpoch()};
  std::unique_ptr<CaseStore> store_;
};

TEST_F(JournalTest, NewCaseStartsWithCaseOpen) {
  auto records = journal().Records();
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 1u);
  const JournalRecord& open = records->front();
  EXPECT_EQ(open.seq, 1);
  EXPECT_EQ(open.time, "2024-05-01T12:00:00Z");
  EXPECT_EQ(open.kind, kind::kCaseOpen);
  EXPECT_EQ(open.prev_hash, kGenesisHash);
  EXPECT_EQ(open.hash, RecordHash(open));
  EXPECT_EQ(open.PayloadJson()["case_id"], "IR-1");
  EXPECT_EQ(open.PayloadJson()["responder"], "alice");
  EXPECT_TRUE(Verify().ok());
}

TEST_F(JournalTest, ChainVerifiesAfterManyAppends) {
  AppendNotesUpTo(300);
  VerifyReport report = Verify();
  EXPECT_TRUE(report.ok()) << report.reason;
  EXPECT_EQ(report.records, 300);
  EXPECT_EQ(report.head.seq, 300);

  auto records = journal().Records(299);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[1].prev_hash, (*records)[0].hash);
  EXPECT_EQ((*records)[1].time, "2024-05-01T12:04:59Z");
  auto head = journal().Head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->seq, 300);
  EXPECT_EQ(head->hash, (*records)[1].hash);
}

TEST_F(JournalTest, ConcurrentAppendsGetUniqueGaplessSeqs) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::vector<std::vector<int64_t>> seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto seq =
            journal().Append(kind::kAwsCall, "i-" + std::to_string(t), "snapshot", Json{{"t", t}, {"i", i}});
        ASSERT_TRUE(seq) << seq.error().message;
        seqs[t].push_back(*seq);
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::vector<int64_t> all;
  for (const auto& per_thread : seqs) {
    EXPECT_TRUE(std::is_sorted(per_thread.begin(), per_thread.end()));  // each thread's order is kept
    all.insert(all.end(), per_thread.begin(), per_thread.end());
  }
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), size_t{kThreads} * kPerThread);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], static_cast<int64_t>(i) + 2);  // 1 is case.open

  VerifyReport report = Verify();
  EXPECT_TRUE(report.ok()) << report.reason;
  EXPECT_EQ(report.records, kThreads * kPerThread + 1);
  auto records = journal().Records();
  ASSERT_TRUE(records);
  for (const JournalRecord& r : *records) {
    if (r.kind != kind::kAwsCall) continue;
    Json payload = r.PayloadJson();
    EXPECT_EQ(r.target, "i-" + std::to_string(payload["t"].get<int>()));
    EXPECT_EQ(seqs[payload["t"].get<int>()][payload["i"].get<int>()], r.seq);
  }
}

TEST_F(JournalTest, TriggersBlockUpdateAndDelete) {
  AppendNotesUpTo(5);
  EXPECT_NE(RawSql(db(), "UPDATE journal SET payload = '{}' WHERE seq = 3").find("append-only"),
            std::string::npos);
  EXPECT_NE(RawSql(db(), "DELETE FROM journal WHERE seq = 5").find("append-only"), std::string::npos);
  EXPECT_NE(RawSql(db(), "DELETE FROM journal").find("append-only"), std::string::npos);
  EXPECT_TRUE(Verify().ok());
  EXPECT_EQ(RawQuery(db(), "SELECT count(*) FROM journal"), "5");
}

TEST_F(JournalTest, EditedPayloadIsDetected) {
  AppendNotesUpTo(10);
  Close();
  ASSERT_EQ(RawSql(db(), kDropTriggers), "");
  ASSERT_EQ(RawSql(db(), "UPDATE journal SET payload = '{\"n\":666}' WHERE seq = 6"), "");
  Reopen();
  VerifyReport report = Verify();
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.first_bad_seq, 6);
  EXPECT_NE(report.reason.find("hash mismatch"), std::string::npos) << report.reason;
  EXPECT_EQ(report.records, 6);
}

TEST_F(JournalTest, EditedAndRehashedRecordIsDetectedByTheNextOne) {
  AppendNotesUpTo(10);
  auto records = journal().Records(6, 1);
  ASSERT_TRUE(records);
  Close();
  ASSERT_EQ(RawSql(db(), kDropTriggers), "");
  JournalRecord forged = records->front();
  forged.payload = R"({"n":"nothing happened"})";
  Rewrite(forged);
  Reopen();
  VerifyReport report = Verify();
  EXPECT_EQ(report.first_bad_seq, 7);
  EXPECT_NE(report.reason.find("prev_hash"), std::string::npos) << report.reason;
}

TEST_F(JournalTest, DeletedMiddleRecordIsDetected) {
  AppendNotesUpTo(10);
  Close();
  ASSERT_EQ(RawSql(db(), kDropTriggers), "");
  ASSERT_EQ(RawSql(db(), "DELETE FROM journal WHERE seq = 4"), "");
  Reopen();
  VerifyReport report = Verify();
  EXPECT_EQ(report.first_bad_seq, 4);
  EXPECT_NE(report.reason.find("from seq 3 to seq 5"), std::string::npos) << report.reason;
}

TEST_F(JournalTest, DeletedLastRecordIsDetected) {
  AppendNotesUpTo(10);
  Close();
  ASSERT_EQ(RawSql(db(), kDropTriggers), "");
  ASSERT_EQ(RawSql(db(), "DELETE FROM journal WHERE seq = 10"), "");
  Reopen();
  VerifyReport report = Verify();
  EXPECT_EQ(report.first_bad_seq, 10);
  EXPECT_NE(report.reason.find("removed from the end"), std::string::npos) << report.reason;

  // Appending afterwards continues from the anchor, so the hole stays visible.
  auto seq = journal().Append(kind::kNote, "", "", Json::object());
  ASSERT_TRUE(seq);
  EXPECT_EQ(*seq, 11);
  EXPECT_EQ(Verify().first_bad_seq, 10);
}

TEST_F(JournalTest, ForgedRecordAppendedOutsideCordonIsDetected) {
  AppendNotesUpTo(10);
  auto head = journal().Head();
  ASSERT_TRUE(head);
  Close();
  JournalRecord forged;
  forged.seq = 11;
  forged.time = "2024-05-01T12:00:11Z";
  forged.kind = "step.done";
  forged.target = "i-0abc";
  forged.step = "isolate_network";
  forged.payload = "{}";
  forged.prev_hash = head->hash;
  // Inserting needs no dropped trigger: only UPDATE and DELETE are blocked.
  Rewrite(forged);
  Reopen();
  VerifyReport report = Verify();
  EXPECT_EQ(report.first_bad_seq, 11);
  EXPECT_NE(report.reason.find("past its head anchor"), std::string::npos) << report.reason;

  // And cordon refuses to append on top of it rather than fork the chain.
  auto seq = journal().Append(kind::kNote, "", "", Json::object());
  ASSERT_FALSE(seq);
  EXPECT_EQ(seq.error().kind, ErrorKind::kConflict);
}

TEST_F(JournalTest, ForgedRecordInsertedInTheMiddleIsDetected) {
  AppendNotesUpTo(10);
  auto before = journal().Records(4, 1);
  ASSERT_TRUE(before);
  Close();
  ASSERT_EQ(RawSql(db(), kDropTriggers), "");
  // Make room at seq 5 by renumbering 5..10 to 6..11, then insert a well-formed record there.
  ASSERT_EQ(RawSql(db(),
                   "UPDATE journal SET seq = seq + 1000 WHERE seq >= 5;"
                   "UPDATE journal SET seq = seq - 999 WHERE seq >= 1000;"
                   "UPDATE meta SET value = '11' WHERE key = 'head_seq'"),
            "");
  JournalRecord forged;
  forged.seq = 5;
  forged.time = before->front().time;
  forged.kind = "note";
  forged.payload = R"({"text":"responder approved termination"})";
  forged.prev_hash = before->front().hash;
  Rewrite(forged);
  Reopen();
  VerifyReport report = Verify();
  EXPECT_EQ(report.first_bad_seq, 6);  // the old seq 5 no longer hashes to its hash
  EXPECT_FALSE(report.ok());
}

TEST_F(JournalTest, EditedAnchorIsDetected) {
  AppendNotesUpTo(4);
  Close();
  ASSERT_EQ(RawSql(db(), "UPDATE meta SET value = '" + std::string(64, 'f') + "' WHERE key = 'head_hash'"),
            "");
  Reopen();
  VerifyReport report = Verify();
  EXPECT_EQ(report.first_bad_seq, 4);
  EXPECT_NE(report.reason.find("anchor"), std::string::npos) << report.reason;

  Close();
  ASSERT_EQ(RawSql(db(), "DELETE FROM meta WHERE key IN ('head_hash', 'head_seq')"), "");
  Reopen();
  EXPECT_NE(Verify().reason.find("no head anchor"), std::string::npos);
}

// The documented limit: whoever can write case.db can rewrite the whole tail and the anchor
// consistently. Only an anchor kept outside the case (a report, a ticket) catches that.
TEST_F(JournalTest, WholesaleRewriteNeedsAnExternalAnchor) {
  AppendNotesUpTo(6);
  auto exported = journal().Head();
  ASSERT_TRUE(exported);
  auto records = journal().Records();
  ASSERT_TRUE(records);
  Close();
  ASSERT_EQ(RawSql(db(), kDropTriggers), "");
  std::string prev = (*records)[3].hash;
  for (size_t i = 4; i < records->size(); ++i) {
    JournalRecord r = (*records)[i];
    r.payload = R"({"n":"rewritten"})";
    r.prev_hash = prev;
    Rewrite(r);
    prev = RecordHash(r);
  }
  ASSERT_EQ(RawSql(db(), "UPDATE meta SET value = '" + prev + "' WHERE key = 'head_hash'"), "");
  Reopen();
  EXPECT_TRUE(Verify().ok());
  VerifyReport report = Verify(*exported);
  EXPECT_EQ(report.first_bad_seq, 6);
  EXPECT_NE(report.reason.find("external anchor"), std::string::npos) << report.reason;

  // An external anchor past the end catches a truncation that also fixed the anchor.
  JournalHead future{9, std::string(64, 'a')};
  EXPECT_EQ(Verify(future).first_bad_seq, 7);
}

TEST_F(JournalTest, RejectsMalformedFieldsWithoutAppending) {
  EXPECT_EQ(journal().Append("Bad Kind", "", "").error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(journal().Append(kind::kNote, "i-1\nseq 99", "").error().kind, ErrorKind::kInvalidArgument);
  auto head = journal().Head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->seq, 1);
}

TEST_F(JournalTest, LastOutcomeFollowsTheLatestStepRecord) {
  auto outcome = [&](std::string_view target, std::string_view step) {
    auto result = journal().LastOutcome(target, step);
    EXPECT_TRUE(result) << result.error().message;
    return result ? *result : StepOutcome{};
  };
  EXPECT_EQ(outcome("i-1", "snapshot").state, StepState::kNone);
  EXPECT_EQ(outcome("i-1", "snapshot").seq, 0);

  auto intent = journal().Append(kind::kStepIntent, "i-1", "snapshot", Json{{"client_token", "tok-1"}});
  ASSERT_TRUE(intent);
  StepOutcome interrupted = outcome("i-1", "snapshot");
  EXPECT_EQ(interrupted.state, StepState::kInterrupted);
  EXPECT_EQ(interrupted.seq, *intent);
  EXPECT_EQ(interrupted.payload["client_token"], "tok-1");  // what the step was about to do

  // Records of other kinds, other steps and other targets do not change it.
  ASSERT_TRUE(journal().Append(kind::kAwsCall, "i-1", "snapshot", Json{{"operation", "CreateSnapshots"}}));
  ASSERT_TRUE(journal().Append(kind::kStepDone, "i-2", "snapshot"));
  ASSERT_TRUE(journal().Append(kind::kStepDone, "i-1", "tag"));
  ASSERT_TRUE(journal().RecordInterrupted("i-1", "snapshot", "killed"));
  EXPECT_EQ(outcome("i-1", "snapshot").state, StepState::kInterrupted);

  auto done = journal().Append(kind::kStepDone, "i-1", "snapshot", Json{{"snapshots", {"snap-1", "snap-2"}}});
  ASSERT_TRUE(done);
  StepOutcome finished = outcome("i-1", "snapshot");
  EXPECT_EQ(finished.state, StepState::kDone);
  EXPECT_EQ(finished.seq, *done);
  EXPECT_EQ(finished.payload["snapshots"][1], "snap-2");

  ASSERT_TRUE(journal().Append(kind::kStepIntent, "i-1", "isolate_network"));
  ASSERT_TRUE(journal().Append(kind::kStepFailed, "i-1", "isolate_network",
                               Json{{"error", "UnauthorizedOperation"}}));
  EXPECT_EQ(outcome("i-1", "isolate_network").state, StepState::kFailed);
  EXPECT_EQ(outcome("i-1", "isolate_network").payload["error"], "UnauthorizedOperation");
  // A rerun's new intent makes it interrupted again until an outcome follows.
  ASSERT_TRUE(journal().Append(kind::kStepIntent, "i-1", "isolate_network"));
  EXPECT_EQ(outcome("i-1", "isolate_network").state, StepState::kInterrupted);

  ASSERT_TRUE(journal().Append(kind::kStepSkipped, "i-1", "memory", Json{{"why", "no SSM agent"}}));
  EXPECT_EQ(outcome("i-1", "memory").state, StepState::kSkipped);
  EXPECT_EQ(StepStateName(StepState::kInterrupted), "interrupted");

  // The answer survives a reopen: it comes from the journal alone.
  Reopen();
  EXPECT_EQ(outcome("i-1", "snapshot").state, StepState::kDone);
}

TEST_F(JournalTest, MarkInterruptedMarksEachDanglingIntentOnce) {
  ASSERT_TRUE(journal().Append(kind::kStepIntent, "i-1", "tag"));
  ASSERT_TRUE(journal().Append(kind::kStepDone, "i-1", "tag"));
  auto protect = journal().Append(kind::kStepIntent, "i-1", "protect");
  ASSERT_TRUE(protect);
  auto detach = journal().Append(kind::kStepIntent, "i-2", "detach_asg");
  ASSERT_TRUE(detach);

  auto pending = journal().InterruptedSteps();
  ASSERT_TRUE(pending);
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].target, "i-1");
  EXPECT_EQ((*pending)[0].step, "protect");
  EXPECT_EQ((*pending)[0].intent_seq, *protect);
  EXPECT_FALSE((*pending)[0].marked);
  EXPECT_EQ((*pending)[1].step, "detach_asg");

  auto marked = journal().MarkInterrupted("resumed after a crash");
  ASSERT_TRUE(marked);
  EXPECT_EQ(*marked, 2);
  EXPECT_EQ(*journal().MarkInterrupted("again"), 0);

  auto records = journal().Records(*detach + 1);
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].kind, kind::kInterrupted);
  EXPECT_EQ((*records)[0].PayloadJson()["intent_seq"], *protect);
  EXPECT_EQ((*records)[0].PayloadJson()["reason"], "resumed after a crash");
  pending = journal().InterruptedSteps();
  ASSERT_TRUE(pending);
  EXPECT_TRUE((*pending)[0].marked);
  EXPECT_TRUE(Verify().ok());
}

// Issue 10: a failed append is sticky, as a failed log write is in LevelDB. The failure is a real
// one: an SQLite trigger refuses the insert, as a full disk or a lost lock would.
TEST_F(JournalTest, FailedAppendIsStickyAndNamesTheLostRecords) {
  AppendNotesUpTo(2);
  ASSERT_TRUE(journal().healthy());
  ASSERT_TRUE(journal().sticky_error());
  ASSERT_EQ(RawSql(db(),
                   "CREATE TRIGGER inject BEFORE INSERT ON journal WHEN NEW.step = 'isolate-network' "
                   "BEGIN SELECT RAISE(ABORT, 'injected'); END;"),
            "");

  auto failed = journal().Append(kind::kStepDone, "i-0abc", "isolate-network", Json{{"secret", "x"}});
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message.find("injected"), std::string::npos) << failed.error().message;
  EXPECT_FALSE(journal().healthy());
  Status sticky = journal().sticky_error();
  ASSERT_FALSE(sticky);
  EXPECT_EQ(sticky.error().message, failed.error().message);

  // Later appends fail at once with the first error, though the database would take them now.
  ASSERT_EQ(RawSql(db(), "DROP TRIGGER inject"), "");
  auto later = journal().Append(kind::kNote, "i-0abc", "tag", Json{{"text", "hello"}});
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().message, failed.error().message);
  auto interrupted = journal().RecordInterrupted("i-0abc", "snapshot", "why");
  ASSERT_FALSE(interrupted);
  auto marked = journal().MarkInterrupted("resuming");
  ASSERT_FALSE(marked);
  EXPECT_EQ(marked.error().message, failed.error().message);
  // A malformed record is the caller's bug: refused, but neither sticky nor counted as lost.
  auto malformed = journal().Append("Not A Kind", "", "");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().kind, ErrorKind::kInvalidArgument);

  const std::vector<LostRecord> expected = {
      {"step.done", "i-0abc", "isolate-network"},
      {"note", "i-0abc", "tag"},
      {"interrupted", "i-0abc", "snapshot"},
      {"interrupted", "", ""},  // MarkInterrupted, refused before it could read which steps
  };
  EXPECT_EQ(journal().lost_records(), expected);
  EXPECT_EQ(journal().lost_records()[0].ToString(), "step.done isolate-network i-0abc");
  EXPECT_EQ(journal().lost_records()[3].ToString(), "interrupted");

  // Nothing reached the database after the failure, and what is there is an intact chain.
  auto head = journal().Head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->seq, 2);
  EXPECT_TRUE(Verify().ok());

  // Sticky for this process only: opening the case again starts healthy.
  Reopen();
  EXPECT_TRUE(journal().healthy());
  EXPECT_TRUE(journal().lost_records().empty());
  auto appended = journal().Append(kind::kNote, "i-0abc", "tag", Json{{"text", "hello"}});
  ASSERT_TRUE(appended) << appended.error().message;
  EXPECT_EQ(*appended, 3);
}

// The markers of MarkInterrupted share one transaction: when it fails, each of them is lost.
TEST_F(JournalTest, FailedMarkInterruptedLosesEveryMarker) {
  ASSERT_TRUE(journal().Append(kind::kStepIntent, "i-1", "protect"));
  ASSERT_TRUE(journal().Append(kind::kStepIntent, "i-2", "tag"));
  ASSERT_EQ(RawSql(db(),
                   "CREATE TRIGGER inject BEFORE INSERT ON journal WHEN NEW.target = 'i-2' "
                   "BEGIN SELECT RAISE(ABORT, 'injected'); END;"),
            "");
  auto marked = journal().MarkInterrupted("resuming");
  ASSERT_FALSE(marked);
  EXPECT_FALSE(journal().healthy());
  const std::vector<LostRecord> expected = {{"interrupted", "i-1", "protect"}, {"interrupted", "i-2", "tag"}};
  EXPECT_EQ(journal().lost_records(), expected);
  auto head = journal().Head();
  ASSERT_TRUE(head);
  EXPECT_EQ(head->seq, 3);  // i-1's marker was rolled back with the rest
}

}  // namespace
}  // namespace cordon::evidence
