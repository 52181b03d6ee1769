// A Sigma correlation rule (Sigma correlation rules specification 2.1, tests/data/sigma/specification):
// its metadata, what it correlates (rules or other correlations, by id or name), how (event_count,
// value_count, temporal, temporal_ordered), per group-by values within a timespan, under a count condition.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/error.h"

namespace YAML {
class Node;
}

namespace cordon::hunt::sigma {

struct LoadedRules;

enum class CorrelationType { kEventCount, kValueCount, kTemporal, kTemporalOrdered };
std::string_view CorrelationTypeName(CorrelationType type);

// One criterion of a correlation's `condition` map; several are linked with AND ("101 to 200").
struct CountBound {
  enum class Op { kGt, kGte, kLt, kLte, kEq, kNeq };
  Op op = Op::kGte;
  int64_t value = 0;
  bool Holds(int64_t count) const;
};

struct Correlation {
  std::string file;
  std::string id;
  std::string name;
  std::string title;
  std::string level;
  std::string status;
  std::string author;
  std::string description;
  std::vector<std::string> falsepositives;

  CorrelationType type = CorrelationType::kEventCount;
  std::vector<std::string> rules;     // as written: ids or names
  std::vector<std::string> group_by;  // field names or alias names
  // alias -> rule name -> the field that rule's events hold it in.
  std::map<std::string, std::map<std::string, std::string>> aliases;
  std::chrono::seconds timespan{0};
  // Empty for temporal types without a condition: every referenced rule must appear.
  std::vector<CountBound> condition;
  std::vector<std::string> value_fields;  // value_count: `condition.field` (a list is a tuple)
  bool generate = false;

  // Filled by ResolveCorrelations. One per `rules` entry: a rule (index into LoadedRules::rules) or a
  // correlation (index into LoadedRules::correlations), and the field holding each group-by value (and
  // each value field) in that source's events, aliases applied.
  struct Source {
    bool correlation = false;
    size_t index = 0;
    std::vector<std::string> group_fields;
    std::vector<std::string> value_fields;
  };
  std::vector<Source> sources;
  // False when another correlation refers to this one without `generate: true`: only the outermost
  // correlation of a chain is reported (specification, "Correlation rules").
  bool reported = true;
};

// Parses one YAML document that has a `correlation` map into *out. Fails with kInvalidArgument naming the
// attribute that is missing or wrong. value_sum, value_avg and value_percentile are refused (not run yet).
Status ParseCorrelation(const YAML::Node& doc, Correlation* out);

// Resolves every correlation's `rules` to the loaded rules and correlations (an id first, then a name,
// a name in the same file before one in another), applies aliases, and marks what is reported: a rule
// referred to by correlations only without `generate: true` gets standalone = false, and gets the
// fields its correlations group and count by in capture_fields. A correlation that refers to something
// not loaded, or is part of a cycle, moves to `skipped` with the reason.
void ResolveCorrelations(LoadedRules* loaded);

}  // namespace cordon::hunt::sigma
