// The command line of `invest` and `milestones`: specs, and the conversion
// of their arguments into options structs.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/errors.h"
#include "client/flag_values.h"
#include "client/names.h"
#include "common/amount.h"
#include "common/period.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

constexpr char kProjectHelp[] = "project id, or projects/ID";
constexpr char kMilestoneHelp[] =
    "PROJECT/MID, or projects/PROJECT/milestones/MID";

FlagSpec RequestIdFlagSpec() {
  return {"request-id", "ID", "idempotency key; a random one when omitted"};
}

FlagSpec EtagFlagSpec() {
  return {"etag", "ETAG",
          "refuse the change if the milestone changed since this etag"};
}

// The project named by the optional first argument, else every project.
absl::StatusOr<std::string> ParentOrAll(const ParsedArgs& args) {
  if (args.positional_count() == 0) return std::string("projects/-");
  return ProjectName(args.Positional(0));
}

absl::Status RunLog(const ParsedArgs& args, CommandContext& ctx) {
  InvestLogOptions options;
  ASSIGN_OR_RETURN(options.project, ProjectName(args.Positional(0)));
  ASSIGN_OR_RETURN(auto period,
                   FlagValue<absl::CivilMonth>(args, "period", ParsePeriod));
  options.period = period.value_or(absl::CivilMonth());
  ASSIGN_OR_RETURN(auto amount,
                   FlagValue<int64_t>(args, "amount", ParseAmount));
  options.amount = amount.value_or(0);
  options.note = args.Value("note").value_or("");
  options.request_id = RequestIdFlag(args);
  options.again = args.Has("again");
  return LogInvestment(options, ctx);
}

absl::Status RunCorrect(const ParsedArgs& args, CommandContext& ctx) {
  InvestCorrectOptions options;
  ASSIGN_OR_RETURN(options.entry, InvestmentEntryName(args.Positional(0)));
  ASSIGN_OR_RETURN(options.delta,
                   FlagValue<int64_t>(args, "amount", ParseAmount));
  ASSIGN_OR_RETURN(options.corrected_amount,
                   FlagValue<int64_t>(args, "to", ParseAmount));
  if (options.delta.has_value() == options.corrected_amount.has_value()) {
    return UsageError(
        "give exactly one of --amount SIGNED_DELTA and --to CORRECTED_AMOUNT");
  }
  options.reason = RequiredValue(args, "reason");
  options.request_id = RequestIdFlag(args);
  return CorrectInvestment(options, ctx);
}

absl::Status RunInvestList(const ParsedArgs& args, CommandContext& ctx) {
  InvestListOptions options;
  ASSIGN_OR_RETURN(options.parent, ParentOrAll(args));
  ASSIGN_OR_RETURN(options.year, FlagValue<int>(args, "year", ParseYear));
  ASSIGN_OR_RETURN(options.period,
                   FlagValue<absl::CivilMonth>(args, "period", ParsePeriod));
  // Both would match nothing: said, as summary says it, not an empty list.
  if (options.year.has_value() && options.period.has_value() &&
      options.period->year() != *options.year) {
    return UsageError(absl::StrCat("--period ", FormatPeriod(*options.period),
                                   " is not in --year ", *options.year));
  }
  ASSIGN_OR_RETURN(auto limit, FlagValue<int>(args, "limit", ParseLimit));
  options.limit = limit.value_or(0);
  return ListInvestments(options, ctx);
}

// PERIOD as `2024-03`, `2024-3`, `2024年3月` ... or `periods/2024-03`.
absl::StatusOr<absl::CivilMonth> PeriodArg(absl::string_view text) {
  absl::ConsumePrefix(&text, "periods/");
  absl::StatusOr<absl::CivilMonth> period = ParsePeriod(text);
  if (!period.ok()) {
    return UsageError(absl::StrCat("PERIOD: ", period.status().message()));
  }
  return *period;
}

absl::Status RunPeriodClose(const ParsedArgs& args, CommandContext& ctx) {
  PeriodCloseOptions options;
  ASSIGN_OR_RETURN(options.period, PeriodArg(args.Positional(0)));
  options.request_id = RequestIdFlag(args);
  return ClosePeriod(options, ctx);
}

absl::Status RunPeriodReopen(const ParsedArgs& args, CommandContext& ctx) {
  PeriodReopenOptions options;
  ASSIGN_OR_RETURN(options.period, PeriodArg(args.Positional(0)));
  options.reason =
      std::string(absl::StripAsciiWhitespace(RequiredValue(args, "reason")));
  if (options.reason.empty()) {
    return UsageError(
        "--reason: say why the month is reopened; it is kept in the audit "
        "trail");
  }
  options.request_id = RequestIdFlag(args);
  return ReopenPeriod(options, ctx);
}

absl::Status RunPeriodsList(const ParsedArgs& args, CommandContext& ctx) {
  PeriodsListOptions options;
  ASSIGN_OR_RETURN(options.year, FlagValue<int>(args, "year", ParseYear));
  ASSIGN_OR_RETURN(auto limit, FlagValue<int>(args, "limit", ParseLimit));
  options.limit = limit.value_or(0);
  return ListPeriods(options, ctx);
}

absl::Status RunMilestonesList(const ParsedArgs& args, CommandContext& ctx) {
  MilestonesListOptions options;
  ASSIGN_OR_RETURN(options.parent, ParentOrAll(args));
  options.overdue_only = args.Has("overdue");
  return ListMilestones(options, ctx);
}

absl::Status RunAdd(const ParsedArgs& args, CommandContext& ctx) {
  MilestoneAddOptions options;
  ASSIGN_OR_RETURN(options.project, ProjectName(args.Positional(0)));
  ASSIGN_OR_RETURN(auto kind, FlagValue<v1::MilestoneKind>(args, "kind",
                                                           ParseMilestoneKind));
  options.kind = kind.value_or(v1::MILESTONE_KIND_UNSPECIFIED);
  options.display_name = args.Value("name").value_or("");
  ASSIGN_OR_RETURN(options.planned,
                   FlagValue<absl::CivilDay>(args, "planned", ParseDate));
  ASSIGN_OR_RETURN(options.forecast,
                   FlagValue<absl::CivilDay>(args, "forecast", ParseDate));
  options.milestone_id = args.Value("id").value_or("");
  options.request_id = RequestIdFlag(args);
  return AddMilestone(options, ctx);
}

absl::StatusOr<MilestoneDateOptions> DateOptions(const ParsedArgs& args) {
  MilestoneDateOptions options;
  ASSIGN_OR_RETURN(options.milestone, MilestoneName(args.Positional(0)));
  ASSIGN_OR_RETURN(options.date,
                   FlagValue<absl::CivilDay>(args, "date", ParseDate));
  options.etag = args.Value("etag").value_or("");
  options.request_id = RequestIdFlag(args);
  options.correct = args.Has("correct");
  return options;
}

absl::Status RunForecast(const ParsedArgs& args, CommandContext& ctx) {
  ASSIGN_OR_RETURN(const MilestoneDateOptions options, DateOptions(args));
  return ForecastMilestone(options, ctx);
}

absl::Status RunDone(const ParsedArgs& args, CommandContext& ctx) {
  ASSIGN_OR_RETURN(const MilestoneDateOptions options, DateOptions(args));
  return CompleteMilestone(options, ctx);
}

absl::Status RunReplan(const ParsedArgs& args, CommandContext& ctx) {
  MilestoneReplanOptions options;
  ASSIGN_OR_RETURN(options.milestone, MilestoneName(args.Positional(0)));
  ASSIGN_OR_RETURN(options.kind, FlagValue<v1::MilestoneKind>(
                                     args, "kind", ParseMilestoneKind));
  options.display_name = args.Value("name");
  ASSIGN_OR_RETURN(options.planned,
                   FlagValue<absl::CivilDay>(args, "planned", ParseDate));
  options.undated = args.Has("undated");
  if (options.undated && options.planned.has_value()) {
    return UsageError("--planned and --undated: give one");
  }
  if (!options.kind.has_value() && !options.display_name.has_value() &&
      !options.planned.has_value() && !options.undated) {
    return UsageError(
        "nothing to change: give --planned DATE, --undated, --name or --kind");
  }
  options.etag = args.Value("etag").value_or("");
  options.request_id = RequestIdFlag(args);
  return ReplanMilestone(options, ctx);
}

constexpr char kPeriodHelp[] =
    "the month: 2024-03, 2024-3, 2024年3月, or periods/2024-03";

void AddPeriodCommands(std::vector<CommandSpec>* commands) {
  commands->push_back(
      {"periods",
       "close",
       "Close a month for reporting (填报截止): its entries are then refused.",
       "Once closed, `invest log` and `invest correct` dated in the month are "
       "refused until\na manager reopens it. Closing a closed month changes "
       "nothing. Prints who closed\nit and when (UTC+8).\n",
       {{"PERIOD", kPeriodHelp}},
       {RequestIdFlagSpec()},
       {"portfolio periods close 2024-03",
        "portfolio periods close 2024年3月 -o json"},
       RunPeriodClose});
  commands->push_back(
      {"periods",
       "reopen",
       "Reopen a closed month so that its entries can be logged or corrected.",
       "The reason is required and kept in the audit trail. A month that is "
       "not closed is\nrefused (exit 3).\n",
       {{"PERIOD", kPeriodHelp}},
       {{"reason", "TEXT", "why it is reopened; kept in the audit trail", true},
        RequestIdFlagSpec()},
       {"portfolio periods reopen 2024-03 --reason 补录君诚锻造3月投资",
        "portfolio periods reopen 2024-3 --reason \"late report\""},
       RunPeriodReopen});
  commands->push_back(
      {"periods",
       "list",
       "List the months ever closed, oldest first, every page unless --limit.",
       "State is 已关闭 closed, or 已重开 reopened with who reopened it, when "
       "and why.\nTimes are UTC+8.\n",
       {},
       {{"year", "YEAR", "only months of this year"},
        {"limit", "N", "print at most N months"}},
       {"portfolio periods list --year 2024", "portfolio periods list -o csv"},
       RunPeriodsList});
}

}  // namespace

std::vector<CommandSpec> LedgerCommands() {
  std::vector<CommandSpec> commands;
  commands.push_back(
      {"invest",
       "log",
       "Report a month's completed investment (入账).",
       "Each call adds an entry. Running the same command again (a new "
       "shell, a lost\nanswer) would count it twice, so a month that "
       "already has an entry of the same\namount for the project is refused "
       "unless --again says the second is real. To\nretry a call whose answer "
       "was lost, give its --request-id instead.\n",
       {{"PROJECT", kProjectHelp}},
       {{"period", "YYYY-MM", "the month reported: 2024-03, 2024年3月", true},
        {"amount", "AMOUNT", "yuan, > 0: 30000000, 3000万, 1.2亿", true},
        {"note", "TEXT", "free text"},
        {"again", "",
         "log it even though the month has an entry of this amount already"},
        RequestIdFlagSpec()},
       {"portfolio invest log juncheng-forged-wheel --period 2024-03 --amount "
        "3000万",
        "portfolio invest log juncheng-forged-wheel --period 2024年4月 "
        "--amount "
        "1,234.5万 --note 设备款"},
       RunLog});
  commands.push_back(
      {"invest",
       "correct",
       "Append a correction of a ledger entry; entries are never edited.",
       "Give the signed change (--amount -500万) or what the entry should have "
       "said (--to 2500万).\n",
       {{"ENTRY", "PROJECT/ENTRY_ID, or projects/PROJECT/investments/ID"}},
       {{"amount", "SIGNED_DELTA", "change to add, e.g. -500万"},
        {"to", "AMOUNT", "the corrected amount of the entry"},
        {"reason", "TEXT", "why; required", true},
        RequestIdFlagSpec()},
       {"portfolio invest correct juncheng-forged-wheel/7 --to 2500万 --reason "
        "重复填报",
        "portfolio invest correct projects/juncheng-forged-wheel/investments/7 "
        "--amount=-500万 --reason 录入错误"},
       RunCorrect});
  commands.push_back(
      {"invest",
       "list",
       "List ledger entries, every page unless --limit, and their total.",
       "",
       {{"PROJECT", "a project; default every project", false}},
       {{"year", "YEAR", "entries of this year"},
        {"period", "YYYY-MM", "entries of this month"},
        {"limit", "N", "print at most N entries (the total covers all)"}},
       {"portfolio invest list juncheng-forged-wheel --year 2024",
        "portfolio invest list --period 2024-03 -o csv"},
       RunInvestList});
  AddPeriodCommands(&commands);
  commands.push_back(
      {"milestones",
       "list",
       "List milestones (节点).",
       "",
       {{"PROJECT", "a project; default every project", false}},
       {{"overdue", "", "only milestones past their planned date, not done"}},
       {"portfolio milestones list --overdue",
        "portfolio milestones list juncheng-forged-wheel"},
       RunMilestonesList});
  commands.push_back(
      {"milestones",
       "add",
       "Add a milestone to a project.",
       "",
       {{"PROJECT", kProjectHelp}},
       {{"kind", "KIND",
         "start, structure-complete, completion, in-operation, "
         "statistics-entry, other (or 开工, 主体完工, 竣工, 投产, 入统, 其他)",
         true},
        {"name", "TEXT", "default: the kind's Chinese name"},
        {"planned", "DATE", "planned date"},
        {"forecast", "DATE", "forecast date (预计)"},
        {"id", "ID", "milestone id; default assigned by the server"},
        RequestIdFlagSpec()},
       {"portfolio milestones add juncheng-forged-wheel --kind 开工 --planned "
        "2024-03-01",
        "portfolio milestones add juncheng-forged-wheel --kind in-operation "
        "--planned "
        "2025-06-30 --id op"},
       RunAdd});
  commands.push_back({"milestones",
                      "forecast",
                      "Set a milestone's forecast date (预计完成).",
                      "",
                      {{"MILESTONE", kMilestoneHelp}},
                      {{"date", "DATE", "the forecast date", true},
                       EtagFlagSpec(),
                       RequestIdFlagSpec()},
                      {"portfolio milestones forecast juncheng-forged-wheel/m2 "
                       "--date 2024-09-30"},
                      RunForecast});
  commands.push_back(
      {"milestones",
       "done",
       "Record that a milestone was reached.",
       "Once reached, the date stays: the same date again changes nothing, "
       "and another is\nrefused (exit 3) unless --correct says the first "
       "was wrong. The date it replaces\nstays in the milestone's history.\n",
       {{"MILESTONE", kMilestoneHelp}},
       {{"date", "DATE", "when (default today, UTC+8); not in the future"},
        {"correct", "", "move the date of a milestone already reached"},
        EtagFlagSpec(),
        RequestIdFlagSpec()},
       {"portfolio milestones done juncheng-forged-wheel/m1",
        "portfolio milestones done "
        "projects/juncheng-forged-wheel/milestones/m1 --date "
        "2024-03-12",
        "portfolio milestones done juncheng-forged-wheel/m1 --date 2024-03-15 "
        "--correct"},
       RunDone});
  commands.push_back(
      {"milestones",
       "replan",
       "Move a milestone's planned date, or rename it (节点计划调整); "
       "managers.",
       "A lead who sees a slip coming sets a forecast (`milestones forecast`); "
       "the\ncommand centre decides whether the plan moves. The plan it "
       "replaces stays in\nthe milestone's history, so a summary --as-known-on "
       "an earlier day rates it as\nplanned then. A milestone already reached "
       "keeps its plan and kind (exit 3).\n",
       {{"MILESTONE", kMilestoneHelp}},
       {{"planned", "DATE", "the new planned date"},
        {"undated", "", "remove the planned date"},
        {"name", "TEXT", "the new name (empty: the kind's Chinese name)"},
        {"kind", "KIND",
         "start, structure-complete, completion, in-operation, "
         "statistics-entry, other (or 开工, 主体完工, 竣工, 投产, 入统, 其他)"},
        EtagFlagSpec(),
        RequestIdFlagSpec()},
       {"portfolio milestones replan juncheng-forged-wheel/m2 --planned "
        "2024-10-31",
        "portfolio milestones replan juncheng-forged-wheel/m2 --name "
        "二期主体完工"},
       RunReplan});
  for (CommandSpec& spec : ProblemCommands()) commands.push_back(spec);
  return commands;
}

}  // namespace portfolio::client
