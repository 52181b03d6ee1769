#include "cli/json_input.h"

#include <fstream>
#include <iostream>
#include <sstream>

namespace cordon::cli {

Result<Json> ReadJsonArgument(const std::string& argument) {
  std::string text = argument, origin = "the JSON input";
  if (!argument.empty() && argument[0] == '@') {
    std::string path = argument.substr(1);
    std::ostringstream buf;
    if (path == "-") {
      buf << std::cin.rdbuf();
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) return MakeError(ErrorKind::kInvalidArgument, "cannot read JSON input file '" + path + "'");
      buf << in.rdbuf();
    }
    text = buf.str();
    origin = path == "-" ? "standard input" : path;
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    size_t byte = e.byte == 0 ? 0 : e.byte - 1;
    if (byte > text.size()) byte = text.size();
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < byte; ++i)
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    size_t line_end = text.find('\n', line_start);
    std::string line_text =
        text.substr(line_start, line_end == std::string::npos ? std::string::npos : line_end - line_start);
    size_t column = byte - line_start + 1;
    // Keep long single-line inputs readable: show at most 60 characters around the error.
    size_t from = column > 40 ? column - 40 : 0;
    std::string excerpt = line_text.substr(from, 60);
    std::string what = e.what();
    if (size_t colon = what.rfind(": "); colon != std::string::npos) what = what.substr(colon + 2);
    return MakeError(ErrorKind::kInvalidArgument,
                     "invalid JSON in " + origin + " at line " + std::to_string(line) + ", column " +
                         std::to_string(column) + ": " + what + "\n  " + excerpt + "\n  " +
                         std::string(column - 1 - from, ' ') + "^");
  }
}

}  // namespace cordon::cli
