#ifndef PORTFOLIO_STORAGE_MIGRATIONS_H_
#define PORTFOLIO_STORAGE_MIGRATIONS_H_

#include "absl/status/status.h"
#include "storage/sqlite.h"

namespace portfolio::sqlite {

// The schema version this build writes.
int LatestSchemaVersion();

// Applies every migration above the file's PRAGMA user_version, each in its
// own transaction. FAILED_PRECONDITION when the file is newer than this
// build. Call before any other use of the database.
absl::Status Migrate(Connection& conn);

}  // namespace portfolio::sqlite

#endif  // PORTFOLIO_STORAGE_MIGRATIONS_H_
