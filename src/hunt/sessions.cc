#include "hunt/sessions.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace cordon::hunt {

bool IsIpLiteral(std::string_view text) {
  if (text.empty() || text.size() > 45) return false;
  if (text.find_first_not_of("0123456789abcdefABCDEF.:") != std::string_view::npos) return false;
  const bool v4 = text.find(':') == std::string_view::npos;
  if (v4) return std::count(text.begin(), text.end(), '.') == 3;
  return std::count(text.begin(), text.end(), ':') >= 2;
}

std::vector<SessionUse> InstanceSessions(const HuntResults& results, const Selectors& selectors) {
  std::map<std::pair<std::string, std::string>, SessionUse> uses;
  for (const CloudTrailEvent& e : results.events) {
    if (!e.by || e.identity_type != "AssumedRole" || e.session_name.rfind("i-", 0) != 0) continue;
    const bool selected =
        std::find(selectors.instances.begin(), selectors.instances.end(), e.session_name) !=
            selectors.instances.end() ||
        (selectors.instances.empty() &&
         std::find(selectors.roles.begin(), selectors.roles.end(), e.role_name) != selectors.roles.end());
    if (!selected || !IsIpLiteral(e.source_ip)) continue;
    SessionUse& use = uses[{e.identity_arn, e.source_ip}];
    if (use.events == 0) {
      use.session_arn = e.identity_arn;
      use.instance = e.session_name;
      use.source_ip = e.source_ip;
      use.first = e.event_time;
      use.own_ip = selectors.IsOwnIp(e.source_ip);
    }
    // Events are sorted by time (HuntResults::Finalize), so the last one seen is the last sight.
    use.last = e.event_time;
    ++use.events;
  }
  std::vector<SessionUse> out;
  for (auto& [key, use] : uses) out.push_back(std::move(use));
  std::sort(out.begin(), out.end(), [](const SessionUse& a, const SessionUse& b) {
    return std::tie(a.first, a.session_arn, a.source_ip) < std::tie(b.first, b.session_arn, b.source_ip);
  });
  return out;
}

std::vector<SessionUse> Exfiltration(const std::vector<SessionUse>& sessions, const Selectors& selectors) {
  std::vector<SessionUse> out;
  if (selectors.ips.empty()) return out;
  for (const SessionUse& use : sessions) {
    if (!use.own_ip) out.push_back(use);
  }
  return out;
}

}  // namespace cordon::hunt
