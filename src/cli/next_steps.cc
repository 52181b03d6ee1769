#include "cli/next_steps.h"

#include <set>

#include "cli/output.h"
#include "hunt/sessions.h"

namespace cordon::cli {

void PrintNextSteps(const std::vector<std::string>& lines) {
  for (const std::string& line : lines) PrintInfo("next: " + line);
}

std::vector<std::string> NextAfterTriage(const cloud::InstanceInventory& inventory,
                                         const std::string& today) {
  const std::string& id = inventory.instance.id;
  const std::string region = " --region " + inventory.target.region;
  for (const auto& [key, value] : inventory.instance.tags) {
    if (key == "cordon:case" && !value.empty()) {
      return {"it is held by case " + value + ": cordon case show " + value,
              "to undo a false positive: cordon release --case " + value + region};
    }
  }
  if (inventory.target.state == "terminated") return {};
  const std::string contain = "cordon contain " + id + " --case IR-" + today + "-" + id.substr(2) + region;
  return {"see what containment would change: " + contain + " --plan", "contain it: " + contain + " --yes"};
}

std::vector<std::string> NextAfterContain(const std::string& case_id, bool failed) {
  if (failed) return {"fix the cause above and run the same command again: it continues where it stopped"};
  return {"the report for the ticket: cordon case report " + case_id,
          "a false positive: cordon release --case " + case_id + " (asks before it restores anything)"};
}

std::vector<std::string> NextAfterHunt(const hunt::HuntResults& results, const hunt::Selectors& selectors) {
  if (!selectors.ips.empty()) return {};
  std::set<std::string> addresses;
  for (const hunt::SessionUse& use : hunt::InstanceSessions(results, selectors)) {
    if (use.issued_by_ec2) addresses.insert(use.source_ip);
  }
  if (addresses.size() < 2) return {};
  std::string list;
  for (const std::string& a : addresses) list += (list.empty() ? "" : ", ") + a;
  return {"the instance's role session was used from " + std::to_string(addresses.size()) + " addresses (" +
          list +
          "): if some are not the instance's, its credentials were taken; rerun with --ip and the "
          "instance's own addresses (cordon triage lists them) to have cordon judge it"};
}

}  // namespace cordon::cli
