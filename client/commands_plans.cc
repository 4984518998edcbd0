// plan set | show: a project's annual plans and their monthly split.
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/format.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

using v1::AnnualPlan;

// One row per plan, every figure exact: for CSV.
Table PlanRows(const std::vector<AnnualPlan>& plans) {
  std::vector<Column> columns = {{"项目 project", "project"},
                                 {"年度 year", "year"},
                                 {"计划 amount", "amount"}};
  for (int m = 1; m <= 12; ++m) {
    columns.push_back({absl::StrCat(m, "月"), absl::StrCat("m", m)});
  }
  columns.push_back({"更新人 by", "updated_by"});
  columns.push_back({"更新 updated", "update_time"});
  Table table(std::move(columns));
  for (const AnnualPlan& plan : plans) {
    std::vector<Cell> row = {TextCell(ProjectIdOf(plan.name())),
                             TextCell(absl::StrCat(plan.year())),
                             MoneyCell(plan.amount())};
    for (int m = 0; m < 12; ++m) {
      row.push_back(m < plan.monthly_size() ? MoneyCell(plan.monthly(m))
                                            : Cell{});
    }
    row.push_back(TextCell(plan.updated_by()));
    row.push_back(TimeCell(plan.update_time()));
    table.AddRow(std::move(row));
  }
  return table;
}

// Months down, years across: how people read a monthly split.
Table MonthGrid(const std::vector<AnnualPlan>& plans) {
  std::vector<Column> columns = {{"月份 month", "month"}};
  for (const AnnualPlan& plan : plans) {
    columns.push_back({absl::StrCat(plan.year(), "年"),
                       absl::StrCat(plan.year()), Align::kRight});
  }
  Table table(std::move(columns));
  for (int m = 0; m < 12; ++m) {
    std::vector<Cell> row = {TextCell(absl::StrCat(m + 1, "月"))};
    for (const AnnualPlan& plan : plans) {
      row.push_back(m < plan.monthly_size() ? MoneyCell(plan.monthly(m))
                                            : Cell{});
    }
    table.AddRow(std::move(row));
  }
  std::vector<Cell> total = {TextCell("全年 year")};
  for (const AnnualPlan& plan : plans)
    total.push_back(MoneyCell(plan.amount()));
  table.AddRow(std::move(total));
  return table;
}

void PrintPlans(const std::vector<AnnualPlan>& plans, OutputFormat format,
                std::ostream& out) {
  if (format == OutputFormat::kCsv) {
    PlanRows(plans).PrintCsv(out);
  } else if (plans.empty()) {
    out << "没有年度计划 (no annual plans)\n";
  } else {
    MonthGrid(plans).PrintAligned(out);
  }
}

}  // namespace

absl::Status SetPlan(const PlanSetOptions& options, CommandContext& ctx) {
  v1::UpdateAnnualPlanRequest request;
  AnnualPlan* plan = request.mutable_annual_plan();
  plan->set_name(absl::StrCat(options.project, "/plans/", options.year));
  plan->set_amount(options.amount.has_value()
                       ? *options.amount
                       : std::accumulate(options.monthly.begin(),
                                         options.monthly.end(), int64_t{0}));
  for (int64_t month : options.monthly) plan->add_monthly(month);
  request.set_allow_missing(true);
  request.set_request_id(options.request_id);
  AnnualPlan result;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                &v1::ProjectService::Stub::UpdateAnnualPlan,
                                request, &result));
  if (ctx.format == OutputFormat::kJson) {
    return PrintJsonWithRequestId(*ctx.out, result, options.request_id);
  }
  PrintPlans({result}, ctx.format, *ctx.out);
  return absl::OkStatus();
}

absl::Status ShowPlans(const PlanShowOptions& options, CommandContext& ctx) {
  std::vector<AnnualPlan> plans;
  if (options.year.has_value()) {
    v1::GetAnnualPlanRequest request;
    request.set_name(absl::StrCat(options.project, "/plans/", *options.year));
    AnnualPlan plan;
    RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                  &v1::ProjectService::Stub::GetAnnualPlan,
                                  request, &plan));
    if (ctx.format == OutputFormat::kJson) return PrintJson(*ctx.out, plan);
    plans.push_back(plan);
  } else {
    v1::ListAnnualPlansRequest request;
    request.set_parent(options.project);
    v1::ListAnnualPlansResponse all;
    RETURN_IF_ERROR(ListAll(
                        *ctx.rpc, ctx.rpc->projects(),
                        &v1::ProjectService::Stub::ListAnnualPlans, request, 0,
                        [](v1::ListAnnualPlansResponse* r) {
                          return r->mutable_annual_plans();
                        },
                        &all)
                        .status());
    if (ctx.format == OutputFormat::kJson) return PrintJson(*ctx.out, all);
    plans.assign(all.annual_plans().begin(), all.annual_plans().end());
  }
  PrintPlans(plans, ctx.format, *ctx.out);
  return absl::OkStatus();
}

}  // namespace portfolio::client
