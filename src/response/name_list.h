// Membership in the lists of step names a selection holds (--only, --skip, the planned order).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace cordon::response {

inline bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace cordon::response
