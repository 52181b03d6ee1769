#include "response/crash_hook.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>

namespace cordon::response {
namespace {

long EnvNumber(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? 0 : std::strtol(v, nullptr, 10);
}

void Maybe(const char* env, std::atomic<long>* counter) {
  long n = EnvNumber(env);
  if (n <= 0) return;
  if (counter->fetch_add(1) + 1 == n) {
    std::fprintf(stderr, "cordon: %s=%ld: exiting as if killed\n", env, n);
    std::fflush(stderr);
    _exit(137);
  }
}

std::atomic<long> after_outcome{0};
std::atomic<long> before_outcome{0};

}  // namespace

void MaybeCrashAfterOutcome() { Maybe("CORDON_TEST_CRASH_AFTER_STEP", &after_outcome); }
void MaybeCrashBeforeOutcome() { Maybe("CORDON_TEST_CRASH_BEFORE_OUTCOME", &before_outcome); }

}  // namespace cordon::response
