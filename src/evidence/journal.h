// The case journal: an append-only, hash-chained record of everything a response did, and the
// step-state queries a rerun uses to continue where a crash or Ctrl-C stopped it.
#pragma once

#include <cstdint>
#include <mutex>
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

// A record the journal could not write: what a summary names ("step.done tag i-0abc"). The payload
// is left out on purpose, to keep the list short.
struct LostRecord {
  std::string kind;
  std::string target;  // "" for the case itself
  std::string step;    // "" when the record is about no step

  // "<kind> <step> <target>", leaving out the empty ones: "step.done tag i-0abc", "run.end".
  std::string ToString() const;
  bool operator==(const LostRecord&) const = default;
};

// Appends to and reads the journal table of one case. Thread-safe: every method takes the case
// database's mutex, and appends from several threads (or processes) get distinct, gapless seqs.
// `db` and `clock` must outlive the Journal.
//
// A failed append is sticky, as a failed log write is in LevelDB (DBImpl::RecordBackgroundError):
// the Journal keeps the first failed append's error, and every later append (Append,
// RecordInterrupted, MarkInterrupted) fails at once with that error, without touching the database:
// no step record follows a hole in the record of what was done, and the engine, which checks
// healthy(), starts nothing more. Each record that failed, the first one and the ones refused after
// it, is kept in lost_records(). A Journal stays unhealthy until the case is opened again (a rerun
// re-observes whatever the lost records were about). Reads (Records, LastOutcome, Verify, ...) still
// work. Not sticky: a malformed kind/target/step (kInvalidArgument: the caller's bug, the database
// was never asked). Outside this rule: the case store's own rows (pre-state, evidence), written with
// their records in one transaction through detail::AppendLocked, which fail or succeed whole and are
// returned to the step that wrote them.
class Journal {
 public:
  Journal(detail::Database* db, Clock* clock) : db_(db), clock_(clock) {}

  // Appends one record and returns its seq once it is durable (committed with synchronous=FULL).
  // Fails with kInvalidArgument for a malformed kind/target/step (see ValidateRecordFields), with
  // kConflict when the head anchor points at an existing record (the journal was tampered with),
  // and with sticky_error() once an earlier append failed.
  [[nodiscard]] Result<int64_t> Append(std::string_view kind, std::string_view target, std::string_view step,
                                       const Json& payload = Json::object());

  // False once an append failed; sticky_error() is then that first failure (Ok() while healthy).
  bool healthy() const;
  Status sticky_error() const;
  // The records lost since the first failure (that one included), in the order they were refused.
  std::vector<LostRecord> lost_records() const;

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
  // once when it resumes a case, before deciding what to rerun. All markers are written in one
  // transaction: on failure none is, and each is a lost record.
  [[nodiscard]] Result<int> MarkInterrupted(std::string_view reason);

 private:
  // Keeps `error` as the sticky error when it is the first failure, and `lost` as lost records.
  // Requires sticky_mu_.
  void RecordFailureLocked(const Error& error, std::vector<LostRecord> lost);

  detail::Database* db_;
  Clock* clock_;
  // Held across each append, so no append can succeed after one that failed. Taken before db_->mu().
  mutable std::mutex sticky_mu_;
  std::optional<Error> sticky_;    // guarded by sticky_mu_
  std::vector<LostRecord> lost_;   // guarded by sticky_mu_
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
