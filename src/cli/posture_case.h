// `cordon posture --case ID`: the posture (its --output json document) stored in an existing case as
// evidence, with the suspect's share of it, for the case report's posture and "How it happened"
// sections (docs/case-report.md).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "cli/command_context.h"
#include "evidence/case_store.h"
#include "posture/finding.h"

namespace cordon::cli {

struct PostureCase {
  CaseFlags flags;
  std::unique_ptr<evidence::CaseStore> store;
  // What the suspect's share names: the case's targets, and what their recorded pre-states name (each
  // network interface and its groups, the volumes, the VPC), so that a group the suspect used before
  // containment moved it to cordon's isolation group still counts as the suspect's.
  std::vector<std::string> share_ids;
  std::string instance;  // the case's first instance target, the posture's suspect unless --instance
};

// Opens the existing case before the posture runs (a wrong id costs no AWS call) and reads its ids.
Result<PostureCase> OpenPostureCase(CaseFlags flags);

// Journals run.identity and stores {posture's ToJson..., "case_share": ToJson(ShareOf) + {"ids"}} as
// the evidence file evidence/posture-<time>-<hash>.json (kind file, details {"posture", "regions",
// "instance", "findings", "share_findings", "not_assessed"}); prints where on stderr. Returns the exit
// code to give when the case could not be written, or nullopt when it was.
std::optional<int> StorePostureInCase(PostureCase& c, aws::Client* client, const std::string& command_line,
                                      const posture::Posture& posture);

// The ids a recorded pre-state (pre_state_collector's shape) names: the instance, its VPC, volumes, network
// interfaces and their security groups. Pure.
std::vector<std::string> PreStateIds(const Json& state);

}  // namespace cordon::cli
