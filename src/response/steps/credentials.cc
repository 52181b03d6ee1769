// credentials (rule 4): denies the role's already-issued credentials for this instance only (its
// entry in the case's merged inline Deny * conditioned on ec2:SourceInstanceARN, cordon-deny-<CASE>:
// response/role_deny.h), then replaces the instance profile with --quarantine-profile or
// disassociates it. Siblings sharing the role are untouched unless --revoke-role-sessions, which adds
// a role-wide Deny on sessions issued before now and names the siblings it affects.
//
// Undo data: "before" and "result" carry "deny_policy" and "deny_entry"; release takes the entry out
// of that policy (deleting it once empty). A case recorded by an older version has "deny_policy"
// (cordon-deny-<CASE>-<instance>) and no "deny_entry": release deletes that policy, as it did then.
#include <algorithm>

#include "base/strings.h"
#include "base/time.h"
#include "response/after_effect.h"
#include "response/fleet_state.h"
#include "response/isolation_groups.h"
#include "response/live_state.h"
#include "response/role_deny.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

std::string PolicyName(const StepContext& ctx) { return DenyPolicyName(CaseIdOf(ctx)); }

// The profile ARN of an association, or "" when there is none (the association may be null).
std::string ProfileArnOf(const Json& assoc) {
  if (!assoc.is_object() || !assoc.contains("IamInstanceProfile")) return "";
  return Str(assoc["IamInstanceProfile"], "Arn");
}

class CredentialsStep : public Step {
 public:
  std::string_view name() const override { return "credentials"; }
  bool undoable() const override { return true; }

  // The deny names only this instance, but it sits on the shared role: it is removed even when the
  // instance is gone, or it would stay on the role for good.
  bool UndoWhenInstanceGone() const override { return true; }

  // Reconcilable: no profile, the quarantine profile, or the recorded one already back. Not: the
  // recorded profile deleted (skipped: only the deny is removed), another profile put there by
  // someone else (overridden: replaced by the recorded one). On a gone instance only the deny is
  // removed, with no finding of its own (release reports the instance).
  Status AssessDrift(StepContext& ctx, const LiveState& live, Json* undo, DriftFindings* f) override {
    Json& before = (*undo)["before"];
    if (live.gone) {
      before["profile_arn"] = nullptr;
      return Ok();
    }
    std::string profile = Str(before, "profile_name"), arn = Str(before, "profile_arn");
    if (profile.empty()) return Ok();
    auto p = ctx.Call("iam", "GetInstanceProfile", Json{{"InstanceProfileName", profile}});
    if (!p && !IsNotFoundError(p.error())) return MakeError(p.error());
    if (!p) {
      f->Skip(name(), "instance profile " + profile + " no longer exists (the role's deny is still removed)");
      before["profile_arn"] = nullptr;
      return Ok();
    }
    auto now = Association(ctx);
    if (!now) return MakeError(now.error());
    std::string now_arn = ProfileArnOf(*now);
    std::string quarantine = Str(undo->value("result", Json::object()), "quarantine_profile_arn");
    if (!now_arn.empty() && now_arn != arn && now_arn != quarantine)
      f->Override(name(), "instance profile replaced by someone else: now " + now_arn + ", recorded " + arn);
    return Ok();
  }

 protected:
  Result<Json> Association(StepContext& ctx) {
    auto out = ctx.Call("ec2", "DescribeIamInstanceProfileAssociations",
                        Filters("instance-id", {ctx.target.instance_id}));
    if (!out) return MakeError(out.error());
    return ActiveAssociation(out->value("IamInstanceProfileAssociations", Json::array()));
  }
  static Result<Json> ActiveAssociation(const Json& associations) {
    for (const Json& a : associations)
      if (Str(a, "State") == "associated" || Str(a, "State") == "associating") return a;
    return Json();
  }

  Result<Json> Observe(StepContext& ctx) override {
    // Only this step changes the association: the fleet read is live state. The role's deny below
    // stays live (every target of the role adds to it).
    const TargetState* f = FleetTarget(ctx);
    auto assoc =
        f != nullptr && f->iam_associations ? ActiveAssociation(*f->iam_associations) : Association(ctx);
    if (!assoc) return MakeError(assoc.error());
    Json o = {
        {"association", *assoc}, {"profile_arn", nullptr}, {"profile_name", nullptr}, {"role", nullptr}};
    std::string arn = ProfileArnOf(*assoc);
    // After a crash the profile may already be gone from the instance: the role comes from the
    // recorded before, so the deny is still checked and put.
    if (!ctx.prior_before.is_null() && !Str(ctx.prior_before, "profile_arn").empty()) {
      o["profile_arn"] = ctx.prior_before["profile_arn"];
      o["profile_name"] = ctx.prior_before["profile_name"];
      o["role"] = ctx.prior_before["role"];
    } else if (!arn.empty()) {
      std::string name = LastPathPart(arn);
      o["profile_arn"] = arn;
      o["profile_name"] = name;
      // Which role a profile holds no step changes: the fleet read's profile serves when it is this one.
      const bool fleet =
          f != nullptr && f->instance_profile && Str(*f->instance_profile, "InstanceProfileName") == name;
      auto p = fleet ? Result<Json>(*f->instance_profile)
                     : ctx.Call("iam", "GetInstanceProfile", Json{{"InstanceProfileName", name}});
      if (!p) return MakeError(p.error());
      Json roles = p->value("InstanceProfile", Json::object()).value("Roles", Json::array());
      if (!roles.empty()) o["role"] = roles[0]["RoleName"];
    }
    o["deny_policy"] = PolicyName(ctx);
    o["deny_entry"] = DenyEntry(ctx.target.instance_id);
    o["deny_present"] = false;
    // The probe of the deny is needed only when a run of this step has begun on the case before: only
    // this step puts the instance's entry, after its intent is journaled, so with no record of the
    // step (kNone) it is not there. AddDenyEntry reads the document again under the role's lock anyway.
    if (!Str(o, "role").empty() && ctx.journal_state != evidence::StepState::kNone) {
      auto doc = ReadRolePolicy(ctx, Str(o, "role"), PolicyName(ctx));
      if (!doc) return MakeError(doc.error());
      std::vector<std::string> entries = DenyEntries(*doc);
      o["deny_present"] = std::find(entries.begin(), entries.end(), Str(o, "deny_entry")) != entries.end();
    }
    return o;
  }

  bool IsDone(StepContext& ctx, const Json& o) override {
    if (!Str(o, "role").empty() && o["deny_present"] != true) return false;
    const Json& assoc = o["association"];
    if (assoc.is_null()) return true;
    const std::string& q = ctx.options->quarantine_profile;
    std::string arn = ProfileArnOf(assoc);
    return !q.empty() && (arn == q || LastPathPart(arn) == q) && arn != Str(o, "profile_arn");
  }

  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    Json result = Json::object();
    std::string role = Str(before, "role");
    if (!role.empty()) {
      std::string revoke_before;
      if (ctx.options->revoke_role_sessions) {
        revoke_before = FormatIso8601(ctx.client->clock()->Now());
        auto siblings = Siblings(ctx, Str(before, "profile_arn"));
        if (!siblings) return MakeError(siblings.error());
        result["revoked_sessions_before"] = revoke_before;
        result["siblings_affected"] = *siblings;
        ctx.notes.push_back("--revoke-role-sessions: every session of role " + role + " issued before " +
                            revoke_before + " is denied, which affects the siblings " + siblings->dump());
      }
      const std::string entry = DenyEntry(ctx.target.instance_id);
      if (auto s = AddDenyEntry(ctx, role, PolicyName(ctx), entry, revoke_before); !s)
        return MakeError(s.error());
      // A case begun by an older version may hold this instance's own policy: the merged one now
      // denies the same, and the role's quota needs the room.
      if (std::string old = Str(before, "deny_policy"); !old.empty() && old != PolicyName(ctx)) {
        auto d = ctx.Call("iam", "DeleteRolePolicy", Json{{"RoleName", role}, {"PolicyName", old}});
        if (!d && !IsNotFoundError(d.error())) return MakeError(d.error());
      }
      result["role"] = role;
      result["deny_policy"] = PolicyName(ctx);
      result["deny_entry"] = entry;
    }
    // The association as observed a moment ago (the deny above does not change it).
    auto assoc =
        ctx.observed != nullptr ? Result<Json>(ctx.observed->value("association", Json())) : Association(ctx);
    if (!assoc) return MakeError(assoc.error());
    const std::string& q = ctx.options->quarantine_profile;
    if (!assoc->is_null()) {
      std::string id = Str(*assoc, "AssociationId");
      if (!q.empty()) {
        Json profile = StartsWith(q, "arn:") ? Json{{"Arn", q}} : Json{{"Name", q}};
        // A retry after the replacement took effect names an association that is gone.
        std::string live_arn;
        auto r = AcceptAfterEffect(ctx.Call("ec2", "ReplaceIamInstanceProfileAssociation",
                                            Json{{"AssociationId", id}, {"IamInstanceProfile", profile}}),
                                   {"InvalidAssociationID.NotFound"}, [&]() -> Result<bool> {
                                     auto now = Association(ctx);
                                     if (!now) return MakeError(now.error());
                                     live_arn = now->is_null() ? "" : ProfileArnOf(*now);
                                     return !live_arn.empty() && Str(*now, "AssociationId") != id &&
                                            (live_arn == q || EndsWith(live_arn, "/" + q));
                                   });
        if (!r) return MakeError(r.error());
        std::string arn = Str(r->value("IamInstanceProfileAssociation", Json::object())
                                  .value("IamInstanceProfile", Json::object()),
                              "Arn");
        if (arn.empty()) arn = live_arn;
        result["quarantine_profile_arn"] = arn.empty() ? q : arn;
        ctx.detail = "profile replaced by " + q;
      } else {
        auto r =
            AcceptAfterEffect(ctx.Call("ec2", "DisassociateIamInstanceProfile", Json{{"AssociationId", id}}),
                              {"InvalidAssociationID.NotFound"}, [&]() -> Result<bool> {
                                auto now = Association(ctx);
                                if (!now) return MakeError(now.error());
                                return now->is_null();
                              });
        if (!r) return MakeError(r.error());
        ctx.detail = "profile disassociated";
      }
    } else {
      ctx.detail = "no instance profile";
    }
    if (!role.empty()) ctx.detail += ", deny on role " + role;
    return result;
  }

  Result<Json> DoUndo(StepContext& ctx, const Json& before, const Json& result) override {
    std::string role = Str(before, "role");
    if (!role.empty()) {
      if (auto s = RemoveDeny(ctx, role, before, result); !s) return MakeError(s.error());
    }
    std::string arn = Str(before, "profile_arn");
    if (arn.empty()) return Json{{"profile", nullptr}};
    auto assoc = Association(ctx);
    if (!assoc) return MakeError(assoc.error());
    if (assoc->is_null()) {
      // A retry after the association took effect finds one there (IncorrectState).
      auto a = AcceptAfterEffect(
          ctx.Call("ec2", "AssociateIamInstanceProfile",
                   Json{{"InstanceId", ctx.target.instance_id}, {"IamInstanceProfile", {{"Arn", arn}}}}),
          {"IncorrectState"}, [&]() -> Result<bool> {
            auto now = Association(ctx);
            if (!now) return MakeError(now.error());
            return !now->is_null() && ProfileArnOf(*now) == arn;
          });
      if (!a) return MakeError(a.error());
    } else if (ProfileArnOf(*assoc) != arn) {
      auto r = AcceptAfterEffect(ctx.Call("ec2", "ReplaceIamInstanceProfileAssociation",
                                          Json{{"AssociationId", (*assoc)["AssociationId"]},
                                               {"IamInstanceProfile", {{"Arn", arn}}}}),
                                 {"InvalidAssociationID.NotFound"}, [&]() -> Result<bool> {
                                   auto now = Association(ctx);
                                   if (!now) return MakeError(now.error());
                                   return !now->is_null() && ProfileArnOf(*now) == arn;
                                 });
      if (!r) return MakeError(r.error());
    }
    ctx.detail =
        "profile " + Str(before, "profile_name") + " restored" + (role.empty() ? "" : ", deny removed");
    return Json{{"profile_arn", arn}, {"deny_removed", !role.empty()}};
  }

 private:
  // Takes the instance out of the case's merged deny, or deletes the per-instance policy an older
  // version recorded (no "deny_entry" in its undo data).
  Status RemoveDeny(StepContext& ctx, const std::string& role, const Json& before, const Json& result) {
    const Json& from = result.is_object() && result.contains("deny_entry") ? result : before;
    const std::string entry = Str(from, "deny_entry"), policy = Str(from, "deny_policy");
    if (!entry.empty()) {
      auto removed = RemoveDenyEntry(ctx, role, policy, entry);
      if (!removed) return MakeError(removed.error());
      return Ok();
    }
    auto d = ctx.Call("iam", "DeleteRolePolicy", Json{{"RoleName", role}, {"PolicyName", policy}});
    if (!d && !IsNotFoundError(d.error())) return MakeError(d.error());
    return Ok();
  }

  // Other instances running with the same instance profile (they share the role's sessions).
  Result<Json> Siblings(StepContext& ctx, const std::string& profile_arn) {
    // Filtered here rather than by the API: not every endpoint knows the iam-instance-profile.arn filter.
    auto out = ctx.CallAll("ec2", "DescribeIamInstanceProfileAssociations", Json::object());
    if (!out) return MakeError(out.error());
    Json ids = Json::array();
    for (const Json& a : out->value("IamInstanceProfileAssociations", Json::array()))
      if (Str(a, "InstanceId") != ctx.target.instance_id && Str(a, "State") == "associated" &&
          Str(a.value("IamInstanceProfile", Json::object()), "Arn") == profile_arn)
        ids.push_back(Str(a, "InstanceId"));
    return ids;
  }
};

}  // namespace

std::unique_ptr<Step> MakeCredentialsStep() { return std::make_unique<CredentialsStep>(); }

}  // namespace cordon::response
