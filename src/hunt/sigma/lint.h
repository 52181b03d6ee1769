// `cordon sigma lint`: what keeps a Sigma rule from ever matching a real CloudTrail record.
//
// Per rule: a field CloudTrail records do not have (cloudtrail_fields.h), a value of a shape the field
// never has (an eventSource not ending in .amazonaws.com), a field and value real records of the rule's
// event do not carry (kKnownMismatches in lint.cc), and rules cordon cannot run (the loader's reasons).
// Each finding says whether it alone makes the rule unable to match (`never_matches`), or only one part
// of it (the rule can still match through another search or alternative).
#pragma once

#include <string>
#include <vector>

#include "hunt/sigma/rule_loader.h"

namespace cordon::hunt::sigma {

struct LintFinding {
  enum class Kind { kUnknownField, kValueShape, kKnownMismatch, kCannotRun };
  Kind kind;
  std::string file;
  std::string id;
  std::string title;
  std::string search;  // the search identifier ("" for kCannotRun)
  std::string field;   // the detection item's field ("" for kCannotRun)
  std::string value;   // the value at fault (kValueShape, kKnownMismatch)
  std::string message;
  bool never_matches = false;  // the rule as a whole can never match (always true for kCannotRun)
};

std::string_view LintKindName(LintFinding::Kind kind);

struct LintReport {
  size_t files = 0;
  size_t rules = 0;  // rules loaded plus rules that cannot run
  std::vector<LintFinding> findings;
};

// Lints every loaded rule, and reports each skipped one as kCannotRun. Findings are in file order.
LintReport LintRules(const LoadedRules& loaded);

}  // namespace cordon::hunt::sigma
