// The transformation modifiers that re-encode a value: base64, base64offset, utf16le/be, utf16, wide,
// windash. Each takes plain bytes (no Sigma wildcards) and returns the plain byte strings to search for.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cordon::hunt::sigma {

std::string EncodeBase64(std::string_view bytes);
// The three forms `bytes` takes inside a longer base64 text, at offsets 0, 1 and 2 of a 3-byte group:
// the characters that do not depend on the neighbouring bytes (pySigma's and Sigma's classic algorithm).
std::vector<std::string> EncodeBase64Offsets(std::string_view bytes);
// UTF-8 to UTF-16 little or big endian; `bom` prepends FF FE (the `utf16` modifier, little endian).
// nullopt when `text` is not valid UTF-8.
std::optional<std::string> EncodeUtf16(std::string_view text, bool big_endian, bool bom);
// Every string made by putting each of `-` `/` `–` `—` `―` at each place where one of them occurs.
// nullopt when there would be more than `limit` strings.
std::optional<std::vector<std::string>> WindashVariants(std::string_view text, size_t limit);

}  // namespace cordon::hunt::sigma
