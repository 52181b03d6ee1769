// `--debug`: what cordon does underneath, on stderr, for support cases: every HTTP exchange (method,
// host, path, status, sizes, time, request id), every retry (why, after how long) and every journal
// append (kind, target, step, sequence). Never a secret: no headers, no bodies (an STS or IMDS
// response body holds credentials), and the signing parameters of a presigned URL are redacted.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace cordon {

enum class DebugTopic : unsigned { kHttp = 1, kRetry = 2, kJournal = 4 };

// Turns topics on from "all" or a comma-separated list of http, retry, journal. An unknown topic is
// kInvalidArgument naming it and the known ones. Called once, before any work starts.
Status EnableDebug(std::string_view topics);

bool DebugEnabled(DebugTopic topic);

// Writes "cordon debug TOPIC HH:MM:SS.mmm: TEXT" to stderr as one line, its control characters
// neutralised (the text may carry what an attacker wrote), when the topic is on.
void DebugLine(DebugTopic topic, std::string_view text);

// `url` with the values of the query parameters that sign or authorise a request (X-Amz-Signature,
// X-Amz-Credential, X-Amz-Security-Token, Signature, AWSAccessKeyId) replaced by "REDACTED".
std::string RedactUrl(std::string_view url);

}  // namespace cordon
