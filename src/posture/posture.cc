#include "posture/posture.h"

#include <mutex>
#include <optional>

#include "base/thread_pool.h"
#include "cloud/region_fanout.h"
#include "cloud/target.h"
#include "posture/detective_checks.h"
#include "posture/instance_checks.h"
#include "posture/network_checks.h"
#include "posture/suspect_checks.h"

namespace cordon::posture {
namespace {

Result<Suspect> FindSuspect(aws::Client& client, const std::string& id,
                            const std::vector<std::string>& regions) {
  if (id.rfind("i-", 0) != 0)
    return MakeError(ErrorKind::kInvalidArgument, "--instance takes an instance id (i-...)");
  auto target = cloud::ResolveTarget(client, cloud::TargetQuery{id, regions, ""});
  if (!target) return MakeError(target.error());
  return Suspect{target->instance_id, target->region, target->vpc_id};
}

void AssessRegion(RegionScan& scan, RoleChecker& roles, const std::optional<Suspect>& suspect,
                  bool exposure_only) {
  CheckSecurityGroups(scan);
  if (exposure_only && suspect) {
    if (suspect->region == scan.region()) CheckInstances(scan, roles, suspect->instance_id);
    return;
  }
  CheckInstances(scan, roles);
  DetectiveState state;
  CheckCloudTrail(scan);
  CheckFlowLogs(scan, &state);
  CheckConfig(scan);
  CheckGuardDuty(scan);
  CheckSecurityHub(scan);
  CheckMacie(scan);
  CheckInspector(scan, &state);
  if (suspect && suspect->region == scan.region()) CheckSuspect(scan, *suspect, state);
}

}  // namespace

Result<Posture> AssessPosture(aws::Client& client, const PostureOptions& options) {
  Posture posture;
  posture.regions = options.regions;
  if (posture.regions.empty()) posture.regions.push_back(client.region());
  std::mutex mu;
  std::optional<Suspect> suspect;
  if (!options.instance_id.empty()) {
    auto found = FindSuspect(client, options.instance_id, posture.regions);
    if (!found) return MakeError(found.error());
    suspect = *found;
  }
  // The account names the Inspector status asked for; without it the check asks for the caller's.
  auto identity = client.Call("sts", "GetCallerIdentity", Json::object());
  if (identity) posture.account = Str(*identity, "Account");
  RoleChecker roles;
  ParallelFor(posture.regions.size(), cloud::kRegionConcurrency, [&](size_t i) {
    RegionScan scan(client, posture.regions[i], posture.account, &posture, &mu);
    AssessRegion(scan, roles, suspect, options.exposure_only);
  });
  RegionScan global(client, posture.regions.front(), posture.account, &posture, &mu);
  roles.Report(global);
  Normalize(&posture);
  return posture;
}

Result<Json> PostureJson(aws::Client& client, const PostureOptions& options,
                         const std::vector<std::string>& share_of) {
  auto posture = AssessPosture(client, options);
  if (!posture) return MakeError(posture.error());
  return ToJson(share_of.empty() ? *posture : ShareOf(*posture, share_of));
}

}  // namespace cordon::posture
