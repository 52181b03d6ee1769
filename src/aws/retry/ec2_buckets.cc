// EC2's request token buckets, from "Request throttling for the Amazon EC2 API",
// https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html (read 2026-12).
#include "aws/retry/ec2_buckets.h"

#include <algorithm>
#include <array>

#include "base/strings.h"

namespace cordon::aws {
namespace {

constexpr RateLimit kNonMutating{20, 100};
constexpr RateLimit kUnfilteredNonMutating{10, 50};
constexpr RateLimit kMutating{5, 50};
constexpr RateLimit kResourceIntensive{5, 50};

// "Unfiltered and unpaginated non-mutating actions": these draw from the small bucket when the call
// names neither a filter nor pagination.
constexpr std::array<std::string_view, 7> kUnfilteredActions = {
    "DescribeInstances",      "DescribeInstanceStatus", "DescribeNetworkInterfaces",
    "DescribeSecurityGroups", "DescribeSnapshots",      "DescribeSpotInstanceRequests",
    "DescribeVolumes"};

constexpr std::array<std::string_view, 9> kResourceIntensiveActions = {
    "AcceptVpcPeeringConnection", "AuthorizeSecurityGroupIngress",
    "CancelSpotInstanceRequests", "CreateKeyPair",
    "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection",
    "RejectVpcPeeringConnection", "RevokeSecurityGroupIngress",
    "RequestSpotInstances"};

struct Uncategorized {
  std::string_view action;
  RateLimit limit;
};

// The "Uncategorized actions" of the page that cordon calls or may be asked to call (cordon api):
// the response's steps (tags, ENIs, instance profiles, snapshots, volumes), lab and cleanup.
constexpr Uncategorized kUncategorized[] = {
    {"AssignPrivateIpAddresses", {5, 100}},
    {"AssociateIamInstanceProfile", {5, 100}},
    {"CopyImage", {1, 100}},
    {"CreateLaunchTemplateVersion", {5, 100}},
    {"CreateNetworkInterface", {5, 100}},
    {"CreateSnapshot", {5, 100}},
    {"CreateSnapshots", {5, 100}},
    {"CreateTags", {10, 100}},
    {"CreateVolume", {5, 100}},
    {"CreateVpcEndpoint", {0.3, 4}},
    {"DeleteNetworkInterface", {5, 100}},
    {"DeleteSnapshot", {5, 100}},
    {"DeleteTags", {10, 100}},
    {"DeleteVolume", {5, 100}},
    {"DeleteVpcEndpoints", {0.3, 4}},
    {"DeregisterImage", {5, 100}},
    {"DescribeSecurityGroupReferences", {5, 20}},
    {"DescribeStaleSecurityGroups", {5, 20}},
    {"DisassociateIamInstanceProfile", {5, 100}},
    {"ModifyImageAttribute", {5, 100}},
    {"ModifyInstanceMetadataOptions", {5, 100}},
    {"ModifyLaunchTemplate", {5, 100}},
    {"ModifyNetworkInterfaceAttribute", {5, 100}},
    {"ModifySnapshotAttribute", {5, 100}},
    {"ModifyVpcEndpoint", {0.3, 4}},
    {"RunInstances", {2, 5}},
    {"StartInstances", {2, 5}},
    {"TerminateInstances", {5, 100}},
    {"UnassignPrivateIpAddresses", {5, 100}},
};

template <size_t N>
bool IsOneOf(const std::array<std::string_view, N>& names, std::string_view action) {
  return std::find(names.begin(), names.end(), action) != names.end();
}

bool IsNonMutatingName(std::string_view action) {
  return StartsWith(action, "Describe") || StartsWith(action, "List") || StartsWith(action, "Search") ||
         StartsWith(action, "Get");
}

// A filter or pagination, as the page means them: Filters with at least one entry, or MaxResults /
// NextToken. A list of ids is neither, so a DescribeInstances by InstanceIds alone draws from the
// small bucket: the reading that cannot overrun EC2's bucket if AWS counts it so.
bool FilteredOrPaginated(const Json& input) {
  if (!input.is_object()) return false;
  if (auto it = input.find("Filters"); it != input.end() && it->is_array() && !it->empty()) return true;
  return input.contains("MaxResults") || input.contains("NextToken");
}

}  // namespace

std::string_view Ec2ActionCategoryName(Ec2ActionCategory category) {
  switch (category) {
    case Ec2ActionCategory::kNonMutating:
      return "non-mutating";
    case Ec2ActionCategory::kUnfilteredNonMutating:
      return "unfiltered and unpaginated non-mutating";
    case Ec2ActionCategory::kMutating:
      return "mutating";
    case Ec2ActionCategory::kResourceIntensive:
      return "resource-intensive";
    case Ec2ActionCategory::kUncategorized:
      return "uncategorized";
  }
  return "mutating";
}

Ec2Bucket Ec2RequestBucket(std::string_view action, const Json& input) {
  Ec2Bucket bucket;
  bucket.name = std::string(action);
  for (const Uncategorized& u : kUncategorized) {
    if (u.action == action) {
      bucket.category = Ec2ActionCategory::kUncategorized;
      bucket.limit = u.limit;
      return bucket;
    }
  }
  if (IsOneOf(kUnfilteredActions, action) && !FilteredOrPaginated(input)) {
    bucket.name += "/unfiltered";
    bucket.category = Ec2ActionCategory::kUnfilteredNonMutating;
    bucket.limit = kUnfilteredNonMutating;
  } else if (IsNonMutatingName(action)) {
    bucket.category = Ec2ActionCategory::kNonMutating;
    bucket.limit = kNonMutating;
  } else if (IsOneOf(kResourceIntensiveActions, action)) {
    bucket.category = Ec2ActionCategory::kResourceIntensive;
    bucket.limit = kResourceIntensive;
  } else {
    bucket.category = Ec2ActionCategory::kMutating;
    bucket.limit = kMutating;
  }
  return bucket;
}

}  // namespace cordon::aws
