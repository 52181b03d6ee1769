#include "response/live_state.h"

#include <algorithm>

#include "base/strings.h"
#include "cloud/instances_by_id.h"

namespace cordon::response {

std::string TagValue(const Json& tags, const std::string& key) {
  if (!tags.is_array()) return "";
  for (const Json& t : tags)
    if (Str(t, "Key") == key) return Str(t, "Value");
  return "";
}

Json TargetOf(const std::string& id, const Json& membership) {
  Json t = {{"Id", membership.contains("target_id") ? membership["target_id"] : Json(id)}};
  if (membership.contains("port")) t["Port"] = membership["port"];
  if (membership.contains("availability_zone")) t["AvailabilityZone"] = membership["availability_zone"];
  return t;
}

Result<Json> DescribeTargetInstance(const StepContext& ctx) {
  return cloud::DescribeInstanceById(*ctx.client, ctx.target.region, ctx.target.instance_id);
}

Result<Json> DescribeTargetEnis(const StepContext& ctx) {
  auto out = ctx.CallAll("ec2", "DescribeNetworkInterfaces",
                         Filters("attachment.instance-id", {ctx.target.instance_id}));
  if (!out) return MakeError(out.error());
  Json enis = out->value("NetworkInterfaces", Json::array());
  std::sort(enis.begin(), enis.end(), [](const Json& a, const Json& b) {
    return a.value("Attachment", Json::object()).value("DeviceIndex", 0) <
           b.value("Attachment", Json::object()).value("DeviceIndex", 0);
  });
  return enis;
}

std::string InstanceArn(const StepContext& ctx, const std::string& owner_arn) {
  std::vector<std::string> parts = Split(owner_arn, ':');
  std::string partition = parts.size() > 1 ? parts[1] : "aws";
  std::string account = parts.size() > 4 ? parts[4] : "";
  return "arn:" + partition + ":ec2:" + ctx.target.region + ":" + account + ":instance/" +
         ctx.target.instance_id;
}

bool IsNotFoundError(const Error& e) {
  return e.kind == ErrorKind::kNotFound || e.code.find("NotFound") != std::string::npos ||
         e.code == "NoSuchEntity" || e.code.find("Malformed") != std::string::npos;
}

bool IsAccessDeniedError(const Error& e) {
  return e.kind == ErrorKind::kAccessDenied || e.code == "AccessDenied" ||
         e.code == "UnauthorizedOperation" || e.code == "AccessDeniedException";
}

Result<LiveState> ReadLiveState(const StepContext& ctx) {
  LiveState live;
  auto instance = DescribeTargetInstance(ctx);
  bool denied = !instance && IsAccessDeniedError(instance.error());
  if (!instance && !denied && !IsNotFoundError(instance.error())) return MakeError(instance.error());
  auto enis = DescribeTargetEnis(ctx);
  if (!enis) return MakeError(enis.error());
  live.enis = std::move(*enis);
  if (instance) {
    live.instance = std::move(*instance);
    std::string state = Str(live.instance.value("State", Json::object()), "Name");
    live.gone = state == "terminated" || state == "shutting-down";
  } else {
    live.gone = denied ? live.enis.empty() : true;
  }
  return live;
}

}  // namespace cordon::response
