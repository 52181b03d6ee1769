#include "hunt/results.h"

#include <algorithm>
#include <iterator>
#include <tuple>
#include <vector>

namespace cordon::hunt {
namespace {

// Appends `from`'s elements to `to` in order. Into an empty list (the first worker's results) the list
// itself moves: no element is moved and no new memory is touched (the whole trail's 17,096 Sigma matches
// of the benchmark, about a kilobyte each, were moved one by one into fresh pages).
template <typename T>
void AppendMoved(std::vector<T>& to, std::vector<T>& from) {
  if (to.empty()) {
    to.swap(from);
    return;
  }
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

// Sorts `items` by `less` (stably) through a list of their indices, then moves each into place once,
// following the permutation's cycles: the elements are large (a Sigma match holds some thirty strings),
// and sorting them directly costs several moves per element, which for the whole trail's matches cost
// about as much as finding them. No second list of elements is made (the hunt's memory budget).
template <typename T, typename Less>
void SortLarge(std::vector<T>& items, Less less) {
  std::vector<size_t> order(items.size());  // order[k]: the element that goes to position k
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return less(items[a], items[b]); });
  for (size_t start = 0; start < order.size(); ++start) {
    if (order[start] == start) continue;  // in place already, or placed by an earlier cycle
    T held = std::move(items[start]);
    for (size_t k = start;;) {
      const size_t from = order[k];
      order[k] = k;
      if (from == start) {
        items[k] = std::move(held);
        break;
      }
      items[k] = std::move(items[from]);
      k = from;
    }
  }
}

// The CloudTrailEvent members a SigmaEvent keeps, in the order of its accessors.
constexpr std::string CloudTrailEvent::*kSigmaEventFields[] = {
    &CloudTrailEvent::event_id,     &CloudTrailEvent::event_time,   &CloudTrailEvent::event_source,
    &CloudTrailEvent::event_name,   &CloudTrailEvent::aws_region,   &CloudTrailEvent::source_ip,
    &CloudTrailEvent::user_agent,   &CloudTrailEvent::error_code,   &CloudTrailEvent::identity_type,
    &CloudTrailEvent::identity_arn, &CloudTrailEvent::principal_id, &CloudTrailEvent::access_key_id,
    &CloudTrailEvent::file,         &CloudTrailEvent::assumed_from,
};
static_assert(std::size(kSigmaEventFields) == SigmaEvent::kFields);

}  // namespace

SigmaEvent::SigmaEvent(const CloudTrailEvent& e) : time(e.time), resources(e.resources), hits(e.hits) {
  size_t size = 0;
  for (auto field : kSigmaEventFields) size += (e.*field).size();
  text_.reserve(size);
  for (size_t i = 0; i < kFields; ++i) {
    text_ += e.*kSigmaEventFields[i];
    end_[i] = static_cast<uint32_t>(text_.size());  // a record is at most max_record_bytes (4 MB)
  }
}

CloudTrailEvent SigmaEvent::Expand() const {
  CloudTrailEvent e;
  for (size_t i = 0; i < kFields; ++i) e.*kSigmaEventFields[i] = Field(i);
  e.time = time;
  e.resources = resources;
  e.hits = hits;
  return e;
}

void HuntResults::Merge(HuntResults&& other) {
  AppendMoved(events, other.events);
  // Aggregates only `other` has move over as map nodes (no copy, no allocation), so merging the workers'
  // partial results never holds two copies of a large flow hunt; what is left in `other` is also here.
  AppendMoved(sigma_matches, other.sigma_matches);
  flows.merge(other.flows);
  for (auto& [key, agg] : other.flows) {
    FlowAggregate& mine = flows.find(key)->second;
    mine.bytes += agg.bytes;
    mine.packets += agg.packets;
    mine.flows += agg.flows;
    mine.first = std::min(mine.first, agg.first);
    mine.last = std::max(mine.last, agg.last);
  }
  other.flows.clear();
  flow_matched_records += other.flow_matched_records;
  flow_nodata_records += other.flow_nodata_records;
  AppendMoved(findings, other.findings);
  AppendMoved(skipped, other.skipped);
  AppendMoved(warnings, other.warnings);
  objects += other.objects;
  objects_skipped += other.objects_skipped;
  bytes_read += other.bytes_read;
  bytes_scanned += other.bytes_scanned;
  candidate_records += other.candidate_records;
  flow_lines_parsed += other.flow_lines_parsed;
}

void HuntResults::Finalize() {
  SortLarge(events, [](const CloudTrailEvent& a, const CloudTrailEvent& b) {
    return std::tie(a.time, a.event_id, a.file) < std::tie(b.time, b.event_id, b.file);
  });
  // The same record can be delivered twice (CloudTrail does so at times; overlapping sources do too):
  // keep one per eventID.
  events.erase(std::unique(events.begin(), events.end(),
                           [](const CloudTrailEvent& a, const CloudTrailEvent& b) {
                             return !a.event_id.empty() && a.event_id == b.event_id && a.time == b.time;
                           }),
               events.end());
  SortLarge(sigma_matches, [](const SigmaMatch& a, const SigmaMatch& b) {
    return std::forward_as_tuple(a.event.time, a.event.event_id(), a.rule->id, a.rule->file, a.event.file()) <
           std::forward_as_tuple(b.event.time, b.event.event_id(), b.rule->id, b.rule->file, b.event.file());
  });
  sigma_matches.erase(std::unique(sigma_matches.begin(), sigma_matches.end(),
                                  [](const SigmaMatch& a, const SigmaMatch& b) {
                                    return !a.event.event_id().empty() &&
                                           a.event.event_id() == b.event.event_id() &&
                                           a.event.time == b.event.time && a.rule->id == b.rule->id &&
                                           a.rule->file == b.rule->file;
                                  }),
                      sigma_matches.end());
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.time, a.kind, a.id, a.file) < std::tie(b.time, b.kind, b.id, b.file);
  });
  std::sort(skipped.begin(), skipped.end(), [](const Skipped& a, const Skipped& b) {
    return std::tie(a.file, a.unit, a.reason) < std::tie(b.file, b.unit, b.reason);
  });
  std::sort(warnings.begin(), warnings.end(), [](const Warning& a, const Warning& b) {
    return std::tie(a.file, a.message) < std::tie(b.file, b.message);
  });
}

}  // namespace cordon::hunt
