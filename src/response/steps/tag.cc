// tag: marks the instance as quarantined under the case, so every responder (and automation)
// sees it: incident-response=quarantine:<CASE>, cordon:case=<CASE>, cordon:responder=<NAME>.
// Release sets incident-response=released:<CASE> (the case tags stay, as a record) and removes the
// case's cordon:claim:<CASE> tag, and refuses a target whose cordon:case now names another case.
// Tagging also removes every other case's claim tag: it runs only after this case won the claim
// (response/instance_claim.h), so those are leftovers of a take-over, a released case or a loser of
// the race (docs/concurrency.md).
#include "response/fleet_state.h"
#include "response/instance_claim.h"
#include "response/live_state.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

const char* const kKeys[] = {"incident-response", "cordon:case", "cordon:responder"};

class TagStep : public Step {
 public:
  std::string_view name() const override { return "tag"; }
  bool undoable() const override { return true; }

  // Held: the instance's cordon:case tag names another case, which contained it after this one.
  // Releasing it here would undo that case's containment, so it is refused even with --force.
  // Not checked when DescribeInstances was refused (live.instance null).
  Status AssessDrift(StepContext& ctx, const LiveState& live, Json*, DriftFindings* f) override {
    if (!live.instance.is_object()) return Ok();
    std::string holder = TagValue(live.instance.value("Tags", Json::array()), "cordon:case");
    if (!holder.empty() && holder != ctx.options->case_id)
      f->Hold(name(), "instance " + ctx.target.instance_id + " is now held by case " + holder +
                          "; release it from that case");
    return Ok();
  }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    // The fleet read comes after the claims, and only this step changes these three tags: it is the
    // live state. The read after the write below stays live (a claim written meanwhile).
    const TargetState* f = FleetTarget(ctx);
    auto instance = f != nullptr ? Result<Json>(*f->instance) : DescribeTargetInstance(ctx);
    if (!instance) return MakeError(instance.error());
    Json tags = Json::object();
    Json all = instance->value("Tags", Json::array());
    for (const char* key : kKeys) {
      std::string v = TagValue(all, key);
      bool present = false;
      for (const Json& t : all) present = present || Str(t, "Key") == key;
      tags[key] = present ? Json(v) : Json();
    }
    return Json{{"tags", tags}};
  }
  bool IsDone(StepContext& ctx, const Json& observed) override {
    const Json& t = observed["tags"];
    return t["incident-response"] == "quarantine:" + ctx.options->case_id &&
           t["cordon:case"] == ctx.options->case_id;
  }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    Json tags =
        Json::array({Json{{"Key", "incident-response"}, {"Value", "quarantine:" + ctx.options->case_id}},
                     Json{{"Key", "cordon:case"}, {"Value", ctx.options->case_id}},
                     Json{{"Key", "cordon:responder"}, {"Value", ctx.options->responder}}});
    auto out = ctx.Call("ec2", "CreateTags", Json{{"Resources", {ctx.target.instance_id}}, {"Tags", tags}});
    if (!out) return MakeError(out.error());
    // Read after the write, so a claim written meanwhile is seen (and goes) too.
    auto instance = DescribeTargetInstance(ctx);
    if (!instance) return MakeError(instance.error());
    Json others = Json::array();
    const std::string own = std::string(kClaimTagPrefix) + ctx.options->case_id;
    for (const Json& t : instance->value("Tags", Json::array())) {
      std::string key = Str(t, "Key");
      if (key.rfind(kClaimTagPrefix, 0) == 0 && key != own) others.push_back(Json{{"Key", key}});
    }
    Json result{{"tags", tags}};
    if (!others.empty()) {
      auto del =
          ctx.Call("ec2", "DeleteTags", Json{{"Resources", {ctx.target.instance_id}}, {"Tags", others}});
      if (!del) return MakeError(del.error());
      result["removed_claims"] = others;
    }
    return result;
  }
  Result<Json> DoUndo(StepContext& ctx, const Json&, const Json&) override {
    Json tags =
        Json::array({Json{{"Key", "incident-response"}, {"Value", "released:" + ctx.options->case_id}}});
    auto out = ctx.Call("ec2", "CreateTags", Json{{"Resources", {ctx.target.instance_id}}, {"Tags", tags}});
    if (!out) return MakeError(out.error());
    // After released:<CASE> (which already makes the claim stale), so a failure here leaves no doubt.
    Json claim = Json::array({Json{{"Key", std::string(kClaimTagPrefix) + ctx.options->case_id}}});
    auto del = ctx.Call("ec2", "DeleteTags", Json{{"Resources", {ctx.target.instance_id}}, {"Tags", claim}});
    if (!del) return MakeError(del.error());
    return Json{{"tags", tags}, {"removed_claims", claim}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeTagStep() { return std::make_unique<TagStep>(); }

}  // namespace cordon::response
