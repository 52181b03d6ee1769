// Test hooks that end the process as SIGKILL would, at a chosen point of a response, so the
// integration tests can check that a rerun converges:
//   CORDON_TEST_CRASH_AFTER_STEP=N     _exit(137) right after step N's outcome is journaled;
//   CORDON_TEST_CRASH_BEFORE_OUTCOME=N _exit(137) after step N's AWS calls, before its outcome.
// N is the step's 1-based position in the plan (the order `contain --plan` prints; for release, the
// order of its undo steps; for preserve, the pre-state is 1 and the rounds' snapshots follow), so
// a test can aim at a step even where steps run in parallel. A step found "already done" that
// writes nothing does not trigger the hook.
#pragma once

namespace cordon::response {

// `position` 0 (a step outside any plan) never crashes.
void MaybeCrashAfterOutcome(int position);
void MaybeCrashBeforeOutcome(int position);

}  // namespace cordon::response
