// Wakes change-feed streams when a write commits, so they never poll the
// database on a timer when nothing has changed.
#ifndef PORTFOLIO_SERVER_CHANGE_NOTIFIER_H_
#define PORTFOLIO_SERVER_CHANGE_NOTIFIER_H_

#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace portfolio {

// A counter of committed changes that waiters can block on. Thread-safe.
class ChangeNotifier final {
 public:
  // The number of changes announced so far.
  uint64_t version() const {
    absl::MutexLock lock(&mu_);
    return version_;
  }
  // Announces a committed change and wakes every waiter.
  void Notify() {
    absl::MutexLock lock(&mu_);
    ++version_;
  }
  // Blocks until the version moves past `seen`, Stop() is called, or
  // `timeout` passes. Returns true unless stopped.
  bool WaitPast(uint64_t seen, absl::Duration timeout) const {
    absl::MutexLock lock(&mu_);
    auto moved = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return version_ != seen || stopped_;
    };
    mu_.AwaitWithTimeout(absl::Condition(&moved), timeout);
    return !stopped_;
  }
  // Wakes every waiter for good: the server is shutting down.
  void Stop() {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
  }
  bool stopped() const {
    absl::MutexLock lock(&mu_);
    return stopped_;
  }

 private:
  mutable absl::Mutex mu_;
  uint64_t version_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_CHANGE_NOTIFIER_H_
