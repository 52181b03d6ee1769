#include "cli/case_flags.h"

#include "cli/cases_root.h"
#include "evidence/case_store.h"
#include "response/case_paths.h"

namespace cordon::cli {

void AddCaseFlags(CLI::App& app, CaseFlags* flags) {
  app.add_option("--case", flags->id, "case id (the case folder's name)")->required();
  app.add_option("--cases-dir", flags->cases_dir, kCasesDirHelp);
  app.add_option("--responder", flags->responder, "who is responding (default $USER)");
  app.add_option("--wait-lock", flags->wait_lock_seconds,
                 "while another run holds the case, wait this many seconds for it (default: refuse at once)")
      ->check(CLI::Range(0, 24 * 3600));
}

Status FinishCaseFlags(CaseFlags* flags) {
  if (auto s = evidence::ValidateCaseId(flags->id); !s) return s;
  // Resolved once, here, so the case, its lock and a take-over's other case all use the same root.
  auto root = CliCasesRoot(flags->cases_dir);
  if (!root) return MakeError(root.error());
  flags->cases_dir = root->string();
  flags->responder = response::DefaultResponder(flags->responder);
  return evidence::ValidateResponder(flags->responder);  // before any change: evidence records it
}

}  // namespace cordon::cli
