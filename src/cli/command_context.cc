#include "cli/command_context.h"

#include "response/case_paths.h"

namespace cordon::cli {

Result<aws::Client*> CommandContext::Client() const {
  if (!client_) {
    auto made = aws::MakeClient(aws_flags);
    if (!made) return MakeError(made.error());
    client_ = std::move(*made);
  }
  return client_.get();
}

std::filesystem::path CommandContext::CaseDir() const {
  return response::CasesRoot(case_flags.cases_dir) / case_flags.id;
}

Result<evidence::CaseStore*> CommandContext::OpenCase(std::string_view description) const {
  if (store_) return store_.get();
  const bool existing = Has(needs, needs::kExistingCase);
  // An existing case is looked for before the lock is taken, since taking it makes the folder.
  if (existing && !std::filesystem::exists(CaseDir() / evidence::kCaseDbName))
    return MakeError(ErrorKind::kNotFound, "no case " + case_flags.id + " in " + CaseDir().parent_path().string() +
                                               " (--cases-dir or $CORDON_CASES_DIR point elsewhere)");
  // The lock before the database: the run that holds it is the only one that may change the case.
  evidence::LockHolder me;
  me.command = command;
  me.responder = case_flags.responder;
  auto lock = evidence::CaseLock::Acquire(CaseDir(), me, std::chrono::seconds(case_flags.wait_lock_seconds));
  if (!lock) return MakeError(lock.error());
  lock_ = std::move(*lock);
  auto store = existing ? evidence::CaseStore::OpenExisting(CaseDir())
                        : evidence::CaseStore::Open(
                              CaseDir(), evidence::CaseInfo{case_flags.responder, std::string(description)});
  if (!store) return MakeError(store.error());
  store_ = std::move(*store);
  return store_.get();
}

}  // namespace cordon::cli
