// The command line of `problems`: specs, and the conversion of their
// arguments into options structs.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/time/civil_time.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/errors.h"
#include "client/flag_values.h"
#include "client/names.h"
#include "common/period.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

constexpr char kProblemHelp[] = "PROJECT/QID, or projects/PROJECT/problems/QID";
constexpr char kCategoryHelp[] =
    "land 用地, planning 规划, environmental-approval 环评, energy 能耗, "
    "funding 资金, demolition 征迁, power 电力, water-and-gas 水气, other 其他";
constexpr char kEscalationHelp[] = "district 区级, city 市级, province 省级";

FlagSpec RequestIdFlag() {
  return {"request-id", "ID", "idempotency key; a random one when omitted"};
}

std::string Trimmed(const ParsedArgs& args, absl::string_view flag) {
  return std::string(absl::StripAsciiWhitespace(RequiredValue(args, flag)));
}

absl::Status RunList(const ParsedArgs& args, CommandContext& ctx) {
  ProblemsListOptions options;
  if (args.positional_count() > 0) {
    ASSIGN_OR_RETURN(options.parent, ProjectName(args.Positional(0)));
  }
  ASSIGN_OR_RETURN(options.state, FlagValue<v1::ProblemState>(
                                      args, "state", ParseProblemState));
  ASSIGN_OR_RETURN(
      options.category,
      FlagValue<v1::ProblemCategory>(args, "category", ParseProblemCategory));
  ASSIGN_OR_RETURN(options.escalation, FlagValue<v1::EscalationLevel>(
                                           args, "level", ParseEscalation));
  options.overdue_only = args.Has("overdue");
  options.unresolved_only = args.Has("open");
  ASSIGN_OR_RETURN(auto limit, FlagValue<int>(args, "limit", ParseLimit));
  options.limit = limit.value_or(0);
  return ListProblems(options, ctx);
}

absl::Status RunAdd(const ParsedArgs& args, CommandContext& ctx) {
  ProblemAddOptions options;
  ASSIGN_OR_RETURN(options.project, ProjectName(args.Positional(0)));
  ASSIGN_OR_RETURN(auto category, FlagValue<v1::ProblemCategory>(
                                      args, "category", ParseProblemCategory));
  options.category = category.value_or(v1::PROBLEM_CATEGORY_UNSPECIFIED);
  options.description = Trimmed(args, "description");
  if (options.description.empty()) {
    return UsageError("--description: say what blocks the project");
  }
  options.unit = args.Value("unit").value_or("");
  ASSIGN_OR_RETURN(options.deadline,
                   FlagValue<absl::CivilDay>(args, "deadline", ParseDate));
  ASSIGN_OR_RETURN(options.escalation, FlagValue<v1::EscalationLevel>(
                                           args, "level", ParseEscalation));
  options.request_id = RequestIdFlag(args);
  return AddProblem(options, ctx);
}

absl::Status RunShow(const ParsedArgs& args, CommandContext& ctx) {
  ProblemShowOptions options;
  ASSIGN_OR_RETURN(options.name, ProblemName(args.Positional(0)));
  return ShowProblem(options, ctx);
}

absl::StatusOr<ProblemChangeOptions> ChangeOptions(const ParsedArgs& args) {
  ProblemChangeOptions options;
  ASSIGN_OR_RETURN(options.name, ProblemName(args.Positional(0)));
  options.request_id = RequestIdFlag(args);
  return options;
}

absl::Status RunAssign(const ParsedArgs& args, CommandContext& ctx) {
  ASSIGN_OR_RETURN(ProblemChangeOptions options, ChangeOptions(args));
  options.unit = Trimmed(args, "unit");
  if (options.unit.empty()) {
    return UsageError("--unit: name the unit responsible (责任单位)");
  }
  ASSIGN_OR_RETURN(options.deadline,
                   FlagValue<absl::CivilDay>(args, "deadline", ParseDate));
  return AssignProblem(options, ctx);
}

absl::Status RunEscalate(const ParsedArgs& args, CommandContext& ctx) {
  ASSIGN_OR_RETURN(ProblemChangeOptions options, ChangeOptions(args));
  ASSIGN_OR_RETURN(auto level,
                   FlagValue<v1::EscalationLevel>(args, "to", ParseEscalation));
  options.escalation = level.value_or(v1::ESCALATION_LEVEL_UNSPECIFIED);
  return EscalateProblem(options, ctx);
}

absl::Status RunResolve(const ParsedArgs& args, CommandContext& ctx) {
  ASSIGN_OR_RETURN(ProblemChangeOptions options, ChangeOptions(args));
  options.resolution = Trimmed(args, "resolution");
  if (options.resolution.empty()) {
    return UsageError(
        "--resolution: say how the problem was solved (销号说明)");
  }
  return ResolveProblem(options, ctx);
}

}  // namespace

std::vector<CommandSpec> ProblemCommands() {
  std::vector<CommandSpec> commands;
  commands.push_back(
      {"problems",
       "list",
       "List blocking problems (要素保障), oldest first, every page unless "
       "--limit.",
       "Without PROJECT, every project's. Age is in days from opening to "
       "resolution, or to\ntoday while unresolved; overdue means unresolved "
       "past its deadline.\n",
       {{"PROJECT", "project id, or projects/ID; default every project",
         false}},
       {{"state", "STATE", "open 待交办, assigned 已交办, resolved 已销号"},
        {"category", "CATEGORY", kCategoryHelp},
        {"level", "LEVEL", kEscalationHelp},
        {"open", "", "only unresolved problems"},
        {"overdue", "", "only unresolved problems past their deadline"},
        {"limit", "N", "print at most N problems"}},
       {"portfolio problems list --open",
        "portfolio problems list juncheng-forged-wheel --category 用地",
        "portfolio problems list --overdue --level city -o csv"},
       RunList});
  commands.push_back(
      {"problems",
       "add",
       "Report a problem blocking a project (state open).",
       "A lead may report problems on the projects they lead; managers on "
       "any. The server\nnumbers problems q1, q2, ... per project. Open and "
       "overdue problems are reasons\nin the project's status.\n",
       {{"PROJECT", "project id, or projects/ID"}},
       {{"category", "CATEGORY", kCategoryHelp, true},
        {"description", "TEXT", "what blocks the project", true},
        {"unit", "UNIT", "the unit responsible (责任单位), if known"},
        {"deadline", "DATE", "solve by (办结时限), e.g. 2024-08-31"},
        {"level", "LEVEL",
         "escalation, default district; " + std::string(kEscalationHelp)},
        RequestIdFlag()},
       {"portfolio problems add juncheng-forged-wheel --category 用地 "
        "--description 二期用地指标未落实 --deadline 2024-08-31"},
       RunAdd});
  commands.push_back({"problems",
                      "show",
                      "Show one problem.",
                      "",
                      {{"PROBLEM", kProblemHelp}},
                      {},
                      {"portfolio problems show juncheng-forged-wheel/q1"},
                      RunShow});
  commands.push_back(
      {"problems",
       "assign",
       "Hand a problem to the unit responsible (交办); state assigned.",
       "A manager's command. --deadline replaces the deadline; without it "
       "the old one stays.\nA resolved problem is refused (exit 3).\n",
       {{"PROBLEM", kProblemHelp}},
       {{"unit", "UNIT", "the unit responsible (责任单位)", true},
        {"deadline", "DATE", "a new deadline"},
        RequestIdFlag()},
       {"portfolio problems assign juncheng-forged-wheel/q1 --unit "
        "区自然资源局 --deadline 2024-09-30"},
       RunAssign});
  commands.push_back(
      {"problems",
       "escalate",
       "Move a problem to the level of government coordinating it.",
       "A manager's command. A resolved problem is refused (exit 3).\n",
       {{"PROBLEM", kProblemHelp}},
       {{"to", "LEVEL", kEscalationHelp, true}, RequestIdFlag()},
       {"portfolio problems escalate juncheng-forged-wheel/q1 --to city"},
       RunEscalate});
  commands.push_back(
      {"problems",
       "resolve",
       "Resolve a problem (销号) with how it was solved.",
       "A manager's command. Resolving twice is refused (exit 3).\n",
       {{"PROBLEM", kProblemHelp}},
       {{"resolution", "TEXT", "how it was solved (销号说明)", true},
        RequestIdFlag()},
       {"portfolio problems resolve juncheng-forged-wheel/q1 --resolution "
        "用地指标已调剂到位"},
       RunResolve});
  return commands;
}

}  // namespace portfolio::client
