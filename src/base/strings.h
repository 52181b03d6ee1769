// Small string helpers shared by every layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cordon {

std::vector<std::string> Split(std::string_view text, char sep);
// The parts with `sep` between them: Join({"a", "b"}) == "a, b".
std::string Join(const std::vector<std::string>& parts, std::string_view sep = ", ");
std::string_view Trim(std::string_view text);
// Whether `text` holds a C0 control character or DEL (tab and newline included).
bool HasControlChar(std::string_view text);
std::string ToLower(std::string_view text);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Levenshtein distance, case-insensitive (for "did you mean" suggestions).
size_t EditDistance(std::string_view a, std::string_view b);
// Up to `limit` candidates closest to `word`, closest first; only those within a useful distance.
std::vector<std::string> ClosestMatches(std::string_view word, const std::vector<std::string>& candidates,
                                        size_t limit = 3);

}  // namespace cordon
