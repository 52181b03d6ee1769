#include "cli/man_command.h"

#include <cstdio>

#include "cli/exit_codes.h"

namespace cordon::cli {
namespace {

// Text as roff reads it literally: backslashes escaped, '-' as \-, and a line starting with '.' or
// '\'' guarded by \& (else it would be a request). groff_man(7).
std::string Roff(const std::string& text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

std::string Options(const std::vector<OptionDoc>& options) {
  std::string out;
  for (const OptionDoc& o : options) {
    out += ".TP\n";
    if (!o.positional.empty()) {
      out += "\\fI" + Roff(o.positional) + "\\fR\n";
    } else {
      std::string names;
      for (const std::string& f : o.flags) names += (names.empty() ? "" : ", ") + ("\\fB" + Roff(f) + "\\fR");
      out += names + (o.takes_value ? " \\fIVALUE\\fR" : "") + "\n";
    }
    out += Roff(o.description.empty() ? "(no description)" : o.description) + "\n";
  }
  return out;
}

std::string CommandSection(const CommandDoc& d) {
  std::string out = ".SS \"cordon " + Roff(d.name) + "\"\n" + Roff(d.summary) + ".\n";
  if (!d.description.empty() && d.description != d.summary) out += ".PP\n" + Roff(d.description) + "\n";
  out += Options(d.options);
  for (const CommandDoc& sub : d.subcommands) {
    out += ".TP\n\\fBcordon " + Roff(d.name + " " + sub.name) + "\\fR\n" + Roff(sub.summary) + "\n";
    out += ".RS\n" + Options(sub.options) + ".RE\n";
  }
  return out;
}

constexpr const char* kHead =
    ".TH CORDON 1 \"\" \"cordon 0.1.0\" \"User Commands\"\n"
    ".SH NAME\n"
    "cordon \\- respond to a compromised Amazon EC2 instance\n"
    ".SH SYNOPSIS\n"
    ".B cordon\n"
    ".I COMMAND\n"
    "[\\fIoptions\\fR]\n"
    ".br\n"
    ".B cordon help\n"
    "[\\fICOMMAND\\fR]\n"
    ".SH DESCRIPTION\n"
    "cordon triages, contains, preserves, investigates and releases a compromised EC2 instance, speaking\n"
    "the AWS APIs itself. Every change is journaled in a hash\\-chained case; nothing is changed without\n"
    "\\fB\\-\\-yes\\fR or a confirmation, and \\fB\\-\\-plan\\fR prints what would change.\n"
    ".SH COMMANDS\n";

constexpr const char* kTail =
    ".SH ENVIRONMENT\n"
    ".TP\n\\fBAWS_PROFILE\\fR, \\fBAWS_REGION\\fR, \\fBAWS_ENDPOINT_URL\\fR, \\fBAWS_CA_BUNDLE\\fR\n"
    "as the AWS CLI reads them.\n"
    ".TP\n\\fBCORDON_CASES_DIR\\fR\n"
    "where cases live (default: the configuration file's \\(dqcases_dir\\(dq, else\n"
    "\\fI$XDG_DATA_HOME/cordon/cases\\fR or \\fI~/.local/share/cordon/cases\\fR).\n"
    ".TP\n\\fBCORDON_CONFIG\\fR\n"
    "the configuration file (default \\fI~/.config/cordon/config.json\\fR).\n"
    ".TP\n\\fBNO_COLOR\\fR\n"
    "any non\\-empty value turns colour off (as \\fB\\-\\-no\\-color\\fR does).\n"
    ".SH EXIT STATUS\n"
    ".TP\n0\nsuccess\n.TP\n1\nan AWS or network error, or a step failed\n"
    ".TP\n2\nbad flags or input: nothing was done\n"
    ".TP\n3\nthe target (instance, IP, case) does not exist\n"
    ".TP\n4\nthe target matched several instances\n"
    ".TP\n5\nthe credentials were refused or lack a permission\n"
    ".TP\n6\nfinished, but something was skipped or could not be read\n"
    ".TP\n7\nrecover: the service is not whole (yet)\n"
    ".SH SEE ALSO\n"
    "\\fBaws\\fR(1); the documents in the source tree's \\fIdocs/\\fR folder.\n";

}  // namespace

std::string ManPage(const std::vector<CommandDoc>& docs) {
  std::string out = kHead;
  for (const CommandDoc& d : docs) out += CommandSection(d);
  return out + kTail;
}

CommandBody SetupMan(CLI::App& app) {
  app.description(
      "Print the manual page cordon(1) in roff, generated from cordon's commands and flags.\n"
      "Read it with: cordon man | man -l -   (`cmake --install` and the .deb install it).");
  return {[](const CommandContext&) {
            const std::string page = ManPage(CommandDocs());
            std::fwrite(page.data(), 1, page.size(), stdout);
            return kExitOk;
          },
          {}};
}

}  // namespace cordon::cli
