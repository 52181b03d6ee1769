#include "base/json_parse.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <string>

namespace cordon {
namespace {

// "invalid JSON in WHAT at line L, column C: PROBLEM" and the line around `byte` with a caret.
tl::unexpected<Error> ErrorAt(std::string_view text, std::string_view what, size_t byte, std::string_view problem) {
  if (byte > text.size()) byte = text.size();
  size_t line = 1, line_start = 0;
  for (size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  size_t line_end = text.find('\n', line_start);
  std::string_view line_text =
      text.substr(line_start, line_end == std::string_view::npos ? std::string_view::npos : line_end - line_start);
  size_t column = byte - line_start + 1;
  // Keep long single-line inputs readable: show at most 60 characters around the error.
  size_t from = column > 40 ? column - 40 : 0;
  std::string excerpt(line_text.substr(std::min(from, line_text.size()), 60));
  // The excerpt is the attacker's text: show control bytes as '?' so it cannot drive the terminal.
  for (char& c : excerpt) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return MakeError(ErrorKind::kInvalidArgument, "invalid JSON in " + std::string(what) + " at line " +
                                                    std::to_string(line) + ", column " + std::to_string(column) +
                                                    ": " + std::string(problem) + "\n  " + excerpt + "\n  " +
                                                    std::string(column - 1 - from, ' ') + "^");
}

bool IsNumberChar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// One pass over the text outside strings, before nlohmann sees it: the first place nesting goes past
// `max_depth`, or the first number no double can hold. Returns false and sets *byte / *problem then.
// Text that is not JSON may pass; the parser then reports it.
bool PreScan(std::string_view text, size_t max_depth, size_t* byte, std::string* problem) {
  size_t depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) {
        *byte = i;
        *problem = "nested deeper than " + std::to_string(max_depth) + " arrays/objects";
        return false;
      }
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t end = i;
      while (end < text.size() && IsNumberChar(text[end])) ++end;
      const std::string token(text.substr(i, end - i));
      errno = 0;
      const double value = std::strtod(token.c_str(), nullptr);
      if (std::isinf(value)) {
        *byte = i;
        *problem = "number " + token.substr(0, 40) + (token.size() > 40 ? "..." : "") + " is out of range";
        return false;
      }
      i = end - 1;
    }
  }
  return true;
}

}  // namespace

Result<Json> ParseJsonInput(std::string_view text, std::string_view what, size_t max_depth) {
  size_t byte = 0;
  std::string problem;
  if (!PreScan(text, max_depth, &byte, &problem)) return ErrorAt(text, what, byte, problem);
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    // e.byte counts from 1 and points just past the offending character.
    std::string message = e.what();
    if (size_t colon = message.rfind(": "); colon != std::string::npos) message = message.substr(colon + 2);
    return ErrorAt(text, what, e.byte == 0 ? 0 : e.byte - 1, message);
  } catch (const Json::exception& e) {
    // out_of_range and the like carry no position; the pre-scan catches the ones we know of.
    return MakeError(ErrorKind::kInvalidArgument, "invalid JSON in " + std::string(what) + ": " + e.what());
  } catch (const std::exception& e) {
    return MakeError(ErrorKind::kInvalidArgument, "cannot parse JSON in " + std::string(what) + ": " + e.what());
  }
}

}  // namespace cordon
