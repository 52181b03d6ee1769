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

// A value of the hunt's JSON for a line of text: on its line (a newline in a CloudTrail field would start a
// fake one; base/terminal_text.h).
std::string Str(const Json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return "-";
  return OneLine(it->is_string() ? it->get<std::string>() : it->dump());
}

void Heading(const std::string& text) { SafePrintf(stdout, "  %s\n", text.c_str()); }

// "AssumeRole 3, ListBuckets 1": event names by how often they occur, most frequent first.
std::string TopEventNames(const Json& events) {
  std::map<std::string, size_t> counts;
  for (const Json& e : events) ++counts[Str(e, "eventName")];
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
    const std::string error = Str(e, "errorCode");
    SafePrintf(stdout, "      %-24s %-28s %-16s %s%s\n", Str(e, "eventTime").c_str(),
               Str(e, "eventName").c_str(), Str(e, "sourceIPAddress").c_str(),
               Str(e.value("identity", Json::object()), "arn").c_str(),
               error == "-" || error.empty() ? "" : ("  " + error).c_str());
  }
}

}  // namespace

void PrintTriageHuntText(const Json& j, const std::string& since) {
  SafePrintf(stdout, "\nLog hunt since %s\n", since.c_str());
  if (j.contains("error")) {
    SafePrintf(stdout, "  (could not be read: %s)\n", Str(j, "error").c_str());
    return;
  }
  const Json& ct = j["cloudtrail"];
  Heading("CloudTrail (by the instance or its credentials / on the instance)");
  PrintEvents("by", ct["by"]);
  PrintEvents("on", ct["on"]);
  for (const Json& x : ct["exfiltration"]) {
    SafePrintf(stdout, "  ! credential exfiltration: %s used from %s (%s .. %s, %s events)\n",
               Str(x, "session").c_str(), Str(x, "sourceIPAddress").c_str(), Str(x, "first").c_str(),
               Str(x, "last").c_str(), Str(x, "events").c_str());
  }
  for (const Json& x : ct["unproven_sessions"]) {
    SafePrintf(
        stdout,
        "  ? %s is named after %s but no record shows EC2 issued it: not attributed (%s events from %s)\n",
        Str(x, "session").c_str(), Str(x, "instance").c_str(), Str(x, "events").c_str(),
        Str(x, "sourceIPAddress").c_str());
  }

  const Json& flows = j["flows"];
  Heading("VPC flows: " + Str(flows, "matched_records") + " matched record(s)");
  for (size_t i = 0; i < flows["top_talkers"].size() && i < kTopRows; ++i) {
    const Json& t = flows["top_talkers"][i];
    SafePrintf(stdout, "    peer %-40s %s bytes, %s packets, %s flows\n", Str(t, "peer").c_str(),
               Str(t, "bytes").c_str(), Str(t, "packets").c_str(), Str(t, "flows").c_str());
  }
  for (size_t i = 0; i < flows["rejected"].size() && i < kTopRows; ++i) {
    const Json& r = flows["rejected"][i];
    SafePrintf(stdout, "  ! rejected %s %s port %s proto %s: %s flows (%s .. %s)\n",
               Str(r, "direction").c_str(), Str(r, "peer").c_str(), Str(r, "port").c_str(),
               Str(r, "protocol").c_str(), Str(r, "flows").c_str(), Str(r, "first").c_str(),
               Str(r, "last").c_str());
  }

  Heading("GuardDuty and Config: " + std::to_string(j["findings"].size()) + " finding(s)");
  for (size_t i = 0; i < j["findings"].size() && i < kTopRows; ++i) {
    const Json& f = j["findings"][i];
    SafePrintf(stdout, "    %-24s %-9s %s %s\n", Str(f, "time").c_str(), Str(f, "source").c_str(),
               Str(f, "type").c_str(), Str(f, "title").c_str());
  }
  for (const Json& s : j["skipped"]) {
    SafePrintf(stdout, "  ! skipped %s %s(s) of %s: %s\n", Str(s, "count").c_str(), Str(s, "unit").c_str(),
               Str(s, "file").c_str(), Str(s, "reason").c_str());
  }
  if (j["cloudtrail"]["by"].size() > kTopRows || j["cloudtrail"]["on"].size() > kTopRows ||
      flows["top_talkers"].size() > kTopRows || j["findings"].size() > kTopRows) {
    Heading("(shortened: --output json, or cordon hunt with the same selectors, has everything)");
  }
}

}  // namespace cordon::report
