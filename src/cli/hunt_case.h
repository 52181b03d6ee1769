// `cordon hunt --case ID`: the hunt's results (its --output json document) stored in an existing case
// as evidence, so the case report's timeline shows them between cordon's own actions.
#pragma once

#include <CLI/CLI.hpp>

#include "aws/client.h"
#include "cli/command_context.h"
#include "hunt/results.h"
#include "hunt/selectors.h"

namespace cordon::cli {

// --case, --cases-dir, --responder, for a command whose case is optional.
void AddOptionalCaseFlags(CLI::App& app, CaseFlags* flags);

// With flags.id set: opens the existing case, journals run.identity (`client` may be null: the hunt
// read local files only) and stores the results as the evidence file evidence/hunt-<time>-<hash>.json
// (kind file, details {"hunt", the selectors, counts}); prints where on stderr. Returns the exit code
// to give when the case could not be written, or nullopt when it was (or no case was asked for).
std::optional<int> StoreHuntInCase(CaseFlags flags, aws::Client* client, const std::string& command_line,
                                   const hunt::HuntResults& results, const hunt::Selectors& selectors);

}  // namespace cordon::cli
