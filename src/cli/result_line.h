// One result of a stream of them, for a command that prints results as it goes (`watch`, one per
// event it handled), with the --output and --query of result_output.h. Implemented beside
// PrintResult in result_output.cc: the same query and renderings, json on one line.
#pragma once

#include "cli/result_output.h"

namespace cordon::cli {

// As PrintResult, but json (and jsonl) as one compact line (JSON Lines). Flushes stdout, so that a
// pipe sees each result at once.
int PrintResultLine(const Json& result, const ResultFlags& flags);

}  // namespace cordon::cli
