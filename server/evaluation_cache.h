// Evaluated progress kept between calls and brought up to date by reading
// again only the projects that changed. A year summary over 100,000
// projects reads a dozen indexed figures per project; between two polls of
// a dashboard a few dozen projects change. The store stamps every project
// whose progress inputs change (StoreReader::LatestProgressMark), so the
// cache re-reads exactly those, with the same ListProgress and the same
// status rules as a fresh evaluation: one semantics, never two.
#ifndef PORTFOLIO_SERVER_EVALUATION_CACHE_H_
#define PORTFOLIO_SERVER_EVALUATION_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "server/progress.h"
#include "storage/records.h"
#include "storage/store.h"

namespace portfolio {

// The progress rows of a query with their statuses, and the order the
// status list shows them in. Not thread-safe.
class Evaluation {
 public:
  // Reads `q` afresh and applies `thresholds` to every row.
  static absl::StatusOr<Evaluation> Read(StoreReader& r, const ProgressQuery& q,
                                         const StatusThresholds& thresholds);

  // Ordered by project id; statuses()[i] is rows()[i]'s. Each row's
  // project carries id, display name, chapter, sector, park, stage,
  // levels, leads and total investment, not the free-text fields (owner,
  // national code, capacity, source).
  const std::vector<ProgressRow>& rows() const { return rows_; }
  const std::vector<ProjectStatusResult>& statuses() const { return statuses_; }
  // Indices into rows(), worst first: red, then amber, then green; within
  // each, furthest behind 序时进度 first; then by project id. Computed on
  // the first call after a change.
  const std::vector<uint32_t>& WorstFirst();

  // Re-reads the projects `ids` (sorted) under `q` and puts each in its
  // place: replaced, added (it now matches), or removed (it no longer
  // does).
  absl::Status Refresh(StoreReader& r, const ProgressQuery& q,
                       const StatusThresholds& thresholds,
                       const std::vector<std::string>& ids);

 private:
  std::vector<ProgressRow> rows_;
  std::vector<ProjectStatusResult> statuses_;
  std::vector<uint32_t> order_;
  bool order_valid_ = false;
  // Rows replaced since order_ was valid (same indices), when order_ can
  // be repaired by a merge rather than a full sort.
  std::vector<uint32_t> changed_;
  bool reshaped_ = false;  // rows added or removed: indices moved
};

// Evaluations of recent queries, each valid as of a progress mark.
// Thread-safe: calls for the same query take turns (one brings the entry
// up to date while the others wait); different queries run in parallel.
class EvaluationCache {
 public:
  // Keeps entries while their rows add up to at most `max_rows` (the entry
  // in use is kept whatever its size). A row is about 1 KB: the default
  // holds one province-sized evaluation (100,000 projects) and the
  // district-sized ones asked beside it.
  EvaluationCache(StatusThresholds thresholds, size_t max_rows = 120000);

  // Calls `fn` with the evaluation of `q` as of the snapshot `r` reads,
  // and returns what fn returns. `fn` must not keep the reference. Queries
  // with `known_at` set are read afresh and not kept (their figures come
  // from history, which no mark tracks). Errors: those of the store, or
  // fn's.
  absl::Status Use(StoreReader& r, const ProgressQuery& q,
                   absl::FunctionRef<absl::Status(Evaluation&)> fn);

  // Projects changed since an entry's mark beyond which re-reading the
  // whole query is cheaper than re-reading each one.
  static constexpr int64_t kMaxRefresh = 2000;

 private:
  struct Entry {
    std::string key;
    absl::Mutex mu;
    bool valid ABSL_GUARDED_BY(mu) = false;
    int64_t mark ABSL_GUARDED_BY(mu) = 0;
    Evaluation evaluation ABSL_GUARDED_BY(mu);
    size_t rows = 0;  // guarded by the cache's mu_
  };

  std::shared_ptr<Entry> Find(const std::string& key);
  // Takes least recently used entries other than `keep` out until the
  // rows held, plus `reserve` more, fit in max_rows_; returns them, to be
  // released outside mu_, and adds their rows to *evicted_rows.
  std::vector<std::shared_ptr<Entry>> Evict(const Entry* keep, size_t reserve,
                                            size_t* evicted_rows)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Drops `evicted`, and gives the memory back to the system when
  // `freed_rows` (theirs and any other just freed) come to kTrimRows.
  static void Release(std::vector<std::shared_ptr<Entry>> evicted,
                      size_t freed_rows);
  static constexpr size_t kTrimRows = 10000;

  const StatusThresholds thresholds_;
  const size_t max_rows_;
  absl::Mutex mu_;
  std::list<std::shared_ptr<Entry>> entries_ ABSL_GUARDED_BY(mu_);  // MRU first
  size_t largest_ ABSL_GUARDED_BY(mu_) = 0;  // rows of the largest read
};

// The key a query's evaluation is kept under: every field of `q`.
std::string EvaluationKey(const ProgressQuery& q);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_EVALUATION_CACHE_H_
