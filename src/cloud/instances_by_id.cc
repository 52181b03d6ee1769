#include "cloud/instances_by_id.h"

#include <algorithm>

#include "base/json_fields.h"

namespace cordon::cloud {

Result<std::map<std::string, Json>> DescribeInstancesById(aws::Client& client, const std::string& region,
                                                          const std::vector<std::string>& ids) {
  aws::CallOptions o;
  o.region = region;
  std::map<std::string, Json> found;
  for (size_t at = 0; at < ids.size(); at += kInstanceIdsPerCall) {
    Json chunk(std::vector<std::string>(
        ids.begin() + static_cast<std::ptrdiff_t>(at),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + kInstanceIdsPerCall))));
    auto out = client.CallAll("ec2", "DescribeInstances", Json{{"InstanceIds", std::move(chunk)}}, o);
    if (!out) return MakeError(out.error());
    for (const Json& r : out->value("Reservations", Json::array()))
      for (const Json& i : r.value("Instances", Json::array())) found[Str(i, "InstanceId")] = i;
  }
  return found;
}

Result<Json> DescribeInstanceById(aws::Client& client, const std::string& region, const std::string& id) {
  auto found = DescribeInstancesById(client, region, {id});
  if (!found) return MakeError(found.error());
  auto it = found->find(id);
  if (it == found->end())
    return MakeError(ErrorKind::kNotFound, "instance " + id + " not found in " + region);
  return std::move(it->second);
}

}  // namespace cordon::cloud
