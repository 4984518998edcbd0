#include "storage/sqlite.h"

#include "absl/strings/str_cat.h"
#include "storage/wal_vfs.h"

namespace portfolio::sqlite {

absl::Status FromSqlite(int code, sqlite3* db, absl::string_view what) {
  const std::string detail = absl::StrCat(
      what, ": ", db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code));
  switch (code & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(
          absl::StrCat("the database is busy; retry (", detail, ")"));
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_PRIMARYKEY ||
          code == SQLITE_CONSTRAINT_UNIQUE) {
        return absl::AlreadyExistsError(detail);
      }
      if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return absl::NotFoundError(detail);
      }
      return absl::FailedPreconditionError(detail);
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(
          absl::StrCat("the disk is full: ", detail));
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
      return absl::UnavailableError(detail);
    case SQLITE_ERROR:
      // SUM() past int64: possible only in a ledger written before its
      // size was capped (migration 14), which can never be corrected
      // away. Said plainly rather than as an internal error.
      if (db != nullptr &&
          absl::string_view(sqlite3_errmsg(db)) == "integer overflow") {
        return absl::OutOfRangeError(absl::StrCat(
            "a total is past the largest number the tracker can hold "
            "(9,223,372,036,854,775,807); the ledger holds more than any sum "
            "of it can show (",
            detail, ")"));
      }
      return absl::InternalError(detail);
    default:
      return absl::InternalError(detail);
  }
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const std::string& path, bool create, int busy_timeout_ms) {
  // Each write of a group commit runs in its own savepoint, whose page
  // images go to the sub-journal. SQLite keeps it in memory up to 64 KiB
  // and then moves it to a file for the rest of the transaction, so once
  // one write passed 64 KiB (some 16 pages) every later write of its batch
  // copied its pages into a file: 37 of the 57 KiB written per
  // LogInvestment call at 64 callers (measured, portfolio-bench). 128 KiB
  // holds such a write's journal (16 KiB written per call, as with larger
  // limits), and no more: SQLite allocates the in-memory journal in chunks
  // of the limit's size, and with a limit above 128 KiB, moving a larger
  // journal to its file failed as "database or disk is full" (3.40,
  // measured; tests/storage/group_commit_test.cc holds both sides).
  // Memory statistics, which nothing here reads, take one process-wide
  // mutex on every SQLite allocation: the writer and the readers' threads
  // queued on it (futex wake-ups inside the writer's inserts, profiled).
  // Process-wide, so set once, before SQLite is first used; if something
  // else started SQLite first they are refused, which costs only speed.
  static const bool configured [[maybe_unused]] =
      sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 128 << 10) == SQLITE_OK &&
      sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                    (create ? SQLITE_OPEN_CREATE : 0);
  // After the options above: finding the default VFS starts SQLite.
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, WalBatchingVfs());
  if (rc != SQLITE_OK) {
    absl::Status status =
        FromSqlite(rc, db, absl::StrCat("opening database ", path));
    sqlite3_close(db);
    return absl::UnavailableError(status.message());
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  std::unique_ptr<Connection> conn(new Connection(db));
  // WAL lets readers run beside the one writer; FULL syncs the WAL on every
  // commit so an acknowledged write survives power loss.
  absl::Status status = conn->Exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
      "PRAGMA foreign_keys=ON;");
  if (!status.ok()) return status;
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

sqlite3_stmt* Connection::Take(absl::string_view sql, CachedStatement** cached,
                               int* rc) {
  *cached = nullptr;
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    *cached = &it->second;
    *rc = SQLITE_OK;
    return it->second.stmt;
  }
  // Not cached, or in use: a nested statement of the same text prepares
  // its own.
  sqlite3_stmt* stmt = nullptr;
  *rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (*rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return nullptr;
  }
  if (it == cache_.end() && cache_.size() < kMaxCachedStatements) {
    CachedStatement& entry = cache_[std::string(sql)];
    entry.stmt = stmt;
    entry.in_use = true;
    *cached = &entry;
  }
  return stmt;
}

void Connection::Return(sqlite3_stmt* stmt, CachedStatement* cached) {
  if (stmt == nullptr) return;
  if (cached == nullptr) {
    sqlite3_finalize(stmt);
    return;
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  cached->in_use = false;
}

absl::Status Connection::Run(const char* sql) {
  absl::Status status = Statement(*this, sql).Run();
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(sql, ": ", status.message()));
}

absl::Status Connection::Exec(const char* sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return absl::OkStatus();
  absl::Status status = FromSqlite(rc, db_, sql);
  sqlite3_free(error);
  return status;
}

Statement::Statement(Connection& conn, const char* sql) : conn_(conn) {
  int rc = SQLITE_OK;
  stmt_ = conn.Take(sql, &cached_, &rc);
  if (rc != SQLITE_OK) {
    status_ = FromSqlite(rc, conn.raw(), absl::StrCat("preparing ", sql));
  }
}

Statement::~Statement() { conn_.Return(stmt_, cached_); }

Statement& Statement::Bind(int index, int64_t value) {
  if (status_.ok()) {
    const int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK) status_ = FromSqlite(rc, conn_.raw(), "binding");
  }
  return *this;
}

Statement& Statement::Bind(int index, absl::string_view text) {
  if (status_.ok()) {
    const int rc =
        sqlite3_bind_text(stmt_, index, text.data(),
                          static_cast<int>(text.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) status_ = FromSqlite(rc, conn_.raw(), "binding");
  }
  return *this;
}

Statement& Statement::BindBlob(int index, absl::string_view bytes) {
  if (status_.ok()) {
    const int rc =
        sqlite3_bind_blob(stmt_, index, bytes.data(),
                          static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) status_ = FromSqlite(rc, conn_.raw(), "binding");
  }
  return *this;
}

Statement& Statement::BindNull(int index) {
  if (status_.ok()) {
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) status_ = FromSqlite(rc, conn_.raw(), "binding");
  }
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<int64_t>& value) {
  return value.has_value() ? Bind(index, *value) : BindNull(index);
}

absl::StatusOr<bool> Statement::Step() {
  if (!status_.ok()) return status_;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  status_ = FromSqlite(rc, conn_.raw(), "running statement");
  return status_;
}

absl::Status Statement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::optional<int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     sqlite3_column_bytes(stmt_, column));
}

std::string Statement::Blob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  if (blob == nullptr) return std::string();
  return std::string(static_cast<const char*>(blob),
                     sqlite3_column_bytes(stmt_, column));
}

}  // namespace portfolio::sqlite
