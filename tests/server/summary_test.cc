#include "server/summary.h"

#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace portfolio {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::CivilDay kToday(2024, 7, 15);

ProjectRecord Project(const std::string& id) {
  ProjectRecord p;
  p.id = id;
  p.display_name = id;
  return p;
}

ProgressRow Row(ProjectRecord p, std::optional<int64_t> plan,
                int64_t planned_to_date, int64_t completed_to_date) {
  ProgressRow row;
  row.project = std::make_shared<const ProjectBrief>(std::move(p));
  row.annual_plan = plan;
  row.planned_to_date = planned_to_date;
  row.completed_to_date = completed_to_date;
  return row;
}

ProjectStatusResult StatusOf(Rag rag) {
  ProjectStatusResult s;
  s.rag = rag;
  return s;
}

std::vector<std::string> GroupNames(const SummaryResult& r) {
  std::vector<std::string> names;
  for (const auto& [key, figures] : r.groups) names.push_back(key);
  return names;
}

const Figures& Group(const SummaryResult& r, const std::string& key) {
  for (const auto& [k, figures] : r.groups) {
    if (k == key) return figures;
  }
  ADD_FAILURE() << "no group " << key;
  static const Figures kNone;
  return kNone;
}

TEST(ResolveYearMonthTest, ZeroesMeanCurrentYearAndLastCompleteMonth) {
  EXPECT_EQ(ResolveYearMonth(0, 0, kToday).value(), std::make_pair(2024, 6));
}

TEST(ResolveYearMonthTest, PastYearDefaultsToDecember) {
  EXPECT_EQ(ResolveYearMonth(2023, 0, kToday).value(),
            std::make_pair(2023, 12));
}

// Figures for a month not yet begun would judge time not yet elapsed.
TEST(ResolveYearMonthTest, AMonthNotYetBegunIsRefused) {
  // The month in progress may be asked for; the next may not.
  EXPECT_EQ(ResolveYearMonth(2024, 7, kToday).value(), std::make_pair(2024, 7));
  const absl::Status next = ResolveYearMonth(2024, 8, kToday).status();
  EXPECT_EQ(next.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(next.message(), HasSubstr("as_of_month"));
  EXPECT_THAT(next.message(), HasSubstr("2024-08 has not begun"));
  // A later year with the month left to its default names the year.
  const absl::Status later = ResolveYearMonth(2026, 0, kToday).status();
  EXPECT_EQ(later.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(later.message(), HasSubstr("year"));
  EXPECT_THAT(later.message(), HasSubstr("2026-01 has not begun"));
}

TEST(ResolveYearMonthTest, GivenValuesKept) {
  EXPECT_EQ(ResolveYearMonth(2022, 3, kToday).value(), std::make_pair(2022, 3));
}

TEST(ResolveYearMonthTest, YearOutOfRangeNamesYear) {
  for (int year : {1999, 2101}) {
    const absl::Status s = ResolveYearMonth(year, 1, kToday).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << year;
    EXPECT_THAT(s.message(), HasSubstr("year")) << year;
  }
}

TEST(ResolveYearMonthTest, MonthOutOfRangeNamesAsOfMonth) {
  for (int month : {-1, 13}) {
    const absl::Status s = ResolveYearMonth(2024, month, kToday).status();
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << month;
    EXPECT_THAT(s.message(), HasSubstr("as_of_month")) << month;
  }
}

TEST(GroupKeysTest, NoneGivesNoKeys) {
  EXPECT_THAT(GroupKeys(Project("p-1"), 2024, Dimension::kNone), ElementsAre());
}

TEST(GroupKeysTest, LevelIsTheLevelOfTheGivenYear) {
  ProjectRecord p = Project("p-1");
  p.levels = {{2023, "city"}, {2024, "provincial"}};
  EXPECT_THAT(GroupKeys(p, 2024, Dimension::kLevel), ElementsAre("PROVINCIAL"));
  EXPECT_THAT(GroupKeys(p, 2023, Dimension::kLevel), ElementsAre("CITY"));
}

TEST(GroupKeysTest, LevelOfAnotherYearIsEmptyKey) {
  ProjectRecord p = Project("p-1");
  p.levels = {{2023, "city"}};
  EXPECT_THAT(GroupKeys(p, 2024, Dimension::kLevel), ElementsAre(""));
}

TEST(GroupKeysTest, ChapterNumberOrEmptyForZero) {
  ProjectRecord p = Project("p-1");
  p.chapter = 3;
  EXPECT_THAT(GroupKeys(p, 2024, Dimension::kChapter), ElementsAre("3"));
  p.chapter = 0;
  EXPECT_THAT(GroupKeys(p, 2024, Dimension::kChapter), ElementsAre(""));
}

TEST(GroupKeysTest, ParkAndSectorAsWritten) {
  ProjectRecord p = Project("p-1");
  p.park = "高铁新区";
  p.sector = "新能源";
  EXPECT_THAT(GroupKeys(p, 2024, Dimension::kPark), ElementsAre("高铁新区"));
  EXPECT_THAT(GroupKeys(p, 2024, Dimension::kSector), ElementsAre("新能源"));
}

TEST(GroupKeysTest, StageIsTheProtoValueWithoutPrefix) {
  ProjectRecord p = Project("p-1");
  p.stage = "new_start";
  EXPECT_THAT(GroupKeys(p, 2024, Dimension::kStage), ElementsAre("NEW_START"));
}

TEST(GroupKeysTest, UnstatedStageIsEmptyKey) {
  EXPECT_THAT(GroupKeys(Project("p-1"), 2024, Dimension::kStage),
              ElementsAre(""));
}

TEST(GroupKeysTest, LeadFansOutToEveryLead) {
  ProjectRecord p = Project("p-1");
  p.leads = {"alice", "bob"};
  EXPECT_THAT(GroupKeys(p, 2024, Dimension::kLead),
              ElementsAre("alice", "bob"));
}

TEST(GroupKeysTest, NoLeadsIsEmptyKey) {
  EXPECT_THAT(GroupKeys(Project("p-1"), 2024, Dimension::kLead),
              ElementsAre(""));
}

class SummarizeTest : public ::testing::Test {
 protected:
  SummarizeTest() {
    ProjectRecord a = Project("p-a");
    a.park = "west";
    a.total_investment = 5000;
    a.leads = {"alice", "bob"};
    ProjectRecord b = Project("p-b");
    b.park = "";
    b.total_investment = std::nullopt;
    ProjectRecord c = Project("p-c");
    c.park = "east";
    c.total_investment = 700;
    c.leads = {"bob"};
    rows_ = {Row(a, 1200, 600, 500), Row(b, std::nullopt, 0, 30),
             Row(c, 2400, 1200, 100)};
    statuses_ = {StatusOf(Rag::kGreen), StatusOf(Rag::kAmber),
                 StatusOf(Rag::kRed)};
  }

  std::vector<ProgressRow> rows_;
  std::vector<ProjectStatusResult> statuses_;
};

TEST_F(SummarizeTest, TotalsAddUpEveryRow) {
  const SummaryResult r =
      Summarize(rows_, statuses_, 2024, 6, Dimension::kNone);
  EXPECT_EQ(r.year, 2024);
  EXPECT_EQ(r.as_of_month, 6);
  EXPECT_EQ(r.totals.project_count, 3);
  EXPECT_EQ(r.totals.planned_project_count, 2);
  EXPECT_EQ(r.totals.annual_plan, 1200 + 2400);
  EXPECT_EQ(r.totals.planned_to_date, 600 + 1200);
  EXPECT_EQ(r.totals.completed_to_date, 500 + 30 + 100);
  EXPECT_EQ(r.totals.planned_completed_to_date, 500 + 100);
  EXPECT_EQ(r.totals.total_investment, 5000 + 700);
  EXPECT_THAT(GroupNames(r), ElementsAre());
}

TEST_F(SummarizeTest, CountsEachStatus) {
  const SummaryResult r =
      Summarize(rows_, statuses_, 2024, 6, Dimension::kNone);
  EXPECT_EQ(r.totals.green, 1);
  EXPECT_EQ(r.totals.amber, 1);
  EXPECT_EQ(r.totals.red, 1);
}

TEST_F(SummarizeTest, GroupsOrderedByKeyWithEmptyKeyLast) {
  const SummaryResult r =
      Summarize(rows_, statuses_, 2024, 6, Dimension::kPark);
  EXPECT_THAT(GroupNames(r), ElementsAre("east", "west", ""));
  EXPECT_EQ(Group(r, "east").project_count, 1);
  EXPECT_EQ(Group(r, "east").red, 1);
  EXPECT_EQ(Group(r, "west").annual_plan, 1200);
  EXPECT_EQ(Group(r, "").completed_to_date, 30);
  EXPECT_EQ(Group(r, "").planned_project_count, 0);
}

TEST_F(SummarizeTest, LeadGroupsCountAProjectUnderEachLead) {
  const SummaryResult r =
      Summarize(rows_, statuses_, 2024, 6, Dimension::kLead);
  EXPECT_THAT(GroupNames(r), ElementsAre("alice", "bob", ""));
  EXPECT_EQ(Group(r, "alice").project_count, 1);
  EXPECT_EQ(Group(r, "bob").project_count, 2);
  EXPECT_EQ(Group(r, "bob").annual_plan, 1200 + 2400);
  EXPECT_EQ(Group(r, "bob").green, 1);
  EXPECT_EQ(Group(r, "bob").red, 1);
  EXPECT_EQ(r.totals.project_count, 3);  // fan-out does not inflate totals
}

TEST(FiguresTest, CompletionRateIsCompletedOverPlan) {
  Figures f;
  f.Add(Row(Project("p-1"), 2000, 0, 500), StatusOf(Rag::kGreen));
  EXPECT_DOUBLE_EQ(f.CompletionRate(), 0.25);
}

TEST(FiguresTest, CompletionRateLeavesOutProjectsWithoutPlans) {
  Figures f;
  f.Add(Row(Project("p-1"), 2000, 0, 500), StatusOf(Rag::kGreen));
  f.Add(Row(Project("p-2"), std::nullopt, 0, 1500), StatusOf(Rag::kAmber));
  EXPECT_EQ(f.completed_to_date, 2000);
  EXPECT_EQ(f.planned_completed_to_date, 500);
  EXPECT_DOUBLE_EQ(f.CompletionRate(), 0.25);
}

TEST(FiguresTest, CompletionRateWithoutPlansIsZero) {
  Figures f;
  f.Add(Row(Project("p-1"), std::nullopt, 0, 500), StatusOf(Rag::kAmber));
  EXPECT_EQ(f.CompletionRate(), 0.0);
}

// Capped values, but enough of them to pass int64: the sum stops at the
// limit and says so, never wrapping round to a small or negative figure.
TEST(SummarizeOverflowTest, SumsPastInt64StopAndAreFlagged) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  std::vector<ProgressRow> rows;
  std::vector<ProjectStatusResult> statuses;
  for (int i = 0; i < 3; ++i) {
    rows.push_back(Row(Project(absl::StrCat("p", i)), kMax / 2, 10, 5));
    statuses.push_back(StatusOf(Rag::kGreen));
  }
  const SummaryResult big =
      Summarize(rows, statuses, 2024, 6, Dimension::kNone);
  EXPECT_TRUE(big.totals.overflowed);
  EXPECT_EQ(big.totals.annual_plan, kMax);
  EXPECT_EQ(big.totals.completed_to_date, 15);
  rows.pop_back();
  statuses.pop_back();
  const SummaryResult fits =
      Summarize(rows, statuses, 2024, 6, Dimension::kNone);
  EXPECT_FALSE(fits.totals.overflowed);
  EXPECT_EQ(fits.totals.annual_plan, kMax / 2 * 2);
}

TEST(SummarizeEmptyTest, NoRowsGiveZeroTotalsAndNoGroups) {
  const SummaryResult r = Summarize({}, {}, 2024, 6, Dimension::kStage);
  EXPECT_EQ(r.totals.project_count, 0);
  EXPECT_EQ(r.totals.annual_plan, 0);
  EXPECT_THAT(GroupNames(r), ElementsAre());
}

ProgressRow WithDue(ProgressRow row, bool start_due, bool started,
                    bool completion_due, bool completed) {
  row.start = {start_due, started};
  row.completion = {completion_due, completed};
  return row;
}

TEST(BulletinFiguresTest, CountsMilestonesDueAndDoneAndProblems) {
  ProgressRow a =
      WithDue(Row(Project("a"), 100, 50, 50), true, true, true, false);
  a.open_problems = 2;
  a.overdue_problems = 1;
  ProgressRow b =
      WithDue(Row(Project("b"), 100, 50, 50), true, false, false, false);
  ProgressRow c = Row(Project("c"), 100, 50, 50);
  const SummaryResult r = Summarize(
      {a, b, c},
      {StatusOf(Rag::kGreen), StatusOf(Rag::kGreen), StatusOf(Rag::kGreen)},
      2024, 6, Dimension::kNone);
  EXPECT_EQ(r.totals.start_due, 2);
  EXPECT_EQ(r.totals.started, 1);
  EXPECT_DOUBLE_EQ(Rate(r.totals.started, r.totals.start_due), 0.5);
  EXPECT_EQ(r.totals.completion_due, 1);
  EXPECT_EQ(r.totals.completed, 0);
  EXPECT_EQ(r.totals.operation_due, 0);
  EXPECT_DOUBLE_EQ(Rate(r.totals.in_operation, r.totals.operation_due), 0.0);
  EXPECT_EQ(r.totals.open_problems, 2);
  EXPECT_EQ(r.totals.overdue_problems, 1);
}

TEST(BulletinFiguresTest, RanksGroupsByExactCompletionRate) {
  ProjectRecord x = Project("x");
  x.park = "甲";
  ProjectRecord y = Project("y");
  y.park = "乙";
  ProjectRecord z = Project("z");
  z.park = "丙";
  ProjectRecord w = Project("w");
  w.park = "丁";
  // 1/3 and 2/6 are equal as fractions; 0.34 is higher; 丁 has no plan.
  const SummaryResult r =
      Summarize({Row(x, 3, 0, 1), Row(y, 6, 0, 2), Row(z, 100, 0, 34),
                 Row(w, std::nullopt, 0, 5)},
                {StatusOf(Rag::kGreen), StatusOf(Rag::kGreen),
                 StatusOf(Rag::kGreen), StatusOf(Rag::kAmber)},
                2024, 6, Dimension::kPark);
  ASSERT_EQ(r.ranks.size(), r.groups.size());
  std::map<std::string, int> rank;
  for (size_t i = 0; i < r.groups.size(); ++i) {
    rank[r.groups[i].first] = r.ranks[i];
  }
  EXPECT_EQ(rank["丙"], 1);
  EXPECT_EQ(rank["甲"], 2);
  EXPECT_EQ(rank["乙"], 2);
  EXPECT_EQ(rank["丁"], 0);
}

// Projects with no park stated are a group, not a park: unranked, and
// they take no place from the parks, however well they do.
TEST(BulletinFiguresTest, TheGroupNotStatedIsNotRanked) {
  ProjectRecord x = Project("x");
  x.park = "甲";
  ProjectRecord y = Project("y");  // no park
  const SummaryResult r =
      Summarize({Row(x, 100, 0, 10), Row(y, 100, 0, 90)},
                {StatusOf(Rag::kGreen), StatusOf(Rag::kGreen)}, 2024, 6,
                Dimension::kPark);
  std::map<std::string, int> rank;
  for (size_t i = 0; i < r.groups.size(); ++i) {
    rank[r.groups[i].first] = r.ranks[i];
  }
  ASSERT_EQ(rank.size(), 2u);
  EXPECT_EQ(rank["甲"], 1);
  EXPECT_EQ(rank[""], 0);
}

}  // namespace
}  // namespace portfolio
