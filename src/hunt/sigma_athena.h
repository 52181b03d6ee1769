// Sigma rules in Athena (`cordon hunt --sigma ... --emit athena` and `--engine athena`): the rules as one
// query over the standard CloudTrail table whose WHERE is a superset of what they match
// (sigma/athena_where.h), and the engine that runs it and re-checks every returned row with the exact
// local matcher, so that the matches are those of the local hunt over the same records.
//
// One query for all the rules, not one per rule: Athena bills by the bytes a query scans and every query
// scans the table (or the days of it the window selects) again, so 57 rules as 57 queries would cost 57
// scans. Which rules' filters a row passed is the query's sigma_rules column (their ids), for a reader of
// the emitted SQL; the engine does not need it, since its re-check runs every rule on every row.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "hunt/athena_engine.h"
#include "hunt/results.h"
#include "hunt/selectors.h"
#include "hunt/sigma/rule_loader.h"
#include "hunt/sigma/rule_set.h"

namespace cordon::hunt {

// The query (one statement, ending in ";") with a comment block naming the rules, those whose filter is
// TRUE (every row passes it), and the skipped ones with their reasons. With selectors, the rows are also
// those by or on the instance (AND, as --emit athena selects them); the window applies either way.
// Fails (kInvalidArgument) when there is no rule to translate.
Result<std::string> EmitSigmaAthena(const std::vector<sigma::Rule>& rules,
                                    const std::vector<sigma::SkippedRule>& skipped,
                                    const Selectors& selectors);

// One row of that query as the CloudTrail record it came from: the columns under CloudTrail's own names
// (eventname -> eventName, useridentity.sessioncontext -> userIdentity.sessionContext), the JSON-string
// columns parsed back into objects, readOnly a boolean again. Null cells are left out: the table cannot
// tell a missing field from a null one.
Json RecordFromAthenaRow(const AthenaTable& table, size_t row);

// Runs EmitSigmaAthena's query and re-checks the rows: they become one delivery object ({"Records": [...]},
// named "athena:<query execution id>") that the local CloudTrail scanner reads with `rules` and
// `selectors`, as it reads a file. The Sigma matches (and any records it skipped) are added to *results;
// the events the scanner finds by or on the instance are not (with selectors, RunAthenaHunt has those).
Status RunAthenaSigma(aws::Client* client, const sigma::RuleSet& rules,
                      const std::vector<sigma::SkippedRule>& skipped, const Selectors& selectors,
                      const AthenaOptions& options, HuntResults* results);

}  // namespace cordon::hunt
