// The JSON value type used across cordon: insertion-ordered so output keeps the model's member order.
#pragma once

#include <nlohmann/json.hpp>

namespace cordon {
using Json = nlohmann::ordered_json;
}  // namespace cordon
