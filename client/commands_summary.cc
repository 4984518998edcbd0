// summary and status: completion against plan and against time elapsed.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/filter.h"
#include "client/names.h"
#include "client/output.h"
#include "client/report_data.h"
#include "client/snapshot.h"
#include "client/table.h"
#include "common/amount.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "google/protobuf/util/time_util.h"

namespace portfolio::client {
namespace {

using v1::PortfolioSummary;
using v1::SummaryFigures;

std::string Percent(double ratio) {
  return absl::StrFormat("%.1f%%", ratio * 100);
}

std::string AsOf(int year, int month) {
  return month >= 1 && month <= 12 ? FormatPeriod(absl::CivilMonth(year, month))
                                   : absl::StrCat(year);
}

Table FiguresTable(const std::string& group_header) {
  return Table({
      {group_header, "key"},
      {"项目 projects", "project_count", Align::kRight},
      {"有计划 planned", "planned_project_count", Align::kRight, false},
      {"总投资 total", "total_investment", Align::kRight, false},
      {"年度计划 plan", "annual_plan", Align::kRight},
      {"序时计划 to date", "planned_to_date", Align::kRight},
      {"完成投资 completed", "completed_to_date", Align::kRight},
      {"完成率 rate", "completion_rate", Align::kRight},
      {"差距 gap", "gap_points", Align::kRight},
      {"红 R", "red_count", Align::kRight},
      {"黄 A", "amber_count", Align::kRight},
      {"绿 G", "green_count", Align::kRight},
      // Every CSV row says which snapshot it belongs to, so rows pasted
      // into one spreadsheet from several runs cannot be confused.
      {"记录截至 as known at", "as_known_at", Align::kLeft, false},
      {"计划口径 basis", "plan_basis", Align::kLeft, false},
  });
}

// The snapshot cells that end every row of FiguresTable.
std::vector<Cell> SnapshotCells(const PortfolioSummary& s) {
  return {Cell{FormatKnownAt(s.as_known_at(), ""),
               FormatKnownAtRfc3339(s.as_known_at())},
          Cell{FormatPlanBasis(s.plan_basis()), ShortName(s.plan_basis())}};
}

void AddFiguresRow(Cell key, const SummaryFigures& f, const PortfolioSummary& s,
                   Table* table) {
  std::vector<Cell> snapshot = SnapshotCells(s);
  table->AddRow({
      std::move(key),
      IntCell(f.project_count()),
      IntCell(f.planned_project_count()),
      MoneyCell(f.total_investment()),
      MoneyCell(f.annual_plan()),
      MoneyCell(f.planned_to_date()),
      MoneyCell(f.completed_to_date()),
      PlannedPercentCell(HasPlan(f), f.completion_rate()),
      PlannedPointsCell(HasPlan(f), f.gap_points()),
      IntCell(f.red_count()),
      IntCell(f.amber_count()),
      IntCell(f.green_count()),
      std::move(snapshot[0]),
      std::move(snapshot[1]),
  });
}

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// The project counts beside the portfolio's count targets: the projects
// at each level counted in `by_level` (the same question by level, as the
// report's cards count them), not the counts the portfolio record may
// carry from a report.
KeyValues CountLines(const PortfolioSummary& s,
                     const PortfolioSummary& by_level) {
  const v1::Portfolio& p = s.portfolio();
  KeyValues lines;
  std::string projects = absl::StrCat(s.totals().project_count());
  if (p.has_project_count_target()) {
    absl::StrAppend(&projects, " (目标 target ", p.project_count_target(), ")");
  }
  lines.emplace_back("项目 projects", projects);
  if (p.has_provincial_count_target() || p.has_city_count_target()) {
    lines.emplace_back(
        "省级/市级 provincial/city",
        absl::StrCat(
            LevelCount(by_level, v1::PROJECT_LEVEL_PROVINCIAL).value_or(0),
            " / ", LevelCount(by_level, v1::PROJECT_LEVEL_CITY).value_or(0),
            " (目标 target ", p.provincial_count_target(), " / ",
            p.city_count_target(), ")"));
  }
  return lines;
}

// Money against plan, time and the investment target; R/A/G counts.
KeyValues ProgressLines(const PortfolioSummary& s) {
  const SummaryFigures& t = s.totals();
  std::string completed = FormatAmount(t.completed_to_date());
  if (s.portfolio().has_investment_target()) {
    absl::StrAppend(&completed, " (目标 target ",
                    FormatAmount(s.portfolio().investment_target()), ", ",
                    Percent(s.investment_target_rate()), ")");
  }
  return {
      {"总投资 total investment", FormatAmount(t.total_investment())},
      {"年度计划 annual plan",
       absl::StrCat(FormatAmount(t.annual_plan()), " (",
                    t.planned_project_count(), " 个项目有计划 planned)")},
      {"序时计划 planned to date", FormatAmount(t.planned_to_date())},
      {"完成投资 completed", completed},
      {"完成率 completion",
       HasPlan(t)
           ? absl::StrFormat("%s (差距 gap %+.1f 个百分点 points)",
                             Percent(t.completion_rate()), t.gap_points())
           : std::string("- (无计划 no plan)")},
      {"红/黄/绿 R/A/G", absl::StrCat(t.red_count(), " / ", t.amber_count(),
                                      " / ", t.green_count())},
  };
}

// Year, month, 序时进度, and the totals beside the portfolio's targets, as
// aligned `key  value` lines.
void PrintHeader(const PortfolioSummary& s, const PortfolioSummary& by_level,
                 std::ostream& out) {
  out << DatasetBannerLines(s);
  KeyValues lines = {
      {"年度 year", absl::StrCat(s.year())},
      {"截至 as of", AsOf(s.year(), s.as_of_month())},
      {"记录截至 as known at", FormatKnownAt(s.as_known_at(), "最新 latest")},
      {"计划口径 plan basis", FormatPlanBasis(s.plan_basis())},
      {"序时进度 time elapsed", Percent(s.time_elapsed())},
  };
  for (KeyValues more : {CountLines(s, by_level), ProgressLines(s)}) {
    lines.insert(lines.end(), more.begin(), more.end());
  }
  std::vector<Column> columns;
  std::vector<Cell> row;
  for (auto& [key, value] : lines) {
    columns.push_back({key, key});
    row.push_back(TextCell(value));
  }
  Table table(std::move(columns));
  table.AddRow(std::move(row));
  table.PrintRecords(out);
}

void PrintSummaryCsv(const PortfolioSummary& s, std::ostream& out) {
  Table table = FiguresTable("");
  AddFiguresRow(TextCell("TOTAL"), s.totals(), s, &table);
  for (const v1::SummaryGroup& group : s.groups()) {
    AddFiguresRow(TextCell(group.key()), group.figures(), s, &table);
  }
  table.PrintCsv(out);
}

Table StatusTable() {
  return Table({
      {"项目 project", "project"},
      {"名称 name", "display_name"},
      {"状态 RAG", "rag"},
      {"完成率 rate", "completion_rate", Align::kRight},
      {"差距 gap", "gap_points", Align::kRight},
      {"原因 reasons", "reasons"},
      {"年度计划 plan", "annual_plan", Align::kRight, false},
      {"序时计划 to date", "planned_to_date", Align::kRight, false},
      {"完成投资 completed", "completed_to_date", Align::kRight, false},
      {"截至 as of", "as_of", Align::kLeft, false},
      {"记录截至 as known at", "as_known_at", Align::kLeft, false},
      {"计划口径 basis", "plan_basis", Align::kLeft, false},
  });
}

// What the status request asked for ("" = the latest).
google::protobuf::Timestamp RequestedInstant(const SnapshotOptions& snapshot) {
  return snapshot.as_known_at.has_value() ? ToTimestamp(*snapshot.as_known_at)
                                          : google::protobuf::Timestamp();
}

// The instant and plan a status reflects: its own, as the server says them;
// from a server too old to say them, what was asked.
google::protobuf::Timestamp KnownAtOf(const v1::ProjectStatus& s,
                                      const SnapshotOptions& snapshot) {
  return s.has_as_known_at() ? s.as_known_at() : RequestedInstant(snapshot);
}
v1::PlanBasis BasisOf(const v1::ProjectStatus& s,
                      const SnapshotOptions& snapshot) {
  return s.plan_basis() != v1::PLAN_BASIS_UNSPECIFIED ? s.plan_basis()
                                                      : snapshot.plan_basis;
}

void AddStatusRow(const v1::ProjectStatus& s, const SnapshotOptions& snapshot,
                  Table* table) {
  std::vector<std::string> reasons;
  for (const v1::StatusReason& reason : s.reasons()) {
    reasons.push_back(reason.message());
  }
  table->AddRow({
      TextCell(LastSegment(s.project())),
      TextCell(s.display_name()),
      Cell{absl::StrCat(Label(s.rag()), " ", ShortName(s.rag())),
           ShortName(s.rag())},
      PlannedPercentCell(s.annual_plan() > 0, s.completion_rate()),
      PlannedPointsCell(s.annual_plan() > 0, s.gap_points()),
      TextCell(absl::StrJoin(reasons, "; ")),
      MoneyCell(s.annual_plan()),
      MoneyCell(s.planned_to_date()),
      MoneyCell(s.completed_to_date()),
      TextCell(AsOf(s.year(), s.as_of_month())),
      Cell{FormatKnownAt(KnownAtOf(s, snapshot), ""),
           FormatKnownAtRfc3339(KnownAtOf(s, snapshot))},
      Cell{FormatPlanBasis(BasisOf(s, snapshot)),
           ShortName(BasisOf(s, snapshot))},
  });
}

// The status list as JSON: the response, plus the snapshot asked for.
absl::Status PrintStatusJson(const v1::ListProjectStatusesResponse& all,
                             const SnapshotOptions& snapshot,
                             std::ostream& out) {
  std::vector<std::pair<std::string, std::string>> members;
  if (snapshot.as_known_at.has_value()) {
    // The proto3 JSON form, as PortfolioSummary.as_known_at prints.
    members.emplace_back(
        "as_known_at",
        google::protobuf::util::TimeUtil::ToString(RequestedInstant(snapshot)));
  }
  members.emplace_back(
      "plan_basis",
      v1::PlanBasis_Name(snapshot.plan_basis == v1::PLAN_BASIS_UNSPECIFIED
                             ? v1::PLAN_BASIS_CURRENT
                             : snapshot.plan_basis));
  return PrintJsonWithMembers(out, all, members);
}

}  // namespace

absl::Status ShowSummary(const SummaryOptions& options, CommandContext& ctx) {
  v1::GetPortfolioSummaryRequest request;
  request.set_year(options.year);
  request.set_as_of_month(options.as_of_month);
  request.set_group_by(options.group_by);
  request.set_filter(options.filter);
  ApplySnapshot(options.snapshot, &request);
  PortfolioSummary summary;
  RETURN_IF_ERROR(ctx.rpc->Call(
      ctx.rpc->portfolios(), &v1::PortfolioService::Stub::GetPortfolioSummary,
      request, &summary));
  if (ctx.format == OutputFormat::kJson) return PrintJson(*ctx.out, summary);
  if (ctx.format == OutputFormat::kCsv) {
    PrintSummaryCsv(summary, *ctx.out);
    return absl::OkStatus();
  }
  // The level counts for the targets: from this answer when it is by
  // level, else asked by level. With --as-known-on, as known at the same
  // instant; without, as the latest (which the server keeps evaluated:
  // an as-known-at question is read afresh, at province scale a cost on
  // every summary), so a project created between the two calls could be
  // counted in one and not the other.
  PortfolioSummary by_level;
  const v1::Portfolio& p = summary.portfolio();
  if (summary.group_by() == v1::SUMMARY_DIMENSION_LEVEL) {
    by_level = summary;
  } else if (p.has_provincial_count_target() || p.has_city_count_target()) {
    v1::GetPortfolioSummaryRequest levels = request;
    levels.set_year(summary.year());
    levels.set_as_of_month(summary.as_of_month());
    levels.set_group_by(v1::SUMMARY_DIMENSION_LEVEL);
    if (request.has_as_known_at()) {
      *levels.mutable_as_known_at() = summary.as_known_at();
    }
    RETURN_IF_ERROR(ctx.rpc->Call(
        ctx.rpc->portfolios(), &v1::PortfolioService::Stub::GetPortfolioSummary,
        levels, &by_level));
  }
  PrintHeader(summary, by_level, *ctx.out);
  if (summary.groups_size() > 0) {
    Table table = FiguresTable(DimensionHeader(summary.group_by()));
    for (const v1::SummaryGroup& group : summary.groups()) {
      AddFiguresRow(TextCell(GroupLabel(summary.group_by(), group.key())),
                    group.figures(), summary, &table);
    }
    AddFiguresRow(TextCell("合计 total"), summary.totals(), summary, &table);
    *ctx.out << "\n";
    table.PrintAligned(*ctx.out);
  }
  if (summary.totals().planned_project_count() <
      summary.totals().project_count()) {
    *ctx.out << "\n" << kRateBasisNote << "\n";
  }
  return absl::OkStatus();
}

absl::Status ListStatuses(const StatusListOptions& options,
                          CommandContext& ctx) {
  v1::ListProjectStatusesRequest request;
  request.set_year(options.year);
  request.set_as_of_month(options.as_of_month);
  request.set_filter(BuildStatusFilter(options));
  ApplySnapshot(options.snapshot, &request);
  v1::ListProjectStatusesResponse all;
  ASSIGN_OR_RETURN(const bool more,
                   ListAll(
                       *ctx.rpc, ctx.rpc->portfolios(),
                       &v1::PortfolioService::Stub::ListProjectStatuses,
                       request, options.limit,
                       [](v1::ListProjectStatusesResponse* r) {
                         return r->mutable_project_statuses();
                       },
                       &all));
  Table table = StatusTable();
  for (const v1::ProjectStatus& status : all.project_statuses()) {
    AddStatusRow(status, options.snapshot, &table);
  }
  if (ctx.format == OutputFormat::kJson) {
    return PrintStatusJson(all, options.snapshot, *ctx.out);
  }
  if (ctx.format == OutputFormat::kTable && all.project_statuses_size() > 0) {
    const v1::ProjectStatus& first = all.project_statuses(0);
    *ctx.out << "截至 as of " << AsOf(first.year(), first.as_of_month())
             << "  序时进度 time elapsed " << Percent(first.time_elapsed())
             << "\n记录截至 as known at "
             << FormatKnownAt(KnownAtOf(first, options.snapshot), "最新 latest")
             << "  计划口径 plan basis "
             << FormatPlanBasis(BasisOf(first, options.snapshot)) << "\n\n";
  }
  RETURN_IF_ERROR(Emit(ctx.format, *ctx.out, all, table, Layout::kList));
  if (ctx.format == OutputFormat::kTable && more) {
    *ctx.out << "(" << table.row_count()
             << " shown; raise --limit to see more)\n";
  }
  return absl::OkStatus();
}

}  // namespace portfolio::client
