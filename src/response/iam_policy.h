// The least-privilege IAM policy each response command needs, built from the step table.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "response/iam_reach.h"

namespace cordon::response {

// The commands `cordon iam-policy --for` knows.
const std::vector<std::string>& PolicyCommands();

// The sorted, distinct actions `command` calls ("triage", "contain", "release", "preserve").
// kInvalidArgument for another name.
Result<std::vector<std::string>> ActionsFor(const std::string& command);

// {"Version": "2012-10-17", "Statement": [{"Sid": "CordonContain", "Effect": "Allow", "Action": [...],
// "Resource": "*"}, ...]}: one statement per command (and one per condition its scoped actions share),
// then the caller's statements for `reach` (ReachStatements). kInvalidArgument for an unknown command
// or a reach that does not go with the commands (CheckReach).
Result<Json> PolicyFor(const std::vector<std::string>& commands, const PolicyReach& reach = {});

}  // namespace cordon::response
