#include "automation/deploy.h"

#include "automation/automation_template.h"
#include "response/lab/lab_state.h"
#include "response/live_state.h"

namespace cordon::automation {
namespace {

// The stack, or null when there is none of that name.
Result<Json> Describe(aws::Client& client, const std::string& stack) {
  auto out = client.Call("cloudformation", "DescribeStacks", Json{{"StackName", stack}});
  if (!out) return response::lab::IsMissingStack(out.error()) ? Result<Json>(Json()) : MakeError(out.error());
  Json stacks = out->value("Stacks", Json::array());
  return stacks.empty() ? Json() : stacks[0];
}

Deployed FromStack(const Json& s, bool created) {
  Deployed d;
  d.stack_id = Str(s, "StackId");
  d.status = Str(s, "StackStatus");
  d.created = created;
  for (const Json& o : s.value("Outputs", Json::array()))
    d.outputs[Str(o, "OutputKey")] = Str(o, "OutputValue");
  return d;
}

Status Create(aws::Client& client, const std::string& stack,
              const std::map<std::string, std::string>& parameters) {
  Json params = Json::array();
  for (const auto& [k, v] : parameters) params.push_back(Json{{"ParameterKey", k}, {"ParameterValue", v}});
  auto out = client.Call("cloudformation", "CreateStack",
                         Json{{"StackName", stack},
                              {"TemplateBody", std::string(AutomationTemplate())},
                              {"Parameters", params},
                              {"Tags", {{{"Key", "cordon:managed"}, {"Value", "true"}}}}});
  if (!out) return MakeError(out.error());
  return Ok();
}

}  // namespace

Result<Deployed> DeployAutomation(aws::Client& client, const std::string& stack,
                                  const std::map<std::string, std::string>& parameters) {
  auto found = Describe(client, stack);
  if (!found) return MakeError(found.error());
  bool created = false, wait = true;
  if (found->is_null()) {
    if (auto s = Create(client, stack, parameters); !s) return MakeError(s.error());
    created = true;
  } else if (std::string status = Str(*found, "StackStatus");
             status != "CREATE_COMPLETE" && status != "UPDATE_COMPLETE" && status != "CREATE_IN_PROGRESS") {
    return MakeError(ErrorKind::kConflict, "stack " + stack + " is " + status +
                                               "; delete it (or pick another --stack) and deploy again");
  } else {
    wait = status == "CREATE_IN_PROGRESS";
  }
  if (Status s =
          wait ? client.Wait("cloudformation", "StackCreateComplete", Json{{"StackName", stack}}) : Ok();
      !s)
    return WithContext(s.error(), "stack " + stack + " did not complete");
  auto now = Describe(client, stack);
  if (!now) return MakeError(now.error());
  if (now->is_null())
    return MakeError(ErrorKind::kNotFound, "stack " + stack + " vanished after it was created");
  return FromStack(*now, created);
}

}  // namespace cordon::automation
