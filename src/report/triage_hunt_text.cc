#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/terminal_print.h"
#include "base/terminal_text.h"
#include "report/triage_report.h"

namespace cordon::report {
namespace {

// Sections list at most this many rows; the hunt's JSON (--output json) always has them all.
constexpr size_t kTopRows = 5;

// A member of the hunt's JSON as a cell of a line of text: "-" when absent or null, a number or object as
// its JSON, and kept on its line (a newline in a CloudTrail field would start a fake one;
// base/terminal_text.h). Not base/json_fields.h's Str, which reads a string member exactly.
std::string Cell(const Json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return "-";
  return OneLine(it->is_string() ? it->get<std::string>() : it->dump());
}

void Heading(const std::string& text) { SafePrintf(stdout, "  %s\n", text.c_str()); }

// "AssumeRole 3, ListBuckets 1": event names by how often they occur, most frequent first.
std::string TopEventNames(const Json& events) {
  std::map<std::string, size_t> counts;
  for (const Json& e : events) ++counts[Cell(e, "eventName")];
  std::vector<std::pair<std::string, size_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string text;
  for (size_t i = 0; i < sorted.size() && i < kTopRows; ++i)
    text += (i ? ", " : "") + sorted[i].first + " " + std::to_string(sorted[i].second);
  if (sorted.size() > kTopRows) text += ", ...";
  return text;
}

void PrintEvents(const char* relation, const Json& events) {
  SafePrintf(stdout, "  %-3s %zu event(s)%s%s\n", relation, events.size(), events.empty() ? "" : ": ",
             TopEventNames(events).c_str());
  // The latest few, since the newest activity is what a responder acts on first.
  const size_t from = events.size() > kTopRows ? events.size() - kTopRows : 0;
  for (size_t i = from; i < events.size(); ++i) {
    const Json& e = events[i];
    const std::string error = Cell(e, "errorCode");
    SafePrintf(stdout, "      %-24s %-28s %-16s %s%s\n", Cell(e, "eventTime").c_str(),
               Cell(e, "eventName").c_str(), Cell(e, "sourceIPAddress").c_str(),
               Cell(e.value("identity", Json::object()), "arn").c_str(),
               error == "-" || error.empty() ? "" : ("  " + error).c_str());
  }
}

}  // namespace

void PrintTriageHuntText(const Json& j, const std::string& since) {
  SafePrintf(stdout, "\nLog hunt since %s\n", since.c_str());
  if (j.contains("error")) {
    SafePrintf(stdout, "  (could not be read: %s)\n", Cell(j, "error").c_str());
    return;
  }
  const Json& ct = j["cloudtrail"];
  Heading("CloudTrail (by the instance or its credentials / on the instance)");
  PrintEvents("by", ct["by"]);
  PrintEvents("on", ct["on"]);
  for (const Json& x : ct["exfiltration"]) {
    SafePrintf(stdout, "  ! credential exfiltration: %s used from %s (%s .. %s, %s events)\n",
               Cell(x, "session").c_str(), Cell(x, "sourceIPAddress").c_str(), Cell(x, "first").c_str(),
               Cell(x, "last").c_str(), Cell(x, "events").c_str());
  }
  for (const Json& x : ct["unproven_sessions"]) {
    SafePrintf(
        stdout,
        "  ? %s is named after %s but no record shows EC2 issued it: not attributed (%s events from %s)\n",
        Cell(x, "session").c_str(), Cell(x, "instance").c_str(), Cell(x, "events").c_str(),
        Cell(x, "sourceIPAddress").c_str());
  }

  const Json& flows = j["flows"];
  Heading("VPC flows: " + Cell(flows, "matched_records") + " matched record(s)");
  for (size_t i = 0; i < flows["top_talkers"].size() && i < kTopRows; ++i) {
    const Json& t = flows["top_talkers"][i];
    SafePrintf(stdout, "    peer %-40s %s bytes, %s packets, %s flows\n", Cell(t, "peer").c_str(),
               Cell(t, "bytes").c_str(), Cell(t, "packets").c_str(), Cell(t, "flows").c_str());
  }
  for (size_t i = 0; i < flows["rejected"].size() && i < kTopRows; ++i) {
    const Json& r = flows["rejected"][i];
    SafePrintf(stdout, "  ! rejected %s %s port %s proto %s: %s flows (%s .. %s)\n",
               Cell(r, "direction").c_str(), Cell(r, "peer").c_str(), Cell(r, "port").c_str(),
               Cell(r, "protocol").c_str(), Cell(r, "flows").c_str(), Cell(r, "first").c_str(),
               Cell(r, "last").c_str());
  }

  Heading("GuardDuty and Config: " + std::to_string(j["findings"].size()) + " finding(s)");
  for (size_t i = 0; i < j["findings"].size() && i < kTopRows; ++i) {
    const Json& f = j["findings"][i];
    SafePrintf(stdout, "    %-24s %-9s %s %s\n", Cell(f, "time").c_str(), Cell(f, "source").c_str(),
               Cell(f, "type").c_str(), Cell(f, "title").c_str());
  }
  for (const Json& s : j["skipped"]) {
    SafePrintf(stdout, "  ! skipped %s %s(s) of %s: %s\n", Cell(s, "count").c_str(), Cell(s, "unit").c_str(),
               Cell(s, "file").c_str(), Cell(s, "reason").c_str());
  }
  if (j["cloudtrail"]["by"].size() > kTopRows || j["cloudtrail"]["on"].size() > kTopRows ||
      flows["top_talkers"].size() > kTopRows || j["findings"].size() > kTopRows) {
    Heading("(shortened: --output json, or cordon hunt with the same selectors, has everything)");
  }
}

}  // namespace cordon::report
