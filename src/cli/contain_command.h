// `cordon contain TARGET... --case ID`: builds the containment plan from live state, prints it,
// asks for confirmation, and runs it (DESIGN.md §3). See docs/response.md.
#pragma once

#include <string>
#include <vector>

#include "response/executor.h"

namespace cordon::cli {

// Exit status: 0 every target contained (or already was), 1 a step failed, 2 bad usage or no
// confirmation, 3 a target does not exist, 4 a target is ambiguous, 5 a permission is missing,
// 6 contained but something could not be captured (instance-store volumes).
int RunContain(int argc, char** argv);

// Shared by contain, release and preserve.
void PrintProgress(const cloud::ResolvedTarget& target, const response::StepReport& report);
// One summary block per target on stdout (text), or a JSON array with --output json.
void PrintSummary(const std::vector<response::TargetReport>& reports, const std::string& case_id, bool json,
                  const std::string& verb);
// The exit status for finished reports (see RunContain).
int ExitStatusFor(const std::vector<response::TargetReport>& reports);
// Asks "question [y/N]" on the terminal. Without a terminal: false, after saying to pass --yes.
bool Confirm(const std::string& question);

}  // namespace cordon::cli
