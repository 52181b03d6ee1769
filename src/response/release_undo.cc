#include "response/release_undo.h"

#include "response/live_state.h"
#include "response/steps/steps.h"

namespace cordon::response {

Result<std::vector<UndoItem>> DoneContainSteps(evidence::CaseStore& store, const std::string& target) {
  std::vector<UndoItem> undo;
  auto contain_steps = ContainSteps();
  // Reverse contain order: their position there is the crash hooks' N.
  for (auto it = contain_steps.rbegin(); it != contain_steps.rend(); ++it) {
    std::unique_ptr<Step> step = it->make();
    if (!step->undoable()) continue;
    auto last = store.journal().LastOutcome(target, it->name);
    if (!last) return MakeError(last.error());
    if (last->state != evidence::StepState::kDone) continue;
    auto released = store.journal().LastOutcome(target, "release:" + std::string(it->name));
    if (!released) return MakeError(released.error());
    undo.push_back(UndoItem{std::move(step), last->payload, released->state == evidence::StepState::kDone});
  }
  return undo;
}

Status AssessUndo(StepContext& ctx, std::vector<UndoItem>& undo, DriftFindings& findings) {
  auto live = ReadLiveState(ctx);
  if (!live) return MakeError(live.error());
  if (live->gone) {
    findings.Skip("instance", "the instance is terminated or gone; only the role's deny policy is removed");
    std::erase_if(undo, [](const UndoItem& u) { return !u.released && !u.step->UndoWhenInstanceGone(); });
  }
  for (UndoItem& u : undo) {
    if (u.released) continue;
    if (Status s = u.step->AssessDrift(ctx, *live, &u.payload, &findings); !s) return s;
  }
  return Ok();
}

}  // namespace cordon::response
