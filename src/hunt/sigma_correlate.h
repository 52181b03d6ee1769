// Runs the --sigma correlations over a hunt's Sigma matches, once the scan has merged and sorted them.
#pragma once

#include <vector>

#include "hunt/results.h"
#include "hunt/sigma/correlation.h"

namespace cordon::hunt {

// Fills results->sigma_correlations from results->sigma_matches (after Finalize: sorted, one per event and
// rule), with `correlations` resolved against the rules the scan ran. Then drops the matches of rules
// only correlations use (SigmaRuleInfo::standalone): they are reported through their correlations.
void CorrelateSigmaMatches(const std::vector<sigma::Correlation>& correlations, HuntResults* results);

}  // namespace cordon::hunt
