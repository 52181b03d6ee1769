// lab up: the workstation stack (lab-stack), then its check (lab-verify, in lab_verify.cc).
#include <algorithm>

#include "response/after_effect.h"
#include "response/isolation_groups.h"
#include "response/lab/lab_account.h"
#include "response/lab/lab_state.h"
#include "response/lab/lab_steps.h"
#include "response/live_state.h"

namespace cordon::response::lab {

Result<Placement> SuspectPlacement(const StepContext& ctx) {
  Json instance;
  if (auto live = DescribeTargetInstance(ctx)) {
    instance = *live;
  } else {
    auto recorded = ctx.store->pre_state().PreState(ctx.target.instance_id);
    if (!recorded) return MakeError(recorded.error());
    if (!*recorded)
      return MakeError(ErrorKind::kNotFound, "instance " + ctx.target.instance_id +
                                                 " is gone and the case recorded no state of it");
    instance = (*recorded)->state.value("instance", Json::object());
  }
  return Placement{Str(instance, "SubnetId"),
                   Str(instance.value("Placement", Json::object()), "AvailabilityZone"),
                   Str(instance, "VpcId")};
}

Result<Lab> RequireLab(const StepContext& ctx) {
  auto lab = FindLab(ctx, CaseIdOf(ctx));
  if (!lab) return MakeError(lab.error());
  if (!*lab || (*lab)->workstation_id.empty() || (*lab)->workstation_state.empty())
    return MakeError(ErrorKind::kNotFound,
                     "case " + CaseIdOf(ctx) +
                         " has no running forensic workstation; run `cordon lab up --case " + CaseIdOf(ctx) +
                         "` first");
  return **lab;
}

namespace {

bool IsComplete(const std::string& status) {
  return status == "CREATE_COMPLETE" || status == "UPDATE_COMPLETE";
}

// Why the stack failed, from its first *_FAILED event (CloudFormation's own words).
std::string FailureReason(const StepContext& ctx, const std::string& stack) {
  auto events = ctx.Call("cloudformation", "DescribeStackEvents", Json{{"StackName", stack}});
  if (!events) return "";
  const Json list = events->value("StackEvents", Json::array());
  for (auto it = list.rbegin(); it != list.rend(); ++it)  // newest first: the oldest failure is the cause
    if (Str(*it, "ResourceStatus").find("FAILED") != std::string::npos)
      return Str(*it, "LogicalResourceId") + ": " + Str(*it, "ResourceStatusReason");
  return "";
}

class LabStackStep : public Step {
 public:
  explicit LabStackStep(LabOptions options) : options_(std::move(options)) {}
  std::string_view name() const override { return "lab-stack"; }
  bool Cycles() const override { return true; }

 protected:
  // The role is part of what is journaled: every later lab command finds the lab's account there.
  Result<Json> Observe(StepContext& ctx) override {
    LabAccount account(ctx);
    if (Status s = account.Enter(options_.forensic_account_role); !s) return MakeError(s.error());
    auto lab = FindLab(ctx, CaseIdOf(ctx));
    if (!lab) return MakeError(lab.error());
    Json o = {{"forensic_account_role", options_.forensic_account_role}, {"stack", nullptr}};
    if (!*lab) return o;
    o["stack"] = (*lab)->stack_id;
    o["status"] = (*lab)->stack_status;
    o["workstation"] = (*lab)->workstation_id;
    o["workstation_state"] = (*lab)->workstation_state;
    return o;
  }
  bool IsDone(StepContext&, const Json& o) override {
    return IsComplete(Str(o, "status")) &&
           (Str(o, "workstation_state") == "running" || Str(o, "workstation_state") == "pending");
  }
  Result<Json> DoApply(StepContext& ctx, const Json& before) override {
    LabAccount account(ctx);
    if (Status s = account.Enter(options_.forensic_account_role); !s) return MakeError(s.error());
    const std::string stack = LabStackName(CaseIdOf(ctx));
    const std::string status = Str(before, "status");
    if (!status.empty() && status != "CREATE_IN_PROGRESS" && !IsComplete(status))
      return MakeError(ErrorKind::kConflict, "the lab stack " + stack + " is " + status +
                                                 "; run `cordon lab down --case " + CaseIdOf(ctx) +
                                                 "`, then lab up again");
    if (status.empty()) {
      auto created = Create(ctx, account, stack);
      if (!created) return MakeError(created.error());
    }
    if (Status s = ctx.client->Wait("cloudformation", "StackCreateComplete", Json{{"StackName", stack}},
                                    {.region = ctx.target.region});
        !s) {
      std::string why = FailureReason(ctx, stack);
      return MakeError(s.error().kind, "the lab stack " + stack + " did not come up" +
                                           (why.empty() ? ": " + s.error().message : ": " + why));
    }
    auto lab = RequireLab(ctx);
    if (!lab) return MakeError(lab.error());
    if (Status s = ctx.client->Wait("ec2", "InstanceRunning", Json{{"InstanceIds", {lab->workstation_id}}},
                                    {.region = ctx.target.region});
        !s)
      return MakeError(s.error());
    ctx.detail = "workstation " + lab->workstation_id + " in " + lab->availability_zone;
    return Json{{"stack", lab->stack_id},
                {"workstation", lab->workstation_id},
                {"lab_group", lab->lab_group_id},
                {"subnet", lab->subnet_id},
                {"availability_zone", lab->availability_zone}};
  }

 private:
  // The workstation's subnet: in the suspect's VPC and AZ, or the --subnet given in the forensic
  // account (the copied snapshots become volumes in any AZ there). Returns {subnet, vpc}.
  Result<std::pair<std::string, std::string>> WorkstationSubnet(StepContext& ctx, LabAccount& account) {
    if (account.cross_account()) {
      if (options_.subnet.empty())
        return MakeError(ErrorKind::kInvalidArgument,
                         "a lab in the forensic account needs --subnet: a subnet of that account's VPC");
      auto subnets = ctx.Call("ec2", "DescribeSubnets", Json{{"SubnetIds", {options_.subnet}}});
      if (!subnets) return MakeError(subnets.error());
      return std::pair{options_.subnet, Str(FirstOf(*subnets, "Subnets"), "VpcId")};
    }
    auto placement = SuspectPlacement(ctx);
    if (!placement) return MakeError(placement.error());
    std::string subnet = options_.subnet.empty() ? placement->subnet_id : options_.subnet;
    auto subnets = ctx.Call("ec2", "DescribeSubnets", Json{{"SubnetIds", {subnet}}});
    if (!subnets) return MakeError(subnets.error());
    const Json s = FirstOf(*subnets, "Subnets");
    if (Str(s, "VpcId") != placement->vpc_id || Str(s, "AvailabilityZone") != placement->availability_zone)
      return MakeError(ErrorKind::kInvalidArgument,
                       "subnet " + subnet + " is in " + Str(s, "VpcId") + " " + Str(s, "AvailabilityZone") +
                           "; the workstation must be in the suspect's VPC and AZ (" + placement->vpc_id +
                           " " + placement->availability_zone + ")");
    return std::pair{subnet, placement->vpc_id};
  }

  Result<Json> Create(StepContext& ctx, LabAccount& account, const std::string& stack) {
    if (options_.ami.empty())
      return MakeError(ErrorKind::kInvalidArgument,
                       "lab up needs the workstation's AMI: pass --ami ami-... (a forensic image you trust)");
    auto where = WorkstationSubnet(ctx, account);
    if (!where) return MakeError(where.error());
    const auto& [subnet, vpc] = *where;
    auto images = ctx.Call("ec2", "DescribeImages", Json{{"ImageIds", {options_.ami}}});
    if (!images) return MakeError(images.error());
    std::string root = Str(FirstOf(*images, "Images"), "RootDeviceName");
    Json params = Json::array();
    auto param = [&](const char* key, const std::string& value) {
      if (!value.empty()) params.push_back(Json{{"ParameterKey", key}, {"ParameterValue", value}});
    };
    param("CaseId", CaseIdOf(ctx));
    param("VpcId", vpc);
    param("SubnetId", subnet);
    param("ImageId", options_.ami);
    param("InstanceType", options_.instance_type);
    param("RootDeviceName", root);
    if (!options_.evidence_bucket.empty()) {
      std::string prefix = options_.evidence_prefix.empty() ? "" : options_.evidence_prefix + "/";
      param("EvidenceObjectsArn",
            "arn:aws:s3:::" + options_.evidence_bucket + "/" + prefix + CaseIdOf(ctx) + "/*");
    }
    // Only the case tag on the stack: stack tags propagate to every resource, and the resources'
    // own cordon:role (lab / forensic-workstation) must not be overridden.
    // A repeat after the stack was created (the answer lost, the client retried) is refused with
    // AlreadyExistsException: done when the stack of that name is this case's (FindLab refuses
    // another case's). No ClientRequestToken: a lab brought down and up again reuses the stack name,
    // and a token tied to the name would make CloudFormation answer for the deleted stack.
    return AcceptAfterEffect(
        ctx.Call("cloudformation", "CreateStack",
                 Json{{"StackName", stack},
                      {"TemplateBody", std::string(WorkstationTemplate())},
                      {"Parameters", params},
                      {"Capabilities", {"CAPABILITY_IAM"}},
                      {"OnFailure", "ROLLBACK"},
                      {"Tags", Json::array({Json{{"Key", "cordon:case"}, {"Value", CaseIdOf(ctx)}}})}}),
        {"AlreadyExistsException"}, [&]() -> Result<bool> {
          auto lab = FindLab(ctx, CaseIdOf(ctx));
          if (!lab) return MakeError(lab.error());
          return lab->has_value() && !(*lab)->stack_id.empty();
        });
  }

  LabOptions options_;
};

}  // namespace

std::unique_ptr<Step> MakeLabStackStep(const LabOptions& options) {
  return std::make_unique<LabStackStep>(options);
}

}  // namespace cordon::response::lab
