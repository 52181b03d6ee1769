// Crash consistency of the case journal: a writer killed at random moments, and a WAL cut at every
// frame boundary (the writes a power loss could drop), must both leave a case that opens, verifies,
// and holds every record whose append returned.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "evidence/case_store.h"
#include "evidence/test_util.h"

namespace cordon::evidence {
namespace {

namespace fs = std::filesystem;

// Appends forever, writing each acknowledged seq to `ack_fd`; never returns.
[[noreturn]] void AppendUntilKilled(const fs::path& dir, int round, int ack_fd) {
  auto store = CaseStore::OpenExisting(dir);
  if (!store) _exit(2);
  for (int64_t i = 0;; ++i) {
    auto seq = (*store)->journal().Append(kind::kNote, "i-crash", "loop", Json{{"round", round}, {"i", i}});
    if (!seq) _exit(3);
    int64_t acked = *seq;
    // Eight bytes are below PIPE_BUF, so each write reaches the parent whole or not at all.
    if (write(ack_fd, &acked, sizeof(acked)) != sizeof(acked)) _exit(4);
  }
}

// Kills and reaps the child even when an assertion returns early.
struct ChildGuard {
  pid_t pid = -1;
  ~ChildGuard() {
    if (pid > 0) {
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
  }
};

TEST(JournalCrashTest, KilledWriterLosesNoAcknowledgedRecord) {
  test::ScratchDir scratch;
  const fs::path dir = scratch.path() / "IR-CRASH";
  ASSERT_TRUE(CaseStore::Open(dir, CaseInfo{"alice", "crash test"}));

  const unsigned seed = std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  // Mostly mid-loop kills, and some right after fork, while the child is still opening the case.
  std::uniform_int_distribution<int> delay_ms(0, 300);
  constexpr int kRounds = 10;
  int64_t total_acked = 0;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    ChildGuard child;
    child.pid = fork();
    ASSERT_GE(child.pid, 0);
    if (child.pid == 0) {
      close(fds[0]);
      AppendUntilKilled(dir, round, fds[1]);
    }
    close(fds[1]);
    std::this_thread::sleep_for(std::chrono::milliseconds(round == 0 ? 0 : delay_ms(rng)));
    ASSERT_EQ(kill(child.pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(child.pid, &status, 0), child.pid);
    child.pid = -1;
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer exited by itself with status " << WEXITSTATUS(status);

    std::vector<int64_t> acked;
    int64_t seq = 0;
    while (read(fds[0], &seq, sizeof(seq)) == sizeof(seq)) acked.push_back(seq);
    close(fds[0]);
    total_acked += static_cast<int64_t>(acked.size());

    auto store = CaseStore::OpenExisting(dir);
    ASSERT_TRUE(store) << "round " << round << ": " << store.error().message;
    auto report = (*store)->Verify();
    ASSERT_TRUE(report);
    ASSERT_TRUE(report->ok()) << "round " << round << ": seq " << report->first_bad_seq << ": "
                              << report->reason;
    if (acked.empty()) continue;
    EXPECT_GE(report->head.seq, acked.back());
    auto records = (*store)->journal().Records(acked.front());
    ASSERT_TRUE(records);
    std::set<int64_t> present;
    for (const JournalRecord& r : *records) {
      if (r.kind == kind::kNote && r.PayloadJson()["round"] == round) present.insert(r.seq);
    }
    for (int64_t a : acked)
      EXPECT_TRUE(present.count(a)) << "round " << round << ": acknowledged seq " << a << " lost";
  }
  EXPECT_GT(total_acked, 0) << "no round got far enough to append";
}

std::string FileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// SQLite's WAL: a 32-byte header, then frames of a 24-byte header and one page. A power loss can
// drop any suffix of what was not yet synced; SQLite ignores a frame (and every later one) that is
// incomplete or fails its checksum. Whatever is cut, the journal and its anchor, written in one
// transaction, must stay consistent, and the number of records must only grow with the length.
TEST(JournalCrashTest, WalCutAtEveryFrameBoundaryStillVerifies) {
  test::ScratchDir scratch;
  const fs::path dir = scratch.path() / "IR-WAL";
  ASSERT_TRUE(CaseStore::Open(dir, CaseInfo{"alice", "wal test"}));  // closed: case.db holds seq 1
  auto store = CaseStore::OpenExisting(dir);
  ASSERT_TRUE(store);
  constexpr int64_t kAppends = 15;
  for (int64_t i = 0; i < kAppends; ++i) {
    ASSERT_TRUE(
        (*store)->journal().Append(kind::kNote, "i-wal", "", Json{{"i", i}, {"pad", std::string(300, 'x')}}));
  }
  // Copied while the store is open: closing would checkpoint the WAL into case.db and delete it.
  const std::string db_bytes = FileBytes(dir / "case.db");
  const std::string wal = FileBytes(dir / "case.db-wal");
  store->reset();
  const int64_t page_size = std::stoll(test::RawQuery(dir / "case.db", "PRAGMA page_size"));
  const int64_t frame = 24 + page_size;
  ASSERT_GT(static_cast<int64_t>(wal.size()), 32 + frame * kAppends)
      << "expected at least a frame per commit";

  std::vector<int64_t> lengths = {0, 16};
  for (int64_t boundary = 32; boundary <= static_cast<int64_t>(wal.size()); boundary += frame) {
    for (int64_t delta : {int64_t{-1}, int64_t{0}, int64_t{1}, int64_t{24 + 100}}) {
      int64_t length = boundary + delta;
      if (length >= 0 && length <= static_cast<int64_t>(wal.size())) lengths.push_back(length);
    }
  }
  int64_t last_seq = 0;
  std::set<int64_t> heads_seen;
  for (int64_t length : lengths) {
    SCOPED_TRACE("WAL cut at " + std::to_string(length) + " of " + std::to_string(wal.size()) + " bytes");
    const fs::path copy = scratch.path() / ("cut-" + std::to_string(length)) / "IR-WAL";
    fs::create_directories(copy);
    WriteFile(copy / "case.db", db_bytes);
    WriteFile(copy / "case.db-wal", std::string_view(wal).substr(0, static_cast<size_t>(length)));
    auto reopened = CaseStore::OpenExisting(copy);
    ASSERT_TRUE(reopened) << reopened.error().message;
    auto report = (*reopened)->Verify();
    ASSERT_TRUE(report);
    EXPECT_TRUE(report->ok()) << "seq " << report->first_bad_seq << ": " << report->reason;
    EXPECT_GE(report->head.seq, last_seq);
    EXPECT_GE(report->head.seq, 1);
    last_seq = report->head.seq;
    heads_seen.insert(last_seq);
    reopened->reset();
    fs::remove_all(copy.parent_path());
  }
  EXPECT_EQ(last_seq, kAppends + 1);  // the whole WAL holds every append
  // Each commit ends on a frame boundary, so some cut stops right after each one.
  EXPECT_EQ(heads_seen.size(), static_cast<size_t>(kAppends + 1));
}

}  // namespace
}  // namespace cordon::evidence
