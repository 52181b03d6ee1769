// isolate-subnet (opt-in: contain --nacl): every subnet of the instance's ENIs moves onto the case's
// network ACL cordon-nacl-<case>-<vpc>, which denies all traffic in and out (subnet_nacl.h). Unlike
// the security groups it is stateless, so it cuts tracked connections at once, but it cuts off every
// other interface in those subnets too: contain names them before it asks.
//
// The before records, per subnet, the network ACL release puts back: the one the subnet is on, or,
// when it is on the case's ACL already (a rerun, another target of the case in the subnet), the
// original kept in the ACL's cordon:restore:<subnet> tag. A subnet on another case's isolation ACL
// is already cut off and left to that case ("held_by"): this case neither moves nor restores it.
// Release finds each subnet's association by subnet id (ReplaceNetworkAclAssociation gives a new
// association id each time), puts the recorded ACL back, drops the restore tag, and deletes the
// case's ACL once no subnet is on it.
#include <string>

#include "response/isolation_groups.h"
#include "response/live_state.h"
#include "response/steps/steps.h"
#include "response/subnet_nacl.h"

namespace cordon::response {
namespace {

// One subnet of the before: {"subnet_id", "vpc_id", "network_acl_id", "held_by"?, "isolated"}.
Result<Json> ObserveSubnet(const StepContext& ctx, const std::string& subnet, const std::string& vpc) {
  auto acl = SubnetAssociation(ctx, subnet);
  if (!acl) return MakeError(acl.error());
  Json s{
      {"subnet_id", subnet}, {"vpc_id", vpc}, {"network_acl_id", acl->network_acl_id}, {"isolated", false}};
  const std::string holder = IsolationAclCase(acl->tags);
  if (holder.empty()) return s;
  if (holder != CaseIdOf(ctx)) {
    s["held_by"] = holder;
    return s;
  }
  // On this case's ACL already: what it was on before is in the ACL's tag. Isolated only while
  // the ACL still allows nothing.
  s["network_acl_id"] = RestoreAclOf(acl->tags, subnet);
  s["isolated"] = !AclAllowsAnything(acl->entries);
  return s;
}

// The case's ACL of `vpc` as contain's result recorded it, else found by its tags. A step that
// found the subnet already on the case's ACL (the fleet's second instance in it) has no result.
std::string CaseAclOf(const StepContext& ctx, const Json& result, const std::string& vpc) {
  std::string id = Str(Obj(result, "isolation_acls"), vpc.c_str());
  if (!id.empty()) return id;
  auto found = FindCaseAcl(ctx, CaseIdOf(ctx), vpc);
  return found ? *found : "";
}

// After a subnet is back: the case's ACL forgets it, and goes once no subnet is on it. A failure is
// a note: the subnet is back, and an empty deny-all ACL lets nothing through.
void ForgetSubnet(StepContext& ctx, const std::string& acl_id, const std::string& subnet) {
  if (acl_id.empty()) return;
  const std::string key = std::string(kNaclRestoreTagPrefix) + subnet;
  (void)ctx.Call("ec2", "DeleteTags",
                 Json{{"Resources", Json::array({acl_id})}, {"Tags", Json::array({Json{{"Key", key}}})}});
  auto out = ctx.CallAll("ec2", "DescribeNetworkAcls", Json{{"NetworkAclIds", Json::array({acl_id})}});
  if (!out) return;
  for (const Json& acl : out->value("NetworkAcls", Json::array()))
    if (!acl.value("Associations", Json::array()).empty()) return;
  if (auto r = ctx.Call("ec2", "DeleteNetworkAcl", Json{{"NetworkAclId", acl_id}});
      !r && !IsNotFoundError(r.error()))
    ctx.notes.push_back("network ACL " + acl_id + " was not deleted: " + r.error().message);
}

class IsolateSubnetStep : public Step {
 public:
  std::string_view name() const override { return "isolate-subnet"; }
  bool undoable() const override { return true; }
  // The network ACL is on the subnet, not the instance: a terminated suspect must not leave its
  // neighbours cut off.
  bool UndoWhenInstanceGone() const override { return true; }

  // Reconcilable: a subnet on the case's ACL, or already back on its recorded one, or held by
  // another case (both taken out of the undo). Not: the subnet or its recorded ACL deleted, or the
  // original unknown (skipped); another network ACL associated by someone else (overridden).
  Status AssessDrift(StepContext& ctx, const LiveState&, Json* undo, DriftFindings* f) override {
    Json& before = (*undo)["before"];
    const Json result = undo->value("result", Json::object());
    Json kept = Json::array();
    for (const Json& s : before.value("subnets", Json::array())) {
      const std::string subnet = Str(s, "subnet_id"), recorded = Str(s, "network_acl_id");
      if (!Str(s, "held_by").empty()) continue;
      if (recorded.empty()) {
        f->Skip(name(), "subnet " + subnet +
                            ": its network ACL before containment is unknown (the restore tag "
                            "of the case's network ACL is gone)");
        continue;
      }
      auto now = SubnetAssociation(ctx, subnet);
      if (!now) {
        if (!IsNotFoundError(now.error())) return MakeError(now.error());
        f->Skip(name(), "subnet " + subnet + " no longer exists");
        continue;
      }
      if (now->network_acl_id == recorded) continue;  // already back
      auto exists =
          ctx.CallAll("ec2", "DescribeNetworkAcls", Json{{"NetworkAclIds", Json::array({recorded})}});
      if (!exists && !IsNotFoundError(exists.error())) return MakeError(exists.error());
      if (!exists || exists->value("NetworkAcls", Json::array()).empty()) {
        f->Skip(name(), "subnet " + subnet + ": its recorded network ACL " + recorded + " no longer exists");
        continue;
      }
      if (now->network_acl_id != CaseAclOf(ctx, result, Str(s, "vpc_id")))
        f->Override(name(), "subnet " + subnet + " associated with network ACL " + now->network_acl_id +
                                " by someone else since containment (recorded " + recorded + ")");
      kept.push_back(s);
    }
    before["subnets"] = kept;
    return Ok();
  }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto enis = DescribeTargetEnis(ctx);
    if (!enis) return MakeError(enis.error());
    Json subnets = Json::array();
    for (const Json& e : *enis) {
      const std::string subnet = Str(e, "SubnetId");
      bool seen = false;
      for (const Json& s : subnets) seen = seen || Str(s, "subnet_id") == subnet;
      if (subnet.empty() || seen) continue;
      auto s = ObserveSubnet(ctx, subnet, Str(e, "VpcId"));
      if (!s) return MakeError(s.error());
      subnets.push_back(std::move(*s));
    }
    return Json{{"subnets", subnets}};
  }
  bool IsDone(StepContext& ctx, const Json& o) override {
    const Json subnets = o.value("subnets", Json::array());
    if (subnets.empty()) return false;
    for (const Json& s : subnets)
      if (Str(s, "held_by").empty() && !s.value("isolated", false)) return false;
    return true;
  }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    auto live = Observe(ctx);
    if (!live) return MakeError(live.error());
    if ((*live)["subnets"].empty()) return MakeError(ErrorKind::kConflict, "the instance is in no subnet");
    const std::string case_id = CaseIdOf(ctx);
    Json isolation = Json::object(), associations = Json::object(), held = Json::object();
    for (const Json& s : (*live)["subnets"]) {
      const std::string subnet = Str(s, "subnet_id"), vpc = Str(s, "vpc_id");
      if (!Str(s, "held_by").empty()) {
        held[subnet] = Str(s, "held_by");
        ctx.notes.push_back("subnet " + subnet + " is already behind case " + Str(s, "held_by") +
                            "'s network ACL: left to that case");
        continue;
      }
      auto acl = EnsureCaseAcl(ctx, case_id, vpc);
      if (!acl) return MakeError(acl.error());
      isolation[vpc] = *acl;
      // The original goes on the ACL before the subnet does: a crash between the two loses nothing.
      const std::string original = Str(s, "network_acl_id");
      if (!original.empty() && original != *acl) {
        Json tag{{"Key", std::string(kNaclRestoreTagPrefix) + subnet}, {"Value", original}};
        if (auto t = ctx.Call("ec2", "CreateTags",
                              Json{{"Resources", Json::array({*acl})}, {"Tags", Json::array({tag})}});
            !t)
          return MakeError(t.error());
      }
      auto moved = MoveSubnet(ctx, subnet, *acl);
      if (!moved) return MakeError(moved.error());
      if (!moved->empty()) associations[subnet] = *moved;
    }
    ctx.detail = std::to_string((*live)["subnets"].size()) + " subnets";
    return Json{{"isolation_acls", isolation}, {"associations", associations}, {"held", held}};
  }
  Result<Json> DoUndo(StepContext& ctx, const Json& before, const Json& result) override {
    int restored = 0;
    for (const Json& s : before.value("subnets", Json::array())) {
      const std::string subnet = Str(s, "subnet_id"), recorded = Str(s, "network_acl_id");
      if (!Str(s, "held_by").empty() || recorded.empty()) continue;
      const std::string case_acl = CaseAclOf(ctx, result, Str(s, "vpc_id"));
      if (auto moved = MoveSubnet(ctx, subnet, recorded); !moved) {
        if (ctx.options->force && IsNotFoundError(moved.error())) continue;
        return MakeError(moved.error());
      }
      ForgetSubnet(ctx, case_acl, subnet);
      ++restored;
    }
    ctx.detail = std::to_string(restored) + " subnets";
    return Json{{"restored", restored}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeIsolateSubnetStep() { return std::make_unique<IsolateSubnetStep>(); }

}  // namespace cordon::response
