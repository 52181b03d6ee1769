#include "response/snapshot_wait.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>

#include "base/activity.h"
#include "response/live_state.h"

namespace cordon::response {
namespace {

std::string Named(const SnapshotState& s) {
  return s.snapshot_id + (s.volume_id.empty() ? "" : " (" + s.volume_id + ")");
}

std::string NamedList(const std::vector<SnapshotState>& list, bool with_detail) {
  std::string out;
  for (const SnapshotState& s : list) {
    out += (out.empty() ? "" : ", ") + Named(s);
    if (with_detail && !s.progress.empty()) out += " " + s.progress;
    if (with_detail && !s.message.empty()) out += ": " + s.message;
  }
  return out;
}

std::atomic<int64_t> snapshot_timeout_seconds{kDefaultSnapshotTimeout.count()};

}  // namespace

void SetSnapshotTimeout(std::chrono::seconds timeout) { snapshot_timeout_seconds = timeout.count(); }
std::chrono::seconds SnapshotTimeout() { return std::chrono::seconds(snapshot_timeout_seconds.load()); }

Json SnapshotState::ToJson() const {
  Json j = {{"snapshot_id", snapshot_id}, {"volume_id", volume_id}, {"state", state}};
  if (!progress.empty()) j["progress"] = progress;
  if (!message.empty()) j["message"] = message;
  if (!completed_at.empty()) j[completed_observed ? "seen_completed_at" : "completed_at"] = completed_at;
  return j;
}

SnapshotState SnapshotState::FromJson(const Json& j) {
  SnapshotState s;
  s.snapshot_id = Str(j, "snapshot_id");
  s.volume_id = Str(j, "volume_id");
  s.state = Str(j, "state");
  s.progress = Str(j, "progress");
  s.message = Str(j, "message");
  s.completed_at = Str(j, "completed_at");
  if (s.completed_at.empty() && !Str(j, "seen_completed_at").empty()) {
    s.completed_at = Str(j, "seen_completed_at");
    s.completed_observed = true;
  }
  return s;
}

std::string SetStates::Summary() const {
  const size_t total = completed.size() + pending.size() + failed.size();
  std::string out = std::to_string(completed.size()) + " of " + std::to_string(total) + " completed";
  if (!pending.empty()) out += "; pending " + NamedList(pending, true);
  if (!failed.empty()) out += "; failed " + NamedList(failed, true);
  return out;
}

Json SetStates::ToJson() const {
  Json out = Json::array();
  for (const auto* list : {&completed, &pending, &failed})
    for (const SnapshotState& s : *list) out.push_back(s.ToJson());
  return out;
}

SetStates ClassifySnapshots(const Json& described, const std::map<std::string, std::string>& volume_of,
                            const std::string& now,
                            const std::map<std::string, std::string>& seen_completed) {
  const Json snapshots = described.value("Snapshots", Json::array());  // a copy: `listed` points into it
  std::map<std::string, const Json*> listed;
  for (const Json& s : snapshots) listed[Str(s, "SnapshotId")] = &s;
  SetStates out;
  for (const auto& [id, volume] : volume_of) {
    SnapshotState s;
    s.snapshot_id = id;
    s.volume_id = volume;
    auto it = listed.find(id);
    if (it == listed.end()) {
      s.state = "missing";
      s.message = "DescribeSnapshots no longer lists it (deleted?)";
      out.failed.push_back(std::move(s));
      continue;
    }
    const Json& d = *it->second;
    s.state = Str(d, "State");
    s.progress = Str(d, "Progress");
    if (s.state == "completed") {
      s.completed_at = Str(d, "CompletionTime");
      if (s.completed_at.empty()) {
        auto seen = seen_completed.find(id);
        s.completed_at = seen == seen_completed.end() ? now : seen->second;
        s.completed_observed = true;
      }
      s.progress.clear();  // "100%" says nothing more than completed
      out.completed.push_back(std::move(s));
    } else if (s.state == "error") {
      s.message = Str(d, "StateMessage");
      out.failed.push_back(std::move(s));
    } else {  // pending, or a state EC2 may add: not evidence yet
      out.pending.push_back(std::move(s));
    }
  }
  return out;
}

SnapshotPolling SnapshotPollingFromEnvironment() {
  SnapshotPolling p;
  if (const char* v = std::getenv("CORDON_TEST_SNAPSHOT_POLL_MS"); v != nullptr) {
    const long ms = std::strtol(v, nullptr, 10);
    if (ms > 0) p = {std::chrono::milliseconds(ms), std::chrono::milliseconds(4 * ms)};
  }
  return p;
}

Result<SetStates> WaitForSnapshots(const StepContext& ctx,
                                   const std::map<std::string, std::string>& volume_of, TimePoint deadline,
                                   const std::string& set) {
  std::vector<std::string> ids;
  for (const auto& entry : volume_of) ids.push_back(entry.first);
  Clock* clock = ctx.client->clock();
  const SnapshotPolling polling = SnapshotPollingFromEnvironment();
  std::chrono::milliseconds pause = polling.first;
  std::map<std::string, std::string> seen_completed;
  ActivityScope waiting("ec2 snapshots of " + set + " to complete");
  for (;;) {
    Json input = Filters("snapshot-id", ids);
    input["OwnerIds"] = {"self"};
    auto described = ctx.CallAll("ec2", "DescribeSnapshots", input);
    if (!described) return MakeError(described.error());
    SetStates states = ClassifySnapshots(*described, volume_of, FormatIso8601(clock->Now()), seen_completed);
    for (const SnapshotState& s : states.completed) seen_completed.emplace(s.snapshot_id, s.completed_at);
    if (states.settled() || clock->Now() >= deadline) return states;
    waiting.Update("ec2 snapshots of " + set + ": " + states.Summary());
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock->Now());
    clock->SleepFor(std::max(std::chrono::milliseconds(1), std::min(pause, left)));
    pause = std::min(pause * 2, polling.most);
  }
}

}  // namespace cordon::response
