#include "hunt/role_chains.h"

#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "hunt/sessions.h"

namespace cordon::hunt {
namespace {

// The sessions whose AssumeRole calls are followed: the instance's own, proven, and those already
// followed from them.
std::set<std::string> ProvenSessions(const HuntResults& results, const Selectors& selectors) {
  std::set<std::string> proven;
  for (const SessionUse& use : InstanceSessions(results, selectors)) {
    if (use.issued_by_ec2) proven.insert(use.session_arn);
  }
  for (const CloudTrailEvent& e : results.events) {
    if (!e.assumed_from.empty()) proven.insert(e.identity_arn);
  }
  return proven;
}

// New access keys created by AssumeRole calls of the proven sessions: key -> the session that made it.
std::map<std::string, std::string> NewKeys(const std::vector<CloudTrailEvent>& events,
                                           const std::set<std::string>& proven,
                                           const std::set<std::string>& followed) {
  std::map<std::string, std::string> keys;
  for (const CloudTrailEvent& e : events) {
    if (!e.by || e.assumed_access_key.empty() || !proven.count(e.identity_arn)) continue;
    if (!followed.count(e.assumed_access_key)) keys.emplace(e.assumed_access_key, e.identity_arn);
  }
  return keys;
}

}  // namespace

Status FollowRoleChains(const Selectors& selectors, const std::vector<SourceSpec>& sources,
                        const ScanOptions& options, HuntResults* results) {
  std::set<std::string> followed(selectors.access_keys.begin(), selectors.access_keys.end());
  std::map<std::string, std::string> frontier =
      NewKeys(results->events, ProvenSessions(*results, selectors), followed);
  ScanOptions chain_options = options;
  chain_options.cloudtrail_only = true;
  chain_options.cloudtrail.sigma = nullptr;
  chain_options.progress = nullptr;
  for (int hop = 0; hop < kMaxRoleChainHops && !frontier.empty(); ++hop) {
    Selectors chain;
    chain.since = selectors.since;
    chain.until = selectors.until;
    for (const auto& [key, parent] : frontier) {
      chain.access_keys.push_back(key);
      followed.insert(key);
    }
    Result<HuntResults> found = RunHunt(chain, sources, chain_options);
    if (!found) return WithContext(found.error(), "following AssumeRole from the instance's session");

    std::unordered_map<std::string, size_t> by_id;
    for (size_t i = 0; i < results->events.size(); ++i) by_id.emplace(results->events[i].event_id, i);
    std::vector<CloudTrailEvent> added;
    for (CloudTrailEvent& e : found->events) {
      auto parent = frontier.find(e.access_key_id);
      if (!e.by || parent == frontier.end()) continue;  // the key only in a response: the AssumeRole itself
      auto known = by_id.find(e.event_id);
      if (known != by_id.end() && !e.event_id.empty()) {
        results->events[known->second].assumed_from = parent->second;
        continue;
      }
      e.assumed_from = parent->second;
      added.push_back(std::move(e));
    }
    for (CloudTrailEvent& e : added) results->events.push_back(std::move(e));
    results->Finalize();
    frontier = NewKeys(results->events, ProvenSessions(*results, selectors), followed);
  }
  return Ok();
}

}  // namespace cordon::hunt
