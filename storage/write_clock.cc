#include "storage/write_clock.h"

#include <algorithm>

namespace portfolio {

WriteClock::WriteClock(absl::Time last) : last_(last), spent_(last) {}

void WriteClock::BeginBatch() {
  absl::MutexLock lock(&mu_);
  running_ = true;
  first_.reset();
  max_.reset();
}

absl::Time WriteClock::Stamp(absl::Time wall) {
  absl::MutexLock lock(&mu_);
  absl::Time floor = spent_ + absl::Microseconds(1);
  if (reported_ != absl::InfinitePast()) {
    floor = std::max(floor, reported_ + absl::Microseconds(1));
  }
  if (max_.has_value()) floor = std::max(floor, *max_);
  // Stored to the microsecond: a finer wall time would compare after a
  // stamp it equals once stored.
  const absl::Time t =
      std::max(absl::FromUnixMicros(absl::ToUnixMicros(wall)), floor);
  if (!first_.has_value()) first_ = t;
  max_ = t;
  return t;
}

std::optional<absl::Time> WriteClock::BatchMax() const {
  absl::MutexLock lock(&mu_);
  return max_;
}

void WriteClock::EndBatch(bool committed) {
  absl::MutexLock lock(&mu_);
  if (max_.has_value()) spent_ = std::max(spent_, *max_);
  // A failed batch is not a batch a snapshot can miss: reads go on
  // reporting their wall time, which later stamps follow (spent_).
  if (committed && first_.has_value()) {
    recent_.push_back(Batch{last_, *first_, *max_});
    if (recent_.size() > kRemembered) recent_.pop_front();
    last_ = *max_;
  }
  running_ = false;
  first_.reset();
  max_.reset();
}

absl::Time WriteClock::Instant(absl::Time snapshot_last, absl::Time wall) {
  absl::MutexLock lock(&mu_);
  if (snapshot_last < last_) {
    // Batches have committed since the snapshot: just before the first.
    for (const Batch& b : recent_) {
      if (b.after == snapshot_last) return b.first - absl::Microseconds(1);
    }
    return snapshot_last;
  }
  // A batch running that the snapshot does not hold (it may hold one that
  // has committed and not yet ended: then its stamps are all at or before
  // snapshot_last).
  if (running_ && first_.has_value() && *first_ > snapshot_last) {
    return *first_ - absl::Microseconds(1);
  }
  const absl::Time now =
      std::max(absl::FromUnixMicros(absl::ToUnixMicros(wall)), snapshot_last);
  reported_ = std::max(reported_, now);
  return now;
}

}  // namespace portfolio
