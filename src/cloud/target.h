// Finding the instance a responder means: by instance id, public or private IP, or ENI id, in one
// region or across all of them.
#pragma once

#include <string>
#include <vector>

#include "aws/client.h"
#include "base/error.h"

namespace cordon::cloud {

enum class TargetKind { kInstanceId, kIpAddress, kEniId };

struct TargetQuery {
  std::string text;                  // what the user typed: i-..., 10.0.3.8, 54.1.2.3, eni-...
  std::vector<std::string> regions;  // where to look; more than one for --all-regions
  std::string vpc_id;                // --vpc: narrows an IP that exists in several VPCs
};

// One instance that matches a query.
struct ResolvedTarget {
  std::string instance_id;
  std::string region;
  std::string vpc_id;
  std::string state;       // running, stopped, terminated...
  std::string matched_by;  // e.g. "private IP of eni-0abc", "public IP", "instance id"

  // A terminated instance is still found (its record lingers for about an hour) so triage can say
  // so; containment refuses it.
  bool terminated() const { return state == "terminated" || state == "shutting-down"; }
};

// Classifies the text, or kInvalidArgument saying what forms are accepted.
Result<TargetKind> ClassifyTarget(const std::string& text);

// Resolves a query to exactly one instance.
// Errors: kInvalidArgument (not an id/IP/ENI), kNotFound (nothing matches, naming the regions
// searched), and kConflict when several instances match (message lists every candidate with its
// region and VPC, and suggests --vpc / --region); never guesses.
Result<ResolvedTarget> ResolveTarget(aws::Client& client, const TargetQuery& query);

// All matches, for callers that present candidates themselves (empty when nothing matches). Regions
// are searched concurrently. A region that fails is skipped when others answered; when every region
// fails the first error is returned.
Result<std::vector<ResolvedTarget>> FindTargets(aws::Client& client, const TargetQuery& query);

// The regions enabled for the account (ec2 DescribeRegions), for --all-regions.
Result<std::vector<std::string>> ListRegions(aws::Client& client);

}  // namespace cordon::cloud
