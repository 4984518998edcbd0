// portfolio-demo's work: a demo database in a data directory, made by
// playing a generated year against the real server in-process.
#ifndef PORTFOLIO_TOOLS_DEMO_GENERATOR_H_
#define PORTFOLIO_TOOLS_DEMO_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tools/demo/runner.h"

namespace portfolio::demo {

struct DemoOptions {
  // Where the demo database goes (DIR/portfolio.db, DIR/admin.token).
  // Required; see ClearDemoDir for what may already be there.
  std::string data_dir;
  // Chooses the invented activity. Default: 1.
  uint64_t seed = 1;
  // The last month of 2024 simulated, 1..12. Default: 12.
  int through_month = 12;
  // Called with one line per API call made, for --verbose. Default: none.
  std::function<void(absl::string_view)> trace;
};

struct DemoReport {
  std::string database_path;
  std::string admin_token_path;
  // The dataset_label the database carries.
  std::string label;
  // Projects of the 2024 portfolio the activity covers.
  int projects = 0;
  RunCounts counts;
  // The simulated times of the first and last call.
  absl::Time first_call;
  absl::Time last_call;
};

// The label a demo made with `seed` and `through_month` carries.
std::string DemoLabel(uint64_t seed, int through_month);

// Generates a demo: clears the directory (ClearDemoDir), creates the
// labelled, seeded database (CreateDemoDatabase), starts a PortfolioServer
// on it on 127.0.0.1 port 0 with a fake clock, plays the scenario for
// `seed` over gRPC, and shuts the server down. INVALID_ARGUMENT for
// options out of range; FAILED_PRECONDITION when the directory holds a
// database that is not a demo (nothing is changed then); otherwise the
// first failure, naming the call. After a failure the directory holds a
// partial demo, still labelled, which the next run replaces.
absl::StatusOr<DemoReport> GenerateDemo(const DemoOptions& options);

}  // namespace portfolio::demo

#endif  // PORTFOLIO_TOOLS_DEMO_GENERATOR_H_
