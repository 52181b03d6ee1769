// What release undoes on one target and what blocks it: the done contain steps the journal shows,
// and their drift against live state. Shared by `release` (which then runs the undos) and
// `release --plan` (which only prints them); both only read here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/json.h"
#include "evidence/case_store.h"
#include "response/drift.h"
#include "response/step.h"

namespace cordon::response {

// A done contain step and the payload its undo will act on (the journaled step.done, with what is
// already restored or cannot be restored taken out by the step's AssessDrift).
struct UndoItem {
  std::unique_ptr<Step> step;
  Json payload;
  bool released = false;  // release:<step> already journaled done (a resumed release): not assessed
};

// The undoable contain steps the journal shows done on `target`, in reverse contain order.
Result<std::vector<UndoItem>> DoneContainSteps(evidence::CaseStore& store, const std::string& target);

// Reads live state once and has every step not yet released assess its own drift against it. On a
// gone instance only the steps that declare UndoWhenInstanceGone() stay. Only reads.
Status AssessUndo(StepContext& ctx, std::vector<UndoItem>& undo, DriftFindings& findings);

}  // namespace cordon::response
