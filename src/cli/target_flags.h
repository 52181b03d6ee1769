// The target flags of the commands that act on instances (TARGET..., --targets-file, --vpc,
// --all-regions) and the one rule for turning them into instances.
#pragma once

#include <CLI/CLI.hpp>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "cli/command_context.h"
#include "cloud/target.h"

namespace cordon::cli {

// `one`: a single required TARGET and no --targets-file (triage, preserve).
void AddTargetFlags(CLI::App& app, TargetFlags* flags, bool one);

// Reads --targets-file (one target a line, # comments) into flags->texts. kInvalidArgument when it
// cannot be read.
Status ReadTargetsFile(TargetFlags* flags);

// kInvalidArgument when there is no target to act on.
Status RequireTargets(const TargetFlags& flags);

// Resolves every target before anything changes (a typo must not leave half a fleet contained),
// one rule for all commands, stopping at the first that fails:
//   kNotFound    nothing matches (exit 3);
//   kAmbiguous   several instances match (exit 4), naming each candidate;
// and for a command that `acts` on the instances (contain, preserve):
//   kAmbiguous   the match is not proven unique because a region could not be searched (exit 4),
//                naming how to narrow it (triage shows such a match as incomplete instead);
//   kConflict    the instance is terminated or shutting down: nothing left to act on (exit 1).
// Instances named twice (by id and by IP, say) are kept once, in the order first given.
Result<std::vector<cloud::ResolvedTarget>> ResolveTargets(aws::Client& client, const TargetFlags& flags,
                                                          bool acts);

}  // namespace cordon::cli
