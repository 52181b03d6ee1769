// What a hunt looks for: the instance's ids, addresses and credentials, and the time window.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/time.h"

namespace cordon::hunt {

// The hunt description shared by the local engine and the query generators (--emit). Every list may be
// empty; a hunt needs at least one selector. Values are matched literally and case-sensitively.
struct Selectors {
  std::vector<std::string> instances;    // i-...
  std::vector<std::string> ips;          // the instance's own addresses (private, public, IPv6)
  std::vector<std::string> enis;         // eni-...
  std::vector<std::string> roles;        // IAM role names (the instance profile's role)
  std::vector<std::string> access_keys;  // AKIA.../ASIA...
  std::optional<TimePoint> since;        // inclusive
  std::optional<TimePoint> until;        // inclusive

  bool empty() const {
    return instances.empty() && ips.empty() && enis.empty() && roles.empty() && access_keys.empty();
  }
  // Every selector value, for the prefilter.
  std::vector<std::string> AllTokens() const;
  // Whether `t` lies inside [since, until] (open ends allowed).
  bool InWindow(TimePoint t) const { return (!since || t >= *since) && (!until || t <= *until); }
  bool IsOwnIp(std::string_view ip) const;
};

// Checks the values' shapes loosely (non-empty, no spaces or quotes, since <= until) so a typo does not
// silently match nothing. Returns kInvalidArgument naming the bad value.
// `allow_none`: no selector at all is fine (a --sigma hunt over the whole trail).
Status ValidateSelectors(const Selectors& selectors, bool allow_none = false);

}  // namespace cordon::hunt
