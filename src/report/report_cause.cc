// "How it happened": the exposure cordon observed (posture, pre-state) and what the hunts found (the
// use of the instance's credentials from elsewhere, the first flow with those addresses, the Sigma
// matches), each line naming the file or record it comes from. Nothing is inferred beyond that.
#include <algorithm>
#include <set>

#include "base/strings.h"
#include "report/report_parts.h"

namespace cordon::report::detail {
namespace {

std::string Number(const Json& j, std::string_view key) {
  if (!j.is_object()) return "-";
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->dump() : "-";
}

// The posture checks that say how the instance could be reached or what its credentials could do.
const char* ExposureKind(const std::string& check) {
  if (check == "sg.world_open") return "open group";
  if (check == "instance.imdsv1") return "IMDSv1";
  if (check == "inspector.finding") return "vulnerability";
  if (check == "role.admin") return "role";
  return nullptr;
}

int KindRank(const std::string& kind) {
  static const char* kOrder[] = {"open group", "public address", "IMDSv1", "vulnerability", "role"};
  for (int i = 0; i < 5; ++i)
    if (kind == kOrder[i]) return i;
  return 5;
}

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The earliest event of `session` from `ip` among the hunt's events by the instance's credentials.
const Json* FirstEventOf(const Json& hunt, const std::string& session, const std::string& ip) {
  const Json* first = nullptr;
  for (const Json& e : Arr(Obj(hunt, "cloudtrail"), "by")) {
    if (Str(Obj(e, "identity"), "arn") != session || Str(e, "sourceIPAddress") != ip) continue;
    if (!first || NormalTime(Str(e, "eventTime")) < NormalTime(Str(*first, "eventTime"))) first = &e;
  }
  return first;
}

std::string EventSource(const Json& e) {
  return "CloudTrail event " + Str(e, "eventID") + " (" + Str(e, "eventName") + ") in " + Str(e, "file");
}

std::string RuleText(const Json& rule) {
  return "\"" + Str(rule, "title") + "\" (" + Str(rule, "level") + "; " + Str(rule, "id") + "; by " +
         Str(rule, "author") + ")";
}

}  // namespace

void CauseCollector::AddPosture(const evidence::EvidenceItem& item, const Json& doc) {
  posture_seen_ = true;
  posture_files_.push_back(item.location);
  const Json& share = Obj(doc, "case_share");
  std::vector<std::string> ids;
  for (const Json& id : Arr(share, "ids"))
    if (id.is_string()) ids.push_back(id.get<std::string>());
  for (const Json& f : Arr(share, "findings")) {
    const char* kind = ExposureKind(Str(f, "check"));
    if (!kind) continue;
    std::vector<std::string> evidence;
    for (const Json& e : Arr(f, "evidence"))
      if (e.is_string()) evidence.push_back(e.get<std::string>());
    const std::string source = "cordon posture, " + item.location + ": finding " + Str(f, "check") + " (" +
                               Join(evidence, " ") + ")";
    // Several postures of the case report the same finding: the earliest observation is kept.
    const std::string key = Str(f, "check") + " " + Join(evidence, " ");
    if (!Contains(exposure_keys_, key)) {
      exposure_keys_.push_back(key);
      exposure_.push_back({item.time, kind, "[" + Str(f, "severity") + "] " + Str(f, "title"), source});
    }
    if (Str(f, "check") != "sg.world_open") continue;
    for (const Json& n : Arr(Obj(f, "details"), "network_interfaces")) {
      const std::string ip = Str(n, "public_ip");
      if (ip.empty() || Contains(public_ips_, ip)) continue;
      if (!Contains(ids, Str(n, "instance_id")) && !Contains(ids, Str(n, "network_interface_id"))) continue;
      public_ips_.push_back(ip);
      exposure_.push_back({item.time, "public address",
                           ip + " on " + Str(n, "network_interface_id") + " of " + Str(n, "instance_id") +
                               ", behind " + (evidence.empty() ? "" : evidence.front()) + "'s open rule",
                           source + ", details.network_interfaces"});
    }
  }
}

void CauseCollector::AddPreState(const evidence::PreStateRecord& r) {
  const std::string source = "pre-state of " + r.target + " recorded " + r.time + " (journal seq " +
                             std::to_string(r.seq) + ", SHA-256 " + r.sha256 + ")";
  auto add = [&](const std::string& ip, const std::string& where, const std::string& member) {
    if (ip.empty() || Contains(public_ips_, ip)) return;
    public_ips_.push_back(ip);
    exposure_.push_back(
        {r.time, "public address", ip + " on " + where + " (before containment)", source + ", " + member});
  };
  const Json& instance = Obj(r.state, "instance");
  for (const Json& n : Arr(r.state, "network_interfaces"))
    add(Str(Obj(n, "Association"), "PublicIp"), Str(n, "NetworkInterfaceId") + " of " + r.target,
        "network_interfaces[].Association.PublicIp");
  for (const Json& a : Arr(r.state, "addresses"))
    add(Str(a, "PublicIp"),
        Str(a, "NetworkInterfaceId") + " of " + r.target + " (Elastic IP " + Str(a, "AllocationId") + ")",
        "addresses[].PublicIp");
  add(Str(instance, "PublicIpAddress"), r.target, "instance.PublicIpAddress");
}

void CauseCollector::AddHunt(const evidence::EvidenceItem& item, const Json& doc) {
  hunt_seen_ = true;
  const Json& cloudtrail = Obj(doc, "cloudtrail");
  for (const Json& x : Arr(cloudtrail, "exfiltration")) {
    CredentialUse use{Str(x, "session"),
                      Str(x, "instance"),
                      Str(x, "sourceIPAddress"),
                      NormalTime(Str(x, "first")),
                      NormalTime(Str(x, "last")),
                      item.location + ": cloudtrail.exfiltration",
                      Int(x, "events")};
    if (const Json* e = FirstEventOf(doc, use.session, use.ip)) use.source += "; " + EventSource(*e);
    uses_.push_back(std::move(use));
  }
  const Json& flows = Obj(doc, "flows");
  flow_records_ += Int(flows, "matched_records");
  for (const Json& a : Arr(flows, "aggregates")) {
    const std::string first = NormalTime(Str(a, "first"));
    if (first.empty()) continue;
    auto [it, added] = first_flow_.try_emplace(Str(a, "peer"));
    if (!added && it->second.first <= first) continue;
    it->second = Flow{
        first,
        NormalTime(Str(a, "last")),
        Str(a, "direction"),
        Str(a, "action"),
        item.location + ": flows.aggregates (peer " + Str(a, "peer") + ", port " + Number(a, "port") + ")",
        a.value("port", Json()),
        a.value("protocol", Json()),
        Int(a, "packets"),
        Int(a, "bytes")};
  }
  const Json& sigma = Obj(doc, "sigma");
  if (sigma.empty()) return;
  sigma_seen_ = true;
  sigma_files_.push_back(item.location);
  for (const Json& m : Arr(sigma, "matches")) {
    if (sigma_.size() >= kCauseSigmaCap) {
      ++sigma_left_out_;
      continue;
    }
    const Json& e = Obj(m, "event");
    const std::string who = Str(Obj(e, "identity"), "arn");
    sigma_.push_back({NormalTime(Str(e, "eventTime")), "sigma",
                      "Sigma rule " + RuleText(Obj(m, "rule")) + " matched " + Str(e, "eventSource") + " " +
                          Str(e, "eventName") + (who.empty() ? "" : " by " + who) + " from " +
                          Str(e, "sourceIPAddress"),
                      item.location + ": sigma.matches; " + EventSource(e)});
  }
  for (const Json& c : Arr(sigma, "correlations")) {
    std::vector<std::string> group, events;
    for (const auto& [k, v] : Obj(c, "group").items())
      group.push_back(k + "=" + (v.is_string() ? v.get<std::string>() : v.dump()));
    for (const Json& id : Arr(c, "events"))
      if (id.is_string()) events.push_back(id.get<std::string>());
    const Json& window = Obj(c, "window");
    sigma_.push_back({NormalTime(Str(window, "first")), "sigma correlation",
                      "Sigma correlation " + RuleText(Obj(c, "rule")) + ", " + Str(c, "type") +
                          (group.empty() ? "" : " for " + Join(group, ", ")) + ": " +
                          std::to_string(events.size()) + " event(s) until " +
                          NormalTime(Str(window, "last")),
                      item.location + ": sigma.correlations; CloudTrail events " + Join(events, ", ")});
  }
}

HowItHappened CauseCollector::Finish(const std::vector<std::string>& targets,
                                     const std::string& case_id) const {
  HowItHappened out;
  std::string instance = "INSTANCE";
  for (const std::string& t : targets)
    if (t.rfind("i-", 0) == 0) {
      instance = t;
      break;
    }
  out.exposure = exposure_;
  for (CauseLine& l : out.exposure) l.time = NormalTime(l.time);
  std::stable_sort(out.exposure.begin(), out.exposure.end(), [](const CauseLine& a, const CauseLine& b) {
    return KindRank(a.kind) < KindRank(b.kind);
  });
  const bool posture_exposure = std::any_of(exposure_.begin(), exposure_.end(), [](const CauseLine& l) {
    return l.source.starts_with("cordon posture");
  });
  if (!posture_seen_)
    out.gaps.push_back(
        "The exposure (groups open to the internet, IMDSv1, vulnerabilities, the role's power): no posture "
        "is "
        "stored in the case; run `cordon posture --case " +
        case_id + "`.");
  else if (!posture_exposure)
    out.gaps.push_back("cordon posture (" + Join(posture_files_, ", ") +
                       ") found no open group, IMDSv1, Inspector finding or administrator-like role on the "
                       "suspect.");

  // Each address that used the instance's credentials: its first use, and its first flow.
  std::vector<std::string> attackers;
  std::vector<const CredentialUse*> first_use;
  for (const CredentialUse& u : uses_) {
    auto at = std::find(attackers.begin(), attackers.end(), u.ip);
    if (at == attackers.end()) {
      attackers.push_back(u.ip);
      first_use.push_back(&u);
    } else if (u.first < first_use[at - attackers.begin()]->first) {
      first_use[at - attackers.begin()] = &u;
    }
  }
  for (const CredentialUse* u : first_use)
    out.events.push_back({u->first, "credential use",
                          "the credentials of " + u->instance + " (" + u->session + ") used from " + u->ip +
                              ": " + std::to_string(u->events) + " event(s) until " + u->last,
                          u->source});
  std::vector<std::string> no_flow;
  for (const std::string& ip : attackers) {
    auto it = first_flow_.find(ip);
    if (it == first_flow_.end()) {
      no_flow.push_back(ip);
      continue;
    }
    const Flow& f = it->second;
    out.events.push_back(
        {f.first, "first contact",
         "first flow with " + ip + " (an address that used the instance's credentials): " + f.direction +
             ", port " + (f.port.is_number() ? f.port.dump() : "-") + ", protocol " +
             (f.protocol.is_number() ? f.protocol.dump() : "-") + ", " + f.action + ", " +
             std::to_string(f.packets) + " packet(s), " + std::to_string(f.bytes) + " bytes, until " + f.last,
         f.source});
  }
  out.events.insert(out.events.end(), sigma_.begin(), sigma_.end());
  std::stable_sort(out.events.begin(), out.events.end(),
                   [](const CauseLine& a, const CauseLine& b) { return a.time < b.time; });

  const std::string hunt = "`cordon hunt --instance " + instance + " --cloudtrail LOGS --flow-logs FLOWS";
  if (!hunt_seen_) {
    out.gaps.push_back(
        "The attacker's addresses, the first use of the instance's credentials from elsewhere and the first "
        "contact in the flow logs: no hunt is stored in the case; run " +
        hunt + " --case " + case_id + "`.");
    out.gaps.emplace_back("Sigma matches: run that hunt with `--sigma RULES`.");
    return out;
  }
  if (uses_.empty())
    out.gaps.emplace_back(
        "No stored hunt found the instance's credentials used from another address, so no attacker address "
        "is known to look for in the flow logs (the hunt reads CloudTrail with `--cloudtrail`).");
  if (!no_flow.empty())
    out.gaps.push_back(flow_records_ == 0
                           ? "The first contact from " + Join(no_flow, ", ") +
                                 ": the stored hunts matched no flow log record; run " + hunt + " --case " +
                                 case_id + "`."
                           : "No flow log record of the stored hunts is with " + Join(no_flow, ", ") + ".");
  if (!sigma_seen_)
    out.gaps.push_back("Sigma matches: no stored hunt ran Sigma rules; run " + hunt +
                       " --sigma RULES --case " + case_id + "`.");
  else if (sigma_.empty())
    out.gaps.push_back("The Sigma rules of " + Join(sigma_files_, ", ") + " matched no event.");
  if (sigma_left_out_ > 0)
    out.gaps.push_back(std::to_string(sigma_left_out_) + " more Sigma matches are in " +
                       Join(sigma_files_, ", ") + ".");
  return out;
}

}  // namespace cordon::report::detail
