// A case opened under its lock: the one way a process that changes a case opens it (a command
// through CommandContext::OpenCase, `cordon watch` once per event). See docs/concurrency.md.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

#include "base/error.h"
#include "evidence/case_lock.h"
#include "evidence/case_store.h"

namespace cordon::evidence {

// Members in this order, so the store closes before the lock is let go.
struct LockedCase {
  std::unique_ptr<CaseLock> lock;
  std::unique_ptr<CaseStore> store;
};

// Takes the lock of the case in `case_dir` (waiting up to `wait` for another run, CaseLock::Acquire),
// then opens the case: creating it with `if_new` when it is not null, else only an existing one
// (kNotFound, looked for before the lock is taken, since taking it makes the folder). kConflict
// naming the holder while another live run holds the case.
[[nodiscard]] Result<LockedCase> OpenLockedCase(const std::filesystem::path& case_dir, const LockHolder& me,
                                                std::chrono::milliseconds wait, const CaseInfo* if_new);

}  // namespace cordon::evidence
