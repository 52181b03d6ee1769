#include "cli/response_output.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "aws/errors/error_table.h"
#include "base/colour.h"
#include "base/strings.h"
#include "base/terminal_print.h"
#include "base/terminal_text.h"
#include "cli/exit_codes.h"
#include "cli/output.h"
#include "cli/wait_notice.h"

namespace cordon::cli {

namespace {

void PrintProgressLine(const cloud::ResolvedTarget& target, const response::StepReport& r) {
  SafePrintf(stderr, "%s  %-18s ", target.instance_id.c_str(), r.step.c_str());
  if (r.status == response::StepStatus::kFailed) {
    // The word is cordon's, painted; the error after it is AWS's, neutralized.
    std::fputs(Paint(stderr, Colour::kFailure, "FAILED:").c_str(), stderr);
    SafePrintf(
        stderr, " %s%s\n", OneLine(r.error.ToString()).c_str(),
        r.missing_permission.empty() ? "" : (" (missing permission: " + r.missing_permission + ")").c_str());
    return;
  }
  // The detail quotes AWS (error messages, names): on the step's line.
  SafePrintf(stderr, "%s\n",
             OneLine(r.detail.empty() ? std::string(response::StepStatusName(r.status)) : r.detail).c_str());
}

}  // namespace

void PrintProgress(const cloud::ResolvedTarget& target, const response::StepReport& r) {
  WriteAboveWaitLine([&] { PrintProgressLine(target, r); });
}

Json SummaryJson(const std::vector<response::TargetReport>& reports, const std::string& case_id,
                 const std::string& verb, const std::map<std::string, double>* isolated) {
  Json out = Json::array();
  for (const auto& t : reports) {
    Json steps = Json::array();
    for (const auto& s : t.steps) {
      Json j = {{"step", s.step}, {"status", response::StepStatusName(s.status)}, {"detail", s.detail}};
      if (s.status == response::StepStatus::kFailed) j["error"] = s.error.ToString();
      if (!s.missing_permission.empty()) j["missing_permission"] = s.missing_permission;
      steps.push_back(j);
    }
    Json one{{"instance_id", t.target.instance_id},
             {"region", t.target.region},
             {"case", case_id},
             {"result", t.failed() ? "failed" : (t.changed() ? verb : "unchanged")},
             {"partial", t.partial()},
             {"steps", steps}};
    if (isolated != nullptr)
      if (auto it = isolated->find(t.target.instance_id); it != isolated->end())
        one["network_isolated_after_s"] = it->second;
    out.push_back(std::move(one));
  }
  return out;
}

void PrintSummary(const std::vector<response::TargetReport>& reports, const std::string& case_id,
                  const ResultFlags& result, const std::string& verb,
                  const std::map<std::string, double>* isolated) {
  if (result.structured()) {
    (void)PrintResult(SummaryJson(reports, case_id, verb, isolated),
                      result);  // a failed query is reported there
    return;
  }
  for (const auto& t : reports) {
    int done = 0, already = 0, failed = 0, skipped = 0;
    for (const auto& s : t.steps) {
      if (s.status == response::StepStatus::kDone)
        ++done;
      else if (s.status == response::StepStatus::kAlreadyDone)
        ++already;
      else if (s.status == response::StepStatus::kFailed)
        ++failed;
      else
        ++skipped;
    }
    std::string what;
    SafePrintf(stdout, "%s (%s): ", t.target.instance_id.c_str(), t.target.region.c_str());
    if (t.failed()) {
      std::fputs(Paint(stdout, Colour::kFailure, "NOT fully " + verb).c_str(), stdout);  // verb: cordon's
      what = ": " + std::to_string(failed) + " failed, " + std::to_string(skipped) +
             " not attempted; fix the cause and run the same command again";
    } else if (!t.changed()) {
      what = "already " + verb + " under case " + case_id + "; nothing changed";
    } else {
      what = verb + " under case " + case_id;
    }
    SafePrintf(stdout, "%s [%d done, %d already done, %d failed, %d not attempted]%s\n", what.c_str(), done,
               already, failed, skipped,
               t.partial() ? " (some evidence could not be captured; see the case notes)" : "");
    if (isolated != nullptr)
      if (auto it = isolated->find(t.target.instance_id); it != isolated->end())
        SafePrintf(stdout, "  network isolated %.1f s after the run started\n", it->second);
    for (const auto& s : t.steps)
      if (!s.missing_permission.empty())
        SafePrintf(stdout, "  %s needs %s (`cordon iam-policy` prints the whole policy)\n", s.step.c_str(),
                   s.missing_permission.c_str());
  }
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
