// Kept evaluations must equal fresh ones after any sequence of writes: the
// store's progress marks name every project a write touched, and the cache
// re-reads exactly those, or adds their new ledger entries to the inputs
// it keeps. A seeded random walk over every kind of write
// checks this against reading everything again, for several queries.
#include "server/evaluation_cache.h"

#include <algorithm>
#include <atomic>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"
#include "tests/support/test_store.h"

namespace portfolio {
namespace {

constexpr int kYear = 2024;

// Every field of a row and its status that a summary or status list shows.
std::string Describe(const ProgressRow& row, const ProjectStatusResult& s) {
  auto day = [](const std::optional<absl::CivilDay>& d) {
    return d ? FormatDate(*d) : std::string("-");
  };
  std::vector<std::string> reasons;
  for (const Reason& r : s.reasons) {
    reasons.push_back(absl::StrCat(static_cast<int>(r.code), ":",
                                   static_cast<int>(r.rag), ":", r.value, ":",
                                   r.milestone, r.problem));
  }
  std::vector<std::string> levels;
  for (const YearLevelRecord& l : row.project->levels) {
    levels.push_back(absl::StrCat(l.year, l.level));
  }
  return absl::StrCat(
      row.project->id, " park=", row.project->park,
      " stage=", row.project->stage, " levels=", absl::StrJoin(levels, ","),
      " leads=", absl::StrJoin(row.project->leads, ","),
      " plan=", row.annual_plan ? *row.annual_plan : -1,
      " planned=", row.planned_to_date, " done=", row.completed_to_date,
      " reported=", row.report_month, ":", row.reported_in_month,
      " overdue=", day(row.earliest_overdue), row.earliest_overdue_id,
      " start=", row.start.due, row.start.done,
      " completion=", row.completion.due, row.completion.done,
      " operation=", row.operation.due, row.operation.done,
      " problems=", row.open_problems, "/", row.overdue_problems, "/",
      row.oldest_open_problem_id, "/", day(row.earliest_problem_deadline),
      row.earliest_problem_deadline_id, " rag=", static_cast<int>(s.rag),
      " gap=", s.gap_points, " reasons=", absl::StrJoin(reasons, ","));
}

std::vector<std::string> Describe(Evaluation& e) {
  std::vector<std::string> out;
  for (size_t i = 0; i < e.rows().size(); ++i) {
    out.push_back(Describe(e.rows()[i], e.statuses()[i]));
  }
  out.push_back("order:");
  for (uint32_t i : e.WorstFirst()) out.push_back(e.rows()[i].project->id);
  return out;
}

class EvaluationCacheTest : public ::testing::Test {
 public:
  Store& store() { return *store_; }

 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Store>> opened = testing::OpenStoreIn(dir_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }

  absl::Status Write(absl::FunctionRef<absl::Status(StoreWriter&)> fn) {
    return store_->Write(fn);
  }

  // Reads project `id`, applies `change` to it and writes it back, in one
  // transaction.
  absl::Status ChangeProject(const std::string& id, absl::Time now,
                             absl::FunctionRef<void(ProjectRecord&)> change) {
    return Write([&](StoreWriter& w) -> absl::Status {
      absl::StatusOr<ProjectRecord> p = w.GetProject(id);
      RETURN_IF_ERROR(p.status());
      change(*p);
      return w.UpdateProject(*p, now);
    });
  }

  // Projects p0..p<n-1>, with names only.
  void AddProjects(int n, absl::Time now) {
    ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                  for (int i = 0; i < n; ++i) {
                    ProjectRecord p;
                    p.id = absl::StrCat("p", i);
                    p.display_name = p.id;
                    RETURN_IF_ERROR(w.InsertProject(p, now));
                  }
                  return absl::OkStatus();
                }).ok());
  }

  // A lead's entry of `amount` for `period`.
  static EntryRecord Entry(const std::string& project, absl::CivilMonth period,
                           int64_t amount, absl::Time now) {
    EntryRecord e;
    e.project_id = project;
    e.period = period;
    e.amount = amount;
    e.reported_by = "lead";
    e.report_time = now;
    return e;
  }

  static absl::Status LogEntry(StoreWriter& w, const std::string& project,
                               int month, int64_t amount, absl::Time now) {
    return w
        .AppendEntry(
            Entry(project, absl::CivilMonth(kYear, month), amount, now))
        .status();
  }

  // The queries a dashboard asks: the whole year at two months, one park,
  // one stage with finished projects kept, the baseline, one project.
  static std::vector<ProgressQuery> Queries() {
    std::vector<ProgressQuery> out;
    ProgressQuery q;
    q.year = kYear;
    q.as_of_month = 6;
    q.as_of_date = absl::CivilDay(kYear, 6, 30);
    q.problems_at =
        absl::FromCivil(absl::CivilDay(kYear, 7, 1), absl::UTCTimeZone());
    out.push_back(q);
    ProgressQuery march = q;
    march.as_of_month = 3;
    march.as_of_date = absl::CivilDay(kYear, 3, 31);
    march.report_month = 2;
    out.push_back(march);
    ProgressQuery park = q;
    park.filter.park = "park1";
    out.push_back(park);
    ProgressQuery stage = q;
    stage.filter.stage = "completed";
    stage.active_only = false;
    out.push_back(stage);
    ProgressQuery baseline = q;
    baseline.baseline = true;
    out.push_back(baseline);
    ProgressQuery level = q;
    level.filter.level_year = kYear;
    level.filter.level = "city";
    out.push_back(level);
    ProgressQuery one = q;
    one.filter.id = "p3";
    out.push_back(one);
    return out;
  }

  // Runs write(step) for steps 0..steps-1 on one thread while `askers`
  // threads each run ask(t, i) for i = 0, 1, ... until the writer is done
  // and at least `min_asks` times; returns when every thread has.
  static void AskWhileWriting(int steps, absl::FunctionRef<void(int)> write,
                              int askers, int min_asks,
                              absl::FunctionRef<void(int, int)> ask) {
    std::atomic<bool> writing{true};
    std::thread writer([&] {
      for (int step = 0; step < steps; ++step) write(step);
      writing = false;
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < askers; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; writing || i < min_asks; ++i) ask(t, i);
      });
    }
    writer.join();
    for (std::thread& a : threads) a.join();
  }

  // The number in a test project's id ("p12": 12).
  static int ProjectNumber(const ProgressRow& row) {
    int n = 0;
    absl::SimpleAtoi(row.project->id.substr(1), &n);
    return n;
  }

  // Checks every query of Queries() through `cache` against a fresh read.
  void ExpectCacheMatchesFresh(EvaluationCache& cache, const std::string& at) {
    ExpectMatchesFresh(cache, Queries(), at);
  }

  // Checks each of `queries` through `cache` against a fresh read.
  void ExpectMatchesFresh(EvaluationCache& cache,
                          const std::vector<ProgressQuery>& queries,
                          const std::string& at) {
    for (const ProgressQuery& q : queries) {
      std::vector<std::string> kept, fresh, sql;
      // All in the one snapshot the cache reads in: kept, read afresh (from
      // the year's inputs), and computed by ListProgress's SQL, which the
      // inputs must reproduce.
      ASSERT_TRUE(
          cache
              .Use(*store_, q,
                   [&](StoreReader& r, Evaluation& e) -> absl::Status {
                     kept = Describe(e);
                     ASSIGN_OR_RETURN(Evaluation again,
                                      Evaluation::Read(r, q, thresholds_));
                     fresh = Describe(again);
                     ASSIGN_OR_RETURN(std::vector<ProgressRow> rows,
                                      r.ListProgress(q));
                     Evaluation by_sql =
                         Evaluation::FromRows(std::move(rows), q, thresholds_);
                     sql = Describe(by_sql);
                     return absl::OkStatus();
                   })
              .ok());
      ASSERT_EQ(fresh, sql) << at << ", query " << EvaluationKey(q);
      ASSERT_EQ(kept, fresh) << at << ", query " << EvaluationKey(q);
    }
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  StatusThresholds thresholds_;
};

TEST_F(EvaluationCacheTest, EveryKindOfWriteIsSeenAsAFreshReadSeesIt) {
  std::mt19937 rng(20240601);
  auto pick = [&](int n) {
    return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng));
  };
  absl::Time now =
      absl::FromCivil(absl::CivilDay(kYear, 1, 5), absl::UTCTimeZone());
  const char* const kStages[] = {"new_start", "continuing", "completed",
                                 "in_operation", ""};
  const char* const kLevels[] = {"provincial", "city", "district"};
  const char* const kKinds[] = {"start", "completion", "in_operation", "other"};
  int projects = 0;
  std::vector<int64_t> entries;
  std::vector<std::pair<std::string, std::string>> problems;
  std::vector<std::pair<std::string, std::string>> milestones;
  auto project_id = [&] { return absl::StrCat("p", pick(projects)); };
  auto add_project = [&](StoreWriter& w) -> absl::Status {
    ProjectRecord p;
    p.id = absl::StrCat("p", projects++);
    p.display_name = absl::StrCat("项目", p.id);
    p.park = absl::StrCat("park", pick(3));
    p.stage = kStages[pick(5)];
    p.total_investment = 1000000 * (1 + pick(50));
    if (pick(2) == 0) p.levels.push_back({kYear, kLevels[pick(3)]});
    if (pick(2) == 0) p.leads.push_back(absl::StrCat("lead", pick(4)));
    return w.InsertProject(p, now);
  };

  EvaluationCache cache(thresholds_);
  // Room for about one query: entries come and go between the reads.
  EvaluationCache tiny(thresholds_, /*max_rows=*/6);
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                for (int i = 0; i < 8; ++i) RETURN_IF_ERROR(add_project(w));
                return absl::OkStatus();
              }).ok());
  ExpectCacheMatchesFresh(cache, "start");
  ExpectCacheMatchesFresh(tiny, "start");

  for (int step = 0; step < 160; ++step) {
    now += absl::Hours(20);
    const int kind = pick(9);
    const absl::Status written = Write([&](StoreWriter& w) -> absl::Status {
      switch (kind) {
        case 0:
          return add_project(w);
        case 1: {  // new park, stage, level and leads
          absl::StatusOr<ProjectRecord> p = w.GetProject(project_id());
          if (!p.ok()) return p.status();
          p->park = absl::StrCat("park", pick(3));
          p->stage = kStages[pick(5)];
          p->levels.clear();
          if (pick(2) == 0) p->levels.push_back({kYear, kLevels[pick(3)]});
          p->leads.clear();
          if (pick(2) == 0) p->leads.push_back(absl::StrCat("lead", pick(4)));
          return w.UpdateProject(*p, now);
        }
        case 2: {  // a plan, or a revision of it
          PlanRecord plan;
          plan.project_id = project_id();
          plan.year = kYear;
          plan.monthly.assign(12, 0);
          for (int64_t& m : plan.monthly) {
            m = 100000 * pick(20);
            plan.amount += m;
          }
          if (plan.amount == 0) {
            plan.monthly[11] = 100000;
            plan.amount = 100000;
          }
          plan.updated_by = "m";
          plan.revision_reason = "调整";
          return w.PutPlan(plan, now);
        }
        case 3:
        case 4: {  // a ledger entry, sometimes a correction
          EntryRecord e;
          e.project_id = project_id();
          e.period = absl::CivilMonth(kYear, 1 + pick(12));
          e.amount = 50000 * (1 + pick(40));
          e.reported_by = "lead";
          e.report_time = now;
          if (!entries.empty() && pick(3) == 0) {
            absl::StatusOr<EntryRecord> old =
                w.GetEntry(entries[pick(static_cast<int>(entries.size()))]);
            if (!old.ok()) return old.status();
            e.project_id = old->project_id;
            e.period = old->period;
            e.corrects = old->id;
            e.amount = -1000;
            e.reason = "更正";
          }
          absl::StatusOr<int64_t> id = w.AppendEntry(e);
          if (!id.ok()) return id.status();
          entries.push_back(*id);
          return absl::OkStatus();
        }
        case 5: {  // a milestone
          MilestoneRecord m;
          m.project_id = project_id();
          absl::StatusOr<std::string> id = w.NextMilestoneId(m.project_id);
          if (!id.ok()) return id.status();
          m.id = *id;
          m.kind = kKinds[pick(4)];
          m.display_name = "节点";
          m.planned_date = absl::CivilDay(kYear, 1 + pick(12), 1 + pick(28));
          milestones.emplace_back(m.project_id, m.id);
          return w.InsertMilestone(m, now);
        }
        case 6: {  // a milestone reached, or its date moved
          if (milestones.empty()) return absl::OkStatus();
          const auto& [pid, mid] =
              milestones[pick(static_cast<int>(milestones.size()))];
          absl::StatusOr<MilestoneRecord> m = w.GetMilestone(pid, mid);
          if (!m.ok()) return m.status();
          if (pick(2) == 0) {
            m->actual_date = absl::CivilDay(kYear, 1 + pick(12), 1 + pick(28));
          } else {
            m->planned_date = absl::CivilDay(kYear, 1 + pick(12), 1 + pick(28));
          }
          return w.UpdateMilestone(*m, now);
        }
        case 7: {  // a problem
          ProblemRecord p;
          p.project_id = project_id();
          absl::StatusOr<std::string> id = w.NextProblemId(p.project_id);
          if (!id.ok()) return id.status();
          p.id = *id;
          p.category = "land";
          p.description = "用地";
          p.opened_by = "lead";
          p.create_time = now;
          p.deadline = absl::CivilDay(kYear, 1 + pick(12), 1 + pick(28));
          problems.emplace_back(p.project_id, p.id);
          return w.InsertProblem(p, now);
        }
        default: {  // a problem resolved or its deadline moved
          if (problems.empty()) return absl::OkStatus();
          const auto& [pid, qid] =
              problems[pick(static_cast<int>(problems.size()))];
          absl::StatusOr<ProblemRecord> p = w.GetProblem(pid, qid);
          if (!p.ok()) return p.status();
          if (p->state != "resolved" && pick(2) == 0) {
            p->state = "resolved";
            p->resolved_by = "m";
            p->resolve_time = now;
          } else {
            p->deadline = absl::CivilDay(kYear, 1 + pick(12), 1 + pick(28));
          }
          return w.UpdateProblem(*p, now);
        }
      }
    });
    ASSERT_TRUE(written.ok()) << "step " << step << ": " << written;
    // Not after every step: several changes between two reads is the
    // common case, one the simplest.
    if (pick(3) != 0) {
      ExpectCacheMatchesFresh(cache, absl::StrCat("step ", step));
      ExpectCacheMatchesFresh(tiny, absl::StrCat("step ", step, " (tiny)"));
    }
  }
  ExpectCacheMatchesFresh(cache, "end");
}

TEST_F(EvaluationCacheTest, ManyChangesAtOnceAreReadAgainWhole) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  constexpr int kProjects = EvaluationCache::kMaxRefresh + 5;
  AddProjects(kProjects, now);
  EvaluationCache cache(thresholds_);
  ExpectCacheMatchesFresh(cache, "before");
  // More changed projects than the cache re-reads one by one (their
  // records: ledger entries alone would be added to the kept inputs).
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                for (int i = 0; i < kProjects; ++i) {
                  ASSIGN_OR_RETURN(ProjectRecord p,
                                   w.GetProject(absl::StrCat("p", i)));
                  p.park = absl::StrCat("park", i % 3);
                  RETURN_IF_ERROR(w.UpdateProject(p, now));
                }
                return absl::OkStatus();
              }).ok());
  ExpectCacheMatchesFresh(cache, "after");
  // Each of the queries was evaluated whole twice: first, and after the
  // burst. The park, the level and the one project were narrowed from the
  // whole year each time, once it had been read again, and March computed
  // from its inputs; the finished stage (all projects kept) and the
  // baseline are other books, read whole.
  const EvaluationCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.whole_reads + stats.narrowed_reads + stats.derived_reads,
            2 * static_cast<int64_t>(Queries().size()));
  EXPECT_EQ(stats.narrowed_reads, 2 * 3);
  EXPECT_EQ(stats.derived_reads, 2 * 1);
  EXPECT_EQ(stats.moved_evaluations, 0);
}

// Many ledger entries on few projects: finding their projects would read
// every entry, more than reading the few projects whole, so the questions
// are read again whole rather than refreshed, and still match.
TEST_F(EvaluationCacheTest, ManyEntriesOnFewProjectsAreReadAgainWhole) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  AddProjects(3, now);
  EvaluationCache cache(thresholds_);
  ExpectCacheMatchesFresh(cache, "before");
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                for (int64_t i = 0; i <= EvaluationCache::kMaxRefreshEntries;
                     ++i) {
                  RETURN_IF_ERROR(LogEntry(w, "p1", 1 + i % 12, 1 + i, now));
                }
                return absl::OkStatus();
              }).ok());
  ExpectCacheMatchesFresh(cache, "after");
  EXPECT_EQ(cache.stats().refreshed_projects, 0);
}

// A filtered question asked for the first time is the whole portfolio's
// kept evaluation narrowed, with the same rows, figures and order as
// reading it, for every kind of filter; after writes, the whole one is
// brought up to date first.
TEST_F(EvaluationCacheTest, FilteredQueriesAreNarrowedFromTheWholePortfolio) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  const char* const kStages[] = {"new_start", "continuing", "completed", ""};
  const char* const kLevels[] = {"provincial", "city", "district"};
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                for (int i = 0; i < 40; ++i) {
                  ProjectRecord p;
                  p.id = absl::StrCat("p", i);
                  p.display_name = p.id;
                  p.chapter = i % 4;
                  p.park = absl::StrCat("park", i % 3);
                  p.sector = i % 5 == 0 ? "" : absl::StrCat("sector", i % 2);
                  p.stage = kStages[i % 4];
                  if (i % 7 == 0) p.levels.push_back({kYear - 1, "city"});
                  if (i % 2 == 0) p.levels.push_back({kYear, kLevels[i % 3]});
                  if (i % 3 != 0)
                    p.leads.push_back(absl::StrCat("lead", i % 4));
                  if (i % 6 == 1) p.leads.push_back("lead9");
                  std::sort(p.leads.begin(), p.leads.end());
                  RETURN_IF_ERROR(w.InsertProject(p, now));
                  if (i % 4 != 2) {
                    RETURN_IF_ERROR(
                        LogEntry(w, p.id, 1 + i % 6, 1000 * (i + 1), now));
                  }
                }
                return absl::OkStatus();
              }).ok());
  // Asked as the server asks it: with the year its levels refer to, which
  // without a level changes nothing.
  ProgressQuery whole = Queries().front();
  whole.filter.level_year = kYear;
  std::vector<ProgressQuery> filtered;
  auto add = [&](auto set) {
    ProgressQuery q = whole;
    q.filter.level_year = kYear;
    set(q.filter);
    filtered.push_back(q);
  };
  add([](ProjectFilter& f) { f.park = "park1"; });
  add([](ProjectFilter& f) { f.chapter = 0; });
  add([](ProjectFilter& f) { f.chapter = 3; });
  add([](ProjectFilter& f) { f.sector = ""; });
  add([](ProjectFilter& f) { f.sector = "sector1"; });
  add([](ProjectFilter& f) { f.stage = "completed"; });
  add([](ProjectFilter& f) { f.stage = ""; });
  add([](ProjectFilter& f) { f.level = "city"; });
  add([](ProjectFilter& f) {
    f.level = "city";
    f.level_year = kYear - 1;
  });
  add([](ProjectFilter& f) { f.lead = "lead9"; });
  add([](ProjectFilter& f) { f.lead = "lead2"; });
  add([](ProjectFilter& f) { f.id = "p14"; });
  add([](ProjectFilter& f) { f.id = "p999"; });     // matches nothing
  add([](ProjectFilter& f) { f.park = "Park1"; });  // exact text only
  add([](ProjectFilter& f) { f.chapter = -1; });    // none, not "no filter"
  add([](ProjectFilter& f) {
    f.park = "park0";
    f.level = "district";
    f.lead = "lead2";
    f.stage = "completed";
  });
  EvaluationCache cache(thresholds_);
  ASSERT_TRUE(
      cache
          .Use(*store_, whole,
               [](StoreReader&, Evaluation&) { return absl::OkStatus(); })
          .ok());
  ExpectMatchesFresh(cache, filtered, "first");
  EvaluationCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.whole_reads, 1);
  EXPECT_EQ(stats.narrowed_reads, static_cast<int64_t>(filtered.size()));

  // p3 moves from park0 to park1, p5 gets lead9 and an entry: the kept
  // filtered ones re-read them, a new filter is narrowed from the
  // refreshed whole.
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                absl::StatusOr<ProjectRecord> p = w.GetProject("p3");
                RETURN_IF_ERROR(p.status());
                p->park = "park1";
                RETURN_IF_ERROR(w.UpdateProject(*p, now));
                p = w.GetProject("p5");
                RETURN_IF_ERROR(p.status());
                p->leads.push_back("lead9");
                std::sort(p->leads.begin(), p->leads.end());
                RETURN_IF_ERROR(w.UpdateProject(*p, now));
                return LogEntry(w, "p5", 3, 777, now);
              }).ok());
  add([](ProjectFilter& f) { f.park = "park2"; });
  // Asked only now, so narrowed from the refreshed whole: p3 is found
  // under its new park (chapter 3), and p7 under a park no project had
  // when the whole was read.
  add([](ProjectFilter& f) {
    f.park = "park1";
    f.chapter = 3;
  });
  add([](ProjectFilter& f) { f.park = "park9"; });
  add([](ProjectFilter& f) {
    f.park = "park0";
    f.chapter = 3;
  });
  ASSERT_TRUE(ChangeProject("p7", now, [](ProjectRecord& p) {
                p.park = "park9";
              }).ok());
  ExpectMatchesFresh(cache, filtered, "after writes");
  ASSERT_TRUE(cache
                  .Use(*store_, filtered[filtered.size() - 2],
                       [](StoreReader&, Evaluation& e) {
                         EXPECT_EQ(e.rows().size(), 1u);
                         if (e.rows().size() == 1) {
                           EXPECT_EQ(e.rows()[0].project->id, "p7");
                         }
                         return absl::OkStatus();
                       })
                  .ok());
  stats = cache.stats();
  EXPECT_EQ(stats.whole_reads, 1);
  EXPECT_EQ(stats.narrowed_reads, static_cast<int64_t>(filtered.size()));

  // p10 (park1, chapter 2; completed with nothing this year, so outside
  // the portfolio) comes in as continuing, and p7 leaves park9, which
  // keeps its number with no project. Then p10 leaves again: every row
  // after it moves up by one, and the filters narrowed after that must
  // still find theirs.
  ASSERT_TRUE(ChangeProject("p10", now, [](ProjectRecord& p) {
                p.stage = "continuing";
              }).ok());
  ASSERT_TRUE(ChangeProject("p7", now, [](ProjectRecord& p) {
                p.park = "park1";
              }).ok());
  add([](ProjectFilter& f) {
    f.park = "park1";
    f.chapter = 2;
  });
  add([](ProjectFilter& f) {
    f.park = "park9";
    f.chapter = 3;
  });
  add([](ProjectFilter& f) {  // p14 is in park2
    f.id = "p14";
    f.park = "park0";
  });
  ExpectMatchesFresh(cache, filtered, "p10 in");
  ASSERT_TRUE(ChangeProject("p10", now, [](ProjectRecord& p) {
                p.stage = "completed";
              }).ok());
  add([](ProjectFilter& f) {
    f.park = "park2";
    f.stage = "continuing";
  });
  add([](ProjectFilter& f) { f.sector = "sector0"; });
  ExpectMatchesFresh(cache, filtered, "p10 out");
  stats = cache.stats();
  EXPECT_EQ(stats.whole_reads, 1);
  EXPECT_EQ(stats.narrowed_reads, static_cast<int64_t>(filtered.size()));
}

// Narrowing and deriving copy rows by the hundred thousand at province
// scale: the project briefs (names, park, levels, leads) are shared with
// the whole portfolio's evaluation, not copied, and a refresh gives the
// changed project a brief of its own.
TEST_F(EvaluationCacheTest, NarrowedAndDerivedRowsShareTheWholesBriefs) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  AddProjects(12, now);
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                for (int i = 0; i < 12; ++i) {
                  absl::StatusOr<ProjectRecord> p =
                      w.GetProject(absl::StrCat("p", i));
                  RETURN_IF_ERROR(p.status());
                  p->park = absl::StrCat("park", i % 3);
                  RETURN_IF_ERROR(w.UpdateProject(*p, now));
                  RETURN_IF_ERROR(LogEntry(w, p->id, 1 + i % 6, 1000, now));
                }
                return absl::OkStatus();
              }).ok());
  const ProgressQuery whole = Queries().front();
  ProgressQuery park = whole;
  park.filter.park = "park1";
  ProgressQuery march = whole;
  march.as_of_month = 3;
  march.as_of_date = absl::CivilDay(kYear, 3, 31);
  march.problems_at =
      absl::FromCivil(absl::CivilDay(kYear, 4, 1), absl::UTCTimeZone());
  EvaluationCache cache(thresholds_);
  // Each brief as the whole portfolio's evaluation holds it (held here, so
  // that an address cannot be reused by another).
  auto briefs_of = [&](const ProgressQuery& q) {
    std::map<std::string, std::shared_ptr<const ProjectBrief>> briefs;
    EXPECT_TRUE(cache
                    .Use(*store_, q,
                         [&](StoreReader&, Evaluation& e) {
                           for (const ProgressRow& row : e.rows()) {
                             EXPECT_NE(row.project, nullptr);
                             briefs[row.project->id] = row.project;
                           }
                           return absl::OkStatus();
                         })
                    .ok());
    return briefs;
  };
  const auto whole_briefs = briefs_of(whole);
  ASSERT_EQ(whole_briefs.size(), 12u);
  const auto park_briefs = briefs_of(park);
  ASSERT_EQ(park_briefs.size(), 4u);
  for (const auto& [id, brief] : park_briefs) {
    EXPECT_EQ(brief, whole_briefs.at(id)) << id;
  }
  const auto march_briefs = briefs_of(march);
  ASSERT_EQ(march_briefs.size(), 12u);
  for (const auto& [id, brief] : march_briefs) {
    EXPECT_EQ(brief, whole_briefs.at(id)) << id;
  }
  EvaluationCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.whole_reads, 1);
  EXPECT_EQ(stats.narrowed_reads, 1);
  EXPECT_EQ(stats.derived_reads, 1);

  // p4 is renamed: the whole portfolio's row for it is read again, with a
  // new brief; every other row keeps the one it shares.
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                absl::StatusOr<ProjectRecord> p = w.GetProject("p4");
                RETURN_IF_ERROR(p.status());
                p->display_name = "renamed";
                return w.UpdateProject(*p, now);
              }).ok());
  const auto after = briefs_of(whole);
  ASSERT_EQ(after.size(), 12u);
  for (const auto& [id, brief] : after) {
    if (id == "p4") {
      EXPECT_NE(brief, whole_briefs.at(id));
      EXPECT_EQ(brief->display_name, "renamed");
      EXPECT_EQ(whole_briefs.at(id)->display_name, "p4");  // unchanged
    } else {
      EXPECT_EQ(brief, whole_briefs.at(id)) << id;
    }
  }
}

// A park's first status page at province scale took a copy of its rows:
// now a narrowed evaluation holds the whole one's rows themselves. Each
// row is changed in place only while nothing else holds it; a row that a
// narrowed evaluation holds is replaced instead, so what that one shows
// does not change under it.
TEST_F(EvaluationCacheTest, NarrowedEvaluationsShareRowsUntilTheyChange) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  AddProjects(9, now);
  ASSERT_TRUE(
      Write([&](StoreWriter& w) -> absl::Status {
        for (int i = 0; i < 9; ++i) {
          absl::StatusOr<ProjectRecord> p = w.GetProject(absl::StrCat("p", i));
          RETURN_IF_ERROR(p.status());
          p->park = absl::StrCat("park", i % 3);
          RETURN_IF_ERROR(w.UpdateProject(*p, now));
          RETURN_IF_ERROR(LogEntry(w, p->id, 1 + i % 6, 1000 * (i + 1), now));
        }
        return absl::OkStatus();
      }).ok());
  const ProgressQuery june = Queries().front();
  ProgressQuery march = june;
  march.as_of_month = 3;
  march.as_of_date = absl::CivilDay(kYear, 3, 31);
  ProjectFilter park1;
  park1.park = "park1";
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    ASSIGN_OR_RETURN(Evaluation whole,
                                     Evaluation::Read(r, june, thresholds_,
                                                      /*kept=*/true));
                    EXPECT_TRUE(whole.derivable());
                    const std::vector<uint32_t> rows = whole.Matching(park1);
                    EXPECT_EQ(rows, (std::vector<uint32_t>{1, 4, 7}));
                    auto narrowed =
                        std::make_unique<Evaluation>(whole.Subset(rows));
                    const std::vector<std::string> shown = Describe(*narrowed);
                    std::vector<const ProgressRow*> at;
                    for (const ProgressRow& row : whole.rows())
                      at.push_back(&row);
                    for (size_t k = 0; k < rows.size(); ++k) {
                      EXPECT_EQ(&narrowed->rows()[k], at[rows[k]]);
                    }

                    whole.Reevaluate(march, thresholds_);
                    EXPECT_EQ(Describe(*narrowed), shown);
                    ASSIGN_OR_RETURN(Evaluation fresh_march,
                                     Evaluation::Read(r, march, thresholds_));
                    EXPECT_EQ(Describe(whole), Describe(fresh_march));
                    for (size_t i = 0; i < at.size(); ++i) {
                      const bool shared = i % 3 == 1;
                      EXPECT_EQ(&whole.rows()[i] == at[i], !shared) << i;
                    }

                    // Let go of: every row is computed again in place.
                    narrowed.reset();
                    at.clear();
                    for (const ProgressRow& row : whole.rows())
                      at.push_back(&row);
                    whole.Reevaluate(june, thresholds_);
                    ASSIGN_OR_RETURN(Evaluation fresh_june,
                                     Evaluation::Read(r, june, thresholds_));
                    EXPECT_EQ(Describe(whole), Describe(fresh_june));
                    for (size_t i = 0; i < at.size(); ++i) {
                      EXPECT_EQ(&whole.rows()[i], at[i]) << i;
                    }
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(EvaluationCacheTest, ChangesAreReadAgainProjectByProjectNotWhole) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  AddProjects(50, now);
  EvaluationCache cache(thresholds_);
  ProgressQuery q = Queries().front();
  q.filter.park = "";  // a filtered question keeps no inputs
  auto use = [&] {
    ASSERT_TRUE(
        cache
            .Use(*store_, q,
                 [](StoreReader&, Evaluation&) { return absl::OkStatus(); })
            .ok());
  };
  use();
  use();  // nothing changed: nothing read
  EXPECT_EQ(cache.stats().whole_reads, 1);
  EXPECT_EQ(cache.stats().refreshed_projects, 0);
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                  for (const char* id : {"p7", "p19"}) {
                    RETURN_IF_ERROR(LogEntry(w, id, 3, 1000, now));
                  }
                  return absl::OkStatus();
                }).ok());
    use();
  }
  EXPECT_EQ(cache.stats().whole_reads, 1);
  EXPECT_EQ(cache.stats().refreshed_projects, 6);  // two per round
  EXPECT_EQ(cache.stats().applied_projects, 0);
  EXPECT_EQ(cache.stats().uncached_reads, 0);
  ExpectMatchesFresh(cache, {q}, "after the rounds");
}

// The whole portfolio's question keeps each project's year of inputs: a
// project given ledger entries, and nothing else, has them added to its
// months rather than being read again; a project whose record, plan,
// milestones or problems changed is read again, entries and all; an entry
// that may bring a project into the year's portfolio has it read; another
// year's entry changes nothing. Each time the kept rows, statuses and
// order equal a fresh read's.
TEST_F(EvaluationCacheTest, LedgerEntriesAreAddedToTheKeptInputs) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  AddProjects(12, now);
  // p11 finished with nothing in the year: not in the active portfolio
  // until an entry in the year brings it in.
  ASSERT_TRUE(ChangeProject("p11", now, [](ProjectRecord& p) {
                p.stage = "completed";
              }).ok());
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                PlanRecord plan;
                plan.project_id = "p2";
                plan.year = kYear;
                plan.monthly.assign(12, 100000);
                plan.amount = 1200000;
                plan.updated_by = "m";
                return w.PutPlan(plan, now);
              }).ok());
  EvaluationCache cache(thresholds_);
  // The two questions that keep inputs (another month is computed from
  // them and keeps none: it is refreshed project by project, as a
  // filtered question is).
  const ProgressQuery june = Queries()[0], baseline = Queries()[4];
  const std::vector<ProgressQuery> whole = {june, baseline};
  ExpectMatchesFresh(cache, whole, "start");
  auto stats = [&] { return cache.stats(); };
  const int64_t reads = stats().whole_reads + stats().derived_reads;

  // Entries only, several to a project and a month, with a correction.
  int64_t first = 0;
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                ASSIGN_OR_RETURN(
                    first, w.AppendEntry(Entry("p2", absl::CivilMonth(kYear, 3),
                                               450000, now)));
                RETURN_IF_ERROR(LogEntry(w, "p2", 3, 50000, now));
                RETURN_IF_ERROR(LogEntry(w, "p2", 5, 300000, now));
                return LogEntry(w, "p4", 1, 7000, now);
              }).ok());
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                EntryRecord e =
                    Entry("p2", absl::CivilMonth(kYear, 3), -400000, now);
                e.corrects = first;
                e.reason = "多报";
                return w.AppendEntry(e).status();
              }).ok());
  ExpectMatchesFresh(cache, whole, "entries");
  // Each of the two questions: p2 and p4 added, nothing read.
  EXPECT_EQ(stats().applied_projects, 2 * 2);
  EXPECT_EQ(stats().refreshed_projects, 0);

  // Another year's entry is in no input of this year's.
  ASSERT_TRUE(Write([&](StoreWriter& w) {
                return w
                    .AppendEntry(
                        Entry("p5", absl::CivilMonth(kYear - 1, 12), 999, now))
                    .status();
              }).ok());
  ExpectMatchesFresh(cache, whole, "another year");
  EXPECT_EQ(stats().applied_projects, 2 * 2);
  EXPECT_EQ(stats().refreshed_projects, 0);

  // An entry and a changed record on one project: read again, once.
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                RETURN_IF_ERROR(LogEntry(w, "p6", 2, 8000, now));
                ASSIGN_OR_RETURN(ProjectRecord p, w.GetProject("p6"));
                p.stage = "continuing";
                RETURN_IF_ERROR(w.UpdateProject(p, now));
                return LogEntry(w, "p6", 4, 9000, now);
              }).ok());
  ExpectMatchesFresh(cache, whole, "entry and record");
  EXPECT_EQ(stats().applied_projects, 2 * 2);
  EXPECT_EQ(stats().refreshed_projects, 2 * 1);

  // The finished project's first entry of the year brings it in.
  ASSERT_TRUE(Write([&](StoreWriter& w) {
                return LogEntry(w, "p11", 6, 5000, now);
              }).ok());
  ExpectMatchesFresh(cache, whole, "a finished project comes in");
  EXPECT_EQ(stats().refreshed_projects, 2 * 2);
  bool shown = false;
  ASSERT_TRUE(cache
                  .Use(*store_, june,
                       [&](StoreReader&, Evaluation& e) {
                         for (const ProgressRow& row : e.rows()) {
                           shown = shown || row.project->id == "p11";
                         }
                         return absl::OkStatus();
                       })
                  .ok());
  EXPECT_TRUE(shown);
  // None of it was read whole.
  EXPECT_EQ(stats().whole_reads + stats().derived_reads, reads);
}

// A month's sum past what int64 holds is not wrapped round: the project
// is read again, and the store's own sum refuses it, as a fresh read does.
// The store caps the ledger's size below int64 now, so the entries are
// written as a file from before the cap holds them: by raw SQL.
TEST_F(EvaluationCacheTest, AnEntryPastInt64IsLeftToTheStoresSum) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  AddProjects(3, now);
  EvaluationCache cache(thresholds_);
  const ProgressQuery june = Queries().front();
  auto completed = [&](int64_t* p1) {
    return cache.Use(*store_, june, [&](StoreReader&, Evaluation& e) {
      for (const ProgressRow& row : e.rows()) {
        if (row.project->id == "p1") *p1 = row.completed_to_date;
      }
      return absl::OkStatus();
    });
  };
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  auto raw_entry = [&](int64_t amount) {
    EXPECT_EQ(testing::RunSql(
                  dir_.File("portfolio.db"),
                  absl::StrCat("INSERT INTO investment_entries (project_id, "
                               "year, month, amount, reported_by, report_time) "
                               "VALUES ('p1', ",
                               kYear, ", 5, ", amount, ", 'lead', 0)")),
              "");
  };
  raw_entry(kMax - 10);
  int64_t p1 = 0;
  ASSERT_TRUE(completed(&p1).ok());
  EXPECT_EQ(p1, kMax - 10);
  raw_entry(20);
  const absl::Status past = completed(&p1);
  EXPECT_EQ(past.code(), absl::StatusCode::kOutOfRange) << past;
  EXPECT_EQ(p1, kMax - 10);
  EXPECT_EQ(cache.stats().applied_projects, 0);
  EXPECT_EQ(store_
                ->Read([&](StoreReader& r) {
                  return Evaluation::Read(r, june, thresholds_).status();
                })
                .code(),
            absl::StatusCode::kOutOfRange);
}

// More projects given entries than the cache would re-read one by one:
// adding entries costs no read, so the whole portfolio's question is
// still brought up to date rather than read again whole.
TEST_F(EvaluationCacheTest, EntriesOnManyProjectsAreAddedNotReadWhole) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  constexpr int kProjects = EvaluationCache::kMaxRefresh + 5;
  AddProjects(kProjects, now);
  EvaluationCache cache(thresholds_);
  const ProgressQuery june = Queries().front();
  ExpectMatchesFresh(cache, {june}, "before");
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                for (int i = 0; i < kProjects; ++i) {
                  RETURN_IF_ERROR(
                      LogEntry(w, absl::StrCat("p", i), 5, 1000 + i, now));
                }
                return absl::OkStatus();
              }).ok());
  ExpectMatchesFresh(cache, {june}, "after");
  EXPECT_EQ(cache.stats().whole_reads, 1);
  EXPECT_EQ(cache.stats().applied_projects, kProjects);
  EXPECT_EQ(cache.stats().refreshed_projects, 0);
}

// Two calls that arrive while a third holds the question: the first of
// them to get it reads the changes since, the other uses what it read (it
// began after both arrived), and both see the write acknowledged before
// they were made.
TEST_F(EvaluationCacheTest, CallsWaitingTogetherShareOneUpdate) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  AddProjects(20, now);
  EvaluationCache cache(thresholds_);
  const ProgressQuery q = Queries().front();
  auto completed = [](const Evaluation& e) {
    int64_t sum = 0;
    for (const ProgressRow& row : e.rows()) sum += row.completed_to_date;
    return sum;
  };
  absl::Notification holding, release;
  std::thread holder([&] {
    ASSERT_TRUE(cache
                    .Use(*store_, q,
                         [&](StoreReader&, Evaluation&) {
                           holding.Notify();
                           release.WaitForNotification();
                           return absl::OkStatus();
                         })
                    .ok());
  });
  holding.WaitForNotification();
  // Acknowledged before the two calls below are made.
  ASSERT_TRUE(Write([&](StoreWriter& w) {
                return LogEntry(w, "p3", 2, 7000, now);
              }).ok());
  std::vector<int64_t> seen(2, -1);
  std::vector<std::thread> waiters;
  for (int i = 0; i < 2; ++i) {
    waiters.emplace_back([&, i] {
      ASSERT_TRUE(cache
                      .Use(*store_, q,
                           [&](StoreReader&, Evaluation& e) {
                             seen[i] = completed(e);
                             return absl::OkStatus();
                           })
                      .ok());
    });
  }
  // Both have arrived (and count as waiting) before the holder lets go.
  while (cache.stats().waiting < 2) std::this_thread::yield();
  release.Notify();
  holder.join();
  for (std::thread& t : waiters) t.join();

  EXPECT_EQ(seen, std::vector<int64_t>({7000, 7000}));
  const EvaluationCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.whole_reads, 1);
  EXPECT_EQ(stats.applied_projects, 1);  // p3's entry, once
  EXPECT_EQ(stats.refreshed_projects, 0);
  EXPECT_EQ(stats.shared_updates, 1);
  EXPECT_EQ(stats.waiting, 0);

  // A call made after that update began reads for itself again.
  ASSERT_TRUE(Write([&](StoreWriter& w) {
                return LogEntry(w, "p4", 2, 500, now);
              }).ok());
  int64_t later = -1;
  ASSERT_TRUE(cache
                  .Use(*store_, q,
                       [&](StoreReader&, Evaluation& e) {
                         later = completed(e);
                         return absl::OkStatus();
                       })
                  .ok());
  EXPECT_EQ(later, 7500);
  EXPECT_EQ(cache.stats().shared_updates, 1);
}

// Filtered and unfiltered questions asked from several threads while
// projects change park and get entries. Nothing deadlocks (a filtered
// call locks the unfiltered entry after its own); every answer holds every
// write acknowledged before the call was made, and none a read could not
// see (an answer may come from a snapshot a little older than the call's
// own read: one that began after the call was made); and once the writes
// stop, every question equals a fresh read.
TEST_F(EvaluationCacheTest, NarrowingUnderConcurrentCallsAndWrites) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  constexpr int kProjects = 40, kParks = 10;
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                for (int i = 0; i < kProjects; ++i) {
                  ProjectRecord p;
                  p.id = absl::StrCat("p", i);
                  p.display_name = p.id;
                  p.park = absl::StrCat("park", i % kParks);
                  RETURN_IF_ERROR(w.InsertProject(p, now));
                }
                return absl::OkStatus();
              }).ok());
  EvaluationCache cache(thresholds_);
  const ProgressQuery whole = Queries().front();  // as of June
  // Yuan logged and acknowledged, project by project.
  std::vector<std::atomic<int64_t>> acknowledged(kProjects);
  std::atomic<int> stale{0}, errors{0};
  // The whole portfolio is kept first, so that each park's first call
  // is narrowed from it while writes land.
  ASSERT_TRUE(
      cache
          .Use(*store_, whole,
               [](StoreReader&, Evaluation&) { return absl::OkStatus(); })
          .ok());
  AskWhileWriting(
      150,
      [&](int step) {
        const int project = (step * 7) % kProjects;
        const std::string id = absl::StrCat("p", project);
        const int64_t amount = 100 + step;
        const bool move = step % 3 == 0;
        const absl::Status s = Write([&](StoreWriter& w) -> absl::Status {
          if (move) {
            absl::StatusOr<ProjectRecord> p = w.GetProject(id);
            RETURN_IF_ERROR(p.status());
            p->park = absl::StrCat("park", step % kParks);
            return w.UpdateProject(*p, now);
          }
          return LogEntry(w, id, 1 + step % 6, amount, now);
        });
        if (!s.ok()) ++errors;
        if (s.ok() && !move) acknowledged[project] += amount;
      },
      3, kParks,
      [&](int t, int i) {
        ProgressQuery q = whole;
        if (t > 0) q.filter.park = absl::StrCat("park", (i + t) % kParks);
        std::vector<int64_t> before(kProjects);
        for (int p = 0; p < kProjects; ++p) before[p] = acknowledged[p];
        const absl::Status s = cache.Use(
            *store_, q, [&](StoreReader& r, Evaluation& e) -> absl::Status {
              ASSIGN_OR_RETURN(Evaluation again,
                               Evaluation::Read(r, q, thresholds_));
              std::map<std::string, int64_t> seen;  // by the call's read
              for (const ProgressRow& row : again.rows()) {
                seen[row.project->id] = row.completed_to_date;
              }
              // Each row is of the filter's park, holds every entry of its
              // project acknowledged before the call, and nothing the
              // call's own read cannot see.
              for (const ProgressRow& row : e.rows()) {
                auto it = seen.find(row.project->id);
                if ((q.filter.park && row.project->park != *q.filter.park) ||
                    row.completed_to_date < before[ProjectNumber(row)] ||
                    (it != seen.end() && row.completed_to_date > it->second)) {
                  ++stale;
                }
              }
              return absl::OkStatus();
            });
        if (!s.ok()) ++errors;
      });
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(stale, 0);
  // Quiet now: every park, and the whole, exactly as a read sees them.
  std::vector<ProgressQuery> every = {whole};
  for (int k = 0; k < kParks; ++k) {
    every.push_back(whole);
    every.back().filter.park = absl::StrCat("park", k);
  }
  ExpectMatchesFresh(cache, every, "after the writes");
  // And a question not asked before is narrowed, not read.
  const int64_t narrowed = cache.stats().narrowed_reads;
  ProgressQuery stage = whole;
  stage.filter.stage = "";
  ExpectMatchesFresh(cache, {stage}, "a new filter");
  EXPECT_EQ(cache.stats().narrowed_reads, narrowed + 1);
}

// A rich year: plans (some revised), entries and corrections in every
// month, milestones of every kind planned and reached on either side of
// month ends, problems opened, moved and resolved through the year.
void AddRichYear(EvaluationCacheTest* t, int projects);

// Another month of a year whose whole portfolio is kept is computed from
// the inputs kept with it, nothing read: the same rows, figures and order
// as ListProgress gives, for every month, report month and date; with room
// for both it is a copy, without it the kept evaluation is made over in
// place (and back again when the first month is asked once more).
TEST_F(EvaluationCacheTest, OtherMonthsAreComputedFromTheKeptInputs) {
  constexpr int kProjects = 30;
  AddRichYear(this, kProjects);
  auto month_query = [](int month, std::optional<std::string> park = {}) {
    ProgressQuery q = Queries().front();
    q.as_of_month = month;
    q.as_of_date = absl::CivilDay(kYear, month + 1, 1) - 1;  // month's end
    q.problems_at = absl::FromCivil(q.as_of_date + 1, absl::UTCTimeZone());
    q.report_month = month > 2 ? month - 1 : 0;
    q.filter.park = std::move(park);
    return q;
  };
  std::vector<ProgressQuery> months;
  for (int m = 1; m <= 12; ++m) months.push_back(month_query(m));
  // A date inside the month, as "today" makes it in the current month.
  ProgressQuery mid = month_query(8);
  mid.as_of_date = absl::CivilDay(kYear, 8, 17);
  mid.problems_at =
      absl::FromCivil(absl::CivilDay(kYear, 8, 18), absl::UTCTimeZone());
  months.push_back(mid);
  // One park: narrowed when its month is kept whole, computed when not.
  months.push_back(month_query(4, "park1"));
  months.push_back(month_query(11, "park2"));
  ProgressQuery park_mid = mid;
  park_mid.as_of_date = absl::CivilDay(kYear, 8, 9);
  park_mid.filter.park = "park0";
  months.push_back(park_mid);

  // Inputs are kept only when asked for, and only for every project.
  ASSERT_TRUE(
      store_
          ->Read([&](StoreReader& r) -> absl::Status {
            ASSIGN_OR_RETURN(Evaluation plain,
                             Evaluation::Read(r, month_query(6), thresholds_));
            EXPECT_FALSE(plain.derivable());
            ASSIGN_OR_RETURN(Evaluation kept,
                             Evaluation::Read(r, month_query(6), thresholds_,
                                              /*kept=*/true));
            EXPECT_TRUE(kept.derivable());
            ASSIGN_OR_RETURN(
                Evaluation park,
                Evaluation::Read(r, month_query(6, "park1"), thresholds_,
                                 /*kept=*/true));
            EXPECT_FALSE(park.derivable());
            return absl::OkStatus();
          })
          .ok());

  EvaluationCache roomy(thresholds_);
  ExpectMatchesFresh(roomy, {month_query(6)}, "June");
  ExpectMatchesFresh(roomy, months, "every month");
  EvaluationCache::Stats stats = roomy.stats();
  EXPECT_EQ(stats.whole_reads, 1);
  // Eleven months and mid-August computed, June kept already; the two
  // parks of a kept month narrowed; the park mid-August computed.
  EXPECT_EQ(stats.derived_reads, 11 + 1 + 1);
  EXPECT_EQ(stats.narrowed_reads, 2);
  EXPECT_EQ(stats.moved_evaluations, 0);

  // Room for one evaluation of the portfolio only: a month is made of the
  // one kept, which then is gone.
  EvaluationCache tight(thresholds_, /*max_rows=*/kProjects + 5);
  ExpectMatchesFresh(tight, {month_query(6)}, "June (tight)");
  ExpectMatchesFresh(tight, {month_query(3)}, "March (tight)");
  ExpectMatchesFresh(tight, {month_query(6)}, "June again (tight)");
  stats = tight.stats();
  EXPECT_EQ(stats.whole_reads, 1);
  EXPECT_EQ(stats.moved_evaluations, 2);
  // March's entry is empty now (June holds the rows): a park in March is
  // computed from June, not read.
  ExpectMatchesFresh(tight, {month_query(3, "park2")}, "a park in March");
  EXPECT_EQ(tight.stats().whole_reads, 1);
  EXPECT_EQ(tight.stats().derived_reads, stats.derived_reads + 1);

  // Room enough, but a portfolio above move_rows: each month is made of
  // the one kept, in place, as when there is no room for a copy.
  EvaluationCache large(thresholds_, /*max_rows=*/120000, /*max_entries=*/64,
                        /*move_rows=*/kProjects - 1);
  ExpectMatchesFresh(large, {month_query(6)}, "June (large)");
  ExpectMatchesFresh(large, {month_query(3)}, "March (large)");
  ExpectMatchesFresh(large, {month_query(9)}, "September (large)");
  ExpectMatchesFresh(large, {month_query(6)}, "June again (large)");
  EXPECT_EQ(large.stats().whole_reads, 1);
  EXPECT_EQ(large.stats().moved_evaluations, 3);
  // At move_rows exactly, a copy.
  EvaluationCache at_limit(thresholds_, /*max_rows=*/120000,
                           /*max_entries=*/64, /*move_rows=*/kProjects);
  ExpectMatchesFresh(at_limit, {month_query(6), month_query(3)},
                     "June and March (at the limit)");
  EXPECT_EQ(at_limit.stats().moved_evaluations, 0);
  EXPECT_EQ(at_limit.stats().derived_reads, 1);

  // Room for the portfolio, a copy of it and little else: the parks
  // narrowed since are evicted to make room for a copy, not the portfolio
  // the copy is made of, which then still makes the next month.
  EvaluationCache snug(thresholds_, /*max_rows=*/2 * kProjects + 8);
  ExpectMatchesFresh(snug, {month_query(6)}, "June (snug)");
  ExpectMatchesFresh(snug, {month_query(6, "park0"), month_query(6, "park1")},
                     "parks (snug)");
  ExpectMatchesFresh(snug, {month_query(3)}, "March (snug)");
  ExpectMatchesFresh(snug, {month_query(4)}, "April (snug)");
  EXPECT_EQ(snug.stats().whole_reads, 1);
  EXPECT_EQ(snug.stats().derived_reads, 2);
  EXPECT_EQ(snug.stats().moved_evaluations, 0);

  // Problems open now (no instant given), for every month.
  std::vector<ProgressQuery> open_now;
  for (int m : {2, 7, 12}) {
    open_now.push_back(month_query(m));
    open_now.back().problems_at.reset();
  }
  ExpectMatchesFresh(roomy, open_now, "problems open now");

  // After writes, the kept one is brought up to date first, project by
  // project, then a new month is made of it.
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                RETURN_IF_ERROR(LogEntry(w, "p3", 2, 4321,
                                         absl::FromUnixSeconds(1720000000)));
                return LogEntry(w, "p7", 9, 1234,
                                absl::FromUnixSeconds(1720000000));
              }).ok());
  ExpectMatchesFresh(tight, {month_query(9)}, "September after writes");
  ExpectMatchesFresh(roomy, months, "every month after writes");
  EXPECT_EQ(tight.stats().whole_reads, 1);
  EXPECT_EQ(roomy.stats().whole_reads, 1);
  EXPECT_EQ(tight.stats().applied_projects, 2);
}

// A month's plan or ledger sum past 2^31 yuan (21亿) is kept whole: the
// inputs hold such months in eight bytes, the rest in four.
TEST_F(EvaluationCacheTest, MonthsOfMoreThanTwoBillionYuan) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  AddProjects(3, now);
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                PlanRecord plan;
                plan.project_id = "p1";
                plan.year = kYear;
                plan.updated_by = "m";
                plan.monthly.assign(12, 1000);
                plan.monthly[4] = 3'000'000'000;  // 30亿 in May
                for (int64_t v : plan.monthly) plan.amount += v;
                RETURN_IF_ERROR(w.PutPlan(plan, now));
                // 25亿 twice in May, the second corrected away: 25亿 stands.
                RETURN_IF_ERROR(LogEntry(w, "p1", 5, 2'500'000'000, now));
                RETURN_IF_ERROR(LogEntry(w, "p1", 5, 2'500'000'000, now));
                EntryRecord fix;
                fix.project_id = "p1";
                fix.period = absl::CivilMonth(kYear, 5);
                fix.amount = -2'500'000'000;
                fix.reported_by = "lead";
                fix.report_time = now;
                fix.corrects = 2;
                fix.reason = "重复";
                RETURN_IF_ERROR(w.AppendEntry(fix).status());
                return LogEntry(w, "p2", 5, 2'147'483'647, now);  // 2^31 - 1
              }).ok());
  EvaluationCache cache(thresholds_);
  std::vector<ProgressQuery> months;
  for (int m : {6, 4, 5, 12}) {
    ProgressQuery q = Queries().front();
    q.as_of_month = m;
    q.as_of_date = absl::CivilDay(kYear, m + 1, 1) - 1;
    months.push_back(q);
  }
  ExpectMatchesFresh(cache, months, "beyond 2^31");
  EXPECT_EQ(cache.stats().derived_reads, 3);
  ASSERT_TRUE(
      cache
          .Use(*store_, months[0],
               [&](StoreReader&, Evaluation& e) -> absl::Status {
                 EXPECT_EQ(e.rows()[1].project->id, "p1");
                 EXPECT_EQ(e.rows()[1].planned_to_date,
                           3'000'000'000 + 5 * 1000);
                 EXPECT_EQ(e.rows()[1].completed_to_date, 2'500'000'000);
                 EXPECT_EQ(e.rows()[2].completed_to_date, 2'147'483'647);
                 return absl::OkStatus();
               })
          .ok());
}

// Parks asked while the whole portfolio's rows, which they share, are
// made over for another month in turn (no room for two) and entries are
// logged: each call sees its own month's rows, never another's, so a
// shared row was never changed under a park that holds it.
TEST_F(EvaluationCacheTest, ParksAskedWhileTheirRowsAreMadeOverForMonths) {
  constexpr int kProjects = 30, kParks = 3;
  AddRichYear(this, kProjects);
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  EvaluationCache cache(thresholds_, /*max_rows=*/1000, /*max_entries=*/64,
                        /*move_rows=*/10);
  auto month_query = [](int month, std::optional<std::string> park = {}) {
    ProgressQuery q = Queries().front();
    q.as_of_month = month;
    q.as_of_date = absl::CivilDay(kYear, month, 28);
    q.problems_at = absl::FromCivil(q.as_of_date + 1, absl::UTCTimeZone());
    q.filter.park = std::move(park);
    return q;
  };
  // First one call at a time: a park narrowed from June, June's rows made
  // over into September's, then the park again, answered from the rows it
  // holds.
  ExpectMatchesFresh(cache, {month_query(6)}, "june");
  ExpectMatchesFresh(cache, {month_query(6, "park1")}, "park1");
  ExpectMatchesFresh(cache, {month_query(9)}, "september");
  ExpectMatchesFresh(cache, {month_query(6, "park1")}, "park1 again");
  EXPECT_EQ(cache.stats().moved_evaluations, 1);
  EXPECT_EQ(cache.stats().narrowed_reads, 1);
  std::atomic<int> mismatched{0}, errors{0};
  AskWhileWriting(
      80,
      [&](int step) {
        const absl::Status s = Write([&](StoreWriter& w) {
          return LogEntry(w, absl::StrCat("p", (step * 7) % kProjects),
                          1 + step % 6, 100 + step, now);
        });
        if (!s.ok()) ++errors;
      },
      3, 12,
      [&](int t, int i) {
        // Thread 0 asks the whole portfolio for June and September in
        // turn, each made of the other in place; the others ask June's
        // parks, narrowed from whichever holds the rows.
        const ProgressQuery q =
            t == 0 ? month_query(i % 2 == 0 ? 6 : 9)
                   : month_query(6, absl::StrCat("park", (i + t) % kParks));
        const absl::Status s = cache.Use(
            *store_, q, [&](StoreReader& r, Evaluation& e) -> absl::Status {
              // A call that waited may be answered from another's update,
              // a snapshot older than its own read's, so the ledger's
              // figures may trail this read's; the month's plans and the
              // month itself may not differ at all (plans do not change
              // here, and June's plan to date is not September's).
              ASSIGN_OR_RETURN(Evaluation fresh,
                               Evaluation::Read(r, q, thresholds_));
              if (e.rows().size() != fresh.rows().size()) {
                ++mismatched;
                return absl::OkStatus();
              }
              for (size_t k = 0; k < e.rows().size(); ++k) {
                const ProgressRow& kept = e.rows()[k];
                const ProgressRow& now = fresh.rows()[k];
                if (kept.project->id != now.project->id ||
                    kept.planned_to_date != now.planned_to_date ||
                    kept.completed_to_date > now.completed_to_date ||
                    e.statuses()[k].as_of_month != q.as_of_month) {
                  ++mismatched;
                }
              }
              return absl::OkStatus();
            });
        if (!s.ok()) ++errors;
      });
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(mismatched, 0);
  const EvaluationCache::Stats stats = cache.stats();
  EXPECT_GT(stats.moved_evaluations, 0);
  EXPECT_GT(stats.narrowed_reads + stats.derived_reads, 0);
}

// Months asked together, with room for one evaluation, while entries are
// logged: two unfiltered months made of each other in turn never wait for
// each other, and every answer holds what was acknowledged before it.
TEST_F(EvaluationCacheTest, MonthsAskedTogetherWithLittleRoom) {
  constexpr int kProjects = 24;
  AddRichYear(this, kProjects);
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  EvaluationCache cache(thresholds_, /*max_rows=*/kProjects + 5);
  auto month_query = [](int month) {
    ProgressQuery q = Queries().front();
    q.as_of_month = month;
    q.as_of_date = absl::CivilDay(kYear, month, 28);
    q.problems_at = absl::FromCivil(q.as_of_date + 1, absl::UTCTimeZone());
    return q;
  };
  const int kMonths[] = {6, 9, 12};
  // Each project's figures per month before the writer starts: what an
  // answer must exceed by at least what was acknowledged before it.
  std::map<int, std::map<std::string, ProgressRow>> base;
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    for (int m : kMonths) {
                      ASSIGN_OR_RETURN(std::vector<ProgressRow> rows,
                                       r.ListProgress(month_query(m)));
                      for (ProgressRow& row : rows) {
                        base[m][row.project->id] = std::move(row);
                      }
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  std::vector<std::atomic<int64_t>> acknowledged(kProjects);
  std::atomic<int> stale{0}, errors{0};
  AskWhileWriting(
      120,
      [&](int step) {
        const int project = (step * 5) % kProjects;
        const int64_t amount = 100 + step;
        // Months 1..6: in every question's months to date.
        const absl::Status s = Write([&](StoreWriter& w) {
          return LogEntry(w, absl::StrCat("p", project), 1 + step % 6, amount,
                          now);
        });
        if (s.ok()) {
          acknowledged[project] += amount;
        } else {
          ++errors;
        }
      },
      3, 6,
      [&](int t, int i) {
        ProgressQuery q = month_query(kMonths[(i + t) % 3]);
        if (t == 2 && i % 2 == 0) q.filter.park = "park1";
        std::vector<int64_t> before(kProjects);
        for (int p = 0; p < kProjects; ++p) before[p] = acknowledged[p];
        const absl::Status s = cache.Use(
            *store_, q, [&](StoreReader& r, Evaluation& e) -> absl::Status {
              ASSIGN_OR_RETURN(std::vector<ProgressRow> rows,
                               r.ListProgress(q));
              std::map<std::string, int64_t> seen;
              for (const ProgressRow& row : rows) {
                seen[row.project->id] = row.completed_to_date;
              }
              if (rows.size() != e.rows().size()) ++stale;
              for (const ProgressRow& row : e.rows()) {
                auto it = seen.find(row.project->id);
                const ProgressRow& was =
                    base.at(q.as_of_month).at(row.project->id);
                // Of the month asked (its plan to date, unchanged by the
                // writer), with every entry acknowledged before the call,
                // and nothing the call's own read cannot see.
                if (it == seen.end() || row.completed_to_date > it->second ||
                    row.planned_to_date != was.planned_to_date ||
                    row.report_month != was.report_month ||
                    row.completed_to_date - was.completed_to_date <
                        before[ProjectNumber(row)]) {
                  ++stale;
                }
              }
              return absl::OkStatus();
            });
        if (!s.ok()) ++errors;
      });
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(stale, 0);
  ExpectMatchesFresh(cache, {month_query(6), month_query(9), month_query(12)},
                     "quiet");
  EXPECT_GT(cache.stats().moved_evaluations, 0);
}

void AddRichYear(EvaluationCacheTest* t, int projects) {
  const absl::Time now =
      absl::FromCivil(absl::CivilDay(kYear, 1, 3), absl::UTCTimeZone());
  const char* const kKinds[] = {"start", "completion", "in_operation",
                                "structure_complete", "other"};
  const char* const kStages[] = {"new_start", "continuing", "completed",
                                 "in_operation"};
  ASSERT_TRUE(
      t->store()
          .Write([&](StoreWriter& w) -> absl::Status {
            for (int i = 0; i < projects; ++i) {
              ProjectRecord p;
              p.id = absl::StrCat("p", i);
              p.display_name = p.id;
              p.park = absl::StrCat("park", i % 3);
              p.stage = kStages[i % 4];
              RETURN_IF_ERROR(w.InsertProject(p, now));
              if (i % 5 != 4) {
                PlanRecord plan;
                plan.project_id = p.id;
                plan.year = kYear;
                plan.updated_by = "m";
                for (int m = 0; m < 12; ++m) {
                  plan.monthly.push_back(10000 * ((i + m) % 7));
                }
                plan.monthly[11] += 10000;
                for (int64_t v : plan.monthly) plan.amount += v;
                RETURN_IF_ERROR(w.PutPlan(plan, now));
                if (i % 3 == 0) {  // revised: the baseline differs
                  plan.monthly[5] += 50000;
                  plan.amount += 50000;
                  plan.revision_reason = "调整";
                  RETURN_IF_ERROR(w.PutPlan(plan, now + absl::Hours(1)));
                }
              }
              for (int m = 1; m <= 12; ++m) {
                if ((i + m) % 4 == 0) continue;  // months not reported
                EntryRecord e;
                e.project_id = p.id;
                e.period = absl::CivilMonth(kYear, m);
                e.amount = 7000 * (1 + (i * m) % 5);
                e.reported_by = "lead";
                e.report_time = now;
                absl::StatusOr<int64_t> id = w.AppendEntry(e);
                RETURN_IF_ERROR(id.status());
                if ((i + m) % 5 == 0) {  // corrected, once to nothing
                  e.corrects = *id;
                  e.amount = (i % 2 == 0) ? -e.amount : -1000;
                  e.reason = "更正";
                  RETURN_IF_ERROR(w.AppendEntry(e).status());
                }
              }
              std::optional<absl::CivilDay> first_planned;
              for (int k = 0; k < 1 + i % 4; ++k) {
                MilestoneRecord ms;
                ms.project_id = p.id;
                absl::StatusOr<std::string> id = w.NextMilestoneId(p.id);
                RETURN_IF_ERROR(id.status());
                ms.id = *id;
                ms.kind = kKinds[(i + k) % 5];
                ms.display_name = "节点";
                // Some on a month's last day: the as-of date itself.
                const int month = 1 + (i * 3 + k) % 12;
                if ((i + k) % 7 != 6) {
                  ms.planned_date =
                      i % 3 == 0
                          ? absl::CivilDay(kYear, month + 1, 1) - 1
                          : absl::CivilDay(kYear - (k == 3 ? 1 : 0), month,
                                           i % 3 == 1 ? 28 : 1 + k);
                }
                // Ties, told apart by id: a second milestone planned on
                // the first one's day, not reached.
                const bool tie = i % 5 == 2 && k == 1;
                if (tie) ms.planned_date = first_planned;
                if (k == 0) first_planned = ms.planned_date;
                if ((i + k) % 3 == 0 && !tie) {
                  const int reached = 1 + (i + 5 * k) % 12;
                  ms.actual_date =
                      k % 2 == 0 ? absl::CivilDay(kYear, reached + 1, 1) - 1
                                 : absl::CivilDay(kYear, reached, 15);
                }
                RETURN_IF_ERROR(w.InsertMilestone(ms, now));
              }
              absl::Time first_opened;
              std::optional<absl::CivilDay> first_deadline;
              for (int k = 0; k < i % 3; ++k) {
                ProblemRecord q;
                q.project_id = p.id;
                absl::StatusOr<std::string> id = w.NextProblemId(p.id);
                RETURN_IF_ERROR(id.status());
                q.id = *id;
                q.category = "land";
                q.description = "用地";
                q.opened_by = "lead";
                // Some opened or resolved at a month's first instant: the
                // instant problems are counted at for the month before.
                q.create_time =
                    absl::FromCivil(absl::CivilDay(kYear, 1 + (i + 4 * k) % 12,
                                                   k == 0 ? 1 : 10),
                                    absl::UTCTimeZone());
                if (k != 1) {
                  const int month = 1 + (i + 2 * k + 1) % 12;
                  // Some due on a month's last day: the as-of date.
                  q.deadline = k == 0 ? absl::CivilDay(kYear, month + 1, 1) - 1
                                      : absl::CivilDay(kYear, month, 20);
                }
                // Ties, told apart by id: a second problem opened at the
                // first one's instant, due the same day, never resolved.
                const bool tie = i % 5 == 2 && k == 1;
                if (tie) {
                  q.create_time = first_opened;
                  q.deadline = first_deadline;
                }
                if (k == 0) {
                  first_opened = q.create_time;
                  first_deadline = q.deadline;
                }
                RETURN_IF_ERROR(w.InsertProblem(q, now));
                if ((i + k) % 2 == 0 && i % 5 != 2) {
                  q.state = "resolved";
                  q.resolved_by = "m";
                  q.resolve_time =
                      i % 4 == 0
                          ? absl::FromCivil(
                                absl::CivilDay(kYear, 2 + (i + 4 * k) % 11, 1),
                                absl::UTCTimeZone())
                          : q.create_time + absl::Hours(24 * (20 + 9 * k));
                  RETURN_IF_ERROR(w.UpdateProblem(q, now));
                }
              }
            }
            return absl::OkStatus();
          })
          .ok());
}

TEST_F(EvaluationCacheTest, MarksNameExactlyTheProjectsAWriteTouched) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  ASSERT_TRUE(Write([&](StoreWriter& w) -> absl::Status {
                for (const char* id : {"a", "b", "c"}) {
                  ProjectRecord p;
                  p.id = id;
                  p.display_name = id;
                  RETURN_IF_ERROR(w.InsertProject(p, now));
                }
                return absl::OkStatus();
              }).ok());
  auto marked_by = [&](absl::FunctionRef<absl::Status(StoreWriter&)> fn) {
    ProgressMark before;
    std::vector<std::string> ids;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      absl::StatusOr<ProgressMark> m = r.LatestProgressMark();
                      if (!m.ok()) return m.status();
                      before = *m;
                      return absl::OkStatus();
                    })
                    .ok());
    EXPECT_TRUE(store_->Write(fn).ok());
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      absl::StatusOr<std::vector<std::string>> got =
                          r.ProjectsMarkedAfter(before, 100);
                      if (!got.ok()) return got.status();
                      ids = *got;
                      return absl::OkStatus();
                    })
                    .ok());
    return ids;
  };
  using Ids = std::vector<std::string>;
  EXPECT_EQ(marked_by([&](StoreWriter& w) {
              EntryRecord e;
              e.project_id = "b";
              e.period = absl::CivilMonth(kYear, 2);
              e.amount = 5;
              e.reported_by = "x";
              e.report_time = now;
              return w.AppendEntry(e).status();
            }),
            Ids({"b"}));
  EXPECT_EQ(marked_by([&](StoreWriter& w) {
              PlanRecord plan;
              plan.project_id = "c";
              plan.year = kYear;
              plan.amount = 12;
              plan.monthly.assign(12, 1);
              plan.updated_by = "m";
              return w.PutPlan(plan, now);
            }),
            Ids({"c"}));
  EXPECT_EQ(marked_by([&](StoreWriter& w) -> absl::Status {
              absl::StatusOr<ProjectRecord> p = w.GetProject("a");
              if (!p.ok()) return p.status();
              p->leads = {"u1"};
              p->levels = {{kYear, "city"}};
              RETURN_IF_ERROR(w.UpdateProject(*p, now));
              ProblemRecord q;
              q.project_id = "c";
              q.id = "q1";
              q.category = "land";
              q.description = "d";
              q.opened_by = "u1";
              q.create_time = now;
              return w.InsertProblem(q, now);
            }),
            Ids({"a", "c"}));
  // Writes that no progress is read from mark nothing.
  EXPECT_EQ(marked_by([&](StoreWriter& w) -> absl::Status {
              PortfolioRecord p;
              p.year = kYear;
              RETURN_IF_ERROR(w.PutPortfolio(p, now));
              UserRecord u;
              u.id = "u9";
              u.display_name = "U";
              u.role = "viewer";
              RETURN_IF_ERROR(w.InsertUser(u));
              return w.PutSetting("k", "v");
            }),
            Ids());
}

}  // namespace
}  // namespace portfolio
