// Small helpers over simdjson on-demand shared by the JSON log readers.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

namespace cordon::hunt::detail {

namespace sj = simdjson::ondemand;

// A view of text[0, size) that simdjson may read kReadPadding bytes beyond: `span` must lie inside a
// buffer whose end is followed by that padding, and `buffer_end` is that buffer's end.
simdjson::padded_string_view PaddedSpan(std::string_view span, const char* buffer_end);

// Copies a string value into *out. Leaves *out alone and returns false for null or other types.
bool GetString(sj::value value, std::string* out);

// The raw JSON text of any value: the whole subtree for objects and arrays, the token for scalars
// (strings keep their quotes and escapes). Consumes the value.
simdjson::simdjson_result<std::string_view> RawJson(sj::value value);

// After a document was read through to its end: whether nothing but whitespace follows it. simdjson
// on-demand does not look past the value it was asked for, so "{...}}" would otherwise pass.
bool AtEnd(sj::document& doc);

// First non-whitespace character at or after `pos`, or '\0'.
char FirstNonSpace(std::string_view text, size_t pos = 0);

}  // namespace cordon::hunt::detail
