#include "hunt/sigma_output.h"

#include "base/strings.h"
#include "hunt/output.h"

namespace cordon::hunt {
namespace {

Json StringOrNull(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

std::string GroupText(const SigmaCorrelation& c) {
  std::string text;
  for (const auto& [field, value] : c.group) text += (text.empty() ? "" : ", ") + field + "=" + value;
  return text.empty() ? "(all events)" : text;
}

}  // namespace

Json SigmaMatchToJson(const SigmaMatch& m) {
  return Json{{"rule",
               {{"id", m.rule.id},
                {"title", m.rule.title},
                {"level", m.rule.level},
                {"author", m.rule.author},
                {"falsepositives", m.rule.falsepositives},
                {"file", m.rule.file}}},
              {"event", EventToJson(m.event)}};
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

Json SigmaToJson(const HuntResults& r) {
  Json matches = Json::array();
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
    out << "  [" << (c.rule.level.empty() ? "-" : c.rule.level) << "] " << c.rule.title << "  (" << c.rule.id
        << ", " << c.type << ", by " << (c.rule.author.empty() ? "-" : c.rule.author) << ")\n";
    out << "    " << GroupText(c) << "  " << c.first << " .. " << c.last << "  " << c.event_ids.size()
        << " event(s): " << Join(c.event_ids, " ") << "\n";
    if (!c.rule.falsepositives.empty())
      out << "    false positives: " << Join(c.rule.falsepositives, "; ") << "\n";
  }
}

void WriteSigmaText(const HuntResults& r, std::ostream& out) {
  out << "\nSigma matches: " << r.sigma_matches.size() << " (" << r.sigma.rules_loaded << " rule(s) loaded, "
      << r.sigma.skipped.size() << " skipped)\n";
  for (const SigmaMatch& m : r.sigma_matches) {
    const CloudTrailEvent& e = m.event;
    out << "  [" << (m.rule.level.empty() ? "-" : m.rule.level) << "] " << m.rule.title << "  (" << m.rule.id
        << ", by " << m.rule.author << ")\n";
    out << "    " << e.event_time << "  " << e.event_source << ":" << e.event_name;
    if (!e.error_code.empty()) out << " [" << e.error_code << "]";
    out << "  from " << (e.source_ip.empty() ? "-" : e.source_ip) << "  by " << IdentityText(e) << "  "
        << e.event_id << "\n";
    if (!m.rule.falsepositives.empty())
      out << "    false positives: " << Join(m.rule.falsepositives, "; ") << "\n";
  }
  WriteSigmaCorrelationsText(r, out);
  for (const SigmaCoverage::Skipped& s : r.sigma.skipped) {
    out << "  rule skipped: " << s.file << (s.title.empty() ? "" : " (" + s.title + ")") << ": " << s.reason
        << "\n";
  }
}

std::vector<std::map<std::string, std::string>> SigmaCsvRows(const HuntResults& r) {
  std::vector<std::map<std::string, std::string>> rows;
  for (const SigmaMatch& m : r.sigma_matches) {
    const CloudTrailEvent& e = m.event;
    rows.push_back(
        {{"kind", "sigma"},
         {"time", e.event_time},
         {"event_name", e.event_name},
         {"event_source", e.event_source},
         {"identity", IdentityText(e)},
         {"source_ip", e.source_ip},
         {"id", e.event_id},
         {"detail",
          m.rule.title + " [" + m.rule.level + "] rule " + m.rule.id + " by " + m.rule.author +
              (m.rule.falsepositives.empty() ? ""
                                             : "; false positives: " + Join(m.rule.falsepositives, "; "))},
         {"file", e.file}});
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
