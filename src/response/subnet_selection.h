// How contain --nacl brings the opt-in isolate-subnet step into a plan (DESIGN.md rule 3: a network
// ACL is opt-in only, as it affects the whole subnet). BuildContainPlan leaves the step out unless
// --only names it, so no caller (watch, the Lambda runtime, a policy) gets it by default; --nacl
// names it: beside the steps --only gave, or, without --only, beside every step of the table.
#pragma once

#include <string_view>

#include "base/error.h"
#include "response/plan.h"

namespace cordon::response {

inline constexpr std::string_view kSubnetStep = "isolate-subnet";

// kInvalidArgument for --only isolate-subnet without --nacl, and for --nacl with --skip isolate-subnet.
// Call it after the other opt-in steps' selection (SelectMemoryCapture): without --only, --nacl keeps
// every step those did not skip.
Status SelectSubnetIsolation(bool nacl, StepSelection* selection);

}  // namespace cordon::response
