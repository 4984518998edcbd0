// What each command is asked to do, as plain structs. The command line is
// parsed into these (bindings_*.cc); the commands (commands_*.cc) take them
// and never see argv. Every field states its default.
#ifndef PORTFOLIO_CLIENT_OPTIONS_H_
#define PORTFOLIO_CLIENT_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "portfolio/v1/admin.pb.h"
#include "portfolio/v1/resources.pb.h"
#include "portfolio/v1/service.pb.h"

namespace portfolio::client {

enum class OutputFormat { kTable, kJson, kCsv };

// Flags every command accepts, before or after the command words.
struct GlobalOptions {
  // --addr HOST:PORT. Unset: PORTFOLIO_ADDR, the config file, then
  // 127.0.0.1:50051 (see config.h).
  std::optional<std::string> addr;
  // --token TOKEN. Unset: PORTFOLIO_TOKEN, then the config file, then none.
  std::optional<std::string> token;
  // --ca FILE: connect with TLS, checking the server's certificate against
  // this CA file. Unset: PORTFOLIO_CA, then the config file's `ca`, then
  // none, which means plaintext.
  std::optional<std::string> ca;
  // -o/--output table|json|csv. Default table.
  OutputFormat output = OutputFormat::kTable;
  // --timeout SECONDS: the deadline of every RPC. Default 10 s.
  absl::Duration timeout = absl::Seconds(10);
};

// Project filter flags shared by `projects list`; each set flag becomes one
// `field = value` term, all joined by AND (see filter.h).
struct ProjectFilterOptions {
  std::optional<v1::ProjectLevel> level;  // --level; default any
  std::optional<int> year;                // --year: the year `level` means
  std::optional<int> chapter;             // --chapter 1..9
  std::optional<std::string> park;        // --park
  std::optional<std::string> sector;      // --sector
  std::optional<v1::ProjectStage> stage;  // --stage
  std::optional<std::string> lead;        // --lead USER
  std::string expression;                 // --filter, ANDed as given
};

// `projects list`.
struct ProjectsListOptions {
  ProjectFilterOptions filter;
  std::string order_by;  // --order-by; default the server's (name)
  int limit = 0;         // --limit; 0 = every page
};

// `projects show`.
struct ProjectsShowOptions {
  std::string project;  // projects/{id}
};

// `projects create` and `projects update`.
struct ProjectWriteOptions {
  std::string project_id;  // create: the new id; update: unused
  std::string name;        // update: projects/{id}; create: unused
  // The values of the field flags given; unset fields are not sent.
  v1::Project project;
  // Field names of the flags given (update_mask paths), in order.
  std::vector<std::string> update_mask;
  std::string etag;        // --etag; default none (no concurrency check)
  std::string request_id;  // --request-id; generated when not given
};

// `plan set`.
struct PlanSetOptions {
  std::string project;            // projects/{id}
  int year = 0;                   // --year, required
  std::optional<int64_t> amount;  // --amount; default the sum of --monthly
  std::vector<int64_t> monthly;   // --monthly: 12 amounts or empty (even)
  // --even: spread the amount evenly even over a plan with its own split
  // (without it, --amount alone refuses to flatten one).
  bool even = false;
  std::string reason;  // --reason: why a revision (年中调整)
  std::string request_id;
};

// `plan history`.
struct PlanHistoryOptions {
  std::string project;      // projects/{id}
  std::optional<int> year;  // --year; default every year with a plan
};

// `problems list`.
struct ProblemsListOptions {
  std::string parent = "projects/-";  // PROJECT, or every project
  std::optional<v1::ProblemState> state;
  std::optional<v1::ProblemCategory> category;
  std::optional<v1::EscalationLevel> escalation;
  bool overdue_only = false;
  bool unresolved_only = false;
  int limit = 0;  // 0 = every page
};

// `problems add`.
struct ProblemAddOptions {
  std::string project;  // projects/{id}
  v1::ProblemCategory category = v1::PROBLEM_CATEGORY_UNSPECIFIED;
  std::string description;
  std::string unit;  // --unit; may be empty
  std::optional<absl::CivilDay> deadline;
  std::optional<v1::EscalationLevel> escalation;
  std::string request_id;
};

// `problems show`.
struct ProblemShowOptions {
  std::string name;  // projects/{p}/problems/{q}
};

// `problems assign | escalate | resolve`: one change of a problem.
struct ProblemChangeOptions {
  std::string name;                        // projects/{p}/problems/{q}
  std::string unit;                        // assign: --unit, required
  std::optional<absl::CivilDay> deadline;  // assign: --deadline
  v1::EscalationLevel escalation = v1::ESCALATION_LEVEL_UNSPECIFIED;
  std::string resolution;  // resolve: --resolution, required
  std::string request_id;
};

// `plan show`.
struct PlanShowOptions {
  std::string project;      // projects/{id}
  std::optional<int> year;  // --year; default every year
};

// `invest log`.
struct InvestLogOptions {
  std::string project;  // projects/{id}
  absl::CivilMonth period;
  int64_t amount = 0;
  std::string note;  // --note; default empty
  std::string request_id;
  // --again: log even when the month already has an entry of this amount
  // (else the server refuses it; a retry with the first call's request id
  // is answered with its entry either way).
  bool again = false;
};

// `invest correct`: exactly one of delta and corrected_amount is set.
struct InvestCorrectOptions {
  std::string entry;                        // projects/{id}/investments/{entry}
  std::optional<int64_t> delta;             // --amount SIGNED_DELTA
  std::optional<int64_t> corrected_amount;  // --to AMOUNT
  std::string reason;
  std::string request_id;
};

// `invest list`.
struct InvestListOptions {
  std::string parent = "projects/-";  // a project, or every project
  std::optional<int> year;
  std::optional<absl::CivilMonth> period;
  int limit = 0;  // 0 = every page
};

// `periods close`.
struct PeriodCloseOptions {
  absl::CivilMonth period;  // PERIOD, required
  std::string request_id;
};

// `periods reopen`.
struct PeriodReopenOptions {
  absl::CivilMonth period;  // PERIOD, required
  std::string reason;       // --reason, required and not blank
  std::string request_id;
};

// `periods list`.
struct PeriodsListOptions {
  std::optional<int> year;  // --year; default every year
  int limit = 0;            // --limit; 0 = every page
};

// `milestones list`.
struct MilestonesListOptions {
  std::string parent = "projects/-";  // a project, or every project
  bool overdue_only = false;          // --overdue
};

// `milestones add`.
struct MilestoneAddOptions {
  std::string project;                                      // projects/{id}
  v1::MilestoneKind kind = v1::MILESTONE_KIND_UNSPECIFIED;  // --kind, required
  std::string display_name;  // --name; default the server's (kind's name)
  std::optional<absl::CivilDay> planned;
  std::optional<absl::CivilDay> forecast;
  std::string milestone_id;  // --id; default assigned by the server
  std::string request_id;
};

// `milestones forecast` and `milestones done`.
struct MilestoneDateOptions {
  std::string milestone;  // projects/{id}/milestones/{mid}
  // --date; required for forecast; for done, default today in UTC+8.
  std::optional<absl::CivilDay> date;
  std::string etag;
  std::string request_id;
  // done --correct: move the date of a milestone already reached (the
  // command reads the milestone's etag itself).
  bool correct = false;
};

// `milestones replan`: the fields given are written (UpdateMilestone).
struct MilestoneReplanOptions {
  std::string milestone;  // projects/{id}/milestones/{mid}
  std::optional<v1::MilestoneKind> kind;
  std::optional<std::string> display_name;
  std::optional<absl::CivilDay> planned;
  bool undated = false;  // --undated: clear the planned date
  std::string etag;
  std::string request_id;
};

// `indicators list`.
struct IndicatorsListOptions {
  std::optional<int> chapter;
  std::optional<v1::IndicatorKind> kind;
  // A target or a value recorded that year; also the year shown.
  std::optional<int> year;
  int limit = 0;
};

// `indicators show`.
struct IndicatorShowOptions {
  std::string indicator;  // indicators/{id}
};

// `indicators record`.
struct IndicatorRecordOptions {
  std::string indicator;  // indicators/{id}
  int year = 0;
  int month = 0;       // --month 1..12; default 0 = the whole year
  std::string value;   // plain decimal, e.g. "193.9"
  std::string source;  // --source; default empty
  std::string request_id;
};

// --as-known-on and --basis (snapshot.h): which moment and which plans the
// figures reflect.
struct SnapshotOptions {
  // Only what was recorded up to this instant counts. Default (unset):
  // everything recorded when the server reads.
  std::optional<absl::Time> as_known_at;
  // Default UNSPECIFIED, which the server reads as CURRENT.
  v1::PlanBasis plan_basis = v1::PLAN_BASIS_UNSPECIFIED;
};

// `summary`.
struct SummaryOptions {
  int year = 0;         // default (0): the server's current year
  int as_of_month = 0;  // default (0): the server's choice
  v1::SummaryDimension group_by = v1::SUMMARY_DIMENSION_UNSPECIFIED;
  std::string filter;  // --filter, as given
  SnapshotOptions snapshot;
};

// `bulletin` (月度通报): one summary grouped by a dimension, ranked.
struct BulletinOptions {
  int year = 0;         // default (0): the server's current year
  int as_of_month = 0;  // default (0): the server's choice
  v1::SummaryDimension group_by = v1::SUMMARY_DIMENSION_PARK;  // --by
  std::string filter;  // --filter, as given
  SnapshotOptions snapshot;
};

// `report`: the month's report as files. At least one path is set.
struct ReportOptions {
  int year = 0;           // default (0): the server's current year
  int as_of_month = 0;    // default (0): the server's choice
  std::string html_path;  // --html FILE; default none
  std::string xlsx_path;  // --xlsx FILE; default none
  // --district: named in the title. Default the district this tracker was
  // built for.
  std::string district = "茌平区";
  SnapshotOptions snapshot;
};

// `status`.
struct StatusListOptions {
  int year = 0;                // default (0): the server's current year
  int as_of_month = 0;         // default (0): the server's choice
  std::optional<v1::Rag> rag;  // --red / --amber; default every project
  // --missing: only projects with no report for the reporting month (漏报).
  bool missing_only = false;
  std::string filter;  // --filter, ANDed with the rag and missing terms
  int limit = 0;
  SnapshotOptions snapshot;
};

// `import`.
struct ImportOptions {
  v1::ImportKind kind = v1::IMPORT_KIND_UNSPECIFIED;
  std::string path;  // the CSV file as given; its base name is sent
  std::string request_id;
  // Investments only: append rows even when the ledger holds the same
  // amount for their project and month (allow_duplicate_entries).
  bool again = false;
};

// `import DIR`: the files of an export directory, in dependency order.
struct ImportDirectoryOptions {
  std::string dir;
  // Each file is sent with `{request_id}-{file name without .csv}`, so the
  // same command run again after a failure skips what was imported.
  std::string request_id;
  // As ImportOptions::again, for the directory's investments.csv.
  bool again = false;
};

// `export DIR`.
struct ExportOptions {
  std::string dir;     // created (mode 0700) when missing
  bool force = false;  // --force: replace files already in DIR
};

// `projects leads add|remove`.
enum class LeadChange { kAdd, kRemove };
struct LeadsOptions {
  std::string project;  // projects/{id}
  LeadChange change = LeadChange::kAdd;
  std::string user;  // a user id, as `leads` holds them
  std::string request_id;
};

// `users create`.
struct UserCreateOptions {
  std::string user_id;
  v1::UserRole role = v1::USER_ROLE_UNSPECIFIED;  // --role, required
  std::string display_name;                       // --name; default empty
  std::string request_id;
};

// `users list`.
struct UsersListOptions {
  int limit = 0;  // --limit; 0 = every page
};

// `users show`.
struct UserShowOptions {
  std::string user;  // users/{id}
};

// `users disable` and `users enable`.
struct UserDisableOptions {
  std::string user;  // users/{id}
  bool disabled = true;
  std::string request_id;
};

// `users update`: what is unset stays as it is.
struct UserUpdateOptions {
  std::string user;  // users/{id}
  std::optional<v1::UserRole> role;
  std::optional<std::string> display_name;
  std::string request_id;
};

// `tokens create`.
struct TokenCreateOptions {
  std::string user;          // --user, as users/{id}
  std::string display_name;  // --name; default empty
  // --expires DATE: the last second of that day in UTC+8. Default never.
  std::optional<absl::Time> expire_time;
};

// `tokens list`.
struct TokensListOptions {
  std::optional<std::string> user;  // --user: a user id; default every user
  int limit = 0;                    // --limit; 0 = every page
};

// `tokens revoke`.
struct TokenRevokeOptions {
  std::string token;  // tokens/{id}
  std::string request_id;
};

// `audit list`; each filter flag set becomes one term of the filter.
struct AuditListOptions {
  std::optional<std::string> project;   // --project: a project id
  std::optional<std::string> user;      // --user: a user id
  std::optional<absl::CivilDay> since;  // --since: from this day (UTC+8)
  int limit = 0;                        // --limit; 0 = every page
};

// `admin backup`.
struct BackupOptions {
  std::string path;    // FILE, written via FILE.partial
  bool force = false;  // --force: replace an existing FILE
};

// `login`: the address and CA file are those resolved for every command
// (config.h); this is what login adds.
struct LoginOptions {
  // --token. Unset: read one line from standard input.
  std::optional<std::string> token;
  // The config file to write (ConfigPath in config.h); "" when HOME and
  // XDG_CONFIG_HOME are both unset.
  std::string config_path;
  // Whether --ca was given: then the CA file is stored too; otherwise the
  // file's `ca` line, if any, is kept as it is.
  bool save_ca = false;
  // --timeout: the deadline of the call that checks the token.
  absl::Duration timeout = absl::Seconds(10);
};

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_OPTIONS_H_
