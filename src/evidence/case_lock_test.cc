// The case lock across processes: a second run is refused by name, a dead holder frees the case,
// and a waiting run gets the lock when the holder lets go. Holders are forked children.
#include "evidence/case_lock.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "evidence/test_util.h"

namespace cordon::evidence {
namespace {

LockHolder Me(const std::string& command) { return LockHolder{0, "", command, "alice", ""}; }

// A child process that takes the lock, tells the parent (one byte on a pipe), then waits until the
// parent closes its end of the second pipe (or is killed), and exits with _exit (no destructors).
class HolderProcess {
 public:
  HolderProcess(const std::filesystem::path& dir, bool release_first = false) {
    int ready[2], hold[2];
    EXPECT_EQ(pipe(ready), 0);
    EXPECT_EQ(pipe(hold), 0);
    pid_ = fork();
    if (pid_ == 0) {
      close(ready[0]);
      close(hold[1]);
      auto lock = CaseLock::Acquire(dir, Me("contain"));
      char c = lock ? 'y' : 'n';
      (void)!write(ready[1], &c, 1);
      (void)!read(hold[0], &c, 1);  // returns when the parent closes hold[1]
      if (release_first) lock->reset();
      _exit(0);
    }
    close(ready[1]);
    close(hold[0]);
    hold_ = hold[1];
    char c = 0;
    EXPECT_EQ(read(ready[0], &c, 1), 1);
    close(ready[0]);
    acquired_ = c == 'y';
  }
  ~HolderProcess() {
    if (hold_ >= 0) Let();
    if (pid_ > 0) Reap();
  }
  bool acquired() const { return acquired_; }
  pid_t pid() const { return pid_; }
  void Let() {  // the child goes on and exits
    close(hold_);
    hold_ = -1;
  }
  void Kill() {
    kill(pid_, SIGKILL);
    Reap();
  }
  void Reap() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int hold_ = -1;
  bool acquired_ = false;
};

TEST(CaseLock, CreatesThePrivateCaseFolderAndRecordsTheHolder) {
  test::ScratchDir scratch;
  auto dir = scratch.path() / "cases" / "IR-42";
  auto lock = CaseLock::Acquire(dir, Me("contain"));
  ASSERT_TRUE(lock) << lock.error().message;
  struct stat st {};
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(stat((dir / "run.lock").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ((*lock)->holder().pid, getpid());
  EXPECT_FALSE((*lock)->holder().host.empty());
  EXPECT_EQ((*lock)->holder().since.size(), 20u);  // 2026-12-02T20:51:03Z
}

TEST(CaseLock, SecondRunInAnotherProcessIsRefusedNamingTheHolder) {
  test::ScratchDir scratch;
  auto dir = scratch.path() / "IR-42";
  auto lock = CaseLock::Acquire(dir, Me("contain"));
  ASSERT_TRUE(lock) << lock.error().message;
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_t child = fork();
  if (child == 0) {
    close(out[0]);
    auto second = CaseLock::Acquire(dir, Me("release"));
    std::string msg = second ? std::string("acquired") : second.error().message;
    if (!second && second.error().kind != ErrorKind::kConflict) msg = "wrong kind: " + msg;
    (void)!write(out[1], msg.data(), msg.size());
    _exit(0);
  }
  close(out[1]);
  std::string msg;
  char buf[512];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;) msg.append(buf, n);
  close(out[0]);
  waitpid(child, nullptr, 0);
  EXPECT_EQ(msg, DescribeHolder("IR-42", (*lock)->holder()));
  EXPECT_NE(msg.find("case IR-42 is in use by `contain` (pid " + std::to_string(getpid()) + " on host "),
            std::string::npos)
      << msg;
  EXPECT_NE(msg.find("responder alice, since "), std::string::npos) << msg;
  EXPECT_NE(msg.find("); wait for it or stop it"), std::string::npos) << msg;
}

TEST(CaseLock, HolderReportsTheLiveHolderOnly) {
  test::ScratchDir scratch;
  auto dir = scratch.path() / "IR-1";
  auto none = CaseLock::Holder(dir);  // no folder yet
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_FALSE(*none);
  {
    HolderProcess holder(dir);
    ASSERT_TRUE(holder.acquired());
    auto h = CaseLock::Holder(dir);
    ASSERT_TRUE(h) << h.error().message;
    ASSERT_TRUE(*h);
    EXPECT_EQ((*h)->pid, holder.pid());
    EXPECT_EQ((*h)->command, "contain");
    EXPECT_EQ((*h)->responder, "alice");
    holder.Kill();  // dies holding it: the name stays in the file, the lock does not
  }
  auto after = CaseLock::Holder(dir);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_FALSE(*after);
}

TEST(CaseLock, DeadHolderFreesTheCase) {
  test::ScratchDir scratch;
  auto dir = scratch.path() / "IR-2";
  HolderProcess holder(dir);
  ASSERT_TRUE(holder.acquired());
  auto refused = CaseLock::Acquire(dir, Me("contain"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kConflict);
  holder.Let();  // _exit without any destructor: only the kernel lets go
  holder.Reap();
  auto lock = CaseLock::Acquire(dir, Me("contain"));
  ASSERT_TRUE(lock) << lock.error().message;
  auto h = CaseLock::Holder(dir);
  ASSERT_TRUE(h && *h);
  EXPECT_EQ((*h)->pid, getpid());
}

TEST(CaseLock, WaitingRunGetsTheLockWhenTheHolderLetsGo) {
  test::ScratchDir scratch;
  auto dir = scratch.path() / "IR-3";
  HolderProcess holder(dir, /*release_first=*/true);
  ASSERT_TRUE(holder.acquired());
  std::thread letter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    holder.Let();
  });
  auto start = std::chrono::steady_clock::now();
  auto lock = CaseLock::Acquire(dir, Me("release"), std::chrono::seconds(10));
  auto waited = std::chrono::steady_clock::now() - start;
  letter.join();
  ASSERT_TRUE(lock) << lock.error().message;
  EXPECT_GE(waited, std::chrono::milliseconds(250));
  EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST(CaseLock, WaitRunsOutNamingTheHolder) {
  test::ScratchDir scratch;
  auto dir = scratch.path() / "IR-4";
  HolderProcess holder(dir);
  ASSERT_TRUE(holder.acquired());
  auto start = std::chrono::steady_clock::now();
  auto lock = CaseLock::Acquire(dir, Me("contain"), std::chrono::milliseconds(300));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error().kind, ErrorKind::kConflict);
  EXPECT_NE(lock.error().message.find("pid " + std::to_string(holder.pid())), std::string::npos)
      << lock.error().message;
}

TEST(CaseLock, ReleasedByTheDestructorAndNotReentrant) {
  test::ScratchDir scratch;
  auto dir = scratch.path() / "IR-5";
  {
    auto lock = CaseLock::Acquire(dir, Me("contain"));
    ASSERT_TRUE(lock);
    auto again = CaseLock::Acquire(dir, Me("contain"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::kConflict);
  }
  auto h = CaseLock::Holder(dir);
  ASSERT_TRUE(h);
  EXPECT_FALSE(*h);
  EXPECT_EQ(std::filesystem::file_size(dir / "run.lock"), 0u);
  EXPECT_TRUE(CaseLock::Acquire(dir, Me("contain")));
}

TEST(CaseLock, RefusesASymlinkedLockFile) {
  test::ScratchDir scratch;
  auto dir = scratch.path() / "IR-6";
  std::filesystem::create_directories(dir);
  std::ofstream(scratch.path() / "elsewhere") << "x";
  std::filesystem::create_symlink(scratch.path() / "elsewhere", dir / "run.lock");
  auto lock = CaseLock::Acquire(dir, Me("contain"));
  ASSERT_FALSE(lock);
  EXPECT_EQ(lock.error().kind, ErrorKind::kIo);
}

}  // namespace
}  // namespace cordon::evidence
