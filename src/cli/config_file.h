// cordon's configuration file: settings a responder would otherwise retype on every command. Today it
// holds the hunt's log sources, which `cordon triage` and `cordon hunt` use when no source flag is
// given. The format is documented in docs/hunt.md ("The configuration file").
#pragma once

#include <string>

#include "base/error.h"
#include "cli/hunt_sources.h"

namespace cordon::cli {

struct ConfigFile {
  std::string path;       // the file read; empty when there was none
  HuntSources hunt;       // relative paths already resolved against the file's folder
  std::string cases_dir;  // "cases_dir": where cases live (cli/cases_root.h); resolved the same way
};

// Where the configuration file is: $CORDON_CONFIG when set (set but empty: no file at all), else
// $XDG_CONFIG_HOME/cordon/config.json, else $HOME/.config/cordon/config.json.
// `explicit_path` is set to whether the user named the file ($CORDON_CONFIG).
std::string ConfigFilePath(bool* explicit_path);

// Reads the file ConfigFilePath() names. A default location with no file gives an empty ConfigFile; a
// file named by $CORDON_CONFIG must exist. Errors (kInvalidArgument) name the file and what is wrong.
Result<ConfigFile> LoadConfigFile();

// Parses `doc`, read from `path`: {"cases_dir": "DIR", "hunt": {"cloudtrail": [...], "flow_logs": [...],
// "guardduty": [...], "config": [...]}}, each list also accepted as one string. Unknown keys are errors, so a
// typo cannot silently drop a source.
Result<ConfigFile> ParseConfigFile(const std::string& path, const Json& doc);

}  // namespace cordon::cli
