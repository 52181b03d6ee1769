// cleanup-terminate: the suspect goes, its volumes stay. Every attached EBS volume is set to
// survive termination first (the protect step did so at containment; this covers a volume attached
// since, or a contain run with --skip protect), because cordon never deletes evidence.
#include "response/cleanup/cleanup_steps.h"
#include "response/live_state.h"

namespace cordon::response::cleanup {
namespace {

bool Gone(const std::string& state) { return state.empty() || state == "terminated"; }

class TerminateStep : public Step {
 public:
  std::string_view name() const override { return "cleanup-terminate"; }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto instance = DescribeTargetInstance(ctx);
    if (!instance && IsNotFoundError(instance.error())) return Json{{"state", ""}};
    if (!instance) return MakeError(instance.error());
    Json volumes = Json::array();
    for (const Json& m : instance->value("BlockDeviceMappings", Json::array()))
      volumes.push_back(Json{
          {"device", m.value("DeviceName", "")},
          {"volume", Str(m.value("Ebs", Json::object()), "VolumeId")},
          {"delete_on_termination", m.value("Ebs", Json::object()).value("DeleteOnTermination", false)}});
    return Json{{"state", instance->value("State", Json::object()).value("Name", "")}, {"volumes", volumes}};
  }
  bool IsDone(StepContext&, const Json& o) override { return Gone(Str(o, "state")); }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    auto now = Observe(ctx);  // act on the volumes attached now
    if (!now) return MakeError(now.error());
    if (Gone(Str(*now, "state"))) return Json{{"terminated", ctx.target.instance_id}};
    const std::string& id = ctx.target.instance_id;
    Json keep = Json::array();
    for (const Json& v : (*now)["volumes"])
      if (v["delete_on_termination"].get<bool>())
        keep.push_back(Json{{"DeviceName", v["device"]}, {"Ebs", {{"DeleteOnTermination", false}}}});
    if (!keep.empty())
      if (auto r = ctx.Call("ec2", "ModifyInstanceAttribute",
                            Json{{"InstanceId", id}, {"BlockDeviceMappings", keep}});
          !r)
        return MakeError(r.error());
    if (auto r = ctx.Call("ec2", "ModifyInstanceAttribute",
                          Json{{"InstanceId", id}, {"DisableApiTermination", {{"Value", false}}}});
        !r)
      return MakeError(r.error());
    if (auto r = ctx.Call("ec2", "TerminateInstances", Json{{"InstanceIds", {id}}}); !r)
      return MakeError(r.error());
    if (Status s = ctx.client->Wait("ec2", "InstanceTerminated", Json{{"InstanceIds", {id}}},
                                    {.region = ctx.target.region});
        !s)
      return MakeError(s.error().kind,
                       "terminated " + id + " but it did not reach `terminated`: " + s.error().message);
    Json kept = Json::array();
    for (const Json& v : (*now)["volumes"]) kept.push_back(v["volume"]);
    ctx.detail = id + " terminated; " + std::to_string(kept.size()) + " volumes kept";
    return Json{{"terminated", id}, {"volumes_kept", kept}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeTerminateStep() { return std::make_unique<TerminateStep>(); }

}  // namespace cordon::response::cleanup
