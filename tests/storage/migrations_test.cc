// The SQLite schema: numbered migrations under PRAGMA user_version, and the
// rules the database itself enforces. Talks to the file with raw sqlite3 to
// see what the store's interface cannot show.
#include "storage/migrations.h"

#include <sqlite3.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/amount.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sqlite.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

using ::testing::HasSubstr;

// A raw connection to the database file, outside the store.
class RawDb final {
 public:
  explicit RawDb(const std::string& path) {
    rc_ = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }

  // Runs `sql`; returns "" on success, else SQLite's error message.
  std::string Exec(const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error);
    std::string message;
    if (rc != SQLITE_OK) {
      message = error != nullptr ? error : absl::StrCat("sqlite error ", rc);
    }
    sqlite3_free(error);
    return message;
  }

  // The first column of the first row of `sql` as text ("" without rows).
  std::string QueryText(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) out = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

class SqliteSchemaTest : public ::testing::Test {
 protected:
  std::string Path() const { return dir_.File("portfolio.db"); }

  absl::StatusOr<std::unique_ptr<Store>> Open() {
    SqliteStoreOptions options;
    options.path = Path();
    return OpenSqliteStore(options);
  }

  std::string UserVersion() {
    RawDb db(Path());
    EXPECT_TRUE(db.ok());
    return db.QueryText("PRAGMA user_version");
  }

  // Opens a store and adds project p-a with one ledger entry of 100 yuan.
  void CreateProjectWithEntry() {
    absl::StatusOr<std::unique_ptr<Store>> store = Open();
    ASSERT_TRUE(store.ok()) << store.status();
    const absl::Time now = absl::FromUnixSeconds(1720000000);
    const absl::Status written = (*store)->Write([&](StoreWriter& w) {
      ProjectRecord p;
      p.id = "p-a";
      p.display_name = "项目甲";
      absl::Status s = w.InsertProject(p, now);
      if (!s.ok()) return s;
      EntryRecord e;
      e.project_id = "p-a";
      e.period = absl::CivilMonth(2024, 3);
      e.amount = 100;
      e.reported_by = "lead-1";
      e.report_time = now;
      return w.AppendEntry(e).status();
    });
    ASSERT_TRUE(written.ok()) << written;
  }

  testing::TempDir dir_;
};

TEST(LatestSchemaVersionTest, IsAtLeastOne) {
  EXPECT_GE(sqlite::LatestSchemaVersion(), 1);
}

TEST_F(SqliteSchemaTest, FreshFileEndsAtTheLatestVersion) {
  ASSERT_TRUE(Open().ok());
  EXPECT_EQ(UserVersion(), absl::StrCat(sqlite::LatestSchemaVersion()));
}

TEST_F(SqliteSchemaTest, FreshFileUsesWriteAheadLogging) {
  ASSERT_TRUE(Open().ok());
  RawDb db(Path());
  EXPECT_EQ(db.QueryText("PRAGMA journal_mode"), "wal");
}

TEST_F(SqliteSchemaTest, MigrateOnAConnectionIsIdempotent) {
  absl::StatusOr<std::unique_ptr<sqlite::Connection>> conn =
      sqlite::Connection::Open(Path(), /*create=*/true, 1000);
  ASSERT_TRUE(conn.ok()) << conn.status();
  ASSERT_TRUE(sqlite::Migrate(**conn).ok());
  const absl::Status again = sqlite::Migrate(**conn);
  EXPECT_TRUE(again.ok()) << again;
  EXPECT_EQ(UserVersion(), absl::StrCat(sqlite::LatestSchemaVersion()));
}

TEST_F(SqliteSchemaTest, ReopeningKeepsDataAndVersion) {
  CreateProjectWithEntry();
  absl::StatusOr<std::unique_ptr<Store>> store = Open();
  ASSERT_TRUE(store.ok()) << store.status();
  const absl::Status read = (*store)->Read([](StoreReader& r) {
    absl::StatusOr<int64_t> total = r.ProjectLedgerTotal("p-a");
    if (!total.ok()) return total.status();
    EXPECT_EQ(*total, 100);
    return r.GetProject("p-a").status();
  });
  EXPECT_TRUE(read.ok()) << read;
  EXPECT_EQ(UserVersion(), absl::StrCat(sqlite::LatestSchemaVersion()));
}

TEST_F(SqliteSchemaTest, FileFromANewerBuildIsRefused) {
  ASSERT_TRUE(Open().ok());
  {
    RawDb db(Path());
    ASSERT_EQ(db.Exec(absl::StrCat("PRAGMA user_version = ",
                                   sqlite::LatestSchemaVersion() + 1)),
              "");
  }
  const absl::Status status = Open().status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(status.message(), HasSubstr("newer"));
}

TEST_F(SqliteSchemaTest, MissingFileWithoutCreateIsUnavailable) {
  SqliteStoreOptions options;
  options.path = dir_.File("absent.db");
  options.create = false;
  EXPECT_EQ(OpenSqliteStore(options).status().code(),
            absl::StatusCode::kUnavailable);
}

// Migration 14 measures the ledger a file already holds: its entries'
// sizes summed, or the cap when they pass it (a file written before the
// cap), after which the file takes no more entries.
TEST_F(SqliteSchemaTest, TheLedgersSizeIsMeasuredOnUpgrade) {
  CreateProjectWithEntry();  // 100 yuan
  auto downgrade_and_add = [&](const std::string& amounts) {
    RawDb db(Path());
    ASSERT_EQ(db.Exec("DROP TABLE ledger_extent; DROP TABLE write_clock; "
                      "PRAGMA user_version = 13"),
              "");
    for (absl::string_view amount : absl::StrSplit(amounts, ',')) {
      ASSERT_EQ(
          db.Exec(absl::StrCat(
              "INSERT INTO investment_entries (project_id, year, month, "
              "amount, reported_by, report_time) VALUES ('p-a', 2024, 5, ",
              amount, ", 'x', 0)")),
          "");
    }
  };
  auto size = [&] {
    RawDb db(Path());
    return db.QueryText("SELECT magnitude FROM ledger_extent");
  };
  downgrade_and_add("250");
  ASSERT_TRUE(Open().ok());
  EXPECT_EQ(size(), "350");
  downgrade_and_add("5000000000000000000,5000000000000000000");
  absl::StatusOr<std::unique_ptr<Store>> store = Open();
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(size(), absl::StrCat(kMaxLedgerMagnitude));
  const absl::Status more = (*store)->Write([&](StoreWriter& w) {
    EntryRecord e;
    e.project_id = "p-a";
    e.period = absl::CivilMonth(2024, 6);
    e.amount = 1;
    e.reported_by = "lead-1";
    return w.AppendEntry(e).status();
  });
  EXPECT_EQ(more.code(), absl::StatusCode::kFailedPrecondition) << more;
}

TEST_F(SqliteSchemaTest, LedgerRefusesUpdateEvenFromRawSql) {
  CreateProjectWithEntry();
  RawDb db(Path());
  EXPECT_THAT(db.Exec("UPDATE investment_entries SET amount = 999"),
              HasSubstr("append-only"));
  EXPECT_EQ(db.QueryText("SELECT amount FROM investment_entries"), "100");
}

TEST_F(SqliteSchemaTest, LedgerRefusesDeleteEvenFromRawSql) {
  CreateProjectWithEntry();
  RawDb db(Path());
  EXPECT_THAT(db.Exec("DELETE FROM investment_entries"),
              HasSubstr("append-only"));
  EXPECT_EQ(db.QueryText("SELECT count(*) FROM investment_entries"), "1");
}

TEST_F(SqliteSchemaTest, LedgerRefusesZeroAndUncorrectedNegativeFromRawSql) {
  CreateProjectWithEntry();
  RawDb db(Path());
  const std::string insert =
      "INSERT INTO investment_entries (project_id, year, month, amount, "
      "reported_by, report_time) VALUES ('p-a', 2024, 4, ";
  EXPECT_NE(db.Exec(insert + "0, 'x', 0)"), "");
  EXPECT_NE(db.Exec(insert + "-5, 'x', 0)"), "");
  EXPECT_EQ(db.QueryText("SELECT count(*) FROM investment_entries"), "1");
}

// A ledger entry's id is its progress mark (ProgressMark::entries): an
// entry given an id below one already taken would be missed by every kept
// evaluation, so the database refuses it, even from raw SQL.
TEST_F(SqliteSchemaTest, LedgerIdsOnlyAscendEvenFromRawSql) {
  CreateProjectWithEntry();
  RawDb db(Path());
  const std::string insert =
      "INSERT INTO investment_entries (id, project_id, year, month, amount, "
      "reported_by, report_time) VALUES (";
  EXPECT_EQ(db.Exec(insert + "100, 'p-a', 2024, 4, 5, 'x', 0)"), "");
  EXPECT_THAT(db.Exec(insert + "50, 'p-a', 2024, 4, 6, 'x', 0)"),
              HasSubstr("ascending"));
  EXPECT_EQ(db.QueryText("SELECT group_concat(id) FROM investment_entries"),
            "1,100");
}

TEST_F(SqliteSchemaTest, IndicatorValuesAreAppendOnlyToo) {
  absl::StatusOr<std::unique_ptr<Store>> store = Open();
  ASSERT_TRUE(store.ok()) << store.status();
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  ASSERT_TRUE((*store)
                  ->Write([&](StoreWriter& w) {
                    IndicatorRecord i;
                    i.id = "gdp";
                    i.display_name = "GDP";
                    absl::Status s = w.InsertIndicator(i, now);
                    if (!s.ok()) return s;
                    return w.AppendIndicatorValue(
                        "gdp",
                        IndicatorValueRecord{2023, 0, "5", "", "u", now});
                  })
                  .ok());
  RawDb db(Path());
  EXPECT_THAT(db.Exec("UPDATE indicator_values SET value = '6'"),
              HasSubstr("append-only"));
  EXPECT_THAT(db.Exec("DELETE FROM indicator_values"),
              HasSubstr("append-only"));
}

}  // namespace
}  // namespace portfolio
