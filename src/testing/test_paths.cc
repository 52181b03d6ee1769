#include "testing/test_paths.h"

namespace cordon::test {

// String literals: constant, so a test's static initializers may call these in any order.
const char* SourceDir() { return CORDON_SOURCE_DIR; }
const char* TestDataDir() { return CORDON_SOURCE_DIR "/tests/data"; }

}  // namespace cordon::test
