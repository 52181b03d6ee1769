// yaml-cpp 0.7 (Debian 12's) never returns on some inputs: a ',' where a top-level block node starts
// (",", "\"a\",") makes YAML::LoadAll build null nodes forever, taking gigabytes in seconds (found by
// sigma_rule_fuzzer). A rule file comes from wherever a responder got it, so before LoadAll the text goes
// through yaml-cpp's event parser with a handler that only counts: a YAML text yields at most a few
// events per byte, and a parse that goes past the budget is stopped and reported.
#pragma once

#include <string_view>

#include "base/error.h"

namespace cordon::hunt::sigma {

// Ok when yaml-cpp parses `text` within the event budget or rejects it (LoadAll then reports why);
// an error naming the runaway otherwise.
Status CheckYamlParseEnds(std::string_view text);

}  // namespace cordon::hunt::sigma
