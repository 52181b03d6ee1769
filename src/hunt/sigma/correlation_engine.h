// Runs resolved correlations over the events the rules matched. Deterministic whatever order the events
// come in: they are sorted by time, then event id, and every window is found from that order.
//
// Windows. Per group (the tuple of group-by values; an event without one of them is in no group, as a
// `stats ... by` drops it), a window opens at an event and holds the events up to `timespan` after it.
// When the window's count meets the condition, it is a hit, and the next window opens after its last
// event (hits do not overlap); otherwise the next window opens at the next event. The count is, per type:
// event_count the events, value_count the distinct values of `condition.field` (events without it are
// not counted), temporal the distinct rules seen, temporal_ordered how many of the rules appear one after
// the other in the order listed (the first occurrence of each). Temporal types without a condition need
// every rule. A correlation over another correlation sees each of its hits as one event at the time of
// the hit's last event, carrying the hit's group-by values.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/time.h"
#include "hunt/sigma/correlation.h"

namespace cordon::hunt::sigma {

// One event a rule matched, with the fields its correlations need (Rule::capture_fields).
struct CorrelationEvent {
  size_t rule = 0;  // index into the rules the correlations were resolved against
  TimePoint time{};
  std::string id;  // eventID
  std::vector<std::pair<std::string, std::string>> fields;
};

struct CorrelationHit {
  size_t correlation = 0;                                  // index into the correlations
  std::vector<std::pair<std::string, std::string>> group;  // group-by name -> value, in group-by order
  TimePoint first{};
  TimePoint last{};
  std::vector<size_t> events;  // indices into the events given, in time then id order
};

// The hits of every reported correlation, ordered by correlation, then first time, then group.
std::vector<CorrelationHit> RunCorrelations(const std::vector<Correlation>& correlations,
                                            const std::vector<CorrelationEvent>& events);

}  // namespace cordon::hunt::sigma
