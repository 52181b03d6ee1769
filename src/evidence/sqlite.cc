#include "evidence/sqlite.h"

#include <sqlite3.h>

#include <utility>

namespace cordon::evidence::detail {
namespace {

// Long enough to ride out another cordon process's transaction (each is a few small rows), short
// enough that a wedged process is reported instead of hanging a response.
constexpr int kBusyTimeoutMs = 10000;

ErrorKind KindOf(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorKind::kTransient;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorKind::kParse;
    case SQLITE_CONSTRAINT:
      return ErrorKind::kConflict;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
      return ErrorKind::kIo;
    default:
      return ErrorKind::kInternal;
  }
}

}  // namespace

Error SqliteError(sqlite3* db, int code, std::string_view context) {
  std::string message(context);
  message += ": ";
  // sqlite3_errmsg describes the connection's last error, which is this one when db is given.
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  return Error{KindOf(code), std::move(message), {}, 0, {}};
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), bind_error_(other.bind_error_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = other.bind_error_;
  }
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_ != 0) return MakeError(SqliteError(nullptr, bind_error_, "binding a parameter"));
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return MakeError(SqliteError(db_, rc, "case.db"));
}

Status Statement::Run() {
  while (true) {
    auto row = Step();
    if (!row) return MakeError(row.error());
    if (!*row) return Ok();
  }
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  // sqlite3_column_bytes after sqlite3_column_text gives the length of that text in bytes.
  return std::string(reinterpret_cast<const char*>(text), sqlite3_column_bytes(stmt_, column));
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Statement::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, Mode mode) {
  int flags = SQLITE_OPEN_NOMUTEX;  // Database::mu() serializes every use
  switch (mode) {
    case Mode::kCreate:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
    case Mode::kReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case Mode::kReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
  }
  sqlite3* handle = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqliteError(handle, rc, "opening " + path);
    sqlite3_close(handle);  // sqlite3_open_v2 allocates a handle even when it fails
    return MakeError(std::move(error));
  }
  std::unique_ptr<Database> db(new Database(handle, path));
  sqlite3_extended_result_codes(handle, 1);
  sqlite3_busy_timeout(handle, kBusyTimeoutMs);
  if (mode != Mode::kReadOnly) {
    // WAL lets readers (`cordon case list` in another terminal) run while a response writes.
    // synchronous=FULL syncs the WAL at every commit: an acknowledged record survives power loss,
    // not only a killed process.
    auto journal_mode = db->QueryText("PRAGMA journal_mode=WAL");
    if (!journal_mode) return MakeError(journal_mode.error());
    if (*journal_mode != "wal") {
      return MakeError(ErrorKind::kIo, "opening " + path +
                                           ": the file system does not support SQLite's WAL mode (got '" +
                                           *journal_mode + "')");
    }
    if (auto s = db->Exec("PRAGMA synchronous=FULL"); !s) return MakeError(s.error());
  }
  return db;
}

Database::~Database() { sqlite3_close_v2(db_); }

Status Database::Exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);  // the same text as sqlite3_errmsg, which SqliteError reads
  if (rc != SQLITE_OK) return MakeError(SqliteError(db_, rc, path_));
  return Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return MakeError(SqliteError(db_, rc, path_));
  return Statement(db_, stmt);
}

Result<std::string> Database::QueryText(std::string_view sql) {
  auto stmt = Prepare(sql);
  if (!stmt) return MakeError(stmt.error());
  auto row = stmt->Step();
  if (!row) return MakeError(row.error());
  return *row ? stmt->Text(0) : std::string();
}

Result<Transaction> Transaction::Begin(Database* db, Kind kind) {
  if (auto s = db->Exec(kind == Kind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN"); !s) return MakeError(s.error());
  return Transaction(db);
}

Transaction::~Transaction() {
  // Errors cannot be reported from here; a failed ROLLBACK leaves SQLite to roll back on close.
  if (db_ != nullptr) (void)db_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  Database* db = std::exchange(db_, nullptr);
  if (auto s = db->Exec("COMMIT"); !s) {
    (void)db->Exec("ROLLBACK");
    return s;
  }
  return Ok();
}

}  // namespace cordon::evidence::detail
