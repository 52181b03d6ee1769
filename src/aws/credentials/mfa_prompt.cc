#include "aws/credentials/mfa_prompt.h"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <mutex>

#include "base/strings.h"

namespace cordon::aws {
namespace {

// One line from stdin with the terminal's echo off (restored afterwards, even on EOF).
std::optional<std::string> ReadHiddenLine() {
  termios old_mode{};
  bool restore = tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (restore) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);  // not TCSAFLUSH: a code typed after the prompt must stay
  }
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  if (restore) tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
  std::fputc('\n', stderr);
  if (!got) return std::nullopt;
  return line;
}

}  // namespace

MfaCodeReader TerminalMfaCodeReader(std::optional<std::string> code) {
  auto mu = std::make_shared<std::mutex>();
  return [code, mu](const std::string& profile, const std::string& serial) -> Result<std::string> {
    if (code && !Trim(*code).empty()) return *code;
    if (!isatty(STDIN_FILENO)) {
      return MakeError(ErrorKind::kInvalidArgument,
                       fmt::format("profile '{}' requires an MFA code (mfa_serial {}) and stdin is not a "
                                   "terminal to ask for one; pass --mfa-code CODE",
                                   profile, serial));
    }
    std::lock_guard<std::mutex> lock(*mu);
    std::fprintf(stderr, "Enter MFA code for %s: ", serial.c_str());
    std::fflush(stderr);
    std::optional<std::string> line = ReadHiddenLine();
    if (!line || Trim(*line).empty()) {
      return MakeError(ErrorKind::kInvalidArgument,
                       fmt::format("no MFA code entered for profile '{}'", profile));
    }
    return *line;
  };
}

}  // namespace cordon::aws
