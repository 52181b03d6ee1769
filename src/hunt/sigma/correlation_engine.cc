#include "hunt/sigma/correlation_engine.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>

namespace cordon::hunt::sigma {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

const std::string* Lookup(const Fields& fields, const std::string& name) {
  for (const auto& [key, value] : fields) {
    if (key == name) return &value;
  }
  return nullptr;
}

// What one source (a rule's match, or a hit of a correlation below) contributes to a window.
struct Item {
  size_t source = 0;  // position in the correlation's `rules`
  TimePoint time{};
  std::string id;  // the (last) event's id: the tie-breaker after time
  std::vector<size_t> events;
  std::vector<std::string> group;
  std::optional<std::string> value;  // value_count: the value tuple
};

// The values of `names` in `fields`; false when one is missing.
bool Values(const Fields& fields, const std::vector<std::string>& names, std::vector<std::string>* out) {
  for (const std::string& name : names) {
    const std::string* v = Lookup(fields, name);
    if (!v) return false;
    out->push_back(*v);
  }
  return true;
}

class Runner {
 public:
  Runner(const std::vector<Correlation>& cs, const std::vector<CorrelationEvent>& events)
      : cs_(cs), events_(events), memo_(cs.size()), rank_(events.size()) {
    std::vector<size_t> order(events.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return std::tie(events[a].time, events[a].id, a) < std::tie(events[b].time, events[b].id, b);
    });
    for (size_t r = 0; r < order.size(); ++r) rank_[order[r]] = r;
    order_ = std::move(order);
  }

  // The hits of correlation `c`; computed once (a correlation can feed several).
  const std::vector<CorrelationHit>& Hits(size_t c) {
    if (!memo_[c]) memo_[c] = Compute(c);
    return *memo_[c];
  }

 private:
  std::vector<Item> Items(const Correlation& c) {
    std::vector<Item> items;
    for (size_t pos = 0; pos < c.sources.size(); ++pos) {
      const Correlation::Source& s = c.sources[pos];
      auto add = [&](const Fields& fields, TimePoint time, std::string id, std::vector<size_t> evs) {
        Item item{pos, time, std::move(id), std::move(evs), {}, std::nullopt};
        if (!Values(fields, s.group_fields, &item.group)) return;
        std::vector<std::string> value;
        if (Values(fields, s.value_fields, &value)) {
          std::string joined;
          for (const std::string& v : value) joined += v + '\x1f';  // a separator no field value holds
          item.value = std::move(joined);
        }
        if (c.type == CorrelationType::kValueCount && !item.value) return;
        items.push_back(std::move(item));
      };
      if (s.correlation) {
        for (const CorrelationHit& h : Hits(s.index))
          add(h.group, h.last, events_[h.events.back()].id, h.events);
      } else {
        for (size_t e : order_) {
          if (events_[e].rule == s.index) add(events_[e].fields, events_[e].time, events_[e].id, {e});
        }
      }
    }
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return std::tie(a.time, a.id, a.source) < std::tie(b.time, b.id, b.source);
    });
    return items;
  }

  // The count of window [j, k) of `idx` for c's type; *chosen gets the positions that made it.
  static int64_t Count(const Correlation& c, const std::vector<Item>& items, const std::vector<size_t>& idx,
                       size_t j, size_t k, std::vector<size_t>* chosen) {
    chosen->clear();
    if (c.type == CorrelationType::kTemporalOrdered) {
      size_t next = 0;
      for (size_t p = j; p < k && next < c.sources.size(); ++p) {
        if (items[idx[p]].source == next) {
          chosen->push_back(p);
          ++next;
        }
      }
      return static_cast<int64_t>(next);
    }
    for (size_t p = j; p < k; ++p) chosen->push_back(p);
    if (c.type == CorrelationType::kEventCount) return static_cast<int64_t>(k - j);
    std::set<std::string> distinct;
    for (size_t p = j; p < k; ++p) {
      const Item& item = items[idx[p]];
      distinct.insert(c.type == CorrelationType::kValueCount ? *item.value : std::to_string(item.source));
    }
    return static_cast<int64_t>(distinct.size());
  }

  static bool Meets(const Correlation& c, int64_t count) {
    if (c.condition.empty()) return count >= static_cast<int64_t>(c.sources.size());
    return std::all_of(c.condition.begin(), c.condition.end(),
                       [&](const CountBound& b) { return b.Holds(count); });
  }

  CorrelationHit MakeHit(size_t c, const std::vector<Item>& items, const std::vector<size_t>& idx,
                         const std::vector<size_t>& chosen) const {
    CorrelationHit hit;
    hit.correlation = c;
    const std::vector<std::string>& group = items[idx[chosen.front()]].group;
    for (size_t g = 0; g < group.size(); ++g) hit.group.emplace_back(cs_[c].group_by[g], group[g]);
    for (size_t p : chosen) {
      const std::vector<size_t>& evs = items[idx[p]].events;
      hit.events.insert(hit.events.end(), evs.begin(), evs.end());
    }
    std::sort(hit.events.begin(), hit.events.end(), [&](size_t a, size_t b) { return rank_[a] < rank_[b]; });
    hit.events.erase(std::unique(hit.events.begin(), hit.events.end()), hit.events.end());
    hit.first = events_[hit.events.front()].time;
    hit.last = events_[hit.events.back()].time;
    return hit;
  }

  std::vector<CorrelationHit> Compute(size_t c) {
    const Correlation& corr = cs_[c];
    const std::vector<Item> items = Items(corr);
    std::map<std::vector<std::string>, std::vector<size_t>> groups;  // ordered: the output is too
    for (size_t i = 0; i < items.size(); ++i) groups[items[i].group].push_back(i);
    std::vector<CorrelationHit> hits;
    std::vector<size_t> chosen;
    for (const auto& [group, idx] : groups) {
      size_t j = 0;
      while (j < idx.size()) {
        const TimePoint end = items[idx[j]].time + corr.timespan;
        size_t k = j;
        while (k < idx.size() && items[idx[k]].time <= end) ++k;
        const int64_t count = Count(corr, items, idx, j, k, &chosen);
        if (!chosen.empty() && Meets(corr, count)) {
          hits.push_back(MakeHit(c, items, idx, chosen));
          j = chosen.back() + 1;
        } else {
          ++j;
        }
      }
    }
    std::sort(hits.begin(), hits.end(), [](const CorrelationHit& a, const CorrelationHit& b) {
      return std::tie(a.first, a.group) < std::tie(b.first, b.group);
    });
    return hits;
  }

  const std::vector<Correlation>& cs_;
  const std::vector<CorrelationEvent>& events_;
  std::vector<std::optional<std::vector<CorrelationHit>>> memo_;
  std::vector<size_t> order_;
  std::vector<size_t> rank_;  // an event's position in time-then-id order
};

}  // namespace

std::vector<CorrelationHit> RunCorrelations(const std::vector<Correlation>& correlations,
                                            const std::vector<CorrelationEvent>& events) {
  Runner runner(correlations, events);
  std::vector<CorrelationHit> out;
  for (size_t c = 0; c < correlations.size(); ++c) {
    if (!correlations[c].reported) continue;
    const std::vector<CorrelationHit>& hits = runner.Hits(c);
    out.insert(out.end(), hits.begin(), hits.end());
  }
  return out;
}

}  // namespace cordon::hunt::sigma
