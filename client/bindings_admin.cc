// The command line of `users`, `tokens`, `audit`, `admin` and `login`:
// specs, and the conversion of their arguments into options structs.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/flag_values.h"
#include "client/names.h"
#include "common/clock.h"
#include "common/period.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

constexpr char kUserHelp[] = "user id, or users/ID";

FlagSpec RequestIdFlagSpec() {
  return {"request-id", "ID", "idempotency key; a random one when omitted"};
}

FlagSpec LimitFlagSpec(const char* what) {
  return {"limit", "N", absl::StrCat("print at most N ", what)};
}

// The id of the user named by `text` (`zhang` or `users/zhang`).
absl::StatusOr<std::string> UserId(absl::string_view text) {
  ASSIGN_OR_RETURN(const std::string name, UserName(text));
  return LastSegment(name);
}

// --`flag` USER as a user id, when given.
absl::StatusOr<std::optional<std::string>> UserIdFlag(const ParsedArgs& args,
                                                      absl::string_view flag) {
  return FlagValue<std::string>(args, flag, UserId);
}

absl::Status RunUserCreate(const ParsedArgs& args, CommandContext& ctx) {
  UserCreateOptions options;
  ASSIGN_OR_RETURN(options.user_id, UserId(args.Positional(0)));
  ASSIGN_OR_RETURN(auto role, FlagValue<v1::UserRole>(args, "role", ParseRole));
  options.role = role.value_or(v1::USER_ROLE_UNSPECIFIED);
  options.display_name = args.Value("name").value_or("");
  options.request_id = RequestIdFlag(args);
  return CreateUser(options, ctx);
}

absl::Status RunUsersList(const ParsedArgs& args, CommandContext& ctx) {
  UsersListOptions options;
  ASSIGN_OR_RETURN(auto limit, FlagValue<int>(args, "limit", ParseLimit));
  options.limit = limit.value_or(0);
  return ListUsers(options, ctx);
}

absl::Status RunUserShow(const ParsedArgs& args, CommandContext& ctx) {
  UserShowOptions options;
  ASSIGN_OR_RETURN(options.user, UserName(args.Positional(0)));
  return ShowUser(options, ctx);
}

absl::Status RunUserDisabled(const ParsedArgs& args, CommandContext& ctx,
                             bool disabled) {
  UserDisableOptions options;
  ASSIGN_OR_RETURN(options.user, UserName(args.Positional(0)));
  options.disabled = disabled;
  options.request_id = RequestIdFlag(args);
  return SetUserDisabled(options, ctx);
}

absl::Status RunUserUpdate(const ParsedArgs& args, CommandContext& ctx) {
  UserUpdateOptions options;
  ASSIGN_OR_RETURN(options.user, UserName(args.Positional(0)));
  ASSIGN_OR_RETURN(options.role,
                   FlagValue<v1::UserRole>(args, "role", ParseRole));
  options.display_name = args.Value("name");
  options.request_id = RequestIdFlag(args);
  return UpdateUser(options, ctx);
}

absl::Status RunUserDisable(const ParsedArgs& args, CommandContext& ctx) {
  return RunUserDisabled(args, ctx, true);
}

absl::Status RunUserEnable(const ParsedArgs& args, CommandContext& ctx) {
  return RunUserDisabled(args, ctx, false);
}

// --expires DATE: the token works through that day in the district, so it
// expires at its last second (UTC+8). A day already over is refused.
absl::StatusOr<std::optional<absl::Time>> ExpiresFlag(const ParsedArgs& args,
                                                      const Clock& clock) {
  ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> day,
                   FlagValue<absl::CivilDay>(args, "expires", ParseDate));
  if (!day.has_value()) return std::optional<absl::Time>();
  const absl::Time end = absl::FromCivil(
      absl::CivilSecond(day->year(), day->month(), day->day(), 23, 59, 59),
      DistrictTimeZone());
  if (end <= clock.Now()) {
    return UsageError(absl::StrCat("--expires: ", FormatDate(*day),
                                   " is over already (UTC+8)"));
  }
  return std::optional<absl::Time>(end);
}

absl::Status RunTokenCreate(const ParsedArgs& args, CommandContext& ctx) {
  TokenCreateOptions options;
  ASSIGN_OR_RETURN(options.user, UserName(RequiredValue(args, "user")));
  options.display_name = args.Value("name").value_or("");
  ASSIGN_OR_RETURN(options.expire_time, ExpiresFlag(args, *ctx.clock));
  return CreateToken(options, ctx);
}

absl::Status RunTokensList(const ParsedArgs& args, CommandContext& ctx) {
  TokensListOptions options;
  ASSIGN_OR_RETURN(options.user, UserIdFlag(args, "user"));
  ASSIGN_OR_RETURN(auto limit, FlagValue<int>(args, "limit", ParseLimit));
  options.limit = limit.value_or(0);
  return ListTokens(options, ctx);
}

absl::Status RunTokenRevoke(const ParsedArgs& args, CommandContext& ctx) {
  TokenRevokeOptions options;
  ASSIGN_OR_RETURN(options.token, TokenName(args.Positional(0)));
  options.request_id = RequestIdFlag(args);
  return RevokeToken(options, ctx);
}

// A project id from `p` or `projects/p`.
absl::StatusOr<std::string> ProjectId(absl::string_view text) {
  ASSIGN_OR_RETURN(const std::string name, ProjectName(text));
  return LastSegment(name);
}

absl::Status RunAuditList(const ParsedArgs& args, CommandContext& ctx) {
  AuditListOptions options;
  ASSIGN_OR_RETURN(options.project,
                   FlagValue<std::string>(args, "project", ProjectId));
  ASSIGN_OR_RETURN(options.user, UserIdFlag(args, "user"));
  ASSIGN_OR_RETURN(options.since,
                   FlagValue<absl::CivilDay>(args, "since", ParseDate));
  ASSIGN_OR_RETURN(auto limit, FlagValue<int>(args, "limit", ParseLimit));
  options.limit = limit.value_or(0);
  return ListAuditEvents(options, ctx);
}

absl::Status RunBackup(const ParsedArgs& args, CommandContext& ctx) {
  BackupOptions options;
  options.path = args.Positional(0);
  options.force = args.Has("force");
  return BackupDatabase(options, ctx);
}

absl::Status RunLogin(const ParsedArgs& /*args*/, CommandContext& ctx) {
  LoginOptions options;
  if (ctx.global != nullptr) {
    options.token = ctx.global->token;
    options.save_ca = ctx.global->ca.has_value();
    options.timeout = ctx.global->timeout;
  }
  options.config_path = ctx.config_path;
  return Login(options, ctx);
}

void AddUserCommands(std::vector<CommandSpec>* commands) {
  commands->push_back(
      {"users",
       "create",
       "Create a user who can then be given tokens.",
       "Roles: admin (everything), manager (reads all; plans, milestones, "
       "indicators and targets\neverywhere), lead (reads all; writes "
       "investment and milestones on the projects they\nlead), viewer "
       "(reads), service (reads; writes as a lead where listed as one).\n",
       {{"USER", "the new id: 2-63 of a-z, 0-9 and -, starting with a letter"}},
       {{"role", "ROLE", "admin, manager, lead, viewer or service", true},
        {"name", "TEXT", "display name, e.g. 张伟"},
        RequestIdFlagSpec()},
       {"portfolio users create zhang --role lead --name 张伟",
        "portfolio users create city-dashboard --role service"},
       RunUserCreate});
  commands->push_back({"users",
                       "list",
                       "List users, every page unless --limit.",
                       "",
                       {},
                       {LimitFlagSpec("users")},
                       {"portfolio users list", "portfolio users list -o csv"},
                       RunUsersList});
  commands->push_back(
      {"users",
       "show",
       "Show a user: role, whether disabled, the projects they lead.",
       "",
       {{"USER", kUserHelp}},
       {},
       {"portfolio users show zhang",
        "portfolio users show users/zhang -o json"},
       RunUserShow});
  commands->push_back(
      {"users",
       "update",
       "Change a user's role or display name.",
       "Their tokens keep working, under the new role. An admin cannot "
       "demote themselves.\n",
       {{"USER", kUserHelp}},
       {{"role", "ROLE", "admin, manager, lead, viewer or service"},
        {"name", "TEXT", "display name, e.g. 张伟"},
        RequestIdFlagSpec()},
       {"portfolio users update li-na --role lead",
        "portfolio users update zhang --name 张伟"},
       RunUserUpdate});
  commands->push_back(
      {"users",
       "disable",
       "Disable a user: every token of theirs is refused until enabled.",
       "",
       {{"USER", kUserHelp}},
       {RequestIdFlagSpec()},
       {"portfolio users disable zhang"},
       RunUserDisable});
  commands->push_back({"users",
                       "enable",
                       "Enable a disabled user again.",
                       "",
                       {{"USER", kUserHelp}},
                       {RequestIdFlagSpec()},
                       {"portfolio users enable zhang"},
                       RunUserEnable});
}

void AddTokenCommands(std::vector<CommandSpec>* commands) {
  commands->push_back(
      {"tokens",
       "create",
       "Create a bearer token for a user and print its secret, once.",
       "The secret is shown only now: store it, or hand it to its user, who "
       "runs\n`portfolio login`. Creating is not idempotent: a repeat makes "
       "a second token\n(revoke the spare with `portfolio tokens revoke`).\n",
       {},
       {{"user", "USER", "whose token: user id, or users/ID", true},
        {"name", "TEXT", "what it is for, e.g. laptop"},
        {"expires", "DATE",
         "last day it works (through 23:59:59 UTC+8); default never"}},
       {"portfolio tokens create --user zhang --name laptop",
        "portfolio tokens create --user city-dashboard --expires 2025-12-31 "
        "-o json"},
       RunTokenCreate});
  commands->push_back(
      {"tokens",
       "list",
       "List tokens (never their secrets), every page unless --limit.",
       "",
       {},
       {{"user", "USER", "only this user's tokens"}, LimitFlagSpec("tokens")},
       {"portfolio tokens list --user zhang", "portfolio tokens list -o csv"},
       RunTokensList});
  commands->push_back(
      {"tokens",
       "revoke",
       "Revoke a token: it is refused from now on. Revoking twice is fine.",
       "",
       {{"TOKEN_ID", "token id as `tokens list` shows it, or tokens/ID"}},
       {RequestIdFlagSpec()},
       {"portfolio tokens revoke k3x9q2",
        "portfolio tokens revoke tokens/k3x9q2"},
       RunTokenRevoke});
}

void AddAuditAndAdminCommands(std::vector<CommandSpec>* commands) {
  commands->push_back(
      {"audit",
       "list",
       "List the audit trail, newest first, every page unless --limit.",
       "Each accepted change records who, when, which call, which resource, "
       "the request id\nand what changed; each refused call records who "
       "tried what and why. Tables cut\nthe detail short; -o json and -o "
       "csv carry it in full.\n",
       {},
       {{"project", "PROJECT", "only calls on this project and its resources"},
        {"user", "USER", "only calls by this user"},
        {"since", "DATE", "only calls from this day on (UTC+8)"},
        LimitFlagSpec("events")},
       {"portfolio audit list --project juncheng-forged-wheel --since "
        "2024-03-01",
        "portfolio audit list --user zhang --limit 20",
        "portfolio audit list --since 2024-01-01 -o csv > audit.csv"},
       RunAuditList});
  commands->push_back(
      {"admin",
       "backup",
       "Copy the live database into FILE while writes go on.",
       "Writes FILE.partial and renames it to FILE only once the whole copy "
       "is on disk, so\nFILE is never half a database. The call may run up "
       "to 10 minutes (longer with\n--timeout). To restore: stop the "
       "server, put FILE in place of\nDATA_DIR/portfolio.db, start the "
       "server.\n",
       {{"FILE", "where to write the copy"}},
       {{"force", "", "replace FILE if it exists"}},
       {"portfolio admin backup portfolio-2024-06-30.db",
        "portfolio admin backup /backups/portfolio.db --force"},
       RunBackup});
  commands->push_back(
      {"login",
       "",
       "Check a token against the server and store it in the config file.",
       "Stores addr (from --addr, $PORTFOLIO_ADDR, the config file or the "
       "default) and the\ntoken (from --token, else one line read from "
       "standard input), and with --ca the\nCA file, in "
       "$XDG_CONFIG_HOME/portfolio/config (else "
       "~/.config/portfolio/config),\nmode 0600, keeping its other lines. "
       "Nothing is stored if the server refuses the\ntoken (exit 3) or "
       "cannot be reached (exit 4).\n",
       {},
       {},
       {"portfolio login --addr 10.1.2.3:50051 --ca district-ca.pem",
        "portfolio login --token pf_k3x9q2_...",
        "cat admin.token | portfolio login"},
       RunLogin});
}

}  // namespace

std::vector<CommandSpec> AdminCommands() {
  std::vector<CommandSpec> commands;
  AddUserCommands(&commands);
  AddTokenCommands(&commands);
  AddAuditAndAdminCommands(&commands);
  return commands;
}

}  // namespace portfolio::client
