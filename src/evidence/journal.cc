#include "evidence/journal.h"

#include <charconv>
#include <mutex>

#include "base/debug_log.h"
#include "evidence/schema.h"
#include "evidence/sqlite.h"

namespace cordon::evidence {
namespace {

using detail::Database;
using detail::Transaction;

// The kinds that decide a step's state (kind::kStepIntent ... kind::kStepSkipped).
constexpr std::string_view kStepKindsSql = "('step.intent', 'step.done', 'step.failed', 'step.skipped')";

constexpr std::string_view kSelectRecord =
    "SELECT seq, time, kind, target, step, payload, prev_hash, hash FROM journal ";

JournalRecord ReadJournalRow(const detail::Statement& stmt) {
  JournalRecord r;
  r.seq = stmt.Int(0);
  r.time = stmt.Text(1);
  r.kind = stmt.Text(2);
  r.target = stmt.Text(3);
  r.step = stmt.Text(4);
  r.payload = stmt.Text(5);
  r.prev_hash = stmt.Text(6);
  r.hash = stmt.Text(7);
  return r;
}

// The head anchor from the meta table; nullopt when it is missing (only a tampered case lacks it:
// it is written with the case.open record).
Result<std::optional<JournalHead>> ReadAnchor(Database* db) {
  auto seq_text = detail::ReadMeta(db, detail::meta::kHeadSeq);
  if (!seq_text) return MakeError(seq_text.error());
  auto hash = detail::ReadMeta(db, detail::meta::kHeadHash);
  if (!hash) return MakeError(hash.error());
  if (!*seq_text && !*hash) return std::optional<JournalHead>();
  JournalHead head;
  const std::string text = seq_text->value_or("");
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), head.seq);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !*hash) {
    return MakeError(ErrorKind::kParse, "the journal head anchor in the meta table is malformed");
  }
  head.hash = **hash;
  return std::optional<JournalHead>(std::move(head));
}

Result<StepOutcome> LastOutcomeLocked(Database* db, std::string_view target, std::string_view step) {
  auto stmt = db->Prepare(
      "SELECT seq, time, kind, payload FROM journal WHERE target = ?1 AND step = ?2 AND kind IN " +
      std::string(kStepKindsSql) + " ORDER BY seq DESC LIMIT 1");
  if (!stmt) return MakeError(stmt.error());
  stmt->Bind(1, target).Bind(2, step);
  auto row = stmt->Step();
  if (!row) return MakeError(row.error());
  StepOutcome outcome;
  if (!*row) return outcome;
  outcome.seq = stmt->Int(0);
  outcome.time = stmt->Text(1);
  const std::string kind = stmt->Text(2);
  outcome.payload = Json::parse(stmt->Text(3), nullptr, /*allow_exceptions=*/false);
  if (kind == kind::kStepIntent) {
    outcome.state = StepState::kInterrupted;
  } else if (kind == kind::kStepDone) {
    outcome.state = StepState::kDone;
  } else if (kind == kind::kStepFailed) {
    outcome.state = StepState::kFailed;
  } else {
    outcome.state = StepState::kSkipped;
  }
  return outcome;
}

Result<std::vector<StepRef>> InterruptedStepsLocked(Database* db) {
  // An intent is interrupted when it is the latest step.* record of its (target, step).
  auto stmt = db->Prepare(
      "SELECT j.target, j.step, j.seq, EXISTS (SELECT 1 FROM journal m WHERE m.target = j.target AND "
      "m.step = j.step AND m.kind = 'interrupted' AND m.seq > j.seq) FROM journal j WHERE j.kind = "
      "'step.intent' "
      "AND j.seq = (SELECT MAX(k.seq) FROM journal k WHERE k.target = j.target AND k.step = j.step AND "
      "k.kind IN " +
      std::string(kStepKindsSql) + ") ORDER BY j.seq");
  if (!stmt) return MakeError(stmt.error());
  std::vector<StepRef> steps;
  while (true) {
    auto row = stmt->Step();
    if (!row) return MakeError(row.error());
    if (!*row) break;
    steps.push_back(StepRef{stmt->Text(0), stmt->Text(1), stmt->Int(2), stmt->Int(3) != 0});
  }
  return steps;
}

// Runs `body` inside a write transaction under the database mutex, committing when it succeeds.
template <class T, class Body>
Result<T> InWriteTransaction(Database* db, Body body) {
  std::lock_guard<std::mutex> lock(db->mu());
  auto txn = Transaction::Begin(db, Transaction::Kind::kWrite);
  if (!txn) return MakeError(txn.error());
  Result<T> result = body();
  if (!result) return result;
  if (auto s = txn->Commit(); !s) return MakeError(s.error());
  return result;
}

}  // namespace

std::string_view StepStateName(StepState state) {
  switch (state) {
    case StepState::kNone:
      return "none";
    case StepState::kInterrupted:
      return "interrupted";
    case StepState::kDone:
      return "done";
    case StepState::kFailed:
      return "failed";
    case StepState::kSkipped:
      return "skipped";
  }
  return "unknown";
}

namespace detail {

Result<int64_t> AppendLocked(Database* db, Clock* clock, std::string_view kind, std::string_view target,
                             std::string_view step, const Json& payload) {
  if (auto s = ValidateRecordFields(kind, target, step); !s) return MakeError(s.error());
  // The anchor, not MAX(seq), decides the next seq: if records were cut from the end, the next
  // append leaves a visible gap instead of quietly re-using their seqs.
  auto anchor = ReadAnchor(db);
  if (!anchor) return MakeError(anchor.error());
  const JournalHead head = anchor->value_or(JournalHead{});

  JournalRecord r;
  r.seq = head.seq + 1;
  r.time = FormatIso8601(clock->Now());
  r.kind = kind;
  r.target = target;
  r.step = step;
  r.payload = CompactJson(payload);
  r.prev_hash = head.hash;
  r.hash = RecordHash(r);

  auto insert = db->Prepare(
      "INSERT INTO journal (seq, time, kind, target, step, payload, prev_hash, hash) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!insert) return MakeError(insert.error());
  insert->Bind(1, r.seq).Bind(2, r.time).Bind(3, r.kind).Bind(4, r.target).Bind(5, r.step);
  insert->Bind(6, r.payload).Bind(7, r.prev_hash).Bind(8, r.hash);
  if (auto s = insert->Run(); !s) {
    // A duplicate seq (UNIQUE) means records exist past the anchor; any other constraint (a trigger's
    // RAISE, say) is reported as SQLite said it.
    if (s.error().kind == ErrorKind::kConflict && s.error().message.find("UNIQUE") != std::string::npos) {
      return MakeError(ErrorKind::kConflict,
                       "journal record " + std::to_string(r.seq) +
                           " already exists but the head anchor says seq " + std::to_string(head.seq) +
                           ": the journal was changed outside cordon (run `cordon case verify`)");
    }
    return MakeError(s.error());
  }
  if (auto s = WriteMeta(db, meta::kHeadSeq, std::to_string(r.seq)); !s) return MakeError(s.error());
  if (auto s = WriteMeta(db, meta::kHeadHash, r.hash); !s) return MakeError(s.error());
  return r.seq;
}

Result<std::optional<JournalRecord>> ReadRecordLocked(Database* db, int64_t seq) {
  auto stmt = db->Prepare(std::string(kSelectRecord) + "WHERE seq = ?1");
  if (!stmt) return MakeError(stmt.error());
  stmt->Bind(1, seq);
  auto row = stmt->Step();
  if (!row) return MakeError(row.error());
  if (!*row) return std::optional<JournalRecord>();
  return std::optional<JournalRecord>(ReadJournalRow(*stmt));
}

}  // namespace detail

std::string LostRecord::ToString() const {
  std::string out = kind;
  for (const std::string* part : {&step, &target}) {
    if (!part->empty()) out += " " + *part;
  }
  return out;
}

void Journal::RecordFailureLocked(const Error& error, std::vector<LostRecord> lost) {
  if (!sticky_) sticky_ = error;
  for (LostRecord& r : lost) lost_.push_back(std::move(r));
}

Result<int64_t> Journal::Append(std::string_view kind, std::string_view target, std::string_view step,
                                const Json& payload) {
  // A malformed record is refused before the sticky check: it is the caller's bug, not the log's.
  if (auto s = ValidateRecordFields(kind, target, step); !s) return MakeError(s.error());
  std::lock_guard<std::mutex> sticky_lock(sticky_mu_);
  LostRecord record{std::string(kind), std::string(target), std::string(step)};
  if (sticky_) {
    lost_.push_back(std::move(record));
    return MakeError(*sticky_);
  }
  auto seq = InWriteTransaction<int64_t>(
      db_, [&]() { return detail::AppendLocked(db_, clock_, kind, target, step, payload); });
  if (!seq) RecordFailureLocked(seq.error(), {std::move(record)});
  if (DebugEnabled(DebugTopic::kJournal)) {
    DebugLine(DebugTopic::kJournal,
              (seq ? "record " + std::to_string(*seq) : "FAILED: " + seq.error().message) + " " +
                  std::string(kind) + " " + std::string(target) + " " + std::string(step));
  }
  return seq;
}

bool Journal::healthy() const {
  std::lock_guard<std::mutex> lock(sticky_mu_);
  return !sticky_;
}

Status Journal::sticky_error() const {
  std::lock_guard<std::mutex> lock(sticky_mu_);
  if (sticky_) return MakeError(*sticky_);
  return Ok();
}

std::vector<LostRecord> Journal::lost_records() const {
  std::lock_guard<std::mutex> lock(sticky_mu_);
  return lost_;
}

Result<JournalHead> Journal::Head() {
  std::lock_guard<std::mutex> lock(db_->mu());
  auto anchor = ReadAnchor(db_);
  if (!anchor) return MakeError(anchor.error());
  return anchor->value_or(JournalHead{});
}

Result<std::vector<JournalRecord>> Journal::Records(int64_t first_seq, int64_t limit) {
  std::lock_guard<std::mutex> lock(db_->mu());
  auto stmt = db_->Prepare(std::string(kSelectRecord) + "WHERE seq >= ?1 ORDER BY seq LIMIT ?2");
  if (!stmt) return MakeError(stmt.error());
  stmt->Bind(1, first_seq).Bind(2, limit);
  std::vector<JournalRecord> records;
  while (true) {
    auto row = stmt->Step();
    if (!row) return MakeError(row.error());
    if (!*row) return records;
    records.push_back(ReadJournalRow(*stmt));
  }
}

Result<VerifyReport> Journal::Verify(const std::optional<JournalHead>& external) {
  std::lock_guard<std::mutex> lock(db_->mu());
  // One read transaction: the chain and its anchor come from the same snapshot even while another
  // process appends.
  auto txn = Transaction::Begin(db_, Transaction::Kind::kRead);
  if (!txn) return MakeError(txn.error());
  std::optional<JournalHead> anchor;
  std::string anchor_problem;
  if (auto read = ReadAnchor(db_); read) {
    anchor = *read;
    if (!anchor) anchor_problem = "the meta table has no head anchor (head_seq, head_hash)";
  } else if (read.error().kind == ErrorKind::kParse) {
    anchor_problem = read.error().message;  // a finding about the case, not a failure to read it
  } else {
    return MakeError(read.error());
  }
  auto stmt = db_->Prepare(std::string(kSelectRecord) + "ORDER BY seq");
  if (!stmt) return MakeError(stmt.error());

  VerifyReport report;
  auto fail = [&report](int64_t seq, std::string reason) {
    report.first_bad_seq = seq;
    report.reason = std::move(reason);
  };
  int64_t expected = 1;
  std::string prev(kGenesisHash);
  while (report.first_bad_seq == 0) {
    auto row = stmt->Step();
    if (!row) return MakeError(row.error());
    if (!*row) break;
    const JournalRecord r = ReadJournalRow(*stmt);
    ++report.records;
    const std::string seq = std::to_string(r.seq);
    if (r.seq > expected) {
      fail(expected, "record missing: the journal jumps from seq " + std::to_string(expected - 1) +
                         " to seq " + seq + " (records were removed)");
    } else if (r.seq != expected) {
      fail(expected, "unexpected seq " + seq + " where seq " + std::to_string(expected) + " should be");
    } else if (RecordHash(r) != r.hash) {
      fail(r.seq, "hash mismatch: the record's contents do not match its hash (the record was edited)");
    } else if (r.prev_hash != prev) {
      fail(r.seq, "prev_hash does not match the hash of seq " + std::to_string(r.seq - 1) +
                      " (a record was inserted here, or the one before it was rewritten)");
    } else if (external && r.seq == external->seq && r.hash != external->hash) {
      fail(r.seq, "hash differs from the external anchor (the journal was rewritten from here on)");
    } else {
      prev = r.hash;
      ++expected;
    }
  }
  if (report.first_bad_seq != 0) return report;

  const int64_t last = expected - 1;
  report.head = JournalHead{last, prev};
  const std::string last_text = std::to_string(last);
  if (!anchor) {
    fail(last > 0 ? last : 1, anchor_problem);
  } else if (last < anchor->seq) {
    fail(last + 1, "the journal ends at seq " + last_text + " but its head anchor is seq " +
                       std::to_string(anchor->seq) + ": records were removed from the end");
  } else if (last > anchor->seq) {
    fail(anchor->seq + 1, "the journal continues past its head anchor (seq " + std::to_string(anchor->seq) +
                              ") to seq " + last_text + ": records were added outside cordon");
  } else if (prev != anchor->hash) {
    fail(last > 0 ? last : 1, "the last record's hash does not match the head anchor");
  } else if (external && external->seq > last) {
    fail(last + 1, "the journal ends at seq " + last_text + " but the external anchor is seq " +
                       std::to_string(external->seq) + ": records were removed from the end");
  }
  return report;
}

Result<StepOutcome> Journal::LastOutcome(std::string_view target, std::string_view step) {
  std::lock_guard<std::mutex> lock(db_->mu());
  return LastOutcomeLocked(db_, target, step);
}

Result<std::vector<StepRef>> Journal::InterruptedSteps() {
  std::lock_guard<std::mutex> lock(db_->mu());
  return InterruptedStepsLocked(db_);
}

Result<int64_t> Journal::RecordInterrupted(std::string_view target, std::string_view step,
                                           std::string_view reason) {
  return Append(kind::kInterrupted, target, step, Json{{"reason", std::string(reason)}});
}

Result<int> Journal::MarkInterrupted(std::string_view reason) {
  std::lock_guard<std::mutex> sticky_lock(sticky_mu_);
  // Which markers are lost is only known once the interrupted steps are read; until then the loss
  // is one unnamed `interrupted` record.
  std::vector<LostRecord> pending = {LostRecord{std::string(kind::kInterrupted), "", ""}};
  if (sticky_) {
    lost_.insert(lost_.end(), pending.begin(), pending.end());
    return MakeError(*sticky_);
  }
  auto marked = InWriteTransaction<int>(db_, [&]() -> Result<int> {
    auto steps = InterruptedStepsLocked(db_);
    if (!steps) return MakeError(steps.error());
    pending.clear();
    for (const StepRef& ref : *steps) {
      if (!ref.marked) pending.push_back(LostRecord{std::string(kind::kInterrupted), ref.target, ref.step});
    }
    int marked = 0;
    for (const StepRef& ref : *steps) {
      if (ref.marked) continue;
      auto seq = detail::AppendLocked(db_, clock_, kind::kInterrupted, ref.target, ref.step,
                                      Json{{"reason", std::string(reason)}, {"intent_seq", ref.intent_seq}});
      if (!seq) return MakeError(seq.error());
      ++marked;
    }
    return marked;
  });
  // The markers share one transaction: when it failed, none of them was written.
  if (!marked) RecordFailureLocked(marked.error(), std::move(pending));
  return marked;
}

}  // namespace cordon::evidence
