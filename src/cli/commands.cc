#include "cli/commands.h"

#include <cstdio>

namespace cordon::cli {
int Main(int argc, char** argv) {
  std::fprintf(stderr, "cordon: no commands yet\n");
  return 2;
}
}  // namespace cordon::cli
