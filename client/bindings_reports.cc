// The command line of `indicators`, `summary`, `status`, `bulletin`,
// `report` and `import`: specs,
// and the conversion of their arguments into options structs.
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/errors.h"
#include "client/flag_values.h"
#include "client/names.h"
#include "client/snapshot.h"
#include "common/period.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

absl::Status RunIndicatorsList(const ParsedArgs& args, CommandContext& ctx) {
  IndicatorsListOptions options;
  ASSIGN_OR_RETURN(options.chapter,
                   FlagValue<int>(args, "chapter", ParseChapter));
  ASSIGN_OR_RETURN(options.kind, FlagValue<v1::IndicatorKind>(
                                     args, "kind", ParseIndicatorKind));
  ASSIGN_OR_RETURN(options.year, FlagValue<int>(args, "year", ParseYear));
  ASSIGN_OR_RETURN(auto limit, FlagValue<int>(args, "limit", ParseLimit));
  options.limit = limit.value_or(0);
  return ListIndicators(options, ctx);
}

absl::Status RunIndicatorShow(const ParsedArgs& args, CommandContext& ctx) {
  IndicatorShowOptions options;
  ASSIGN_OR_RETURN(options.indicator, IndicatorName(args.Positional(0)));
  return ShowIndicator(options, ctx);
}

absl::Status RunRecord(const ParsedArgs& args, CommandContext& ctx) {
  IndicatorRecordOptions options;
  ASSIGN_OR_RETURN(options.indicator, IndicatorName(args.Positional(0)));
  ASSIGN_OR_RETURN(auto year, FlagValue<int>(args, "year", ParseYear));
  options.year = year.value_or(0);
  ASSIGN_OR_RETURN(auto month, FlagValue<int>(args, "month", ParseMonth));
  options.month = month.value_or(0);
  ASSIGN_OR_RETURN(auto value,
                   FlagValue<std::string>(args, "value", ParseDecimal));
  options.value = value.value_or("");
  options.source = args.Value("source").value_or("");
  options.request_id = RequestIdFlag(args);
  return RecordIndicator(options, ctx);
}

// --year and --as-of YYYY-MM into (year, month); 0 leaves the choice to the
// server. Both given must agree on the year.
absl::Status YearAndMonth(const ParsedArgs& args, int* year, int* month) {
  ASSIGN_OR_RETURN(auto given_year, FlagValue<int>(args, "year", ParseYear));
  ASSIGN_OR_RETURN(auto as_of,
                   FlagValue<absl::CivilMonth>(args, "as-of", ParsePeriod));
  if (given_year.has_value() && as_of.has_value() &&
      as_of->year() != *given_year) {
    return UsageError(absl::StrCat("--as-of ", FormatPeriod(*as_of),
                                   " is not in --year ", *given_year));
  }
  *year = as_of.has_value() ? static_cast<int>(as_of->year())
                            : given_year.value_or(0);
  *month = as_of.has_value() ? as_of->month() : 0;
  return absl::OkStatus();
}

absl::Status RunSummary(const ParsedArgs& args, CommandContext& ctx) {
  SummaryOptions options;
  RETURN_IF_ERROR(YearAndMonth(args, &options.year, &options.as_of_month));
  ASSIGN_OR_RETURN(auto by,
                   FlagValue<v1::SummaryDimension>(args, "by", ParseDimension));
  options.group_by = by.value_or(v1::SUMMARY_DIMENSION_UNSPECIFIED);
  options.filter = args.Value("filter").value_or("");
  ASSIGN_OR_RETURN(options.snapshot, SnapshotFlagValues(args, *ctx.clock));
  return ShowSummary(options, ctx);
}

absl::Status RunBulletin(const ParsedArgs& args, CommandContext& ctx) {
  BulletinOptions options;
  RETURN_IF_ERROR(YearAndMonth(args, &options.year, &options.as_of_month));
  ASSIGN_OR_RETURN(auto by,
                   FlagValue<v1::SummaryDimension>(args, "by", ParseDimension));
  options.group_by = by.value_or(v1::SUMMARY_DIMENSION_PARK);
  options.filter = args.Value("filter").value_or("");
  ASSIGN_OR_RETURN(options.snapshot, SnapshotFlagValues(args, *ctx.clock));
  return ShowBulletin(options, ctx);
}

absl::Status RunReport(const ParsedArgs& args, CommandContext& ctx) {
  ReportOptions options;
  RETURN_IF_ERROR(YearAndMonth(args, &options.year, &options.as_of_month));
  options.html_path = args.Value("html").value_or("");
  options.xlsx_path = args.Value("xlsx").value_or("");
  if (!args.Has("html") && !args.Has("xlsx")) {
    return UsageError("give --html FILE, --xlsx FILE or both");
  }
  for (const char* flag : {"html", "xlsx"}) {
    if (args.Has(flag) && args.Value(flag)->empty()) {
      return UsageError(absl::StrCat("--", flag, ": empty file name"));
    }
  }
  if (options.html_path == options.xlsx_path) {
    return UsageError("--html and --xlsx name the same file");
  }
  if (std::optional<std::string> district = args.Value("district")) {
    if (district->empty()) return UsageError("--district: empty name");
    options.district = *district;
  }
  ASSIGN_OR_RETURN(options.snapshot, SnapshotFlagValues(args, *ctx.clock));
  return WriteReport(options, ctx);
}

absl::Status RunStatus(const ParsedArgs& args, CommandContext& ctx) {
  StatusListOptions options;
  RETURN_IF_ERROR(YearAndMonth(args, &options.year, &options.as_of_month));
  if (args.Has("red") && args.Has("amber")) {
    return UsageError("give at most one of --red and --amber");
  }
  if (args.Has("red")) options.rag = v1::RAG_RED;
  if (args.Has("amber")) options.rag = v1::RAG_AMBER;
  options.missing_only = args.Has("missing");
  options.filter = args.Value("filter").value_or("");
  ASSIGN_OR_RETURN(auto limit, FlagValue<int>(args, "limit", ParseLimit));
  options.limit = limit.value_or(0);
  ASSIGN_OR_RETURN(options.snapshot, SnapshotFlagValues(args, *ctx.clock));
  return ListStatuses(options, ctx);
}

// `import KIND FILE` imports one file; `import DIR` a directory of them.
absl::Status RunImport(const ParsedArgs& args, CommandContext& ctx) {
  const std::string first = args.Positional(0);
  absl::StatusOr<v1::ImportKind> kind = ParseImportKind(first);
  if (args.positional_count() == 1) {
    std::error_code error;
    if (kind.ok() && !std::filesystem::is_directory(first, error)) {
      return UsageError(absl::StrCat("FILE: missing; give `import ", first,
                                     " FILE`, or `import DIR` for a "
                                     "directory written by `export`"));
    }
    ImportDirectoryOptions options;
    options.dir = first;
    options.request_id = RequestIdFlag(args);
    options.again = args.Has("again");
    return ImportDirectory(options, ctx);
  }
  if (!kind.ok()) {
    return UsageError(absl::StrCat("KIND: ", kind.status().message()));
  }
  ImportOptions options;
  options.kind = *kind;
  options.path = args.Positional(1);
  options.request_id = RequestIdFlag(args);
  options.again = args.Has("again");
  return ImportFile(options, ctx);
}

absl::Status RunExport(const ParsedArgs& args, CommandContext& ctx) {
  ExportOptions options;
  options.dir = args.Positional(0);
  options.force = args.Has("force");
  return ExportAll(options, ctx);
}

std::vector<FlagSpec> YearFlags() {
  return {{"year", "YEAR",
           "the year (default: the latest year up to now that has portfolio "
           "targets, else this year)"},
          {"as-of", "YYYY-MM",
           "figures through this month (default: 12 for a past year, the "
           "last complete month this year); sets the year"}};
}

// The year flags, then `more`, then --as-known-on and --basis.
std::vector<FlagSpec> ReportingFlags(std::vector<FlagSpec> more) {
  std::vector<FlagSpec> flags = YearFlags();
  flags.insert(flags.end(), more.begin(), more.end());
  for (FlagSpec& flag : SnapshotFlags()) flags.push_back(std::move(flag));
  return flags;
}

void AddBulletinCommands(std::vector<CommandSpec>* commands) {
  commands->push_back(
      {"bulletin",
       "",
       "The monthly bulletin (月度通报): groups ranked by completion rate.",
       "One row per group, best completion rate first (groups without a plan\n"
       "last): projects, annual plan, completed to date, completion rate, gap\n"
       "to 序时进度, 开工率/竣工率/投产率 as done/due (rate), open/overdue\n"
       "problems and R/A/G counts; then the totals. The figures are one\n"
       "summary's (-o json prints it, groups in rank order).\n",
       {},
       ReportingFlags(
           {{"by", "DIMENSION",
             "rank by level, chapter, park (default), sector, stage or lead"},
            {"filter", "EXPR",
             "projects to include, as in projects list: e.g. "
             "'level = PROVINCIAL'"}}),
       {"portfolio bulletin --as-of 2024-06 --by park",
        "portfolio bulletin --as-of 2024-06 --as-known-on 2024-07-05 -o csv "
        "> 6月通报.csv",
        "portfolio bulletin --year 2024 --by chapter --basis baseline"},
       RunBulletin});
  commands->push_back(
      {"report",
       "",
       "Write the month's report as a web page and/or a workbook.",
       "The HTML file is self-contained (inline styles and SVG charts; it "
       "loads\nnothing and runs no script): headline figures against the "
       "targets, the\ncumulative planned-versus-completed curve, completion "
       "by level and by\nchapter against 序时进度, the ranking by park "
       "(bulletin) and every red\nproject with its reasons. The workbook has "
       "sheets 汇总, 月度曲线, 按级别,\n按篇章, 排名 and 红色项目, money in "
       "whole yuan. Every figure comes from\none snapshot: the instant of "
       "the first answer (or --as-known-on) is\nasked for in every later "
       "call. Files are replaced, never left half\nwritten.\n",
       {},
       ReportingFlags({{"html", "FILE", "write the HTML report here"},
                       {"xlsx", "FILE", "write the Excel workbook here"},
                       {"district", "NAME",
                        "the district named in the title (default 茌平区)"}}),
       {"portfolio report --year 2024 --as-of 2024-06 --html 6月.html --xlsx "
        "6月.xlsx",
        "portfolio report --as-of 2024-06 --as-known-on 2024-07-05 --html "
        "report.html"},
       RunReport});
}

}  // namespace

std::vector<CommandSpec> ReportCommands() {
  std::vector<CommandSpec> commands;
  commands.push_back(
      {"indicators",
       "list",
       "List the report's indicators (指标).",
       "",
       {},
       {{"chapter", "N", "task area 0..9 or 一..九 (0: headline targets)"},
        {"kind", "KIND",
         "amount, count, growth-rate, share, physical-quantity"},
        {"year", "YEAR",
         "only indicators with a target or a value recorded this year; shows "
         "that year's target and latest value"},
        {"limit", "N", "print at most N indicators"}},
       {"portfolio indicators list --year 2024",
        "portfolio indicators list --chapter 3 --kind growth-rate"},
       RunIndicatorsList});
  commands.push_back({"indicators",
                      "show",
                      "Show an indicator's targets and recorded values.",
                      "",
                      {{"ID", "indicator id, or indicators/ID"}},
                      {},
                      {"portfolio indicators show gdp-growth"},
                      RunIndicatorShow});
  commands.push_back(
      {"indicators",
       "record",
       "Record a value an indicator reached.",
       "Values are history: a new figure for the same period is recorded "
       "beside the old,\nand the latest counts. The same figure and source "
       "again records nothing. Only\na growth rate may be below zero.\n",
       {{"ID", "indicator id, or indicators/ID"}},
       {{"year", "YEAR", "the year of the value", true},
        {"month", "M", "1..12 for a value as of a month; omit for the year"},
        {"value", "DECIMAL", "plain decimal in the indicator's unit: 6, 193.9",
         true},
        {"source", "TEXT", "where the figure comes from"},
        {"request-id", "ID", "idempotency key; a random one when omitted"}},
       {"portfolio indicators record gdp-growth --year 2024 --month 6 --value "
        "5.8 --source 统计局"},
       RunRecord});
  std::vector<FlagSpec> summary_flags =
      ReportingFlags({{"by", "DIMENSION",
                       "group by level, chapter, park, sector, stage or lead"},
                      {"filter", "EXPR",
                       "projects to include, as in projects list: e.g. "
                       "'park = \"高铁新区\"'"}});
  commands.push_back(
      {"summary",
       "",
       "Completion against plan and against time elapsed (序时进度).",
       "Shows the year's totals beside the portfolio targets, then one row per "
       "group with --by.\n",
       {},
       summary_flags,
       {"portfolio summary --year 2024 --as-of 2024-06 --by level",
        "portfolio summary --by park --filter 'level = PROVINCIAL'",
        "portfolio summary --as-of 2024-06 --as-known-on 2024-07-05 --basis "
        "baseline"},
       RunSummary});
  std::vector<FlagSpec> status_flags = ReportingFlags(
      {{"red", "", "only red projects"},
       {"amber", "", "only amber projects"},
       {"missing", "",
        "projects with no report for the reporting month (漏报): the last "
        "closed month, or the as-of month when none is closed"},
       {"filter", "EXPR", "more terms, ANDed"},
       {"limit", "N", "print at most N projects"}});
  commands.push_back({"status",
                      "",
                      "Each project's red/amber/green status, worst first.",
                      "The selections combine: --missing --red lists the red "
                      "projects that also\nmissed the reporting month.\n",
                      {},
                      status_flags,
                      {"portfolio status --red",
                       "portfolio status --as-of 2024-06 --amber "
                       "--filter 'level = PROVINCIAL'",
                       "portfolio status --missing --red",
                       "portfolio status --red --as-known-on "
                       "2024-07-05T18:00:00+08:00"},
                      RunStatus});
  AddBulletinCommands(&commands);
  commands.push_back(
      {"import",
       "",
       "Import a CSV file all or nothing, or a directory from `export`.",
       "The formats are those of data/README.md (UTF-8, header row). With one\n"
       "argument, a directory: its users.csv, projects.csv, portfolio.csv,\n"
       "indicators.csv, plans.csv, milestones.csv, investments.csv,\n"
       "problems.csv and periods.csv, those present, in that order, each\n"
       "file all or nothing with its own request id (ID-users, ID-projects,\n"
       "...). It stops at the first file refused; run the same command with\n"
       "the same --request-id after fixing it, and the files already in are\n"
       "answered, not imported twice. Users and investments need an admin;\n"
       "ledger entries are appended under your name and today's time. An\n"
       "investments row whose project and month already have an entry of its\n"
       "amount is refused (the file is in already) unless --again.\n",
       {{"KIND|DIR",
         "projects, plans, indicators, portfolios, users, milestones, "
         "investments, problems or periods; or a directory"},
        {"FILE", "the CSV file (with KIND)", false}},
       {{"request-id", "ID", "idempotency key; a random one when omitted"},
        {"again", "",
         "append investments rows even where the ledger has the same "
         "amount for the month"}},
       {"portfolio import projects data/chiping-2024/projects.csv",
        "portfolio import plans plans.csv", "portfolio import chiping-2024-12",
        "portfolio import chiping-2024-12 --request-id load-1   # again, "
        "after a fix"},
       RunImport});
  commands.push_back(
      {"export",
       "",
       "Write every table as CSV files in the import formats.",
       "Writes users.csv, projects.csv, portfolio.csv, indicators.csv,\n"
       "plans.csv (every revision, baseline first), milestones.csv,\n"
       "investments.csv (every entry and correction, oldest first),\n"
       "problems.csv and periods.csv into DIR, created when missing, with\n"
       "exact yuan. `portfolio import DIR` loads them into another server.\n"
       "Tokens, the audit trail, and who reported what when are not\n"
       "exported (an import records its own user and time); `portfolio\n"
       "admin backup` copies everything. Needs an admin (users are read).\n",
       {{"DIR", "the directory to write"}},
       {{"force", "", "replace the files if DIR already holds them"}},
       {"portfolio export chiping-2024-12",
        "portfolio export chiping-2024-12 --force",
        "portfolio --addr new-server:50051 import chiping-2024-12"},
       RunExport});
  return commands;
}

std::vector<CommandSpec> AllCommands() {
  std::vector<CommandSpec> all = ProjectCommands();
  for (auto* more : {&LedgerCommands, &ReportCommands, &AdminCommands}) {
    std::vector<CommandSpec> specs = more();
    all.insert(all.end(), specs.begin(), specs.end());
  }
  return all;
}

}  // namespace portfolio::client
