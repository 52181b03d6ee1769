// The renderers of what contain, preserve and release did: a line per finished step (the progress on
// stderr) and a summary per target on stdout, as text or as JSON. The commands decide where and when
// they print (cli/response_output.h); these only lay it out, so the text and the JSON say the same thing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/json.h"
#include "response/executor.h"

namespace cordon::report {

// "<instance>  <step>  <detail>" or "... FAILED: <error> (missing permission: ...)" on stderr.
void PrintStepLine(const cloud::ResolvedTarget& target, const response::StepReport& report);

// One block per target: what happened ("contained under case X", "already contained ...; nothing
// changed", "NOT fully contained: ..."), the step counts, and each permission a step was refused.
// `verb` is what the command does: "contained", "preserved", "released". `isolated` (contain): seconds
// from the start of the run until each target's network was isolated, for the targets it names.
void PrintResponseSummaryText(const std::vector<response::TargetReport>& reports, const std::string& case_id,
                              const std::string& verb,
                              const std::map<std::string, double>* isolated = nullptr);

// [{"instance_id", "region", "case", "result", "partial", "steps": [{"step", "status", "detail", ...}]}],
// and "network_isolated_after_s" for each target `isolated` names.
Json ResponseSummaryJson(const std::vector<response::TargetReport>& reports, const std::string& case_id,
                         const std::string& verb, const std::map<std::string, double>* isolated = nullptr);

}  // namespace cordon::report
