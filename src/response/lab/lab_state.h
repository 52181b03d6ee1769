// Readers of the lab's live state shared by the lab steps (lab.h has the public ones).
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "response/lab/lab.h"

namespace cordon::response::lab {

// The first element of j[key] (an array), or an empty object.
Json FirstOf(const Json& j, const char* key);

// The case's stack (DescribeStacks' Stacks[0]), or null when there is none.
Result<Json> DescribeStack(const StepContext& ctx, const std::string& case_id);
// Whether a CloudFormation error says the stack does not exist.
bool IsMissingStack(const Error& e);
// EC2 filters for the case's resources with one of `roles` (cordon:role).
Json CaseRoleFilters(const std::string& case_id, const std::vector<std::string>& roles);
// The case's workstations that are not terminated or shutting down (DescribeInstances' Instances).
Result<Json> FindWorkstations(const StepContext& ctx, const std::string& case_id);

}  // namespace cordon::response::lab
