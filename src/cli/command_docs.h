// Each command's name, summary, description and options, read from the command table and the flags
// the commands themselves add (so they cannot drift apart): the source of `cordon completion` and
// `cordon man`.
#pragma once

#include <string>
#include <vector>

namespace cordon::cli {

struct OptionDoc {
  std::vector<std::string> flags;  // "--case", "-h"; empty for a positional
  std::string positional;          // "TARGET" for a positional
  std::string description;
  bool takes_value = false;
};

struct CommandDoc {
  std::string name;  // "lab up"
  std::string summary, description;
  std::vector<OptionDoc> options;
  std::vector<CommandDoc> subcommands;  // CLI11 sub-commands (`case list`, `case show`)
};

// Every command of the table, in its order.
std::vector<CommandDoc> CommandDocs();

}  // namespace cordon::cli
