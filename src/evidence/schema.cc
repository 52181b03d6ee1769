#include "evidence/schema.h"

#include <charconv>

#include "evidence/journal_format.h"

namespace cordon::evidence::detail {
namespace {

// Version 1. docs/case-format.md describes every column; keep the two in step.
// The triggers make the journal, the pre-state and the evidence inventory append-only for anyone
// using SQL by mistake. They are not the protection: whoever can write the file can drop them, and
// the hash chain (checked by `cordon case verify`) is what catches that.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);

CREATE TABLE journal (
  seq       INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
  time      TEXT NOT NULL,
  kind      TEXT NOT NULL,
  target    TEXT NOT NULL DEFAULT '',
  step      TEXT NOT NULL DEFAULT '',
  payload   TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
);
CREATE INDEX journal_by_step ON journal (target, step, seq);
CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
  BEGIN SELECT RAISE(ABORT, 'the cordon journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
  BEGIN SELECT RAISE(ABORT, 'the cordon journal is append-only'); END;

CREATE TABLE pre_state (
  target TEXT PRIMARY KEY NOT NULL,
  seq    INTEGER NOT NULL,
  time   TEXT NOT NULL,
  state  TEXT NOT NULL
);
CREATE TRIGGER pre_state_no_update BEFORE UPDATE ON pre_state
  BEGIN SELECT RAISE(ABORT, 'a recorded pre-state is never changed'); END;
CREATE TRIGGER pre_state_no_delete BEFORE DELETE ON pre_state
  BEGIN SELECT RAISE(ABORT, 'a recorded pre-state is never changed'); END;

CREATE TABLE evidence (
  id        INTEGER PRIMARY KEY NOT NULL,
  seq       INTEGER NOT NULL,
  time      TEXT NOT NULL,
  target    TEXT NOT NULL,
  kind      TEXT NOT NULL,
  location  TEXT NOT NULL,
  sha256    TEXT NOT NULL,
  size      INTEGER NOT NULL,
  source    TEXT NOT NULL,
  collector TEXT NOT NULL,
  step      TEXT NOT NULL,
  details   TEXT NOT NULL
);
CREATE INDEX evidence_by_target ON evidence (target);
CREATE INDEX evidence_by_location ON evidence (location);
CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
  BEGIN SELECT RAISE(ABORT, 'the evidence inventory is append-only'); END;
CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
  BEGIN SELECT RAISE(ABORT, 'the evidence inventory is append-only'); END;
)sql";

}  // namespace

Status CreateSchema(Database* db) {
  if (auto s = db->Exec(kSchemaV1); !s) return s;
  if (auto s = db->Exec("PRAGMA application_id=" + std::to_string(kApplicationId)); !s) return s;
  if (auto s = WriteMeta(db, meta::kHeadSeq, "0"); !s) return s;
  if (auto s = WriteMeta(db, meta::kHeadHash, kGenesisHash); !s) return s;
  return WriteMeta(db, meta::kFormatVersion, std::to_string(kCaseFormatVersion));
}

Result<bool> HasSchema(Database* db) {
  auto name = db->QueryText("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  if (!name) return MakeError(name.error());
  return !name->empty();
}

Status CheckFormat(Database* db, std::string_view case_id) {
  const std::string where = "case " + std::string(case_id) + " (" + db->path() + ")";
  auto app_id = db->QueryText("PRAGMA application_id");
  if (!app_id) return MakeError(app_id.error());
  if (*app_id != std::to_string(kApplicationId)) {
    return MakeError(ErrorKind::kParse, where + " is not a cordon case database");
  }
  auto stored = ReadMeta(db, meta::kFormatVersion);
  if (!stored) return MakeError(stored.error());
  int version = 0;
  const std::string text = stored->value_or("");
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return MakeError(ErrorKind::kParse, where + " has no readable format_version in its meta table");
  }
  if (version > kCaseFormatVersion) {
    return MakeError(ErrorKind::kInvalidArgument,
                     where + " uses case format version " + std::to_string(version) +
                         ", newer than this cordon understands (up to " + std::to_string(kCaseFormatVersion) +
                         "); open it with a newer cordon");
  }
  if (version < kOldestCaseFormatVersion) {
    return MakeError(ErrorKind::kInvalidArgument, where + " uses case format version " +
                                                      std::to_string(version) +
                                                      ", which this cordon no longer reads");
  }
  return Ok();
}

Result<std::optional<std::string>> ReadMeta(Database* db, std::string_view key) {
  auto stmt = db->Prepare("SELECT value FROM meta WHERE key = ?1");
  if (!stmt) return MakeError(stmt.error());
  stmt->Bind(1, key);
  auto row = stmt->Step();
  if (!row) return MakeError(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(stmt->Text(0));
}

Status WriteMeta(Database* db, std::string_view key, std::string_view value) {
  auto stmt = db->Prepare(
      "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  if (!stmt) return MakeError(stmt.error());
  stmt->Bind(1, key).Bind(2, value);
  return stmt->Run();
}

}  // namespace cordon::evidence::detail
