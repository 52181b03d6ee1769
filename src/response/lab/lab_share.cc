#include "response/lab/lab_share.h"

#include "response/isolation_groups.h"
#include "response/lab/lab.h"
#include "response/lab/lab_state.h"
#include "response/live_state.h"

namespace cordon::response::lab {
namespace {

Json Tag(const char* key, const std::string& value) { return Json{{"Key", key}, {"Value", value}}; }

// The case key as DescribeKey shows it, or null when the alias names none.
Result<Json> DescribeCaseKey(const StepContext& ctx) {
  auto out = ctx.Call("kms", "DescribeKey", Json{{"KeyId", CaseKeyAlias(CaseIdOf(ctx))}});
  if (!out && (out.error().code == "NotFoundException" || IsNotFoundError(out.error()))) return Json();
  if (!out) return MakeError(out.error());
  return out->value("KeyMetadata", Json::object());
}

Json KeyPolicy(const std::string& own_account, const std::string& forensic_account) {
  return Json{
      {"Version", "2012-10-17"},
      {"Statement", Json::array({Json{{"Sid", "CaseAccountAdministers"},
                                      {"Effect", "Allow"},
                                      {"Principal", {{"AWS", "arn:aws:iam::" + own_account + ":root"}}},
                                      {"Action", "kms:*"},
                                      {"Resource", "*"}},
                                 // What EBS needs to make volumes from a snapshot encrypted with this key.
                                 Json{{"Sid", "ForensicAccountUsesForVolumes"},
                                      {"Effect", "Allow"},
                                      {"Principal", {{"AWS", "arn:aws:iam::" + forensic_account + ":root"}}},
                                      {"Action",
                                       {"kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant", "kms:ReEncrypt*",
                                        "kms:GenerateDataKeyWithoutPlaintext"}},
                                      {"Resource", "*"}}})}};
}

Json LabCopyFilters(const std::string& case_id) { return CaseRoleFilters(case_id, {std::string(kLabRole)}); }

}  // namespace

std::string CaseKeyAlias(const std::string& case_id) { return "alias/" + LabStackName(case_id); }

Result<std::string> EnsureCaseKey(const StepContext& ctx, const std::string& forensic_account) {
  auto key = DescribeCaseKey(ctx);
  if (!key) return MakeError(key.error());
  if (!key->is_null()) {
    if (Str(*key, "KeyState") == "PendingDeletion") {  // a lab down scheduled it; this lab needs it again
      if (auto r = ctx.Call("kms", "CancelKeyDeletion", Json{{"KeyId", (*key)["KeyId"]}}); !r)
        return MakeError(r.error());
      if (auto r = ctx.Call("kms", "EnableKey", Json{{"KeyId", (*key)["KeyId"]}}); !r)
        return MakeError(r.error());
    }
    return Str(*key, "Arn");
  }
  auto me = ctx.Call("sts", "GetCallerIdentity", Json::object());
  if (!me) return MakeError(me.error());
  auto made =
      ctx.Call("kms", "CreateKey",
               Json{{"Description", "cordon lab: the case " + CaseIdOf(ctx) + "'s snapshot copies"},
                    {"Policy", KeyPolicy(Str(*me, "Account"), forensic_account).dump()},
                    {"Tags", Json::array({Json{{"TagKey", "cordon:case"}, {"TagValue", CaseIdOf(ctx)}},
                                          Json{{"TagKey", "cordon:role"}, {"TagValue", "lab"}}})}});
  if (!made) return MakeError(made.error());
  const Json meta = made->value("KeyMetadata", Json::object());
  auto alias = ctx.Call("kms", "CreateAlias",
                        Json{{"AliasName", CaseKeyAlias(CaseIdOf(ctx))}, {"TargetKeyId", meta["KeyId"]}});
  if (!alias) return MakeError(alias.error());
  return Str(meta, "Arn");
}

Result<std::string> EnsureSharedCopy(const StepContext& ctx, const std::string& snapshot,
                                     const std::string& key_arn, const std::string& forensic_account) {
  Json filters = LabCopyFilters(CaseIdOf(ctx));
  filters.push_back(Json{{"Name", "tag:cordon:source-snapshot"}, {"Values", {snapshot}}});
  auto found = ctx.CallAll("ec2", "DescribeSnapshots", Json{{"OwnerIds", {"self"}}, {"Filters", filters}});
  if (!found) return MakeError(found.error());
  std::string copy;
  for (const Json& s : found->value("Snapshots", Json::array()))
    if (Str(s, "State") != "error") copy = Str(s, "SnapshotId");
  if (copy.empty()) {
    Json tags = Json::array({Tag("cordon:case", CaseIdOf(ctx)), Tag("cordon:role", std::string(kLabRole)),
                             Tag("cordon:source-snapshot", snapshot)});
    auto made =
        ctx.Call("ec2", "CopySnapshot",
                 Json{{"SourceSnapshotId", snapshot},
                      {"SourceRegion", ctx.target.region},
                      {"Encrypted", true},
                      {"KmsKeyId", key_arn},
                      {"Description", "cordon lab copy of " + snapshot + " for case " + CaseIdOf(ctx)},
                      {"TagSpecifications", {Json{{"ResourceType", "snapshot"}, {"Tags", tags}}}}});
    if (!made) return MakeError(made.error());
    copy = Str(*made, "SnapshotId");
    // Tagged again: an emulator (moto) may drop CopySnapshot's TagSpecifications; the tags find it.
    if (auto t = ctx.Call("ec2", "CreateTags", Json{{"Resources", {copy}}, {"Tags", tags}}); !t)
      return MakeError(t.error());
  }
  if (Status s = ctx.client->Wait("ec2", "SnapshotCompleted", Json{{"SnapshotIds", {copy}}},
                                  {.region = ctx.target.region});
      !s)
    return MakeError(s.error().kind,
                     "the lab copy " + copy + " of " + snapshot + " did not complete: " + s.error().message);
  auto shared = ctx.Call("ec2", "ModifySnapshotAttribute",
                         Json{{"SnapshotId", copy},
                              {"Attribute", "createVolumePermission"},
                              {"OperationType", "add"},
                              {"UserIds", {forensic_account}}});
  if (!shared) return MakeError(shared.error());
  return copy;
}

Result<std::vector<std::string>> SharingLeftovers(const StepContext& ctx) {
  std::vector<std::string> left;
  auto copies = ctx.CallAll("ec2", "DescribeSnapshots",
                            Json{{"OwnerIds", {"self"}}, {"Filters", LabCopyFilters(CaseIdOf(ctx))}});
  if (!copies) return MakeError(copies.error());
  for (const Json& s : copies->value("Snapshots", Json::array()))
    left.push_back("snapshot " + Str(s, "SnapshotId"));
  auto key = DescribeCaseKey(ctx);
  if (!key) return MakeError(key.error());
  if (!key->is_null() && Str(*key, "KeyState") != "PendingDeletion")
    left.push_back("kms-key " + Str(*key, "KeyId"));
  return left;
}

Status RemoveSharing(const StepContext& ctx, Json* deleted) {
  auto copies = ctx.CallAll("ec2", "DescribeSnapshots",
                            Json{{"OwnerIds", {"self"}}, {"Filters", LabCopyFilters(CaseIdOf(ctx))}});
  if (!copies) return MakeError(copies.error());
  for (const Json& s : copies->value("Snapshots", Json::array())) {
    // Only what cordon copied for the lab: a case snapshot (evidence) never carries cordon:role.
    if (TagValue(s.value("Tags", Json::array()), "cordon:source-snapshot").empty()) continue;
    auto r = ctx.Call("ec2", "DeleteSnapshot", Json{{"SnapshotId", s["SnapshotId"]}});
    if (!r && !IsNotFoundError(r.error())) return MakeError(r.error());
    deleted->push_back("snapshot " + Str(s, "SnapshotId"));
  }
  auto key = DescribeCaseKey(ctx);
  if (!key) return MakeError(key.error());
  if (!key->is_null() && Str(*key, "KeyState") != "PendingDeletion") {
    auto r =
        ctx.Call("kms", "ScheduleKeyDeletion", Json{{"KeyId", (*key)["KeyId"]}, {"PendingWindowInDays", 7}});
    if (!r) return MakeError(r.error());
    deleted->push_back("kms-key " + Str(*key, "KeyId") + " (pending deletion, 7 days)");
  }
  return Ok();
}

}  // namespace cordon::response::lab
