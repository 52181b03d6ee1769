// Diagnostics on stderr with a fixed prefix ("cordon: error: ..."), as ninja's Fatal/Error/Warning.
#pragma once

#include <string_view>

#include "base/error.h"

namespace cordon::cli {

void PrintError(std::string_view message);
void PrintWarning(std::string_view message);
void PrintInfo(std::string_view message);
// Prints the error and returns its exit code.
int ReportError(const Error& error);

}  // namespace cordon::cli
