// The --sigma part of the hunt's output in each format: per match the rule (title, id, level, author, as
// the rules' DRL 1.1 asks) and the event; the coverage (rules loaded, rules skipped and why).
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "base/json.h"
#include "hunt/results.h"

namespace cordon::hunt {

// {"matches": [{"rule": {id, title, level, author, falsepositives, file}, "event": the event as the
// hunt's own events are written (EventToJson in output.h)}],
//  "correlations": [{"rule": {as for a match}, "type", "group": {field: value}, "window": {first, last},
//                    "events": [eventID...]}],
//  "coverage": {"rules_loaded", "correlations_loaded", "skipped": [{file, title, reason}]}}.
// With `with_matches` false, "matches" is left empty (hunt --output json writes them directly).
Json SigmaToJson(const HuntResults& results, bool with_matches = true);
Json SigmaMatchToJson(const SigmaMatch& match);
Json SigmaCorrelationToJson(const SigmaCorrelation& correlation);
// The text section: one block per match, then the correlations (when any were loaded), then the coverage.
void WriteSigmaText(const HuntResults& results, std::ostream& out);
void WriteSigmaCorrelationsText(const HuntResults& results, std::ostream& out);
// CSV rows (column name to value) of kind "sigma" (one per match), "sigma-correlation" (one per
// correlation hit: time is the window's first event) and "sigma-skipped" (one per rule).
std::vector<std::map<std::string, std::string>> SigmaCsvRows(const HuntResults& results);

}  // namespace cordon::hunt
