// Reading a JSON argument given inline or as @file, with errors that point at the position.
#pragma once

#include <string>

#include "base/error.h"
#include "base/json.h"

namespace cordon::cli {

// `argument` is JSON text, or "@path" to read it from a file ("@-" for stdin). Empty means {}.
// A syntax error names the line and column and shows the text around it with a caret.
Result<Json> ReadJsonArgument(const std::string& argument);

}  // namespace cordon::cli
