#include "hunt/sigma_output.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "base/terminal_text.h"
#include "hunt/output.h"

namespace cordon::hunt {
namespace {

Json StringOrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

std::string GroupText(const SigmaCorrelation& c) {
  std::string text;
  for (const auto& [field, value] : c.group) text += (text.empty() ? "" : ", ") + field + "=" + value;
  return text.empty() ? "(all events)" : text;
}

// "[high] Title  (id, by Author)", with the correlation type after the id when there is one. The rule's
// fields are the rule file's (a YAML block scalar can hold newlines): each on its line.
std::string RuleText(const SigmaRuleInfo& rule, std::string_view type = {}) {
  // fmt, not "[" + (cond ? ...) + ...: GCC 12 at -O3 flags those operator+(const char*, string&&)
  // with a -Wrestrict false positive (GCC bugs 105329, 105651), a 30-line trace in a Release build.
  return fmt::format("[{}] {}  ({}{}, by {})", rule.level.empty() ? "-" : OneLine(rule.level),
                     OneLine(rule.title), OneLine(rule.id),
                     type.empty() ? std::string() : fmt::format(", {}", type),
                     rule.author.empty() ? "-" : OneLine(rule.author));
}

}  // namespace

Json SigmaMatchToJson(const SigmaMatch& m) {
  return Json{{"rule",
               {{"id", m.rule->id},
                {"title", m.rule->title},
                {"level", m.rule->level},
                {"author", m.rule->author},
                {"falsepositives", m.rule->falsepositives},
                {"file", m.rule->file}}},
              {"event", EventToJson(m.event.Expand())}};
}

Json SigmaCorrelationToJson(const SigmaCorrelation& c) {
  Json group = Json::object();
  for (const auto& [field, value] : c.group) group[field] = value;
  return Json{{"rule",
               {{"id", c.rule.id},
                {"title", c.rule.title},
                {"level", c.rule.level},
                {"author", c.rule.author},
                {"falsepositives", c.rule.falsepositives},
                {"file", c.rule.file}}},
              {"type", c.type},
              {"group", std::move(group)},
              {"window", {{"first", c.first}, {"last", c.last}}},
              {"events", c.event_ids}};
}

Json SigmaToJson(const HuntResults& r, bool with_matches) {
  Json matches = Json::array();
  if (with_matches)
    for (const SigmaMatch& m : r.sigma_matches) matches.push_back(SigmaMatchToJson(m));
  Json correlations = Json::array();
  for (const SigmaCorrelation& c : r.sigma_correlations) correlations.push_back(SigmaCorrelationToJson(c));
  Json skipped = Json::array();
  for (const SigmaCoverage::Skipped& s : r.sigma.skipped) {
    skipped.push_back({{"file", s.file}, {"title", StringOrNull(s.title)}, {"reason", s.reason}});
  }
  return Json{{"matches", std::move(matches)},
              {"correlations", std::move(correlations)},
              {"coverage",
               {{"rules_loaded", r.sigma.rules_loaded},
                {"correlations_loaded", r.sigma.correlations_loaded},
                {"skipped", std::move(skipped)}}}};
}

void WriteSigmaCorrelationsText(const HuntResults& r, std::ostream& out) {
  if (r.sigma.correlations_loaded == 0) return;
  out << "Sigma correlations: " << r.sigma_correlations.size() << " (" << r.sigma.correlations_loaded
      << " correlation rule(s) loaded)\n";
  for (const SigmaCorrelation& c : r.sigma_correlations) {
    out << "  " << RuleText(c.rule, c.type) << "\n";
    out << "    " << OneLine(GroupText(c)) << "  " << OneLine(c.first) << " .. " << OneLine(c.last) << "  "
        << c.event_ids.size() << " event(s): " << OneLine(Join(c.event_ids, " ")) << "\n";
    if (!c.rule.falsepositives.empty())
      out << "    false positives: " << OneLine(Join(c.rule.falsepositives, "; ")) << "\n";
  }
}

void WriteSigmaText(const HuntResults& r, std::ostream& out) {
  out << "\nSigma matches: " << r.sigma_matches.size() << " (" << r.sigma.rules_loaded << " rule(s) loaded, "
      << r.sigma.skipped.size() << " skipped)\n";
  for (const SigmaMatch& m : r.sigma_matches) {
    const SigmaEvent& e = m.event;
    out << "  " << RuleText(*m.rule) << "\n";
    out << "    " << OneLine(e.event_time()) << "  " << OneLine(e.event_source()) << ":"
        << OneLine(e.event_name());
    if (!e.error_code().empty()) out << " [" << OneLine(e.error_code()) << "]";
    out << "  from " << (e.source_ip().empty() ? "-" : OneLine(e.source_ip())) << "  by "
        << OneLine(IdentityText(e.identity_arn(), e.identity_type())) << "  " << OneLine(e.event_id())
        << "\n";
    if (!m.rule->falsepositives.empty())
      out << "    false positives: " << OneLine(Join(m.rule->falsepositives, "; ")) << "\n";
  }
  WriteSigmaCorrelationsText(r, out);
  for (const SigmaCoverage::Skipped& s : r.sigma.skipped) {
    out << "  rule skipped: " << OneLine(s.file) << (s.title.empty() ? "" : " (" + OneLine(s.title) + ")")
        << ": " << OneLine(s.reason) << "\n";
  }
}

std::vector<std::map<std::string, std::string>> SigmaCsvRows(const HuntResults& r) {
  std::vector<std::map<std::string, std::string>> rows;
  for (const SigmaMatch& m : r.sigma_matches) {
    const SigmaEvent& e = m.event;
    const SigmaRuleInfo& rule = *m.rule;
    rows.push_back(
        {{"kind", "sigma"},
         {"time", std::string(e.event_time())},
         {"event_name", std::string(e.event_name())},
         {"event_source", std::string(e.event_source())},
         {"identity", IdentityText(e.identity_arn(), e.identity_type())},
         {"source_ip", std::string(e.source_ip())},
         {"id", std::string(e.event_id())},
         {"detail",
          rule.title + " [" + rule.level + "] rule " + rule.id + " by " + rule.author +
              (rule.falsepositives.empty() ? "" : "; false positives: " + Join(rule.falsepositives, "; "))},
         {"file", std::string(e.file())}});
  }
  for (const SigmaCorrelation& c : r.sigma_correlations) {
    rows.push_back(
        {{"kind", "sigma-correlation"},
         {"time", c.first},
         {"last", c.last},
         {"id", c.rule.id},
         {"detail", c.rule.title + " [" + c.rule.level + "] " + c.type + " " + GroupText(c) + " until " +
                        c.last + "; events " + Join(c.event_ids, " ") + "; by " + c.rule.author},
         {"file", c.rule.file}});
  }
  for (const SigmaCoverage::Skipped& s : r.sigma.skipped) {
    rows.push_back({{"kind", "sigma-skipped"}, {"detail", s.reason}, {"id", s.title}, {"file", s.file}});
  }
  return rows;
}

}  // namespace cordon::hunt
