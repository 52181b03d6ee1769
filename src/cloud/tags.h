// Reading people's conventions from tags: the owner and criticality of an instance.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/json.h"

namespace cordon::cloud {

using Tags = std::vector<std::pair<std::string, std::string>>;  // sorted by key

// {"Tags": [{"Key":..., "Value":...}]} entries (an EC2 TagList) as sorted pairs. Pure.
Tags TagsFromList(const Json& tag_list);

// The value of the first key in `keys` (in the caller's order of preference) present in `tags`,
// compared case-insensitively, as "key=value"; empty when none is present.
std::string FirstTagMatch(const Tags& tags, const std::vector<std::string>& keys);

// "owner,team" -> {"owner", "team"}, trimmed, empty items dropped.
std::vector<std::string> ParseKeyList(const std::string& text);

}  // namespace cordon::cloud
