// The command line of `projects` and `plan`: specs, and the conversion of
// their arguments into options structs.
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/flag_values.h"
#include "client/format.h"
#include "client/names.h"
#include "common/amount.h"
#include "common/clock.h"
#include "common/period.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

constexpr char kProjectHelp[] = "project id, or projects/ID";

absl::Status RunList(const ParsedArgs& args, CommandContext& ctx) {
  ProjectsListOptions options;
  ProjectFilterOptions& f = options.filter;
  ASSIGN_OR_RETURN(f.level,
                   FlagValue<v1::ProjectLevel>(args, "level", ParseLevel));
  ASSIGN_OR_RETURN(f.year, FlagValue<int>(args, "year", ParseYear));
  ASSIGN_OR_RETURN(f.chapter, FlagValue<int>(args, "chapter", ParseChapter));
  f.park = args.Value("park");
  f.sector = args.Value("sector");
  ASSIGN_OR_RETURN(f.stage,
                   FlagValue<v1::ProjectStage>(args, "stage", ParseStage));
  f.lead = args.Value("lead");
  f.expression = args.Value("filter").value_or("");
  options.order_by = args.Value("order-by").value_or("");
  ASSIGN_OR_RETURN(auto limit, FlagValue<int>(args, "limit", ParseLimit));
  options.limit = limit.value_or(0);
  return ListProjects(options, ctx);
}

absl::Status RunShow(const ParsedArgs& args, CommandContext& ctx) {
  ProjectsShowOptions options;
  ASSIGN_OR_RETURN(options.project, ProjectName(args.Positional(0)));
  return ShowProject(options, ctx);
}

// Calls `set` with the value of --`flag`, when given.
void TextField(const ParsedArgs& args, const char* flag,
               void (v1::Project::*set)(const std::string&), v1::Project* p) {
  if (std::optional<std::string> value = args.Value(flag)) (p->*set)(*value);
}

// The project field each field flag writes; several flags may write one.
const char* FieldOfFlag(const std::string& flag) {
  static constexpr std::pair<const char*, const char*> kFields[] = {
      {"name", "display_name"},
      {"owner", "owner"},
      {"chapter", "chapter"},
      {"sector", "sector"},
      {"park", "park"},
      {"level", "levels"},
      {"level-year", "levels"},
      {"stage", "stage"},
      {"total-investment", "total_investment"},
      {"start", "planned_start"},
      {"end", "planned_end"},
      {"code", "national_code"},
      {"capacity", "capacity"},
      {"lead", "leads"},
      {"source", "source"},
  };
  for (const auto& [f, field] : kFields) {
    if (flag == f) return field;
  }
  return nullptr;
}

// The fields of the field flags given, each once, in the order given.
std::vector<std::string> UpdateMaskOf(const ParsedArgs& args) {
  std::vector<std::string> mask;
  for (const std::string& flag : args.FlagOrder()) {
    const char* field = FieldOfFlag(flag);
    if (field != nullptr &&
        std::find(mask.begin(), mask.end(), field) == mask.end()) {
      mask.push_back(field);
    }
  }
  return mask;
}

// The fields that need parsing: chapter, stage, money and dates.
absl::Status TypedFields(const ParsedArgs& args, v1::Project* p) {
  ASSIGN_OR_RETURN(auto chapter, FlagValue<int>(args, "chapter", ParseChapter));
  if (chapter.has_value()) p->set_chapter(*chapter);
  ASSIGN_OR_RETURN(auto stage,
                   FlagValue<v1::ProjectStage>(args, "stage", ParseStage));
  if (stage.has_value()) p->set_stage(*stage);
  ASSIGN_OR_RETURN(auto total,
                   FlagValue<int64_t>(args, "total-investment", ParseAmount));
  if (total.has_value()) p->set_total_investment(*total);
  ASSIGN_OR_RETURN(auto start,
                   FlagValue<absl::CivilDay>(args, "start", ParseDate));
  if (start.has_value()) *p->mutable_planned_start() = ToProtoDate(*start);
  ASSIGN_OR_RETURN(auto end, FlagValue<absl::CivilDay>(args, "end", ParseDate));
  if (end.has_value()) *p->mutable_planned_end() = ToProtoDate(*end);
  return absl::OkStatus();
}

// The year the server's lists and summaries take by default: the latest
// up to this one with portfolio targets, else this year. --level-year
// defaults to it, so `projects list --level X` shows what `projects create
// --level X` made.
absl::StatusOr<int> DefaultPortfolioYear(CommandContext& ctx) {
  const int this_year = static_cast<int>(
      absl::ToCivilYear(ctx.clock->Now(), DistrictTimeZone()).year());
  int year = 0;
  v1::ListPortfoliosRequest request;
  request.set_page_size(1000);
  do {
    v1::ListPortfoliosResponse page;
    RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->portfolios(),
                                  &v1::PortfolioService::Stub::ListPortfolios,
                                  request, &page));
    for (const v1::Portfolio& p : page.portfolios()) {
      // As the server picks its default year: one with targets.
      const bool targets =
          p.has_project_count_target() || p.has_investment_target() ||
          p.has_provincial_count_target() || p.has_city_count_target();
      if (p.year() <= this_year && targets) year = std::max(year, p.year());
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return year != 0 ? year : this_year;
}

// --level in --level-year; without --level-year, year 0 for
// ResolveLevelYear to fill in.
absl::Status LevelField(const ParsedArgs& args, v1::Project* p) {
  ASSIGN_OR_RETURN(auto level,
                   FlagValue<v1::ProjectLevel>(args, "level", ParseLevel));
  ASSIGN_OR_RETURN(auto year, FlagValue<int>(args, "level-year", ParseYear));
  if (year.has_value() && !level.has_value()) {
    return UsageError("--level-year needs --level");
  }
  if (!level.has_value()) return absl::OkStatus();
  v1::YearLevel* entry = p->add_levels();
  entry->set_year(year.value_or(0));
  entry->set_level(*level);
  return absl::OkStatus();
}

// Gives a --level without --level-year its default year (one call).
absl::Status ResolveLevelYear(CommandContext& ctx, v1::Project* p) {
  for (v1::YearLevel& level : *p->mutable_levels()) {
    if (level.year() != 0) continue;
    ASSIGN_OR_RETURN(const int year, DefaultPortfolioYear(ctx));
    level.set_year(year);
  }
  return absl::OkStatus();
}

// Reads the field flags into options->project and options->update_mask.
absl::Status ProjectFields(const ParsedArgs& args,
                           ProjectWriteOptions* options) {
  v1::Project* p = &options->project;
  TextField(args, "name", &v1::Project::set_display_name, p);
  TextField(args, "owner", &v1::Project::set_owner, p);
  TextField(args, "sector", &v1::Project::set_sector, p);
  TextField(args, "park", &v1::Project::set_park, p);
  TextField(args, "code", &v1::Project::set_national_code, p);
  TextField(args, "capacity", &v1::Project::set_capacity, p);
  TextField(args, "source", &v1::Project::set_source, p);
  for (const std::string& lead : args.Values("lead")) p->add_leads(lead);
  RETURN_IF_ERROR(TypedFields(args, p));
  RETURN_IF_ERROR(LevelField(args, p));
  options->update_mask = UpdateMaskOf(args);
  return absl::OkStatus();
}

absl::Status RunCreate(const ParsedArgs& args, CommandContext& ctx) {
  ProjectWriteOptions options;
  ASSIGN_OR_RETURN(const std::string name, ProjectName(args.Positional(0)));
  options.project_id = LastSegment(name);
  RETURN_IF_ERROR(ProjectFields(args, &options));
  RETURN_IF_ERROR(ResolveLevelYear(ctx, &options.project));
  options.request_id = RequestIdFlag(args);
  return CreateProject(options, ctx);
}

absl::Status RunUpdate(const ParsedArgs& args, CommandContext& ctx) {
  ProjectWriteOptions options;
  ASSIGN_OR_RETURN(options.name, ProjectName(args.Positional(0)));
  RETURN_IF_ERROR(ProjectFields(args, &options));
  if (options.update_mask.empty()) {
    return UsageError("nothing to update: give at least one field flag");
  }
  RETURN_IF_ERROR(ResolveLevelYear(ctx, &options.project));
  options.etag = args.Value("etag").value_or("");
  options.request_id = RequestIdFlag(args);
  return UpdateProject(options, ctx);
}

absl::Status RunLeads(const ParsedArgs& args, CommandContext& ctx) {
  LeadsOptions options;
  const std::string action = args.Positional(0);
  if (action == "add") {
    options.change = LeadChange::kAdd;
  } else if (action == "remove") {
    options.change = LeadChange::kRemove;
  } else {
    return UsageError(absl::StrCat("\"", action, "\" is not add or remove"));
  }
  ASSIGN_OR_RETURN(options.project, ProjectName(args.Positional(1)));
  ASSIGN_OR_RETURN(const std::string user, UserName(args.Positional(2)));
  options.user = LastSegment(user);
  options.request_id = RequestIdFlag(args);
  return ChangeLeads(options, ctx);
}

absl::Status RunPlanSet(const ParsedArgs& args, CommandContext& ctx) {
  PlanSetOptions options;
  ASSIGN_OR_RETURN(options.project, ProjectName(args.Positional(0)));
  ASSIGN_OR_RETURN(auto year, FlagValue<int>(args, "year", ParseYear));
  options.year = year.value_or(0);
  ASSIGN_OR_RETURN(options.amount,
                   FlagValue<int64_t>(args, "amount", ParseAmount));
  ASSIGN_OR_RETURN(auto monthly, FlagValue<std::vector<int64_t>>(
                                     args, "monthly", ParseMonthlySplit));
  if (!options.amount.has_value() && !monthly.has_value()) {
    return UsageError("give --amount, --monthly, or both");
  }
  options.even = args.Has("even");
  if (options.even && monthly.has_value()) {
    return UsageError("give --even or --monthly, not both");
  }
  options.monthly = monthly.value_or(std::vector<int64_t>());
  options.reason = std::string(
      absl::StripAsciiWhitespace(args.Value("reason").value_or("")));
  options.request_id = RequestIdFlag(args);
  return SetPlan(options, ctx);
}

absl::Status RunPlanHistory(const ParsedArgs& args, CommandContext& ctx) {
  PlanHistoryOptions options;
  ASSIGN_OR_RETURN(options.project, ProjectName(args.Positional(0)));
  ASSIGN_OR_RETURN(options.year, FlagValue<int>(args, "year", ParseYear));
  return ShowPlanHistory(options, ctx);
}

absl::Status RunPlanShow(const ParsedArgs& args, CommandContext& ctx) {
  PlanShowOptions options;
  ASSIGN_OR_RETURN(options.project, ProjectName(args.Positional(0)));
  ASSIGN_OR_RETURN(options.year, FlagValue<int>(args, "year", ParseYear));
  return ShowPlans(options, ctx);
}

std::vector<FlagSpec> FieldFlags(bool create) {
  return {
      {"name", "名称", "the project's name as the report writes it", create},
      {"owner", "ORG", "owning company or organisation (项目单位)"},
      {"chapter", "N", "task area of the report, 1..9 or 一..九"},
      {"sector", "TEXT", "sector or industry chain (产业链)"},
      {"park", "TEXT", "park or town (园区/镇街)"},
      {"stage", "STAGE",
       "reserve, preparatory, new-start, continuing, completed, "
       "in-operation, suspended (or 储备, 前期, 新开工, 续建, 竣工, 投产, "
       "停缓建)"},
      {"level", "LEVEL",
       "key-project level in --level-year: provincial, city, district "
       "(省级, 市级, 区级)"},
      {"level-year", "YEAR",
       "the year --level applies to (default: the latest year up to now "
       "that has portfolio targets, else this year, as `projects list`)"},
      {"total-investment", "AMOUNT", "总投资, e.g. 8亿"},
      {"start", "DATE", "planned start, e.g. 2024-03-01"},
      {"end", "DATE", "planned end"},
      {"code", "CODE", "national investment project code (国家项目代码)"},
      {"capacity", "TEXT", "capacity, e.g. 年产8亿克拉金刚石"},
      {"lead", "USER", "a lead's user id; the leads given replace all", false,
       true},
      {"source", "TEXT", "where the project comes from, e.g. report section"},
  };
}

std::vector<FlagSpec> WithWriteFlags(std::vector<FlagSpec> flags, bool etag) {
  if (etag) {
    flags.push_back({"etag", "ETAG",
                     "refuse the change if the project "
                     "changed since this etag was read"});
  }
  flags.push_back(
      {"request-id", "ID", "idempotency key; a random one when omitted"});
  return flags;
}

}  // namespace

std::vector<CommandSpec> ProjectCommands() {
  std::vector<CommandSpec> commands;
  commands.push_back(
      {"projects",
       "list",
       "List projects, every page unless --limit.",
       "",
       {},
       {{"level", "LEVEL", "provincial, city or district (省级, 市级, 区级)"},
        {"year", "YEAR",
         "the year --level refers to (default: the latest year up to now "
         "that has portfolio targets, else this year)"},
        {"chapter", "N", "task area 1..9 or 一..九"},
        {"park", "TEXT", "park or town, exactly"},
        {"sector", "TEXT", "sector or industry chain, exactly"},
        {"stage", "STAGE",
         "reserve, preparatory, new-start, continuing, "
         "completed, in-operation, suspended"},
        {"lead", "USER", "projects this user leads"},
        {"filter", "EXPR", "more terms, ANDed: e.g. 'chapter = 3'"},
        {"order-by", "FIELD",
         "name, display_name or total_investment, "
         "optionally followed by desc"},
        {"limit", "N", "print at most N projects"}},
       {"portfolio projects list --level provincial --park 高铁新区",
        "portfolio projects list --stage new-start --order-by "
        "'total_investment desc' --limit 10",
        "portfolio projects list -o csv > projects.csv"},
       RunList});
  commands.push_back(
      {"projects",
       "show",
       "Show one project in full.",
       "",
       {{"PROJECT", kProjectHelp}},
       {},
       {"portfolio projects show juncheng-forged-wheel",
        "portfolio projects show projects/juncheng-forged-wheel -o json"},
       RunShow});
  commands.push_back(
      {"projects",
       "create",
       "Create a project.",
       "",
       {{"PROJECT_ID", "3-63 of a-z, 0-9 and -, starting with a letter"}},
       WithWriteFlags(FieldFlags(true), false),
       {"portfolio projects create juncheng-forged-wheel --name "
        "骏程新能源锻造车轮 "
        "--park 高铁新区 --level provincial --total-investment 8亿 "
        "--lead zhang"},
       RunCreate});
  commands.push_back(
      {"projects",
       "update",
       "Change the fields given, and only those (update_mask).",
       "--level changes the level of one year (--level-year, default the "
       "year the lists show)\nand keeps the others. --lead replaces the "
       "project's leads with the ones given.\n",
       {{"PROJECT", kProjectHelp}},
       WithWriteFlags(FieldFlags(false), true),
       {"portfolio projects update juncheng-forged-wheel --stage continuing",
        "portfolio projects update juncheng-forged-wheel --level city "
        "--level-year 2025"},
       RunUpdate});
  commands.push_back(
      {"projects",
       "leads",
       "Add or remove one of a project's leads (负责人).",
       "`add` makes USER a lead of PROJECT; `remove` takes them off. The "
       "other\nleads stay. A lead may log investment and update milestones "
       "of the project;\nlisting a service user grants it the same. Adding "
       "a lead already listed, or\nremoving one who is not, changes nothing "
       "and succeeds. A change to the project\nby someone else between this "
       "command's read and its write is refused (ABORTED,\nexit 3); run it "
       "again.\n",
       {{"add|remove", "add USER to the leads, or remove USER from them"},
        {"PROJECT", kProjectHelp},
        {"USER", "user id, or users/ID"}},
       {{"request-id", "ID", "idempotency key; a random one when omitted"}},
       {"portfolio projects leads add juncheng-forged-wheel zhang",
        "portfolio projects leads remove juncheng-forged-wheel users/zhang"},
       RunLeads});
  commands.push_back(
      {"plan",
       "set",
       "Set a project's annual plan (年度计划投资), or revise it (年中调整).",
       "Without --monthly the server splits the year evenly; a plan that "
       "already has its own\nsplit is not flattened that way unless --even "
       "says so (it would rewrite months\nalready past). With --monthly "
       "and no --amount, the annual amount is the sum of\nthe months. The "
       "first plan of a year is its baseline; changing it later is a\n"
       "manager's revision and needs --reason. Every revision is kept: see "
       "`plan history`.\n",
       {{"PROJECT", kProjectHelp}},
       WithWriteFlags(
           {{"year", "YEAR", "the plan's year", true},
            {"amount", "AMOUNT", "the year's planned investment, e.g. 1.2亿"},
            {"monthly", "A,B,...",
             "12 amounts, January first, comma-separated (use ';' when the "
             "amounts contain thousands separators)"},
            {"even", "",
             "with --amount: spread it evenly over the 12 months, even when "
             "the plan has its own split"},
            {"reason", "TEXT",
             "why the plan is revised; required to change an existing plan"}},
           false),
       {"portfolio plan set juncheng-forged-wheel --year 2024 --amount 1.2亿",
        "portfolio plan set juncheng-forged-wheel --year 2024 --monthly "
        "0,0,1000万,1000万,1000万,1000万,1000万,1000万,1000万,1000万,2000万,"
        "2000万",
        "portfolio plan set juncheng-forged-wheel --year 2024 --amount 9000万 "
        "--reason 年中调整:设备到货延期"},
       RunPlanSet});
  commands.push_back(
      {"plan",
       "history",
       "Show every revision of a project's plans: baseline first, who, when, "
       "why, what changed.",
       "Revision 1 is the baseline. Each later row says by how much the "
       "annual amount\nchanged and which months moved. Times are UTC+8.\n",
       {{"PROJECT", kProjectHelp}},
       {{"year", "YEAR", "only this year's plan"}},
       {"portfolio plan history juncheng-forged-wheel",
        "portfolio plan history juncheng-forged-wheel --year 2024 -o json"},
       RunPlanHistory});
  commands.push_back({"plan",
                      "show",
                      "Show a project's annual plans and their monthly split.",
                      "",
                      {{"PROJECT", kProjectHelp}},
                      {{"year", "YEAR", "only this year's plan"}},
                      {"portfolio plan show juncheng-forged-wheel --year 2024"},
                      RunPlanShow});
  return commands;
}

}  // namespace portfolio::client
