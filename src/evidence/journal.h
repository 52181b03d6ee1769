// The case journal: an append-only, hash-chained record of everything a response did, and the
// step-state queries a rerun uses to continue where a crash or Ctrl-C stopped it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/json.h"
#include "base/time.h"
#include "evidence/journal_format.h"

namespace cordon::evidence {

namespace detail {
class Database;
}

// The last record of the chain. An empty journal's head is {0, kGenesisHash}.
struct JournalHead {
  int64_t seq = 0;
  std::string hash = std::string(kGenesisHash);
};

// What `verify` found. The chain is checked in seq order and stops at the first bad record;
// `problems` lists what is wrong outside the chain (evidence rows, files, pre-state), filled by
// CaseStore::Verify.
struct VerifyReport {
  int64_t records = 0;        // journal records read
  int64_t first_bad_seq = 0;  // 0 when the chain is intact
  std::string reason;         // why first_bad_seq is bad
  std::vector<std::string> problems;
  JournalHead head;  // the head the chain was verified up to; keep it outside the case as an anchor

  bool ok() const { return first_bad_seq == 0 && problems.empty(); }
};

// Where a (target, step) stands, from its latest step.intent/done/failed/skipped record.
enum class StepState {
  kNone,         // never started
  kInterrupted,  // an intent with no outcome after it: the process died or was stopped mid-step
  kDone,
  kFailed,
  kSkipped,
};
std::string_view StepStateName(StepState state);

struct StepOutcome {
  StepState state = StepState::kNone;
  int64_t seq = 0;   // the record that decided the state; 0 for kNone
  std::string time;  // its time
  Json payload;      // its payload (for kInterrupted, the intent's: what the step was about to do)
};

struct StepRef {
  std::string target;
  std::string step;
  int64_t intent_seq = 0;
  bool marked = false;  // an `interrupted` record already follows the intent
};

// Appends to and reads the journal table of one case. Thread-safe: every method takes the case
// database's mutex, and appends from several threads (or processes) get distinct, gapless seqs.
// `db` and `clock` must outlive the Journal.
class Journal {
 public:
  Journal(detail::Database* db, Clock* clock) : db_(db), clock_(clock) {}

  // Appends one record and returns its seq once it is durable (committed with synchronous=FULL).
  // Fails with kInvalidArgument for a malformed kind/target/step (see ValidateRecordFields), and
  // with kConflict when the head anchor points at an existing record (the journal was tampered with).
  [[nodiscard]] Result<int64_t> Append(std::string_view kind, std::string_view target, std::string_view step,
                                       const Json& payload = Json::object());

  [[nodiscard]] Result<JournalHead> Head();

  // Records with seq >= first_seq in seq order, at most `limit` of them (all when limit < 0).
  [[nodiscard]] Result<std::vector<JournalRecord>> Records(int64_t first_seq = 1, int64_t limit = -1);

  // Checks the chain from seq 1: seqs 1..n without gaps, each prev_hash equal to the previous
  // record's hash, each hash equal to RecordHash of the record, and the last record equal to the
  // head anchor in the meta table. With `external`, also checks that the chain still holds that
  // record (an anchor kept outside the case, which catches a rewrite of the whole file).
  // An error means the database could not be read; a broken chain is a report with !ok().
  [[nodiscard]] Result<VerifyReport> Verify(const std::optional<JournalHead>& external = std::nullopt);

  // Where (target, step) stands. Only step.* records count; `interrupted` markers do not change it.
  [[nodiscard]] Result<StepOutcome> LastOutcome(std::string_view target, std::string_view step);

  // Every (target, step) whose latest step.* record is an intent, in intent order.
  [[nodiscard]] Result<std::vector<StepRef>> InterruptedSteps();

  // Appends an `interrupted` marker for (target, step): {"reason": reason}.
  [[nodiscard]] Result<int64_t> RecordInterrupted(std::string_view target, std::string_view step,
                                                  std::string_view reason);

  // Marks every interrupted step not yet marked; returns how many were marked. An engine calls this
  // once when it resumes a case, before deciding what to rerun.
  [[nodiscard]] Result<int> MarkInterrupted(std::string_view reason);

 private:
  detail::Database* db_;
  Clock* clock_;
};

namespace detail {

// Appends one record inside the caller's write transaction; the caller holds db->mu(). For the
// case store's own tables, whose rows are journaled in the same transaction as they are written.
[[nodiscard]] Result<int64_t> AppendLocked(Database* db, Clock* clock, std::string_view kind,
                                           std::string_view target, std::string_view step,
                                           const Json& payload);

// The record with this seq, or nullopt; the caller holds db->mu().
[[nodiscard]] Result<std::optional<JournalRecord>> ReadRecordLocked(Database* db, int64_t seq);

}  // namespace detail
}  // namespace cordon::evidence
