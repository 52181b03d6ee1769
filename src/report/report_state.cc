// A recorded state as the few facts a responder compares, and the case's state in one sentence.
#include <functional>
#include <map>
#include <utility>

#include "base/strings.h"
#include "evidence/journal_format.h"
#include "report/report_parts.h"

namespace cordon::report::detail {
namespace {

const Json& Member(const Json& j, const char* key) {
  static const Json kNull;
  return j.is_object() && j.contains(key) ? j[key] : kNull;
}

// A scalar as text; a list of scalars joined; anything else as compact JSON.
std::string Text(const Json& j) {
  if (j.is_null()) return "";
  if (j.is_string()) return j.get<std::string>();
  if (j.is_boolean()) return j.get<bool>() ? "true" : "false";
  if (j.is_number()) return j.dump();
  if (j.is_object() && j.contains("error")) return "(not read: " + Text(j["error"]) + ")";
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string JoinEach(const Json& list, const std::function<std::string(const Json&)>& one) {
  std::vector<std::string> parts;
  if (list.is_array())
    for (const Json& item : list)
      if (std::string s = one(item); !s.empty()) parts.push_back(std::move(s));
  return Join(parts, ", ");
}

// The facts of one state, by name, in a fixed order.
std::vector<std::pair<std::string, std::string>> Facts(const Json& s) {
  std::vector<std::pair<std::string, std::string>> out;
  const Json& instance = Member(s, "instance");
  out.emplace_back("instance state", Text(Member(Member(instance, "State"), "Name")));
  const Json& enis = Member(s, "network_interfaces");
  if (enis.is_array())
    for (const Json& eni : enis)
      out.emplace_back(
          "security groups of " + Text(Member(eni, "NetworkInterfaceId")),
          JoinEach(Member(eni, "Groups"), [](const Json& g) { return Text(Member(g, "GroupId")); }));
  else if (!enis.is_null())
    out.emplace_back("network interfaces", Text(enis));
  out.emplace_back("Elastic IPs", JoinEach(Member(s, "addresses"), [](const Json& a) {
                     return Text(Member(a, "PublicIp")) + " on " + Text(Member(a, "NetworkInterfaceId"));
                   }));
  out.emplace_back(
      "instance profile",
      Text(Member(Member(Member(s, "iam_instance_profile_association"), "IamInstanceProfile"), "Arn")));
  const Json& asg = Member(s, "auto_scaling");
  out.emplace_back("Auto Scaling group", asg.is_null() ? ""
                                                       : Text(Member(asg, "AutoScalingGroupName")) + " (" +
                                                             Text(Member(asg, "LifecycleState")) + ")");
  out.emplace_back("classic load balancers", JoinEach(Member(s, "classic_load_balancers"), Text));
  out.emplace_back("target groups", JoinEach(Member(s, "target_groups"),
                                             [](const Json& g) { return Text(Member(g, "arn")); }));
  const Json& attributes = Member(s, "attributes");
  out.emplace_back("termination protection", Text(Member(attributes, "DisableApiTermination")));
  out.emplace_back("shutdown behaviour", Text(Member(attributes, "InstanceInitiatedShutdownBehavior")));
  std::map<std::string, std::string> tags;  // sorted, so two states list them alike
  const Json& tag_list = Member(instance, "Tags");
  if (tag_list.is_array())
    for (const Json& t : tag_list) tags[Text(Member(t, "Key"))] = Text(Member(t, "Value"));
  std::vector<std::string> tag_text;
  for (const auto& [k, v] : tags) tag_text.push_back(k + "=" + v);
  out.emplace_back("tags", Join(tag_text, ", "));
  return out;
}

}  // namespace

std::vector<StateFact> CompareStates(const Json& before, const Json& now) {
  std::vector<StateFact> out;
  const auto after = now.is_null() ? std::vector<std::pair<std::string, std::string>>() : Facts(now);
  std::map<std::string, std::string> later(after.begin(), after.end());
  for (auto& [what, value] : Facts(before)) {
    auto it = later.find(what);
    out.push_back({what, value, it == later.end() ? (now.is_null() ? "" : "(not present)") : it->second});
    if (it != later.end()) later.erase(it);
  }
  for (const auto& [what, value] : after)  // facts only the later state has (a new ENI)
    if (later.count(what)) out.push_back({what, "(not present)", value});
  return out;
}

std::string CurrentState(const std::vector<evidence::JournalRecord>& records, const std::string& status) {
  std::string status_since;
  std::map<std::string, std::string> isolated;  // target -> time isolate-network was done
  size_t failed = 0;
  std::map<std::pair<std::string, std::string>, std::string> latest;  // (target, step) -> kind
  for (const auto& r : records) {
    const Json p = r.PayloadJson();
    if (r.kind == evidence::kind::kCaseStatus && Str(p, "to") == status) status_since = r.time;
    if (r.kind.starts_with("step.") && !r.step.empty()) latest[{r.target, r.step}] = r.kind;
    if (r.kind == evidence::kind::kStepDone && r.step == "isolate-network" && !isolated.count(r.target))
      isolated[r.target] = r.time;
  }
  for (const auto& [key, kind] : latest) failed += kind == evidence::kind::kStepFailed ? 1 : 0;
  std::string text;
  if (status == "released") {
    text = "Released at " + (status_since.empty() ? std::string("an unrecorded time") : status_since) +
           ": the recorded pre-state was restored";
  } else if (!isolated.empty()) {
    std::vector<std::string> parts;
    for (const auto& [target, time] : isolated) parts.push_back(target + " isolated since " + time);
    text =
        Join(parts, "; ") + " (case " + status + (status_since.empty() ? "" : " since " + status_since) + ")";
  } else {
    text = "Case " + status + (status_since.empty() ? "" : " since " + status_since) +
           "; no instance has been isolated";
  }
  if (failed > 0) text += "; " + std::to_string(failed) + " step(s) ended failed";
  return text + ".";
}

}  // namespace cordon::report::detail
