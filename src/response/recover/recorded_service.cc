#include "response/isolation_groups.h"
#include "response/live_state.h"
#include "response/recover/recover_steps.h"

namespace cordon::response::recover {

Result<RecordedService> ReadRecordedService(const StepContext& ctx) {
  auto recorded = ctx.store->pre_state().PreState(ctx.target.instance_id);
  if (!recorded) return MakeError(recorded.error());
  if (!*recorded)
    return MakeError(ErrorKind::kNotFound, "case " + CaseIdOf(ctx) + " recorded no state of " +
                                               ctx.target.instance_id + "; run contain first");
  const Json& state = (*recorded)->state;
  RecordedService s;
  s.instance = state.value("instance", Json::object());
  if (state["auto_scaling"].is_object())
    s.auto_scaling_group = Str(state["auto_scaling"], "AutoScalingGroupName");
  if (state["classic_load_balancers"].is_array()) s.classic_load_balancers = state["classic_load_balancers"];
  if (state["target_groups"].is_array()) s.target_groups = state["target_groups"];
  if (state.contains("load_balancers"))  // contain could not read them: recover cannot check them
    return MakeError(ErrorKind::kConflict, "contain could not record the suspect's load balancers (" +
                                               state["load_balancers"].dump() + "); check them by hand");
  return s;
}

Result<std::optional<Json>> FindReplacement(const StepContext& ctx) {
  Json input = Filters("tag:cordon:replaces", {ctx.target.instance_id});
  input["Filters"].push_back(Json{{"Name", "tag:cordon:case"}, {"Values", {CaseIdOf(ctx)}}});
  input["Filters"].push_back(Json{{"Name", "instance-state-name"}, {"Values", {"pending", "running"}}});
  auto out = ctx.CallAll("ec2", "DescribeInstances", input);
  if (!out) return MakeError(out.error());
  for (const Json& r : out->value("Reservations", Json::array()))
    for (const Json& i : r.value("Instances", Json::array())) return std::optional<Json>(i);
  return std::optional<Json>();
}

}  // namespace cordon::response::recover
