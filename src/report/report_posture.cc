// A posture stored in the case (`cordon posture --case`, cli/posture_case.h) as the report's section.
#include <set>

#include "report/report_parts.h"

namespace cordon::report::detail {
namespace {

const Json& Member(const Json& j, const char* key, const Json& fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  return it != j.end() ? *it : fallback;
}

PostureRow Row(const Json& f) {
  PostureRow row{Str(f, "severity"), Str(f, "check"), Str(f, "region"), Str(f, "title"), Str(f, "fix"), {}};
  for (const Json& e : Arr(f, "evidence"))
    if (e.is_string()) row.evidence.push_back(e.get<std::string>());
  return row;
}

}  // namespace

PostureReport PostureSection(const evidence::EvidenceItem& item, const Json& doc) {
  PostureReport out;
  out.location = item.location;
  out.sha256 = item.sha256;
  out.time = item.time;
  static const Json kNone = Json::object();
  const Json& share = Member(doc, "case_share", kNone);
  for (const Json& id : Arr(share, "ids"))
    if (id.is_string()) out.share_ids.push_back(id.get<std::string>());
  // The share's findings are copies of the account's: what is not among them is elsewhere.
  std::set<std::string> mine;
  for (const Json& f : Arr(share, "findings")) {
    mine.insert(f.dump());
    out.share.push_back(Row(f));
  }
  for (const Json& f : Arr(doc, "findings")) {
    if (mine.count(f.dump())) continue;
    if (out.elsewhere.size() < kPostureRowsCap)
      out.elsewhere.push_back(Row(f));
    else
      ++out.elsewhere_left_out;
  }
  for (const Json& n : Arr(doc, "not_assessed"))
    out.not_assessed.push_back(Str(n, "region") + " " + Str(n, "check") + ": " + Str(n, "reason"));
  for (const Json& s : Arr(doc, "suspect"))
    out.suspects.push_back(Str(s, "instance_id") + " (" + Str(s, "region") + ", " + Str(s, "vpc_id") +
                           "): VPC flow logs " + Str(s, "vpc_flow_logs") + ", Inspector " +
                           Str(s, "inspector"));
  return out;
}

}  // namespace cordon::report::detail
