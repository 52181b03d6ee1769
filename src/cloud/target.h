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

// A region that could not be searched (access denied, region not enabled for the account, throttled
// after retries, endpoint unreachable), and why.
struct SkippedRegion {
  std::string region;
  Error error;
};

// A lookup by public address that failed in a region that otherwise answered (the Elastic IP lookup
// denied, say): an instance that holds the queried IP as an Elastic IP may be missing from the result.
struct FailedLookup {
  std::string region;
  std::string action;  // "ec2:DescribeAddresses"
  std::string what;    // what it looks for: "Elastic IPs"
  Error error;
};

// One instance that matches a query.
struct ResolvedTarget {
  std::string instance_id;
  std::string region;
  std::string vpc_id;
  std::string state;       // running, stopped, terminated...
  std::string matched_by;  // e.g. "private IP of eni-0abc", "public IP", "instance id"

  // Regions of the query that could not be searched although another region answered (sorted).
  // Empty when every region was searched.
  std::vector<SkippedRegion> skipped_regions;
  // Public-address lookups that failed in regions that answered (sorted by region). Only IP queries
  // make them.
  std::vector<FailedLookup> failed_lookups;
  // The match may not be the only one: it was found by IP address (private IPs repeat across VPCs
  // and regions) without --vpc, and a region could not be searched or a public-address lookup failed.
  // A match by instance or ENI id, or inside the --vpc (a VPC lives in one region, and an IP is unique
  // inside it), is definitive whatever was skipped.
  bool uniqueness_unproven = false;

  // A terminated instance is still found (its record lingers for about an hour) so triage can say
  // so; containment refuses it.
  bool terminated() const { return state == "terminated" || state == "shutting-down"; }
};

// Classifies the text, or kInvalidArgument saying what forms are accepted.
Result<TargetKind> ClassifyTarget(const std::string& text);

// Resolves a query to exactly one instance.
// Errors: kInvalidArgument (not an id/IP/ENI), kNotFound (nothing matches, naming the regions
// searched), and kAmbiguous when several instances match (message lists every candidate with its
// region and VPC, and suggests --vpc / --region); never guesses.
// Regions that fail while another answers are listed in skipped_regions of the match (see
// uniqueness_unproven for when that matters). When nothing matches and some region could not be
// searched, the error is that region's (its kind, so access denied stays access denied), with a
// message saying where the target was not found and which regions could not be searched. When every
// region fails, the first region's error (in the order of query.regions). Failed public-address
// lookups are carried in failed_lookups of the match; when nothing matches and one failed, the error
// is the failed lookup's (its kind), naming it and what to do, rather than kNotFound.
Result<ResolvedTarget> ResolveTarget(aws::Client& client, const TargetQuery& query);

// Everything a search found.
struct TargetSearch {
  std::vector<ResolvedTarget> found;   // sorted by region, VPC, instance id; their skipped_regions empty
  std::vector<SkippedRegion> skipped;  // regions that failed, sorted by region
  std::vector<FailedLookup> failed_lookups;  // in regions that answered, sorted by region
};

// All matches, for callers that present candidates themselves. Regions are searched concurrently. A
// region that fails is listed in `skipped` when another region answered; when every region fails, the
// first region's error (in the order of query.regions) is returned.
Result<TargetSearch> FindTargets(aws::Client& client, const TargetQuery& query);

// For callers that change things (contain, preserve): kAmbiguous when the target may not be the only
// match (uniqueness_unproven), with a message naming the regions that could not be searched and the
// lookups that failed, and what to do (narrow with --region or --vpc, use the instance id, or fix
// access); Ok otherwise. `query_text` is what the user
// typed.
Status RequireDefinitive(const ResolvedTarget& target, const std::string& query_text);

// "eu-west-1 (UnauthorizedOperation (HTTP 403): ...); ap-south-1 (...)": for messages and reports.
std::string DescribeSkipped(const std::vector<SkippedRegion>& skipped);

// "ec2:DescribeAddresses (Elastic IPs) in us-east-1 (UnauthorizedOperation (HTTP 403): ...); ...".
std::string DescribeFailedLookups(const std::vector<FailedLookup>& failed);

// The regions enabled for the account (ec2 DescribeRegions), for --all-regions.
Result<std::vector<std::string>> ListRegions(aws::Client& client);

}  // namespace cordon::cloud
