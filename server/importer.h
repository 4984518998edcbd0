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

enum class ImportKind { kProjects, kPlans, kIndicators, kPortfolios };

// Limits on one imported file.
inline constexpr size_t kMaxImportBytes = 8 << 20;  // 8 MiB
inline constexpr size_t kMaxImportRows = 50000;

struct ImportCounts {
  int created = 0;
  int updated = 0;
};

// Validates every row of `content`, then creates or updates the records
// through `w` (inside the caller's transaction, so a failure leaves nothing
// written). Rows are keyed by id (projects, indicators), project and year
// (plans) or year (portfolios); a key present twice in the file is an error.
// Indicator values already recorded (same year, month and value) are not
// appended again, so importing a file twice records nothing twice (updated
// records still get a new etag). Empty cells leave an indicator's unit,
// chapter and kind as they were.
// Errors name "FILE line L, column C (COLUMN)": INVALID_ARGUMENT for
// malformed CSV, unknown or missing columns, bad values and project leads
// who are not users; NOT_FOUND for a plan of an unknown project;
// INVALID_ARGUMENT for a file over the limits.
absl::StatusOr<ImportCounts> ImportCsv(StoreWriter& w, ImportKind kind,
                                       absl::string_view filename,
                                       absl::string_view content,
                                       absl::string_view user_id,
                                       absl::Time now);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_IMPORTER_H_
