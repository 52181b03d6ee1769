// Loads Sigma rules from YAML files and folders. A rule cordon cannot run is kept as a SkippedRule with
// its reason, never dropped silently: the hunt's coverage section lists them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "hunt/sigma/correlation.h"
#include "hunt/sigma/rule.h"

namespace cordon::hunt::sigma {

struct SkippedRule {
  std::string file;
  std::string title;  // empty when the document had none (or was not YAML)
  std::string reason;
};

struct LoadedRules {
  std::vector<Rule> rules;
  std::vector<Correlation> correlations;
  std::vector<SkippedRule> skipped;
  size_t files = 0;
};

// Loads every rule and correlation document of one file's text into *out. Documents that cannot run
// (another logsource, a filter document, a correlation type cordon does not run, an unknown modifier,
// `expand`, a bad condition, invalid YAML) go to out->skipped with the reason. Correlations are not
// resolved: call ResolveCorrelations (correlation.h) once every file is loaded.
void LoadRuleText(std::string_view file, std::string_view text, LoadedRules* out);

// Loads files and folders (recursively: every *.yml and *.yaml, in name order), then resolves the
// correlations. Fails with kNotFound for a
// path that does not exist and kIo for one that cannot be read; a bad rule is not a failure.
Result<LoadedRules> LoadRules(const std::vector<std::string>& paths);

}  // namespace cordon::hunt::sigma
