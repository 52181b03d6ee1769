// What a case report says, gathered once from the case database (and the files its inventory lists),
// never from live AWS state; the Markdown, HTML and JSON renderers only lay it out. See
// ../../docs/case-format.md for the records it reads and docs/case-report.md for the report itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "evidence/case_store.h"

namespace cordon::report {

// One process that opened the case (run.identity), with the run.start/run.end that followed it.
struct RunRow {
  int64_t seq = 0;        // the run.identity record (0 for a run.start with none before it)
  int64_t start_seq = 0;  // its run.start, 0 before that
  std::string time, command, command_line, version, host, responder;
  std::string account, caller_arn;  // from STS GetCallerIdentity; empty when not known
  std::string identity_note;        // why they are empty
  std::string result;               // "ok", "failed", "interrupted", "running or died", "" (no run.start)
  std::string ended;                // time of run.end
};

// Where one step of one target ended: its latest step.* record.
struct StepRow {
  std::string target, step, outcome, time, detail;
  int64_t seq = 0;
};

// One line of the timeline: a journal record (source "cordon") or what a hunt stored in the case
// found ("cloudtrail", "flow", "finding").
struct TimelineEntry {
  std::string time;  // ISO 8601 UTC, "" when the source gave none (sorted first)
  std::string source;
  std::string what;    // "step.done isolate-network", "ec2:StopLogging", "flow peak 203.0.113.9:443"
  std::string who;     // responder or caller ARN, the CloudTrail identity, the flow's direction
  std::string target;  // instance id, or ""
  std::string detail;
  int64_t seq = 0;  // journal seq for "cordon" entries
};

struct StateFact {
  std::string what, before, now;
  bool changed() const { return before != now; }
};

// A target's recorded pre-state beside the latest state the case holds of it (the newest
// preserve-metadata evidence file), fact by fact.
struct TargetState {
  std::string target, pre_time, pre_sha256;
  std::string now_time, now_source;  // empty when the case holds no later observation
  std::vector<StateFact> facts;
};

struct EvidenceRow {
  evidence::EvidenceItem item;
  std::string lives;  // where the object is kept, in words ("case folder", "EBS snapshot in us-east-1")
  std::string lock;   // a recorded lock (snapshot lock, S3 Object Lock retention), or ""
};

struct NoteRow {
  std::string time, target, step, text;
};

struct ReportModel {
  evidence::CaseSummary summary;
  std::string description;
  evidence::VerifyReport verified;
  std::string current_state;  // one sentence: "i-0abc isolated since ... (contain by alice)."
  std::vector<RunRow> runs;
  std::vector<StepRow> steps;  // by target, then in the order the steps first appear
  std::vector<TimelineEntry> timeline;
  size_t timeline_left_out = 0;    // hunt entries beyond the per-hunt cap (in the hunt's evidence file)
  size_t aws_calls = 0;            // aws.call records, not in the timeline (`cordon case show`)
  std::vector<std::string> hunts;  // evidence locations of the hunts stored in the case
  std::vector<EvidenceRow> evidence;
  std::vector<TargetState> states;
  std::vector<NoteRow> notes;
  std::vector<std::string> reports;  // earlier reports: "2024-05-01T12:00:00Z html sha256 ..."
};

// At most this many entries of one hunt go into the timeline (CloudTrail events first, then flow
// peaks and findings); the hunt's evidence file keeps them all.
inline constexpr size_t kHuntTimelineCap = 500;

// Reads everything the report shows from `store`. Fails only when the case cannot be read; a hunt file
// or metadata file that cannot be read is named in the model instead (a note-like timeline entry).
[[nodiscard]] Result<ReportModel> GatherReport(evidence::CaseStore& store);

}  // namespace cordon::report
