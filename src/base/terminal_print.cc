#include "base/terminal_print.h"

#include <cstdarg>
#include <string>

#include "base/terminal_text.h"

namespace cordon {

void SafePrintf(std::FILE* stream, const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  std::va_list again;
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  if (n <= 0) {
    va_end(again);
    return;
  }
  std::string text(static_cast<size_t>(n) + 1, '\0');
  std::vsnprintf(text.data(), text.size(), format, again);
  va_end(again);
  text.resize(static_cast<size_t>(n));
  const std::string safe = NeutralizeControls(text);
  std::fwrite(safe.data(), 1, safe.size(), stream);
}

}  // namespace cordon
