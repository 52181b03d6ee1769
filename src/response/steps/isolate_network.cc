// isolate-network: per ENI, never only ModifyInstanceAttribute(Groups) (rule 3). Each ENI moves
// first to cordon-untrack-<vpc> (all open: existing flows become untracked), then to
// cordon-isolation-<vpc>. The before records each ENI's original groups for release. A primary
// ENI in [isolation, cordon-ssm-reach-<vpc>] is isolated with a memory capture running
// (capture_memory.cc): it counts as isolated and is left as it is.
#include "response/isolation_groups.h"
#include "response/live_state.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

class IsolateNetworkStep : public Step {
 public:
  std::string_view name() const override { return "isolate-network"; }
  bool undoable() const override { return true; }

  Status CheckDrift(StepContext& ctx, const Json& done) override {
    auto live = Observe(ctx);
    if (!live) return MakeError(live.error());
    const Json isolation = done.value("result", Json::object()).value("isolation_groups", Json::object());
    for (const Json& eni : done.value("before", Json::object()).value("enis", Json::array())) {
      const Json* now = nullptr;
      for (const Json& e : (*live)["enis"])
        if (e["id"] == eni["id"]) now = &e;
      if (now == nullptr)
        return MakeError(ErrorKind::kConflict,
                         "the ENI " + Str(eni, "id") + " is no longer attached to the instance");
      std::string iso = Str(isolation, Str(eni, "vpc_id").c_str());
      bool isolated = (*now)["groups"].size() == 1 && (*now)["groups"][0] == iso;
      if (!isolated && (*now)["groups"] != eni["groups"])
        return MakeError(ErrorKind::kConflict, "the groups of " + Str(eni, "id") +
                                                   " are no longer cordon's isolation group " + iso +
                                                   " (now " + (*now)["groups"].dump() + ")");
    }
    return Ok();
  }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto enis = DescribeTargetEnis(ctx);
    if (!enis) return MakeError(enis.error());
    Json out = Json::array();
    for (const Json& e : *enis)
      out.push_back(
          Json{{"id", Str(e, "NetworkInterfaceId")},
               {"vpc_id", Str(e, "VpcId")},
               {"groups", GroupIdsWithoutSsmReach(e)},
               {"primary", e.contains("Attachment") && e["Attachment"].value("DeviceIndex", -1) == 0}});
    return Json{{"enis", out}};
  }
  bool IsDone(StepContext& ctx, const Json& o) override {
    if (o["enis"].empty()) return false;
    for (const Json& e : o["enis"]) {
      auto g = FindIsolationGroups(ctx, Str(e, "vpc_id"));
      if (!g || g->isolation_id.empty()) return false;
      if (e["groups"].size() != 1 || e["groups"][0] != g->isolation_id) return false;
    }
    return true;
  }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    auto live = Observe(ctx);
    if (!live) return MakeError(live.error());
    if ((*live)["enis"].empty())
      return MakeError(ErrorKind::kConflict, "the instance has no network interfaces to isolate");
    Json untrack = Json::object(), isolation = Json::object();
    for (const Json& e : (*live)["enis"]) {
      std::string vpc = Str(e, "vpc_id");
      auto g = EnsureIsolationGroups(ctx, vpc, ctx.options->allow_from);
      if (!g) return MakeError(g.error());
      untrack[vpc] = g->untrack_id;
      isolation[vpc] = g->isolation_id;
      if (e["groups"].size() == 1 && e["groups"][0] == g->isolation_id) continue;  // done before a crash
      for (const std::string& group : {g->untrack_id, g->isolation_id}) {
        auto r = ctx.Call("ec2", "ModifyNetworkInterfaceAttribute",
                          Json{{"NetworkInterfaceId", e["id"]}, {"Groups", {group}}});
        if (!r) return MakeError(r.error());
      }
      // ModifyInstanceAttribute(Groups) sets the primary interface's groups: on AWS it repeats what
      // the per-ENI calls did; moto, which reports the instance's groups on every ENI, needs it as
      // well. Only for an ENI moved now: one already isolated may have a capture's ssm-reach group.
      if (!e.value("primary", false)) continue;
      auto r = ctx.Call("ec2", "ModifyInstanceAttribute",
                        Json{{"InstanceId", ctx.target.instance_id}, {"Groups", {g->isolation_id}}});
      if (!r) return MakeError(r.error());
    }
    ctx.detail = std::to_string((*live)["enis"].size()) + " ENIs";
    return Json{{"untrack_groups", untrack},
                {"isolation_groups", isolation},
                {"allow_from", ctx.options->allow_from}};
  }
  Result<Json> DoUndo(StepContext& ctx, const Json& before, const Json&) override {
    int restored = 0;
    for (const Json& e : before.value("enis", Json::array())) {
      auto r = ctx.Call("ec2", "ModifyNetworkInterfaceAttribute",
                        Json{{"NetworkInterfaceId", e["id"]}, {"Groups", e["groups"]}});
      if (!r) {
        if (ctx.options->force && IsNotFoundError(r.error())) continue;
        return MakeError(r.error());
      }
      ++restored;
      if (e.value("primary", false)) {  // see DoApply: the instance's groups are the primary ENI's
        auto i = ctx.Call("ec2", "ModifyInstanceAttribute",
                          Json{{"InstanceId", ctx.target.instance_id}, {"Groups", e["groups"]}});
        if (!i) return MakeError(i.error());
      }
    }
    ctx.detail = std::to_string(restored) + " ENIs";
    return Json{{"restored", restored}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeIsolateNetworkStep() { return std::make_unique<IsolateNetworkStep>(); }

}  // namespace cordon::response
