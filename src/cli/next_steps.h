// The next thing a responder does, printed on stderr after a command's output (issue 17): commands as
// they would be typed, so they can be copied, and never a flag that does not exist (the tests run them).
#pragma once

#include <string>
#include <vector>

#include "cloud/instance_inventory.h"
#include "hunt/results.h"
#include "hunt/selectors.h"

namespace cordon::cli {

// "cordon: next: LINE" for each line; nothing for none.
void PrintNextSteps(const std::vector<std::string>& lines);

// After triage: the instance already held by a case (cordon:case tag): that case; otherwise the
// contain command for it, --plan first. `today` is YYYYMMDD, for a suggested case id.
std::vector<std::string> NextAfterTriage(const cloud::InstanceInventory& inventory, const std::string& today);

// After contain (or a rerun): the report and the release for a false positive; after a failure, the
// same command again.
std::vector<std::string> NextAfterContain(const std::string& case_id, bool failed);

// After a hunt without --ip that saw an instance session from more than one address: which of them
// are the instance's own cannot be told, so exfiltration was not judged; the flag that does.
std::vector<std::string> NextAfterHunt(const hunt::HuntResults& results, const hunt::Selectors& selectors);

}  // namespace cordon::cli
