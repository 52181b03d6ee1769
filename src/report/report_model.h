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

// One finding of a stored `cordon posture --case` document, as the report shows it.
struct PostureRow {
  std::string severity, check, region, title, fix;
  std::vector<std::string> evidence;
};

// The newest posture stored in the case: the suspect's share (what names the case's targets and what
// their pre-states name), then the rest of the account.
struct PostureReport {
  std::string location, sha256, time;  // its evidence file
  std::vector<std::string> share_ids;
  std::vector<PostureRow> share, elsewhere;
  size_t elsewhere_left_out = 0;          // beyond kPostureRowsCap (in the file)
  std::vector<std::string> not_assessed;  // "us-east-1 macie: AccessDeniedException: ..."
  std::vector<std::string> suspects;      // "i-0abc (us-east-1, vpc-1): VPC flow logs no, Inspector on"
  std::vector<std::string> earlier;       // older posture files of the case
  std::string error;                      // why the file could not be read, or ""
};

// One line of "How it happened": a thing cordon found, with where an auditor checks it.
struct CauseLine {
  std::string time;  // when it happened (events) or when cordon observed it (exposure)
  std::string kind;  // "open group", "public address", "IMDSv1", "vulnerability", "role", "first contact",
                     // "credential use", "sigma", "sigma correlation"
  std::string what;
  std::string source;  // the record or file: "evidence/hunt-...json (SHA-256 ...): cloudtrail.exfiltration"
};

// "How it happened", built only from what the case holds (never guessed).
struct HowItHappened {
  std::vector<CauseLine> exposure;  // what let the attacker in, as observed (posture, pre-state)
  std::vector<CauseLine> events;    // what happened, in time order (hunts)
  std::vector<std::string> gaps;    // what is not known, and the command that would tell it
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
  bool has_posture = false;          // `cordon posture --case` stored one
  PostureReport posture;
  HowItHappened how;
};

// The posture section lists at most this many findings outside the suspect's share.
inline constexpr size_t kPostureRowsCap = 100;
// "How it happened" lists at most this many Sigma matches (the hunt's file has them all).
inline constexpr size_t kCauseSigmaCap = 50;

// At most this many entries of one hunt go into the timeline (CloudTrail events first, then flow
// peaks and findings); the hunt's evidence file keeps them all.
inline constexpr size_t kHuntTimelineCap = 500;

// Reads everything the report shows from `store`. Fails only when the case cannot be read; a hunt file
// or metadata file that cannot be read is named in the model instead (a note-like timeline entry).
[[nodiscard]] Result<ReportModel> GatherReport(evidence::CaseStore& store);

}  // namespace cordon::report
