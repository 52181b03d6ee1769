// The Filters parameter of EC2's Describe* actions (and Auto Scaling's, SSM's): one filter by name.
#pragma once

#include <string>
#include <utility>

#include "base/json.h"

namespace cordon::aws {

// [{"Name": name, "Values": values}]
inline Json FilterArray(const std::string& name, Json values) {
  return Json::array({Json{{"Name", name}, {"Values", std::move(values)}}});
}
// {"Filters": [{"Name": name, "Values": values}]}: a whole request with that one filter.
inline Json Filters(const std::string& name, Json values) {
  return Json{{"Filters", FilterArray(name, std::move(values))}};
}

}  // namespace cordon::aws
