#include "storage/year_inputs.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>

namespace portfolio {

MonthAmounts& MonthAmounts::operator=(const MonthAmounts& other) {
  if (this == &other) return *this;
  narrow_ = other.narrow_;
  wide_ = other.wide_ ? std::make_unique<std::array<int64_t, 12>>(*other.wide_)
                      : nullptr;
  return *this;
}

void MonthAmounts::Set(int index, int64_t amount) {
  if (!wide_ && (amount < INT32_MIN || amount > INT32_MAX)) {
    wide_ = std::make_unique<std::array<int64_t, 12>>();
    for (int m = 0; m < 12; ++m) (*wide_)[m] = narrow_[m];
  }
  if (wide_) {
    (*wide_)[index] = amount;
  } else {
    narrow_[index] = static_cast<int32_t>(amount);
  }
}

int32_t DayNumber(absl::CivilDay day) {
  return static_cast<int32_t>(day - absl::CivilDay(1970, 1, 1));
}

namespace {

absl::CivilDay FromDayNumber(int32_t n) {
  return absl::CivilDay(1970, 1, 1) + n;
}

// ListProgress keeps the least of "key id" texts: with fixed-width keys
// that is the least (key, id) pair, ids compared byte by byte.
template <typename Key>
bool Earlier(Key a, absl::string_view a_id, Key b, absl::string_view b_id) {
  return a != b ? a < b : a_id < b_id;
}

}  // namespace

bool InYearPortfolio(const ProjectRecord& project, const YearInputs& inputs,
                     bool active_only) {
  if (!active_only) return true;
  if (project.stage != "completed" && project.stage != "in_operation") {
    return true;
  }
  return inputs.annual_plan.has_value() || inputs.reported != 0;
}

void DeriveProgress(const YearInputs& inputs, const ProgressQuery& q,
                    ProgressRow& row) {
  const int months = q.as_of_month < 0    ? 0
                     : q.as_of_month > 12 ? 12
                                          : q.as_of_month;
  row.annual_plan = inputs.annual_plan;
  row.planned_to_date = 0;
  row.completed_to_date = 0;
  for (int m = 0; m < months; ++m) {
    row.planned_to_date += inputs.planned[m];
    row.completed_to_date += inputs.completed[m];
  }
  row.report_month = q.report_month > 0 ? q.report_month : q.as_of_month;
  // As ListProgress: a month planned at zero has no report missing.
  row.reported_in_month = row.report_month >= 1 && row.report_month <= 12 &&
                          (((inputs.reported >> (row.report_month - 1)) & 1) ||
                           (inputs.annual_plan.has_value() &&
                            inputs.planned[row.report_month - 1] == 0));

  const int32_t as_of = DayNumber(q.as_of_date);
  const int32_t year_start = DayNumber(absl::CivilDay(q.year, 1, 1));
  const YearInputs::Milestone* overdue = nullptr;
  // Due and done counts of the tallied kinds (index tallied_kind - 1).
  int due[3] = {0, 0, 0}, done[3] = {0, 0, 0};
  for (const YearInputs::Milestone& m : inputs.milestones) {
    if (m.planned < as_of &&
        (m.actual == YearInputs::kNoDay || m.actual > as_of) &&
        (overdue == nullptr ||
         Earlier(m.planned, inputs.id(m), overdue->planned,
                 inputs.id(*overdue)))) {
      overdue = &m;
    }
    if (m.tallied_kind > 0 && m.planned != YearInputs::kNoDay &&
        m.planned >= year_start && m.planned <= as_of) {
      ++due[m.tallied_kind - 1];
      if (m.actual != YearInputs::kNoDay && m.actual <= as_of) {
        ++done[m.tallied_kind - 1];
      }
    }
  }
  if (overdue != nullptr) {
    row.earliest_overdue = FromDayNumber(overdue->planned);
    row.earliest_overdue_id = std::string(inputs.id(*overdue));
  } else {
    row.earliest_overdue.reset();
    row.earliest_overdue_id.clear();
  }
  ProgressRow::Due* tallies[3] = {&row.start, &row.completion, &row.operation};
  for (int k = 0; k < 3; ++k) {
    *tallies[k] = ProgressRow::Due{due[k] > 0, due[k] > 0 && done[k] == due[k]};
  }

  const int64_t at = q.problems_at ? absl::ToUnixMicros(*q.problems_at)
                                   : std::numeric_limits<int64_t>::max();
  const YearInputs::Problem* oldest = nullptr;
  const YearInputs::Problem* earliest_deadline = nullptr;
  row.open_problems = 0;
  row.overdue_problems = 0;
  for (const YearInputs::Problem& p : inputs.problems) {
    if (p.create_micros > at || (p.resolved && p.resolve_micros <= at))
      continue;
    ++row.open_problems;
    if (oldest == nullptr ||
        Earlier(p.create_micros, inputs.id(p), oldest->create_micros,
                inputs.id(*oldest))) {
      oldest = &p;
    }
    if (p.deadline < as_of) {
      ++row.overdue_problems;
      if (earliest_deadline == nullptr ||
          Earlier(p.deadline, inputs.id(p), earliest_deadline->deadline,
                  inputs.id(*earliest_deadline))) {
        earliest_deadline = &p;
      }
    }
  }
  if (oldest != nullptr) {
    row.oldest_open_problem_id = std::string(inputs.id(*oldest));
  } else {
    row.oldest_open_problem_id.clear();
  }
  if (earliest_deadline != nullptr) {
    row.earliest_problem_deadline = FromDayNumber(earliest_deadline->deadline);
    row.earliest_problem_deadline_id =
        std::string(inputs.id(*earliest_deadline));
  } else {
    row.earliest_problem_deadline.reset();
    row.earliest_problem_deadline_id.clear();
  }
}

}  // namespace portfolio
