#include "response/run_marker.h"

namespace cordon::response {

int64_t BeginRun(evidence::CaseStore* store, const std::string& command) {
  evidence::Journal& journal = store->journal();
  auto records = journal.Records();
  if (records) {
    int64_t open_run = 0;
    for (const evidence::JournalRecord& r : *records) {
      if (r.kind == "run.start") open_run = r.seq;
      if (r.kind == "run.end") open_run = 0;
    }
    if (open_run != 0)
      (void)journal.Append("run.interrupted", "", "",
                           Json{{"reason", "the run started at seq " + std::to_string(open_run) +
                                               " was interrupted before it finished; resuming"},
                                {"run_seq", open_run}});
  }
  auto seq = journal.Append("run.start", "", "", Json{{"command", command}});
  return seq ? *seq : 0;
}

void EndRun(evidence::CaseStore* store, int64_t run_seq, const std::string& result) {
  (void)store->journal().Append("run.end", "", "", Json{{"run_seq", run_seq}, {"result", result}});
}

}  // namespace cordon::response
