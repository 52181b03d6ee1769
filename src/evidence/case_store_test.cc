#include "evidence/case_store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "evidence/schema.h"
#include "evidence/test_util.h"

namespace cordon::evidence {
namespace {

namespace fs = std::filesystem;
using test::RawQuery;
using test::RawSql;

class CaseStoreTest : public ::testing::Test {
 protected:
  Result<std::unique_ptr<CaseStore>> Open(const std::string& id) {
    return CaseStore::Open(root() / id, CaseInfo{"alice", "suspected crypto miner"}, &clock_);
  }
  fs::path root() const { return scratch_.path() / "cordon-cases"; }

  test::ScratchDir scratch_;
  FakeClock clock_{test::TestEpoch()};
};

TEST_F(CaseStoreTest, CreatesTheCaseFolder) {
  auto store = Open("IR-2024-001");
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_TRUE((*store)->newly_created());
  EXPECT_EQ((*store)->id(), "IR-2024-001");
  EXPECT_TRUE(fs::exists(root() / "IR-2024-001" / "case.db"));
  EXPECT_TRUE(fs::is_directory(root() / "IR-2024-001" / "evidence"));

  auto summary = (*store)->Summary();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->created, "2024-05-01T12:00:00Z");
  EXPECT_EQ(summary->status, "open");
  EXPECT_EQ(summary->responder, "alice");
  EXPECT_EQ(summary->records, 1);
  EXPECT_TRUE(summary->targets.empty());
}

TEST_F(CaseStoreTest, UsesWalAndTheCordonApplicationId) {
  ASSERT_TRUE(Open("IR-1"));
  const fs::path db = root() / "IR-1" / "case.db";
  EXPECT_EQ(RawQuery(db, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(RawQuery(db, "PRAGMA application_id"), std::to_string(kApplicationId));
  EXPECT_EQ(RawQuery(db, "SELECT value FROM meta WHERE key = 'format_version'"), "1");
}

TEST_F(CaseStoreTest, ReopensWithoutRecreating) {
  ASSERT_TRUE(Open("IR-1"));
  auto again = CaseStore::Open(root() / "IR-1/", CaseInfo{"bob", "ignored"}, &clock_);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE((*again)->newly_created());
  auto summary = (*again)->Summary();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->responder, "alice");
  EXPECT_EQ(summary->records, 1);
}

TEST_F(CaseStoreTest, OpenExistingDoesNotCreate) {
  auto missing = CaseStore::OpenExisting(root() / "IR-9", &clock_);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  EXPECT_NE(missing.error().message.find("no case IR-9"), std::string::npos) << missing.error().message;
  EXPECT_FALSE(fs::exists(root() / "IR-9"));
}

TEST_F(CaseStoreTest, RejectsInvalidCaseIds) {
  EXPECT_TRUE(ValidateCaseId("IR-2024_05.a"));
  EXPECT_TRUE(ValidateCaseId(std::string(64, 'a')));
  struct {
    std::string id;
    std::string says;
  } cases[] = {
      {"", "it is empty"},          {std::string(65, 'a'), "65 characters"},
      {"IR 1", "contains ' '"},     {"IR/1", "contains '/'"},
      {"..", "starts with '.'"},    {"-rf", "starts with '-'"},
      {"caf\xc3\xa9", "non-ASCII"},
  };
  for (const auto& c : cases) {
    auto status = ValidateCaseId(c.id);
    ASSERT_FALSE(status) << c.id;
    EXPECT_EQ(status.error().kind, ErrorKind::kInvalidArgument);
    EXPECT_NE(status.error().message.find(c.says), std::string::npos) << status.error().message;
    EXPECT_NE(status.error().message.find("1 to 64 letters, digits, '-', '_' or '.'"), std::string::npos);
  }
  auto store = Open("IR 1");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().message,
            "invalid case id 'IR 1': it contains ' '; a case id is 1 to 64 letters, digits, '-', '_' or '.', "
            "starting with a letter or digit");
  EXPECT_FALSE(fs::exists(root() / "IR 1"));
}

TEST_F(CaseStoreTest, RefusesANewerFormat) {
  ASSERT_TRUE(Open("IR-1"));
  ASSERT_EQ(RawSql(root() / "IR-1" / "case.db", "UPDATE meta SET value = '7' WHERE key = 'format_version'"),
            "");
  auto store = Open("IR-1");
  ASSERT_FALSE(store);
  EXPECT_NE(
      store.error().message.find("uses case format version 7, newer than this cordon understands (up to 1)"),
      std::string::npos)
      << store.error().message;
}

TEST_F(CaseStoreTest, RefusesSomethingElsesSqliteDatabase) {
  fs::create_directories(root() / "IR-1");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((root() / "IR-1" / "case.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = Open("IR-1");
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("not a cordon case"), std::string::npos) << store.error().message;

  fs::create_directories(root() / "IR-2");
  std::ofstream(root() / "IR-2" / "case.db") << "this is not sqlite at all, just text long enough to be read";
  auto text = Open("IR-2");
  ASSERT_FALSE(text);
  EXPECT_NE(text.error().message.find("not a database"), std::string::npos) << text.error().message;
}

TEST_F(CaseStoreTest, RefusesARenamedCaseFolder) {
  ASSERT_TRUE(Open("IR-1"));
  fs::rename(root() / "IR-1", root() / "IR-2");
  auto store = Open("IR-2");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().kind, ErrorKind::kConflict);
  EXPECT_NE(store.error().message.find("holds case 'IR-1'"), std::string::npos) << store.error().message;
}

TEST_F(CaseStoreTest, SetStatusIsJournaled) {
  auto store = Open("IR-1");
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->SetStatus("contained"));
  ASSERT_TRUE((*store)->SetStatus("contained"));  // no change, no record
  EXPECT_FALSE((*store)->SetStatus("Contained!"));
  auto records = (*store)->journal().Records();
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ(records->back().kind, kind::kCaseStatus);
  EXPECT_EQ(records->back().payload, R"({"from":"open","to":"contained"})");
  EXPECT_EQ((*store)->Summary()->status, "contained");
}

// Rows deleted and meta edited with the triggers dropped leave the chain intact; verify still sees
// that the journal says otherwise (issue 16).
TEST_F(CaseStoreTest, VerifyComparesTheJournalWithTheRowsAndMeta) {
  {
    auto store = Open("IR-1");
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->pre_state().RecordPreState("i-1", Json{{"instance_id", "i-1"}}));
    EvidenceItem item;
    item.target = "i-1";
    item.kind = EvidenceKind::kSnapshot;
    item.location = "snap-1";
    item.source = "ec2:CreateSnapshots";
    item.collector = "alice";
    ASSERT_TRUE((*store)->evidence().AddEvidence(item));
    ASSERT_TRUE((*store)->SetStatus("contained"));
    auto clean = (*store)->Verify();
    ASSERT_TRUE(clean);
    EXPECT_TRUE(clean->problems.empty());
  }
  const fs::path db = root() / "IR-1" / "case.db";
  ASSERT_EQ(RawSql(db, test::kDropTriggers), "");
  ASSERT_EQ(RawSql(db,
                   "DELETE FROM evidence; DELETE FROM pre_state; "
                   "UPDATE meta SET value = 'released' WHERE key = 'status'; "
                   "UPDATE meta SET value = 'mallory' WHERE key = 'responder'"),
            "");
  auto store = CaseStore::OpenExisting(root() / "IR-1", &clock_);
  ASSERT_TRUE(store);
  auto report = (*store)->Verify();
  ASSERT_TRUE(report);
  std::string all;
  for (const std::string& p : report->problems) all += p + "\n";
  EXPECT_NE(all.find("pre-state of i-1: recorded at seq"), std::string::npos) << all;
  EXPECT_NE(all.find("its inventory row is gone"), std::string::npos) << all;
  EXPECT_NE(all.find("status is 'released' but the journal says 'contained'"), std::string::npos) << all;
  EXPECT_NE(all.find("responder is 'mallory' but the journal says 'alice'"), std::string::npos) << all;
}

TEST_F(CaseStoreTest, ListsCases) {
  {
    auto a = Open("IR-B");
    ASSERT_TRUE(a);
    clock_.SleepFor(std::chrono::minutes(5));
    ASSERT_TRUE((*a)->journal().Append(kind::kStepDone, "i-0bbb", "tag"));
    ASSERT_TRUE((*a)->journal().Append(kind::kStepDone, "i-0aaa", "tag"));
    ASSERT_TRUE((*a)->SetStatus("contained"));
  }
  auto b = Open("IR-A");  // left open while listing: listing reads beside a writer
  ASSERT_TRUE(b);
  fs::create_directories(root() / "not-a-case");
  fs::create_directories(root() / "IR-C");
  std::ofstream(root() / "IR-C" / "case.db")
      << "garbage garbage garbage garbage garbage garbage garbage garbage";

  auto cases = ListCases(root());
  ASSERT_TRUE(cases) << cases.error().message;
  ASSERT_EQ(cases->size(), 3u);
  EXPECT_EQ((*cases)[0].id, "IR-A");
  EXPECT_EQ((*cases)[0].status, "open");
  EXPECT_EQ((*cases)[0].error, "");
  const CaseSummary& listed = (*cases)[1];
  EXPECT_EQ(listed.id, "IR-B");
  EXPECT_EQ(listed.created, "2024-05-01T12:00:00Z");
  EXPECT_EQ(listed.status, "contained");
  EXPECT_EQ(listed.targets, (std::vector<std::string>{"i-0aaa", "i-0bbb"}));
  EXPECT_EQ(listed.last_activity, "2024-05-01T12:05:00Z");
  EXPECT_EQ(listed.records, 4);
  EXPECT_EQ((*cases)[2].id, "IR-C");
  EXPECT_NE((*cases)[2].error, "");

  auto none = ListCases(scratch_.path() / "nowhere");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(CaseStoreTest, VerifyCoversTheWholeCase) {
  auto store = Open("IR-1");
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->pre_state().RecordPreState("i-1", Json{{"groups", {"sg-1"}}}));
  EvidenceItem about;
  about.target = "i-1";
  about.kind = EvidenceKind::kConsoleOutput;
  about.collector = "alice";
  ASSERT_TRUE((*store)->evidence().StoreFile("console-i-1.txt", "boot log", about));
  auto report = (*store)->Verify();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->ok()) << report->reason;
  EXPECT_EQ(report->records, 3);
}

}  // namespace
}  // namespace cordon::evidence
