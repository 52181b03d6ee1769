#include "hunt/sigma/correlation.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "hunt/sigma/rule_loader.h"

namespace cordon::hunt::sigma {
namespace {

Status InvalidCorrelation(std::string message) {
  return MakeError(ErrorKind::kInvalidArgument, "correlation: " + std::move(message));
}

std::string Scalar(const YAML::Node& node) { return node && node.IsScalar() ? node.Scalar() : ""; }

std::vector<std::string> Strings(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node && node.IsScalar()) out.push_back(node.Scalar());
  if (node && node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (item.IsScalar()) out.push_back(item.Scalar());
    }
  }
  return out;
}

constexpr struct {
  std::string_view name;
  CorrelationType type;
} kTypes[] = {
    {"event_count", CorrelationType::kEventCount},
    {"value_count", CorrelationType::kValueCount},
    {"temporal", CorrelationType::kTemporal},
    {"temporal_ordered", CorrelationType::kTemporalOrdered},
};

constexpr struct {
  std::string_view name;
  CountBound::Op op;
} kOps[] = {
    {"gt", CountBound::Op::kGt},   {"gte", CountBound::Op::kGte}, {"lt", CountBound::Op::kLt},
    {"lte", CountBound::Op::kLte}, {"eq", CountBound::Op::kEq},   {"neq", CountBound::Op::kNeq},
};

// `number + letter (in lowercase)`: s, m, h or d (specification, "Time Selection").
Status ParseTimespan(const std::string& text, std::chrono::seconds* out) {
  int64_t n = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, n);
  if (ec != std::errc() || p + 1 != end || n <= 0)
    return InvalidCorrelation("timespan '" + text + "' is not a number and one of s, m, h, d (e.g. 10m)");
  const int64_t unit = *p == 's' ? 1 : *p == 'm' ? 60 : *p == 'h' ? 3600 : *p == 'd' ? 86400 : 0;
  if (unit == 0) return InvalidCorrelation("timespan '" + text + "' has unit '" + *p + "': use s, m, h or d");
  *out = std::chrono::seconds(n * unit);
  return Ok();
}

Status ParseCondition(const YAML::Node& node, Correlation* c) {
  if (!node) return Ok();
  if (!node.IsMap()) return InvalidCorrelation("condition is not a map such as {gte: 10}");
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (key == "field") {
      c->value_fields = Strings(entry.second);
      continue;
    }
    const auto* op =
        std::find_if(std::begin(kOps), std::end(kOps), [&](const auto& o) { return o.name == key; });
    if (op == std::end(kOps))
      return InvalidCorrelation("condition '" + key + "' is not one of gt, gte, lt, lte, eq, neq, field");
    const std::string value = Scalar(entry.second);
    int64_t n = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || p != value.data() + value.size())
      return InvalidCorrelation("condition " + key + ": '" + value + "' is not a whole number");
    c->condition.push_back({op->op, n});
  }
  return Ok();
}

Status ParseAliases(const YAML::Node& node, Correlation* c) {
  if (!node) return Ok();
  if (!node.IsMap()) return InvalidCorrelation("aliases is not a map of alias -> rule name -> field");
  for (const auto& alias : node) {
    if (!alias.second.IsMap())
      return InvalidCorrelation("alias '" + alias.first.Scalar() + "' is not a map of rule name -> field");
    for (const auto& field : alias.second)
      c->aliases[alias.first.Scalar()][field.first.Scalar()] = Scalar(field.second);
  }
  return Ok();
}

Status CheckRequired(const Correlation& c) {
  if (c.rules.empty()) return InvalidCorrelation("'rules' names no rule");
  if (c.timespan.count() == 0) return InvalidCorrelation("'timespan' is missing");
  const bool counts = c.type == CorrelationType::kEventCount || c.type == CorrelationType::kValueCount;
  if (counts && c.condition.empty()) return InvalidCorrelation("'condition' (e.g. {gte: 10}) is missing");
  if (c.type == CorrelationType::kValueCount && c.value_fields.empty())
    return InvalidCorrelation(
        "value_count needs 'condition.field', the field whose distinct values are counted");
  return Ok();
}

}  // namespace

std::string_view CorrelationTypeName(CorrelationType type) {
  for (const auto& t : kTypes) {
    if (t.type == type) return t.name;
  }
  return "?";
}

bool CountBound::Holds(int64_t count) const {
  switch (op) {
    case Op::kGt:
      return count > value;
    case Op::kGte:
      return count >= value;
    case Op::kLt:
      return count < value;
    case Op::kLte:
      return count <= value;
    case Op::kEq:
      return count == value;
    case Op::kNeq:
      return count != value;
  }
  return false;
}

Status ParseCorrelation(const YAML::Node& doc, Correlation* c) {
  c->title = Scalar(doc["title"]);
  c->id = Scalar(doc["id"]);
  c->name = Scalar(doc["name"]);
  c->level = Scalar(doc["level"]);
  c->status = Scalar(doc["status"]);
  c->author = Scalar(doc["author"]);
  c->description = Scalar(doc["description"]);
  c->falsepositives = Strings(doc["falsepositives"]);
  const YAML::Node body = doc["correlation"];
  if (!body.IsMap()) return InvalidCorrelation("'correlation' is not a map");
  const std::string type = Scalar(body["type"]);
  const auto* t =
      std::find_if(std::begin(kTypes), std::end(kTypes), [&](const auto& k) { return k.name == type; });
  if (t == std::end(kTypes)) {
    return InvalidCorrelation(
        "type '" + type + "' is not run (cordon runs event_count, value_count, temporal, temporal_ordered)");
  }
  c->type = t->type;
  c->rules = Strings(body["rules"]);
  c->group_by = Strings(body["group-by"]);
  if (body["timespan"]) {
    if (Status s = ParseTimespan(Scalar(body["timespan"]), &c->timespan); !s) return s;
  }  // else CheckRequired says it is missing
  if (Status s = ParseCondition(body["condition"], c); !s) return s;
  if (Status s = ParseAliases(body["aliases"], c); !s) return s;
  // `generate` sits beside `correlation` in the specification; some writers put it inside.
  for (const YAML::Node& g : {doc["generate"], body["generate"]}) {
    if (g && g.IsScalar()) c->generate = g.as<bool>(false);
  }
  return CheckRequired(*c);
}

namespace {

struct RuleRef {
  bool correlation = false;
  size_t index = 0;
  std::string file;
  std::string name;
};

// Finds `ref` among the loaded rules and correlations: an id anywhere, else a name in `file`, else a
// name elsewhere.
const RuleRef* Find(const std::vector<RuleRef>& ids, const std::vector<RuleRef>& names,
                    const std::string& ref, const std::string& file) {
  for (const RuleRef& t : ids) {
    if (t.name == ref) return &t;
  }
  const RuleRef* elsewhere = nullptr;
  for (const RuleRef& t : names) {
    if (t.name != ref) continue;
    if (t.file == file) return &t;
    if (!elsewhere) elsewhere = &t;
  }
  return elsewhere;
}

// The field a source's events keep a group-by (or value) name in: the alias's field for that source's
// rule name, else the name itself.
std::string FieldFor(const Correlation& c, const std::string& name, const std::string& source_name) {
  auto alias = c.aliases.find(name);
  if (alias == c.aliases.end()) return name;
  auto field = alias->second.find(source_name);
  return field == alias->second.end() ? name : field->second;
}

// Whether correlation `start` reaches itself through the correlations it refers to (failed ones aside).
bool ReachesItself(const std::vector<Correlation>& cs, const std::vector<std::string>& failure,
                   size_t start) {
  std::vector<bool> seen(cs.size(), false);
  std::vector<size_t> todo = {start};
  while (!todo.empty()) {
    const size_t at = todo.back();
    todo.pop_back();
    for (const Correlation::Source& s : cs[at].sources) {
      if (!s.correlation || !failure[s.index].empty()) continue;
      if (s.index == start) return true;
      if (!seen[s.index]) {
        seen[s.index] = true;
        todo.push_back(s.index);
      }
    }
  }
  return false;
}

std::string Describe(const Correlation& c) { return c.title.empty() ? c.id : c.title; }

}  // namespace

void ResolveCorrelations(LoadedRules* loaded) {
  std::vector<Correlation>& cs = loaded->correlations;
  // Resolve, dropping what cannot run until nothing changes (dropping one can orphan another).
  std::vector<std::string> failure(cs.size());
  for (bool changed = true; changed;) {
    changed = false;
    std::vector<RuleRef> ids;
    std::vector<RuleRef> names;
    for (size_t i = 0; i < loaded->rules.size(); ++i) {
      const Rule& r = loaded->rules[i];
      if (!r.id.empty()) ids.push_back({false, i, r.file, r.id});
      if (!r.name.empty()) names.push_back({false, i, r.file, r.name});
    }
    for (size_t i = 0; i < cs.size(); ++i) {
      if (!failure[i].empty()) continue;
      if (!cs[i].id.empty()) ids.push_back({true, i, cs[i].file, cs[i].id});
      if (!cs[i].name.empty()) names.push_back({true, i, cs[i].file, cs[i].name});
    }
    for (size_t i = 0; i < cs.size(); ++i) {
      if (!failure[i].empty()) continue;
      Correlation& c = cs[i];
      c.sources.clear();
      for (const std::string& ref : c.rules) {
        const RuleRef* t = Find(ids, names, ref, c.file);
        if (!t) {
          failure[i] = "correlation: rule '" + ref +
                       "' is not among the rules loaded (not given, or skipped: see its reason)";
          break;
        }
        const std::string& source_name = t->correlation ? cs[t->index].name : loaded->rules[t->index].name;
        Correlation::Source s{t->correlation, t->index, {}, {}};
        for (const std::string& g : c.group_by) s.group_fields.push_back(FieldFor(c, g, source_name));
        for (const std::string& v : c.value_fields) s.value_fields.push_back(FieldFor(c, v, source_name));
        c.sources.push_back(std::move(s));
      }
      if (!failure[i].empty()) changed = true;
    }
    // A cycle (a correlation that reaches itself) has no outermost rule to report.
    std::vector<size_t> cyclic;  // found before any is marked, so that every member of a cycle is
    for (size_t i = 0; i < cs.size(); ++i) {
      if (failure[i].empty() && ReachesItself(cs, failure, i)) cyclic.push_back(i);
    }
    for (size_t i : cyclic) failure[i] = "correlation: refers to itself through its rules (a cycle)";
    if (!cyclic.empty()) changed = true;
  }
  // Keep what runs; indices into the correlations change, so resolve once more over the kept ones.
  std::vector<Correlation> kept;
  for (size_t i = 0; i < cs.size(); ++i) {
    if (failure[i].empty()) {
      kept.push_back(std::move(cs[i]));
    } else {
      loaded->skipped.push_back({cs[i].file, Describe(cs[i]), failure[i]});
    }
  }
  cs = std::move(kept);
  if (cs.size() != failure.size()) {
    ResolveCorrelations(loaded);
    return;
  }
  // What is reported, and what the rules' matches must carry for the correlations.
  std::vector<bool> rule_referred(loaded->rules.size(), false);
  std::vector<bool> rule_generated(loaded->rules.size(), false);
  std::vector<bool> corr_referred(cs.size(), false);
  std::vector<bool> corr_generated(cs.size(), false);
  for (Rule& r : loaded->rules) r.capture_fields.clear();
  for (const Correlation& c : cs) {
    for (const Correlation::Source& s : c.sources) {
      (s.correlation ? corr_referred : rule_referred)[s.index] = true;
      if (c.generate) (s.correlation ? corr_generated : rule_generated)[s.index] = true;
      if (s.correlation) continue;
      std::vector<std::string>& fields = loaded->rules[s.index].capture_fields;
      for (const auto* list : {&s.group_fields, &s.value_fields}) {
        for (const std::string& f : *list) {
          if (std::find(fields.begin(), fields.end(), f) == fields.end()) fields.push_back(f);
        }
      }
    }
  }
  for (size_t i = 0; i < loaded->rules.size(); ++i) {
    loaded->rules[i].standalone = !rule_referred[i] || rule_generated[i];
  }
  for (size_t i = 0; i < cs.size(); ++i) cs[i].reported = !corr_referred[i] || corr_generated[i];
}

}  // namespace cordon::hunt::sigma
