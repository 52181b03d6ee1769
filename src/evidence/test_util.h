// Helpers for the evidence tests: a scratch folder per test and raw SQL for tampering with a case.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "base/time.h"
#include "testing/temp_dir.h"

namespace cordon::evidence::test {

using ScratchDir = cordon::test::TempDir;

// 2024-05-01T12:00:00Z: an easy time to read in expected records.
inline TimePoint TestEpoch() { return std::chrono::system_clock::from_time_t(1714564800); }

// Runs `sql` on `db_path` over a connection of its own, as someone with a sqlite3 shell would;
// returns SQLite's error message, or "" on success.
inline std::string RawSql(const std::filesystem::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    error = sqlite3_errmsg(db);
  } else {
    sqlite3_busy_timeout(db, 5000);
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      error = message != nullptr ? message : "failed";
    }
    sqlite3_free(message);
  }
  sqlite3_close(db);
  return error;
}

// The first column of the first row of `sql`, as text ("" when no row).
inline std::string RawQuery(const std::filesystem::path& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string value;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) value = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return value;
}

inline constexpr char kDropTriggers[] =
    "DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;"
    "DROP TRIGGER pre_state_no_update; DROP TRIGGER pre_state_no_delete;"
    "DROP TRIGGER evidence_no_update; DROP TRIGGER evidence_no_delete;";

}  // namespace cordon::evidence::test
