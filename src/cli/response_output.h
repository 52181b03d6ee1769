// What contain, preserve and release print about a response, and when: progress lines on stderr as
// steps finish, one summary per target on stdout (text or JSON, laid out by report/response_summary.h),
// the exit status, and the confirmation.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cli/result_output.h"
#include "evidence/case_store.h"
#include "response/executor.h"

namespace cordon::cli {

// One line on stderr per finished step (report::PrintStepLine), above the wait notice.
void PrintProgress(const cloud::ResolvedTarget& target, const response::StepReport& report);
// One summary block per target on stdout (text), or, with --output json|table or --query, the JSON
// array of report::ResponseSummaryJson as PrintResult prints it. `verb` is what the command does:
// "contained", "preserved", "released". `isolated` (contain): seconds from the start of the run until
// each target's network was isolated.
void PrintSummary(const std::vector<response::TargetReport>& reports, const std::string& case_id,
                  const ResultFlags& result, const std::string& verb,
                  const std::map<std::string, double>* isolated = nullptr);
// The exit status for finished reports: 5 a permission is missing, 1 a step failed, 6 something
// could not be captured, else 0.
int ExitStatusFor(const std::vector<response::TargetReport>& reports);
// After a run that ended `status` (an exit code): on success or partial success sets the case status
// to `case_status` and returns `status`; when that write fails, says so and returns kExitFailed.
int RecordCaseStatus(evidence::CaseStore& store, int status, std::string_view case_status);
// When the case journal failed during the run: says so on stderr with its first error and every
// record that was lost (a rerun re-observes what they were about), and returns kExitFailed; else
// returns `status`.
int ReportLostRecords(evidence::CaseStore& store, int status);
// Asks "question [y/N]" on the terminal. Without a terminal: false, after saying to pass --yes.
bool Confirm(const std::string& question);
// For what cannot be undone (terminating the suspect): says `what`, then the responder types
// `expected` (the case id) on the terminal. Without a terminal: false, after saying to pass --yes.
bool ConfirmByTyping(const std::string& what, const std::string& expected);

}  // namespace cordon::cli
