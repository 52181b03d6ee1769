// One live run per case: an flock(2) on <case_dir>/run.lock, with the holder's identity in the file.
// See docs/concurrency.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "base/error.h"

namespace cordon::evidence {

inline constexpr std::string_view kRunLockName = "run.lock";

// Who runs a command on a case. Written into run.lock as one JSON line by the holder.
struct LockHolder {
  int64_t pid = 0;  // 0 in Acquire's `me`: this process
  std::string host;       // empty in `me`: gethostname()
  std::string command;    // "contain", "release", ...
  std::string responder;
  std::string since;  // ISO 8601 UTC; empty in `me`: now
};

// "case IR-42 is in use by `contain` (pid 1234 on host x, responder alice, since
// 2026-12-02T20:51:03Z); wait for it or stop it".
std::string DescribeHolder(const std::string& case_id, const LockHolder& holder);

// The lock of one case, held from Acquire to destruction. The kernel drops an flock when the last
// descriptor of its open file description closes, so a holder that dies (even by SIGKILL) releases
// it, and a live holder is never taken for dead. The descriptor is O_CLOEXEC: a command cordon
// execs does not inherit the lock; a child made by fork() alone shares it until it exits.
// Not reentrant: a second Acquire of the same case in the same process fails as another run would.
class CaseLock {
 public:
  // Takes the lock of the case in `case_dir` (creating the folder, 0700, if needed), then writes
  // `me` (completed with pid, host and time) into run.lock. When another live process holds it:
  // polls until `wait` has passed (at least ~100 ms, which covers a holder that is still writing its
  // name, or a `Holder()` probe in flight), then fails with ErrorKind::kConflict whose message
  // names the holder (DescribeHolder). kIo when the folder or file cannot be made or is not a
  // regular file (run.lock is never followed through a symlink).
  [[nodiscard]] static Result<std::unique_ptr<CaseLock>> Acquire(
      const std::filesystem::path& case_dir, const LockHolder& me,
      std::chrono::milliseconds wait = std::chrono::milliseconds(0));

  // Who holds the lock now, if anyone (for `case show`). Nullopt when nobody does, whatever a dead
  // holder left in the file. Probes with a shared lock held for a moment; creates nothing.
  [[nodiscard]] static Result<std::optional<LockHolder>> Holder(const std::filesystem::path& case_dir);

  // Empties run.lock, then releases the lock.
  ~CaseLock();
  CaseLock(const CaseLock&) = delete;
  CaseLock& operator=(const CaseLock&) = delete;

  const LockHolder& holder() const { return me_; }

 private:
  CaseLock(int fd, LockHolder me) : fd_(fd), me_(std::move(me)) {}

  int fd_;
  LockHolder me_;
};

}  // namespace cordon::evidence
