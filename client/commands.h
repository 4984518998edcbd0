// The commands: each takes its options struct (options.h), makes its calls
// and prints the result in the chosen format. None reads argv, the
// environment or the wall clock directly.
#ifndef PORTFOLIO_CLIENT_COMMANDS_H_
#define PORTFOLIO_CLIENT_COMMANDS_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
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
  // For `login`, which writes what the other commands read: the global
  // flags as given, the config file's path (ConfigPath), and how to read
  // the token when --token is not given: one line from standard input,
  // after `prompt` on stderr when standard input is a terminal. It returns
  // a usage error when there is no line to read.
  const GlobalOptions* global = nullptr;
  std::string config_path;
  std::function<absl::StatusOr<std::string>(absl::string_view prompt)>
      read_secret;
  // The user gave --request-id (a deliberate retry), rather than the
  // random one a mutation gets when it is omitted.
  bool request_id_given = false;
};

// Every command's spec with its binding, in the order `--help` lists them.
std::vector<CommandSpec> AllCommands();

// The specs of each noun (bindings_*.cc); AllCommands concatenates them.
std::vector<CommandSpec> ProjectCommands();  // projects, plan
std::vector<CommandSpec> LedgerCommands();   // invest, periods,
                                             // milestones, problems
std::vector<CommandSpec> ProblemCommands();  // problems
std::vector<CommandSpec> ReportCommands();   // indicators, summary, status,
                                             // bulletin, report, import
std::vector<CommandSpec> AdminCommands();    // users, tokens, audit, admin,
                                             // login

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

// Reads the project, then, unless `user` already is (add) or is not
// (remove) one of its leads, in which case it says so and returns OK,
// updates `leads` alone, guarded by the etag read: a concurrent change is
// refused with ABORTED rather than overwritten.
absl::Status ChangeLeads(const LeadsOptions& options, CommandContext& ctx);

absl::Status SetPlan(const PlanSetOptions& options, CommandContext& ctx);
absl::Status ShowPlans(const PlanShowOptions& options, CommandContext& ctx);
// Every revision of the project's plans (of options.year, or of every
// year), baseline first, with who, when, why and what changed from the
// revision before: the annual amount and the months that moved.
absl::Status ShowPlanHistory(const PlanHistoryOptions& options,
                             CommandContext& ctx);

// The problem register. A changing command sends options.request_id;
// show and list print what the server returned.
absl::Status ListProblems(const ProblemsListOptions& options,
                          CommandContext& ctx);
absl::Status AddProblem(const ProblemAddOptions& options, CommandContext& ctx);
absl::Status ShowProblem(const ProblemShowOptions& options,
                         CommandContext& ctx);
absl::Status AssignProblem(const ProblemChangeOptions& options,
                           CommandContext& ctx);
absl::Status EscalateProblem(const ProblemChangeOptions& options,
                             CommandContext& ctx);
absl::Status ResolveProblem(const ProblemChangeOptions& options,
                            CommandContext& ctx);

absl::Status LogInvestment(const InvestLogOptions& options,
                           CommandContext& ctx);
absl::Status CorrectInvestment(const InvestCorrectOptions& options,
                               CommandContext& ctx);
absl::Status ListInvestments(const InvestListOptions& options,
                             CommandContext& ctx);

// periods close | reopen | list: reporting months (填报期) closed to new
// ledger entries. Times print in the district's time zone (UTC+8).
absl::Status ClosePeriod(const PeriodCloseOptions& options,
                         CommandContext& ctx);
absl::Status ReopenPeriod(const PeriodReopenOptions& options,
                          CommandContext& ctx);
// Oldest first, as the server orders them; every page unless options.limit.
absl::Status ListPeriods(const PeriodsListOptions& options,
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
// UpdateMilestone with a mask of the fields given; prints the milestone.
absl::Status ReplanMilestone(const MilestoneReplanOptions& options,
                             CommandContext& ctx);

absl::Status ListIndicators(const IndicatorsListOptions& options,
                            CommandContext& ctx);
absl::Status ShowIndicator(const IndicatorShowOptions& options,
                           CommandContext& ctx);
absl::Status RecordIndicator(const IndicatorRecordOptions& options,
                             CommandContext& ctx);

// Table mode prints the dataset banner (synthetic data), the as-known
// instant and plan basis above the figures; csv rows carry both exactly.
absl::Status ShowSummary(const SummaryOptions& options, CommandContext& ctx);
// json adds top-level "as_known_at" (when asked for) and "plan_basis"
// members, which the statuses do not echo.
absl::Status ListStatuses(const StatusListOptions& options,
                          CommandContext& ctx);

// 月度通报: one GetPortfolioSummary grouped by options.group_by, groups in
// rank order (RankedGroups), then the totals. json prints that summary
// with its groups so ordered; its figures are never recomputed here.
absl::Status ShowBulletin(const BulletinOptions& options, CommandContext& ctx);

// Reads the report's figures (GatherReport) and writes options.html_path
// and/or options.xlsx_path, each under FILE.partial first and renamed when
// complete (an existing file is replaced), then prints what it wrote. A
// usage error when neither path is set or a file cannot be created; a
// call's error as the RpcClient maps it; INTERNAL when the workbook
// library fails. Nothing is renamed into place unless every call
// succeeded.
absl::Status WriteReport(const ReportOptions& options, CommandContext& ctx);

// A usage error naming the file when it cannot be read.
absl::Status ImportFile(const ImportOptions& options, CommandContext& ctx);

// Imports the files of ExportFiles (export_tables.h) that `options.dir`
// holds, in that order, each in its own ImportRecords call; other files
// are ignored. Stops at the first failure: the error names the file, keeps
// the call's exit code, and says which files were imported before it
// (their rows are printed too) and how to resume. A usage error when DIR
// is not a directory, holds none of the files, or holds
// kSyntheticMarkerFile (synthetic data).
absl::Status ImportDirectory(const ImportDirectoryOptions& options,
                             CommandContext& ctx);

// Reads every table through the List calls, following every page, and
// writes each ExportFiles file into options.dir (created when missing) in
// the import formats; prints each file with its row count, then what the
// formats could not hold. Tables are read children first (periods,
// problems, ledger, milestones, then projects and their plans, indicators,
// portfolios, users), so that on a live server every row refers only to
// rows read after it, which exist in the export. Nothing is written until
// every call has answered; each file appears under its name only complete.
// When the database is synthetic (its summary has a dataset_label),
// kSyntheticMarkerFile is written first, holding the label; otherwise one
// already in DIR is removed. A usage error, before any call, when DIR is
// not a directory or already holds one of the files and options.force is
// false; the call's error when one fails (ListUsers needs an admin).
absl::Status ExportAll(const ExportOptions& options, CommandContext& ctx);

absl::Status CreateUser(const UserCreateOptions& options, CommandContext& ctx);
absl::Status ListUsers(const UsersListOptions& options, CommandContext& ctx);
absl::Status ShowUser(const UserShowOptions& options, CommandContext& ctx);
// Sets `disabled` alone (update_mask `disabled`).
// Changes a user's role or display name (UpdateUser with a mask of what
// was given); a usage error when neither was. Prints the user.
absl::Status UpdateUser(const UserUpdateOptions& options, CommandContext& ctx);
absl::Status SetUserDisabled(const UserDisableOptions& options,
                             CommandContext& ctx);

// Prints the new token and its secret, which the server shows only once.
// CreateToken has no request id, so when the outcome is unknown (exit 4)
// the error says how to find and revoke a token that was made after all.
absl::Status CreateToken(const TokenCreateOptions& options,
                         CommandContext& ctx);
absl::Status ListTokens(const TokensListOptions& options, CommandContext& ctx);
absl::Status RevokeToken(const TokenRevokeOptions& options,
                         CommandContext& ctx);

// Newest first, as the server orders them.
absl::Status ListAuditEvents(const AuditListOptions& options,
                             CommandContext& ctx);

// Streams a copy of the database into `path`.partial (mode 0600) and
// renames it to `path` only when the stream ended OK and the data is on
// disk; on any failure the partial file is removed and `path` is untouched.
// A usage error when `path` exists and options.force is false (checked
// before the call and again at the rename), or when the partial file
// cannot be created; the errno's error (exit 1) when writing fails. The
// call's deadline is at least kBackupTimeout.
absl::Status BackupDatabase(const BackupOptions& options, CommandContext& ctx);
inline constexpr absl::Duration kBackupTimeout = absl::Seconds(600);

// Checks the token with a one-item ListProjects against the resolved
// address (and CA file), then stores addr and token (and the CA file's
// absolute path with options.save_ca) in options.config_path, keeping its
// other lines. Nothing is stored when the check fails: the call's error
// (UNAUTHENTICATED exits 3, an unreachable server 4) says so. A usage error
// when no token is given or read, or there is no config path.
absl::Status Login(const LoginOptions& options, CommandContext& ctx);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_COMMANDS_H_
