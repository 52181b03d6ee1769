// The fuzzers' assertion. The fuzz build is RelWithDebInfo, which defines NDEBUG, so assert() would
// compile to nothing there and a fuzzer's invariants would never be checked; this one always is.
#pragma once

#include <cstdio>
#include <cstdlib>

#define CORDON_FUZZ_CHECK(condition)                                                          \
  do {                                                                                        \
    if (!(condition)) {                                                                       \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)
