#include "aws/endpoints.h"

#include <regex>
#include <utility>
#include <vector>

#include "aws/model/embedded_models.h"
#include "base/json.h"

namespace cordon::aws {
namespace {

const Json& Partitions() {
  static const Json partitions = Json::parse(EmbeddedPartitions());
  return partitions;
}

// Each partition's regionRegex, compiled once: a region outside the listed ones (a new region, or a
// typo) is checked on every client made, and std::regex construction is slow.
const std::vector<std::pair<const Json*, std::regex>>& PartitionRegexes() {
  static const auto regexes = [] {
    std::vector<std::pair<const Json*, std::regex>> out;
    for (const Json& p : Partitions()["partitions"])
      out.emplace_back(&p, std::regex(p["regionRegex"].get<std::string>()));
    return out;
  }();
  return regexes;
}

const Json* FindPartition(const std::string& region) {
  for (const Json& p : Partitions()["partitions"]) {
    if (p["regions"].contains(region)) return &p;
  }
  for (const auto& [partition, regex] : PartitionRegexes()) {
    if (std::regex_match(region, regex)) return partition;
  }
  return nullptr;
}

struct GlobalEndpoint {
  const char* service;
  const char* partition;
  const char* host;
  const char* signing_region;
};

// Services with one endpoint per partition (botocore's endpoint rule sets say the same).
constexpr GlobalEndpoint kGlobalEndpoints[] = {
    {"iam", "aws", "iam.amazonaws.com", "us-east-1"},
    {"iam", "aws-cn", "iam.cn-north-1.amazonaws.com.cn", "cn-north-1"},
    {"iam", "aws-us-gov", "iam.us-gov.amazonaws.com", "us-gov-west-1"},
    {"organizations", "aws", "organizations.us-east-1.amazonaws.com", "us-east-1"},
    {"organizations", "aws-cn", "organizations.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1"},
    {"organizations", "aws-us-gov", "organizations.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
};

}  // namespace

Result<std::string> PartitionOf(const std::string& region) {
  const Json* p = FindPartition(region);
  if (!p) {
    return MakeError(
        ErrorKind::kInvalidArgument,
        "'" + region + "' is not an AWS region name (for example us-east-1, eu-west-2, cn-north-1)");
  }
  return (*p)["id"].get<std::string>();
}

Result<Endpoint> ResolveEndpoint(const ServiceModel& service, const std::string& region,
                                 const std::string& override_url) {
  Endpoint endpoint;
  endpoint.signing_name = service.signing_name();
  endpoint.signing_region = region;
  if (!override_url.empty()) {
    if (override_url.find("://") == std::string::npos)
      return MakeError(ErrorKind::kInvalidArgument,
                       "endpoint URL '" + override_url + "' needs a scheme, e.g. https://" + override_url);
    endpoint.url = override_url;
    while (!endpoint.url.empty() && endpoint.url.back() == '/') endpoint.url.pop_back();
    endpoint.overridden = true;
    if (region.empty()) endpoint.signing_region = "us-east-1";
    return endpoint;
  }
  if (region.empty())
    return MakeError(ErrorKind::kInvalidArgument,
                     "no region: pass --region, set AWS_REGION, or set region in your AWS profile");
  const Json* partition = FindPartition(region);
  if (!partition) return MakeError(ErrorKind::kInvalidArgument, "'" + region + "' is not an AWS region name");
  const std::string id = (*partition)["id"].get<std::string>();
  for (const auto& g : kGlobalEndpoints) {
    if (service.endpoint_prefix() == g.service && id == g.partition) {
      endpoint.url = std::string("https://") + g.host;
      endpoint.signing_region = g.signing_region;
      return endpoint;
    }
  }
  const std::string suffix = (*partition)["outputs"]["dnsSuffix"].get<std::string>();
  endpoint.url = "https://" + service.endpoint_prefix() + "." + region + "." + suffix;
  return endpoint;
}

}  // namespace cordon::aws
