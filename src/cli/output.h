// Diagnostics on stderr with a fixed prefix ("cordon: error: ..."), as ninja's Fatal/Error/Warning, and a
// command's JSON result on stdout.
#pragma once

#include <string_view>

#include "base/error.h"
#include "base/json.h"

namespace cordon::cli {

void PrintError(std::string_view message);
void PrintWarning(std::string_view message);
void PrintInfo(std::string_view message);
// Prints the error and returns its exit code.
int ReportError(const Error& error);

// `doc` on stdout, indented by 2, and a newline. Strings from AWS or a log may hold invalid UTF-8, on which
// nlohmann's dump throws (and the process would abort): such bytes become U+FFFD.
void PrintJson(const Json& doc);

}  // namespace cordon::cli
