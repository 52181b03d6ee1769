#include "response/crash_hook.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace cordon::response {
namespace {

// Compiled out unless CORDON_TEST_HOOKS (off in Release builds): nobody can make a shipped cordon
// stop halfway through a containment by setting a variable.
void Maybe([[maybe_unused]] const char* env, [[maybe_unused]] int position) {
#ifdef CORDON_TEST_HOOKS
  const char* v = std::getenv(env);
  if (v == nullptr || position <= 0) return;
  if (std::strtol(v, nullptr, 10) != position) return;
  std::fprintf(stderr, "cordon: %s=%d: exiting as if killed\n", env, position);
  std::fflush(stderr);
  _exit(137);
#endif
}

}  // namespace

void MaybeCrashAfterOutcome(int position) { Maybe("CORDON_TEST_CRASH_AFTER_STEP", position); }
void MaybeCrashBeforeOutcome(int position) { Maybe("CORDON_TEST_CRASH_BEFORE_OUTCOME", position); }

}  // namespace cordon::response
