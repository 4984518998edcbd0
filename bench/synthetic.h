// Synthetic portfolios for the benchmark: invented projects with leads,
// plans, milestones, problems and a year of monthly ledger entries with
// corrections, at any scale. Every
// project says it is synthetic, and the database is labelled so
// (dataset_label), so summaries of it say so too.
#ifndef PORTFOLIO_BENCH_SYNTHETIC_H_
#define PORTFOLIO_BENCH_SYNTHETIC_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace portfolio::bench {

struct SyntheticOptions {
  int projects = 120;
  int year = 2024;
  // One correction for every this many entries.
  int correction_every = 20;
  uint64_t seed = 1;
};

// What a generation wrote.
struct SyntheticCounts {
  int64_t projects = 0;
  int64_t entries = 0;  // corrections included
  int64_t milestones = 0;
  int64_t problems = 0;
  int64_t ledger_total = 0;
};

// Creates the database at `db_path` (which must not exist) through the
// store and fills it, with the user admin and its token in admin.token
// beside it, as a server's first start makes them. Deterministic for given
// options, but for the token.
absl::StatusOr<SyntheticCounts> GenerateSynthetic(
    const std::string& db_path, const SyntheticOptions& options);

// Projects CSV (the import format) for `count` synthetic projects with
// ids syn-000001..., for loading a running server through ImportRecords.
std::string SyntheticProjectsCsv(int count);

}  // namespace portfolio::bench

#endif  // PORTFOLIO_BENCH_SYNTHETIC_H_
