#include "response/bucket/case_export.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/hash.h"
#include "base/time.h"
#include "evidence/case_lock.h"

namespace cordon::response {
namespace {

namespace fs = std::filesystem;

// Case files that are not exported: the database (last, on its own), SQLite's WAL and index (folded
// into case.db by the checkpoint), the run lock, and the remains of interrupted writes.
bool Skipped(const fs::path& relative) {
  const std::string name = relative.filename().string();
  const std::string db(evidence::kCaseDbName);
  return relative == db || name == db + "-wal" || name == db + "-shm" || name == db + "-journal" ||
         name == evidence::kRunLockName || name.starts_with(".tmp.");
}

Result<std::vector<fs::path>> CaseFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    fs::path relative = fs::relative(it->path(), dir, ec);
    if (!ec && !Skipped(relative)) files.push_back(relative);
  }
  if (ec) return MakeError(ErrorKind::kIo, "listing " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return MakeError(ErrorKind::kIo, "cannot read " + path.string());
  return bytes.str();
}

// Folds the WAL into case.db and empties it, through a connection of its own: afterwards the file
// holds every committed record, so the bytes exported are the case as it is.
Status Checkpoint(const fs::path& db_path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(db, 10000);
    // A connection opens its file (and sees the WAL) only when it first reads: a checkpoint before
    // that folds nothing and still answers OK, with -1 frames. So read the schema first.
    rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    int log = 0, done = 0;
    if (rc == SQLITE_OK) rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    if (rc == SQLITE_OK && (log < 0 || log != done)) rc = SQLITE_BUSY;
  }
  const std::string message = db ? sqlite3_errmsg(db) : "out of memory";
  sqlite3_close(db);
  if (rc != SQLITE_OK)
    return MakeError(ErrorKind::kIo, "checkpointing " + db_path.string() + " before export: " + message);
  return Ok();
}

Result<StoredObject> PutFile(aws::Client& client, const BucketRef& ref, const fs::path& dir,
                             const fs::path& relative, const std::string& case_id) {
  auto bytes = ReadFile(dir / relative);
  if (!bytes) return MakeError(bytes.error());
  return PutChecked(client, ref.bucket, ref.CaseKeyPrefix(case_id) + relative.generic_string(), *bytes,
                    /*skip_same=*/true);
}

}  // namespace

Status RecordCaseBucket(evidence::CaseStore& store, const BucketRef& ref, const ObjectLockState& lock) {
  auto current = CaseBucket(store);
  if (!current) return MakeError(current.error());
  if (*current == ref) return Ok();
  auto seq = store.journal().Append(kKindEvidenceBucket, "", "",
                                    Json{{"uri", ref.Uri()},
                                         {"bucket", ref.bucket},
                                         {"prefix", ref.prefix},
                                         {"object_lock", lock.ToJson()},
                                         {"write_once", lock.write_once()}});
  if (!seq) return MakeError(seq.error());
  return Ok();
}

Result<std::optional<BucketRef>> CaseBucket(evidence::CaseStore& store) {
  auto records = store.journal().Records();
  if (!records) return MakeError(records.error());
  std::optional<BucketRef> found;
  for (const evidence::JournalRecord& r : *records) {
    if (r.kind != kKindEvidenceBucket) continue;
    const Json p = r.PayloadJson();
    if (!p.is_object()) continue;
    found = BucketRef{p.value("bucket", ""), p.value("prefix", "")};
  }
  return found;
}

Result<ExportReport> ExportCase(aws::Client& client, evidence::CaseStore& store, const BucketRef& ref,
                                const std::string& responder) {
  const fs::path dir = store.dir();
  auto files = CaseFiles(dir);
  if (!files) return MakeError(files.error());
  ExportReport report;
  Json objects = Json::array();
  for (const fs::path& relative : *files) {
    auto stored = PutFile(client, ref, dir, relative, store.id());
    if (!stored) return MakeError(stored.error());
    objects.push_back(Json{{"path", relative.generic_string()}, {"already", stored->already}});
    objects.back().update(stored->ToJson());
    report.objects.emplace_back(relative.generic_string(), *stored);
  }
  auto seq = store.journal().Append(kKindExported, "", "", Json{{"uri", ref.Uri()}, {"objects", objects}});
  if (!seq) return MakeError(seq.error());
  // From here on nothing is written to the case: the anchor and case.db describe the same head.
  auto head = store.journal().Head();
  if (!head) return MakeError(head.error());
  const fs::path db_path = dir / evidence::kCaseDbName;
  if (auto s = Checkpoint(db_path); !s) return MakeError(s.error());
  auto db = ReadFile(db_path);
  if (!db) return MakeError(db.error());
  AnchorContent content{store.id(), FormatIso8601(std::chrono::system_clock::now()), responder,
                        Sha256Hex(*db)};
  auto anchor = WriteAnchor(client, ref, *head, content);
  if (!anchor) return MakeError(anchor.error());
  report.anchor = *anchor;
  auto stored =
      PutChecked(client, ref.bucket, ref.CaseKeyPrefix(store.id()) + db_path.filename().string(), *db,
                 /*skip_same=*/true);
  if (!stored) return MakeError(stored.error());
  report.objects.emplace_back(db_path.filename().string(), *stored);
  return report;
}

}  // namespace cordon::response
