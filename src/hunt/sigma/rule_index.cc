#include "hunt/sigma/rule_index.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "base/strings.h"
#include "hunt/sigma/ascii_fold.h"
#include "hunt/sigma/raw_key_value.h"

namespace cordon::hunt::sigma {

// A field path whose values the needs test: its parts, and the literal the raw bytes are searched for
// (the last part and its closing quote).
struct RuleIndex::Path {
  std::vector<std::string> parts;
  std::string needle;
};

size_t PlainFind(std::string_view hay, std::string_view needle, size_t from) {
  return hay.find(needle, from);
}

namespace {

// Whether the texts (a superset of the strings the field reaches) could satisfy the item.
bool ItemCouldHold(const DetectionItem& item, const std::vector<std::string_view>& texts) {
  auto any_text = [&](const ValueMatcher& v) {
    return std::any_of(texts.begin(), texts.end(), [&](std::string_view t) { return TextMatches(v, t); });
  };
  // `all`: each value must match one of the field's texts, not necessarily the same one.
  if (item.all) return std::all_of(item.values.begin(), item.values.end(), any_text);
  return std::any_of(item.values.begin(), item.values.end(), any_text);
}

Need Simplify(Need need) {
  if (need.kind != Need::Kind::kAll && need.kind != Need::Kind::kAny) return need;
  std::vector<Need> kept;
  for (Need& child : need.children) {
    Need c = Simplify(std::move(child));
    if (c.kind == Need::Kind::kNothing) {
      if (need.kind == Need::Kind::kAny) return Need{};  // one operand needs nothing: neither does the or
      continue;                                          // and: an operand that needs nothing adds nothing
    }
    kept.push_back(std::move(c));
  }
  if (kept.empty()) return Need{};
  if (kept.size() == 1) return std::move(kept.front());
  need.children = std::move(kept);
  return need;
}

// The lower-cased eventNames one of which the need requires, when it requires one; false otherwise.
bool EventNames(const Need& need, size_t event_name_path, std::vector<std::string>* names) {
  switch (need.kind) {
    case Need::Kind::kNothing:
      return false;
    case Need::Kind::kValue: {
      if (need.path != event_name_path) return false;
      for (const ValueMatcher& v : need.item->values) {
        if (v.kind != ValueMatcher::Kind::kPattern || !v.pattern.IsLiteral()) return false;
      }
      for (const ValueMatcher& v : need.item->values) names->push_back(ToLower(v.pattern.LiteralText()));
      return true;
    }
    case Need::Kind::kAll:  // every operand is needed: one operand's names are enough
      return std::any_of(need.children.begin(), need.children.end(), [&](const Need& c) {
        std::vector<std::string> own;
        if (!EventNames(c, event_name_path, &own)) return false;
        names->insert(names->end(), own.begin(), own.end());
        return true;
      });
    case Need::Kind::kAny:  // one operand is needed: each must name its eventNames
      return std::all_of(need.children.begin(), need.children.end(),
                         [&](const Need& c) { return EventNames(c, event_name_path, names); });
  }
  return false;
}

}  // namespace

RuleIndex::RuleIndex(const std::vector<Rule>& rules, FindFunction find) : rules_(rules.size()), find_(find) {
  auto path_of = [&](const FieldPath& field) {
    for (size_t i = 0; i < paths_.size(); ++i) {
      if (paths_[i].parts == field.parts) return i;
    }
    paths_.push_back({field.parts, field.parts.back() + "\""});
    return paths_.size() - 1;
  };
  event_name_path_ = path_of(FieldPath::Parse("eventName"));
  for (size_t r = 0; r < rules.size(); ++r) {
    const Rule& rule = rules[r];
    std::vector<Need> searches;
    for (const SearchIdentifier& search : rule.searches) {
      Need any{Need::Kind::kAny, nullptr, 0, {}};
      for (const std::vector<DetectionItem>& alternative : search.alternatives) {
        Need all{Need::Kind::kAll, nullptr, 0, {}};
        for (const DetectionItem& item : alternative) {
          if (TestsStrings(item))
            all.children.push_back({Need::Kind::kValue, &item, path_of(*item.field), {}});
        }
        any.children.push_back(std::move(all));
      }
      searches.push_back(Simplify(std::move(any)));
    }
    // A condition needs what its searches need, through and/or; `not` needs nothing.
    std::function<Need(const Condition&)> of_condition = [&](const Condition& c) -> Need {
      switch (c.op) {
        case Condition::Op::kSearch:
          return searches[c.search];
        case Condition::Op::kNot:
          return Need{};
        case Condition::Op::kAnd:
        case Condition::Op::kOr: {
          Need n{c.op == Condition::Op::kAnd ? Need::Kind::kAll : Need::Kind::kAny, nullptr, 0, {}};
          for (const Condition& child : c.children) n.children.push_back(of_condition(child));
          return Simplify(std::move(n));
        }
      }
      return Need{};
    };
    Need rule_need{Need::Kind::kAny, nullptr, 0, {}};
    for (const Condition& c : rule.conditions) rule_need.children.push_back(of_condition(c));
    needs_.push_back(Simplify(std::move(rule_need)));
    std::vector<std::string> names;
    if (EventNames(needs_.back(), event_name_path_, &names)) {
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      for (const std::string& name : names) by_event_name_[name].push_back(r);
    } else {
      unindexed_.push_back(r);
    }
  }
}

RuleIndex::~RuleIndex() = default;

std::unique_ptr<RuleIndex::Scratch> RuleIndex::NewScratch() const {
  auto scratch = std::make_unique<Scratch>();
  scratch->paths.resize(paths_.size());
  scratch->marked.resize(rules_);
  return scratch;
}

void RuleIndex::Lookup(size_t path_index, std::string_view record, Scratch* scratch) const {
  Scratch::Values& values = scratch->paths[path_index];
  if (values.found) return;
  values.found = true;
  const Path& path = paths_[path_index];
  for (size_t at = find_(record, path.needle, 0); at != std::string_view::npos;
       at = find_(record, path.needle, at + 1)) {
    const RawKeyValue value = ReadRawKeyValue(record, at, path.needle.size(), path.parts);
    if (value.kind == RawKeyValue::Kind::kUnknown) {
      values.unknown = true;  // the exact matcher decides
      return;
    }
    if (value.kind == RawKeyValue::Kind::kText) values.texts.push_back(value.text);
  }
}

bool RuleIndex::Holds(const Need& need, std::string_view record, Scratch* scratch) const {
  switch (need.kind) {
    case Need::Kind::kNothing:
      return true;
    case Need::Kind::kAll:
      return std::all_of(need.children.begin(), need.children.end(),
                         [&](const Need& c) { return Holds(c, record, scratch); });
    case Need::Kind::kAny:
      return std::any_of(need.children.begin(), need.children.end(),
                         [&](const Need& c) { return Holds(c, record, scratch); });
    case Need::Kind::kValue:
      break;
  }
  Lookup(need.path, record, scratch);
  const Scratch::Values& values = scratch->paths[need.path];
  return values.unknown || ItemCouldHold(*need.item, values.texts);
}

void RuleIndex::Candidates(std::string_view record, Scratch* scratch, std::vector<size_t>* out) const {
  out->clear();
  // A `\u` escape could spell a key (`"event\u004eame"`), which the literal search would miss.
  if (find_(record, "\\u", 0) != std::string_view::npos) {
    for (size_t r = 0; r < rules_; ++r) out->push_back(r);
    return;
  }
  for (Scratch::Values& v : scratch->paths) {
    v.found = false;
    v.unknown = false;
    v.texts.clear();
  }
  std::fill(scratch->marked.begin(), scratch->marked.end(), 0);
  auto consider = [&](size_t r) {
    if (!scratch->marked[r] && Holds(needs_[r], record, scratch)) scratch->marked[r] = 1;
  };
  // One lookup of the eventName for every rule that pins it.
  Lookup(event_name_path_, record, scratch);
  const Scratch::Values& names = scratch->paths[event_name_path_];
  if (names.unknown) {
    for (const auto& [name, rules] : by_event_name_) {
      for (size_t r : rules) consider(r);
    }
  } else {
    for (std::string_view name : names.texts) {
      // ASCII folding into a reused string, as Pattern folds: no allocation per record.
      scratch->folded.assign(name);
      FoldAsciiInPlace(scratch->folded);
      auto it = by_event_name_.find(scratch->folded);
      if (it == by_event_name_.end()) continue;
      for (size_t r : it->second) consider(r);
    }
  }
  for (size_t r : unindexed_) consider(r);
  for (size_t r = 0; r < rules_; ++r) {
    if (scratch->marked[r]) out->push_back(r);
  }
}

}  // namespace cordon::hunt::sigma
