#include "evidence/evidence.h"

#include <mutex>

#include "base/hash.h"
#include "base/strings.h"
#include "evidence/atomic_file.h"
#include "evidence/journal.h"
#include "evidence/sqlite.h"

namespace cordon::evidence {
namespace {

using detail::Database;
using detail::Transaction;

constexpr struct {
  EvidenceKind kind;
  std::string_view name;
} kKinds[] = {
    {EvidenceKind::kSnapshot, "snapshot"}, {EvidenceKind::kConsoleOutput, "console-output"},
    {EvidenceKind::kMemory, "memory"},     {EvidenceKind::kMetadata, "metadata"},
    {EvidenceKind::kFile, "file"},
};

// Files the ledger stores live under this folder of the case, and their locations start with it.
constexpr std::string_view kEvidenceDir = "evidence";
constexpr size_t kMaxNameLength = 255;
constexpr size_t kMaxPartLength = 128;

constexpr std::string_view kSelectEvidence =
    "SELECT id, seq, time, target, kind, location, sha256, size, source, collector, step, details FROM "
    "evidence ";

EvidenceItem ReadEvidenceRow(const detail::Statement& stmt) {
  EvidenceItem item;
  item.id = stmt.Int(0);
  item.seq = stmt.Int(1);
  item.time = stmt.Text(2);
  item.target = stmt.Text(3);
  // A kind this cordon does not know (edited, or from a later version) reads as a plain file; Check
  // still compares the row with its journal record.
  item.kind = ParseEvidenceKind(stmt.Text(4)).value_or(EvidenceKind::kFile);
  item.location = stmt.Text(5);
  item.sha256 = stmt.Text(6);
  item.size = stmt.Int(7);
  item.source = stmt.Text(8);
  item.collector = stmt.Text(9);
  item.step = stmt.Text(10);
  item.details = Json::parse(stmt.Text(11), nullptr, /*allow_exceptions=*/false);
  return item;
}

bool IsLowerHex(std::string_view text) {
  for (char c : text)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

Status InvalidItem(const std::string& message) {
  return MakeError(ErrorKind::kInvalidArgument, "evidence: " + message);
}

// Checks `item` and puts its time and sha256 in canonical form.
Status Normalize(EvidenceItem* item, Clock* clock) {
  if (auto s = ValidateRecordFields(kind::kEvidenceAdded, item->target, item->step); !s) return s;
  if (item->collector.empty()) return InvalidItem("the collector (the responder) is required");
  if (item->location.empty()) return InvalidItem("the location is required");
  for (const std::string* field : {&item->location, &item->collector, &item->source}) {
    if (HasControlChar(*field)) return InvalidItem("'" + *field + "' contains a control character");
  }
  for (char& c : item->sha256)
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
  if (!item->sha256.empty() && (item->sha256.size() != 64 || !IsLowerHex(item->sha256))) {
    return InvalidItem("sha256 '" + item->sha256 + "' is not 64 hex digits");
  }
  if (item->size < 0) return InvalidItem("a negative size");
  if (item->time.empty()) {
    item->time = FormatIso8601(clock->Now());
  } else if (auto t = ParseTimestamp(item->time)) {
    item->time = FormatIso8601(*t);
  } else {
    return InvalidItem("time '" + item->time + "' is not a timestamp");
  }
  if (item->details.is_null()) item->details = Json::object();
  return Ok();
}

Status ValidateFileName(std::string_view name) {
  auto bad = [&](const std::string& why) {
    return InvalidItem(
        "file name '" + std::string(name) + "' " + why +
        "; use '/'-separated parts of letters, digits, '.', '_' and '-' not starting with '.'");
  };
  if (name.empty() || name.size() > kMaxNameLength) return bad("is empty or too long");
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view part = name.substr(start, end - start);
    if (part.empty() || part.size() > kMaxPartLength) return bad("has an empty or overlong part");
    if (part[0] == '.') return bad("has a part starting with '.'");
    for (char c : part) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                c == '_' || c == '-';
      if (!ok) return bad("has the character '" + std::string(1, c) + "'");
    }
    start = end + 1;
  }
  return Ok();
}

// The recorded item with the same identity as `item`, or nullopt.
Result<std::optional<EvidenceItem>> FindSameLocked(Database* db, const EvidenceItem& item) {
  auto stmt =
      db->Prepare(std::string(kSelectEvidence) +
                  "WHERE location = ?1 AND target = ?2 AND kind = ?3 AND sha256 = ?4 ORDER BY id LIMIT 1");
  if (!stmt) return MakeError(stmt.error());
  stmt->Bind(1, item.location).Bind(2, item.target).Bind(3, EvidenceKindName(item.kind)).Bind(4, item.sha256);
  auto row = stmt->Step();
  if (!row) return MakeError(row.error());
  if (!*row) return std::optional<EvidenceItem>();
  return std::optional<EvidenceItem>(ReadEvidenceRow(*stmt));
}

Result<std::vector<EvidenceItem>> ListLocked(Database* db, std::optional<std::string_view> target) {
  auto stmt =
      db->Prepare(std::string(kSelectEvidence) + (target ? "WHERE target = ?1 ORDER BY id" : "ORDER BY id"));
  if (!stmt) return MakeError(stmt.error());
  if (target) stmt->Bind(1, *target);
  std::vector<EvidenceItem> items;
  while (true) {
    auto row = stmt->Step();
    if (!row) return MakeError(row.error());
    if (!*row) return items;
    items.push_back(ReadEvidenceRow(*stmt));
  }
}

}  // namespace

std::string_view EvidenceKindName(EvidenceKind kind) {
  for (const auto& entry : kKinds)
    if (entry.kind == kind) return entry.name;
  return "file";
}

std::optional<EvidenceKind> ParseEvidenceKind(std::string_view name) {
  for (const auto& entry : kKinds)
    if (entry.name == name) return entry.kind;
  return std::nullopt;
}

Json EvidenceItem::ToJson() const {
  return Json{{"id", id},
              {"target", target},
              {"kind", EvidenceKindName(kind)},
              {"location", location},
              {"sha256", sha256},
              {"size", size},
              {"source", source},
              {"collector", collector},
              {"time", time},
              {"step", step},
              {"details", details}};
}

Result<EvidenceItem> EvidenceLedger::AddEvidence(EvidenceItem item) {
  if (auto s = Normalize(&item, clock_); !s) return MakeError(s.error());

  std::lock_guard<std::mutex> lock(db_->mu());
  auto txn = Transaction::Begin(db_, Transaction::Kind::kWrite);
  if (!txn) return MakeError(txn.error());
  auto same = FindSameLocked(db_, item);
  if (!same) return MakeError(same.error());
  if (*same) return std::move(**same);

  auto next_id = db_->Prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM evidence");
  if (!next_id) return MakeError(next_id.error());
  if (auto row = next_id->Step(); !row) return MakeError(row.error());
  item.id = next_id->Int(0);  // an aggregate always returns one row
  // The journal record comes first so the row can point at it; both commit together.
  auto seq = detail::AppendLocked(db_, clock_, kind::kEvidenceAdded, item.target, item.step, item.ToJson());
  if (!seq) return MakeError(seq.error());
  item.seq = *seq;

  auto insert = db_->Prepare(
      "INSERT INTO evidence (id, seq, time, target, kind, location, sha256, size, source, collector, step, "
      "details) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  if (!insert) return MakeError(insert.error());
  insert->Bind(1, item.id).Bind(2, item.seq).Bind(3, item.time).Bind(4, item.target);
  insert->Bind(5, EvidenceKindName(item.kind)).Bind(6, item.location).Bind(7, item.sha256).Bind(8, item.size);
  insert->Bind(9, item.source)
      .Bind(10, item.collector)
      .Bind(11, item.step)
      .Bind(12, CompactJson(item.details));
  if (auto s = insert->Run(); !s) return MakeError(s.error());
  if (auto s = txn->Commit(); !s) return MakeError(s.error());
  return item;
}

Result<EvidenceItem> EvidenceLedger::StoreFile(std::string_view name, std::string_view bytes,
                                               EvidenceItem about) {
  if (auto s = ValidateFileName(name); !s) return MakeError(s.error());
  about.location = std::string(kEvidenceDir) + "/" + std::string(name);
  about.sha256 = Sha256Hex(bytes);
  about.size = static_cast<int64_t>(bytes.size());
  // Check the item before writing anything, so a bad item leaves no unrecorded file behind.
  if (auto s = Normalize(&about, clock_); !s) return MakeError(s.error());

  const std::filesystem::path path = case_dir_ / about.location;
  auto created = detail::CreateFileDurably(path, bytes);
  if (!created) return MakeError(created.error());
  if (*created == detail::CreateOutcome::kAlreadyExists) {
    auto digest = detail::HashFile(path);
    if (!digest) return MakeError(digest.error());
    if (digest->sha256 != about.sha256) {
      return MakeError(ErrorKind::kConflict,
                       about.location + " already exists with other content (sha256 " + digest->sha256 +
                           "); evidence is never overwritten, so store this under another name");
    }
    // Same content: it is already recorded (AddEvidence returns that record), or a crash came
    // between the write and the record and AddEvidence records it now.
  }
  return AddEvidence(std::move(about));
}

Result<std::vector<EvidenceItem>> EvidenceLedger::List(std::optional<std::string_view> target) {
  std::lock_guard<std::mutex> lock(db_->mu());
  return ListLocked(db_, target);
}

Status EvidenceLedger::Check(bool check_files, std::vector<std::string>* problems) {
  auto items = List();
  if (!items) return MakeError(items.error());
  for (const EvidenceItem& item : *items) {
    const std::string what = "evidence " + std::to_string(item.id) + " (" + item.location + ")";
    {
      std::lock_guard<std::mutex> lock(db_->mu());
      auto record = detail::ReadRecordLocked(db_, item.seq);
      if (!record) return MakeError(record.error());
      if (!*record) {
        problems->push_back(what + ": its journal record seq " + std::to_string(item.seq) +
                            " does not exist");
      } else if ((*record)->kind != kind::kEvidenceAdded || (*record)->PayloadJson() != item.ToJson()) {
        problems->push_back(what + ": the inventory row does not match its journal record seq " +
                            std::to_string(item.seq) + " (the row was changed)");
      }
    }
    if (!check_files || !item.location.starts_with(std::string(kEvidenceDir) + "/")) continue;
    auto digest = detail::HashFile(case_dir_ / item.location, item.size);
    if (!digest) {
      problems->push_back(what + ": " + digest.error().message);
    } else if (digest->sha256 != item.sha256 || digest->size != item.size) {
      problems->push_back(what + ": the file's SHA-256 " + digest->sha256 + " (" +
                          std::to_string(digest->size) + " bytes) does not match the recorded " +
                          item.sha256 + " (" + std::to_string(item.size) + " bytes)");
    }
  }
  return Ok();
}

}  // namespace cordon::evidence
