#include "response/steps/asg_replacement.h"

#include <algorithm>

namespace cordon::response {

std::vector<std::string> ReplacementCandidates(const std::vector<GroupMember>& members,
                                               const std::vector<std::string>& members_before,
                                               const std::string& released,
                                               const std::set<std::string>& taken) {
  std::vector<std::string> out;
  for (const GroupMember& m : members) {
    const bool known =
        std::find(members_before.begin(), members_before.end(), m.instance_id) != members_before.end();
    const bool serving = m.lifecycle_state == "InService" || m.lifecycle_state.rfind("Pending", 0) == 0;
    if (!known && m.instance_id != released && taken.count(m.instance_id) == 0 && serving)
      out.push_back(m.instance_id);
  }
  return out;
}

std::string EarliestLaunched(const std::map<std::string, std::string>& launch_time_by_id) {
  std::string best;
  const std::string* best_time = nullptr;
  for (const auto& [id, time] : launch_time_by_id)  // by id: the first of equal times wins
    if (best_time == nullptr || time < *best_time) {
      best = id;
      best_time = &time;
    }
  return best;
}

}  // namespace cordon::response
