// Test hooks that end the process as SIGKILL would, at a chosen point of a response, so the
// integration tests can check that a rerun converges:
//   CORDON_TEST_CRASH_AFTER_STEP=N     _exit(137) right after the Nth step outcome is journaled;
//   CORDON_TEST_CRASH_BEFORE_OUTCOME=N _exit(137) after the Nth step's AWS calls, before its outcome.
// Steps are counted in the order they reach that point in this process (1-based); steps skipped as
// "already done" write no outcome and are not counted.
#pragma once

namespace cordon::response {

void MaybeCrashAfterOutcome();
void MaybeCrashBeforeOutcome();

}  // namespace cordon::response
