#include "cli/parse_flags.h"

#include <string>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "cli/exit_codes.h"
#include "cli/output.h"

namespace cordon::cli {
namespace {

std::vector<std::string> OptionNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
  }
  return names;
}

// The deepest sub-command that was parsed (`case show`), where an unexpected argument was given.
const CLI::App* ParsedLeaf(const CLI::App& app) {
  for (const CLI::App* sub : app.get_subcommands())
    if (sub->parsed()) return ParsedLeaf(*sub);
  return &app;
}

// One line per unexpected argument, in the order given: a misspelt flag with the flags it may
// have meant, a sub-command that does not exist with those that do.
std::string Explain(const CLI::App& app, const std::vector<std::string>& extras) {
  const CLI::App& leaf = *ParsedLeaf(app);
  std::string out;
  bool after_unknown_flag = false;
  for (const std::string& arg : extras) {
    // The value of a misspelt `--flag value` is not a second mistake.
    if (std::exchange(after_unknown_flag, false) && !arg.starts_with("-")) continue;
    out += out.empty() ? "" : "\n";
    if (arg.starts_with("-")) {
      after_unknown_flag = arg.find('=') == std::string::npos;
      const std::string flag = arg.substr(0, arg.find('='));
      auto near = ClosestMatches(flag, OptionNames(leaf), 2);
      out += "unknown option '" + flag + "'" +
             (near.empty() ? "" : "; did you mean " + Join(near, " or ") + "?");
      continue;
    }
    std::vector<std::string> subs;
    for (const CLI::App* s : leaf.get_subcommands({})) subs.push_back(s->get_name());
    if (!subs.empty() && leaf.get_subcommands().empty())
      out += "unknown sub-command '" + arg + "' of '" + leaf.get_name() + "'; one of: " + Join(subs);
    else
      out += "unexpected argument '" + arg + "'";
  }
  return out;
}

}  // namespace

std::optional<int> ParseFlags(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError&) {
    PrintError(Explain(app, app.remaining(true)) + "\n(`" + app.get_name() + " --help` lists the options)");
    return kExitUsage;
  } catch (const CLI::RequiredError& e) {
    // `cordon case foo`: CLI11 reports the missing sub-command, not the one given that does not exist.
    const CLI::App& leaf = *ParsedLeaf(app);
    std::vector<std::string> extras = app.remaining(true);
    if (!leaf.get_subcommands({}).empty() && leaf.get_subcommands().empty() && !extras.empty()) {
      PrintError(Explain(app, extras));
      return kExitUsage;
    }
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const CLI::ParseError& e) {
    // app.exit prints help or the error and returns 0 only for --help (CallForHelp).
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  return std::nullopt;
}

}  // namespace cordon::cli
