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

// `one`: a single required TARGET and no --targets-file (triage, preserve). `accounts`: also
// --accounts, --organization and --role-name (the commands that act: contain, preserve).
void AddTargetFlags(CLI::App& app, TargetFlags* flags, bool one, bool accounts);

// Reads --targets-file into flags->texts, and what its lines say of region and account into
// flags->hints (syntax: ParseTargetLine in target_accounts.h). kInvalidArgument when it cannot be
// read or a line is malformed (naming the file and line).
Status ReadTargetsFile(TargetFlags* flags);

// kInvalidArgument when --accounts, --organization or account= lacks --role-name, --role-name has no
// account to go with, --organization comes with --accounts, or an --accounts entry is not an account id.
Status CheckAccountFlags(const TargetFlags& flags);

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
// Each target is looked for in the region its targets-file line names, else in the client's region or
// (--all-regions) every enabled one; and in the profile's account and every --accounts entry or
// (--organization) every other active account of the organization (OrganizationAccounts; its
// errors stop the run before any search), or only the account its line names, all concurrently,
// combined by CombineAccountAnswers. An account that could not be searched while the target was
// found elsewhere is named in a warning, once per run. Targets found in
// another account than the profile's are added to *accounts (by instance id), with the client that
// acts in that account (AssumeRole of --role-name, session SessionNameFor(case_id)).
Result<std::vector<cloud::ResolvedTarget>> ResolveTargets(aws::Client& client, const TargetFlags& flags,
                                                          bool acts, const std::string& case_id,
                                                          std::map<std::string, TargetAccount>* accounts);

}  // namespace cordon::cli
