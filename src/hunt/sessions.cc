#include "hunt/sessions.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace cordon::hunt {
namespace {

bool IsSelectedInstanceSession(const CloudTrailEvent& e, const Selectors& selectors) {
  if (e.session_name.rfind("i-", 0) != 0) return false;
  const auto& instances = selectors.instances;
  if (std::find(instances.begin(), instances.end(), e.session_name) != instances.end()) return true;
  const auto& roles = selectors.roles;
  return instances.empty() && std::find(roles.begin(), roles.end(), e.role_name) != roles.end();
}

// The root instance of a chain: follows assumed_from links back to the session named after an instance.
std::string RootInstance(const CloudTrailEvent& e, const std::map<std::string, std::string>& parents) {
  std::string arn = e.assumed_from;
  for (size_t hops = 0; hops < parents.size() + 1; ++hops) {
    std::string session = arn.substr(arn.rfind('/') + 1);
    if (session.rfind("i-", 0) == 0) return session;
    auto parent = parents.find(arn);
    if (parent == parents.end()) break;
    arn = parent->second;
  }
  return "";
}

bool OwnUse(const CloudTrailEvent& e, const Selectors& selectors) {
  if (!selectors.IsOwnIp(e.source_ip)) return false;
  if (e.vpc_endpoint_account.empty()) return true;
  const std::string_view account =
      e.identity_account.empty() ? ArnAccount(e.identity_arn) : e.identity_account;
  return e.vpc_endpoint_account == account;
}

}  // namespace

bool IsIpLiteral(std::string_view text) {
  if (text.empty() || text.size() > 45) return false;
  if (text.find_first_not_of("0123456789abcdefABCDEF.:") != std::string_view::npos) return false;
  const bool v4 = text.find(':') == std::string_view::npos;
  if (v4) return std::count(text.begin(), text.end(), '.') == 3;
  return std::count(text.begin(), text.end(), ':') >= 2;
}

std::string_view ArnAccount(std::string_view arn) {
  size_t begin = 0;
  for (int field = 0; field < 4; ++field) {
    begin = arn.find(':', begin);
    if (begin == std::string_view::npos) return "";
    ++begin;
  }
  const size_t end = arn.find(':', begin);
  return end == std::string_view::npos ? "" : arn.substr(begin, end - begin);
}

std::vector<SessionUse> InstanceSessions(const HuntResults& results, const Selectors& selectors) {
  std::set<std::string> ec2_issued;
  std::map<std::string, std::string> parents;  // chained session arn -> the session that assumed it
  for (const CloudTrailEvent& e : results.events) {
    if (!e.ec2_role_delivery.empty()) ec2_issued.insert(e.identity_arn);
    if (!e.assumed_from.empty()) parents.emplace(e.identity_arn, e.assumed_from);
  }
  std::map<std::tuple<std::string, std::string, std::string>, SessionUse> uses;
  for (const CloudTrailEvent& e : results.events) {
    if (!e.by || e.identity_type != "AssumedRole" || !IsIpLiteral(e.source_ip)) continue;
    const bool chained = !e.assumed_from.empty();
    if (!chained && !IsSelectedInstanceSession(e, selectors)) continue;
    SessionUse& use = uses[{e.identity_arn, e.source_ip, e.vpc_endpoint_account}];
    if (use.events == 0) {
      use.session_arn = e.identity_arn;
      use.instance = chained ? RootInstance(e, parents) : e.session_name;
      use.source_ip = e.source_ip;
      use.first = e.event_time;
      use.own_ip = OwnUse(e, selectors);
      use.issued_by_ec2 = ec2_issued.count(e.identity_arn) > 0;
      use.vpc_endpoint_account = e.vpc_endpoint_account;
      use.assumed_from = e.assumed_from;
    }
    // Events are sorted by time (HuntResults::Finalize), so the last one seen is the last sight.
    use.last = e.event_time;
    ++use.events;
  }
  std::vector<SessionUse> out;
  for (auto& [key, use] : uses) out.push_back(std::move(use));
  std::sort(out.begin(), out.end(), [](const SessionUse& a, const SessionUse& b) {
    return std::tie(a.first, a.session_arn, a.source_ip, a.vpc_endpoint_account) <
           std::tie(b.first, b.session_arn, b.source_ip, b.vpc_endpoint_account);
  });
  return out;
}

std::vector<SessionUse> Exfiltration(const std::vector<SessionUse>& sessions, const Selectors& selectors) {
  std::vector<SessionUse> out;
  if (selectors.ips.empty()) return out;
  for (const SessionUse& use : sessions) {
    const bool proven = use.issued_by_ec2 || !use.assumed_from.empty();
    if (proven && !use.own_ip) out.push_back(use);
  }
  return out;
}

std::vector<SessionUse> UnprovenSessions(const std::vector<SessionUse>& sessions) {
  std::vector<SessionUse> out;
  for (const SessionUse& use : sessions) {
    if (!use.issued_by_ec2 && use.assumed_from.empty()) out.push_back(use);
  }
  return out;
}

}  // namespace cordon::hunt
