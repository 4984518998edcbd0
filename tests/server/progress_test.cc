#include "server/progress.h"

#include <cstdint>
#include <numeric>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/records.h"

namespace portfolio {

// Readable failure messages for the enums (found by argument-dependent
// lookup, so they live in the enums' namespace).
static void PrintTo(Rag rag, std::ostream* os) {
  *os << (rag == Rag::kGreen ? "GREEN" : rag == Rag::kAmber ? "AMBER" : "RED");
}
static void PrintTo(ReasonCode code, std::ostream* os) {
  *os << "ReasonCode(" << static_cast<int>(code) << ")";
}

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int kYear = 2024;
// A plan of a million yuan makes one percentage point 10,000 yuan.
constexpr int64_t kPlan = 1000000;
constexpr int64_t kPoint = kPlan / 100;

// A project with a plan that has reported in the as-of month and has no
// overdue milestone, `percent_done` points of its plan completed.
ProgressRow OnTimeRow(int64_t percent_done) {
  ProgressRow row;
  ProjectBrief project;
  project.id = "p-1";
  row.project = std::make_shared<const ProjectBrief>(std::move(project));
  row.annual_plan = kPlan;
  row.completed_to_date = percent_done * kPoint;
  row.reported_in_month = true;
  return row;
}

ProgressRow WithOverdue(ProgressRow row, absl::CivilDay planned,
                        const std::string& id) {
  row.earliest_overdue = planned;
  row.earliest_overdue_id = id;
  return row;
}

// Evaluates at the end of `month` of kYear with the default thresholds.
ProjectStatusResult Evaluate(const ProgressRow& row, int month,
                             const StatusThresholds& t = StatusThresholds()) {
  const absl::CivilDay month_end =
      absl::CivilDay(absl::CivilMonth(kYear, month) + 1) - 1;
  return EvaluateStatus(row, kYear, month, month_end, t);
}

std::vector<ReasonCode> Codes(const ProjectStatusResult& s) {
  std::vector<ReasonCode> codes;
  for (const Reason& r : s.reasons) codes.push_back(r.code);
  return codes;
}

TEST(TimeElapsedTest, IsMonthOverTwelve) {
  EXPECT_DOUBLE_EQ(TimeElapsed(6), 0.5);
  EXPECT_DOUBLE_EQ(TimeElapsed(12), 1.0);
  EXPECT_DOUBLE_EQ(TimeElapsed(3), 0.25);
}

TEST(DefaultAsOfMonthTest, CurrentYearIsLastCompleteMonth) {
  EXPECT_EQ(DefaultAsOfMonth(2024, absl::CivilDay(2024, 7, 15)), 6);
  EXPECT_EQ(DefaultAsOfMonth(2024, absl::CivilDay(2024, 12, 31)), 11);
}

TEST(DefaultAsOfMonthTest, JanuaryOfCurrentYearIsOne) {
  EXPECT_EQ(DefaultAsOfMonth(2024, absl::CivilDay(2024, 1, 20)), 1);
}

TEST(DefaultAsOfMonthTest, PastYearIsDecember) {
  EXPECT_EQ(DefaultAsOfMonth(2023, absl::CivilDay(2024, 1, 1)), 12);
}

TEST(DefaultAsOfMonthTest, FutureYearIsJanuary) {
  EXPECT_EQ(DefaultAsOfMonth(2025, absl::CivilDay(2024, 12, 31)), 1);
}

TEST(AsOfDateTest, EndOfAPastMonth) {
  EXPECT_EQ(AsOfDate(2024, 3, absl::CivilDay(2024, 7, 15)),
            absl::CivilDay(2024, 3, 31));
}

TEST(AsOfDateTest, FebruaryOfALeapYear) {
  EXPECT_EQ(AsOfDate(2024, 2, absl::CivilDay(2024, 7, 15)),
            absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(AsOfDate(2023, 2, absl::CivilDay(2024, 7, 15)),
            absl::CivilDay(2023, 2, 28));
}

TEST(AsOfDateTest, TodayWhenTheMonthHasNotEnded) {
  EXPECT_EQ(AsOfDate(2024, 7, absl::CivilDay(2024, 7, 15)),
            absl::CivilDay(2024, 7, 15));
}

TEST(AsOfDateTest, DecemberRollsNotIntoNextYear) {
  EXPECT_EQ(AsOfDate(2024, 12, absl::CivilDay(2025, 3, 1)),
            absl::CivilDay(2024, 12, 31));
}

TEST(EvaluateStatusTest, OnScheduleIsGreenWithNoReasons) {
  const ProjectStatusResult s = Evaluate(OnTimeRow(50), 6);
  EXPECT_EQ(s.rag, Rag::kGreen);
  EXPECT_TRUE(s.reasons.empty());
}

TEST(EvaluateStatusTest, CarriesTheFigures) {
  ProgressRow row = OnTimeRow(40);
  row.planned_to_date = 500000;
  const ProjectStatusResult s = Evaluate(row, 6);
  EXPECT_EQ(s.year, kYear);
  EXPECT_EQ(s.as_of_month, 6);
  EXPECT_EQ(s.annual_plan, kPlan);
  EXPECT_EQ(s.planned_to_date, 500000);
  EXPECT_EQ(s.completed_to_date, 40 * kPoint);
  EXPECT_DOUBLE_EQ(s.completion_rate, 0.4);
  EXPECT_DOUBLE_EQ(s.time_elapsed, 0.5);
  EXPECT_NEAR(s.gap_points, -10.0, 1e-9);
}

TEST(EvaluateStatusTest, FortyPercentAtJuneIsTenPointsBehindAndAmber) {
  const ProjectStatusResult s = Evaluate(OnTimeRow(40), 6);
  EXPECT_EQ(s.rag, Rag::kAmber);
  ASSERT_EQ(s.reasons.size(), 1u);
  EXPECT_EQ(s.reasons[0].code, ReasonCode::kBehindPlan);
  EXPECT_EQ(s.reasons[0].rag, Rag::kAmber);
  EXPECT_EQ(s.reasons[0].value, 10);
}

TEST(EvaluateStatusTest, BehindByExactlyAmberThresholdIsGreen) {
  EXPECT_EQ(Evaluate(OnTimeRow(45), 6).rag, Rag::kGreen);
}

TEST(EvaluateStatusTest, BehindByOneMoreThanAmberThresholdIsAmber) {
  const ProjectStatusResult s = Evaluate(OnTimeRow(44), 6);
  EXPECT_EQ(s.rag, Rag::kAmber);
  ASSERT_EQ(s.reasons.size(), 1u);
  EXPECT_EQ(s.reasons[0].value, 6);
}

TEST(EvaluateStatusTest, BehindByExactlyRedThresholdIsAmber) {
  const ProjectStatusResult s = Evaluate(OnTimeRow(35), 6);
  EXPECT_EQ(s.rag, Rag::kAmber);
  ASSERT_EQ(s.reasons.size(), 1u);
  EXPECT_EQ(s.reasons[0].value, 15);
}

TEST(EvaluateStatusTest, BehindByOneMoreThanRedThresholdIsRed) {
  const ProjectStatusResult s = Evaluate(OnTimeRow(34), 6);
  EXPECT_EQ(s.rag, Rag::kRed);
  ASSERT_EQ(s.reasons.size(), 1u);
  EXPECT_EQ(s.reasons[0].code, ReasonCode::kBehindPlan);
  EXPECT_EQ(s.reasons[0].value, 16);
}

TEST(EvaluateStatusTest, BehindByAFractionMoreThanAmberThresholdIsAmber) {
  // 44.1% at June trails 50% by 5.9 points: "more than 5".
  ProgressRow row = OnTimeRow(0);
  row.completed_to_date = 441000;
  EXPECT_EQ(Evaluate(row, 6).rag, Rag::kAmber);
}

// The message shows a tenth of a point: 15.4 behind (red, past 15) must
// not read like the 15.0 of an amber. And it says what it is behind:
// time elapsed (序时进度), not the plan's monthly split.
TEST(EvaluateStatusTest, TheMessageTellsARedFromAnAmberAtTheThreshold) {
  ProgressRow red = OnTimeRow(0);
  red.completed_to_date = 346000;  // 34.6% at June: 15.4 behind
  const ProjectStatusResult r = Evaluate(red, 6);
  ASSERT_EQ(r.rag, Rag::kRed);
  EXPECT_EQ(r.reasons[0].value, 15);
  EXPECT_THAT(ReasonMessage(r.reasons[0], kYear),
              HasSubstr("落后序时进度15.4个百分点"));
  EXPECT_THAT(ReasonMessage(r.reasons[0], kYear),
              HasSubstr("behind time elapsed by 15.4 points"));
  const ProjectStatusResult a = Evaluate(OnTimeRow(35), 6);
  ASSERT_EQ(a.rag, Rag::kAmber);
  EXPECT_THAT(ReasonMessage(a.reasons[0], kYear),
              HasSubstr("落后序时进度15.0个百分点"));
}

// Within a twentieth of a point of a threshold, a tenth would show the
// threshold itself: 15.04 behind is red, 14.96 amber, and "15.0" for both
// would hide which side each is on. Those get hundredths, rounded away
// from the threshold.
TEST(EvaluateStatusTest, AFigureBesideAThresholdShowsWhichSideItIsOn) {
  ProgressRow row = OnTimeRow(0);
  row.completed_to_date = 349600;  // 34.96% at June: 15.04 behind
  ProjectStatusResult s = Evaluate(row, 6);
  ASSERT_EQ(s.rag, Rag::kRed);
  EXPECT_THAT(ReasonMessage(s.reasons[0], kYear),
              HasSubstr("behind time elapsed by 15.04 points"));
  row.completed_to_date = 350400;  // 35.04%: 14.96 behind
  s = Evaluate(row, 6);
  ASSERT_EQ(s.rag, Rag::kAmber);
  EXPECT_THAT(ReasonMessage(s.reasons[0], kYear),
              HasSubstr("落后序时进度14.96个百分点"));
  row.completed_to_date = 449999;  // 5.0001 behind: amber, and says so
  s = Evaluate(row, 6);
  ASSERT_EQ(s.rag, Rag::kAmber);
  EXPECT_THAT(ReasonMessage(s.reasons[0], kYear),
              HasSubstr("behind time elapsed by 5.01 points"));
  row.completed_to_date = 441000;  // 5.9: a tenth is enough away from one
  EXPECT_THAT(ReasonMessage(Evaluate(row, 6).reasons[0], kYear),
              HasSubstr("behind time elapsed by 5.9 points"));
}

TEST(EvaluateStatusTest, FullPlanInDecemberIsGreen) {
  const ProjectStatusResult s = Evaluate(OnTimeRow(100), 12);
  EXPECT_EQ(s.rag, Rag::kGreen);
  EXPECT_DOUBLE_EQ(s.completion_rate, 1.0);
  EXPECT_NEAR(s.gap_points, 0.0, 1e-9);
}

TEST(EvaluateStatusTest, AheadOfScheduleIsGreen) {
  EXPECT_EQ(Evaluate(OnTimeRow(90), 3).rag, Rag::kGreen);
}

TEST(EvaluateStatusTest, NoPlanIsAmberWithNoAnnualPlan) {
  ProgressRow row = OnTimeRow(10);
  row.annual_plan.reset();
  const ProjectStatusResult s = Evaluate(row, 6);
  EXPECT_EQ(s.rag, Rag::kAmber);
  EXPECT_THAT(Codes(s), ElementsAre(ReasonCode::kNoAnnualPlan));
  EXPECT_EQ(s.completion_rate, 0);
  EXPECT_EQ(s.annual_plan, 0);
  // Nothing to be behind without a plan: the missing plan is the reason.
  EXPECT_EQ(s.gap_points, 0);
}

TEST(EvaluateStatusTest, MissingReportForAsOfMonthIsAmber) {
  ProgressRow row = OnTimeRow(50);
  row.reported_in_month = false;
  const ProjectStatusResult s = Evaluate(row, 6);
  EXPECT_EQ(s.rag, Rag::kAmber);
  ASSERT_THAT(Codes(s), ElementsAre(ReasonCode::kMissingReport));
  EXPECT_EQ(s.reasons[0].value, 6);
  EXPECT_THAT(ReasonMessage(s.reasons[0], 2024), HasSubstr("2024-06"));
}

TEST(EvaluateStatusTest, MilestoneOverdueByOneDayIsAmber) {
  const ProgressRow row =
      WithOverdue(OnTimeRow(50), absl::CivilDay(2024, 6, 29), "m2");
  const ProjectStatusResult s = Evaluate(row, 6);  // judged on 2024-06-30
  EXPECT_EQ(s.rag, Rag::kAmber);
  ASSERT_THAT(Codes(s), ElementsAre(ReasonCode::kMilestoneOverdue));
  EXPECT_EQ(s.reasons[0].value, 1);
  EXPECT_EQ(s.reasons[0].milestone, "m2");
}

TEST(EvaluateStatusTest, MilestoneOverdueByExactlyRedDaysIsAmber) {
  const ProgressRow row =
      WithOverdue(OnTimeRow(50), absl::CivilDay(2024, 5, 31), "m1");
  const ProjectStatusResult s = Evaluate(row, 6);
  EXPECT_EQ(s.rag, Rag::kAmber);
  ASSERT_EQ(s.reasons.size(), 1u);
  EXPECT_EQ(s.reasons[0].value, 30);
}

TEST(EvaluateStatusTest, MilestoneOverdueByThirtyOneDaysIsRed) {
  const ProgressRow row =
      WithOverdue(OnTimeRow(50), absl::CivilDay(2024, 5, 30), "m1");
  const ProjectStatusResult s = Evaluate(row, 6);
  EXPECT_EQ(s.rag, Rag::kRed);
  ASSERT_EQ(s.reasons.size(), 1u);
  EXPECT_EQ(s.reasons[0].value, 31);
}

TEST(EvaluateStatusTest, OverdueDaysCountFromTheGivenAsOfDate) {
  const ProgressRow row =
      WithOverdue(OnTimeRow(50), absl::CivilDay(2024, 6, 1), "m1");
  const ProjectStatusResult s = EvaluateStatus(
      row, kYear, 6, absl::CivilDay(2024, 6, 11), StatusThresholds());
  ASSERT_EQ(s.reasons.size(), 1u);
  EXPECT_EQ(s.reasons[0].value, 10);
}

TEST(EvaluateStatusTest, CustomThresholdsAreHonoured) {
  StatusThresholds strict;
  strict.amber_behind_points = 2;
  strict.red_behind_points = 8;
  strict.red_overdue_days = 7;
  EXPECT_EQ(Evaluate(OnTimeRow(48), 6, strict).rag, Rag::kGreen);  // 2 behind
  EXPECT_EQ(Evaluate(OnTimeRow(47), 6, strict).rag, Rag::kAmber);  // 3
  EXPECT_EQ(Evaluate(OnTimeRow(42), 6, strict).rag, Rag::kAmber);  // 8
  EXPECT_EQ(Evaluate(OnTimeRow(41), 6, strict).rag, Rag::kRed);    // 9
  const absl::CivilDay june_end(2024, 6, 30);
  EXPECT_EQ(
      Evaluate(WithOverdue(OnTimeRow(50), june_end - 7, "m1"), 6, strict).rag,
      Rag::kAmber);
  EXPECT_EQ(
      Evaluate(WithOverdue(OnTimeRow(50), june_end - 8, "m1"), 6, strict).rag,
      Rag::kRed);
}

TEST(EvaluateStatusTest, CustomThresholdsLooserThanDefault) {
  StatusThresholds lenient;
  lenient.amber_behind_points = 20;
  lenient.red_behind_points = 40;
  EXPECT_EQ(Evaluate(OnTimeRow(34), 6, lenient).rag, Rag::kGreen);  // 16
  EXPECT_EQ(Evaluate(OnTimeRow(25), 6, lenient).rag, Rag::kAmber);  // 25
}

TEST(EvaluateStatusTest, ReasonsOrderedWorstFirstAndRagIsTheWorst) {
  ProgressRow row =
      WithOverdue(OnTimeRow(40), absl::CivilDay(2024, 4, 1), "m3");
  row.reported_in_month = false;
  const ProjectStatusResult s = Evaluate(row, 6);
  EXPECT_EQ(s.rag, Rag::kRed);
  ASSERT_THAT(Codes(s),
              ElementsAre(ReasonCode::kMilestoneOverdue,
                          ReasonCode::kBehindPlan, ReasonCode::kMissingReport));
  EXPECT_EQ(s.reasons[0].rag, Rag::kRed);
  EXPECT_EQ(s.reasons[1].rag, Rag::kAmber);
  EXPECT_EQ(s.reasons[2].rag, Rag::kAmber);
}

TEST(EvaluateStatusTest, RedBehindPlanComesBeforeAmberOverdue) {
  const ProgressRow row =
      WithOverdue(OnTimeRow(10), absl::CivilDay(2024, 6, 20), "m1");
  const ProjectStatusResult s = Evaluate(row, 6);
  EXPECT_EQ(s.rag, Rag::kRed);
  EXPECT_THAT(Codes(s), ElementsAre(ReasonCode::kBehindPlan,
                                    ReasonCode::kMilestoneOverdue));
}

int64_t Sum(const std::vector<int64_t>& v) {
  return std::accumulate(v.begin(), v.end(), int64_t{0});
}

TEST(EvenSplitTest, DivisibleAmountSplitsEvenly) {
  EXPECT_EQ(EvenSplit(1200), std::vector<int64_t>(12, 100));
}

TEST(EvenSplitTest, RemainderGoesOnTheLastMonths) {
  const std::vector<int64_t> months = EvenSplit(1205);
  EXPECT_THAT(months, ElementsAre(100, 100, 100, 100, 100, 100, 100, 101, 101,
                                  101, 101, 101));
}

TEST(EvenSplitTest, SmallAmountLeavesEarlyMonthsZero) {
  EXPECT_THAT(EvenSplit(5), ElementsAre(0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1));
}

TEST(EvenSplitTest, PreservesTheSumOfALargeAmount) {
  const int64_t amount = 123456789012;
  const std::vector<int64_t> months = EvenSplit(amount);
  ASSERT_EQ(months.size(), 12u);
  EXPECT_EQ(Sum(months), amount);
  EXPECT_LE(months.back() - months.front(), 1);
}

TEST(CheckMonthlySplitTest, AcceptsAnEvenSplit) {
  EXPECT_TRUE(CheckMonthlySplit(1205, EvenSplit(1205)).ok());
}

TEST(CheckMonthlySplitTest, AcceptsAnUnevenSplitThatSums) {
  std::vector<int64_t> months(12, 0);
  months[5] = 700;
  months[11] = 500;
  EXPECT_TRUE(CheckMonthlySplit(1200, months).ok());
}

TEST(CheckMonthlySplitTest, RefusesElevenValues) {
  const absl::Status s = CheckMonthlySplit(1100, std::vector<int64_t>(11, 100));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("12"));
  EXPECT_THAT(s.message(), HasSubstr("11"));
}

// Months that would wrap an int64 sum back to the plan's amount are
// refused one by one, naming the month, not summed.
TEST(CheckMonthlySplitTest, RefusesAMonthPastTheLargestAmount) {
  std::vector<int64_t> months(12, 0);
  for (int i = 0; i < 4; ++i) months[i] = int64_t{1} << 62;
  months[4] = 10;
  const absl::Status s = CheckMonthlySplit(10, months);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("monthly[0]"));
  EXPECT_THAT(s.message(), HasSubstr("more than the tracker accepts"));
}

TEST(EvaluateStatusTest, AnOpenProblemIsAmberAndNamesTheOldest) {
  ProgressRow row = OnTimeRow(50);
  row.open_problems = 2;
  row.oldest_open_problem_id = "q1";
  const ProjectStatusResult s = Evaluate(row, 6);
  EXPECT_EQ(s.rag, Rag::kAmber);
  EXPECT_THAT(Codes(s), ElementsAre(ReasonCode::kProblemOpen));
  EXPECT_EQ(s.reasons[0].value, 2);
  EXPECT_EQ(s.reasons[0].problem, "q1");
  EXPECT_THAT(ReasonMessage(s.reasons[0], 2024), HasSubstr("待解决问题2个"));
  EXPECT_EQ(s.open_problems, 2);
}

TEST(EvaluateStatusTest, AProblemOverdueJustPastTheThresholdIsRed) {
  ProgressRow row = OnTimeRow(50);
  row.open_problems = 1;
  row.overdue_problems = 1;
  row.oldest_open_problem_id = "q3";
  // June 30 is the as-of date: 30 days after May 31 is still amber...
  row.earliest_problem_deadline = absl::CivilDay(kYear, 5, 31);
  row.earliest_problem_deadline_id = "q3";
  ProjectStatusResult s = Evaluate(row, 6);
  EXPECT_EQ(s.rag, Rag::kAmber);
  EXPECT_THAT(Codes(s), ElementsAre(ReasonCode::kProblemOverdue,
                                    ReasonCode::kProblemOpen));
  EXPECT_EQ(s.reasons[0].value, 30);
  // ...31 days is red.
  row.earliest_problem_deadline = absl::CivilDay(kYear, 5, 30);
  s = Evaluate(row, 6);
  EXPECT_EQ(s.rag, Rag::kRed);
  EXPECT_EQ(s.reasons[0].code, ReasonCode::kProblemOverdue);
  EXPECT_EQ(s.reasons[0].problem, "q3");
  EXPECT_EQ(s.overdue_problems, 1);
}

TEST(CheckMonthlySplitTest, RefusesANegativeMonth) {
  std::vector<int64_t> months = EvenSplit(1200);
  months[3] = -100;
  months[4] += 100;
  const absl::Status s = CheckMonthlySplit(1200, months);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("negative"));
}

TEST(CheckMonthlySplitTest, SumOneTooHighSaysByHowMuch) {
  std::vector<int64_t> months = EvenSplit(1200);
  months[0] += 1;
  const absl::Status s = CheckMonthlySplit(1200, months);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("1,201"));
  EXPECT_THAT(s.message(), HasSubstr("off by 1"));
}

TEST(CheckMonthlySplitTest, SumTooLowSaysByHowMuch) {
  std::vector<int64_t> months = EvenSplit(1200000);
  months[11] -= 10000;
  const absl::Status s = CheckMonthlySplit(1200000, months);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("10,000"));
}

}  // namespace
}  // namespace portfolio
