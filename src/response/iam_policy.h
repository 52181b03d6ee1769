// The least-privilege IAM policy each response command needs, built from the step table.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"

namespace cordon::response {

// The commands `cordon iam-policy --for` knows.
const std::vector<std::string>& PolicyCommands();

// The sorted, distinct actions `command` calls ("triage", "contain", "release", "preserve").
// kInvalidArgument for another name.
Result<std::vector<std::string>> ActionsFor(const std::string& command);

// {"Version": "2012-10-17", "Statement": [{"Sid": "CordonContain", "Effect": "Allow", "Action": [...],
// "Resource": "*"}, ...]}: one statement per command.
Result<Json> PolicyFor(const std::vector<std::string>& commands);

}  // namespace cordon::response
