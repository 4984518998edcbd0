// A project's progress for any month of a year, computed from its year of
// inputs (YearInputs) exactly as ListProgress computes it in SQL: the one
// is checked against the other (evaluation_cache_test), for every kind of
// write, month, report month, date, basis and filter.
#ifndef PORTFOLIO_STORAGE_YEAR_INPUTS_H_
#define PORTFOLIO_STORAGE_YEAR_INPUTS_H_

#include <cstdint>

#include "absl/time/civil_time.h"
#include "storage/records.h"

namespace portfolio {

// `day` as YearInputs holds it: days since 1970-01-01.
int32_t DayNumber(absl::CivilDay day);

// Whether the project belongs to a portfolio read with `active_only`: a
// finished project (stage completed or in_operation) only with a plan or a
// ledger entry in the year.
bool InYearPortfolio(const ProjectRecord& project, const YearInputs& inputs,
                     bool active_only);

// Sets every figure of `row` (all but row.project) to what ListProgress
// gives for the project under `q`. `inputs` must have been read for
// q.year and q.baseline, and q.known_at must be unset (history is not in
// the inputs). Thread-compatible; allocates only for the ids it copies.
void DeriveProgress(const YearInputs& inputs, const ProgressQuery& q,
                    ProgressRow& row);

}  // namespace portfolio

#endif  // PORTFOLIO_STORAGE_YEAR_INPUTS_H_
