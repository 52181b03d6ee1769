#include "cli/json_input.h"

#include <fstream>
#include <iostream>
#include <string>

#include "base/json_parse.h"

namespace cordon::cli {
namespace {

// JSON inputs are API requests and configuration: far smaller. A link to /dev/zero or an endless pipe
// must end in an error, not in all of memory (issue 16).
constexpr size_t kMaxJsonInput = 64u << 20;

Status ReadCapped(std::istream& in, const std::string& origin, std::string* out) {
  char buf[1 << 16];
  while (in.read(buf, sizeof(buf)) || in.gcount() > 0) {
    if (out->size() + static_cast<size_t>(in.gcount()) > kMaxJsonInput) {
      return MakeError(
          ErrorKind::kInvalidArgument,
          origin + " is over " + std::to_string(kMaxJsonInput >> 20) + " MiB: too large for a JSON input");
    }
    out->append(buf, static_cast<size_t>(in.gcount()));
  }
  return Ok();
}

}  // namespace

Result<Json> ReadJsonArgument(const std::string& argument) {
  std::string text = argument, origin = "the JSON input";
  if (!argument.empty() && argument[0] == '@') {
    std::string path = argument.substr(1);
    origin = path == "-" ? "standard input" : path;
    text.clear();
    if (path == "-") {
      if (Status s = ReadCapped(std::cin, origin, &text); !s) return MakeError(s.error());
    } else {
      std::ifstream in(path, std::ios::binary);
      if (!in) return MakeError(ErrorKind::kInvalidArgument, "cannot read JSON input file '" + path + "'");
      if (Status s = ReadCapped(in, "JSON input file '" + path + "'", &text); !s) return MakeError(s.error());
    }
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  return ParseJsonInput(text, origin);
}

}  // namespace cordon::cli
