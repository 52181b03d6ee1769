#include "cli/command_context.h"

#include "evidence/locked_case.h"
#include "response/run_identity.h"

namespace cordon::cli {

Result<aws::Client*> CommandContext::Client() const {
  if (!client_) {
    auto made = aws::MakeClient(aws_flags);
    if (!made) return MakeError(made.error());
    client_ = std::move(*made);
  }
  return client_.get();
}

Result<aws::Client*> CommandContext::ClientFor(const cloud::ResolvedTarget& target) const {
  auto found = accounts.find(target.instance_id);
  if (found != accounts.end()) return found->second.client.get();
  return Client();
}

std::filesystem::path CommandContext::CaseDir() const {
  return std::filesystem::path(case_flags.cases_dir) / case_flags.id;  // resolved by FinishCaseFlags
}

Result<evidence::CaseStore*> CommandContext::OpenCase(std::string_view description) const {
  if (store_) return store_.get();
  evidence::LockHolder me;
  me.command = command;
  me.responder = case_flags.responder;
  const evidence::CaseInfo info{case_flags.responder, std::string(description)};
  auto opened = evidence::OpenLockedCase(CaseDir(), me, std::chrono::seconds(case_flags.wait_lock_seconds),
                                         Has(needs, needs::kExistingCase) ? nullptr : &info);
  if (!opened) return MakeError(opened.error());
  lock_ = std::move(opened->lock);
  store_ = std::move(opened->store);
  // Every run on the case names its AWS account, caller, host and command line, as CloudTrail will.
  aws::Client* client = nullptr;
  if (Has(needs, needs::kClient)) {
    auto made = Client();
    if (made) client = *made;
  }
  if (auto s = response::RecordRunIdentity(*store_, client, {command, command_line, case_flags.responder});
      !s)
    return MakeError(ErrorKind::kIo, "the case journal failed: " + s.error().message);
  // After run.identity: a command changed the case when it journaled more than that.
  if (!store_->newly_created()) {
    auto head = store_->journal().Head();
    if (head) head_at_open_ = head->seq;
  }
  return store_.get();
}

}  // namespace cordon::cli
