// printf for text meant for a terminal: what AWS and the logs said (tags, CloudTrail fields, finding
// titles, file names) reaches it with its control characters neutralized (base/terminal_text.h).
#pragma once

#include <cstdio>

namespace cordon {

// Formats as std::fprintf does, then writes the text to `stream` with every C0/C1 control but newline
// and tab made visible (NeutralizeControls), so that an escape sequence planted in a tag cannot erase
// lines, hide text or plant a link. For text output only: JSON is written exactly (its escaping is
// what makes it safe).
void SafePrintf(std::FILE* stream, const char* format, ...) __attribute__((format(printf, 2, 3)));

}  // namespace cordon
