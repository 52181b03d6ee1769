// The command table (one static table, as ninja's tools) and the entry point that dispatches to it.
#pragma once

#include <string_view>

namespace cordon::cli {

struct Command {
  std::string_view name;
  std::string_view summary;
  int (*run)(int argc, char** argv);  // argv[0] is the command name
};

int Main(int argc, char** argv);

}  // namespace cordon::cli
