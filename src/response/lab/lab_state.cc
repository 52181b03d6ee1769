// Finding the case's lab again: by its stack's name, else by its tags (DESIGN.md rule 10), and what
// of it is left after lab down.
#include "response/lab/lab_state.h"

#include <cctype>

#include "response/lab/lab_account.h"
#include "response/lab/lab_share.h"
#include "response/live_state.h"

namespace cordon::response::lab {

std::string LabStackName(const std::string& case_id) {
  std::string name = "cordon-lab-";
  for (char c : case_id) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return name;
}

Json FirstOf(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_array() || j[key].empty()) return Json::object();
  return j[key][0];
}

// CloudFormation answers DescribeStacks for a missing stack with a ValidationError, not a NotFound.
bool IsMissingStack(const Error& e) {
  return e.code == "ValidationError" && e.message.find("does not exist") != std::string::npos;
}

Result<Json> DescribeStack(const StepContext& ctx, const std::string& case_id) {
  auto out = ctx.Call("cloudformation", "DescribeStacks", Json{{"StackName", LabStackName(case_id)}});
  if (!out) return IsMissingStack(out.error()) ? Result<Json>(Json()) : MakeError(out.error());
  Json stacks = out->value("Stacks", Json::array());
  if (stacks.empty()) return Json();
  return stacks[0];
}

Json CaseRoleFilters(const std::string& case_id, const std::vector<std::string>& roles) {
  return Json::array({Json{{"Name", "tag:cordon:case"}, {"Values", {case_id}}},
                      Json{{"Name", "tag:" + std::string(kRoleTag)}, {"Values", roles}}});
}

Result<Json> FindWorkstations(const StepContext& ctx, const std::string& case_id) {
  Json filters = CaseRoleFilters(case_id, {std::string(kWorkstationRole)});
  filters.push_back(
      Json{{"Name", "instance-state-name"}, {"Values", {"pending", "running", "stopping", "stopped"}}});
  auto out = ctx.CallAll("ec2", "DescribeInstances", Json{{"Filters", filters}});
  if (!out) return MakeError(out.error());
  Json instances = Json::array();
  for (const Json& r : out->value("Reservations", Json::array()))
    for (const Json& i : r.value("Instances", Json::array())) instances.push_back(i);
  return instances;
}

namespace {

std::string Output(const Json& stack, const char* key) {
  for (const Json& o : stack.value("Outputs", Json::array()))
    if (Str(o, "OutputKey") == key) return Str(o, "OutputValue");
  return "";
}

void FillFromInstance(const Json& instance, Lab* lab) {
  lab->workstation_id = Str(instance, "InstanceId");
  lab->workstation_state = Str(instance.value("State", Json::object()), "Name");
  lab->vpc_id = Str(instance, "VpcId");
  lab->subnet_id = Str(instance, "SubnetId");
  lab->availability_zone = Str(instance.value("Placement", Json::object()), "AvailabilityZone");
}

}  // namespace

Result<std::optional<Lab>> FindLab(const StepContext& ctx, const std::string& case_id) {
  auto stack = DescribeStack(ctx, case_id);
  if (!stack) return MakeError(stack.error());
  Lab lab;
  if (!stack->is_null()) {
    std::string owner = TagValue(stack->value("Tags", Json::array()), "cordon:case");
    if (owner != case_id)
      return MakeError(ErrorKind::kConflict, "the stack " + LabStackName(case_id) + " is case " +
                                                 (owner.empty() ? "(untagged)" : owner) + "'s, not " +
                                                 case_id + "'s; delete it or use another case id");
    lab.stack_id = Str(*stack, "StackId");
    lab.stack_status = Str(*stack, "StackStatus");
    lab.workstation_id = Output(*stack, "WorkstationId");
    lab.lab_group_id = Output(*stack, "LabGroupId");
  }
  auto workstations = FindWorkstations(ctx, case_id);
  if (!workstations) return MakeError(workstations.error());
  for (const Json& w : *workstations)
    if (lab.workstation_id.empty() || Str(w, "InstanceId") == lab.workstation_id) {
      FillFromInstance(w, &lab);
      break;
    }
  if (lab.stack_id.empty() && lab.workstation_state.empty()) return std::optional<Lab>();
  return std::optional<Lab>(lab);
}

namespace {

// What is left in the lab's account (the suspect's, or the forensic one).
Result<std::vector<std::string>> AccountLeftovers(const StepContext& ctx, const std::string& case_id) {
  std::vector<std::string> left;
  auto stack = DescribeStack(ctx, case_id);
  if (!stack) return MakeError(stack.error());
  if (!stack->is_null() && Str(*stack, "StackStatus") != "DELETE_COMPLETE")
    left.push_back("stack " + LabStackName(case_id) + " (" + Str(*stack, "StackStatus") + ")");
  const std::vector<std::string> roles = {std::string(kLabRole), std::string(kWorkstationRole)};
  auto instances =
      ctx.CallAll("ec2", "DescribeInstances", Json{{"Filters", CaseRoleFilters(case_id, roles)}});
  if (!instances) return MakeError(instances.error());
  for (const Json& r : instances->value("Reservations", Json::array()))
    for (const Json& i : r.value("Instances", Json::array()))
      if (Str(i.value("State", Json::object()), "Name") != "terminated")
        left.push_back("instance " + Str(i, "InstanceId"));
  auto volumes = ctx.CallAll("ec2", "DescribeVolumes", Json{{"Filters", CaseRoleFilters(case_id, roles)}});
  if (!volumes) return MakeError(volumes.error());
  for (const Json& v : volumes->value("Volumes", Json::array()))
    left.push_back("volume " + Str(v, "VolumeId") + " (" + Str(v, "State") + ")");
  auto groups =
      ctx.CallAll("ec2", "DescribeSecurityGroups", Json{{"Filters", CaseRoleFilters(case_id, roles)}});
  if (!groups) return MakeError(groups.error());
  for (const Json& g : groups->value("SecurityGroups", Json::array()))
    left.push_back("security-group " + Str(g, "GroupId"));
  return left;
}

}  // namespace

Result<std::vector<std::string>> LabLeftovers(const StepContext& ctx, const std::string& case_id) {
  StepContext c = ctx;  // LabAccount switches a context's client
  LabAccount account(c);
  if (Status s = account.EnterRecorded(); !s) return MakeError(s.error());
  auto left = AccountLeftovers(c, case_id);
  if (!left) return MakeError(left.error());
  auto sharing = account.InSuspectAccount([&] { return SharingLeftovers(c); });
  if (!sharing) return MakeError(sharing.error());
  left->insert(left->end(), sharing->begin(), sharing->end());
  return left;
}

}  // namespace cordon::response::lab
