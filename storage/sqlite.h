// RAII owners for SQLite connections and prepared statements, and the
// mapping of SQLite result codes onto absl::Status. Only storage/ includes
// <sqlite3.h>.
#ifndef PORTFOLIO_STORAGE_SQLITE_H_
#define PORTFOLIO_STORAGE_SQLITE_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/container/node_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace portfolio::sqlite {

// Maps a SQLite result code (extended codes included) to a canonical status:
// BUSY/LOCKED -> UNAVAILABLE, FULL -> RESOURCE_EXHAUSTED, PRIMARY KEY/UNIQUE
// -> ALREADY_EXISTS, FOREIGN
// KEY -> NOT_FOUND (the row referred to is missing), other constraint and
// trigger refusals -> FAILED_PRECONDITION, a sum past int64 ("integer
// overflow") -> OUT_OF_RANGE, anything else -> INTERNAL. `what` says what
// was being done.
absl::Status FromSqlite(int code, sqlite3* db, absl::string_view what);

// One open connection. Not thread-safe: one thread at a time.
class Connection final {
 public:
  // Opens (creating when `create`) the database at `path` with foreign keys
  // on, WAL journaling, synchronous=FULL and a busy timeout, through the
  // VFS that writes each transaction's log in one call (wal_vfs.h).
  // UNAVAILABLE when the file cannot be opened. The first call in a process
  // also sets two of SQLite's process-wide options (sqlite.cc: the savepoint
  // journal's size in memory, no memory statistics); they take effect only
  // if nothing in the process has used SQLite before, which costs speed,
  // never correctness, when it has. Thread-safe once SQLite is in use.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& path, bool create, int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL that returns no rows and binds nothing (schema, pragmas).
  // Never used with data that came from outside. Parses `sql` each time.
  absl::Status Exec(const char* sql);
  // As Exec for one statement run often (BEGIN, COMMIT), prepared once and
  // kept in the statement cache. An error's message starts with `sql`.
  absl::Status Run(const char* sql);
  sqlite3* raw() const { return db_; }

  // A statement kept prepared, and whether a Statement holds it now.
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  // The statement cache, for Statement: preparing costs more than running
  // most of our statements, so each SQL text is prepared once per
  // connection. Take returns a prepared statement for `sql`, the caller's
  // until it gives it back with Return: the cached one (*cached set to its
  // entry) when no other Statement holds it, else a fresh one (*cached
  // set to the new entry when the text was not cached and there is room,
  // else nullptr: Return then finalizes it). nullptr with *rc set when
  // preparing fails. Neither allocates once the text is cached: both run
  // for every statement, and the cache had copied each text into a new
  // key on every use (profiled: 4% of the writer).
  sqlite3_stmt* Take(absl::string_view sql, CachedStatement** cached, int* rc);
  void Return(sqlite3_stmt* stmt, CachedStatement* cached);

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  // Bounds the cache; SQL texts are built from constant fragments, so
  // there are few of them.
  static constexpr size_t kMaxCachedStatements = 256;
  sqlite3* db_;
  // Node-based: a Statement holds a pointer to its entry.
  absl::node_hash_map<std::string, CachedStatement> cache_;
};

// A prepared statement with 1-based bind indexes and 0-based columns.
// Not thread-safe. Errors while binding are kept and reported by Step().
class Statement final {
 public:
  Statement(Connection& conn, const char* sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, absl::string_view text);
  Statement& BindBlob(int index, absl::string_view bytes);
  Statement& BindNull(int index);
  // Binds the value, or NULL when empty.
  Statement& Bind(int index, const std::optional<int64_t>& value);

  // Advances: true when a row is ready, false when done. An error status
  // for a failed prepare, bind or step.
  absl::StatusOr<bool> Step();
  // Steps to completion, for statements that return no rows.
  absl::Status Run();

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  std::string Text(int column) const;
  std::string Blob(int column) const;

 private:
  Connection& conn_;
  sqlite3_stmt* stmt_ = nullptr;
  Connection::CachedStatement* cached_ = nullptr;
  absl::Status status_;
};

}  // namespace portfolio::sqlite

#endif  // PORTFOLIO_STORAGE_SQLITE_H_
