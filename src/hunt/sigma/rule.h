// A loaded Sigma detection rule: its metadata (for attribution and output), its search identifiers and
// its condition, and the test of one event against it.
#pragma once

#include <string>
#include <vector>

#include "hunt/sigma/condition.h"
#include "hunt/sigma/detection_item.h"
#include "hunt/sigma/event.h"

namespace cordon::hunt::sigma {

// A search identifier: alternatives linked with OR, each a map of items linked with AND (a YAML map is
// one alternative; a list of maps is several; a list of plain values is one keyword item).
struct SearchIdentifier {
  std::string name;
  std::vector<std::vector<DetectionItem>> alternatives;
  bool Matches(const Event& event) const;
};

struct Rule {
  std::string file;
  std::string id;
  std::string name;  // how a correlation may refer to it, besides its id
  std::string title;
  std::string level;
  std::string status;
  std::string author;
  std::string description;
  std::vector<std::string> falsepositives;
  std::vector<std::string> tags;
  std::vector<SearchIdentifier> searches;
  // The rule's conditions; a list of conditions is linked with OR (specification, "Condition").
  std::vector<Condition> conditions;
  // Set by ResolveCorrelations: false when only correlations use the rule (its matches are theirs, not
  // reported on their own), and the fields its matches must carry for them.
  bool standalone = true;
  std::vector<std::string> capture_fields;

  // Whether `event` matches. Each search identifier is evaluated at most once.
  bool Matches(const Event& event) const;
};

}  // namespace cordon::hunt::sigma
