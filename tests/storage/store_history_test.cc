// What the store remembers so a summary can be computed as it stood: plan
// revisions, milestone and problem history, period closings; the problem
// register; and the upgrade of a version-4 file, whose existing records
// enter history in their current state.
#include <sqlite3.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_store.h"

namespace portfolio {
namespace {

using ::testing::ElementsAre;

absl::Time At(int day) {  // 2024-07-{day} 00:00 UTC
  return absl::FromCivil(absl::CivilDay(2024, 7, day), absl::UTCTimeZone());
}

class StoreHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Store>> store = testing::OpenStoreIn(dir_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  void Write(std::function<absl::Status(StoreWriter&)> fn) {
    const absl::Status s = store_->Write(fn);
    ASSERT_TRUE(s.ok()) << s;
  }

  void AddProject(const std::string& id, absl::Time when) {
    Write([&](StoreWriter& w) {
      ProjectRecord p;
      p.id = id;
      p.display_name = id;
      return w.InsertProject(p, when);
    });
  }

  void PutPlan(const std::string& id, int64_t amount, std::vector<int64_t> m,
               const std::string& reason, absl::Time when) {
    Write([&](StoreWriter& w) {
      PlanRecord plan;
      plan.project_id = id;
      plan.year = 2024;
      plan.amount = amount;
      plan.monthly = m;
      plan.updated_by = "manager";
      plan.revision_reason = reason;
      return w.PutPlan(plan, when);
    });
  }

  void Log(const std::string& id, int month, int64_t amount, absl::Time when) {
    Write([&](StoreWriter& w) {
      EntryRecord e;
      e.project_id = id;
      e.period = absl::CivilMonth(2024, month);
      e.amount = amount;
      e.reported_by = "lead";
      e.report_time = when;
      return w.AppendEntry(e).status();
    });
  }

  std::vector<ProgressRow> Progress(std::optional<absl::Time> known_at,
                                    bool baseline = false) {
    ProgressQuery q;
    q.year = 2024;
    q.as_of_month = 6;
    q.as_of_date = absl::CivilDay(2024, 6, 30);
    q.known_at = known_at;
    q.baseline = baseline;
    q.problems_at = known_at;
    std::vector<ProgressRow> rows;
    const absl::Status s = store_->Read([&](StoreReader& r) -> absl::Status {
      absl::StatusOr<std::vector<ProgressRow>> got = r.ListProgress(q);
      if (!got.ok()) return got.status();
      rows = *got;
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    return rows;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

std::vector<int64_t> Even(int64_t each) {
  return std::vector<int64_t>(12, each);
}

TEST_F(StoreHistoryTest, EveryChangedPlanIsANewRevisionAndTheSameIsNone) {
  AddProject("p", At(1));
  PutPlan("p", 1200, Even(100), "ignored for a baseline", At(1));
  PutPlan("p", 1200, Even(100), "no change", At(2));
  std::vector<int64_t> moved = Even(100);
  moved[0] = 0;
  moved[11] = 200;
  PutPlan("p", 1200, moved, "split moved", At(3));
  PutPlan("p", 600, Even(50), "scope cut", At(4));

  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    absl::StatusOr<std::vector<PlanRecord>> revisions =
                        r.ListPlanRevisions("p", 2024);
                    EXPECT_TRUE(revisions.ok()) << revisions.status();
                    if (!revisions.ok()) return revisions.status();
                    EXPECT_EQ(revisions->size(), 3u);
                    EXPECT_EQ((*revisions)[0].revision, 1);
                    EXPECT_EQ((*revisions)[0].revision_reason, "");
                    EXPECT_EQ((*revisions)[1].monthly, moved);
                    EXPECT_EQ((*revisions)[1].revision_reason, "split moved");
                    EXPECT_EQ((*revisions)[2].amount, 600);
                    EXPECT_EQ((*revisions)[2].update_time, At(4));
                    absl::StatusOr<PlanRecord> current = r.GetPlan("p", 2024);
                    EXPECT_TRUE(current.ok());
                    EXPECT_EQ(current->revision, 3);
                    EXPECT_EQ(current->amount, 600);
                    EXPECT_EQ(current->baseline_amount, 1200);
                    EXPECT_TRUE(absl::IsNotFound(
                        r.ListPlanRevisions("p", 2023).status()));
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(StoreHistoryTest, ProgressAsKnownAtAnInstantIgnoresWhatCameLater) {
  AddProject("early", At(1));
  PutPlan("early", 1200, Even(100), "", At(1));
  Log("early", 3, 300, At(2));
  PutPlan("early", 2400, Even(200), "doubled", At(5));
  Log("early", 4, 50, At(5));
  AddProject("late", At(6));

  const std::vector<ProgressRow> then = Progress(At(3));
  ASSERT_EQ(then.size(), 1u) << "a project created later is left out";
  EXPECT_EQ(then[0].annual_plan, 1200);
  EXPECT_EQ(then[0].planned_to_date, 600);
  EXPECT_EQ(then[0].completed_to_date, 300);

  const std::vector<ProgressRow> now = Progress(std::nullopt);
  ASSERT_EQ(now.size(), 2u);
  EXPECT_EQ(now[0].annual_plan, 2400);
  EXPECT_EQ(now[0].completed_to_date, 350);

  const std::vector<ProgressRow> baseline = Progress(std::nullopt, true);
  EXPECT_EQ(baseline[0].annual_plan, 1200);
  EXPECT_EQ(baseline[0].planned_to_date, 600);
  EXPECT_FALSE(baseline[1].annual_plan.has_value());
}

TEST_F(StoreHistoryTest, MilestonesCountAsRecordedThen) {
  AddProject("p", At(1));
  Write([&](StoreWriter& w) {
    MilestoneRecord m;
    m.project_id = "p";
    m.id = "m1";
    m.kind = "start";
    m.display_name = "开工";
    m.planned_date = absl::CivilDay(2024, 5, 1);
    return w.InsertMilestone(m, At(1));
  });
  Write([&](StoreWriter& w) {
    absl::StatusOr<MilestoneRecord> m = w.GetMilestone("p", "m1");
    if (!m.ok()) return m.status();
    m->actual_date = absl::CivilDay(2024, 5, 3);
    return w.UpdateMilestone(*m, At(10));
  });

  const std::vector<ProgressRow> then = Progress(At(5));
  ASSERT_EQ(then.size(), 1u);
  EXPECT_TRUE(then[0].start.due);
  EXPECT_FALSE(then[0].start.done);
  EXPECT_EQ(then[0].earliest_overdue_id, "m1");

  const std::vector<ProgressRow> now = Progress(std::nullopt);
  EXPECT_TRUE(now[0].start.due);
  EXPECT_TRUE(now[0].start.done);
  EXPECT_FALSE(now[0].earliest_overdue.has_value());
}

// Several open problems: the oldest is the first opened (ties by id), the
// earliest overdue deadline the first due before the as-of day (ties by
// id); resolved problems, and deadlines not yet passed, count for nothing.
TEST_F(StoreHistoryTest, OpenProblemFiguresPickTheOldestAndTheEarliestOverdue) {
  AddProject("p", At(1));
  AddProject("quiet", At(1));
  struct Opened {
    absl::Time at;
    std::optional<absl::CivilDay> deadline;
  };
  const std::vector<Opened> opened = {
      {At(3), absl::CivilDay(2024, 3, 1)},   // q1: the oldest deadline...
      {At(2), absl::CivilDay(2024, 5, 1)},   // q2
      {At(2), std::nullopt},                 // q3: no deadline
      {At(4), absl::CivilDay(2024, 5, 1)},   // q4: q2's deadline
      {At(2), absl::CivilDay(2024, 12, 1)},  // q5: not yet due
  };
  for (const Opened& o : opened) {
    Write([&](StoreWriter& w) {
      ProblemRecord q;
      q.project_id = "p";
      q.category = "land";
      q.description = "用地";
      q.deadline = o.deadline;
      q.opened_by = "lead";
      q.create_time = o.at;
      absl::StatusOr<std::string> id = w.NextProblemId("p");
      if (!id.ok()) return id.status();
      q.id = *id;
      return w.InsertProblem(q, o.at);
    });
  }
  Write([&](StoreWriter& w) {  // ...but resolved
    absl::StatusOr<ProblemRecord> q = w.GetProblem("p", "q1");
    if (!q.ok()) return q.status();
    q->state = "resolved";
    q->resolution = "done";
    q->resolved_by = "manager";
    q->resolve_time = At(5);
    return w.UpdateProblem(*q, At(5));
  });

  const std::vector<ProgressRow> rows = Progress(std::nullopt);
  ASSERT_EQ(rows.size(), 2u);
  const ProgressRow& p = rows[0];
  ASSERT_EQ(p.project->id, "p");
  EXPECT_EQ(p.open_problems, 4);
  EXPECT_EQ(p.oldest_open_problem_id, "q2");
  EXPECT_EQ(p.overdue_problems, 2);
  EXPECT_EQ(p.earliest_problem_deadline, absl::CivilDay(2024, 5, 1));
  EXPECT_EQ(p.earliest_problem_deadline_id, "q2");

  const ProgressRow& quiet = rows[1];
  EXPECT_EQ(quiet.open_problems, 0);
  EXPECT_EQ(quiet.oldest_open_problem_id, "");
  EXPECT_EQ(quiet.overdue_problems, 0);
  EXPECT_FALSE(quiet.earliest_problem_deadline.has_value());
  EXPECT_EQ(quiet.earliest_problem_deadline_id, "");

  // Before q1 was resolved it was both the oldest overdue and counted.
  const std::vector<ProgressRow> then = Progress(At(4));
  EXPECT_EQ(then[0].open_problems, 5);
  EXPECT_EQ(then[0].oldest_open_problem_id, "q2");
  EXPECT_EQ(then[0].overdue_problems, 3);
  EXPECT_EQ(then[0].earliest_problem_deadline, absl::CivilDay(2024, 3, 1));
  EXPECT_EQ(then[0].earliest_problem_deadline_id, "q1");
}

TEST_F(StoreHistoryTest, ProblemsAreNumberedFilteredAndCountedByState) {
  AddProject("p", At(1));
  ProblemRecord q;
  q.project_id = "p";
  q.category = "land";
  q.description = "用地";
  q.deadline = absl::CivilDay(2024, 6, 1);
  q.opened_by = "lead";
  q.create_time = At(1);
  Write([&](StoreWriter& w) {
    absl::StatusOr<std::string> id = w.NextProblemId("p");
    if (!id.ok()) return id.status();
    q.id = *id;
    return w.InsertProblem(q, At(1));
  });
  EXPECT_EQ(q.id, "q1");
  Write([&](StoreWriter& w) {
    absl::StatusOr<ProblemRecord> p = w.GetProblem("p", "q1");
    if (!p.ok()) return p.status();
    p->state = "resolved";
    p->resolution = "done";
    p->resolved_by = "manager";
    p->resolve_time = At(8);
    return w.UpdateProblem(*p, At(8));
  });

  const std::vector<ProgressRow> open = Progress(At(7));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].open_problems, 1);
  EXPECT_EQ(open[0].oldest_open_problem_id, "q1");
  EXPECT_EQ(open[0].overdue_problems, 1);
  EXPECT_EQ(open[0].earliest_problem_deadline, absl::CivilDay(2024, 6, 1));
  EXPECT_EQ(Progress(At(9))[0].open_problems, 0);

  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    ProblemQuery all;
                    all.unresolved = true;
                    EXPECT_EQ(r.ListProblems(all)->total, 0);
                    ProblemQuery resolved;
                    resolved.state = "resolved";
                    resolved.category = "land";
                    absl::StatusOr<ProblemPage> page = r.ListProblems(resolved);
                    EXPECT_EQ(page->total, 1);
                    EXPECT_EQ(page->problems[0].resolution, "done");
                    EXPECT_EQ(page->problems[0].version, 2);
                    EXPECT_TRUE(
                        absl::IsNotFound(r.GetProblem("p", "q9").status()));
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(StoreHistoryTest, ClosedMonthsAtFollowsClosingsAndReopenings) {
  PeriodRecord march;
  march.period = absl::CivilMonth(2024, 3);
  march.closed = true;
  march.closed_by = "manager";
  march.close_time = At(1);
  Write([&](StoreWriter& w) { return w.PutPeriod(march); });
  march.closed = false;
  march.reopen_time = At(3);
  march.reopened_by = "manager";
  march.reopen_reason = "late";
  Write([&](StoreWriter& w) { return w.PutPeriod(march); });
  march.closed = true;
  march.close_time = At(5);
  Write([&](StoreWriter& w) { return w.PutPeriod(march); });

  auto closed_at = [&](absl::Time t) {
    std::vector<int> months;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      absl::StatusOr<std::vector<int>> m =
                          r.ClosedMonthsAt(2024, t);
                      if (!m.ok()) return m.status();
                      months = *m;
                      return absl::OkStatus();
                    })
                    .ok());
    return months;
  };
  EXPECT_THAT(closed_at(At(1) - absl::Seconds(1)), ElementsAre());
  EXPECT_THAT(closed_at(At(2)), ElementsAre(3));
  EXPECT_THAT(closed_at(At(4)), ElementsAre());
  EXPECT_THAT(closed_at(At(6)), ElementsAre(3));
}

// --- Upgrading a version-4 file
// ------------------------------------------------

int Exec(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

TEST(StoreUpgradeTest,
     AVersionFourFileGetsItsPlansMilestonesAndPeriodsIntoHistory) {
  testing::TempDir dir;
  const std::string path = dir.File("portfolio.db");
  {
    SqliteStoreOptions options;
    options.path = path;
    ASSERT_TRUE(OpenSqliteStore(options).ok());
  }
  // Back to version 4: undo what versions 5, 6, 7, 11 and 13 did (8 to 10
  // only drop and remake indexes; 12 dropped the ledger's mark trigger,
  // which 6 makes again), then write v4 rows.
  ASSERT_EQ(Exec(path,
                 "ALTER TABLE audit_events DROP COLUMN request; "
                 "DROP TRIGGER investment_entries_ids_ascend; "
                 "DROP INDEX entries_progress; DROP INDEX "
                 "plan_months_progress; DROP INDEX project_levels_progress; "
                 "DROP INDEX milestones_progress; "
                 "CREATE INDEX entries_by_project_period ON "
                 "investment_entries(project_id, year, month);"),
            SQLITE_OK);
  std::string drop_marks = "DROP TABLE progress_marks;";
  for (const char* table : {"projects", "project_levels", "project_leads",
                            "annual_plans", "plan_months", "milestones"}) {
    for (const char* op : {"insert", "update", "delete"}) {
      absl::StrAppend(&drop_marks, "DROP TRIGGER ", table, "_mark_", op, ";");
    }
  }
  ASSERT_EQ(Exec(path, drop_marks), SQLITE_OK);
  ASSERT_EQ(Exec(path,
                 "DROP TABLE plan_revision_months; DROP TABLE plan_revisions; "
                 "DROP TABLE milestone_history; DROP TABLE problem_history; "
                 "DROP TABLE problems; DROP TABLE period_events; "
                 "DROP TABLE ledger_extent; DROP TABLE write_clock; "
                 "PRAGMA user_version = 4;"
                 "INSERT INTO projects (id, display_name, version, "
                 "create_time, update_time) VALUES ('p', 'P', 1, 0, 0);"
                 "INSERT INTO annual_plans VALUES ('p', 2024, 1200, 'm', 3, 7);"
                 "WITH RECURSIVE n(m) AS (SELECT 1 UNION ALL SELECT m + 1 FROM "
                 "n WHERE m < 12) INSERT INTO plan_months SELECT 'p', 2024, m, "
                 "100 FROM n;"
                 "INSERT INTO milestones VALUES ('p', 'm1', 'start', '开工', "
                 "'2024-05-01', NULL, '2024-05-02', 2, 9);"
                 "INSERT INTO reporting_periods VALUES (2024, 3, 1, 'm', 5, "
                 "'', NULL, '');"),
            SQLITE_OK);

  SqliteStoreOptions options;
  options.path = path;
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(options);
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)
                  ->Read([&](StoreReader& r) -> absl::Status {
                    absl::StatusOr<std::vector<PlanRecord>> revisions =
                        r.ListPlanRevisions("p", 2024);
                    EXPECT_TRUE(revisions.ok()) << revisions.status();
                    EXPECT_EQ(revisions->size(), 1u);
                    EXPECT_EQ((*revisions)[0].amount, 1200);
                    EXPECT_EQ((*revisions)[0].monthly, Even(100));
                    absl::StatusOr<std::vector<int>> closed =
                        r.ClosedMonthsAt(2024, absl::FromUnixMicros(5));
                    EXPECT_THAT(*closed, ElementsAre(3));
                    ProgressQuery q;
                    q.year = 2024;
                    q.as_of_month = 6;
                    q.as_of_date = absl::CivilDay(2024, 6, 30);
                    q.known_at = absl::FromUnixMicros(9);
                    absl::StatusOr<std::vector<ProgressRow>> rows =
                        r.ListProgress(q);
                    EXPECT_TRUE(rows.ok()) << rows.status();
                    EXPECT_EQ((*rows)[0].annual_plan, 1200);
                    EXPECT_TRUE((*rows)[0].start.done);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_NE(Exec(path, "UPDATE milestone_history SET kind = 'other'"),
            SQLITE_OK)
      << "history is append-only";
  EXPECT_NE(Exec(path, "DELETE FROM plan_revisions"), SQLITE_OK);
}

}  // namespace
}  // namespace portfolio
