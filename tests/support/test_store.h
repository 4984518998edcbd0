// The store most tests run against: a real SQLite file in a test's own
// directory. Header-only, so only tests that link the storage library
// include it.
#ifndef PORTFOLIO_TESTS_SUPPORT_TEST_STORE_H_
#define PORTFOLIO_TESTS_SUPPORT_TEST_STORE_H_

#include <sqlite3.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace portfolio::testing {

// Opens dir/portfolio.db, creating and migrating it when new. Errors:
// OpenSqliteStore's. The caller owns the store.
inline absl::StatusOr<std::unique_ptr<Store>> OpenStoreIn(const TempDir& dir) {
  SqliteStoreOptions options;
  options.path = dir.File("portfolio.db");
  return OpenSqliteStore(options);
}

// Runs `sql` on the database file at `path` through a connection of its
// own, as another program (or an older build) would, waiting up to 5 s
// for a lock. Returns "" on success, else SQLite's message.
inline std::string RunSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) !=
      SQLITE_OK) {
    error = sqlite3_errmsg(db);
  } else {
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      error = sqlite3_errmsg(db);
    }
  }
  sqlite3_close(db);
  return error;
}

}  // namespace portfolio::testing

#endif  // PORTFOLIO_TESTS_SUPPORT_TEST_STORE_H_
