// recover-relaunch: a standalone suspect's replacement, from its last-known-good configuration as
// contain recorded it: the launch template and version it came from (its aws:ec2launchtemplate:*
// tags), plus the recorded AMI, type, subnet, groups, instance profile, key pair, IMDS setting and
// tags, which override the template where it says otherwise. Never the suspect's volumes or its user
// data: both are what the attacker may have changed. Tagged cordon:replaces=<suspect> so a rerun
// finds it; the client token makes a retried RunInstances launch one instance.
#include "base/hash.h"
#include "base/strings.h"
#include "response/isolation_groups.h"
#include "response/live_state.h"
#include "response/recover/recover_steps.h"

namespace cordon::response::recover {
namespace {

// The recorded tags a replacement carries: the owner's, not AWS's or cordon's.
Json ReplacementTags(const StepContext& ctx, const Json& instance) {
  Json tags = Json::array();
  for (const Json& t : instance.value("Tags", Json::array())) {
    const std::string key = Str(t, "Key");
    if (StartsWith(key, "aws:") || StartsWith(key, "cordon:")) continue;
    tags.push_back(t);
  }
  tags.push_back(Json{{"Key", "cordon:case"}, {"Value", CaseIdOf(ctx)}});
  tags.push_back(Json{{"Key", "cordon:replaces"}, {"Value", ctx.target.instance_id}});
  tags.push_back(Json{{"Key", "cordon:role"}, {"Value", "replacement"}});
  return tags;
}

// The groups the suspect's primary interface had before containment.
Json RecordedGroups(const Json& instance) {
  Json ids = Json::array();
  for (const Json& eni : instance.value("NetworkInterfaces", Json::array()))
    if (eni.value("Attachment", Json::object()).value("DeviceIndex", -1) == 0)
      for (const Json& g : eni.value("Groups", Json::array())) ids.push_back(g["GroupId"]);
  if (ids.empty())
    for (const Json& g : instance.value("SecurityGroups", Json::array())) ids.push_back(g["GroupId"]);
  return ids;
}

Json RunInstancesInput(const StepContext& ctx, const Json& instance) {
  Json in = {
      {"MinCount", 1},
      {"MaxCount", 1},
      {"ImageId", instance.value("ImageId", "")},
      {"InstanceType", instance.value("InstanceType", "")},
      {"SubnetId", instance.value("SubnetId", "")},
      {"SecurityGroupIds", RecordedGroups(instance)},
      {"TagSpecifications",
       Json::array({Json{{"ResourceType", "instance"}, {"Tags", ReplacementTags(ctx, instance)}}})},
      // Idempotency token: the same for every attempt of this case's relaunch of this suspect.
      {"ClientToken", "cordon-" + Sha256Hex(CaseIdOf(ctx) + "/" + ctx.target.instance_id).substr(0, 40)}};
  const Json tags = instance.value("Tags", Json::array());
  if (std::string lt = TagValue(tags, "aws:ec2launchtemplate:id"); !lt.empty())
    in["LaunchTemplate"] =
        Json{{"LaunchTemplateId", lt}, {"Version", TagValue(tags, "aws:ec2launchtemplate:version")}};
  if (instance.contains("IamInstanceProfile"))
    in["IamInstanceProfile"] = Json{{"Arn", instance["IamInstanceProfile"]["Arn"]}};
  if (instance.contains("KeyName")) in["KeyName"] = instance["KeyName"];
  if (instance.contains("MetadataOptions"))
    in["MetadataOptions"] = Json{{"HttpTokens", instance["MetadataOptions"].value("HttpTokens", "required")}};
  return in;
}

class RelaunchStep : public Step {
 public:
  std::string_view name() const override { return "recover-relaunch"; }

 protected:
  Result<Json> Observe(StepContext& ctx) override {
    auto found = FindReplacement(ctx);
    if (!found) return MakeError(found.error());
    if (!*found) return Json{{"replacement", nullptr}};
    return Json{{"replacement", (**found)["InstanceId"]}};
  }
  bool IsDone(StepContext&, const Json& o) override { return !o["replacement"].is_null(); }
  Result<Json> DoApply(StepContext& ctx, const Json&) override {
    auto s = ReadRecordedService(ctx);
    if (!s) return MakeError(s.error());
    if (!s->auto_scaling_group.empty())
      return MakeError(ErrorKind::kInvalidArgument,
                       ctx.target.instance_id + " was in Auto Scaling group " + s->auto_scaling_group +
                           ", which replaces it; run recover without --relaunch");
    auto out = ctx.Call("ec2", "RunInstances", RunInstancesInput(ctx, s->instance));
    if (!out) return MakeError(out.error());
    const Json launched = out->value("Instances", Json::array());
    if (launched.empty()) return MakeError(ErrorKind::kService, "RunInstances returned no instance");
    const std::string id = Str(launched[0], "InstanceId");
    if (Status w = ctx.client->Wait("ec2", "InstanceRunning", Json{{"InstanceIds", {id}}},
                                    {.region = ctx.target.region});
        !w)
      return MakeError(w.error().kind,
                       "launched " + id + " but it did not reach `running`: " + w.error().message);
    ctx.detail = "launched " + id;
    ctx.notes.push_back("replacement " + id + " launched for " + ctx.target.instance_id +
                        " from its recorded configuration");
    return Json{{"replacement", id}};
  }
};

}  // namespace

std::unique_ptr<Step> MakeRelaunchStep() { return std::make_unique<RelaunchStep>(); }

}  // namespace cordon::response::recover
