// A thin RAII layer over the sqlite3 C API: one connection, prepared statements, transactions.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "base/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace cordon::evidence::detail {

// A prepared statement. Bind errors are remembered and reported by the next Step()/Run().
// Columns are read with Text()/Int() after Step() returned true. Not thread-safe: use it under the
// owning Database's mutex.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in sqlite3_bind_*.
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t value);

  // true: a row is available; false: the statement has finished.
  [[nodiscard]] Result<bool> Step();
  // Steps to completion, ignoring any rows.
  [[nodiscard]] Status Run();

  std::string Text(int column) const;  // "" for NULL
  int64_t Int(int column) const;       // 0 for NULL
  bool IsNull(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_error_ = 0;  // the first sqlite3_bind_* failure, 0 when none
};

// One connection to one database file. Every use of the connection, including its statements and
// transactions, must happen with mu() held: the connection is opened without SQLite's own mutexes
// and shared by the threads of one process.
class Database {
 public:
  enum class Mode {
    kCreate,     // read-write; creates the file if missing
    kReadWrite,  // read-write; the file must exist
    kReadOnly,   // the file must exist
  };

  // Opens `path` with the case store's settings: extended error codes, a busy timeout, and for
  // writable modes WAL journaling with synchronous=FULL so a committed transaction survives a crash.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, Mode mode);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements that take no parameters; rows they return are ignored.
  [[nodiscard]] Status Exec(std::string_view sql);
  [[nodiscard]] Result<Statement> Prepare(std::string_view sql);
  // The value of the first column of the first row of `sql`, or "" when there is no row.
  [[nodiscard]] Result<std::string> QueryText(std::string_view sql);

  std::mutex& mu() { return mu_; }
  const std::string& path() const { return path_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
  std::mutex mu_;
};

// A transaction that rolls back unless Commit() succeeds. A write transaction starts with
// BEGIN IMMEDIATE, which takes the database's write lock at once (waiting up to the busy timeout), so
// a read-modify-write inside it cannot interleave with another process's.
class Transaction {
 public:
  enum class Kind { kRead, kWrite };
  [[nodiscard]] static Result<Transaction> Begin(Database* db, Kind kind);
  ~Transaction();
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;

  [[nodiscard]] Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // nullptr once committed or rolled back
};

// Maps an SQLite result code to an Error, e.g. SQLITE_BUSY to a retryable kTransient.
Error SqliteError(sqlite3* db, int code, std::string_view context);

}  // namespace cordon::evidence::detail
