// What `cordon watch` prints on stdout: one result per event it handled, as --output and --query say.
// The JSON log on stderr (json_log.h) stays as it is, for CloudWatch Logs and journald.
#pragma once

#include "base/json.h"
#include "cli/result_line.h"

namespace cordon::cli {

// The result of one handled event, from the watcher's log line: an "outcome" line (or a "malformed"
// message's, as outcome "malformed"), without its "log" key and stamped with the time; null for the
// other lines (start, stop, errors, progress), which are not results.
Json WatchResult(const Json& log_line);

// Prints `result` on stdout, one event at a time from any thread, flushed. A watch never ends, so
// --output json is JSON Lines, one compact object per event with --query applied to each (not the
// one indented document of the other commands, which could only be read once the loop ended): a
// responder reads the events as they come with `jq`, `while read`, `tail -f` or a log forwarder.
// --output text without --query is one sentence per event; with --query, the AWS CLI's text of
// each (tab-separated). A --query that fails on one event is reported on stderr and the watch goes
// on: how a result prints must never stop containment.
void PrintWatchResult(const Json& result, const ResultFlags& flags);

// The sentence of --output text: "contained i-0abc case AUTO-GD-1: ... (message deleted)".
std::string WatchResultText(const Json& result);

}  // namespace cordon::cli
