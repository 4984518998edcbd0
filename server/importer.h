// Bulk import of CSV files (the formats of data/README.md), all or nothing.
// Used by the ImportRecords RPC and by the first-start seed.
#ifndef PORTFOLIO_SERVER_IMPORTER_H_
#define PORTFOLIO_SERVER_IMPORTER_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "storage/store.h"

namespace portfolio {

enum class ImportKind {
  kProjects,
  kPlans,
  kIndicators,
  kPortfolios,
  kUsers,
  kMilestones,
  kInvestments,
  kProblems,
  kPeriods,
};

// Limits on one imported file.
inline constexpr size_t kMaxImportBytes = 8 << 20;  // 8 MiB
inline constexpr size_t kMaxImportRows = 50000;

struct ImportCounts {
  int created = 0;
  int updated = 0;
};

// Validates the rows of `content` and creates or updates the records
// through `w`, inside the caller's transaction: on any error the caller
// rolls back and nothing is written. `user_id` is who imports (it becomes
// the reported_by, updated_by, opened_by ... of what is written) and `now`
// the time written records carry; `request_id`, the import's, is kept on
// the ledger entries it appends.
//
// Keys (a key twice in one file is an error unless said otherwise):
// - projects, indicators (id, year), portfolios (year), users (id),
//   milestones and problems (project_id, id), periods (period): a key
//   already stored is updated, a new one created. Indicator values
//   already recorded (same year, month and value) are not appended again,
//   so importing a file twice records nothing twice (updated records still
//   get a new etag). Empty cells leave an indicator's unit, chapter and
//   kind as they were.
// - plans (project_id, year): rows apply in file order, so a key may
//   repeat: the first plan of a year is its baseline, a later different
//   one the next revision, which needs a `reason`; identical figures
//   change nothing and are counted neither created nor updated.
// - investments: appended in file order, every row created. `corrects`
//   names the `entry` number of an earlier row of the same file; the
//   correction is appended against the id that row's entry received.
//   Unless `allow_duplicate_entries`, a report row whose project and month
//   held a standing entry of the same amount before the import is refused
//   (ALREADY_EXISTS naming the row's amount): the file is in already.
//
// Errors name "FILE line L, column C (COLUMN)": INVALID_ARGUMENT for
// malformed CSV, unknown or missing columns, bad values, a repeated key,
// project leads who are not users, a plan revision without a reason;
// NOT_FOUND for a row naming an unknown project; FAILED_PRECONDITION for a
// ledger entry in a month closed for reporting, a correction that would
// take an entry or a project's total below zero, and a users row that
// would disable or demote the importing admin; INVALID_ARGUMENT for a file
// over the limits. Store errors are returned as they are.
absl::StatusOr<ImportCounts> ImportCsv(
    StoreWriter& w, ImportKind kind, absl::string_view filename,
    absl::string_view content, absl::string_view user_id, absl::Time now,
    absl::string_view request_id = "", bool allow_duplicate_entries = false);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_IMPORTER_H_
