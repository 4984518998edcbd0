// The heart of the summary: plan against actual, 序时进度 and the
// red/amber/green rules. Plain functions over plain structs; no I/O.
#ifndef PORTFOLIO_SERVER_PROGRESS_H_
#define PORTFOLIO_SERVER_PROGRESS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "storage/records.h"

namespace portfolio {

// Thresholds for the status rules. Every field states its default.
struct StatusThresholds {
  // Amber when completion trails 序时进度 by more than this many points.
  int amber_behind_points = 5;
  // Red when it trails by more than this many points.
  int red_behind_points = 15;
  // A milestone overdue by more than this many days makes a project red
  // (any overdue milestone makes it at least amber).
  int red_overdue_days = 30;
};

enum class Rag { kGreen = 1, kAmber = 2, kRed = 3 };

enum class ReasonCode {
  kBehindPlan = 1,
  kMilestoneOverdue = 2,
  kMissingReport = 3,
  kNoAnnualPlan = 4,
  kProblemOpen = 5,
  kProblemOverdue = 6,
};

struct Reason {
  ReasonCode code;
  Rag rag;
  int64_t value = 0;  // points behind (rounded), days overdue, or month
  // kBehindPlan: hundredths of a point behind, for the message, shown to
  // `places` decimals (1 or 2), so that 15.4 points (red past 15) does not
  // read as the 15.0 of an amber: to a tenth (rounded), or to a hundredth
  // (rounded away from the threshold) where a tenth would show a
  // threshold the figure is not at: 15.04 behind (red) shows "15.04",
  // 15.001 shows "15.01", never the "15.0" of an amber.
  int64_t hundredths = 0;
  int places = 1;
  std::string milestone;  // milestone id for kMilestoneOverdue
  std::string problem;    // problem id for kProblemOpen / kProblemOverdue
};

// What `r` says to people, in Chinese and English. Made when shown, not
// kept with each status: a province's statuses would hold megabytes of it.
std::string ReasonMessage(const Reason& r, int year);

struct ProjectStatusResult {
  int year = 0;
  int as_of_month = 0;
  int64_t annual_plan = 0;
  int64_t planned_to_date = 0;
  int64_t completed_to_date = 0;
  double completion_rate = 0;  // completed / plan, 0 without a plan
  double time_elapsed = 0;     // as_of_month / 12
  double gap_points = 0;       // (completion_rate - time_elapsed) * 100;
                               // 0 without a plan
  Rag rag = Rag::kGreen;
  std::vector<Reason> reasons;  // worst first
  int open_problems = 0;
  int overdue_problems = 0;
};

// 序时进度 at the end of `month` (1..12): month / 12.
double TimeElapsed(int month);

// The as-of month used when a caller gives none: 12 for a past year; for
// the current year the last complete month (1 in January); 1 for a future
// year. `today` is the district's current civil day.
int DefaultAsOfMonth(int year, absl::CivilDay today);

// The date milestones are judged against for year/month: the last day of
// the month, or `today` when that is earlier.
absl::CivilDay AsOfDate(int year, int month, absl::CivilDay today);

// Applies the status rules to one project's figures. `as_of_date` is the
// date milestones are judged against (AsOfDate).
ProjectStatusResult EvaluateStatus(const ProgressRow& row, int year,
                                   int as_of_month, absl::CivilDay as_of_date,
                                   const StatusThresholds& thresholds);

// Twelve monthly amounts summing to `amount` (>= 0): an even split with the
// remainder yuan spread one each over the last months.
std::vector<int64_t> EvenSplit(int64_t amount);

// OK when `monthly` has 12 non-negative amounts summing to `amount`;
// otherwise INVALID_ARGUMENT saying which and by how much.
absl::Status CheckMonthlySplit(int64_t amount,
                               const std::vector<int64_t>& monthly);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_PROGRESS_H_
