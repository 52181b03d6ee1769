#include "cli/response_output.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "aws/errors/error_table.h"
#include "base/strings.h"
#include "base/terminal_print.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/wait_notice.h"
#include "report/response_summary.h"

namespace cordon::cli {

void PrintProgress(const cloud::ResolvedTarget& target, const response::StepReport& r) {
  WriteAboveWaitLine([&] { report::PrintStepLine(target, r); });
}

void PrintSummary(const std::vector<response::TargetReport>& reports, const std::string& case_id,
                  const ResultFlags& result, const std::string& verb,
                  const std::map<std::string, double>* isolated) {
  if (result.structured()) {
    (void)PrintResult(report::ResponseSummaryJson(reports, case_id, verb, isolated),
                      result);  // a failed query is reported there
    return;
  }
  report::PrintResponseSummaryText(reports, case_id, verb, isolated);
}

int ExitStatusFor(const std::vector<response::TargetReport>& reports) {
  bool failed = false, denied = false, partial = false;
  for (const auto& t : reports) {
    failed = failed || t.failed();
    partial = partial || t.partial();
    // A step the credentials were refused for (none found, expired) exits as a credentials failure.
    for (const auto& s : t.steps)
      denied = denied || !s.missing_permission.empty() ||
               (s.status == response::StepStatus::kFailed && aws::IsCredentialRejection(s.error.code));
  }
  if (denied) return kExitAccessDenied;
  if (failed) return kExitFailed;
  if (partial) return kExitPartial;
  return kExitOk;
}

int RecordCaseStatus(evidence::CaseStore& store, int status, std::string_view case_status) {
  if (status != kExitOk && status != kExitPartial) return status;
  if (auto s = store.SetStatus(case_status); !s) {
    ReportError(s.error());
    return kExitFailed;
  }
  return status;
}

int ReportLostRecords(evidence::CaseStore& store, int status) {
  const evidence::Journal& journal = store.journal();
  if (journal.healthy()) return status;
  std::string lost;
  for (const evidence::LostRecord& r : journal.lost_records())
    lost += (lost.empty() ? "" : ", ") + r.ToString();
  PrintError("the case journal failed (" + journal.sticky_error().error().ToString() +
             "); nothing was changed after that, and these records are lost: " + lost +
             "; fix the cause (disk full, permissions) and run the same command again");
  return kExitFailed;
}

namespace {

bool HaveTerminal() {
  if (isatty(STDIN_FILENO)) return true;
  PrintError(
      "refusing to change anything without confirmation: stdin is not a terminal (pass --yes to proceed, or "
      "--plan to only print the plan)");
  return false;
}

}  // namespace

bool Confirm(const std::string& question) {
  if (!HaveTerminal()) return false;
  SafePrintf(stderr, "%s [y/N] ", question.c_str());
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  answer = ToLower(Trim(answer));
  return answer == "y" || answer == "yes";
}

bool ConfirmByTyping(const std::string& what, const std::string& expected) {
  if (!HaveTerminal()) return false;
  SafePrintf(stderr, "%s\nThis cannot be undone. Type %s to proceed: ", what.c_str(), expected.c_str());
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return Trim(answer) == expected;
}

}  // namespace cordon::cli
