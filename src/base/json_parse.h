// Parsing JSON that someone else wrote (files, arguments, config): never throws, never recurses deeply.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/error.h"
#include "base/json.h"

namespace cordon {

// Deeper documents are refused before they are parsed. No AWS input nests anywhere near this.
inline constexpr size_t kMaxJsonInputDepth = 512;

// Parses `text` as one JSON document. Every failure is a kInvalidArgument error (never an exception,
// never an abort): a syntax error, a number out of range (1e999999), nesting deeper than `max_depth`
// arrays/objects. The message names `what` ("the JSON input", a file's path), the line and column,
// and shows the text around the error with a caret:
//   invalid JSON in in.json at line 2, column 15: number overflow parsing '1e999999'
[[nodiscard]] Result<Json> ParseJsonInput(std::string_view text, std::string_view what,
                                          size_t max_depth = kMaxJsonInputDepth);

}  // namespace cordon
