// Checks an operation's input against its model before anything is sent, as botocore's validator does.
#pragma once

#include "aws/model/service_model.h"
#include "base/error.h"
#include "base/json.h"

namespace cordon::aws {

// Validates `input` against the operation's input shape: unknown members (with the valid names),
// missing required members (named with their path, e.g. "Filters[0].Name"), wrong JSON types.
// Fills members the model marks idempotencyToken with a fresh UUID when absent, as the SDKs do.
// Errors are kInvalidArgument.
Status ValidateInput(const ServiceModel& service, const Json& operation, Json* input);

// A random (version 4) UUID string.
std::string NewUuid();

}  // namespace cordon::aws
