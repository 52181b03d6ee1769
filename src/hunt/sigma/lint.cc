#include "hunt/sigma/lint.h"

#include <algorithm>
#include <functional>
#include <set>
#include <tuple>

#include "base/strings.h"
#include "hunt/sigma/cloudtrail_fields.h"

namespace cordon::hunt::sigma {
namespace {

// A field and value a rule asks of an event whose real records do not carry them. Each entry comes from
// real CloudTrail: the Stratus Red Team detonation logs in tests/data/cloudtrail/stratus-red-team.
struct KnownMismatch {
  std::string_view event_name;  // lower-cased, as rule values compare
  std::string_view field;
  std::string_view message;
};

constexpr KnownMismatch kKnownMismatches[] = {
    {"modifyinstanceattribute", "requestParameters.attribute",
     "CloudTrail records ModifyInstanceAttribute's new user data as requestParameters.userData, with no "
     "'attribute' key (Stratus Red Team's aws.execution.ec2-user-data detonation: {\"instanceId\": ..., "
     "\"userData\": \"<sensitiveDataRemoved>\"}); requestParameters.attribute is "
     "DescribeInstanceAttribute's. "
     "Match ModifyInstanceAttribute with requestParameters.userData|exists: true"},
};

// Index of an item: search, alternative, item.
using ItemAt = std::tuple<size_t, size_t, size_t>;

// An item that holds when its field is missing: `neq`, `null`, `exists: false`.
bool HoldsWhenMissing(const DetectionItem& item) {
  if (item.negate) return true;
  return std::any_of(item.values.begin(), item.values.end(), [](const ValueMatcher& v) {
    return v.kind == ValueMatcher::Kind::kNull || (v.kind == ValueMatcher::Kind::kExists && !v.exists);
  });
}

bool CanMatch(const Rule& rule, const std::set<ItemAt>& impossible) {
  std::vector<bool> search_can(rule.searches.size());
  for (size_t s = 0; s < rule.searches.size(); ++s) {
    const auto& alternatives = rule.searches[s].alternatives;
    for (size_t a = 0; a < alternatives.size() && !search_can[s]; ++a) {
      bool all_possible = true;
      for (size_t i = 0; i < alternatives[a].size(); ++i)
        all_possible = all_possible && !impossible.count({s, a, i});
      search_can[s] = all_possible;
    }
  }
  // `not` can always hold (its operand failing is enough), so only and/or propagate impossibility.
  std::function<bool(const Condition&)> can = [&](const Condition& c) {
    switch (c.op) {
      case Condition::Op::kSearch:
        return static_cast<bool>(search_can[c.search]);
      case Condition::Op::kNot:
        return true;
      case Condition::Op::kAnd:
        return std::all_of(c.children.begin(), c.children.end(), can);
      case Condition::Op::kOr:
        return std::any_of(c.children.begin(), c.children.end(), can);
    }
    return true;
  };
  return std::any_of(rule.conditions.begin(), rule.conditions.end(), can);
}

// The lower-cased eventNames an alternative pins by plain values; empty when it pins none.
std::vector<std::string> PinnedEventNames(const std::vector<DetectionItem>& items) {
  for (const DetectionItem& item : items) {
    if (!item.field || item.field->name != "eventName" || item.negate) continue;
    std::vector<std::string> names;
    for (const ValueMatcher& v : item.values) {
      if (v.kind != ValueMatcher::Kind::kPattern || !v.pattern.IsLiteral()) return {};
      names.push_back(ToLower(v.pattern.LiteralText()));
    }
    return names;
  }
  return {};
}

struct ItemFinding {
  LintFinding finding;
  bool blocks_item = false;  // the item can never hold because of it
};

void CheckItem(const DetectionItem& item, const std::vector<std::string>& event_names,
               std::vector<ItemFinding>* out) {
  const std::string& field = item.field->name;
  auto add = [&](LintFinding::Kind kind, std::string value, std::string message, bool blocks) {
    LintFinding f{kind, "", "", "", "", field, std::move(value), std::move(message), false};
    out->push_back({std::move(f), blocks});
  };
  const FieldCheck check = CheckCloudTrailField(item.field->parts);
  if (check.status == FieldCheck::Status::kUnknown) {
    std::string message = "CloudTrail records have no field '" + check.unknown + "'";
    // The fields beside it, when they are few enough to read (the top level has over 30).
    if (!check.known_here.empty() && check.known_here.size() <= 12)
      message += "; it has " + Join(check.known_here, ", ");
    add(LintFinding::Kind::kUnknownField, "", std::move(message), !HoldsWhenMissing(item));
    return;
  }
  if (item.negate) return;  // a value of the wrong shape only makes `neq` always hold
  size_t bad = 0;
  for (const ValueMatcher& v : item.values) {
    if (v.kind != ValueMatcher::Kind::kPattern) continue;
    const auto& pieces = v.pattern.pieces();
    std::string problem;
    std::string shown;
    if (v.pattern.IsLiteral()) {
      shown = v.pattern.LiteralText();
      problem = CloudTrailValueProblem(field, shown);
    } else if (!pieces.empty() && pieces.back().kind == Pattern::Piece::Kind::kLiteral) {
      shown = "*" + pieces.back().text;
      problem = CloudTrailEndingProblem(field, pieces.back().text);
    }
    if (problem.empty()) continue;
    ++bad;
    add(LintFinding::Kind::kValueShape, shown, problem, false);
  }
  const bool values_impossible = item.all ? bad > 0 : bad == item.values.size();
  if (values_impossible) {
    for (auto it = out->end() - static_cast<long>(bad); it != out->end(); ++it) it->blocks_item = true;
  }
  for (const KnownMismatch& m : kKnownMismatches) {
    if (field != m.field || event_names.empty()) continue;
    if (std::all_of(event_names.begin(), event_names.end(),
                    [&](const std::string& n) { return n == m.event_name; }))
      add(LintFinding::Kind::kKnownMismatch, "", std::string(m.message), !HoldsWhenMissing(item));
  }
}

void LintRule(const Rule& rule, std::vector<LintFinding>* out) {
  for (size_t s = 0; s < rule.searches.size(); ++s) {
    const auto& alternatives = rule.searches[s].alternatives;
    for (size_t a = 0; a < alternatives.size(); ++a) {
      const std::vector<std::string> event_names = PinnedEventNames(alternatives[a]);
      for (size_t i = 0; i < alternatives[a].size(); ++i) {
        const DetectionItem& item = alternatives[a][i];
        if (!item.field) continue;  // keywords search the whole record
        std::vector<ItemFinding> found;
        CheckItem(item, event_names, &found);
        for (ItemFinding& f : found) {
          f.finding.file = rule.file;
          f.finding.id = rule.id;
          f.finding.title = rule.title;
          f.finding.search = rule.searches[s].name;
          // Whether this finding alone keeps the rule from matching.
          f.finding.never_matches = f.blocks_item && !CanMatch(rule, {{s, a, i}});
          out->push_back(std::move(f.finding));
        }
      }
    }
  }
}

}  // namespace

std::string_view LintKindName(LintFinding::Kind kind) {
  switch (kind) {
    case LintFinding::Kind::kUnknownField:
      return "unknown-field";
    case LintFinding::Kind::kValueShape:
      return "value-shape";
    case LintFinding::Kind::kKnownMismatch:
      return "known-mismatch";
    case LintFinding::Kind::kCannotRun:
      return "cannot-run";
  }
  return "?";
}

LintReport LintRules(const LoadedRules& loaded) {
  LintReport report;
  report.files = loaded.files;
  report.rules = loaded.rules.size() + loaded.skipped.size();
  for (const Rule& rule : loaded.rules) LintRule(rule, &report.findings);
  for (const SkippedRule& s : loaded.skipped) {
    report.findings.push_back({LintFinding::Kind::kCannotRun, s.file, "", s.title, "", "", "",
                               "cordon cannot run it: " + s.reason, true});
  }
  std::stable_sort(report.findings.begin(), report.findings.end(),
                   [](const LintFinding& a, const LintFinding& b) { return a.file < b.file; });
  return report;
}

}  // namespace cordon::hunt::sigma
