#include "evidence/pre_state.h"

#include <mutex>

#include "base/hash.h"
#include "evidence/journal.h"
#include "evidence/sqlite.h"

namespace cordon::evidence {
namespace {

using detail::Database;
using detail::Transaction;

constexpr std::string_view kSelectPreState = "SELECT target, state, time, seq FROM pre_state ";

PreStateRecord ReadPreStateRow(const detail::Statement& stmt) {
  PreStateRecord r;
  r.target = stmt.Text(0);
  const std::string text = stmt.Text(1);
  r.state = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  r.sha256 = Sha256Hex(text);
  r.time = stmt.Text(2);
  r.seq = stmt.Int(3);
  return r;
}

Result<std::optional<PreStateRecord>> FindLocked(Database* db, std::string_view target) {
  auto stmt = db->Prepare(std::string(kSelectPreState) + "WHERE target = ?1");
  if (!stmt) return MakeError(stmt.error());
  stmt->Bind(1, target);
  auto row = stmt->Step();
  if (!row) return MakeError(row.error());
  if (!*row) return std::optional<PreStateRecord>();
  return std::optional<PreStateRecord>(ReadPreStateRow(*stmt));
}

}  // namespace

Result<PreStateRecord> PreStateStore::RecordPreState(std::string_view target, const Json& state,
                                                     bool* recorded_now) {
  if (recorded_now != nullptr) *recorded_now = false;
  if (target.empty()) return MakeError(ErrorKind::kInvalidArgument, "a pre-state needs a target");
  if (auto s = ValidateRecordFields(kind::kPreState, target, ""); !s) return MakeError(s.error());

  std::lock_guard<std::mutex> lock(db_->mu());
  auto txn = Transaction::Begin(db_, Transaction::Kind::kWrite);
  if (!txn) return MakeError(txn.error());
  // Checked inside the write transaction, so two processes racing to record the same target
  // cannot both write: the second sees the first's row.
  auto existing = FindLocked(db_, target);
  if (!existing) return MakeError(existing.error());
  if (*existing) return std::move(**existing);

  const std::string text = CompactJson(state);
  const std::string sha256 = Sha256Hex(text);
  auto seq = detail::AppendLocked(db_, clock_, kind::kPreState, target, "",
                                  Json{{"sha256", sha256}, {"size", static_cast<int64_t>(text.size())}});
  if (!seq) return MakeError(seq.error());
  auto record = detail::ReadRecordLocked(db_, *seq);
  if (!record) return MakeError(record.error());
  // Invariant: AppendLocked just inserted this seq in the open transaction.
  const std::string time = record->has_value() ? (*record)->time : FormatIso8601(clock_->Now());

  auto insert = db_->Prepare("INSERT INTO pre_state (target, seq, time, state) VALUES (?1, ?2, ?3, ?4)");
  if (!insert) return MakeError(insert.error());
  insert->Bind(1, target).Bind(2, *seq).Bind(3, time).Bind(4, text);
  if (auto s = insert->Run(); !s) return MakeError(s.error());
  if (auto s = txn->Commit(); !s) return MakeError(s.error());
  if (recorded_now != nullptr) *recorded_now = true;
  return PreStateRecord{std::string(target), Json::parse(text, nullptr, false), time, *seq, sha256};
}

Result<std::optional<PreStateRecord>> PreStateStore::PreState(std::string_view target) {
  std::lock_guard<std::mutex> lock(db_->mu());
  return FindLocked(db_, target);
}

Result<std::vector<PreStateRecord>> PreStateStore::All() {
  std::lock_guard<std::mutex> lock(db_->mu());
  auto stmt = db_->Prepare(std::string(kSelectPreState) + "ORDER BY seq");
  if (!stmt) return MakeError(stmt.error());
  std::vector<PreStateRecord> all;
  while (true) {
    auto row = stmt->Step();
    if (!row) return MakeError(row.error());
    if (!*row) return all;
    all.push_back(ReadPreStateRow(*stmt));
  }
}

Status PreStateStore::Check(std::vector<std::string>* problems) {
  auto all = All();
  if (!all) return MakeError(all.error());
  std::lock_guard<std::mutex> lock(db_->mu());
  for (const PreStateRecord& row : *all) {
    const std::string what = "pre-state of " + row.target + " (journal seq " + std::to_string(row.seq) + ")";
    auto record = detail::ReadRecordLocked(db_, row.seq);
    if (!record) return MakeError(record.error());
    if (!*record) {
      problems->push_back(what + ": no such journal record");
      continue;
    }
    const JournalRecord& r = **record;
    const Json payload = r.PayloadJson();
    if (r.kind != kind::kPreState || r.target != row.target) {
      problems->push_back(what + ": the journal record is a " + r.kind + " record for '" + r.target + "'");
    } else if (!payload.is_object() || !payload.contains("sha256") || payload["sha256"] != row.sha256) {
      problems->push_back(what + ": the state's SHA-256 " + row.sha256 +
                          " does not match the journal's (the recorded state was changed)");
    }
  }
  return Ok();
}

}  // namespace cordon::evidence
