// The VFS that hands a transaction's write-ahead log to the kernel in one
// write (storage/wal_vfs.h), through Connection::Open as the server uses
// it, checked by a second connection on SQLite's default VFS.
#include "storage/wal_vfs.h"

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/sqlite.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

using sqlite::Connection;
using sqlite::Statement;

std::unique_ptr<Connection> OpenThroughVfs(const std::string& path) {
  absl::StatusOr<std::unique_ptr<Connection>> conn =
      Connection::Open(path, /*create=*/true, 1000);
  EXPECT_TRUE(conn.ok()) << conn.status();
  return conn.ok() ? std::move(*conn) : nullptr;
}

// A connection of SQLite's own, with no VFS of ours: what another process
// would see.
class PlainReader {
 public:
  explicit PlainReader(const std::string& path) {
    EXPECT_EQ(
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr),
        SQLITE_OK);
  }
  ~PlainReader() { sqlite3_close(db_); }

  // The first column of the query's first row as text, or the error.
  std::string One(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      return absl::StrCat("error: ", sqlite3_errmsg(db_));
    }
    std::string out;
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      out = text != nullptr ? reinterpret_cast<const char*>(text) : "NULL";
    } else {
      out = absl::StrCat("error: ", sqlite3_errmsg(db_));
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST(WalVfsTest, ConnectionsOpenThroughIt) {
  ASSERT_NE(sqlite::WalBatchingVfs(), nullptr);
  testing::TempDir dir;
  std::unique_ptr<Connection> conn = OpenThroughVfs(dir.File("p.db"));
  ASSERT_NE(conn, nullptr);
  const char* name = nullptr;
  ASSERT_EQ(
      sqlite3_file_control(conn->raw(), "main", SQLITE_FCNTL_VFSNAME, &name),
      SQLITE_OK);
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(std::string(name), "unix");  // the database file is unix's own
  sqlite3_free(const_cast<char*>(name));
  sqlite3_vfs* vfs = nullptr;
  ASSERT_EQ(
      sqlite3_file_control(conn->raw(), "main", SQLITE_FCNTL_VFS_POINTER, &vfs),
      SQLITE_OK);
  ASSERT_NE(vfs, nullptr);
  EXPECT_EQ(std::string(vfs->zName), sqlite::WalBatchingVfs());
}

// A commit of some twenty pages: forty writes from SQLite (a header and a
// page per frame), one to the file.
TEST(WalVfsTest, ACommitReachesTheLogInOneWrite) {
  testing::TempDir dir;
  std::unique_ptr<Connection> conn = OpenThroughVfs(dir.File("p.db"));
  ASSERT_NE(conn, nullptr);
  // The first commit also writes the log's own header, synced apart.
  ASSERT_TRUE(
      conn->Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, x BLOB)").ok());
  const sqlite::WalWriteCounts before = sqlite::WalWritesSoFar();
  ASSERT_TRUE(conn->Exec("BEGIN; "
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
                         "i + 1 FROM n WHERE i < 20) "
                         "INSERT INTO t (x) SELECT randomblob(3000) FROM n; "
                         "COMMIT;")
                  .ok());
  const sqlite::WalWriteCounts after = sqlite::WalWritesSoFar();
  EXPECT_GE(after.received - before.received, 40);
  EXPECT_EQ(after.issued - before.issued, 1);
  PlainReader reader(dir.File("p.db"));
  EXPECT_EQ(reader.One("SELECT count(*) FROM t"), "20");
}

// A transaction larger than the page cache spills pages into the log
// before its commit and reads them back: they must be in the file by then.
TEST(WalVfsTest, PagesSpilledMidTransactionReadBack) {
  testing::TempDir dir;
  std::unique_ptr<Connection> conn = OpenThroughVfs(dir.File("p.db"));
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->Exec("PRAGMA cache_size=10; "
                         "CREATE TABLE t (id INTEGER PRIMARY KEY, x BLOB);")
                  .ok());
  ASSERT_TRUE(conn->Exec("BEGIN; "
                         "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
                         "i + 1 FROM n WHERE i < 600) "
                         "INSERT INTO t (x) SELECT zeroblob(700) FROM n;")
                  .ok());
  {
    Statement sum(*conn, "SELECT count(*), sum(length(x)) FROM t");
    absl::StatusOr<bool> row = sum.Step();
    ASSERT_TRUE(row.ok() && *row) << row.status();
    EXPECT_EQ(sum.Int(0), 600);
    EXPECT_EQ(sum.Int(1), 600 * 700);
  }
  // Rewrites pages already spilled, then commits.
  ASSERT_TRUE(
      conn->Exec("UPDATE t SET x = zeroblob(300) WHERE id % 2 = 0; COMMIT;")
          .ok());
  PlainReader reader(dir.File("p.db"));
  EXPECT_EQ(reader.One("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(reader.One("SELECT sum(length(x)) FROM t"),
            std::to_string(300 * 700 + 300 * 300));
}

// With no sync at commit, nothing else would hand the frames on before
// SQLite publishes the transaction: the commit frame itself does.
TEST(WalVfsTest, ACommitIsInTheLogWithoutASync) {
  testing::TempDir dir;
  std::unique_ptr<Connection> conn = OpenThroughVfs(dir.File("p.db"));
  ASSERT_NE(conn, nullptr);
  ASSERT_TRUE(conn->Exec("PRAGMA synchronous=OFF; "
                         "CREATE TABLE t (id INTEGER PRIMARY KEY, x BLOB); "
                         "INSERT INTO t (x) VALUES (randomblob(2000));")
                  .ok());
  ASSERT_TRUE(conn->Exec("INSERT INTO t (x) VALUES (randomblob(2000)), "
                         "(randomblob(2000));")
                  .ok());
  // The writer stays open: closing would hand the frames on anyway.
  PlainReader reader(dir.File("p.db"));
  EXPECT_EQ(reader.One("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(reader.One("SELECT count(*) FROM t"), "3");
}

}  // namespace
}  // namespace portfolio
