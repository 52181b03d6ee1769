// The command table and the entry point that dispatches to it.
#pragma once

namespace cordon::cli {
int Main(int argc, char** argv);
}  // namespace cordon::cli
