#include "cli/json_log.h"

#include <cstdio>
#include <mutex>
#include <string>

#include "base/time.h"

namespace cordon::cli {

void LogJsonLine(const Json& line) {
  static std::mutex mu;
  Json stamped = {{"time", FormatIsoLikeBoto3(SystemClock::Default()->Now())}};
  stamped.update(line);
  std::string text = stamped.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::lock_guard<std::mutex> lock(mu);
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace cordon::cli
