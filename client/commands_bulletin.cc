// bulletin: the monthly bulletin (月度通报), the groups of one summary ranked
// by completion rate with the bulletin's milestone rates and problems.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/output.h"
#include "client/report_data.h"
#include "client/snapshot.h"
#include "client/table.h"
#include "common/period.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

using v1::PortfolioSummary;
using v1::SummaryFigures;

Table BulletinTable(const std::string& group_header) {
  // The counts behind each rate appear in CSV only: people read them in
  // the rate's cell, `3/5 (60.0%)`.
  return Table({
      {"排名 rank", "rank", Align::kRight},
      {group_header, "key"},
      {"项目 projects", "project_count", Align::kRight},
      {"年度计划 plan", "annual_plan", Align::kRight},
      {"完成投资 completed", "completed_to_date", Align::kRight},
      {"完成率 rate", "completion_rate", Align::kRight},
      {"差距 gap", "gap_points", Align::kRight},
      {"开工率 started", "start_rate", Align::kRight},
      {"应开工 start due", "start_due_count", Align::kRight, false},
      {"已开工 started", "started_count", Align::kRight, false},
      {"竣工率 finished", "completion_milestone_rate", Align::kRight},
      {"应竣工 completion due", "completion_due_count", Align::kRight, false},
      {"已竣工 completed", "completed_count", Align::kRight, false},
      {"投产率 in operation", "operation_rate", Align::kRight},
      {"应投产 operation due", "operation_due_count", Align::kRight, false},
      {"已投产 in operation", "in_operation_count", Align::kRight, false},
      {"问题 open/overdue", "open_problem_count", Align::kRight},
      {"超期问题 overdue", "overdue_problem_count", Align::kRight, false},
      {"红 R", "red_count", Align::kRight},
      {"黄 A", "amber_count", Align::kRight},
      {"绿 G", "green_count", Align::kRight},
      {"记录截至 as known at", "as_known_at", Align::kLeft, false},
      {"计划口径 basis", "plan_basis", Align::kLeft, false},
  });
}

// Nothing due has no rate: "-" for people, an empty field for machines
// (a 0 would read as none of them done).
Cell DueRateCell(int32_t done, int32_t due, double rate) {
  return Cell{FormatDueRate(done, due, rate),
              due > 0 ? absl::StrFormat("%.4f", rate) : ""};
}

void AddBulletinRow(Cell rank, Cell key, const SummaryFigures& f,
                    const PortfolioSummary& s, Table* table) {
  table->AddRow({
      std::move(rank),
      std::move(key),
      IntCell(f.project_count()),
      MoneyCell(f.annual_plan()),
      MoneyCell(f.completed_to_date()),
      // Without a plan the server's 0% reads as "on time"; the csv keeps it.
      PlannedPercentCell(HasPlan(f), f.completion_rate()),
      PlannedPointsCell(HasPlan(f), f.gap_points()),
      DueRateCell(f.started_count(), f.start_due_count(), f.start_rate()),
      IntCell(f.start_due_count()),
      IntCell(f.started_count()),
      DueRateCell(f.completed_count(), f.completion_due_count(),
                  f.completion_milestone_rate()),
      IntCell(f.completion_due_count()),
      IntCell(f.completed_count()),
      DueRateCell(f.in_operation_count(), f.operation_due_count(),
                  f.operation_rate()),
      IntCell(f.operation_due_count()),
      IntCell(f.in_operation_count()),
      Cell{absl::StrCat(f.open_problem_count(), "/", f.overdue_problem_count()),
           absl::StrCat(f.open_problem_count())},
      IntCell(f.overdue_problem_count()),
      IntCell(f.red_count()),
      IntCell(f.amber_count()),
      IntCell(f.green_count()),
      Cell{FormatKnownAt(s.as_known_at(), ""),
           FormatKnownAtRfc3339(s.as_known_at())},
      Cell{FormatPlanBasis(s.plan_basis()), ShortName(s.plan_basis())},
  });
}

// The summary as the bulletin prints it: groups in rank order.
PortfolioSummary Ranked(const PortfolioSummary& summary) {
  PortfolioSummary ranked = summary;
  ranked.clear_groups();
  for (const v1::SummaryGroup* group : RankedGroups(summary)) {
    *ranked.add_groups() = *group;
  }
  return ranked;
}

void PrintTitle(const PortfolioSummary& s, std::ostream& out) {
  out << DatasetBannerLines(s) << "月度通报 bulletin  " << s.year() << "年"
      << s.as_of_month() << "月  按" << DimensionHeader(s.group_by()) << "\n"
      << "截至 as of "
      << FormatPeriod(absl::CivilMonth(s.year(), s.as_of_month()))
      << "  序时进度 time elapsed " << FormatPercent(s.time_elapsed())
      << "\n记录截至 as known at "
      << FormatKnownAt(s.as_known_at(), "最新 latest")
      << "  计划口径 plan basis " << FormatPlanBasis(s.plan_basis()) << "\n\n";
}

}  // namespace

absl::Status ShowBulletin(const BulletinOptions& options, CommandContext& ctx) {
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
  const PortfolioSummary ranked = Ranked(summary);
  Table table = BulletinTable(DimensionHeader(ranked.group_by()));
  for (const v1::SummaryGroup& group : ranked.groups()) {
    AddBulletinRow(
        group.rank() > 0 ? IntCell(group.rank()) : Cell{"-", ""},
        Cell{GroupLabel(ranked.group_by(), group.key()), group.key()},
        group.figures(), ranked, &table);
  }
  AddBulletinRow(Cell{}, Cell{"合计 total", "TOTAL"}, ranked.totals(), ranked,
                 &table);
  if (ctx.format == OutputFormat::kTable) PrintTitle(ranked, *ctx.out);
  RETURN_IF_ERROR(Emit(ctx.format, *ctx.out, ranked, table, Layout::kList));
  if (ctx.format == OutputFormat::kTable &&
      ranked.totals().planned_project_count() <
          ranked.totals().project_count()) {
    // Otherwise a reader dividing 完成投资 by 年度计划 gets another rate.
    *ctx.out << "\n" << kRateBasisNote << "\n";
  }
  return absl::OkStatus();
}

}  // namespace portfolio::client
