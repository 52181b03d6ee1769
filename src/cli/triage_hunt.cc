#include "cli/triage_hunt.h"

#include <algorithm>
#include <string>
#include <vector>

#include "hunt/output.h"
#include "hunt/results.h"
#include "hunt/role_chains.h"
#include "hunt/scanner.h"

namespace cordon::cli {
namespace {

void AddUnique(std::vector<std::string>* list, const std::string& value) {
  if (!value.empty() && std::find(list->begin(), list->end(), value) == list->end()) list->push_back(value);
}

}  // namespace

hunt::Selectors TriageSelectors(const cloud::InstanceInventory& inventory, TimePoint since) {
  hunt::Selectors s;
  AddUnique(&s.instances, inventory.instance.id);
  for (const cloud::NetworkInterface& eni : inventory.network_interfaces.items) {
    AddUnique(&s.enis, eni.id);
    for (const cloud::PrivateIp& ip : eni.private_ips) {
      AddUnique(&s.ips, ip.address);
      AddUnique(&s.ips, ip.public_ip);
    }
    AddUnique(&s.ips, eni.public_ip);
    for (const std::string& v6 : eni.ipv6_addresses) AddUnique(&s.ips, v6);
  }
  AddUnique(&s.ips, inventory.instance.private_ip);
  AddUnique(&s.ips, inventory.instance.public_ip);
  AddUnique(&s.roles, inventory.instance_profile.role_name);
  s.since = since;
  return s;
}

TriageHunt RunTriageHunt(aws::Client* client, const HuntSources& sources, const hunt::Selectors& selectors) {
  TriageHunt out;
  // ToString() keeps the AWS error code (AccessDenied, NoSuchBucket) that tells the responder what to fix.
  auto failed = [&](const Error& error) {
    out.json = Json{{"error", error.ToString()}};
    out.complete = false;
    out.incomplete_reason = error.ToString();
    return out;
  };
  Result<std::vector<hunt::SourceSpec>> specs = OpenHuntSources(sources, [&]() -> Result<aws::Client*> {
    if (client == nullptr) return MakeError(ErrorKind::kInternal, "no AWS client for s3:// sources");
    return client;
  });
  if (!specs) return failed(specs.error());
  Result<hunt::HuntResults> results = hunt::RunHunt(selectors, *specs, hunt::ScanOptions{});
  if (!results) return failed(results.error());
  if (Status chained = hunt::FollowRoleChains(selectors, *specs, hunt::ScanOptions{}, &*results); !chained)
    return failed(chained.error());
  out.json = hunt::ResultsToJson(*results, selectors);
  out.complete = hunt::ExitStatus(*results) == hunt::kExitComplete;
  if (!out.complete) {
    // The first skip in full, then how many more: hunt.skipped in the JSON lists every one.
    const std::vector<hunt::Skipped>& skipped = results->skipped;
    if (skipped.empty()) {
      out.incomplete_reason = "some input was skipped";
    } else {
      const hunt::Skipped& s = skipped.front();
      out.incomplete_reason =
          "skipped " + std::to_string(s.count) + " " + s.unit + "(s) of " + s.file + ": " + s.reason;
      if (skipped.size() > 1)
        out.incomplete_reason += " (and " + std::to_string(skipped.size() - 1) + " more)";
    }
  }
  return out;
}

}  // namespace cordon::cli
