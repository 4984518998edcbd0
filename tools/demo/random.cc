#include "tools/demo/random.h"

#include <algorithm>

namespace portfolio::demo {
namespace {

// FNV-1a over the stream's name: a fixed, portable hash (std::hash is not
// the same everywhere).
uint64_t HashName(absl::string_view name) {
  uint64_t h = 14695981039346656037ULL;
  for (const char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// SplitMix64's finaliser, so that nearby seeds give unrelated engines.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

DemoRandom::DemoRandom(uint64_t seed, absl::string_view stream)
    : engine_(Mix(seed ^ Mix(HashName(stream)))) {}

int64_t DemoRandom::Uniform(int64_t lo, int64_t hi) {
  if (hi <= lo) return lo;
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  if (span == UINT64_MAX) return static_cast<int64_t>(engine_());
  const uint64_t n = span + 1;
  // Rejection keeps every value equally likely: words at or above the last
  // whole multiple of n would favour the low values.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t word = engine_();
  while (word >= limit) word = engine_();
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + word % n);
}

bool DemoRandom::Percent(int percent) {
  return Uniform(0, 99) < std::clamp(percent, 0, 100);
}

int DemoRandom::Weighted(const int* weights, int n) {
  int64_t total = 0;
  for (int i = 0; i < n; ++i) total += std::max(weights[i], 0);
  int64_t pick = Uniform(0, total - 1);
  for (int i = 0; i < n; ++i) {
    pick -= std::max(weights[i], 0);
    if (pick < 0) return i;
  }
  return n - 1;
}

}  // namespace portfolio::demo
