#include "posture/finding.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace cordon::posture {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "unknown";
}

void Normalize(Posture* p) {
  std::sort(p->regions.begin(), p->regions.end());
  std::sort(p->findings.begin(), p->findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(b.severity, a.region, a.check, a.evidence, a.title) <
           std::tie(a.severity, b.region, b.check, b.evidence, b.title);
  });
  std::sort(p->not_assessed.begin(), p->not_assessed.end(), [](const NotAssessed& a, const NotAssessed& b) {
    return std::tie(a.region, a.check, a.reason) < std::tie(b.region, b.check, b.reason);
  });
}

Json ToJson(const Posture& p) {
  Json findings = Json::array();
  Json by_severity = {{"critical", 0}, {"high", 0}, {"medium", 0}, {"low", 0}};
  for (const Finding& f : p.findings) {
    by_severity[SeverityName(f.severity)] = by_severity[SeverityName(f.severity)].get<int>() + 1;
    findings.push_back({{"check", f.check},
                        {"severity", SeverityName(f.severity)},
                        {"region", f.region},
                        {"title", f.title},
                        {"evidence", f.evidence},
                        {"fix", f.fix},
                        {"details", f.details}});
  }
  Json not_assessed = Json::array();
  for (const NotAssessed& n : p.not_assessed)
    not_assessed.push_back({{"check", n.check}, {"region", n.region}, {"reason", n.reason}});
  Json out = {{"account", p.account},
              {"regions", p.regions},
              {"summary",
               {{"findings", p.findings.size()},
                {"by_severity", by_severity},
                {"not_assessed", p.not_assessed.size()}}},
              {"findings", findings},
              {"not_assessed", not_assessed}};
  if (!p.suspect.empty()) {
    Json suspect = Json::array();
    for (const SuspectView& s : p.suspect)
      suspect.push_back({{"instance_id", s.instance_id},
                         {"region", s.region},
                         {"vpc_id", s.vpc_id},
                         {"vpc_flow_logs", s.vpc_flow_logs},
                         {"inspector", s.inspector}});
    out["suspect"] = suspect;
  }
  return out;
}

Posture ShareOf(const Posture& p, const std::vector<std::string>& ids) {
  Posture share;
  share.account = p.account;
  share.suspect = p.suspect;
  std::set<std::string> want(ids.begin(), ids.end());
  std::set<std::string> regions;
  for (const Finding& f : p.findings) {
    bool mine = std::any_of(f.evidence.begin(), f.evidence.end(),
                            [&](const std::string& e) { return want.count(e); });
    if (!mine) continue;
    share.findings.push_back(f);
    regions.insert(f.region);
  }
  for (const SuspectView& s : p.suspect) regions.insert(s.region);
  // With no finding and no suspect in the share, where the ids live is not known: every gap could hide
  // a finding on them, and unknown is never clean.
  const bool everywhere = regions.empty();
  for (const NotAssessed& n : p.not_assessed)
    if (everywhere || regions.count(n.region) || n.region == "global") share.not_assessed.push_back(n);
  if (everywhere) regions.insert(p.regions.begin(), p.regions.end());
  share.regions.assign(regions.begin(), regions.end());
  return share;
}

}  // namespace cordon::posture
