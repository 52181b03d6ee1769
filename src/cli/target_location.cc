#include "cli/target_location.h"

#include "base/json_fields.h"
#include "evidence/audit_kinds.h"

namespace cordon::cli {

std::map<std::string, TargetLocation> TargetLocationsOf(const std::vector<evidence::JournalRecord>& records) {
  std::map<std::string, TargetLocation> out;
  for (const evidence::JournalRecord& r : records) {
    if (r.kind != kTargetLocation) continue;
    const Json p = r.PayloadJson();
    if (!p.is_object()) continue;
    out[r.target] = {Str(p, "region"), Str(p, "account"), Str(p, "role_arn")};
  }
  return out;
}

Result<std::map<std::string, TargetLocation>> ReadTargetLocations(evidence::CaseStore& store) {
  auto records = store.journal().Records();
  if (!records) return MakeError(records.error());
  return TargetLocationsOf(*records);
}

Status RecordTargetLocations(evidence::CaseStore& store, const CommandContext& ctx) {
  auto records = store.journal().Records();
  if (!records) return MakeError(records.error());
  const auto known = TargetLocationsOf(*records);
  std::string own_account;  // this run's, from its run.identity (the latest)
  for (const evidence::JournalRecord& r : *records)
    if (r.kind == evidence::kind::kRunIdentity) own_account = Str(r.PayloadJson(), "account");
  for (const cloud::ResolvedTarget& t : ctx.targets) {
    TargetLocation where{t.region, own_account, ""};
    if (auto it = ctx.accounts.find(t.instance_id); it != ctx.accounts.end())
      where = {t.region, it->second.account, it->second.role_arn};
    if (auto it = known.find(t.instance_id); it != known.end() && it->second.region == where.region &&
                                             it->second.account == where.account &&
                                             it->second.role_arn == where.role_arn)
      continue;
    Json payload = {{"region", where.region}, {"account", where.account}};
    if (!where.role_arn.empty()) payload["role_arn"] = where.role_arn;
    auto seq = store.journal().Append(kTargetLocation, t.instance_id, "", payload);
    if (!seq) return MakeError(seq.error());
  }
  return Ok();
}

}  // namespace cordon::cli
