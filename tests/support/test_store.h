// The store most tests run against: a real SQLite file in a test's own
// directory. Header-only, so only tests that link the storage library
// include it.
#ifndef PORTFOLIO_TESTS_SUPPORT_TEST_STORE_H_
#define PORTFOLIO_TESTS_SUPPORT_TEST_STORE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace portfolio::testing {

// Opens dir/portfolio.db, creating and migrating it when new. Errors:
// OpenSqliteStore's. The caller owns the store.
inline absl::StatusOr<std::unique_ptr<Store>> OpenStoreIn(const TempDir& dir) {
  SqliteStoreOptions options;
  options.path = dir.File("portfolio.db");
  return OpenSqliteStore(options);
}

}  // namespace portfolio::testing

#endif  // PORTFOLIO_TESTS_SUPPORT_TEST_STORE_H_
