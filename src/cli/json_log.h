// The one-JSON-object-per-line log of the unattended commands (`watch`, `lambda-runtime`) on stderr,
// which CloudWatch Logs and journald keep line by line.
#pragma once

#include "base/json.h"

namespace cordon::cli {

// Writes {"time": now (UTC, microseconds), ...line} and a newline to stderr, flushed, one line at a
// time from any thread. Invalid UTF-8 from a message is replaced, never thrown over; control
// characters are escaped by the JSON encoding itself.
void LogJsonLine(const Json& line);

}  // namespace cordon::cli
