// The one table that maps AWS error codes onto ErrorKind, and the HTTP status fallbacks behind it.
#pragma once

#include <span>
#include <string_view>

#include "base/error.h"

namespace cordon::aws {

struct AwsErrorEntry {
  std::string_view code;
  ErrorKind kind;
};

// Every AWS error code cordon classifies by name (exact, case-sensitive match). Throttling and
// transient codes follow the SDKs' standard retry mode (botocore `retries/standard.py`, aws-sdk-cpp
// `CoreErrors.cpp`); the rest let callers and exit codes tell "not found" from "denied".
std::span<const AwsErrorEntry> AwsErrorTable();

// What kind of failure an AWS error response is, in this order:
//  1. the table above;
//  2. name patterns: codes ending in "NotFound" (EC2's "InvalidInstanceID.NotFound") or
//     "NotFoundException", and codes starting with "NoSuch" (S3, IAM) are kNotFound; codes ending in
//     ".Malformed" (EC2's "InvalidInstanceID.Malformed") are kInvalidArgument;
//  3. the HTTP status: 500, 502, 503, 504 -> kTransient; 429 -> kThrottled; 401, 403 -> kAccessDenied;
//     404 -> kNotFound;
//  4. anything else -> kService.
// `code` may be empty (an error response without a parsable body).
ErrorKind ClassifyAwsError(std::string_view code, int http_status);

// True for the kAccessDenied codes that mean the credentials or the signature were refused
// (AuthFailure, ExpiredToken, SignatureDoesNotMatch, ...) rather than an IAM policy denying an action:
// no policy change would help, so no "missing permission" should be named for them.
bool IsCredentialRejection(std::string_view code);

}  // namespace cordon::aws
