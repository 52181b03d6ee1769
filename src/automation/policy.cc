#include "automation/policy.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "base/json_parse.h"
#include "evidence/case_store.h"

namespace cordon::automation {
namespace {

// The line of each member of the document, by path ("rules[0].when.min_severity"), so errors can
// name it: nlohmann keeps no positions, so each key is found in the text by its occurrence count
// (members are visited in document order; a key spelt the same way inside a string value can
// shift the count, and then the line is simply left out).
class Lines {
 public:
  Lines(std::string_view text, const Json& doc) : text_(text) { Walk(doc, ""); }
  std::string Of(const std::string& path) const {
    auto it = lines_.find(path);
    return it == lines_.end() ? "" : " line " + std::to_string(it->second);
  }

 private:
  void Walk(const Json& j, const std::string& path) {
    if (j.is_object()) {
      for (const auto& [key, value] : j.items()) {
        std::string child = path.empty() ? key : path + "." + key;
        if (int line = Find(Json(key).dump(), seen_[key]++); line > 0) lines_[child] = line;
        Walk(value, child);
      }
    } else if (j.is_array()) {
      for (size_t i = 0; i < j.size(); ++i) Walk(j[i], path + "[" + std::to_string(i) + "]");
    }
  }
  int Find(const std::string& token, int occurrence) const {
    size_t at = 0;
    for (int n = 0;; ++n, ++at) {
      at = text_.find(token, at);
      if (at == std::string_view::npos) return 0;
      if (n == occurrence) return 1 + static_cast<int>(std::count(text_.begin(), text_.begin() + at, '\n'));
    }
  }
  std::string_view text_;
  std::map<std::string, int> seen_;
  std::map<std::string, int> lines_;
};

class Reader {
 public:
  Reader(std::string_view text, const Json& doc, std::string path)
      : lines_(text, doc), path_(std::move(path)) {}

  tl::unexpected<Error> Bad(const std::string& field, const std::string& what) const {
    return MakeError(ErrorKind::kInvalidArgument, path_ + lines_.Of(field) + ": " + field + " " + what);
  }
  Status Known(const Json& object, const std::string& at,
               std::initializer_list<std::string_view> keys) const {
    for (const auto& [key, value] : object.items())
      if (std::find(keys.begin(), keys.end(), key) == keys.end())
        return Bad(at.empty() ? key : at + "." + key, "is not a known field");
    return Ok();
  }

 private:
  Lines lines_;
  std::string path_;
};

Result<Action> ParseAction(const Reader& r, const Json& rule, const std::string& at) {
  const std::string what = rule.contains("do") && rule["do"].is_string() ? rule["do"].get<std::string>() : "";
  if (what == "triage") return Action::kTriage;
  if (what == "contain") return Action::kContain;
  if (what == "contain+capture-memory") return Action::kContainCaptureMemory;
  if (what == "notify")
    return r.Bad(at + ".do", "\"notify\" is not supported yet (the SNS hand-over is not built)");
  return r.Bad(at + ".do", "must be one of triage, contain, contain+capture-memory");
}

Status ParseWhen(const Reader& r, const Json& when, const std::string& at, Rule* rule) {
  if (!when.is_object()) return r.Bad(at, "must be an object");
  if (auto s = r.Known(when, at, {"source", "min_severity", "finding_types", "tag"}); !s) return s;
  std::string source = when.contains("tag") ? "tag" : "guardduty";
  if (auto it = when.find("source"); it != when.end()) source = it->is_string() ? it->get<std::string>() : "";
  if (source == "guardduty")
    rule->source = EventKind::kGuardDutyFinding;
  else if (source == "securityhub")
    rule->source = EventKind::kSecurityHubFinding;
  else if (source == "tag")
    rule->source = EventKind::kTagChange;
  else
    return r.Bad(at + ".source", "must be \"guardduty\", \"securityhub\" or \"tag\"");
  if (auto it = when.find("min_severity"); it != when.end()) {
    if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 10)
      return r.Bad(at + ".min_severity", "must be a number from 0 to 10");
    rule->min_severity = it->get<double>();
  }
  if (auto it = when.find("finding_types"); it != when.end()) {
    if (!it->is_array()) return r.Bad(at + ".finding_types", "must be a list of finding types (globs)");
    for (const Json& t : *it) {
      if (!t.is_string() || t.get<std::string>().empty())
        return r.Bad(at + ".finding_types", "must hold non-empty strings");
      rule->finding_types.push_back(t.get<std::string>());
    }
  }
  if (auto it = when.find("tag"); it != when.end()) {
    if (!it->is_object() || it->empty()) return r.Bad(at + ".tag", "must be an object of tag key: value");
    for (const auto& [k, v] : it->items()) {
      if (!v.is_string()) return r.Bad(at + ".tag." + k, "must be a string");
      rule->tags[k] = v.get<std::string>();
    }
  }
  bool finding_fields = when.contains("min_severity") || when.contains("finding_types");
  if (rule->source == EventKind::kTagChange && finding_fields)
    return r.Bad(at, "mixes a tag with finding fields (min_severity, finding_types): make two rules");
  if (rule->source == EventKind::kTagChange && rule->tags.empty())
    return r.Bad(at + ".tag", "is required for source tag");
  if (rule->source != EventKind::kTagChange && !rule->tags.empty())
    return r.Bad(at + ".source", "must be \"tag\" for a rule with a tag");
  return Ok();
}

Result<Rule> ParseRule(const Reader& r, const Json& j, const std::string& at) {
  if (!j.is_object()) return r.Bad(at, "must be an object with name, when and do");
  if (auto s = r.Known(j, at, {"name", "when", "do"}); !s) return MakeError(s.error());
  Rule rule;
  rule.name = j.contains("name") && j["name"].is_string() ? j["name"].get<std::string>() : "";
  if (rule.name.empty()) return r.Bad(at + ".name", "must be a non-empty string");
  if (!j.contains("when")) return r.Bad(at + ".when", "is required");
  if (auto s = ParseWhen(r, j["when"], at + ".when", &rule); !s) return MakeError(s.error());
  auto action = ParseAction(r, j, at);
  if (!action) return MakeError(action.error());
  rule.action = *action;
  return rule;
}

Status ParseTop(const Reader& r, const Json& doc, Policy* policy) {
  if (auto s = r.Known(doc, "", {"case_prefix", "exempt_tag", "rules"}); !s) return s;
  if (auto it = doc.find("case_prefix"); it != doc.end()) {
    if (!it->is_string() || it->get<std::string>().size() > 16 ||
        !evidence::ValidateCaseId(it->get<std::string>()))
      return r.Bad("case_prefix",
                   "must be 1-16 letters, digits, '-', '_' or '.', starting with a letter or digit");
    policy->case_prefix = it->get<std::string>();
  }
  if (auto it = doc.find("exempt_tag"); it != doc.end()) {
    if (!it->is_string() || it->get<std::string>().empty()) return r.Bad("exempt_tag", "must be a tag key");
    policy->exempt_tag = it->get<std::string>();
  }
  return Ok();
}

bool MatchesFinding(const Rule& rule, const Event& e) {
  if (e.severity < rule.min_severity) return false;
  if (rule.finding_types.empty()) return true;
  return std::any_of(rule.finding_types.begin(), rule.finding_types.end(),
                     [&](const std::string& g) { return GlobMatch(g, e.finding_type); });
}

// Every pair of the rule is on the instance after the change, and the change set one of them (so
// another tag edited later on a still-marked instance does not start a second case).
bool MatchesTags(const Rule& rule, const Event& e) {
  bool changed = false;
  for (const auto& [k, v] : rule.tags) {
    auto it = e.tags.find(k);
    if (it == e.tags.end() || it->second != v) return false;
    changed = changed ||
              std::find(e.changed_tag_keys.begin(), e.changed_tag_keys.end(), k) != e.changed_tag_keys.end();
  }
  return changed;
}

}  // namespace

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kIgnore:
      return "ignore";
    case Action::kTriage:
      return "triage";
    case Action::kContain:
      return "contain";
    case Action::kContainCaptureMemory:
      return "contain+capture-memory";
  }
  return "ignore";
}

bool Policy::CapturesMemory() const {
  return std::any_of(rules.begin(), rules.end(),
                     [](const Rule& r) { return r.action == Action::kContainCaptureMemory; });
}

Policy DefaultPolicy(const std::string& trigger_key, const std::string& trigger_value) {
  Policy p;
  p.rules.push_back(Rule{"guardduty-instance", EventKind::kGuardDutyFinding, 0, {}, {}, Action::kContain});
  p.rules.push_back(
      Rule{"trigger-tag", EventKind::kTagChange, 0, {}, {{trigger_key, trigger_value}}, Action::kContain});
  return p;
}

Result<Policy> ParsePolicy(std::string_view text, const std::string& path) {
  auto doc = ParseJsonInput(text, path);
  if (!doc) return MakeError(doc.error());
  Reader r(text, *doc, path);
  if (!doc->is_object()) return r.Bad("the policy", "must be a JSON object with \"rules\"");
  Policy policy;
  if (auto s = ParseTop(r, *doc, &policy); !s) return MakeError(s.error());
  auto rules = doc->find("rules");
  if (rules == doc->end() || !rules->is_array() || rules->empty())
    return r.Bad("rules", "must be a non-empty list");
  std::set<std::string> names;
  for (size_t i = 0; i < rules->size(); ++i) {
    const std::string at = "rules[" + std::to_string(i) + "]";
    auto rule = ParseRule(r, (*rules)[i], at);
    if (!rule) return MakeError(rule.error());
    if (!names.insert(rule->name).second) return r.Bad(at + ".name", "repeats \"" + rule->name + "\"");
    policy.rules.push_back(std::move(*rule));
  }
  return policy;
}

Result<Policy> LoadPolicy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorKind::kInvalidArgument, "cannot read the policy file " + path);
  std::stringstream text;
  text << in.rdbuf();
  return ParsePolicy(text.str(), path);
}

Decision Decide(const Policy& policy, const Event& event) {
  if (event.kind == EventKind::kOther) return Decision{Action::kIgnore, "", event.ignored};
  for (const Rule& rule : policy.rules) {
    if (rule.source != event.kind) continue;
    bool match = event.kind == EventKind::kTagChange ? MatchesTags(rule, event) : MatchesFinding(rule, event);
    if (match) return Decision{rule.action, rule.name, ""};
  }
  if (event.kind != EventKind::kTagChange) {
    std::ostringstream severity;
    severity << event.severity;
    std::string what = event.kind == EventKind::kGuardDutyFinding ? "GuardDuty" : "Security Hub";
    return Decision{
        Action::kIgnore, "",
        "no rule matches " + what + " finding type " + event.finding_type + ", severity " + severity.str()};
  }
  return Decision{Action::kIgnore, "", "no rule matches this tag change"};
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative with one backtrack point: the last '*' seen.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace cordon::automation
