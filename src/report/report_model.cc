#include "report/report_model.h"

#include <algorithm>
#include <fstream>
#include <map>

#include "base/json_parse.h"
#include "evidence/audit_kinds.h"
#include "evidence/snapshot_states.h"
#include "report/report_parts.h"

namespace cordon::report {
namespace {

namespace kind = evidence::kind;

// Files the report reads back (hunt results, metadata) are the case's own evidence, but a case folder
// can be edited: only a regular file is read, and never more than this.
constexpr uintmax_t kMaxFileRead = 256u << 20;

Result<Json> ReadJsonFile(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::symlink_status(path, ec);
  if (ec || !std::filesystem::is_regular_file(status))
    return MakeError(ErrorKind::kIo, path.string() + " is missing or not a regular file");
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxFileRead)
    return MakeError(ErrorKind::kIo, path.string() + " is too large to read back");
  std::ifstream in(path, std::ios::binary);
  std::string text(size, '\0');
  if (!in.read(text.data(), static_cast<std::streamsize>(size)))
    return MakeError(ErrorKind::kIo, "cannot read " + path.string());
  return ParseJsonInput(text, path.string());
}

// The detail a reader needs from a step.* record: the error, the step's own summary, or why skipped.
StepRow StepFromRecord(const evidence::JournalRecord& r) {
  const Json payload = r.PayloadJson();
  StepRow row{r.target, r.step, r.kind.substr(r.kind.find('.') + 1), r.time, "", r.seq};
  if (r.kind == kind::kStepIntent) row.outcome = "interrupted (no outcome recorded)";
  if (!payload.is_object()) return row;
  if (payload.contains("error") && payload["error"].is_object()) {
    const Json& e = payload["error"];
    row.detail = Str(e, "code") + (e.contains("code") ? ": " : "") + Str(e, "message");
    if (!Str(payload, "missing_permission").empty())
      row.detail += " (missing permission: " + Str(payload, "missing_permission") + ")";
  } else if (!Str(payload, "detail").empty()) {
    row.detail = Str(payload, "detail");
  } else if (payload.contains("already") && payload["already"].is_boolean() &&
             payload["already"].get<bool>()) {
    row.detail = "already as wanted";
  } else if (!Str(payload, "reason").empty()) {
    row.detail = Str(payload, "reason");
  }
  return row;
}

RunRow RunFromIdentity(const evidence::JournalRecord& r) {
  const Json p = r.PayloadJson();
  RunRow run;
  run.seq = r.seq;
  run.time = r.time;
  run.command = Str(p, "command");
  run.command_line = Str(p, "command_line");
  run.version = Str(p, "version");
  run.host = Str(p, "host");
  run.responder = Str(p, "responder");
  run.account = Str(p, "account");
  run.caller_arn = Str(p, "caller_arn");
  run.identity_note = !Str(p, "identity_error").empty()
                          ? "GetCallerIdentity failed: " + Str(p, "identity_error")
                          : Str(p, "identity_note");
  return run;
}

// The journal: runs, steps, notes, reports and the journal's own timeline entries.
class JournalReader {
 public:
  explicit JournalReader(ReportModel* model) : m_(model) {}

  void Read(const std::vector<evidence::JournalRecord>& records) {
    for (const auto& r : records) Add(r);
    for (const auto& [target, order] : step_order_)
      for (const std::string& step : order) {
        const StepRow& row = steps_[target][step];
        m_->steps.push_back(row);
        if (row.outcome.starts_with("interrupted"))
          m_->timeline.push_back({row.time, "cordon", "step.intent " + row.step, who_at_[row.seq], row.target,
                                  "no outcome recorded: the run stopped inside this step", row.seq});
      }
  }

 private:
  void Add(const evidence::JournalRecord& r) {
    const Json p = r.PayloadJson();
    who_at_[r.seq] = who_;
    TimelineEntry e{r.time, "cordon", r.kind, who_, r.target, "", r.seq};
    if (r.kind == kind::kAwsCall) {
      ++m_->aws_calls;
      return;
    }
    if (r.kind.starts_with("step.") && !r.step.empty()) {
      if (!steps_[r.target].count(r.step)) step_order_[r.target].push_back(r.step);
      steps_[r.target][r.step] = StepFromRecord(r);
      if (r.kind == kind::kStepIntent) return;  // its outcome is the entry; a lone intent is added in Read
      e.what = r.kind + " " + r.step;
      e.detail = StepFromRecord(r).detail;
    } else if (r.kind == kind::kCaseOpen) {
      e.what = "case opened";
      e.who = Str(p, "responder");
      e.detail = Str(p, "description");
    } else if (r.kind == kind::kRunIdentity) {
      m_->runs.push_back(RunFromIdentity(r));
      const RunRow& run = m_->runs.back();
      who_ = run.responder + (run.caller_arn.empty() ? "" : " (" + run.caller_arn + ")");
      e.who = who_;
      e.what = "run: " + run.command;
      e.detail = "cordon " + run.command_line + (run.host.empty() ? "" : " on " + run.host);
    } else if (r.kind == kind::kRunStart) {
      if (m_->runs.empty() || m_->runs.back().start_seq != 0) {
        m_->runs.push_back(RunRow{});  // a run journaled before run.identity existed
        m_->runs.back().time = r.time;
        m_->runs.back().command = Str(p, "command");
        e.what = "run: " + Str(p, "command");
        m_->timeline.push_back(e);
      }
      m_->runs.back().start_seq = r.seq;
      m_->runs.back().result = "running or died";
      return;
    } else if (r.kind == kind::kRunEnd || r.kind == kind::kRunInterrupted) {
      const int64_t run_seq = Int(p, "run_seq");
      for (RunRow& run : m_->runs)
        if (run.start_seq == run_seq && run_seq != 0) {
          run.result = r.kind == kind::kRunEnd ? Str(p, "result") : "interrupted";
          run.ended = r.time;
        }
      e.what = r.kind == kind::kRunEnd ? "run ended: " + Str(p, "result") : "run interrupted";
      e.detail = Str(p, "reason");
    } else if (r.kind == kind::kCaseStatus) {
      e.what = "status: " + Str(p, "from") + " -> " + Str(p, "to");
    } else if (r.kind == kind::kPreState) {
      e.what = "pre-state recorded";
      e.detail = "SHA-256 " + Str(p, "sha256");
    } else if (r.kind == kind::kEvidenceAdded) {
      e.what = "evidence: " + Str(p, "kind");
      e.detail = Str(p, "location") + (Str(p, "sha256").empty() ? "" : " SHA-256 " + Str(p, "sha256"));
    } else if (r.kind == kind::kNote) {
      const std::string text = Str(p, "text").empty() ? r.payload : Str(p, "text");
      m_->notes.push_back({r.time, r.target, r.step, text});
      e.what = "note";
      e.detail = (r.step.empty() ? "" : "(" + r.step + ") ") + text;
    } else if (r.kind == kind::kReportWritten) {
      m_->reports.push_back(r.time + " " + Str(p, "format") + " SHA-256 " + Str(p, "sha256") +
                            " (journal head " + std::to_string(Int(p, "head_seq")) + ")");
      e.what = "report written: " + Str(p, "format");
      e.detail = "SHA-256 " + Str(p, "sha256");
    } else {
      e.detail = r.payload.size() > 200 ? r.payload.substr(0, 197) + "..." : r.payload;
    }
    m_->timeline.push_back(std::move(e));
  }

  ReportModel* m_;
  std::string who_;  // the responder (and caller ARN) of the run in progress
  std::map<int64_t, std::string> who_at_;
  std::map<std::string, std::vector<std::string>> step_order_;
  std::map<std::string, std::map<std::string, StepRow>> steps_;
};

// Any recorded lock of an evidence object: members of its details naming a lock or retention, and
// journal records of a lock kind that mention its location.
std::string LockOf(const evidence::EvidenceItem& item, const std::vector<evidence::JournalRecord>& records) {
  std::string lock;
  auto add = [&](const std::string& text) { lock += (lock.empty() ? "" : "; ") + text; };
  if (item.details.is_object())
    for (const auto& [key, value] : item.details.items())
      if (key.find("lock") != std::string::npos || key.find("retention") != std::string::npos)
        add(key + ": " + (value.is_string() ? value.get<std::string>() : value.dump()));
  for (const auto& r : records)
    if (r.kind.find("lock") != std::string::npos && r.kind != kind::kEvidenceAdded &&
        r.payload.find("\"" + item.location + "\"") != std::string::npos)
      add(r.kind + " " + r.time + ": " + r.payload);
  return lock;
}

std::string WhereItLives(const evidence::EvidenceItem& item,
                         const std::map<std::string, std::string>& regions) {
  const std::string& at = item.location;
  const auto region = regions.find(item.target);
  std::string in_region = item.details.is_object() && !Str(item.details, "region").empty()
                              ? Str(item.details, "region")
                              : (region == regions.end() ? "" : region->second);
  if (at.starts_with("snap-")) return "EBS snapshot" + (in_region.empty() ? "" : " in " + in_region);
  if (at.starts_with("s3://")) return "S3 object, bucket " + at.substr(5, at.find('/', 5) - 5);
  if (at.starts_with("evidence/")) return "case folder";
  return "";
}

// The newest metadata evidence file of `target`, if any.
const evidence::EvidenceItem* LatestMetadata(const std::vector<evidence::EvidenceItem>& items,
                                             const std::string& target) {
  const evidence::EvidenceItem* latest = nullptr;
  for (const auto& item : items)
    if (item.target == target && item.kind == evidence::EvidenceKind::kMetadata &&
        item.location.starts_with("evidence/"))
      latest = &item;  // the ledger lists items in the order they were added
  return latest;
}

void AddHunts(const evidence::CaseStore& store, const std::vector<evidence::EvidenceItem>& items,
              ReportModel* m, detail::CauseCollector* cause) {
  for (const auto& item : items) {
    if (!item.details.is_object() || !item.details.contains("hunt") ||
        !item.location.starts_with("evidence/"))
      continue;
    m->hunts.push_back(item.location);
    auto doc = ReadJsonFile(store.dir() / item.location);
    if (!doc) {
      m->timeline.push_back(
          {item.time, "cordon", "hunt unreadable", "", item.target, doc.error().message, item.seq});
      continue;
    }
    for (TimelineEntry& e : detail::HuntEntries(*doc, kHuntTimelineCap, &m->timeline_left_out))
      m->timeline.push_back(std::move(e));
    cause->AddHunt(item, *doc);
  }
}

// The posture files (`cordon posture --case`): the newest is the report's posture section; each one
// adds the exposure it observed to "How it happened".
void AddPostures(const evidence::CaseStore& store, const std::vector<evidence::EvidenceItem>& items,
                 ReportModel* m, detail::CauseCollector* cause) {
  for (const auto& item : items) {
    if (!item.details.is_object() || !item.details.contains("posture") ||
        !item.location.starts_with("evidence/"))
      continue;
    if (m->has_posture) m->posture.earlier.insert(m->posture.earlier.begin(), m->posture.location);
    std::vector<std::string> earlier = std::move(m->posture.earlier);
    auto doc = ReadJsonFile(store.dir() / item.location);
    if (doc) {
      m->posture = detail::PostureSection(item, *doc);
      cause->AddPosture(item, *doc);
    } else {
      m->posture = PostureReport{};
      m->posture.location = item.location;
      m->posture.error = doc.error().message;
    }
    m->posture.earlier = std::move(earlier);
    m->has_posture = true;
  }
}

void AddStates(const evidence::CaseStore& store, const std::vector<evidence::PreStateRecord>& pre,
               const std::vector<evidence::EvidenceItem>& items, ReportModel* m) {
  for (const auto& p : pre) {
    TargetState s{p.target, p.time, p.sha256, "", "", {}};
    Json now;
    if (const evidence::EvidenceItem* latest = LatestMetadata(items, p.target)) {
      auto doc = ReadJsonFile(store.dir() / latest->location);
      s.now_time = latest->time;
      s.now_source = doc ? latest->location : latest->location + " (unreadable: " + doc.error().message + ")";
      if (doc) now = std::move(*doc);
    }
    s.facts = detail::CompareStates(p.state, now);
    m->states.push_back(std::move(s));
  }
}

}  // namespace

Result<ReportModel> GatherReport(evidence::CaseStore& store) {
  ReportModel m;
  auto summary = store.Summary();
  if (!summary) return MakeError(summary.error());
  m.summary = std::move(*summary);
  auto records = store.journal().Records();
  if (!records) return MakeError(records.error());
  auto items = store.evidence().List();
  if (!items) return MakeError(items.error());
  auto pre = store.pre_state().All();
  if (!pre) return MakeError(pre.error());
  auto verified = store.Verify();
  if (!verified) return MakeError(verified.error());
  m.verified = std::move(*verified);
  if (!records->empty()) m.description = Str(records->front().PayloadJson(), "description");

  JournalReader(&m).Read(*records);
  std::map<std::string, std::string> regions;
  for (const auto& p : *pre) regions[p.target] = Str(p.state, "region");
  const auto snapshot_states = evidence::RecordedSnapshotStates(*records);
  for (const auto& item : *items) {
    std::string lives = WhereItLives(item, regions);
    // A snapshot is evidence only once completed (issue 13): say where it stands.
    if (auto it = snapshot_states.find(item.location); it != snapshot_states.end())
      lives += "; " + evidence::DescribeSnapshotState(it->second);
    m.evidence.push_back({item, lives, LockOf(item, *records)});
  }
  detail::CauseCollector cause;
  for (const auto& p : *pre) cause.AddPreState(p);
  AddPostures(store, *items, &m, &cause);
  AddHunts(store, *items, &m, &cause);
  AddStates(store, *pre, *items, &m);
  m.how = cause.Finish(m.summary.targets, m.summary.id);
  m.current_state = detail::CurrentState(*records, m.summary.status);

  for (TimelineEntry& e : m.timeline) e.time = detail::NormalTime(e.time);
  // Stable: records of one second stay in journal order, and the journal's come before a hunt's.
  std::stable_sort(m.timeline.begin(), m.timeline.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.time < b.time; });
  return m;
}

}  // namespace cordon::report
