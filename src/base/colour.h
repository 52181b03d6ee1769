// Colour for cordon's own words on a terminal (findings, failures, warnings): only when the stream is
// a terminal, never with NO_COLOR set to anything non-empty (no-color.org), --no-color, or TERM=dumb.
// The escape codes come from here alone and wrap cordon's literals, never text from AWS or logs
// (that goes through SafePrintf, which neutralizes any control character it holds).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace cordon {

enum class Colour { kFailure, kWarning, kFinding, kGood };

// --no-color: no colour on any stream for the rest of the process.
void DisableColour();

// Whether `stream` (stdout or stderr) gets colour.
bool ColourOn(std::FILE* stream);

// `literal` wrapped in the colour's SGR codes when ColourOn(stream), else as it is. `literal` is
// cordon's own text (a constant or a number), never data.
std::string Paint(std::FILE* stream, Colour colour, std::string_view literal);

}  // namespace cordon
