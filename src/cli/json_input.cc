#include "cli/json_input.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "base/json_parse.h"

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
  return ParseJsonInput(text, origin);
}

}  // namespace cordon::cli
