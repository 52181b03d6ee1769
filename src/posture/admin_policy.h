// Administrator-like IAM policies: the AWS managed AdministratorAccess, and any document that allows
// every action (or every IAM action, which lets the holder grant itself the rest) on every resource.
// Pure.
#pragma once

#include <string>
#include <string_view>

#include "base/json.h"

namespace cordon::posture {

// True for AWS's managed AdministratorAccess in any partition (arn:aws:iam::aws:policy/AdministratorAccess,
// arn:aws-cn:..., arn:aws-us-gov:...).
bool IsAdministratorAccessArn(std::string_view policy_arn);

// Why `document` (an IAM policy document: an object, or its JSON text) is administrator-like, or ""
// when it is not: a statement with Effect Allow whose Action is "*", "*:*" or "iam:*" (alone or in a
// list) and whose Resource is "*" (alone or in a list). A statement with a Condition still counts (a
// condition narrows who may use it, not what it grants) and the reason says it has one. NotAction and
// NotResource statements are not judged (their reach depends on the list). A document that does not
// parse is not administrator-like.
std::string AdminLikeReason(const Json& document);

}  // namespace cordon::posture
