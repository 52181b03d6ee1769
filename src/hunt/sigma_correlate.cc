#include "hunt/sigma_correlate.h"

#include <algorithm>
#include <string>

#include "hunt/sigma/correlation_engine.h"

namespace cordon::hunt {

void CorrelateSigmaMatches(const std::vector<sigma::Correlation>& correlations, HuntResults* results) {
  const std::vector<SigmaMatch>& matches = results->sigma_matches;
  std::vector<sigma::CorrelationEvent> events;
  events.reserve(matches.size());
  for (const SigmaMatch& m : matches)
    events.push_back({m.rule->index, m.event.time, std::string(m.event.event_id()), m.fields});
  for (const sigma::CorrelationHit& hit : sigma::RunCorrelations(correlations, events)) {
    const sigma::Correlation& c = correlations[hit.correlation];
    SigmaCorrelation out;
    out.rule = {c.id, c.title, c.level, c.author, c.file, c.falsepositives, hit.correlation, true};
    out.type = std::string(sigma::CorrelationTypeName(c.type));
    out.group = hit.group;
    out.first = matches[hit.events.front()].event.event_time();
    out.last = matches[hit.events.back()].event.event_time();
    for (size_t e : hit.events) out.event_ids.emplace_back(matches[e].event.event_id());
    results->sigma_correlations.push_back(std::move(out));
  }
  std::erase_if(results->sigma_matches, [](const SigmaMatch& m) { return !m.rule->standalone; });
}

}  // namespace cordon::hunt
