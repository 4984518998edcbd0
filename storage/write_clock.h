// The instants writes are stamped with, kept in commit order, and the
// instant a read's snapshot reflects exactly. A summary asked "as known
// at" an instant counts what was stamped at or before it; for a response's
// as_known_at to reproduce it later, every write stamped at or before that
// instant must be in the response's snapshot, and every write not in it
// stamped after. Stamps taken by callers before their write reached the
// writer break that (a write stamped, then a read, then the write's
// commit), so stamps are taken on the writer thread, in the order batches
// commit, strictly later than every earlier batch's and every instant a
// read has already reported.
#ifndef PORTFOLIO_STORAGE_WRITE_CLOCK_H_
#define PORTFOLIO_STORAGE_WRITE_CLOCK_H_

#include <deque>
#include <optional>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace portfolio {

// Thread-safe. The writer thread calls BeginBatch, Stamp, BatchMax and
// EndBatch in that order for each batch; readers call Instant from any
// thread.
//
// Exact across a restart only while the clock does not go back past an
// instant already reported: those are not kept, only the newest stamp.
class WriteClock {
 public:
  // `last`: the newest stamp the database holds (the store's write_clock
  // row); stamps taken from now on are later.
  explicit WriteClock(absl::Time last);

  // A batch of writes begins; none of its stamps is visible to readers
  // until it has committed.
  void BeginBatch();
  // The stamp for a write of the current batch, for a change made at wall
  // time `wall`: `wall`, or a later instant when `wall` is not after every
  // earlier batch's stamps and every instant reported by Instant (a clock
  // stepped back, or a fake one standing still, gives stamps a microsecond
  // apart). Never before an earlier stamp of the same batch.
  absl::Time Stamp(absl::Time wall);
  // The batch's latest stamp, or none when it took none; the store records
  // it in the batch's transaction (the write_clock row).
  std::optional<absl::Time> BatchMax() const;
  // The batch has committed, or failed (nothing of it is visible). Either
  // way its stamps are spent: later ones are after them.
  void EndBatch(bool committed);

  // The instant a read reflects exactly, for a read whose snapshot holds
  // `snapshot_last` (the write_clock row as the snapshot sees it), made at
  // wall time `wall`: every stamp at or before it is in the snapshot and
  // every later write is stamped after it. That is just before the first
  // stamp of the first batch the snapshot misses, when that batch has
  // taken one; otherwise `wall` (no earlier than `snapshot_last`), and
  // every stamp taken from then on is later. When the snapshot is older
  // than the batches remembered (kRemembered), `snapshot_last` itself.
  absl::Time Instant(absl::Time snapshot_last, absl::Time wall);

  // Committed batches remembered for Instant: a read that takes longer to
  // ask than this many batches take to commit reports its snapshot's last
  // stamp, which is exact but older.
  static constexpr size_t kRemembered = 64;

 private:
  struct Batch {
    absl::Time after;  // the previous batch's last stamp
    absl::Time first;
    absl::Time last;
  };

  mutable absl::Mutex mu_;
  // The last stamp of the newest committed batch that took one.
  absl::Time last_ ABSL_GUARDED_BY(mu_);
  // The latest stamp handed out, committed or not.
  absl::Time spent_ ABSL_GUARDED_BY(mu_);
  // The latest instant Instant has reported at wall time.
  absl::Time reported_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  // The batch running, and its stamps when it has taken any.
  bool running_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<absl::Time> first_ ABSL_GUARDED_BY(mu_);
  std::optional<absl::Time> max_ ABSL_GUARDED_BY(mu_);
  std::deque<Batch> recent_ ABSL_GUARDED_BY(mu_);
};

}  // namespace portfolio

#endif  // PORTFOLIO_STORAGE_WRITE_CLOCK_H_
