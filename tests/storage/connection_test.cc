// sqlite::Connection: what it sets up for every connection and process.
#include <sqlite3.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "storage/sqlite.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

using sqlite::Connection;

// Memory statistics take a process-wide mutex on every SQLite allocation;
// Open turns them off before SQLite's first use. With them on, the bytes
// in use would count the 100 kB row and the statement cache.
TEST(ConnectionTest, SQLiteKeepsNoMemoryStatistics) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<Connection>> conn =
      Connection::Open(dir.File("portfolio.db"), /*create=*/true, 1000);
  ASSERT_TRUE(conn.ok()) << conn.status();
  ASSERT_TRUE((*conn)
                  ->Exec("CREATE TABLE t (x BLOB); INSERT INTO t VALUES "
                         "(randomblob(100000));")
                  .ok());
  ASSERT_TRUE((*conn)->Run("BEGIN").ok());
  ASSERT_TRUE((*conn)->Run("COMMIT").ok());
  sqlite3_int64 used = -1, highest = -1;
  ASSERT_EQ(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &used, &highest, 0),
            SQLITE_OK);
  EXPECT_EQ(used, 0);
  EXPECT_EQ(highest, 0);
}

// Run's errors say which statement failed, as Exec's do.
TEST(ConnectionTest, RunNamesTheStatementThatFailed) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<Connection>> conn =
      Connection::Open(dir.File("portfolio.db"), /*create=*/true, 1000);
  ASSERT_TRUE(conn.ok()) << conn.status();
  ASSERT_TRUE((*conn)->Run("BEGIN IMMEDIATE").ok());
  const absl::Status again = (*conn)->Run("BEGIN IMMEDIATE");
  EXPECT_FALSE(again.ok());
  EXPECT_TRUE(absl::StartsWith(again.message(), "BEGIN IMMEDIATE: ")) << again;
  EXPECT_TRUE(absl::StrContains(again.message(), "within a transaction"))
      << again;
  // The failed statement went back to the cache reset: it runs again once
  // the transaction has ended.
  ASSERT_TRUE((*conn)->Run("COMMIT").ok());
  EXPECT_TRUE((*conn)->Run("BEGIN IMMEDIATE").ok());
  EXPECT_TRUE((*conn)->Run("COMMIT").ok());
}

}  // namespace
}  // namespace portfolio
