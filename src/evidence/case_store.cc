#include "evidence/case_store.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <system_error>

#include "base/strings.h"
#include "evidence/atomic_file.h"
#include "evidence/schema.h"
#include "evidence/sqlite.h"

namespace cordon::evidence {
namespace {

using detail::Database;
using detail::Transaction;
namespace fs = std::filesystem;

constexpr size_t kMaxCaseId = 64;
constexpr size_t kMaxStatus = 32;
constexpr std::string_view kInitialStatus = "open";

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// "cases/X/" and "cases/./X" both name case X.
fs::path NormalizeDir(const fs::path& dir) {
  fs::path d = dir.lexically_normal();
  if (d.filename().empty()) d = d.parent_path();
  return d;
}

Status ValidateStatus(std::string_view status) {
  bool ok = !status.empty() && status.size() <= kMaxStatus && status[0] >= 'a' && status[0] <= 'z';
  for (char c : status) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
  if (!ok) {
    return MakeError(ErrorKind::kInvalidArgument, "invalid case status '" + std::string(status) +
                                                      "': use up to 32 lowercase letters, digits and '-'");
  }
  return Ok();
}

Result<std::string> MetaOrEmpty(Database* db, std::string_view key) {
  auto value = detail::ReadMeta(db, key);
  if (!value) return MakeError(value.error());
  return value->value_or("");
}

// Fills everything but id and dir; the caller holds db->mu() (or is the only user of db).
Status ReadSummaryLocked(Database* db, CaseSummary* summary) {
  auto txn = Transaction::Begin(db, Transaction::Kind::kRead);
  if (!txn) return MakeError(txn.error());
  for (auto [key, field] : {std::pair{detail::meta::kCreated, &summary->created},
                            std::pair{detail::meta::kStatus, &summary->status},
                            std::pair{detail::meta::kResponder, &summary->responder}}) {
    auto value = MetaOrEmpty(db, key);
    if (!value) return MakeError(value.error());
    *field = *value;
  }
  auto stmt = db->Prepare("SELECT DISTINCT target FROM journal WHERE target <> '' ORDER BY target");
  if (!stmt) return MakeError(stmt.error());
  summary->targets.clear();
  while (true) {
    auto row = stmt->Step();
    if (!row) return MakeError(row.error());
    if (!*row) break;
    summary->targets.push_back(stmt->Text(0));
  }
  auto last = db->Prepare("SELECT seq, time FROM journal ORDER BY seq DESC LIMIT 1");
  if (!last) return MakeError(last.error());
  auto row = last->Step();
  if (!row) return MakeError(row.error());
  if (*row) {
    summary->records = last->Int(0);
    summary->last_activity = last->Text(1);
  }
  return Ok();
}

// The seqs of a table's rows (pre_state, evidence), each of which names the record that logged it.
Result<std::set<int64_t>> RowSeqs(Database* db, const char* table) {
  auto stmt = db->Prepare(std::string("SELECT seq FROM ") + table);
  if (!stmt) return MakeError(stmt.error());
  std::set<int64_t> seqs;
  while (true) {
    auto row = stmt->Step();
    if (!row) return MakeError(row.error());
    if (!*row) break;
    seqs.insert(stmt->Int(0));
  }
  return seqs;
}

// The journal against the rows and the meta it logged, the other way round from the rows' own
// checks: a pre_state or evidence row deleted, or the case's status, responder or description edited
// in `meta`, leaves the chain intact but no longer matching (issue 16).
Status CheckAgainstJournal(Database* db, const std::vector<JournalRecord>& records,
                           std::vector<std::string>* problems) {
  auto pre_state = RowSeqs(db, "pre_state");
  if (!pre_state) return MakeError(pre_state.error());
  auto evidence = RowSeqs(db, "evidence");
  if (!evidence) return MakeError(evidence.error());
  std::string status(kInitialStatus);
  Json opened;
  for (const JournalRecord& r : records) {
    if (r.kind == kind::kPreState && !pre_state->count(r.seq))
      problems->push_back("pre-state of " + r.target + ": recorded at seq " + std::to_string(r.seq) +
                          " but its row is gone");
    if (r.kind == kind::kEvidenceAdded && !evidence->count(r.seq))
      problems->push_back("evidence added at seq " + std::to_string(r.seq) + ": its inventory row is gone");
    if (r.kind == kind::kCaseStatus) status = r.PayloadJson().value("to", status);
    if (r.kind == kind::kCaseOpen) opened = r.PayloadJson();
  }
  const std::pair<std::string_view, std::string> expected[] = {
      {detail::meta::kStatus, status},
      {detail::meta::kCaseId, opened.is_object() ? opened.value("case_id", "") : ""},
      {detail::meta::kResponder, opened.is_object() ? opened.value("responder", "") : ""},
      {detail::meta::kDescription, opened.is_object() ? opened.value("description", "") : ""}};
  for (const auto& [key, want] : expected) {
    auto have = MetaOrEmpty(db, key);
    if (!have) return MakeError(have.error());
    if (*have != want)
      problems->push_back("the case's " + std::string(key) + " is '" + *have + "' but the journal says '" +
                          want + "' (meta was edited outside cordon)");
  }
  return Ok();
}

// Creates the tables and the case.open record of a new case; the caller holds a write transaction.
Status InitializeCase(Database* db, Clock* clock, const std::string& id, const CaseInfo& info) {
  auto tables = db->QueryText("SELECT count(*) FROM sqlite_master");
  if (!tables) return MakeError(tables.error());
  if (*tables != "0") {
    return MakeError(ErrorKind::kParse, db->path() + " is an SQLite database but not a cordon case");
  }
  if (auto s = detail::CreateSchema(db); !s) return s;
  const std::pair<std::string_view, std::string> values[] = {
      {detail::meta::kCaseId, id},
      {detail::meta::kCreated, FormatIso8601(clock->Now())},
      {detail::meta::kResponder, info.responder},
      {detail::meta::kDescription, info.description},
      {detail::meta::kStatus, std::string(kInitialStatus)},
  };
  for (const auto& [key, value] : values) {
    if (auto s = detail::WriteMeta(db, key, value); !s) return s;
  }
  Json payload = {{"case_id", id},
                  {"responder", info.responder},
                  {"description", info.description},
                  {"format_version", kCaseFormatVersion}};
  auto seq = detail::AppendLocked(db, clock, kind::kCaseOpen, "", "", payload);
  if (!seq) return MakeError(seq.error());
  return Ok();
}

}  // namespace

Status ValidateResponder(std::string_view responder) {
  if (responder.empty() || responder.size() > 128)
    return MakeError(ErrorKind::kInvalidArgument,
                     "--responder must be 1 to 128 characters (your name or email)");
  if (HasControlChar(responder))
    return MakeError(ErrorKind::kInvalidArgument,
                     "--responder holds a control character; give your name or email as plain text");
  return Ok();
}

Status ValidateCaseId(std::string_view id) {
  auto bad = [&](const std::string& why) {
    return MakeError(
        ErrorKind::kInvalidArgument,
        "invalid case id '" + std::string(id) + "': " + why +
            "; a case id is 1 to 64 letters, digits, '-', '_' or '.', starting with a letter or digit");
  };
  if (id.empty()) return bad("it is empty");
  if (id.size() > kMaxCaseId) return bad("it is " + std::to_string(id.size()) + " characters long");
  if (!IsAlnum(id[0])) return bad("it starts with '" + std::string(1, id[0]) + "'");
  for (char c : id) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') {
      unsigned char u = static_cast<unsigned char>(c);
      return bad(u < 0x20 || u >= 0x7f ? "it contains a control or non-ASCII byte"
                                       : "it contains '" + std::string(1, c) + "'");
    }
  }
  return Ok();
}

CaseStore::CaseStore(std::string id, fs::path dir, std::unique_ptr<Database> db, Clock* clock,
                     bool newly_created)
    : id_(std::move(id)),
      dir_(std::move(dir)),
      db_(std::move(db)),
      clock_(clock),
      newly_created_(newly_created),
      journal_(db_.get(), clock_),
      pre_state_(db_.get(), clock_),
      evidence_(db_.get(), clock_, dir_) {}

CaseStore::~CaseStore() = default;

Result<std::unique_ptr<CaseStore>> CaseStore::Open(const fs::path& case_dir, const CaseInfo& if_new,
                                                   Clock* clock) {
  return DoOpen(case_dir, &if_new, clock);
}

Result<std::unique_ptr<CaseStore>> CaseStore::OpenExisting(const fs::path& case_dir, Clock* clock) {
  return DoOpen(case_dir, nullptr, clock);
}

Result<std::unique_ptr<CaseStore>> CaseStore::DoOpen(const fs::path& case_dir, const CaseInfo* if_new,
                                                     Clock* clock) {
  if (clock == nullptr) clock = SystemClock::Default();
  const fs::path dir = NormalizeDir(case_dir);
  const std::string id = dir.filename().string();
  if (auto s = ValidateCaseId(id); !s) return MakeError(s.error());
  const fs::path db_path = dir / kCaseDbName;

  std::error_code ec;
  const bool existed = fs::exists(db_path, ec);
  if (if_new == nullptr && !existed) {
    return MakeError(ErrorKind::kNotFound,
                     "no case " + id + " in " + dir.string() +
                         " (there is no case.db; --cases-dir DIR, $CORDON_CASES_DIR or the config file's "
                         "\"cases_dir\" point elsewhere)");
  }
  if (if_new != nullptr) {
    fs::create_directories(dir / "evidence", ec);
    if (ec) return MakeError(ErrorKind::kIo, "creating " + (dir / "evidence").string() + ": " + ec.message());
  }
  auto db = Database::Open(db_path.string(),
                           if_new != nullptr ? Database::Mode::kCreate : Database::Mode::kReadWrite);
  if (!db) return MakeError(db.error());

  bool created = false;
  {
    std::lock_guard<std::mutex> lock((*db)->mu());
    // A write transaction even to open: two processes creating the same case at once must not both
    // initialize it.
    auto txn = Transaction::Begin(db->get(), Transaction::Kind::kWrite);
    if (!txn) return MakeError(txn.error());
    auto has_schema = detail::HasSchema(db->get());
    if (!has_schema) return MakeError(has_schema.error());
    if (!*has_schema) {
      if (if_new == nullptr) {
        return MakeError(ErrorKind::kParse, db_path.string() + " holds no cordon case");
      }
      if (auto s = InitializeCase(db->get(), clock, id, *if_new); !s) return MakeError(s.error());
      created = true;
    } else {
      if (auto s = detail::CheckFormat(db->get(), id); !s) return MakeError(s.error());
      auto stored_id = MetaOrEmpty(db->get(), detail::meta::kCaseId);
      if (!stored_id) return MakeError(stored_id.error());
      if (*stored_id != id) {
        return MakeError(ErrorKind::kConflict, "the folder " + dir.string() + " holds case '" + *stored_id +
                                                   "'; a case folder must be named after its case id");
      }
    }
    if (auto s = txn->Commit(); !s) return MakeError(s.error());
  }
  if (created) {
    // case.db's directory entry, and the case folder's in its parent, must survive a power loss too.
    if (auto s = detail::SyncFolder(dir); !s) return MakeError(s.error());
    if (auto s = detail::SyncFolder(dir.has_parent_path() ? dir.parent_path() : fs::path(".")); !s) {
      return MakeError(s.error());
    }
  }
  return std::unique_ptr<CaseStore>(new CaseStore(id, dir, std::move(*db), clock, created));
}

Result<CaseSummary> CaseStore::Summary() {
  CaseSummary summary;
  summary.id = id_;
  summary.dir = dir_;
  std::lock_guard<std::mutex> lock(db_->mu());
  if (auto s = ReadSummaryLocked(db_.get(), &summary); !s) return MakeError(s.error());
  return summary;
}

Status CaseStore::SetStatus(std::string_view status) {
  if (auto s = ValidateStatus(status); !s) return s;
  std::lock_guard<std::mutex> lock(db_->mu());
  auto txn = Transaction::Begin(db_.get(), Transaction::Kind::kWrite);
  if (!txn) return MakeError(txn.error());
  auto from = MetaOrEmpty(db_.get(), detail::meta::kStatus);
  if (!from) return MakeError(from.error());
  if (*from == status) return Ok();
  auto seq = detail::AppendLocked(db_.get(), clock_, kind::kCaseStatus, "", "",
                                  Json{{"from", *from}, {"to", std::string(status)}});
  if (!seq) return MakeError(seq.error());
  if (auto s = detail::WriteMeta(db_.get(), detail::meta::kStatus, status); !s) return s;
  return txn->Commit();
}

Result<VerifyReport> CaseStore::Verify(bool check_files, const std::optional<JournalHead>& external) {
  auto report = journal_.Verify(external);
  if (!report) return report;
  if (auto s = pre_state_.Check(&report->problems); !s) return MakeError(s.error());
  if (auto s = evidence_.Check(check_files, &report->problems); !s) return MakeError(s.error());
  auto records = journal_.Records();
  if (!records) return MakeError(records.error());
  std::lock_guard<std::mutex> lock(db_->mu());
  if (auto s = CheckAgainstJournal(db_.get(), *records, &report->problems); !s) return MakeError(s.error());
  return report;
}

Result<std::vector<CaseSummary>> ListCases(const fs::path& root) {
  std::vector<CaseSummary> cases;
  std::error_code ec;
  if (!fs::exists(root, ec)) return cases;
  fs::directory_iterator it(root, ec);
  if (ec) return MakeError(ErrorKind::kIo, "listing " + root.string() + ": " + ec.message());
  for (const fs::directory_entry& entry : it) {
    const fs::path db_path = entry.path() / kCaseDbName;
    if (!entry.is_directory(ec) || !fs::exists(db_path, ec)) continue;
    CaseSummary summary;
    summary.id = entry.path().filename().string();
    summary.dir = entry.path();
    if (auto s = ValidateCaseId(summary.id); !s) {
      summary.error = s.error().message;
      cases.push_back(std::move(summary));
      continue;
    }
    // Read-only: listing must work on a case another process is writing, and never change one.
    auto db = Database::Open(db_path.string(), Database::Mode::kReadOnly);
    Status read = db ? detail::CheckFormat(db->get(), summary.id) : Status(MakeError(db.error()));
    if (read) read = ReadSummaryLocked(db->get(), &summary);
    if (!read) summary.error = read.error().message;
    cases.push_back(std::move(summary));
  }
  std::sort(cases.begin(), cases.end(),
            [](const CaseSummary& a, const CaseSummary& b) { return a.id < b.id; });
  return cases;
}

}  // namespace cordon::evidence
