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
  auto store = existing ? evidence::CaseStore::OpenExisting(CaseDir())
                        : evidence::CaseStore::Open(
                              CaseDir(), evidence::CaseInfo{case_flags.responder, std::string(description)});
  if (!store) return MakeError(store.error());
  store_ = std::move(*store);
  return store_.get();
}

}  // namespace cordon::cli
