#include "evidence/snapshot_states.h"

namespace cordon::evidence {
namespace {

bool IsSnapshotStep(const std::string& step) {
  return step == "snapshot" || step.starts_with("preserve-snapshot-");
}

std::string Text(const Json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

void Take(const Json& list, const std::string& time, std::map<std::string, RecordedSnapshotState>* out) {
  if (!list.is_array()) return;
  for (const Json& s : list) {
    if (Text(s, "snapshot_id").empty() || Text(s, "state").empty()) continue;
    RecordedSnapshotState r;
    r.state = Text(s, "state");
    r.progress = Text(s, "progress");
    r.message = Text(s, "message");
    r.completed_at = Text(s, "completed_at");
    if (r.completed_at.empty()) {
      r.completed_at = Text(s, "seen_completed_at");
      r.completed_observed = !r.completed_at.empty();
    }
    r.recorded = time;
    r.retry_of = Text(s, "retry_of");
    (*out)[Text(s, "snapshot_id")] = r;
  }
}

}  // namespace

std::map<std::string, RecordedSnapshotState> RecordedSnapshotStates(
    const std::vector<JournalRecord>& records) {
  std::map<std::string, RecordedSnapshotState> out;
  for (const JournalRecord& r : records) {
    if (!IsSnapshotStep(r.step)) continue;
    const Json p = r.PayloadJson();
    if (!p.is_object()) continue;
    if (r.kind == kind::kStepDone && p.contains("result") && p["result"].is_object()) {
      Take(p["result"].value("snapshots", Json()), r.time, &out);
      Take(p["result"].value("retries", Json()), r.time, &out);
    } else if (r.kind == kind::kNote) {
      Take(p.value("snapshots", Json()), r.time, &out);
    }
  }
  return out;
}

std::string DescribeSnapshotState(const RecordedSnapshotState& s) {
  std::string out = s.state;
  if (s.state == "completed" && !s.completed_at.empty())
    out += (s.completed_observed ? ", seen at " : " at ") + s.completed_at;
  if (s.state == "pending")
    out += (s.progress.empty() ? "" : " " + s.progress) + " (as of " + s.recorded + "; not yet evidence)";
  if (!s.message.empty()) out += ": " + s.message;
  if (!s.retry_of.empty()) out += "; retry of " + s.retry_of;
  return out;
}

}  // namespace cordon::evidence
