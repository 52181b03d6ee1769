// isolate-subnet (opt-in: contain --nacl): every subnet of the instance's ENIs is associated with
// cordon-nacl-isolation-<vpc>, a network ACL that denies all traffic in and out (subnet_nacl.h).
// Unlike the security groups it is stateless, so it cuts tracked connections at once, but it cuts
// off every other interface in those subnets too: contain names them before it asks. The before
// records each subnet's network ACL; release puts it back. A subnet already on cordon's network ACL
// (another target there was isolated first) records that one, so only the first target's release
// gives the subnet its own network ACL back.
#include <string>

#include "response/live_state.h"
#include "response/steps/steps.h"
#include "response/subnet_nacl.h"

namespace cordon::response {
namespace {

class IsolateSubnetStep : public Step {
 public:
  std::string_view name() const override { return "isolate-subnet"; }
  bool undoable() const override { return true; }
  // The network ACL is on the subnet, not the instance: a terminated suspect must not leave its
  // neighbours cut off.
  bool UndoWhenInstanceGone() const override { return true; }

  // Reconcilable: a subnet on cordon's network ACL, or already back on its recorded one (taken out
  // of the undo). Not: the subnet or its recorded network ACL deleted (skipped), another network ACL
  // put on it by someone else (overridden).
  Status AssessDrift(StepContext& ctx, const LiveState&, Json* undo, DriftFindings* f) override {
    Json& before = (*undo)["before"];
    const Json result = undo->value("result", Json::object());
    const Json isolation = result.value("isolation_acls", Json::object());
    Json kept = Json::array();
    for (const Json& s : before.value("subnets", Json::array())) {
      const std::string subnet = Str(s, "subnet_id"), recorded = Str(s, "network_acl_id");
      auto now = SubnetAssociation(ctx, subnet);
      if (!now) {
        if (!IsNotFoundError(now.error())) return MakeError(now.error());
        f->Skip(name(), "subnet " + subnet + " no longer exists");
        continue;
      }
      if (now->network_acl_id == recorded) continue;  // already back
      auto exists = ctx.CallAll("ec2", "DescribeNetworkAcls", Filters("network-acl-id", {recorded}));
      if (!exists) return MakeError(exists.error());
      if (exists->value("NetworkAcls", Json::array()).empty()) {
        f->Skip(name(), "subnet " + subnet + " recorded network ACL " + recorded + " no longer exists");
        continue;
      }
      if (now->network_acl_id != Str(isolation, Str(s, "vpc_id").c_str()))
        f->Override(name(), "subnet " + subnet +
                                " network ACL changed by someone else since containment: now " +
                                now->network_acl_id + ", recorded " + recorded);
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
      auto acl = SubnetAssociation(ctx, subnet);
      if (!acl) return MakeError(acl.error());
      subnets.push_back(
          Json{{"subnet_id", subnet}, {"vpc_id", Str(e, "VpcId")}, {"network_acl_id", acl->network_acl_id}});
    }
    return Json{{"subnets", subnets}};
  }
  bool IsDone(StepContext& ctx, const Json& o) override {
    if (o["subnets"].empty()) return false;
    for (const Json& s : o["subnets"]) {
      auto acl = FindIsolationAcl(ctx, Str(s, "vpc_id"));
      if (!acl || acl->empty() || *acl != Str(s, "network_acl_id")) return false;
    }
    return true;
  }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    auto live = Observe(ctx);
    if (!live) return MakeError(live.error());
    if ((*live)["subnets"].empty()) return MakeError(ErrorKind::kConflict, "the instance is in no subnet");
    Json isolation = Json::object();
    for (const Json& s : (*live)["subnets"]) {
      const std::string vpc = Str(s, "vpc_id");
      auto acl = EnsureIsolationAcl(ctx, vpc);
      if (!acl) return MakeError(acl.error());
      isolation[vpc] = *acl;
      if (Status a = AssociateAcl(ctx, Str(s, "subnet_id"), *acl); !a) return MakeError(a.error());
    }
    ctx.detail = std::to_string((*live)["subnets"].size()) + " subnets";
    return Json{{"isolation_acls", isolation}};
  }
  Result<Json> DoUndo(StepContext& ctx, const Json& before, const Json&) override {
    int restored = 0;
    for (const Json& s : before.value("subnets", Json::array())) {
      if (Status a = AssociateAcl(ctx, Str(s, "subnet_id"), Str(s, "network_acl_id")); !a) {
        if (ctx.options->force && IsNotFoundError(a.error())) continue;
        return MakeError(a.error());
      }
      ++restored;
    }
    ctx.detail = std::to_string(restored) + " subnets";
    return Json{{"restored", restored}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeIsolateSubnetStep() { return std::make_unique<IsolateSubnetStep>(); }

}  // namespace cordon::response
