// Instance roles with administrator-like policies. IAM is global: each role is judged once, whatever
// the number of instances and regions that use it.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "posture/region_scan.h"

namespace cordon::posture {

class RoleChecker {
 public:
  // Judges the role of instance profile `profile_arn` (once per profile) and adds "role.admin"
  // findings (region "global", critical) naming the role, the policy and `instance_id`; the first
  // caller's scan reports failures as not assessed. Thread-safe.
  void Check(RegionScan& scan, const std::string& profile_arn, const std::string& instance_id);

  // Adds the findings, each naming every instance seen with the role. Call once every region is done.
  void Report(RegionScan& scan);

 private:
  struct AdminGrant {
    std::string role, policy, reason, fix;
  };
  struct Profile {
    std::vector<AdminGrant> grants;
    std::vector<std::string> instances;
  };
  std::vector<AdminGrant> Judge(RegionScan& scan, const std::string& profile_arn);

  std::mutex mu_;
  std::map<std::string, Profile> profiles_;  // by profile ARN
};

}  // namespace cordon::posture
