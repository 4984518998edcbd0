// The commands: each takes its options struct (options.h), makes its calls
// and prints the result in the chosen format. None reads argv, the
// environment or the wall clock directly.
#ifndef PORTFOLIO_CLIENT_COMMANDS_H_
#define PORTFOLIO_CLIENT_COMMANDS_H_

#include <ostream>
#include <vector>

#include "absl/status/status.h"
#include "client/command_line.h"
#include "client/options.h"
#include "client/rpc.h"
#include "common/clock.h"

namespace portfolio::client {

// What every command runs with. Not owned; all outlive the command.
struct CommandContext {
  OutputFormat format = OutputFormat::kTable;
  RpcClient* rpc = nullptr;
  std::ostream* out = nullptr;   // data goes here; errors are returned
  const Clock* clock = nullptr;  // for defaults such as "today"
};

// Every command's spec with its binding, in the order `--help` lists them.
std::vector<CommandSpec> AllCommands();

// The specs of each noun (bindings_*.cc); AllCommands concatenates them.
std::vector<CommandSpec> ProjectCommands();  // projects, plan
std::vector<CommandSpec> LedgerCommands();   // invest, milestones
std::vector<CommandSpec> ReportCommands();   // indicators, summary, status,
                                             // import

// Each command returns OK after printing its result, a usage error for a
// local problem with its input, or the RpcClient's error for a failed call
// (errors.h maps each to an exit code). Mutating commands send
// options.request_id; in json mode they print it as a top-level
// "request_id" member when the response has no such field.
absl::Status ListProjects(const ProjectsListOptions& options,
                          CommandContext& ctx);
absl::Status ShowProject(const ProjectsShowOptions& options,
                         CommandContext& ctx);
absl::Status CreateProject(const ProjectWriteOptions& options,
                           CommandContext& ctx);
// Sends exactly options.update_mask. A `levels` path merges the one level
// given into the project's levels of other years, which it reads first;
// the read's etag guards the write unless options.etag is set.
absl::Status UpdateProject(const ProjectWriteOptions& options,
                           CommandContext& ctx);

absl::Status SetPlan(const PlanSetOptions& options, CommandContext& ctx);
absl::Status ShowPlans(const PlanShowOptions& options, CommandContext& ctx);

absl::Status LogInvestment(const InvestLogOptions& options,
                           CommandContext& ctx);
absl::Status CorrectInvestment(const InvestCorrectOptions& options,
                               CommandContext& ctx);
absl::Status ListInvestments(const InvestListOptions& options,
                             CommandContext& ctx);

absl::Status ListMilestones(const MilestonesListOptions& options,
                            CommandContext& ctx);
absl::Status AddMilestone(const MilestoneAddOptions& options,
                          CommandContext& ctx);
absl::Status ForecastMilestone(const MilestoneDateOptions& options,
                               CommandContext& ctx);
// options.date unset means today in the district's time zone (UTC+8).
absl::Status CompleteMilestone(const MilestoneDateOptions& options,
                               CommandContext& ctx);

absl::Status ListIndicators(const IndicatorsListOptions& options,
                            CommandContext& ctx);
absl::Status ShowIndicator(const IndicatorShowOptions& options,
                           CommandContext& ctx);
absl::Status RecordIndicator(const IndicatorRecordOptions& options,
                             CommandContext& ctx);

absl::Status ShowSummary(const SummaryOptions& options, CommandContext& ctx);
absl::Status ListStatuses(const StatusListOptions& options,
                          CommandContext& ctx);

// A usage error naming the file when it cannot be read.
absl::Status ImportFile(const ImportOptions& options, CommandContext& ctx);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_COMMANDS_H_
