// Importers of what happens to projects during a year: milestones, ledger
// entries, blocking problems and closed reporting months. ImportCsv
// (importer.h) parses the file and dispatches here; its contract covers
// these, and each function below adds what is particular to its kind.
// Each writes through `w` in the caller's transaction and returns at the
// first bad row, leaving the rollback to the caller.
#ifndef PORTFOLIO_SERVER_IMPORT_PROGRESS_H_
#define PORTFOLIO_SERVER_IMPORT_PROGRESS_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "server/import_table.h"
#include "server/importer.h"
#include "storage/store.h"

namespace portfolio {

// The columns of each kind of file.
const Schema& MilestoneSchema();
const Schema& InvestmentSchema();
const Schema& ProblemSchema();
const Schema& PeriodSchema();

// Upserts milestones keyed by (project_id, id). Ids of the form m<N> are
// accepted (an export holds the ones the server assigned; later ones it
// assigns continue after the largest). A new milestone needs `kind`; a
// blank display_name means the kind's Chinese name. Optional columns the
// file lacks leave an existing milestone's fields as they are; a blank
// date clears it. INVALID_ARGUMENT for an actual_date after today (in the
// district's time zone at `now`).
absl::StatusOr<ImportCounts> ImportMilestones(StoreWriter& w, const Table& t,
                                              absl::string_view file,
                                              absl::Time now);

// Appends ledger entries in file order, reported by `user_id` at `now`
// under `request_id`. A row with `corrects` is a correction of the earlier
// row whose `entry` number it names: it must give a non-zero signed amount
// and a reason, belongs to that row's project, and is dated in its month
// (a blank period means that month). Every other row needs a period not
// after this month and an amount > 0, and takes no reason.
// FAILED_PRECONDITION for a month closed for reporting, for a correction
// of a correction, and for a correction that would take its entry or its
// project's ledger total below zero (as CorrectInvestment refuses them).
// Unless `allow_duplicate_entries`, ALREADY_EXISTS for a report whose
// project and month held a standing entry of the same amount before this
// import (entries appended by earlier rows of the file do not count): a
// file imported twice would otherwise be counted twice.
absl::StatusOr<ImportCounts> ImportInvestments(StoreWriter& w, const Table& t,
                                               absl::string_view file,
                                               absl::string_view user_id,
                                               absl::Time now,
                                               absl::string_view request_id,
                                               bool allow_duplicate_entries);

// Upserts problems keyed by (project_id, id). A new problem is opened by
// `user_id` at `now`; naming a new responsible unit records an assignment
// by `user_id` at `now`, reaching `resolved` a resolution likewise. An
// assigned problem needs a responsible unit, a resolved one a resolution,
// and only a resolved one may have a resolution. INVALID_ARGUMENT for a
// row that changes an existing problem's category or description (they
// never change); FAILED_PRECONDITION for one that moves a problem back
// (assigned to open, resolved to anything: as in the API, the life cycle
// only moves forward).
absl::StatusOr<ImportCounts> ImportProblems(StoreWriter& w, const Table& t,
                                            absl::string_view file,
                                            absl::string_view user_id,
                                            absl::Time now);

// Sets which months are closed for reporting: `closed` true closes a month
// (by `user_id` at `now`), false reopens a closed one with `reason` (or,
// when blank, a reason naming the file and line), and records a month
// never closed here as closed and reopened, as the exporting server had
// it. A month already in the state asked is left alone and not counted.
// INVALID_ARGUMENT for a month after this one, or a reason on a row that
// closes.
absl::StatusOr<ImportCounts> ImportPeriods(StoreWriter& w, const Table& t,
                                           absl::string_view file,
                                           absl::string_view user_id,
                                           absl::Time now);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_IMPORT_PROGRESS_H_
