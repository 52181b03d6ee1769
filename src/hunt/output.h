// Writes hunt results as text, JSON, JSON Lines or CSV (the formats are documented in docs/hunt.md).
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/json.h"
#include "hunt/results.h"
#include "hunt/selectors.h"

namespace cordon::hunt {

enum class OutputFormat { kText, kJson, kJsonl, kCsv };
Result<OutputFormat> ParseOutputFormat(std::string_view name);

// The exit status of `cordon hunt` for finished results: kExitComplete when every object and record was
// read, kExitIncomplete when something was skipped (the results hold everything else). Errors that stop
// the hunt use kExitError; bad flags kExitUsage. The values are cordon's process exit codes
// (cli/exit_codes.h: kExitOk, kExitFailed, kExitUsage, kExitPartial); hunt/ cannot include cli/.
inline constexpr int kExitComplete = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitIncomplete = 6;
int ExitStatus(const HuntResults& results);

// The --output json document: one object with selectors, cloudtrail {by, on, sessions, exfiltration},
// flows {matched_records, nodata_records, aggregates, top_talkers, rejected}, findings, skipped,
// warnings and summary. `results` must be Finalize()d.
Json ResultsToJson(const HuntResults& results, const Selectors& selectors);
// ResultsToJson(...).dump(2), byte for byte, written faster and in bounded memory: the flow aggregates are
// streamed to `out` one by one, never held as JSON objects or as one string.
void WriteResultsJson(const HuntResults& results, const Selectors& selectors, std::ostream& out);
// The same, as a string (for tests and small results).
std::string ResultsToJsonText(const HuntResults& results, const Selectors& selectors);

void WriteResults(const HuntResults& results, const Selectors& selectors, OutputFormat format,
                  std::ostream& out);

// One CloudTrail event as every JSON output writes it (the hunt's events, the Sigma matches).
Json EventToJson(const CloudTrailEvent& e);
// Who acted, for text and CSV: the identity's ARN, else its type, else "-".
std::string IdentityText(const CloudTrailEvent& e);
std::string IdentityText(std::string_view arn, std::string_view type);

}  // namespace cordon::hunt
