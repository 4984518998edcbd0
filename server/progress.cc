#include "server/progress.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/amount.h"
#include "common/period.h"
#include "server/errors.h"

namespace portfolio {
namespace {

// Points behind 序时进度 as an exact fraction:
// (M/12 - completed/plan) * 100 = (100*M*plan - 1200*completed) / (12*plan).
struct Behind {
  __int128 numerator;
  __int128 denominator;  // > 0
  // True when strictly more than `points` behind.
  bool MoreThan(int points) const { return numerator > points * denominator; }
  // Rounded to the nearest point, for people.
  int64_t Rounded() const {
    return static_cast<int64_t>((2 * numerator + denominator) /
                                (2 * denominator));
  }
  // Rounded to the nearest tenth of a point, in tenths.
  int64_t RoundedTenths() const {
    return static_cast<int64_t>((20 * numerator + denominator) /
                                (2 * denominator));
  }
  // In hundredths of a point, rounded away from `points`: up when more
  // than it, down when less. For a figure more than 0 points behind.
  int64_t HundredthsAwayFrom(int points) const {
    return static_cast<int64_t>(
        MoreThan(points) ? (100 * numerator + denominator - 1) / denominator
                         : 100 * numerator / denominator);
  }
  bool Exactly(int points) const { return numerator == points * denominator; }
};

Behind PointsBehind(int64_t completed, int64_t plan, int month) {
  return {static_cast<__int128>(100) * month * plan -
              static_cast<__int128>(1200) * completed,
          static_cast<__int128>(12) * plan};
}

Reason BehindPlan(const Behind& behind, const StatusThresholds& t) {
  const int64_t points = behind.Rounded();
  Reason r;
  r.code = ReasonCode::kBehindPlan;
  r.rag = behind.MoreThan(t.red_behind_points) ? Rag::kRed : Rag::kAmber;
  r.value = points;
  const int64_t tenths = behind.RoundedTenths();
  r.hundredths = tenths * 10;
  for (const int threshold : {t.amber_behind_points, t.red_behind_points}) {
    if (tenths == 10 * static_cast<int64_t>(threshold) &&
        !behind.Exactly(threshold)) {
      r.hundredths = behind.HundredthsAwayFrom(threshold);
      r.places = 2;
    }
  }
  return r;
}

Reason Overdue(const ProgressRow& row, absl::CivilDay as_of_date,
               const StatusThresholds& t) {
  Reason r;
  r.code = ReasonCode::kMilestoneOverdue;
  r.value = as_of_date - *row.earliest_overdue;
  r.rag = r.value > t.red_overdue_days ? Rag::kRed : Rag::kAmber;
  r.milestone = row.earliest_overdue_id;
  return r;
}

// Unresolved problems: open ones make a project amber; one past its
// deadline is judged like an overdue milestone.
void ProblemReasons(const ProgressRow& row, absl::CivilDay as_of_date,
                    const StatusThresholds& t, std::vector<Reason>& out) {
  if (row.earliest_problem_deadline.has_value()) {
    Reason r;
    r.code = ReasonCode::kProblemOverdue;
    r.value = as_of_date - *row.earliest_problem_deadline;
    r.rag = r.value > t.red_overdue_days ? Rag::kRed : Rag::kAmber;
    r.problem = row.earliest_problem_deadline_id;
    out.push_back(r);
  }
  if (row.open_problems > 0) {
    Reason r;
    r.code = ReasonCode::kProblemOpen;
    r.rag = Rag::kAmber;
    r.value = row.open_problems;
    r.problem = row.oldest_open_problem_id;
    out.push_back(r);
  }
}

}  // namespace

std::string ReasonMessage(const Reason& r, int year) {
  switch (r.code) {
    case ReasonCode::kBehindPlan: {
      const std::string points =
          r.places == 2 ? absl::StrFormat("%d.%02d", r.hundredths / 100,
                                          r.hundredths % 100)
                        : absl::StrFormat("%d.%d", r.hundredths / 100,
                                          r.hundredths % 100 / 10);
      return absl::StrCat("落后序时进度", points,
                          "个百分点 (behind time elapsed by ", points,
                          " points)");
    }
    case ReasonCode::kMilestoneOverdue:
      return absl::StrCat("节点", r.milestone, "逾期", r.value,
                          "天 (milestone ", r.milestone, " overdue by ",
                          r.value, " days)");
    case ReasonCode::kMissingReport:
      return absl::StrFormat("%d-%02d漏报 (no report for %d-%02d)", year,
                             r.value, year, r.value);
    case ReasonCode::kNoAnnualPlan:
      return absl::StrCat("无", year, "年度计划 (no annual plan for ", year,
                          ")");
    case ReasonCode::kProblemOpen:
      return absl::StrCat("待解决问题", r.value, "个 (", r.value,
                          " open problem", r.value == 1 ? "" : "s", ", oldest ",
                          r.problem, ")");
    case ReasonCode::kProblemOverdue:
      return absl::StrCat("问题", r.problem, "超期", r.value,
                          "天未解决 (problem ", r.problem, " overdue by ",
                          r.value, " days)");
  }
  return "";
}

double TimeElapsed(int month) { return month / 12.0; }

int DefaultAsOfMonth(int year, absl::CivilDay today) {
  if (year < today.year()) return 12;
  if (year > today.year()) return 1;
  return std::max(1, today.month() - 1);
}

absl::CivilDay AsOfDate(int year, int month, absl::CivilDay today) {
  const absl::CivilDay month_end =
      absl::CivilDay(absl::CivilMonth(year, month) + 1) - 1;
  return std::min(month_end, today);
}

ProjectStatusResult EvaluateStatus(const ProgressRow& row, int year,
                                   int as_of_month, absl::CivilDay as_of_date,
                                   const StatusThresholds& thresholds) {
  ProjectStatusResult s;
  s.year = year;
  s.as_of_month = as_of_month;
  s.annual_plan = row.annual_plan.value_or(0);
  s.planned_to_date = row.planned_to_date;
  s.completed_to_date = row.completed_to_date;
  s.time_elapsed = TimeElapsed(as_of_month);
  if (row.annual_plan.has_value() && *row.annual_plan > 0) {
    s.completion_rate =
        static_cast<double>(row.completed_to_date) / *row.annual_plan;
    const Behind behind =
        PointsBehind(row.completed_to_date, *row.annual_plan, as_of_month);
    if (behind.MoreThan(thresholds.amber_behind_points)) {
      s.reasons.push_back(BehindPlan(behind, thresholds));
    }
    if (!row.reported_in_month) {
      // The month whose report is due: the last closed one, when known.
      const int month = row.report_month > 0 ? row.report_month : as_of_month;
      Reason r;
      r.code = ReasonCode::kMissingReport;
      r.rag = Rag::kAmber;
      r.value = month;
      s.reasons.push_back(r);
    }
  } else {
    Reason r;
    r.code = ReasonCode::kNoAnnualPlan;
    r.rag = Rag::kAmber;
    s.reasons.push_back(r);
  }
  // Without a plan there is nothing to be behind: the gap stays 0 and the
  // missing plan is the reason.
  if (row.annual_plan.value_or(0) > 0) {
    s.gap_points = (s.completion_rate - s.time_elapsed) * 100;
  }
  if (row.earliest_overdue.has_value()) {
    s.reasons.push_back(Overdue(row, as_of_date, thresholds));
  }
  ProblemReasons(row, as_of_date, thresholds, s.reasons);
  s.open_problems = row.open_problems;
  s.overdue_problems = row.overdue_problems;
  std::stable_sort(
      s.reasons.begin(), s.reasons.end(),
      [](const Reason& a, const Reason& b) { return a.rag > b.rag; });
  s.rag = s.reasons.empty() ? Rag::kGreen : s.reasons.front().rag;
  return s;
}

std::vector<int64_t> EvenSplit(int64_t amount) {
  std::vector<int64_t> months(12, amount / 12);
  const int64_t remainder = amount % 12;
  for (int64_t i = 0; i < remainder; ++i) months[11 - i] += 1;
  return months;
}

absl::Status CheckMonthlySplit(int64_t amount,
                               const std::vector<int64_t>& monthly) {
  if (monthly.size() != 12) {
    return FieldError("monthly",
                      absl::StrCat("needs 12 amounts (January to December), "
                                   "got ",
                                   monthly.size()));
  }
  __int128 sum = 0;
  for (size_t i = 0; i < monthly.size(); ++i) {
    if (monthly[i] < 0) {
      return FieldError(absl::StrCat("monthly[", i, "]"),
                        "must not be negative");
    }
    // Each month checked first, so the sum below (at most 12 of them)
    // fits and the message can quote it.
    if (monthly[i] > kMaxAmount) {
      return FieldError(absl::StrCat("monthly[", i, "]"),
                        absl::StrCat(FormatWithCommas(monthly[i]),
                                     " yuan is more than the tracker accepts (",
                                     FormatWithCommas(kMaxAmount), ")"));
    }
    sum += monthly[i];
  }
  if (sum != amount) {
    const int64_t s = static_cast<int64_t>(sum);
    return FieldError(
        "monthly",
        absl::StrCat("the 12 amounts sum to ", FormatWithCommas(s),
                     " yuan but the annual plan is ", FormatWithCommas(amount),
                     " yuan (off by ", FormatWithCommas(s - amount), ")"));
  }
  return absl::OkStatus();
}

}  // namespace portfolio
