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

// Each test on a fresh database of its own.
class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Connection>> opened =
        Connection::Open(dir_.File("portfolio.db"), /*create=*/true, 1000);
    ASSERT_TRUE(opened.ok()) << opened.status();
    conn_ = std::move(*opened);
  }

  testing::TempDir dir_;
  std::unique_ptr<Connection> conn_;
};

// Memory statistics take a process-wide mutex on every SQLite allocation;
// Open turns them off before SQLite's first use. With them on, the bytes
// in use would count the 100 kB row and the statement cache.
TEST_F(ConnectionTest, SQLiteKeepsNoMemoryStatistics) {
  ASSERT_TRUE(conn_
                  ->Exec("CREATE TABLE t (x BLOB); INSERT INTO t VALUES "
                         "(randomblob(100000));")
                  .ok());
  ASSERT_TRUE(conn_->Run("BEGIN").ok());
  ASSERT_TRUE(conn_->Run("COMMIT").ok());
  sqlite3_int64 used = -1, highest = -1;
  ASSERT_EQ(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &used, &highest, 0),
            SQLITE_OK);
  EXPECT_EQ(used, 0);
  EXPECT_EQ(highest, 0);
}

// Run's errors say which statement failed, as Exec's do.
TEST_F(ConnectionTest, RunNamesTheStatementThatFailed) {
  ASSERT_TRUE(conn_->Run("BEGIN IMMEDIATE").ok());
  const absl::Status again = conn_->Run("BEGIN IMMEDIATE");
  EXPECT_FALSE(again.ok());
  EXPECT_TRUE(absl::StartsWith(again.message(), "BEGIN IMMEDIATE: ")) << again;
  EXPECT_TRUE(absl::StrContains(again.message(), "within a transaction"))
      << again;
  // The failed statement went back to the cache reset: it runs again once
  // the transaction has ended.
  ASSERT_TRUE(conn_->Run("COMMIT").ok());
  EXPECT_TRUE(conn_->Run("BEGIN IMMEDIATE").ok());
  EXPECT_TRUE(conn_->Run("COMMIT").ok());
}

// The statements kept prepared on a connection.
int PreparedCount(sqlite3* db) {
  int n = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s != nullptr;
       s = sqlite3_next_stmt(db, s)) {
    ++n;
  }
  return n;
}

// A text is prepared once and its statement reused, reset and unbound,
// by every later Statement of it.
TEST_F(ConnectionTest, AStatementIsPreparedOnceAndReused) {
  const std::string sql = "SELECT ?1 + 1";
  for (int i = 0; i < 50; ++i) {
    sqlite::Statement stmt(*conn_, sql.c_str());
    stmt.Bind(1, int64_t{i});
    absl::StatusOr<bool> row = stmt.Step();
    ASSERT_TRUE(row.ok() && *row) << row.status();
    EXPECT_EQ(stmt.Int(0), i + 1);
  }
  ASSERT_EQ(PreparedCount(conn_->raw()), 1);
  sqlite3_stmt* kept = sqlite3_next_stmt(conn_->raw(), nullptr);
  EXPECT_EQ(sqlite3_stmt_status(kept, SQLITE_STMTSTATUS_RUN, 0), 50);
  EXPECT_EQ(std::string(sqlite3_sql(kept)), sql);
  // Reset and unbound when given back: an unbound parameter is NULL.
  sqlite::Statement again(*conn_, sql.c_str());
  absl::StatusOr<bool> row = again.Step();
  ASSERT_TRUE(row.ok() && *row) << row.status();
  EXPECT_FALSE(again.OptionalInt(0).has_value());
}

// A statement of a text already in use (a query run inside another's
// loop) gets one of its own, and the cache keeps one.
TEST_F(ConnectionTest, NestedStatementsOfOneTextEachGetTheirOwn) {
  ASSERT_TRUE(conn_
                  ->Exec("CREATE TABLE t (x INTEGER); "
                         "INSERT INTO t VALUES (1), (2), (3);")
                  .ok());
  const char* sql = "SELECT x FROM t WHERE x >= ?1 ORDER BY x";
  int64_t pairs = 0;
  {
    sqlite::Statement outer(*conn_, sql);
    outer.Bind(1, int64_t{1});
    while (true) {
      absl::StatusOr<bool> row = outer.Step();
      ASSERT_TRUE(row.ok()) << row.status();
      if (!*row) break;
      sqlite::Statement inner(*conn_, sql);
      inner.Bind(1, outer.Int(0));
      while (true) {
        absl::StatusOr<bool> r = inner.Step();
        ASSERT_TRUE(r.ok()) << r.status();
        if (!*r) break;
        ++pairs;
      }
    }
  }
  EXPECT_EQ(pairs, 3 + 2 + 1);
  EXPECT_EQ(PreparedCount(conn_->raw()), 1);
}

}  // namespace
}  // namespace portfolio
