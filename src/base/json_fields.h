// Reading members of JSON from AWS, a case or a log, in one place. AWS omits members freely and an
// attacker writes some of what cordon reads, so a member that is absent, null or of another type reads
// as empty, never throws (nlohmann's value() throws on a type mismatch).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/json.h"

namespace cordon {

// A string member, or "".
std::string Str(const Json& object, std::string_view key);
// A string, number or boolean member as text ("42", "true"), or "".
std::string ScalarText(const Json& object, std::string_view key);
// An integer member, or `fallback`.
int64_t Int(const Json& object, std::string_view key, int64_t fallback = 0);
// A boolean member, or `fallback`.
bool Bool(const Json& object, std::string_view key, bool fallback = false);
// An array or object member, as a reference into `object` (so pointers to its elements stay valid), or
// a static empty one.
const Json& Arr(const Json& object, std::string_view key);
const Json& Obj(const Json& object, std::string_view key);

}  // namespace cordon
