#include "evidence/evidence.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "base/hash.h"
#include "evidence/case_store.h"
#include "evidence/test_util.h"

namespace cordon::evidence {
namespace {

namespace fs = std::filesystem;

class EvidenceTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    store_.reset();
    auto store = CaseStore::Open(dir(), CaseInfo{"alice", ""}, &clock_);
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  fs::path dir() const { return scratch_.path() / "IR-1"; }
  EvidenceLedger& ledger() { return store_->evidence(); }

  static EvidenceItem Console(std::string target = "i-1") {
    EvidenceItem item;
    item.target = std::move(target);
    item.kind = EvidenceKind::kConsoleOutput;
    item.source = "ec2:GetConsoleOutput";
    item.collector = "alice";
    item.step = "console_output";
    item.details = Json{{"latest", true}};
    return item;
  }

  std::vector<std::string> Problems(bool check_files = true) {
    auto report = store_->Verify(check_files);
    EXPECT_TRUE(report);
    return report ? report->problems : std::vector<std::string>{};
  }

  test::ScratchDir scratch_;
  FakeClock clock_{test::TestEpoch()};
  std::unique_ptr<CaseStore> store_;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_F(EvidenceTest, StoreFileHashesWritesAndRecords) {
  std::string content = "Linux version 6.1\n";
  for (int i = 0; i < 5000; ++i) content += "line " + std::to_string(i) + " \x01\xff binary too\n";
  auto item = ledger().StoreFile("console/i-1.txt", content, Console());
  ASSERT_TRUE(item) << item.error().message;
  EXPECT_EQ(item->location, "evidence/console/i-1.txt");
  EXPECT_EQ(item->sha256, Sha256Hex(content));
  EXPECT_EQ(item->size, static_cast<int64_t>(content.size()));
  EXPECT_EQ(item->time, "2024-05-01T12:00:00Z");
  EXPECT_EQ(item->id, 1);

  const fs::path path = dir() / "evidence" / "console" / "i-1.txt";
  EXPECT_EQ(ReadFile(path), content);
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0444u);  // evidence is not edited in place by accident
  for (const auto& entry : fs::directory_iterator(path.parent_path())) {
    EXPECT_EQ(entry.path().filename(), "i-1.txt") << "a temporary file was left behind";
  }

  // Journaled in the same transaction, with the same content as the inventory row.
  auto record = store_->journal().Records(item->seq, 1);
  ASSERT_TRUE(record);
  ASSERT_EQ(record->size(), 1u);
  EXPECT_EQ(record->front().kind, kind::kEvidenceAdded);
  EXPECT_EQ(record->front().target, "i-1");
  EXPECT_EQ(record->front().step, "console_output");
  EXPECT_EQ(record->front().PayloadJson(), item->ToJson());
  EXPECT_EQ(record->front().PayloadJson()["sha256"], Sha256Hex(content));
  EXPECT_TRUE(Problems().empty());
}

TEST_F(EvidenceTest, StoringTheSameFileAgainIsIdempotent) {
  auto first = ledger().StoreFile("console-i-1.txt", "boot", Console());
  ASSERT_TRUE(first);
  Reopen();
  auto second = ledger().StoreFile("console-i-1.txt", "boot", Console());
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(ledger().List()->size(), 1u);

  auto other = ledger().StoreFile("console-i-1.txt", "different", Console());
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, ErrorKind::kConflict);
  EXPECT_NE(other.error().message.find("never overwritten"), std::string::npos);
  EXPECT_EQ(ReadFile(dir() / "evidence" / "console-i-1.txt"), "boot");
}

TEST_F(EvidenceTest, RecordsAFileACrashLeftUnrecorded) {
  // As if the process died after the file was linked into place but before the row committed.
  fs::create_directories(dir() / "evidence");
  std::ofstream(dir() / "evidence" / "mem.lime", std::ios::binary) << "memory image";
  EvidenceItem about = Console();
  about.kind = EvidenceKind::kMemory;
  auto item = ledger().StoreFile("mem.lime", "memory image", about);
  ASSERT_TRUE(item) << item.error().message;
  EXPECT_EQ(item->sha256, Sha256Hex("memory image"));
  EXPECT_EQ(ledger().List()->size(), 1u);
}

TEST_F(EvidenceTest, RejectsBadNamesBeforeWriting) {
  for (std::string name : {"", "../escape", "a/../b", ".hidden", "a//b", "/abs", "sp ace", "a/", "x\ny"}) {
    auto item = ledger().StoreFile(name, "x", Console());
    ASSERT_FALSE(item) << name;
    EXPECT_EQ(item.error().kind, ErrorKind::kInvalidArgument) << name;
  }
  EvidenceItem no_collector = Console();
  no_collector.collector.clear();
  auto item = ledger().StoreFile("ok.txt", "x", no_collector);
  ASSERT_FALSE(item);
  EXPECT_NE(item.error().message.find("collector"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir() / "evidence" / "ok.txt"));
}

TEST_F(EvidenceTest, AddsAndListsOtherEvidence) {
  EvidenceItem snapshot;
  snapshot.target = "i-1";
  snapshot.kind = EvidenceKind::kSnapshot;
  snapshot.location = "snap-0123456789abcdef0";
  snapshot.size = int64_t{8} << 30;
  snapshot.source = "ec2:CreateSnapshots vol-1 /dev/xvda";
  snapshot.collector = "alice";
  snapshot.time = "2024-05-01T12:03:04.250+00:00";
  snapshot.details = Json{{"volume_id", "vol-1"}, {"description", "alice-2024-05-01-IR-1"}};
  auto added = ledger().AddEvidence(snapshot);
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(added->time, "2024-05-01T12:03:04Z");
  EXPECT_EQ(added->sha256, "");

  EvidenceItem memory;
  memory.target = "i-2";
  memory.kind = EvidenceKind::kMemory;
  memory.location = "s3://forensics/IR-1/i-2.lime";
  memory.sha256 = std::string(64, 'A');  // normalized to lowercase
  memory.size = 1024;
  memory.collector = "alice";
  auto second = ledger().AddEvidence(memory);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->sha256, std::string(64, 'a'));
  EXPECT_EQ(second->id, 2);

  // The same item again (a rerun after a crash between record and step.done) is listed once.
  auto again = ledger().AddEvidence(snapshot);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, added->id);

  auto all = ledger().List();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].details["volume_id"], "vol-1");
  EXPECT_EQ((*all)[0].kind, EvidenceKind::kSnapshot);
  auto of_i2 = ledger().List("i-2");
  ASSERT_TRUE(of_i2);
  ASSERT_EQ(of_i2->size(), 1u);
  EXPECT_EQ((*of_i2)[0].location, "s3://forensics/IR-1/i-2.lime");
  EXPECT_TRUE(Problems().empty());
}

TEST_F(EvidenceTest, ValidatesItems) {
  EvidenceItem item = Console();
  item.location = "snap-1";
  item.sha256 = "abc";
  EXPECT_NE(ledger().AddEvidence(item).error().message.find("64 hex"), std::string::npos);
  item.sha256.clear();
  item.size = -1;
  EXPECT_FALSE(ledger().AddEvidence(item));
  item.size = 0;
  item.time = "yesterday";
  EXPECT_FALSE(ledger().AddEvidence(item));
  item.time.clear();
  item.location.clear();
  EXPECT_FALSE(ledger().AddEvidence(item));
  EXPECT_TRUE(ledger().List()->empty());
}

TEST_F(EvidenceTest, KindNamesRoundTrip) {
  for (auto kind : {EvidenceKind::kSnapshot, EvidenceKind::kConsoleOutput, EvidenceKind::kMemory,
                    EvidenceKind::kMetadata, EvidenceKind::kFile}) {
    EXPECT_EQ(ParseEvidenceKind(EvidenceKindName(kind)), kind);
  }
  EXPECT_EQ(EvidenceKindName(EvidenceKind::kConsoleOutput), "console-output");
  EXPECT_FALSE(ParseEvidenceKind("disk"));
}

TEST_F(EvidenceTest, VerifyDetectsChangedFilesAndRows) {
  ASSERT_TRUE(ledger().StoreFile("a.txt", "original a", Console()));
  ASSERT_TRUE(ledger().StoreFile("b.txt", "original b", Console("i-2")));
  ASSERT_TRUE(Problems().empty());

  const fs::path a = dir() / "evidence" / "a.txt";
  fs::permissions(a, fs::perms::owner_write, fs::perm_options::add);
  std::ofstream(a, std::ios::binary | std::ios::trunc) << "tampered a";
  fs::remove(dir() / "evidence" / "b.txt");
  std::vector<std::string> problems = Problems();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].find("evidence 1 (evidence/a.txt): the file's SHA-256"), std::string::npos)
      << problems[0];
  EXPECT_NE(problems[1].find("evidence 2 (evidence/b.txt)"), std::string::npos) << problems[1];
  EXPECT_TRUE(Problems(/*check_files=*/false).empty());

  store_.reset();
  const fs::path db = dir() / "case.db";
  EXPECT_NE(test::RawSql(db, "UPDATE evidence SET collector = 'mallory'").find("append-only"),
            std::string::npos);
  ASSERT_EQ(test::RawSql(db, test::kDropTriggers), "");
  ASSERT_EQ(test::RawSql(db, "UPDATE evidence SET collector = 'mallory' WHERE id = 2"), "");
  Reopen();
  problems = Problems(/*check_files=*/false);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("evidence 2 (evidence/b.txt): the inventory row does not match"),
            std::string::npos)
      << problems[0];
}

// An evidence file swapped for a FIFO, a link to /dev/zero or a huge file: verify reports each at
// once instead of waiting for a writer or reading forever (issue 16). No timing is asserted: a hang
// would stop the test binary, which ctest's --timeout turns into a failure.
TEST_F(EvidenceTest, VerifyRefusesWhatIsNotTheRecordedRegularFile) {
  ASSERT_TRUE(ledger().StoreFile("fifo.txt", "a", Console()));
  ASSERT_TRUE(ledger().StoreFile("zero.txt", "b", Console("i-2")));
  ASSERT_TRUE(ledger().StoreFile("big.txt", "c", Console("i-3")));
  const fs::path ev = dir() / "evidence";
  fs::remove(ev / "fifo.txt");
  ASSERT_EQ(::mkfifo((ev / "fifo.txt").c_str(), 0600), 0);
  fs::remove(ev / "zero.txt");
  fs::create_symlink("/dev/zero", ev / "zero.txt");
  fs::permissions(ev / "big.txt", fs::perms::owner_write, fs::perm_options::add);
  {
    std::ofstream big(ev / "big.txt", std::ios::binary | std::ios::trunc);
    const std::string mib(1 << 20, 'x');
    for (int i = 0; i < 64; ++i) big << mib;
  }
  std::vector<std::string> problems = Problems();
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_NE(problems[0].find("not a regular file (a FIFO)"), std::string::npos) << problems[0];
  EXPECT_NE(problems[1].find("is a symbolic link"), std::string::npos) << problems[1];
  EXPECT_NE(problems[2].find("does not match the recorded"), std::string::npos) << problems[2];
  // Read only past the recorded byte, not the whole 64 MiB.
  EXPECT_EQ(problems[2].find("67108864 bytes"), std::string::npos) << problems[2];
}

}  // namespace
}  // namespace cordon::evidence
