#include "base/colour.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace cordon {
namespace {

std::atomic<bool> disabled{false};

bool EnvAllowsColour() {
  // no-color.org: "when present and not an empty string ... prevents the addition of ANSI color".
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  return term == nullptr || std::strcmp(term, "dumb") != 0;
}

std::string_view Code(Colour colour) {
  switch (colour) {
    case Colour::kFailure:
      return "\033[1;31m";  // bold red
    case Colour::kWarning:
      return "\033[33m";  // yellow
    case Colour::kFinding:
      return "\033[1;33m";  // bold yellow
    case Colour::kGood:
      return "\033[32m";  // green
  }
  return "";
}

}  // namespace

void DisableColour() { disabled = true; }

bool ColourOn(std::FILE* stream) {
  if (disabled) return false;
  static const bool env_allows = EnvAllowsColour();
  return env_allows && isatty(fileno(stream)) == 1;
}

std::string Paint(std::FILE* stream, Colour colour, std::string_view literal) {
  if (!ColourOn(stream)) return std::string(literal);
  std::string out(Code(colour));
  out += literal;
  out += "\033[0m";
  return out;
}

}  // namespace cordon
