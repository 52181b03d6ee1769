#include "cli/watch_results.h"

#include <cstdio>
#include <mutex>
#include <string>

#include "base/terminal_print.h"
#include "base/terminal_text.h"
#include "base/time.h"

namespace cordon::cli {
namespace {

std::string Str(const Json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

bool True(const Json& j, const char* key) {
  return j.contains(key) && j[key].is_boolean() && j[key].get<bool>();
}

// What became of the queue message, in words.
std::string Fate(const Json& r) {
  if (True(r, "deleted")) return "message deleted";
  if (True(r, "released")) return "message given back to the queue";
  if (r.contains("delete_error")) return "message not deleted: " + Str(r, "delete_error");
  return "message left on the queue (its dead-letter queue after the redrive)";
}

}  // namespace

Json WatchResult(const Json& log_line) {
  const std::string log = Str(log_line, "log");
  if (log != "outcome" && log != "malformed") return nullptr;
  Json result = {{"time", FormatIsoLikeBoto3(SystemClock::Default()->Now())}};
  result.update(log_line);
  result.erase("log");
  if (log == "malformed") {
    result["outcome"] = "malformed";
    result["detail"] = Str(log_line, "error");
    result.erase("error");
  }
  return result;
}

std::string WatchResultText(const Json& r) {
  std::string text = Str(r, "outcome");
  if (text == "malformed") text += " message " + Str(r, "message_id");
  if (const std::string id = Str(r, "instance_id"); !id.empty()) text += " " + id;
  if (const std::string c = Str(r, "case"); !c.empty()) text += " case " + c;
  if (const std::string d = Str(r, "detail"); !d.empty()) text += ": " + d;
  return text + " (" + Fate(r) + ")";
}

void PrintWatchResult(const Json& result, const ResultFlags& flags) {
  if (result.is_null()) return;
  static std::mutex mu;  // one event's output at a time: the watcher's workers finish concurrently
  std::lock_guard<std::mutex> lock(mu);
  if (flags.structured()) {
    PrintResultLine(result, flags);  // a failed --query has said why on stderr; the watch goes on
    return;
  }
  // Every value in it came from the queue or AWS: one line, controls neutralized.
  SafePrintf(stdout, "%s\n", OneLine(WatchResultText(result)).c_str());
  std::fflush(stdout);
}

}  // namespace cordon::cli
