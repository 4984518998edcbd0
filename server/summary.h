// Portfolio totals and groupings over per-project progress. Plain functions.
#ifndef PORTFOLIO_SERVER_SUMMARY_H_
#define PORTFOLIO_SERVER_SUMMARY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "server/progress.h"
#include "storage/records.h"

namespace portfolio {

enum class Dimension { kNone, kLevel, kChapter, kPark, kSector, kStage, kLead };

// Figures over a set of projects.
struct Figures {
  int project_count = 0;
  int planned_project_count = 0;
  int64_t annual_plan = 0;
  int64_t planned_to_date = 0;
  int64_t completed_to_date = 0;
  // Completed to date of the projects with a plan: the rate's numerator.
  int64_t planned_completed_to_date = 0;
  int64_t total_investment = 0;  // sum of known 总投资
  int green = 0, amber = 0, red = 0;
  // Projects with milestones of a kind due (ProgressRow::Due), and those
  // with all of them done: 开工率, 竣工率, 投产率.
  int start_due = 0, started = 0;
  int completion_due = 0, completed = 0;
  int operation_due = 0, in_operation = 0;
  int open_problems = 0, overdue_problems = 0;
  // A yuan sum above would have passed int64: it holds the limit instead.
  bool overflowed = false;

  void Add(const ProgressRow& row, const ProjectStatusResult& status);
  // planned_completed_to_date / annual_plan; 0 without plans.
  double CompletionRate() const;
};

// done / due; 0 when nothing is due.
double Rate(int done, int due);

// done / due; 0 when nothing is due.
double Rate(int done, int due);

struct SummaryResult {
  int year = 0;
  int as_of_month = 0;
  Figures totals;
  // Groups ordered by key, the empty key ("not stated") last.
  std::vector<std::pair<std::string, Figures>> groups;
  // Each group's rank by completion rate (same order as `groups`): 1 for
  // the highest; equal rates (compared exactly, as fractions) share a
  // rank, and the next rank skips (1, 1, 3); 0 for a group without a plan.
  std::vector<int> ranks;
};

// The year and as-of month a request means: year 0 is the current year,
// month 0 is DefaultAsOfMonth. INVALID_ARGUMENT naming `year` or
// `as_of_month` when out of range, or when the month is after today's
// (naming the month when given, else the year).
absl::StatusOr<std::pair<int, int>> ResolveYearMonth(int year, int as_of_month,
                                                     absl::CivilDay today);

// The keys a project is grouped under: one for most dimensions, one per
// lead for kLead (none -> the empty key). Level keys are the level of
// `year` and, like stage keys, the proto enum value without its prefix
// (PROVINCIAL, NEW_START); chapter keys are "1".."9".
std::vector<std::string> GroupKeys(const ProjectBrief& p, int year,
                                   Dimension dimension);
// The same keys, each handed to `fn` (valid only during the call), without
// building a vector: Summarize calls it once per project.
void ForEachGroupKey(const ProjectBrief& p, int year, Dimension dimension,
                     absl::FunctionRef<void(absl::string_view)> fn);

// Adds up `rows` (with their statuses, same order and length) into totals
// and groups.
SummaryResult Summarize(const std::vector<ProgressRow>& rows,
                        const std::vector<ProjectStatusResult>& statuses,
                        int year, int as_of_month, Dimension dimension);
// The same for `n` rows kept elsewhere: row(i) and status(i), i < n, give
// each (an evaluation's rows are shared between evaluations, not a vector).
SummaryResult Summarize(
    size_t n, absl::FunctionRef<const ProgressRow&(size_t)> row,
    absl::FunctionRef<const ProjectStatusResult&(size_t)> status, int year,
    int as_of_month, Dimension dimension);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_SUMMARY_H_
