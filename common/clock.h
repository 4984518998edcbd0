// Time behind an interface, so that logic never reads the wall clock and
// tests can fix "now".
#ifndef PORTFOLIO_COMMON_CLOCK_H_
#define PORTFOLIO_COMMON_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace portfolio {

// The time zone the district works in (China Standard Time, UTC+8, no DST);
// "this month" and "today" are taken here, not in the server's zone.
inline absl::TimeZone DistrictTimeZone() {
  return absl::FixedTimeZone(8 * 60 * 60);
}

// Thread-safe source of the current time.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The real wall clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// A clock that stands still until told otherwise; for tests. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time now) : now_(now) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Set(absl::Time now) {
    absl::MutexLock lock(&mu_);
    now_ = now;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace portfolio

#endif  // PORTFOLIO_COMMON_CLOCK_H_
