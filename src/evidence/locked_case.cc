#include "evidence/locked_case.h"

namespace cordon::evidence {

Result<LockedCase> OpenLockedCase(const std::filesystem::path& case_dir, const LockHolder& me,
                                  std::chrono::milliseconds wait, const CaseInfo* if_new) {
  if (if_new == nullptr && !std::filesystem::exists(case_dir / kCaseDbName))
    return MakeError(ErrorKind::kNotFound,
                     "no case " + case_dir.filename().string() + " in " + case_dir.parent_path().string() +
                         " (--cases-dir DIR, $CORDON_CASES_DIR or the config file's \"cases_dir\" point "
                         "elsewhere)");
  LockedCase out;
  // The lock before the database: the run that holds it is the only one that may change the case.
  auto lock = CaseLock::Acquire(case_dir, me, wait);
  if (!lock) return MakeError(lock.error());
  out.lock = std::move(*lock);
  auto store = if_new == nullptr ? CaseStore::OpenExisting(case_dir) : CaseStore::Open(case_dir, *if_new);
  if (!store) return MakeError(store.error());
  out.store = std::move(*store);
  return out;
}

}  // namespace cordon::evidence
