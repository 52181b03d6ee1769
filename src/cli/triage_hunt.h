// The log hunt part of `cordon triage`: when log sources are configured (flags or the configuration
// file), triage runs the hunt (docs/hunt.md) for everything that identifies the triaged instance.
#pragma once

#include <string>

#include "base/json.h"
#include "base/time.h"
#include "cli/hunt_sources.h"
#include "cloud/instance_inventory.h"
#include "hunt/selectors.h"

namespace cordon::aws {
class Client;
}  // namespace cordon::aws

namespace cordon::cli {

// The instance's selectors: its id, every private, public and IPv6 address of every ENI (and the
// instance's own primary addresses, in case the ENIs could not be read), every ENI id, and the
// instance profile's role name; `since` opens the window, which stays open at the end.
hunt::Selectors TriageSelectors(const cloud::InstanceInventory& inventory, TimePoint since);

struct TriageHunt {
  // The hunt's --output json object (hunt::ResultsToJson), or {"error": "..."} when it could not run
  // (a missing folder, a bucket that cannot be listed, a malformed s3:// URL).
  Json json;
  // False when the hunt failed or skipped some input: triage then exits with kExitPartial.
  bool complete = true;
  // Why it is not complete, in one line (the error, or what was skipped); empty when complete.
  std::string incomplete_reason;
};

// Runs the local hunt over `sources` (which must not be empty). s3:// sources are read through
// `client`, which must be set for them. Never fails: a failure is reported inside the result.
TriageHunt RunTriageHunt(aws::Client* client, const HuntSources& sources, const hunt::Selectors& selectors);

}  // namespace cordon::cli
