// What `release` reads of a target before it changes anything, and what the steps' drift
// assessments (Step::AssessDrift) find in it. See docs/response.md, "Drift".
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/json.h"

namespace cordon::response {

// The target's live state, read once by release and shared by every step's assessment.
struct LiveState {
  Json instance;      // the Instance (boto3 shape); null when DescribeInstances was refused
  Json enis;          // the attached ENIs (boto3 shape), sorted by device index
  bool gone = false;  // terminated, shutting down or no longer there: nothing on it can be restored

  // The attached ENI `id`, or nullptr when it is not (or no longer) attached.
  const Json* Eni(const std::string& id) const;
};

// How release treats one drifted property.
enum class DriftAction {
  kSkip,      // cannot be restored: refused, and with --force left as it is (the target is partial)
  kOverride,  // someone else changed it: refused, and with --force set back to the recorded value
  kHeld,      // the target belongs to another case now: refused, --force or not
};

struct DriftFinding {
  DriftAction action = DriftAction::kSkip;
  std::string step;  // the contain step that found it, or "instance"
  std::string what;  // one line naming the property and what it is now

  std::string Line() const { return step + ": " + what; }  // "<step>: <what>"
};

// Every drifted property of one target, in the order found. Not thread-safe: one per target.
class DriftFindings {
 public:
  void Skip(std::string_view step, std::string what) { Add(DriftAction::kSkip, step, std::move(what)); }
  void Override(std::string_view step, std::string what) {
    Add(DriftAction::kOverride, step, std::move(what));
  }
  void Hold(std::string_view step, std::string what) { Add(DriftAction::kHeld, step, std::move(what)); }

  bool empty() const { return findings_.empty(); }
  // Whether release must refuse the target even with --force.
  bool held() const;
  // The lines ("<step>: <what>") of every finding.
  std::vector<std::string> Lines() const;
  // The lines of the findings with `action`.
  std::vector<std::string> Lines(DriftAction action) const;
  const std::vector<DriftFinding>& all() const { return findings_; }

 private:
  void Add(DriftAction action, std::string_view step, std::string what) {
    findings_.push_back(DriftFinding{action, std::string(step), std::move(what)});
  }

  std::vector<DriftFinding> findings_;
};

}  // namespace cordon::response
