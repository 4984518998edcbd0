// Deterministic pseudo-random numbers for the demo generator.
//
// The demo must be the same for a given seed on every machine and with
// every standard library, so this uses std::mt19937_64 (whose output the
// C++ standard fixes) and maps its words to ranges itself: the standard's
// distributions are left to each library and differ between versions.
#ifndef PORTFOLIO_TOOLS_DEMO_RANDOM_H_
#define PORTFOLIO_TOOLS_DEMO_RANDOM_H_

#include <cstdint>
#include <random>

#include "absl/strings/string_view.h"

namespace portfolio::demo {

// A stream of numbers determined by a seed and a name. Each part of the
// scenario draws from its own named stream, so that a change in how many
// numbers one part draws leaves the others as they were. Not thread-safe.
class DemoRandom final {
 public:
  // The stream named `stream` of seed `seed`.
  DemoRandom(uint64_t seed, absl::string_view stream);

  // A uniformly drawn integer in [lo, hi]; lo when hi <= lo.
  int64_t Uniform(int64_t lo, int64_t hi);
  // True with probability percent / 100 (percent clamped to 0..100).
  bool Percent(int percent);
  // An index in [0, weights.size()) drawn with probability proportional to
  // its weight. Weights are >= 0 and not all zero; `n` is their count.
  int Weighted(const int* weights, int n);

 private:
  std::mt19937_64 engine_;
};

}  // namespace portfolio::demo

#endif  // PORTFOLIO_TOOLS_DEMO_RANDOM_H_
