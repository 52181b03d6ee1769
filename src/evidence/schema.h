// The tables of case.db, the meta table's keys, and the case format version.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "evidence/sqlite.h"

namespace cordon::evidence {

// The version of case.db's layout and of the journal's canonical form. Bump it on any change a
// reader of the old version would misread; cordon refuses cases newer than it knows.
inline constexpr int kCaseFormatVersion = 1;
inline constexpr int kOldestCaseFormatVersion = 1;

// SQLite's application_id header field, "CRDN", so `file case.db` and cordon can tell a case apart
// from any other SQLite database.
inline constexpr int kApplicationId = 0x4352444E;

}  // namespace cordon::evidence

namespace cordon::evidence::detail {

// Keys of the meta table (key TEXT PRIMARY KEY, value TEXT).
namespace meta {
inline constexpr std::string_view kFormatVersion = "format_version";
inline constexpr std::string_view kCaseId = "case_id";
inline constexpr std::string_view kCreated = "created";
inline constexpr std::string_view kResponder = "responder";
inline constexpr std::string_view kDescription = "description";
inline constexpr std::string_view kStatus = "status";
// The journal's head anchor: the last record's seq and hash, updated in the same transaction as
// each append, so removing records from the end of the journal is detected too.
inline constexpr std::string_view kHeadSeq = "head_seq";
inline constexpr std::string_view kHeadHash = "head_hash";
}  // namespace meta

// Creates every table, index and trigger of a new case. Call inside a write transaction.
[[nodiscard]] Status CreateSchema(Database* db);

// Whether case.db already has a meta table (an initialized case).
[[nodiscard]] Result<bool> HasSchema(Database* db);

// Checks that this cordon can read the case: a cordon application id and a format version between
// kOldestCaseFormatVersion and kCaseFormatVersion. The error names the case and says what to do.
[[nodiscard]] Status CheckFormat(Database* db, std::string_view case_id);

// Reads a meta value; nullopt when the key is absent.
[[nodiscard]] Result<std::optional<std::string>> ReadMeta(Database* db, std::string_view key);
[[nodiscard]] Status WriteMeta(Database* db, std::string_view key, std::string_view value);

}  // namespace cordon::evidence::detail
