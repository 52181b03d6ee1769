// protect: termination protection on, shutdown behaviour "stop", DeleteOnTermination off on every
// EBS volume, so neither a mistaken terminate nor a shutdown from inside destroys the evidence.
#include "response/fleet_state.h"
#include "response/live_state.h"
#include "response/steps/steps.h"

namespace cordon::response {
namespace {

Result<Json> ReadAttribute(StepContext& ctx, const char* attribute, const char* member) {
  auto out = ctx.Call("ec2", "DescribeInstanceAttribute",
                      Json{{"InstanceId", ctx.target.instance_id}, {"Attribute", attribute}});
  if (!out) return MakeError(out.error());
  return out->value(member, Json::object()).value("Value", Json());
}

class ProtectStep : public Step {
 public:
  std::string_view name() const override { return "protect"; }
  bool undoable() const override { return true; }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    // Only this step changes the attributes and DeleteOnTermination: the fleet read is live state.
    const TargetState* f = FleetTarget(ctx);
    const bool fleet = f != nullptr && f->attributes && f->attributes->contains("disableApiTermination") &&
                       f->attributes->contains("instanceInitiatedShutdownBehavior");
    auto instance = f != nullptr ? Result<Json>(*f->instance) : DescribeTargetInstance(ctx);
    if (!instance) return MakeError(instance.error());
    auto term = fleet ? Result<Json>((*f->attributes)["disableApiTermination"])
                      : ReadAttribute(ctx, "disableApiTermination", "DisableApiTermination");
    if (!term) return MakeError(term.error());
    auto shutdown =
        fleet ? Result<Json>((*f->attributes)["instanceInitiatedShutdownBehavior"])
              : ReadAttribute(ctx, "instanceInitiatedShutdownBehavior", "InstanceInitiatedShutdownBehavior");
    if (!shutdown) return MakeError(shutdown.error());
    Json volumes = Json::array();
    for (const Json& m : instance->value("BlockDeviceMappings", Json::array())) {
      if (!m.contains("Ebs")) continue;
      volumes.push_back(Json{{"device", Str(m, "DeviceName")},
                             {"volume_id", Str(m["Ebs"], "VolumeId")},
                             {"delete_on_termination", m["Ebs"].value("DeleteOnTermination", false)}});
    }
    return Json{{"disable_api_termination", *term}, {"shutdown_behavior", *shutdown}, {"volumes", volumes}};
  }
  bool IsDone(StepContext&, const Json& o) override {
    if (o["disable_api_termination"] != true || o["shutdown_behavior"] != "stop") return false;
    for (const Json& v : o["volumes"])
      if (v["delete_on_termination"] == true) return false;
    return true;
  }
  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    return Set(ctx, true, "stop", before["volumes"], false);
  }
  Result<Json> DoUndo(StepContext& ctx, const Json& before, const Json&) override {
    Json volumes = Json::array();
    for (const Json& v : before["volumes"])
      if (v["delete_on_termination"] == true) volumes.push_back(v);
    return Set(ctx, before["disable_api_termination"] == true, Str(before, "shutdown_behavior"), volumes,
               true);
  }

 private:
  Result<Json> Set(StepContext& ctx, bool protect, const std::string& shutdown, const Json& volumes,
                   bool dot) {
    const std::string& id = ctx.target.instance_id;
    auto a = ctx.Call("ec2", "ModifyInstanceAttribute",
                      Json{{"InstanceId", id}, {"DisableApiTermination", {{"Value", protect}}}});
    if (!a) return MakeError(a.error());
    if (!shutdown.empty()) {
      // The Attribute/Value form: moto ignores InstanceInitiatedShutdownBehavior={Value}; AWS takes both.
      auto b = ctx.Call(
          "ec2", "ModifyInstanceAttribute",
          Json{{"InstanceId", id}, {"Attribute", "instanceInitiatedShutdownBehavior"}, {"Value", shutdown}});
      if (!b) return MakeError(b.error());
    }
    Json mappings = Json::array();
    for (const Json& v : volumes)
      mappings.push_back(Json{{"DeviceName", v["device"]}, {"Ebs", {{"DeleteOnTermination", dot}}}});
    if (!mappings.empty()) {
      auto c = ctx.Call("ec2", "ModifyInstanceAttribute",
                        Json{{"InstanceId", id}, {"BlockDeviceMappings", mappings}});
      if (!c) return MakeError(c.error());
    }
    ctx.detail = std::to_string(mappings.size()) + " volumes";
    return Json{
        {"disable_api_termination", protect}, {"shutdown_behavior", shutdown}, {"volumes_changed", mappings}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeProtectStep() { return std::make_unique<ProtectStep>(); }

}  // namespace cordon::response
