// A small cache of serialized responses to reads that are costly to compute
// and asked for again and again (dashboards polling the year's summary).
// Entries are keyed by the request as resolved and the store's write
// generation, so a committed write makes every older entry unreachable;
// they age out as new ones arrive.
#ifndef PORTFOLIO_SERVER_RESPONSE_CACHE_H_
#define PORTFOLIO_SERVER_RESPONSE_CACHE_H_

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace portfolio {

// Thread-safe.
class ResponseCache {
 public:
  explicit ResponseCache(size_t capacity = 64) : capacity_(capacity) {}

  // The bytes stored under `key`, or nullopt.
  std::optional<std::string> Get(const std::string& key) const;
  // Stores `bytes` under `key`, evicting the oldest entry when full.
  void Put(const std::string& key, std::string bytes);

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  std::unordered_map<std::string, std::string> entries_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);  // oldest first
};

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_RESPONSE_CACHE_H_
