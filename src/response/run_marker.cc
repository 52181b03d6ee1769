#include "response/run_marker.h"

namespace cordon::response {

namespace kind = evidence::kind;

int64_t BeginRun(evidence::CaseStore* store, const std::string& command) {
  evidence::Journal& journal = store->journal();
  auto records = journal.Records();
  if (records) {
    int64_t open_run = 0;
    for (const evidence::JournalRecord& r : *records) {
      if (r.kind == kind::kRunStart) open_run = r.seq;
      if (r.kind == kind::kRunEnd) open_run = 0;
    }
    // Safe to drop: on failure the journal is unhealthy (sticky) and lists this record as lost; the
    // run.start below then fails at once (lost too), and the caller's engine attempts no step.
    if (open_run != 0)
      (void)journal.Append(kind::kRunInterrupted, "", "",
                           Json{{"reason", "the run started at seq " + std::to_string(open_run) +
                                               " was interrupted before it finished; resuming"},
                                {"run_seq", open_run}});
  }
  auto seq = journal.Append(kind::kRunStart, "", "", Json{{"command", command}});
  return seq ? *seq : 0;
}

void EndRun(evidence::CaseStore* store, int64_t run_seq, const std::string& result) {
  // Safe to drop: a failure leaves the journal unhealthy with run.end among its lost records, which
  // is where the command's summary reads it (Journal::sticky_error, Journal::lost_records).
  (void)store->journal().Append(kind::kRunEnd, "", "", Json{{"run_seq", run_seq}, {"result", result}});
}

}  // namespace cordon::response
