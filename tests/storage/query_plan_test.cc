// Query plans SQLite cannot get wrong: the progress query behind every
// summary and status list reaches each table but projects through an
// index, and one project's progress is a key lookup. Checked on an empty
// database, where the planner has no statistics to lean on, for each form
// the query takes.
#include <sqlite3.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/sqlite_tx.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

class QueryPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteStoreOptions options;
    options.path = dir_.File("portfolio.db");
    ASSERT_TRUE(OpenSqliteStore(options).ok());  // migrated, then closed
    ASSERT_EQ(sqlite3_open_v2(options.path.c_str(), &db_, SQLITE_OPEN_READONLY,
                              nullptr),
              SQLITE_OK);
  }
  void TearDown() override { sqlite3_close(db_); }

  // The plan's lines, e.g. "SEARCH e USING COVERING INDEX ...".
  std::vector<std::string> Plan(const ProgressQuery& q) {
    return PlanOf(sqlite::ProgressSql(q));
  }

  // Column `column` of each row `sql` returns, as text; `param` bound to
  // ?1 when the statement has one.
  std::vector<std::string> Column(const std::string& sql,
                                  const std::string& param = "",
                                  int column = 0) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr),
              SQLITE_OK)
        << sqlite3_errmsg(db_);
    if (sqlite3_bind_parameter_count(stmt) > 0) {
      sqlite3_bind_text(stmt, 1, param.c_str(), -1, SQLITE_TRANSIENT);
    }
    std::vector<std::string> values;
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      values.emplace_back(
          reinterpret_cast<const char*>(sqlite3_column_text(stmt, column)));
    }
    sqlite3_finalize(stmt);
    return values;
  }

  // The plan's lines (EXPLAIN QUERY PLAN's fourth column).
  std::vector<std::string> PlanOf(const std::string& statement) {
    return Column("EXPLAIN QUERY PLAN " + statement, "", 3);
  }

  static std::vector<ProgressQuery> Forms() {
    ProgressQuery q;
    q.year = 2024;
    q.as_of_month = 6;
    q.as_of_date = absl::CivilDay(2024, 6, 30);
    std::vector<ProgressQuery> forms = {q};
    ProgressQuery known = q;
    known.known_at = absl::FromUnixSeconds(1720000000);
    forms.push_back(known);
    ProgressQuery baseline = q;
    baseline.baseline = true;
    forms.push_back(baseline);
    ProgressQuery park = q;
    park.filter.park = "p";
    forms.push_back(park);
    return forms;
  }

  testing::TempDir dir_;
  sqlite3* db_ = nullptr;
};

TEST_F(QueryPlanTest, OnlyProjectsAreScannedEveryOtherTableIsSearched) {
  for (const ProgressQuery& q : Forms()) {
    const std::vector<std::string> plan = Plan(q);
    ASSERT_FALSE(plan.empty());
    const std::string all = absl::StrJoin(plan, "\n");
    for (const std::string& line : plan) {
      if (absl::StartsWith(line, "SCAN ")) {
        // The outer scan of projects, in id order through its key, or a
        // pass over a subquery's few rows for one project.
        EXPECT_TRUE(absl::StartsWith(line, "SCAN p USING") ||
                    absl::StartsWith(line, "SCAN (subquery-"))
            << line << "\nin:\n"
            << all;
      }
      EXPECT_FALSE(absl::StrContains(line, "AUTOMATIC")) << all;
    }
  }
}

TEST_F(QueryPlanTest, OneProjectIsALookupNotAScan) {
  for (ProgressQuery q : Forms()) {
    q.filter.id = "p1";
    const std::vector<std::string> plan = Plan(q);
    const std::string all = absl::StrJoin(plan, "\n");
    for (const std::string& line : plan) {
      EXPECT_FALSE(absl::StartsWith(line, "SCAN ") &&
                   !absl::StartsWith(line, "SCAN (subquery-"))
          << line << "\nin:\n"
          << all;
    }
    EXPECT_TRUE(absl::StrContains(all, "SEARCH p USING")) << all;
  }
}

// The tables a statement reads, as SQLite's authorizer reports them while
// preparing it.
int CollectRead(void* tables, int action, const char* table, const char*,
                const char*, const char*) {
  if (action == SQLITE_READ && table != nullptr) {
    static_cast<std::set<std::string>*>(tables)->insert(table);
  }
  return SQLITE_OK;
}

TEST_F(QueryPlanTest, EveryTableAKeptEvaluationIsReadFromMarksItsProjects) {
  // The forms the server keeps (not as known at an instant): a table read
  // without a mark trigger would let a kept evaluation go stale. The ledger
  // is marked by its ids instead (ProgressMark::entries), which holds only
  // while the database refuses to change or remove an entry, or to give
  // one an id below another's.
  std::vector<ProgressQuery> kept;
  for (const ProgressQuery& q : Forms()) {
    if (!q.known_at) kept.push_back(q);
  }
  ASSERT_GE(kept.size(), 2u);
  for (const ProgressQuery& q : kept) {
    std::set<std::string> tables;
    sqlite3_set_authorizer(db_, CollectRead, &tables);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db_, sqlite::ProgressSql(q).c_str(), -1, &stmt,
                                 nullptr),
              SQLITE_OK);
    sqlite3_finalize(stmt);
    sqlite3_set_authorizer(db_, nullptr, nullptr);
    // Projects, levels, leads, plans, milestones, ledger, problems.
    ASSERT_GE(tables.size(), 8u) << absl::StrJoin(tables, ",");
    for (const std::string& table : tables) {
      const std::vector<std::string> names = Column(
          "SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
          "tbl_name = ?1",
          table);
      const std::set<std::string> triggers(names.begin(), names.end());
      if (table == "investment_entries") {
        EXPECT_TRUE(triggers.count("investment_entries_no_update"));
        EXPECT_TRUE(triggers.count("investment_entries_no_delete"));
        EXPECT_TRUE(triggers.count("investment_entries_ids_ascend"));
        continue;
      }
      EXPECT_TRUE(triggers.count(table + "_mark_insert")) << table;
      // Each change either marks, or is refused (an append-only table).
      for (const char* op : {"update", "delete"}) {
        EXPECT_TRUE(triggers.count(absl::StrCat(table, "_mark_", op)) ||
                    triggers.count(absl::StrCat(table, "_no_", op)))
            << table << " " << op;
      }
    }
  }
}

// Which projects changed since a mark: both sides read from where the mark
// stands, never a whole table (the ledger's DISTINCT, left to the planner,
// is answered from entries_progress, every entry of it).
TEST_F(QueryPlanTest, ProjectsMarkedAfterReadsOnlyWhatCameAfterTheMark) {
  const std::string plan =
      absl::StrJoin(PlanOf(sqlite::kProjectsMarkedAfterSql), "\n");
  EXPECT_TRUE(absl::StrContains(
      plan, "SEARCH progress_marks USING COVERING INDEX progress_marks_by_seq"))
      << plan;
  EXPECT_TRUE(absl::StrContains(
      plan, "SEARCH investment_entries USING INTEGER PRIMARY KEY (rowid>?)"))
      << plan;
  EXPECT_FALSE(absl::StrContains(plan, "SCAN investment_entries")) << plan;
}

// What changed since a mark, told apart: each statement starts where the
// mark stands (the stamps' index by seq, the ledger's own ids), never a
// whole table, and neither sorts.
TEST_F(QueryPlanTest, ProgressChangesAfterReadsOnlyWhatCameAfterTheMark) {
  const std::string stamps =
      absl::StrJoin(PlanOf(sqlite::kProjectsStampedAfterSql), "\n");
  EXPECT_TRUE(absl::StrContains(
      stamps,
      "SEARCH progress_marks USING COVERING INDEX progress_marks_by_seq"))
      << stamps;
  const std::string entries =
      absl::StrJoin(PlanOf(sqlite::kEntriesAfterSql), "\n");
  EXPECT_TRUE(absl::StrContains(
      entries, "SEARCH investment_entries USING INTEGER PRIMARY KEY (rowid>?)"))
      << entries;
  for (const std::string& plan : {stamps, entries}) {
    EXPECT_FALSE(absl::StrContains(plan, "SCAN")) << plan;
    EXPECT_FALSE(absl::StrContains(plan, "TEMP B-TREE")) << plan;
  }
}

// A page of the audit trail is read in key order and stops when full:
// never the whole trail sorted, whichever filters are asked for.
TEST_F(QueryPlanTest, TheAuditTrailIsReadInKeyOrderNeverSorted) {
  for (int mask = 0; mask < 64; ++mask) {
    for (bool oldest_first : {false, true}) {
      AuditQuery q;
      if (mask & 1) q.project_id = "p1";
      if (mask & 2) q.user_id = "u1";
      if (mask & 4) q.since = absl::FromUnixSeconds(1720000000);
      if (mask & 8) q.after_seq = 10;
      q.accepted_only = (mask & 16) != 0;
      if (mask & 32) q.before_seq = 100;
      q.oldest_first = oldest_first;
      const std::string all = absl::StrJoin(PlanOf(sqlite::AuditSql(q)), "\n");
      EXPECT_FALSE(absl::StrContains(all, "TEMP B-TREE"))
          << "mask=" << mask << "\n"
          << all;
      // A user's events come from that user's index range.
      if (q.user_id) {
        EXPECT_TRUE(absl::StrContains(all, "audit_events_by_user")) << all;
      }
      // "Since" is found through the time index, not by reading the trail.
      if (q.since) {
        EXPECT_TRUE(absl::StrContains(all, "audit_events_by_time")) << all;
      }
      // The change feed's "after", and a page token's "before", start at
      // their key.
      if (!q.user_id && q.after_seq) {
        EXPECT_TRUE(absl::StrContains(all, "INTEGER PRIMARY KEY (rowid>?"))
            << all;
      }
      if (!q.user_id && q.before_seq) {
        EXPECT_TRUE(absl::StrContains(all, "INTEGER PRIMARY KEY (rowid") &&
                    absl::StrContains(all, "rowid<?)"))
            << all;
      }
    }
  }
}

// Every index on the ledger costs each LogInvestment a page of it in the
// commit's log; the ledger keeps those some query reads: entries_progress
// (a project's sums and months, above) and entries_by_corrected (an
// entry's corrections, holding corrections only, so an ordinary entry adds
// no key to it). Adding one is a decision, so it fails here first.
TEST_F(QueryPlanTest, TheLedgerKeepsOnlyTheIndexesItsQueriesRead) {
  EXPECT_EQ(
      Column("SELECT name FROM sqlite_master WHERE type = 'index' AND "
             "tbl_name = 'investment_entries' ORDER BY name"),
      (std::vector<std::string>{"entries_by_corrected", "entries_progress"}));
  const std::string corrections = absl::StrJoin(
      PlanOf("SELECT COALESCE(SUM(amount), 0) FROM investment_entries "
             "WHERE corrects = ?1"),
      "\n");
  EXPECT_TRUE(absl::StrContains(corrections, "entries_by_corrected"))
      << corrections;
  const std::string sql =
      absl::StrJoin(Column("SELECT sql FROM sqlite_master WHERE name = ?1",
                           "entries_by_corrected"),
                    "");
  EXPECT_TRUE(absl::StrContains(sql, "WHERE corrects IS NOT NULL")) << sql;
}

}  // namespace
}  // namespace portfolio
