#include "server/response_cache.h"

#include <utility>

namespace portfolio {

std::optional<std::string> ResponseCache::Get(const std::string& key) const {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void ResponseCache::Put(const std::string& key, std::string bytes) {
  absl::MutexLock lock(&mu_);
  if (capacity_ == 0) return;
  auto [it, inserted] = entries_.insert_or_assign(key, std::move(bytes));
  if (!inserted) return;
  order_.push_back(key);
  while (order_.size() > capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace portfolio
