// The contract every Store implementation must meet. Each implementation
// is one instance of the parameterised suite (see INSTANTIATE_TEST_SUITE_P
// at the bottom); the tests speak only store.h.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/amount.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/records.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

using ::testing::ElementsAre;

const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}

#define ASSERT_OK(expr)                                       \
  do {                                                        \
    const absl::Status assert_ok_status_ = StatusOf(expr);    \
    ASSERT_TRUE(assert_ok_status_.ok()) << assert_ok_status_; \
  } while (0)

#define CONTRACT_CONCAT_INNER_(a, b) a##b
#define CONTRACT_CONCAT_(a, b) CONTRACT_CONCAT_INNER_(a, b)
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(CONTRACT_CONCAT_(status_or_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  ASSERT_TRUE(tmp.ok()) << tmp.status();           \
  lhs = std::move(tmp).value()

// How to open one implementation: a store kept in `dir`, created on first
// use and reopened with its data on later calls.
struct StoreFactory {
  const char* name;
  absl::StatusOr<std::unique_ptr<Store>> (*open)(const std::string& dir);
};

void PrintTo(const StoreFactory& f, std::ostream* os) { *os << f.name; }

std::vector<int64_t> Months(int64_t each) {
  return std::vector<int64_t>(12, each);
}

absl::CivilMonth Period(int year, int month) {
  return absl::CivilMonth(year, month);
}

PortfolioRecord Portfolio(int year) {
  PortfolioRecord p;
  p.year = year;
  return p;
}

std::vector<std::string> Ids(const std::vector<ProjectRecord>& projects) {
  std::vector<std::string> ids;
  for (const ProjectRecord& p : projects) ids.push_back(p.id);
  return ids;
}

std::vector<std::string> LevelStrings(const ProjectRecord& p) {
  std::vector<std::string> out;
  for (const YearLevelRecord& l : p.levels) {
    out.push_back(absl::StrCat(l.year, ":", l.level));
  }
  return out;
}

class StoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override { Reopen(); }

  // Closes the store (when open) and opens it again on the same files.
  void Reopen() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<Store>> store = GetParam().open(dir_.path());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  Store& store() { return *store_; }

  // Advances the fake clock a minute and returns the new time.
  absl::Time Tick() {
    clock_.Set(clock_.Now() + absl::Minutes(1));
    return clock_.Now();
  }

  // Runs `fn` (returning a Status or StatusOr) in one read transaction.
  template <typename Fn>
  auto Read(Fn fn) -> decltype(fn(std::declval<StoreReader&>())) {
    using Result = decltype(fn(std::declval<StoreReader&>()));
    std::optional<Result> result;
    const absl::Status status = store_->Read([&](StoreReader& r) {
      result.emplace(fn(r));
      return absl::OkStatus();
    });
    if (!status.ok()) return Result(status);
    return *std::move(result);
  }

  // Calls one StoreReader method in its own read transaction.
  template <typename Method, typename... Args>
  auto ReadOne(Method method, const Args&... args) {
    return Read([&](StoreReader& r) { return (r.*method)(args...); });
  }

  // Runs `fn` in one write transaction, committed when its result is OK.
  template <typename Fn>
  auto Write(Fn fn) -> decltype(fn(std::declval<StoreWriter&>())) {
    using Result = decltype(fn(std::declval<StoreWriter&>()));
    std::optional<Result> result;
    const absl::Status status = store_->Write([&](StoreWriter& w) {
      result.emplace(fn(w));
      return StatusOf(*result);
    });
    if (!status.ok()) return Result(status);
    return *std::move(result);
  }

  absl::Status InsertProject(const ProjectRecord& p) {
    const absl::Time now = Tick();
    return Write([&](StoreWriter& w) { return w.InsertProject(p, now); });
  }
  absl::Status InsertProject(const std::string& id) {
    return InsertProject(MinimalProject(id));
  }
  absl::StatusOr<ProjectRecord> GetProject(const std::string& id) {
    return ReadOne(&StoreReader::GetProject, id);
  }
  absl::StatusOr<ProjectPage> ListProjects(const ProjectQuery& q) {
    return Read([&](StoreReader& r) { return r.ListProjects(q); });
  }
  // The ids ListProjects returns for `filter`, ordered by id.
  std::vector<std::string> IdsMatching(const ProjectFilter& filter) {
    ProjectQuery q;
    q.filter = filter;
    absl::StatusOr<ProjectPage> page = ListProjects(q);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? Ids(page->projects) : std::vector<std::string>();
  }
  std::vector<std::string> IdsInOrder(ProjectOrder order, bool descending) {
    ProjectQuery q;
    q.order = order;
    q.descending = descending;
    absl::StatusOr<ProjectPage> page = ListProjects(q);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? Ids(page->projects) : std::vector<std::string>();
  }

  absl::Status PutPlan(const std::string& project, int year, int64_t amount,
                       std::vector<int64_t> monthly) {
    PlanRecord plan;
    plan.project_id = project;
    plan.year = year;
    plan.amount = amount;
    plan.monthly = std::move(monthly);
    plan.updated_by = "planner";
    const absl::Time now = Tick();
    return Write([&](StoreWriter& w) { return w.PutPlan(plan, now); });
  }

  absl::Status InsertMilestone(const MilestoneRecord& m) {
    const absl::Time now = Tick();
    return Write([&](StoreWriter& w) { return w.InsertMilestone(m, now); });
  }

  absl::StatusOr<int64_t> Append(const EntryRecord& e) {
    return Write([&](StoreWriter& w) { return w.AppendEntry(e); });
  }
  absl::StatusOr<int64_t> Append(const std::string& project,
                                 absl::CivilMonth period, int64_t amount) {
    return Append(Entry(project, period, amount));
  }
  absl::StatusOr<int64_t> Correct(int64_t entry, const std::string& project,
                                  absl::CivilMonth period, int64_t amount) {
    EntryRecord e = Entry(project, period, amount);
    e.corrects = entry;
    e.reason = "typo in the monthly report";
    return Append(e);
  }

  static ProjectRecord MinimalProject(const std::string& id) {
    ProjectRecord p;
    p.id = id;
    p.display_name = absl::StrCat("项目 ", id);
    return p;
  }
  EntryRecord Entry(const std::string& project, absl::CivilMonth period,
                    int64_t amount) {
    EntryRecord e;
    e.project_id = project;
    e.period = period;
    e.amount = amount;
    e.reported_by = "lead-1";
    e.report_time = Tick();
    return e;
  }
  static MilestoneRecord Milestone(const std::string& project,
                                   const std::string& id,
                                   const std::string& kind,
                                   std::optional<absl::CivilDay> planned) {
    MilestoneRecord m;
    m.project_id = project;
    m.id = id;
    m.kind = kind;
    m.display_name = absl::StrCat("节点 ", id);
    m.planned_date = planned;
    return m;
  }

  testing::TempDir dir_;
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2024, 7, 15, 9, 0, 0),
                                   DistrictTimeZone())};
  std::unique_ptr<Store> store_;
};

// ---- projects ----

ProjectRecord FullProject() {
  ProjectRecord p;
  p.id = "cp-001";
  p.display_name = "茌平区新材料产业园项目";
  p.owner = "某某集团";
  p.chapter = 2;
  p.sector = "新材料";
  p.park = "高新区";
  p.levels = {{2023, "city"}, {2024, "provincial"}};
  p.stage = "new_start";
  p.total_investment = 1200000000;
  p.planned_start = absl::CivilDay(2024, 3, 1);
  p.planned_end = absl::CivilDay(2026, 12, 31);
  p.national_code = "2401-371523-04-01-123456";
  p.capacity = "年产10万吨";
  p.leads = {"alice", "bob"};
  p.source = "二、(三)";
  return p;
}

TEST_P(StoreContractTest, InsertedProjectReadsBackWithEveryField) {
  const ProjectRecord p = FullProject();
  ASSERT_OK(InsertProject(p));
  const absl::Time inserted = clock_.Now();
  ASSERT_OK_AND_ASSIGN(ProjectRecord got, GetProject("cp-001"));
  EXPECT_EQ(got.id, p.id);
  EXPECT_EQ(got.display_name, p.display_name);
  EXPECT_EQ(got.owner, p.owner);
  EXPECT_EQ(got.chapter, p.chapter);
  EXPECT_EQ(got.sector, p.sector);
  EXPECT_EQ(got.park, p.park);
  EXPECT_THAT(LevelStrings(got), ElementsAre("2023:city", "2024:provincial"));
  EXPECT_EQ(got.stage, p.stage);
  EXPECT_EQ(got.total_investment, p.total_investment);
  EXPECT_EQ(got.planned_start, p.planned_start);
  EXPECT_EQ(got.planned_end, p.planned_end);
  EXPECT_EQ(got.national_code, p.national_code);
  EXPECT_EQ(got.capacity, p.capacity);
  EXPECT_THAT(got.leads, ElementsAre("alice", "bob"));
  EXPECT_EQ(got.source, p.source);
  EXPECT_EQ(got.version, 1);
  EXPECT_EQ(got.create_time, inserted);
  EXPECT_EQ(got.update_time, inserted);
}

TEST_P(StoreContractTest, UnsetOptionalProjectFieldsStayUnset) {
  ASSERT_OK(InsertProject("cp-001"));
  ASSERT_OK_AND_ASSIGN(ProjectRecord got, GetProject("cp-001"));
  EXPECT_EQ(got.total_investment, std::nullopt);
  EXPECT_EQ(got.planned_start, std::nullopt);
  EXPECT_EQ(got.planned_end, std::nullopt);
  EXPECT_THAT(got.levels, ElementsAre());
  EXPECT_THAT(got.leads, ElementsAre());
}

TEST_P(StoreContractTest, ZeroTotalInvestmentIsNotUnset) {
  ProjectRecord p = MinimalProject("cp-001");
  p.total_investment = 0;
  ASSERT_OK(InsertProject(p));
  ASSERT_OK_AND_ASSIGN(ProjectRecord got, GetProject("cp-001"));
  EXPECT_EQ(got.total_investment, 0);
}

TEST_P(StoreContractTest, InsertingATakenIdIsAlreadyExists) {
  ASSERT_OK(InsertProject("cp-001"));
  EXPECT_EQ(InsertProject("cp-001").code(), absl::StatusCode::kAlreadyExists);
}

TEST_P(StoreContractTest, GettingAMissingProjectIsNotFound) {
  EXPECT_EQ(GetProject("nope").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreContractTest, CheckProjectExistsAgreesWithGetProject) {
  ASSERT_OK(InsertProject("cp-001"));
  ASSERT_OK(
      Read([](StoreReader& r) { return r.CheckProjectExists("cp-001"); }));
  const absl::Status missing =
      Read([](StoreReader& r) { return r.CheckProjectExists("nope"); });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing, GetProject("nope").status());
}

TEST_P(StoreContractTest, UpdateReplacesFieldsAndBumpsVersion) {
  ASSERT_OK(InsertProject(FullProject()));
  const absl::Time created = clock_.Now();
  ProjectRecord changed = FullProject();
  changed.display_name = "改名后的项目";
  changed.levels = {{2025, "district"}};
  changed.leads = {"carol"};
  changed.total_investment = std::nullopt;
  changed.stage = "continuing";
  const absl::Time updated = Tick();
  ASSERT_OK(
      Write([&](StoreWriter& w) { return w.UpdateProject(changed, updated); }));

  ASSERT_OK_AND_ASSIGN(ProjectRecord got, GetProject("cp-001"));
  EXPECT_EQ(got.display_name, "改名后的项目");
  EXPECT_THAT(LevelStrings(got), ElementsAre("2025:district"));
  EXPECT_THAT(got.leads, ElementsAre("carol"));
  EXPECT_EQ(got.total_investment, std::nullopt);
  EXPECT_EQ(got.stage, "continuing");
  EXPECT_EQ(got.version, 2);
  EXPECT_EQ(got.create_time, created);
  EXPECT_EQ(got.update_time, updated);
}

TEST_P(StoreContractTest, EveryUpdateBumpsVersionAgain) {
  ASSERT_OK(InsertProject("cp-001"));
  for (int i = 0; i < 2; ++i) {
    const absl::Time now = Tick();
    ASSERT_OK(Write([&](StoreWriter& w) {
      return w.UpdateProject(MinimalProject("cp-001"), now);
    }));
  }
  ASSERT_OK_AND_ASSIGN(ProjectRecord got, GetProject("cp-001"));
  EXPECT_EQ(got.version, 3);
}

TEST_P(StoreContractTest, UpdatingAMissingProjectIsNotFound) {
  const absl::Time now = Tick();
  EXPECT_EQ(Write([&](StoreWriter& w) {
              return w.UpdateProject(MinimalProject("nope"), now);
            }).code(),
            absl::StatusCode::kNotFound);
}

// The projects changed since a mark come from two places: the stamps
// (project records here) and the ledger's ids. Both count towards the
// limit, a project named by both comes once, and the answer is ordered.
TEST_P(StoreContractTest, ProjectsMarkedAfterJoinsStampsAndLedgerUpToTheLimit) {
  for (const char* id : {"p1", "p2", "p3", "p4", "p5"}) {
    ASSERT_TRUE(InsertProject(id).ok());
  }
  auto latest = [&] {
    return Read([](StoreReader& r) { return r.LatestProgressMark(); });
  };
  auto after = [&](const ProgressMark& mark, int64_t limit) {
    return Read(
        [&](StoreReader& r) { return r.ProjectsMarkedAfter(mark, limit); });
  };
  ASSERT_OK_AND_ASSIGN(const ProgressMark before, latest());
  for (const char* id : {"p4", "p2", "p3"}) {
    ASSERT_TRUE(Append(id, Period(2024, 3), 100).ok());
  }
  const absl::Time now = Tick();
  ASSERT_TRUE(Write([&](StoreWriter& w) {
                return w.UpdateProject(MinimalProject("p5"), now);
              }).ok());
  ASSERT_TRUE(Append("p5", Period(2024, 4), 100).ok());
  ASSERT_OK_AND_ASSIGN(const ProgressMark now_mark, latest());
  EXPECT_GT(now_mark.marks, before.marks);
  EXPECT_GT(now_mark.entries, before.entries);
  using Ids = std::vector<std::string>;
  ASSERT_OK_AND_ASSIGN(const Ids all, after(before, 10));
  EXPECT_EQ(all, (Ids{"p2", "p3", "p4", "p5"}));
  ASSERT_OK_AND_ASSIGN(const Ids three, after(before, 3));
  EXPECT_EQ(three.size(), 3u);
  EXPECT_TRUE(std::is_sorted(three.begin(), three.end()));
  ASSERT_OK_AND_ASSIGN(const Ids none, after(now_mark, 10));
  EXPECT_EQ(none, Ids{});
  // Only the ledger moved: only its project.
  ASSERT_TRUE(Append("p1", Period(2024, 5), 100).ok());
  ASSERT_OK_AND_ASSIGN(const Ids one, after(now_mark, 10));
  EXPECT_EQ(one, Ids{"p1"});
  // Many entries of one project count once towards the limit.
  ASSERT_OK_AND_ASSIGN(const ProgressMark later, latest());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Append("p1", Period(2024, 6), 100 + i).ok());
  }
  for (const char* id : {"p2", "p3", "p4"}) {
    ASSERT_TRUE(Append(id, Period(2024, 6), 100).ok());
  }
  ASSERT_OK_AND_ASSIGN(const Ids four, after(later, 10));
  EXPECT_EQ(four, (Ids{"p1", "p2", "p3", "p4"}));
  ASSERT_OK_AND_ASSIGN(const Ids first_three, after(later, 3));
  EXPECT_EQ(first_three.size(), 3u);
}

// The same changes told apart: the projects stamped (ordered, one each)
// and every ledger entry with what it adds, in ledger order, each side up
// to its own limit.
TEST_P(StoreContractTest, ProgressChangesAfterTellsStampsFromEntries) {
  for (const char* id : {"p1", "p2", "p3"}) {
    ASSERT_TRUE(InsertProject(id).ok());
  }
  auto latest = [&] {
    return Read([](StoreReader& r) { return r.LatestProgressMark(); });
  };
  auto after = [&](const ProgressMark& mark, int64_t stamps, int64_t entries) {
    return Read([&](StoreReader& r) {
      return r.ProgressChangesAfter(mark, stamps, entries);
    });
  };
  ASSERT_OK_AND_ASSIGN(const ProgressMark before, latest());
  ASSERT_TRUE(Append("p3", Period(2024, 3), 100).ok());
  const absl::Time now = Tick();
  for (const char* id : {"p2", "p1", "p2"}) {
    ASSERT_TRUE(Write([&](StoreWriter& w) {
                  return w.UpdateProject(MinimalProject(id), now);
                }).ok());
  }
  ASSERT_TRUE(Append("p1", Period(2023, 12), 250).ok());
  ASSERT_OK_AND_ASSIGN(const int64_t seven, Append("p3", Period(2024, 3), 7));
  auto described = [](const ProgressChanges& c) {
    std::vector<std::string> out;
    for (const ProgressChanges::Entry& e : c.entries) {
      out.push_back(
          absl::StrCat(e.project_id, " ", e.year, "-", e.month, " ", e.amount));
    }
    return out;
  };
  using Texts = std::vector<std::string>;
  ASSERT_OK_AND_ASSIGN(const ProgressChanges all, after(before, 10, 10));
  EXPECT_EQ(all.stamped, (Texts{"p1", "p2"}));
  EXPECT_EQ(described(all),
            (Texts{"p3 2024-3 100", "p1 2023-12 250", "p3 2024-3 7"}));
  // The first entries, with every stamp.
  ASSERT_OK_AND_ASSIGN(const ProgressChanges few, after(before, 3, 2));
  EXPECT_EQ(few.stamped, (Texts{"p1", "p2"}));
  EXPECT_EQ(described(few), (Texts{"p3 2024-3 100", "p1 2023-12 250"}));
  // Stamps that fill their limit: the first (by number; p1's latest is
  // older than p2's), and no entries, which the caller would not use.
  ASSERT_OK_AND_ASSIGN(const ProgressChanges full, after(before, 1, 10));
  EXPECT_EQ(full.stamped, Texts{"p1"});
  EXPECT_TRUE(full.entries.empty());
  ASSERT_OK_AND_ASSIGN(const ProgressMark now_mark, latest());
  ASSERT_OK_AND_ASSIGN(const ProgressChanges none, after(now_mark, 10, 10));
  EXPECT_TRUE(none.stamped.empty());
  EXPECT_TRUE(none.entries.empty());
  // Only the ledger moved: no stamp, the one entry.
  ASSERT_TRUE(Correct(seven, "p3", Period(2024, 3), -4).ok());
  ASSERT_OK_AND_ASSIGN(const ProgressChanges one, after(now_mark, 10, 10));
  EXPECT_TRUE(one.stamped.empty());
  EXPECT_EQ(described(one), Texts{"p3 2024-3 -4"});
}

// The ledger's entries, their sizes summed, stay within kMaxLedgerMagnitude,
// so no sum of them can overflow; a correction counts by its size, and a
// refused entry writes nothing.
TEST_P(StoreContractTest, TheLedgersSizeIsCapped) {
  ASSERT_TRUE(InsertProject("p1").ok());
  constexpr int64_t kFour = 4'000'000'000'000'000'000;
  ASSERT_OK_AND_ASSIGN(const int64_t first,
                       Append("p1", Period(2024, 3), kFour));
  ASSERT_TRUE(Append("p1", Period(2024, 4), kFour).ok());
  const absl::Status past =
      Append("p1", Period(2024, 5), kMaxLedgerMagnitude - 2 * kFour + 1)
          .status();
  EXPECT_EQ(past.code(), absl::StatusCode::kFailedPrecondition) << past;
  EXPECT_THAT(past.message(), ::testing::HasSubstr("amount: "));
  EXPECT_THAT(past.message(),
              ::testing::HasSubstr("9,000,000,000,000,000,000"));
  // A correction down still adds its size: up to the cap exactly, then no
  // more, not even one yuan.
  ASSERT_TRUE(
      Correct(first, "p1", Period(2024, 3), -(kMaxLedgerMagnitude - 2 * kFour))
          .ok());
  EXPECT_EQ(Append("p1", Period(2024, 6), 1).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_OK_AND_ASSIGN(const int64_t total, Read([](StoreReader& r) {
                         return r.ProjectLedgerTotal("p1");
                       }));
  EXPECT_EQ(total, 2 * kFour - (kMaxLedgerMagnitude - 2 * kFour));
}

// The authenticator keeps what it read about a token until this number
// moves: every committed change to who may do what moves it, and the
// month-end writes and a token's last use leave it alone.
TEST_P(StoreContractTest, AccessVersionMovesWithUsersAndTokensOnly) {
  int64_t version = store().AccessVersion();
  auto moved = [&] {
    const int64_t now = store().AccessVersion();
    const bool changed = now != version;
    EXPECT_GE(now, version);
    version = now;
    return changed;
  };
  UserRecord user;
  user.id = "lead-li";
  user.role = "lead";
  ASSERT_TRUE(Write([&](StoreWriter& w) { return w.InsertUser(user); }).ok());
  EXPECT_TRUE(moved());
  TokenRecord token;
  token.id = "t1";
  token.user_id = "lead-li";
  token.secret_hash = std::string(32, 'x');
  ASSERT_TRUE(Write([&](StoreWriter& w) { return w.InsertToken(token); }).ok());
  EXPECT_TRUE(moved());
  ASSERT_TRUE(
      Write([&](StoreWriter& w) { return w.TouchToken("t1", Tick()); }).ok());
  EXPECT_FALSE(moved());
  ASSERT_TRUE(InsertProject("p1").ok());
  EXPECT_FALSE(moved());
  user.disabled = true;
  ASSERT_TRUE(Write([&](StoreWriter& w) { return w.UpdateUser(user); }).ok());
  EXPECT_TRUE(moved());
  ASSERT_TRUE(
      Write([&](StoreWriter& w) { return w.RevokeToken("t1", Tick()); }).ok());
  EXPECT_TRUE(moved());
  // A change rolled back moves it too: needless, but never missed.
  EXPECT_FALSE(Write([&](StoreWriter& w) -> absl::Status {
                 RETURN_IF_ERROR(w.RevokeToken("t1", Tick()));
                 return absl::AbortedError("changed my mind");
               }).ok());
  EXPECT_TRUE(moved());
}

// ---- listing projects ----

class StoreListProjectsTest : public StoreContractTest {
 protected:
  // Four projects whose id, display_name and total_investment orders differ.
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreContractTest::SetUp());
    ProjectRecord a = MinimalProject("p-a");
    a.display_name = "Delta";
    a.chapter = 1;
    a.park = "east";
    a.sector = "energy";
    a.stage = "new_start";
    a.levels = {{2023, "city"}, {2024, "provincial"}};
    a.leads = {"alice"};
    a.total_investment = 300;
    ProjectRecord b = MinimalProject("p-b");
    b.display_name = "Alpha";
    b.chapter = 2;
    b.park = "west";
    b.sector = "energy";
    b.stage = "continuing";
    b.levels = {{2024, "city"}};
    b.leads = {"alice", "bob"};
    ProjectRecord c = MinimalProject("p-c");
    c.display_name = "Charlie";
    c.chapter = 1;
    c.park = "west";
    c.sector = "materials";
    c.stage = "new_start";
    c.levels = {{2023, "provincial"}, {2024, "provincial"}};
    c.total_investment = 100;
    ProjectRecord d = MinimalProject("p-d");
    d.display_name = "Bravo";
    d.leads = {"bob"};
    d.total_investment = 200;
    // Inserted out of id order on purpose.
    for (const ProjectRecord& p : {c, a, d, b}) ASSERT_OK(InsertProject(p));
  }
};

ProjectFilter LevelFilter(const std::string& level, int year) {
  ProjectFilter f;
  f.level = level;
  f.level_year = year;
  return f;
}

TEST_P(StoreListProjectsTest, NoFilterListsAllById) {
  EXPECT_THAT(IdsMatching({}), ElementsAre("p-a", "p-b", "p-c", "p-d"));
}

TEST_P(StoreListProjectsTest, FilterByLevelOfAYear) {
  EXPECT_THAT(IdsMatching(LevelFilter("provincial", 2024)),
              ElementsAre("p-a", "p-c"));
  EXPECT_THAT(IdsMatching(LevelFilter("provincial", 2023)), ElementsAre("p-c"));
  EXPECT_THAT(IdsMatching(LevelFilter("city", 2023)), ElementsAre("p-a"));
  EXPECT_THAT(IdsMatching(LevelFilter("district", 2024)), ElementsAre());
}

TEST_P(StoreListProjectsTest, FilterByChapter) {
  ProjectFilter f;
  f.chapter = 1;
  EXPECT_THAT(IdsMatching(f), ElementsAre("p-a", "p-c"));
  f.chapter = 0;
  EXPECT_THAT(IdsMatching(f), ElementsAre("p-d"));
}

TEST_P(StoreListProjectsTest, FilterByPark) {
  ProjectFilter f;
  f.park = "west";
  EXPECT_THAT(IdsMatching(f), ElementsAre("p-b", "p-c"));
}

TEST_P(StoreListProjectsTest, FilterBySector) {
  ProjectFilter f;
  f.sector = "energy";
  EXPECT_THAT(IdsMatching(f), ElementsAre("p-a", "p-b"));
}

TEST_P(StoreListProjectsTest, FilterByStage) {
  ProjectFilter f;
  f.stage = "new_start";
  EXPECT_THAT(IdsMatching(f), ElementsAre("p-a", "p-c"));
}

TEST_P(StoreListProjectsTest, FilterByLead) {
  ProjectFilter f;
  f.lead = "bob";
  EXPECT_THAT(IdsMatching(f), ElementsAre("p-b", "p-d"));
}

TEST_P(StoreListProjectsTest, FilterById) {
  ProjectFilter f;
  f.id = "p-c";
  EXPECT_THAT(IdsMatching(f), ElementsAre("p-c"));
}

TEST_P(StoreListProjectsTest, FiltersCombineWithAnd) {
  ProjectFilter f;
  f.park = "west";
  f.stage = "new_start";
  EXPECT_THAT(IdsMatching(f), ElementsAre("p-c"));
}

TEST_P(StoreListProjectsTest, OrderByIdDescending) {
  EXPECT_THAT(IdsInOrder(ProjectOrder::kId, true),
              ElementsAre("p-d", "p-c", "p-b", "p-a"));
}

TEST_P(StoreListProjectsTest, OrderByDisplayName) {
  EXPECT_THAT(IdsInOrder(ProjectOrder::kDisplayName, false),
              ElementsAre("p-b", "p-d", "p-c", "p-a"));
  EXPECT_THAT(IdsInOrder(ProjectOrder::kDisplayName, true),
              ElementsAre("p-a", "p-c", "p-d", "p-b"));
}

TEST_P(StoreListProjectsTest, OrderByTotalInvestmentPutsUnknownLast) {
  EXPECT_THAT(IdsInOrder(ProjectOrder::kTotalInvestment, false),
              ElementsAre("p-c", "p-d", "p-a", "p-b"));
  EXPECT_THAT(IdsInOrder(ProjectOrder::kTotalInvestment, true),
              ElementsAre("p-a", "p-d", "p-c", "p-b"));
}

TEST_P(StoreListProjectsTest, OffsetAndLimitPageWhileTotalCountsAll) {
  ProjectQuery q;
  q.offset = 1;
  q.limit = 2;
  ASSERT_OK_AND_ASSIGN(ProjectPage page, ListProjects(q));
  EXPECT_THAT(Ids(page.projects), ElementsAre("p-b", "p-c"));
  EXPECT_EQ(page.total, 4);
}

TEST_P(StoreListProjectsTest, TotalCountsOnlyMatchingProjects) {
  ProjectQuery q;
  q.filter.lead = "bob";
  q.limit = 1;
  ASSERT_OK_AND_ASSIGN(ProjectPage page, ListProjects(q));
  EXPECT_THAT(Ids(page.projects), ElementsAre("p-b"));
  EXPECT_EQ(page.total, 2);
}

TEST_P(StoreListProjectsTest, OffsetPastTheEndIsEmpty) {
  ProjectQuery q;
  q.offset = 10;
  ASSERT_OK_AND_ASSIGN(ProjectPage page, ListProjects(q));
  EXPECT_THAT(page.projects, ElementsAre());
  EXPECT_EQ(page.total, 4);
}

TEST_P(StoreListProjectsTest, ListedProjectsCarryLevelsAndLeads) {
  ProjectFilter f;
  f.id = "p-b";
  ProjectQuery q;
  q.filter = f;
  ASSERT_OK_AND_ASSIGN(ProjectPage page, ListProjects(q));
  ASSERT_EQ(page.projects.size(), 1u);
  EXPECT_THAT(LevelStrings(page.projects[0]), ElementsAre("2024:city"));
  EXPECT_THAT(page.projects[0].leads, ElementsAre("alice", "bob"));
}

// ---- plans ----

TEST_P(StoreContractTest, PutPlanCreatesAPlan) {
  ASSERT_OK(InsertProject("cp-001"));
  std::vector<int64_t> monthly = Months(100);
  monthly[11] = 300;
  ASSERT_OK(PutPlan("cp-001", 2024, 1400, monthly));
  const absl::Time put = clock_.Now();
  ASSERT_OK_AND_ASSIGN(PlanRecord plan,
                       ReadOne(&StoreReader::GetPlan, "cp-001", 2024));
  EXPECT_EQ(plan.project_id, "cp-001");
  EXPECT_EQ(plan.year, 2024);
  EXPECT_EQ(plan.amount, 1400);
  EXPECT_EQ(plan.monthly, monthly);
  EXPECT_EQ(plan.updated_by, "planner");
  EXPECT_EQ(plan.version, 1);
  EXPECT_EQ(plan.update_time, put);
}

TEST_P(StoreContractTest, PutPlanAgainReplacesItAndBumpsVersion) {
  ASSERT_OK(InsertProject("cp-001"));
  ASSERT_OK(PutPlan("cp-001", 2024, 1200, Months(100)));
  ASSERT_OK(PutPlan("cp-001", 2024, 2400, Months(200)));
  ASSERT_OK_AND_ASSIGN(PlanRecord plan,
                       ReadOne(&StoreReader::GetPlan, "cp-001", 2024));
  EXPECT_EQ(plan.amount, 2400);
  EXPECT_EQ(plan.monthly, Months(200));
  EXPECT_EQ(plan.version, 2);
}

TEST_P(StoreContractTest, GetPlanOfAnotherYearIsNotFound) {
  ASSERT_OK(InsertProject("cp-001"));
  ASSERT_OK(PutPlan("cp-001", 2024, 1200, Months(100)));
  EXPECT_EQ(ReadOne(&StoreReader::GetPlan, "cp-001", 2025).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreContractTest, ListPlansOldestYearFirst) {
  ASSERT_OK(InsertProject("cp-001"));
  ASSERT_OK(InsertProject("cp-002"));
  for (int year : {2025, 2023, 2024}) {
    ASSERT_OK(PutPlan("cp-001", year, 12 * year, Months(year)));
  }
  ASSERT_OK(PutPlan("cp-002", 2022, 1200, Months(100)));
  ASSERT_OK_AND_ASSIGN(std::vector<PlanRecord> plans,
                       ReadOne(&StoreReader::ListPlans, "cp-001"));
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_EQ(plans[0].year, 2023);
  EXPECT_EQ(plans[1].year, 2024);
  EXPECT_EQ(plans[2].year, 2025);
  EXPECT_EQ(plans[2].monthly, Months(2025));
}

TEST_P(StoreContractTest, ListPlansOfProjectWithoutPlansIsEmpty) {
  ASSERT_OK(InsertProject("cp-001"));
  ASSERT_OK_AND_ASSIGN(std::vector<PlanRecord> plans,
                       ReadOne(&StoreReader::ListPlans, "cp-001"));
  EXPECT_THAT(plans, ElementsAre());
}

TEST_P(StoreContractTest, PlanForAMissingProjectIsNotFound) {
  EXPECT_EQ(PutPlan("nope", 2024, 1200, Months(100)).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreContractTest, RefusedPlanOfAnExistingProjectIsNotNotFound) {
  // A zero plan is refused; the project exists, so NOT_FOUND would mislead.
  ASSERT_OK(InsertProject("cp-001"));
  const absl::Status s = PutPlan("cp-001", 2024, 0, Months(0));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.code(), absl::StatusCode::kNotFound) << s;
}

// ---- milestones ----

TEST_P(StoreContractTest, InsertedMilestoneReadsBack) {
  ASSERT_OK(InsertProject("cp-001"));
  MilestoneRecord m =
      Milestone("cp-001", "m1", "start", absl::CivilDay(2024, 3, 1));
  m.forecast_date = absl::CivilDay(2024, 3, 15);
  ASSERT_OK(InsertMilestone(m));
  const absl::Time inserted = clock_.Now();
  ASSERT_OK_AND_ASSIGN(MilestoneRecord got,
                       ReadOne(&StoreReader::GetMilestone, "cp-001", "m1"));
  EXPECT_EQ(got.kind, "start");
  EXPECT_EQ(got.display_name, "节点 m1");
  EXPECT_EQ(got.planned_date, absl::CivilDay(2024, 3, 1));
  EXPECT_EQ(got.forecast_date, absl::CivilDay(2024, 3, 15));
  EXPECT_EQ(got.actual_date, std::nullopt);
  EXPECT_EQ(got.version, 1);
  EXPECT_EQ(got.update_time, inserted);
}

TEST_P(StoreContractTest, MilestoneIdTakenIsAlreadyExists) {
  ASSERT_OK(InsertProject("cp-001"));
  ASSERT_OK(InsertMilestone(Milestone("cp-001", "m1", "start", std::nullopt)));
  EXPECT_EQ(
      InsertMilestone(Milestone("cp-001", "m1", "other", std::nullopt)).code(),
      absl::StatusCode::kAlreadyExists);
}

TEST_P(StoreContractTest, MilestoneOfAMissingProjectIsNotFound) {
  EXPECT_EQ(
      InsertMilestone(Milestone("nope", "m1", "start", std::nullopt)).code(),
      absl::StatusCode::kNotFound);
}

TEST_P(StoreContractTest, RefusedMilestoneOfAnExistingProjectIsNotNotFound) {
  ASSERT_OK(InsertProject("cp-001"));
  const absl::Status s = InsertMilestone(
      Milestone("cp-001", "m1", "groundbreaking", std::nullopt));
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.code(), absl::StatusCode::kNotFound) << s;
}

TEST_P(StoreContractTest, GettingAMissingMilestoneIsNotFound) {
  ASSERT_OK(InsertProject("cp-001"));
  EXPECT_EQ(ReadOne(&StoreReader::GetMilestone, "cp-001", "m9").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreContractTest, UpdateMilestoneReplacesFieldsAndBumpsVersion) {
  ASSERT_OK(InsertProject("cp-001"));
  ASSERT_OK(InsertMilestone(
      Milestone("cp-001", "m1", "start", absl::CivilDay(2024, 3, 1))));
  MilestoneRecord done =
      Milestone("cp-001", "m1", "completion", absl::CivilDay(2024, 4, 1));
  done.actual_date = absl::CivilDay(2024, 4, 3);
  const absl::Time now = Tick();
  ASSERT_OK(
      Write([&](StoreWriter& w) { return w.UpdateMilestone(done, now); }));
  ASSERT_OK_AND_ASSIGN(MilestoneRecord got,
                       ReadOne(&StoreReader::GetMilestone, "cp-001", "m1"));
  EXPECT_EQ(got.kind, "completion");
  EXPECT_EQ(got.planned_date, absl::CivilDay(2024, 4, 1));
  EXPECT_EQ(got.actual_date, absl::CivilDay(2024, 4, 3));
  EXPECT_EQ(got.version, 2);
  EXPECT_EQ(got.update_time, now);
}

TEST_P(StoreContractTest, UpdatingAMissingMilestoneIsNotFound) {
  ASSERT_OK(InsertProject("cp-001"));
  const MilestoneRecord m = Milestone("cp-001", "m1", "start", std::nullopt);
  const absl::Time now = Tick();
  EXPECT_EQ(
      Write([&](StoreWriter& w) { return w.UpdateMilestone(m, now); }).code(),
      absl::StatusCode::kNotFound);
}

class StoreMilestoneListTest : public StoreContractTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreContractTest::SetUp());
    ASSERT_OK(InsertProject("p-a"));
    ASSERT_OK(InsertProject("p-b"));
    MilestoneRecord done =
        Milestone("p-a", "m4", "other", absl::CivilDay(2024, 3, 1));
    done.actual_date = absl::CivilDay(2024, 3, 2);
    for (const MilestoneRecord& m :
         {Milestone("p-b", "m1", "start", absl::CivilDay(2024, 1, 1)),
          Milestone("p-a", "m1", "start", absl::CivilDay(2024, 5, 1)),
          Milestone("p-a", "m2", "completion", std::nullopt),
          Milestone("p-a", "m3", "start", absl::CivilDay(2024, 3, 1)), done}) {
      ASSERT_OK(InsertMilestone(m));
    }
  }

  std::vector<std::string> Listed(const MilestoneQuery& q) {
    absl::StatusOr<std::vector<MilestoneRecord>> list =
        ReadOne(&StoreReader::ListMilestones, q);
    EXPECT_TRUE(list.ok()) << list.status();
    std::vector<std::string> names;
    for (const MilestoneRecord& m :
         list.value_or(std::vector<MilestoneRecord>())) {
      names.push_back(absl::StrCat(m.project_id, "/", m.id));
    }
    return names;
  }
};

TEST_P(StoreMilestoneListTest, OrderedByProjectThenPlannedDateUndatedLast) {
  EXPECT_THAT(Listed({}),
              ElementsAre("p-a/m3", "p-a/m4", "p-a/m1", "p-a/m2", "p-b/m1"));
}

TEST_P(StoreMilestoneListTest, FilterByProject) {
  MilestoneQuery q;
  q.project_id = "p-b";
  EXPECT_THAT(Listed(q), ElementsAre("p-b/m1"));
}

TEST_P(StoreMilestoneListTest, FilterByKind) {
  MilestoneQuery q;
  q.kind = "start";
  EXPECT_THAT(Listed(q), ElementsAre("p-a/m3", "p-a/m1", "p-b/m1"));
}

TEST_P(StoreMilestoneListTest, OverdueMeansPlannedBeforeTheDayAndNotDone) {
  MilestoneQuery q;
  q.overdue_on = absl::CivilDay(2024, 5, 1);  // p-a/m1 is due that very day
  EXPECT_THAT(Listed(q), ElementsAre("p-a/m3", "p-b/m1"));
}

TEST_P(StoreMilestoneListTest, OffsetAndLimit) {
  MilestoneQuery q;
  q.offset = 1;
  q.limit = 2;
  EXPECT_THAT(Listed(q), ElementsAre("p-a/m4", "p-a/m1"));
}

TEST_P(StoreContractTest, NextMilestoneIdStartsAtM1) {
  ASSERT_OK(InsertProject("cp-001"));
  EXPECT_EQ(Write([](StoreWriter& w) {
              return w.NextMilestoneId("cp-001");
            }).value_or(""),
            "m1");
}

TEST_P(StoreContractTest, NextMilestoneIdFollowsTheTakenOnes) {
  ASSERT_OK(InsertProject("cp-001"));
  ASSERT_OK(InsertProject("cp-002"));
  for (const char* id : {"m1", "m2"}) {
    ASSERT_OK(InsertMilestone(Milestone("cp-001", id, "other", std::nullopt)));
  }
  ASSERT_OK(InsertMilestone(Milestone("cp-002", "m7", "other", std::nullopt)));
  EXPECT_EQ(Write([](StoreWriter& w) {
              return w.NextMilestoneId("cp-001");
            }).value_or(""),
            "m3");
}

TEST_P(StoreContractTest, NextMilestoneIdFollowsTheLargestAndNeverReuses) {
  // store.h: m<N+1>, N the largest m<N> in use, so a gap is not refilled.
  ASSERT_OK(InsertProject("cp-001"));
  EXPECT_EQ(Write([](StoreWriter& w) {
              return w.NextMilestoneId("cp-001");
            }).value_or(""),
            "m1");
  for (const char* id : {"m1", "m3", "kickoff"}) {
    ASSERT_OK(InsertMilestone(Milestone("cp-001", id, "other", std::nullopt)));
  }
  EXPECT_EQ(Write([](StoreWriter& w) {
              return w.NextMilestoneId("cp-001");
            }).value_or(""),
            "m4");
}

// ---- the investment ledger ----

TEST_P(StoreContractTest, AppendedEntryIdsIncreaseAcrossProjects) {
  ASSERT_OK(InsertProject("p-a"));
  ASSERT_OK(InsertProject("p-b"));
  ASSERT_OK_AND_ASSIGN(int64_t first, Append("p-a", Period(2024, 1), 100));
  ASSERT_OK_AND_ASSIGN(int64_t second, Append("p-b", Period(2024, 1), 100));
  ASSERT_OK_AND_ASSIGN(int64_t third, Append("p-a", Period(2024, 2), 100));
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

TEST_P(StoreContractTest, AppendedEntryReadsBack) {
  ASSERT_OK(InsertProject("p-a"));
  EntryRecord e = Entry("p-a", Period(2024, 3), 1500000);
  e.note = "三月完成投资";
  e.request_id = "req-1";
  ASSERT_OK_AND_ASSIGN(int64_t id, Append(e));
  ASSERT_OK_AND_ASSIGN(EntryRecord got, ReadOne(&StoreReader::GetEntry, id));
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(got.project_id, "p-a");
  EXPECT_EQ(got.period, absl::CivilMonth(2024, 3));
  EXPECT_EQ(got.amount, 1500000);
  EXPECT_EQ(got.reported_by, "lead-1");
  EXPECT_EQ(got.report_time, e.report_time);
  EXPECT_EQ(got.note, "三月完成投资");
  EXPECT_EQ(got.request_id, "req-1");
  EXPECT_EQ(got.corrects, std::nullopt);
  EXPECT_EQ(got.reason, "");
}

TEST_P(StoreContractTest, CorrectionEntryRecordsWhatItCorrects) {
  ASSERT_OK(InsertProject("p-a"));
  ASSERT_OK_AND_ASSIGN(int64_t original, Append("p-a", Period(2024, 3), 1000));
  ASSERT_OK_AND_ASSIGN(int64_t fix,
                       Correct(original, "p-a", Period(2024, 3), -300));
  ASSERT_OK_AND_ASSIGN(EntryRecord got, ReadOne(&StoreReader::GetEntry, fix));
  EXPECT_EQ(got.corrects, original);
  EXPECT_EQ(got.amount, -300);
  EXPECT_EQ(got.reason, "typo in the monthly report");
}

TEST_P(StoreContractTest, GettingAMissingEntryIsNotFound) {
  EXPECT_EQ(ReadOne(&StoreReader::GetEntry, 12345).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreContractTest, LedgerRefusesAZeroAmount) {
  ASSERT_OK(InsertProject("p-a"));
  EXPECT_EQ(Append("p-a", Period(2024, 3), 0).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_P(StoreContractTest, LedgerRefusesANegativeAmountThatIsNotACorrection) {
  ASSERT_OK(InsertProject("p-a"));
  EXPECT_EQ(Append("p-a", Period(2024, 3), -100).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_OK_AND_ASSIGN(int64_t total,
                       ReadOne(&StoreReader::ProjectLedgerTotal, "p-a"));
  EXPECT_EQ(total, 0);
}

TEST_P(StoreContractTest, EffectiveAmountAddsEveryCorrection) {
  ASSERT_OK(InsertProject("p-a"));
  ASSERT_OK_AND_ASSIGN(int64_t original, Append("p-a", Period(2024, 3), 1000));
  ASSERT_OK_AND_ASSIGN(int64_t other, Append("p-a", Period(2024, 3), 5000));
  ASSERT_OK(Correct(original, "p-a", Period(2024, 3), -300));
  ASSERT_OK(Correct(original, "p-a", Period(2024, 3), 50));
  EXPECT_EQ(ReadOne(&StoreReader::EffectiveAmount, original).value_or(-1), 750);
  EXPECT_EQ(ReadOne(&StoreReader::EffectiveAmount, other).value_or(-1), 5000);
}

TEST_P(StoreContractTest, EffectiveAmountOfAMissingEntryIsNotFound) {
  EXPECT_EQ(ReadOne(&StoreReader::EffectiveAmount, 999).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreContractTest, ProjectLedgerTotalSumsEveryYearAndCorrection) {
  ASSERT_OK(InsertProject("p-a"));
  ASSERT_OK(InsertProject("p-b"));
  ASSERT_OK_AND_ASSIGN(int64_t march, Append("p-a", Period(2024, 3), 1000));
  ASSERT_OK(Append("p-a", Period(2023, 11), 400));
  ASSERT_OK(Correct(march, "p-a", Period(2024, 3), -100));
  ASSERT_OK(Append("p-b", Period(2024, 3), 777));
  EXPECT_EQ(ReadOne(&StoreReader::ProjectLedgerTotal, "p-a").value_or(-1),
            1000 + 400 - 100);
}

class StoreLedgerListTest : public StoreContractTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreContractTest::SetUp());
    ASSERT_OK(InsertProject("p-a"));
    ASSERT_OK(InsertProject("p-b"));
    ASSERT_OK(Append("p-a", Period(2023, 12), 1));
    ASSERT_OK(Append("p-a", Period(2024, 1), 10));
    ASSERT_OK(Append("p-b", Period(2024, 1), 100));
    ASSERT_OK(Append("p-a", Period(2024, 2), 1000));
    ASSERT_OK(Append("p-a", Period(2024, 1), 10000));
  }

  EntryPage List(const EntryQuery& q) {
    absl::StatusOr<EntryPage> page = ReadOne(&StoreReader::ListEntries, q);
    EXPECT_TRUE(page.ok()) << page.status();
    return page.value_or(EntryPage());
  }

  static std::vector<int64_t> Amounts(const EntryPage& page) {
    std::vector<int64_t> out;
    for (const EntryRecord& e : page.entries) out.push_back(e.amount);
    return out;
  }
};

TEST_P(StoreLedgerListTest, AllEntriesOldestFirst) {
  const EntryPage page = List({});
  EXPECT_THAT(Amounts(page), ElementsAre(1, 10, 100, 1000, 10000));
  EXPECT_EQ(page.total_count, 5);
  EXPECT_EQ(page.total_amount, 11111);
}

TEST_P(StoreLedgerListTest, FilterByProject) {
  EntryQuery q;
  q.project_id = "p-a";
  const EntryPage page = List(q);
  EXPECT_THAT(Amounts(page), ElementsAre(1, 10, 1000, 10000));
  EXPECT_EQ(page.total_amount, 11011);
}

TEST_P(StoreLedgerListTest, FilterByYear) {
  EntryQuery q;
  q.year = 2024;
  EXPECT_EQ(List(q).total_amount, 11110);
}

TEST_P(StoreLedgerListTest, FilterByProjectAndPeriod) {
  EntryQuery q;
  q.project_id = "p-a";
  q.period = absl::CivilMonth(2024, 1);
  const EntryPage page = List(q);
  EXPECT_THAT(Amounts(page), ElementsAre(10, 10000));
  EXPECT_EQ(page.total_count, 2);
  EXPECT_EQ(page.total_amount, 10010);
}

TEST_P(StoreLedgerListTest, TotalsCoverEveryMatchNotJustThePage) {
  EntryQuery q;
  q.offset = 1;
  q.limit = 2;
  const EntryPage page = List(q);
  EXPECT_THAT(Amounts(page), ElementsAre(10, 100));
  EXPECT_EQ(page.total_count, 5);
  EXPECT_EQ(page.total_amount, 11111);
}

// ---- transactions and durability ----

TEST_P(StoreContractTest, FailedWriteLeavesNothingBehind) {
  const absl::Status failure = absl::InvalidArgumentError("callback says no");
  const absl::Time now = Tick();
  const absl::Status status = store().Write([&](StoreWriter& w) {
    absl::Status s = w.InsertProject(MinimalProject("p-a"), now);
    if (s.ok()) s = w.PutPortfolio(Portfolio(2024), now);
    if (!s.ok()) return s;
    EntryRecord e = Entry("p-a", Period(2024, 1), 100);
    absl::StatusOr<int64_t> id = w.AppendEntry(e);
    if (!id.ok()) return id.status();
    return failure;
  });
  EXPECT_EQ(status, failure);
  EXPECT_EQ(GetProject("p-a").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadOne(&StoreReader::GetPortfolio, 2024).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Read([](StoreReader& r) { return r.ListEntries({}); })
                .value_or(EntryPage{{}, -1, -1})
                .total_count,
            0);
}

TEST_P(StoreContractTest, WritesInsideOneTransactionSeeEachOther) {
  const absl::Time now = Tick();
  std::string seen;
  ASSERT_OK(store().Write([&](StoreWriter& w) {
    absl::Status s = w.InsertProject(MinimalProject("p-a"), now);
    if (!s.ok()) return s;
    absl::StatusOr<ProjectRecord> p = w.GetProject("p-a");
    if (!p.ok()) return p.status();
    seen = p->display_name;
    return absl::OkStatus();
  }));
  EXPECT_EQ(seen, MinimalProject("p-a").display_name);
}

TEST_P(StoreContractTest, ReadSnapshotDoesNotSeeALaterCommit) {
  ASSERT_OK(InsertProject("p-a"));
  std::vector<std::string> first, second;
  ASSERT_OK(store().Read([&](StoreReader& r) {
    absl::StatusOr<ProjectPage> before = r.ListProjects({});
    if (!before.ok()) return before.status();
    first = Ids(before->projects);
    absl::Status committed = InsertProject("p-b");
    if (!committed.ok()) return committed;
    absl::StatusOr<ProjectPage> after = r.ListProjects({});
    if (!after.ok()) return after.status();
    second = Ids(after->projects);
    return absl::OkStatus();
  }));
  EXPECT_THAT(first, ElementsAre("p-a"));
  EXPECT_THAT(second, ElementsAre("p-a"));
  EXPECT_THAT(IdsMatching({}), ElementsAre("p-a", "p-b"));
}

TEST_P(StoreContractTest, DataSurvivesReopening) {
  ASSERT_OK(InsertProject(FullProject()));
  ASSERT_OK(PutPlan("cp-001", 2024, 1200, Months(100)));
  ASSERT_OK_AND_ASSIGN(int64_t entry, Append("cp-001", Period(2024, 5), 4200));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(ProjectRecord p, GetProject("cp-001"));
  EXPECT_EQ(p.display_name, FullProject().display_name);
  EXPECT_THAT(p.leads, ElementsAre("alice", "bob"));
  EXPECT_EQ(ReadOne(&StoreReader::GetPlan, "cp-001", 2024)
                .value_or(PlanRecord())
                .amount,
            1200);
  EXPECT_EQ(
      ReadOne(&StoreReader::GetEntry, entry).value_or(EntryRecord()).amount,
      4200);
}

TEST_P(StoreContractTest, EntryIdsKeepIncreasingAfterReopening) {
  ASSERT_OK(InsertProject("p-a"));
  ASSERT_OK_AND_ASSIGN(int64_t before, Append("p-a", Period(2024, 1), 1));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(int64_t after, Append("p-a", Period(2024, 1), 1));
  EXPECT_GT(after, before);
}

// ---- indicators ----

IndicatorRecord Indicator(const std::string& id, int chapter,
                          const std::string& kind) {
  IndicatorRecord i;
  i.id = id;
  i.display_name = absl::StrCat("指标 ", id);
  i.unit = "%";
  i.chapter = chapter;
  i.kind = kind;
  return i;
}

IndicatorValueRecord Value(int year, const std::string& value, absl::Time t) {
  return IndicatorValueRecord{year, 0, value, "统计公报", "stats", t};
}

TEST_P(StoreContractTest, IndicatorWithTargetsReadsBackSortedByYear) {
  IndicatorRecord i = Indicator("gdp-growth", 1, "growth_rate");
  i.targets = {{2025, "about", "6", "报告"}, {2024, "at_least", "5.5", ""}};
  const absl::Time now = Tick();
  ASSERT_OK(Write([&](StoreWriter& w) { return w.InsertIndicator(i, now); }));
  ASSERT_OK_AND_ASSIGN(IndicatorRecord got,
                       ReadOne(&StoreReader::GetIndicator, "gdp-growth"));
  EXPECT_EQ(got.display_name, "指标 gdp-growth");
  EXPECT_EQ(got.unit, "%");
  EXPECT_EQ(got.chapter, 1);
  EXPECT_EQ(got.kind, "growth_rate");
  ASSERT_EQ(got.targets.size(), 2u);
  EXPECT_EQ(got.targets[0].year, 2024);
  EXPECT_EQ(got.targets[0].comparator, "at_least");
  EXPECT_EQ(got.targets[0].value, "5.5");
  EXPECT_EQ(got.targets[1].year, 2025);
  EXPECT_EQ(got.targets[1].source, "报告");
  EXPECT_THAT(got.values, ElementsAre());
  EXPECT_EQ(got.version, 1);
}

TEST_P(StoreContractTest, IndicatorIdTakenIsAlreadyExists) {
  const IndicatorRecord i = Indicator("gdp-growth", 1, "");
  const absl::Time now = Tick();
  ASSERT_OK(Write([&](StoreWriter& w) { return w.InsertIndicator(i, now); }));
  EXPECT_EQ(
      Write([&](StoreWriter& w) { return w.InsertIndicator(i, now); }).code(),
      absl::StatusCode::kAlreadyExists);
}

TEST_P(StoreContractTest, IndicatorValuesKeepRecordingOrderAndBumpVersion) {
  const absl::Time now = Tick();
  ASSERT_OK(Write([&](StoreWriter& w) {
    return w.InsertIndicator(Indicator("gdp-growth", 1, ""), now);
  }));
  for (const auto& [year, value] : std::vector<std::pair<int, std::string>>{
           {2024, "5.1"}, {2022, "4.0"}, {2023, "4.6"}}) {
    const IndicatorValueRecord v = Value(year, value, Tick());
    ASSERT_OK(Write([&](StoreWriter& w) {
      return w.AppendIndicatorValue("gdp-growth", v);
    }));
  }
  ASSERT_OK_AND_ASSIGN(IndicatorRecord got,
                       ReadOne(&StoreReader::GetIndicator, "gdp-growth"));
  ASSERT_EQ(got.values.size(), 3u);
  EXPECT_EQ(got.values[0].value, "5.1");
  EXPECT_EQ(got.values[1].value, "4.0");
  EXPECT_EQ(got.values[2].value, "4.6");
  EXPECT_EQ(got.values[2].year, 2023);
  EXPECT_EQ(got.values[2].recorded_by, "stats");
  EXPECT_EQ(got.version, 4);
}

TEST_P(StoreContractTest, UpdateIndicatorReplacesTargetsAndKeepsValues) {
  IndicatorRecord i = Indicator("gdp-growth", 1, "growth_rate");
  i.targets = {{2024, "at_least", "5", ""}};
  const absl::Time now = Tick();
  ASSERT_OK(Write([&](StoreWriter& w) { return w.InsertIndicator(i, now); }));
  const IndicatorValueRecord v = Value(2023, "4.6", Tick());
  ASSERT_OK(Write(
      [&](StoreWriter& w) { return w.AppendIndicatorValue("gdp-growth", v); }));

  i.display_name = "地区生产总值增速";
  i.targets = {{2025, "about", "6", ""}};
  const absl::Time later = Tick();
  ASSERT_OK(Write([&](StoreWriter& w) { return w.UpdateIndicator(i, later); }));
  ASSERT_OK_AND_ASSIGN(IndicatorRecord got,
                       ReadOne(&StoreReader::GetIndicator, "gdp-growth"));
  EXPECT_EQ(got.display_name, "地区生产总值增速");
  ASSERT_EQ(got.targets.size(), 1u);
  EXPECT_EQ(got.targets[0].year, 2025);
  ASSERT_EQ(got.values.size(), 1u);
  EXPECT_EQ(got.values[0].value, "4.6");
  EXPECT_EQ(got.version, 3);
}

TEST_P(StoreContractTest, ValueForAMissingIndicatorIsNotFound) {
  const IndicatorValueRecord v = Value(2023, "1", Tick());
  EXPECT_EQ(Write([&](StoreWriter& w) {
              return w.AppendIndicatorValue("nope", v);
            }).code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreContractTest, GettingAMissingIndicatorIsNotFound) {
  EXPECT_EQ(ReadOne(&StoreReader::GetIndicator, "nope").status().code(),
            absl::StatusCode::kNotFound);
}

class StoreIndicatorListTest : public StoreContractTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreContractTest::SetUp());
    IndicatorRecord a = Indicator("i-a", 2, "count");
    a.targets = {{2024, "at_least", "10", ""}};
    IndicatorRecord b = Indicator("i-b", 1, "amount");
    IndicatorRecord c = Indicator("i-c", 1, "growth_rate");
    c.targets = {{2023, "about", "6", ""}};
    const absl::Time now = Tick();
    ASSERT_OK(Write([&](StoreWriter& w) {
      for (const IndicatorRecord& i : {a, c, b}) {
        absl::Status s = w.InsertIndicator(i, now);
        if (!s.ok()) return s;
      }
      return w.AppendIndicatorValue("i-b", Value(2023, "100", now));
    }));
  }

  std::vector<std::string> Listed(const IndicatorQuery& q) {
    absl::StatusOr<std::vector<IndicatorRecord>> list =
        ReadOne(&StoreReader::ListIndicators, q);
    EXPECT_TRUE(list.ok()) << list.status();
    std::vector<std::string> ids;
    for (const IndicatorRecord& i :
         list.value_or(std::vector<IndicatorRecord>())) {
      ids.push_back(i.id);
    }
    return ids;
  }
};

TEST_P(StoreIndicatorListTest, OrderedByChapterThenId) {
  EXPECT_THAT(Listed({}), ElementsAre("i-b", "i-c", "i-a"));
}

TEST_P(StoreIndicatorListTest, FilterByChapter) {
  IndicatorQuery q;
  q.chapter = 2;
  EXPECT_THAT(Listed(q), ElementsAre("i-a"));
}

TEST_P(StoreIndicatorListTest, FilterByKind) {
  IndicatorQuery q;
  q.kind = "growth_rate";
  EXPECT_THAT(Listed(q), ElementsAre("i-c"));
}

TEST_P(StoreIndicatorListTest, FilterByYearMatchesTargetsAndValues) {
  IndicatorQuery q;
  q.target_year = 2023;
  EXPECT_THAT(Listed(q), ElementsAre("i-b", "i-c"));
}

// ---- portfolios ----

TEST_P(StoreContractTest, PortfolioKeepsUnsetApartFromZero) {
  PortfolioRecord p;
  p.year = 2024;
  p.project_count_target = 0;
  p.investment_target = 15000000000;
  p.source = "政府工作报告";
  const absl::Time now = Tick();
  ASSERT_OK(Write([&](StoreWriter& w) { return w.PutPortfolio(p, now); }));
  ASSERT_OK_AND_ASSIGN(PortfolioRecord got,
                       ReadOne(&StoreReader::GetPortfolio, 2024));
  EXPECT_EQ(got.project_count_target, 0);
  EXPECT_EQ(got.investment_target, 15000000000);
  EXPECT_EQ(got.provincial_count_target, std::nullopt);
  EXPECT_EQ(got.city_count_target, std::nullopt);
  EXPECT_EQ(got.project_count_actual, std::nullopt);
  EXPECT_EQ(got.fixed_asset_investment_actual, std::nullopt);
  EXPECT_EQ(got.source, "政府工作报告");
  EXPECT_EQ(got.version, 1);
  EXPECT_EQ(got.update_time, now);
}

TEST_P(StoreContractTest, PutPortfolioAgainReplacesAndBumpsVersion) {
  PortfolioRecord p;
  p.year = 2024;
  p.city_count_target = 30;
  p.total_investment_actual = 5;
  const absl::Time now = Tick();
  ASSERT_OK(Write([&](StoreWriter& w) { return w.PutPortfolio(p, now); }));
  p.city_count_target = 31;
  p.total_investment_actual.reset();
  ASSERT_OK(Write([&](StoreWriter& w) { return w.PutPortfolio(p, now); }));
  ASSERT_OK_AND_ASSIGN(PortfolioRecord got,
                       ReadOne(&StoreReader::GetPortfolio, 2024));
  EXPECT_EQ(got.city_count_target, 31);
  EXPECT_EQ(got.total_investment_actual, std::nullopt);
  EXPECT_EQ(got.version, 2);
}

TEST_P(StoreContractTest, PortfoliosListedByYear) {
  const absl::Time now = Tick();
  ASSERT_OK(Write([&](StoreWriter& w) {
    for (int year : {2025, 2023, 2024}) {
      absl::Status s = w.PutPortfolio(Portfolio(year), now);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }));
  ASSERT_OK_AND_ASSIGN(std::vector<PortfolioRecord> list,
                       ReadOne(&StoreReader::ListPortfolios));
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].year, 2023);
  EXPECT_EQ(list[1].year, 2024);
  EXPECT_EQ(list[2].year, 2025);
}

TEST_P(StoreContractTest, GettingAMissingPortfolioIsNotFound) {
  EXPECT_EQ(ReadOne(&StoreReader::GetPortfolio, 2024).status().code(),
            absl::StatusCode::kNotFound);
}

// ---- progress ----

class StoreProgressTest : public StoreContractTest {
 protected:
  // p-a: uneven 2024 plan, entries around June, milestones; p-b: no plan.
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StoreContractTest::SetUp());
    ProjectRecord a = MinimalProject("p-a");
    a.park = "east";
    a.leads = {"alice"};
    ASSERT_OK(InsertProject(a));
    ASSERT_OK(InsertProject("p-b"));
    ASSERT_OK(PutPlan("p-a", 2024, 1200,
                      {0, 0, 0, 100, 100, 200, 200, 200, 100, 100, 100, 100}));
    ASSERT_OK(PutPlan("p-a", 2023, 2400, Months(200)));
    ASSERT_OK_AND_ASSIGN(int64_t march, Append("p-a", Period(2024, 3), 100));
    ASSERT_OK(Append("p-a", Period(2024, 6), 50));
    ASSERT_OK(Append("p-a", Period(2024, 7), 1000));  // after the as-of month
    ASSERT_OK(Append("p-a", Period(2023, 5), 777));   // another year
    ASSERT_OK(Correct(march, "p-a", Period(2024, 3), -30));
    ASSERT_OK(Append("p-b", Period(2024, 5), 10));

    MilestoneRecord done =
        Milestone("p-a", "m1", "start", absl::CivilDay(2024, 5, 1));
    done.actual_date = absl::CivilDay(2024, 5, 2);
    for (const MilestoneRecord& m :
         {done, Milestone("p-a", "m2", "other", absl::CivilDay(2024, 6, 10)),
          Milestone("p-a", "m3", "other", absl::CivilDay(2024, 6, 5)),
          Milestone("p-b", "m1", "start", absl::CivilDay(2024, 6, 30))}) {
      ASSERT_OK(InsertMilestone(m));
    }
  }

  std::vector<ProgressRow> Progress(const ProgressQuery& q) {
    absl::StatusOr<std::vector<ProgressRow>> rows =
        ReadOne(&StoreReader::ListProgress, q);
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.value_or(std::vector<ProgressRow>());
  }

  static ProgressQuery JuneOf2024() {
    ProgressQuery q;
    q.year = 2024;
    q.as_of_month = 6;
    q.as_of_date = absl::CivilDay(2024, 6, 30);
    return q;
  }
};

TEST_P(StoreProgressTest, OneRowPerProjectOrderedById) {
  const std::vector<ProgressRow> rows = Progress(JuneOf2024());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].project->id, "p-a");
  EXPECT_EQ(rows[1].project->id, "p-b");
  EXPECT_THAT(rows[0].project->leads, ElementsAre("alice"));
}

TEST_P(StoreProgressTest, PlanFiguresOfTheYear) {
  const std::vector<ProgressRow> rows = Progress(JuneOf2024());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].annual_plan, 1200);
  EXPECT_EQ(rows[0].planned_to_date, 0 + 0 + 0 + 100 + 100 + 200);
  EXPECT_EQ(rows[1].annual_plan, std::nullopt);
  EXPECT_EQ(rows[1].planned_to_date, 0);
}

TEST_P(StoreProgressTest,
       CompletedCountsTheYearThroughTheMonthWithCorrections) {
  const std::vector<ProgressRow> rows = Progress(JuneOf2024());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].completed_to_date, 100 + 50 - 30);
  EXPECT_EQ(rows[1].completed_to_date, 10);
}

TEST_P(StoreProgressTest, ReportedInMonthOnlyWithAnEntryForThatMonth) {
  const std::vector<ProgressRow> rows = Progress(JuneOf2024());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_TRUE(rows[0].reported_in_month);
  EXPECT_FALSE(rows[1].reported_in_month);
}

TEST_P(StoreProgressTest, EarliestOverdueMilestoneIgnoresDoneOnes) {
  const std::vector<ProgressRow> rows = Progress(JuneOf2024());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].earliest_overdue, absl::CivilDay(2024, 6, 5));
  EXPECT_EQ(rows[0].earliest_overdue_id, "m3");
  // p-b's milestone is due on the as-of date itself: not yet overdue.
  EXPECT_EQ(rows[1].earliest_overdue, std::nullopt);
}

TEST_P(StoreProgressTest, MilestoneBecomesOverdueTheDayAfter) {
  ProgressQuery q = JuneOf2024();
  q.as_of_month = 7;
  q.as_of_date = absl::CivilDay(2024, 7, 1);
  const std::vector<ProgressRow> rows = Progress(q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].earliest_overdue, absl::CivilDay(2024, 6, 30));
  EXPECT_EQ(rows[1].earliest_overdue_id, "m1");
  EXPECT_EQ(rows[0].completed_to_date, 100 + 50 - 30 + 1000);
}

TEST_P(StoreProgressTest, AnotherYearHasItsOwnFigures) {
  ProgressQuery q = JuneOf2024();
  q.year = 2023;
  q.as_of_month = 12;
  q.as_of_date = absl::CivilDay(2023, 12, 31);
  const std::vector<ProgressRow> rows = Progress(q);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].annual_plan, 2400);
  EXPECT_EQ(rows[0].planned_to_date, 2400);
  EXPECT_EQ(rows[0].completed_to_date, 777);
  EXPECT_FALSE(rows[0].reported_in_month);
}

TEST_P(StoreProgressTest, FilterSelectsProjects) {
  ProgressQuery q = JuneOf2024();
  q.filter.park = "east";
  const std::vector<ProgressRow> rows = Progress(q);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].project->id, "p-a");
}

TEST_P(StoreProgressTest, FinishedProjectsWithoutWorkThisYearAreLeftOut) {
  // Finished before 2024: no plan, no entry in 2024. Finished during 2024:
  // it has an entry, so it still belongs to the year.
  ProjectRecord earlier = MinimalProject("p-c-earlier");
  earlier.stage = "in_operation";
  ASSERT_OK(InsertProject(earlier));
  ProjectRecord during = MinimalProject("p-d-during");
  during.stage = "completed";
  ASSERT_OK(InsertProject(during));
  ASSERT_OK(Append("p-d-during", Period(2024, 2), 5));

  auto ids = [](const std::vector<ProgressRow>& rows) {
    std::vector<std::string> out;
    for (const ProgressRow& r : rows) out.push_back(r.project->id);
    return out;
  };
  ProgressQuery q = JuneOf2024();
  EXPECT_EQ(ids(Progress(q)),
            (std::vector<std::string>{"p-a", "p-b", "p-d-during"}));
  q.active_only = false;
  EXPECT_EQ(ids(Progress(q)), (std::vector<std::string>{
                                  "p-a", "p-b", "p-c-earlier", "p-d-during"}));
}

// ---- request ids ----

TEST_P(StoreContractTest, UnusedRequestIdFindsNothing) {
  ASSERT_OK_AND_ASSIGN(std::optional<RequestRecord> found,
                       ReadOne(&StoreReader::FindRequest, "alice", "req-1"));
  EXPECT_EQ(found, std::nullopt);
}

TEST_P(StoreContractTest, SavedRequestRoundTripsBytes) {
  const RequestRecord record{std::string("req\0bytes", 9),
                             std::string("\xff\x00resp", 6)};
  const absl::Time now = Tick();
  ASSERT_OK(Write([&](StoreWriter& w) {
    return w.SaveRequest("alice", "req-1", record, now);
  }));
  ASSERT_OK_AND_ASSIGN(std::optional<RequestRecord> found,
                       ReadOne(&StoreReader::FindRequest, "alice", "req-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->request, record.request);
  EXPECT_EQ(found->response, record.response);
}

TEST_P(StoreContractTest, ReusedRequestIdIsAlreadyExists) {
  const absl::Time now = Tick();
  ASSERT_OK(Write([&](StoreWriter& w) {
    return w.SaveRequest("alice", "req-1", {"a", "b"}, now);
  }));
  EXPECT_EQ(Write([&](StoreWriter& w) {
              return w.SaveRequest("alice", "req-1", {"c", "d"}, now);
            }).code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(StoreContractTest, RequestIdsAreKeptPerPrincipal) {
  const absl::Time now = Tick();
  ASSERT_OK(Write([&](StoreWriter& w) {
    return w.SaveRequest("alice", "req-1", {"a", "b"}, now);
  }));
  ASSERT_OK(Write([&](StoreWriter& w) {
    return w.SaveRequest("bob", "req-1", {"c", "d"}, now);
  }));
  EXPECT_EQ(ReadOne(&StoreReader::FindRequest, "bob", "req-1")
                .value_or(std::nullopt)
                .value_or(RequestRecord())
                .response,
            "d");
}

// ---- implementations ----

absl::StatusOr<std::unique_ptr<Store>> OpenSqlite(const std::string& dir) {
  SqliteStoreOptions options;
  options.path = dir + "/portfolio.db";
  return OpenSqliteStore(options);
}

const StoreFactory kFactories[] = {{"Sqlite", &OpenSqlite}};

std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreContractTest,
                         ::testing::ValuesIn(kFactories), FactoryName);
INSTANTIATE_TEST_SUITE_P(Stores, StoreListProjectsTest,
                         ::testing::ValuesIn(kFactories), FactoryName);
INSTANTIATE_TEST_SUITE_P(Stores, StoreMilestoneListTest,
                         ::testing::ValuesIn(kFactories), FactoryName);
INSTANTIATE_TEST_SUITE_P(Stores, StoreLedgerListTest,
                         ::testing::ValuesIn(kFactories), FactoryName);
INSTANTIATE_TEST_SUITE_P(Stores, StoreIndicatorListTest,
                         ::testing::ValuesIn(kFactories), FactoryName);
INSTANTIATE_TEST_SUITE_P(Stores, StoreProgressTest,
                         ::testing::ValuesIn(kFactories), FactoryName);

}  // namespace
}  // namespace portfolio
