// plan set | show: a project's annual plans and their monthly split.
#include <numeric>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/errors.h"
#include "client/format.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/amount.h"
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

// "3月 +200万, 4月 -200万": the months whose amount differs from `before`.
std::string MonthChanges(const AnnualPlan& before, const AnnualPlan& after) {
  std::string out;
  for (int m = 0;
       m < 12 && m < before.monthly_size() && m < after.monthly_size(); ++m) {
    const int64_t delta = after.monthly(m) - before.monthly(m);
    if (delta == 0) continue;
    absl::StrAppend(&out, out.empty() ? "" : ", ", m + 1, "月 ",
                    delta > 0 ? "+" : "", FormatAmount(delta));
  }
  return out;
}

// One row per revision: what it set and what it changed.
Table HistoryTable(const std::vector<AnnualPlan>& revisions) {
  Table table({{"年度 year", "year"},
               {"版本 revision", "revision", Align::kRight},
               {"类型 type", "type"},
               {"计划 amount", "amount"},
               {"变动 change", "change"},
               {"调整月份 months changed", "months_changed"},
               {"原因 reason", "reason"},
               {"调整人 by", "updated_by"},
               {"时间 time", "update_time"}});
  for (size_t i = 0; i < revisions.size(); ++i) {
    const AnnualPlan& r = revisions[i];
    const AnnualPlan* before = i > 0 && revisions[i - 1].year() == r.year()
                                   ? &revisions[i - 1]
                                   : nullptr;
    table.AddRow(
        {TextCell(absl::StrCat(r.year())), IntCell(r.revision()),
         Cell{r.revision() == 1 ? "基准 baseline" : "调整 revision",
              r.revision() == 1 ? "baseline" : "revision"},
         MoneyCell(r.amount()),
         before != nullptr ? MoneyCell(r.amount() - before->amount()) : Cell{},
         TextCell(before != nullptr ? MonthChanges(*before, r) : ""),
         TextCell(r.revision_reason()), TextCell(r.updated_by()),
         TimeCell(r.update_time())});
  }
  return table;
}

// Every plan of the project, every page.
absl::StatusOr<v1::ListAnnualPlansResponse> AllPlans(const std::string& project,
                                                     CommandContext& ctx) {
  v1::ListAnnualPlansRequest request;
  request.set_parent(project);
  v1::ListAnnualPlansResponse all;
  RETURN_IF_ERROR(ListAll(
                      *ctx.rpc, ctx.rpc->projects(),
                      &v1::ProjectService::Stub::ListAnnualPlans, request, 0,
                      [](v1::ListAnnualPlansResponse* r) {
                        return r->mutable_annual_plans();
                      },
                      &all)
                      .status());
  return all;
}

}  // namespace

absl::Status ShowPlanHistory(const PlanHistoryOptions& options,
                             CommandContext& ctx) {
  std::vector<int> years;
  if (options.year.has_value()) {
    years.push_back(*options.year);
  } else {
    ASSIGN_OR_RETURN(const v1::ListAnnualPlansResponse all,
                     AllPlans(options.project, ctx));
    for (const AnnualPlan& plan : all.annual_plans()) {
      years.push_back(plan.year());
    }
  }
  v1::ListAnnualPlanRevisionsResponse history;
  for (int year : years) {
    v1::ListAnnualPlanRevisionsRequest request;
    request.set_name(absl::StrCat(options.project, "/plans/", year));
    v1::ListAnnualPlanRevisionsResponse one;
    RETURN_IF_ERROR(ListAll(
                        *ctx.rpc, ctx.rpc->projects(),
                        &v1::ProjectService::Stub::ListAnnualPlanRevisions,
                        request, 0,
                        [](v1::ListAnnualPlanRevisionsResponse* r) {
                          return r->mutable_annual_plans();
                        },
                        &one)
                        .status());
    history.MergeFrom(one);
  }
  const std::vector<AnnualPlan> revisions(history.annual_plans().begin(),
                                          history.annual_plans().end());
  if (revisions.empty() && ctx.format == OutputFormat::kTable) {
    *ctx.out << "没有年度计划 (no annual plans)\n";
    return absl::OkStatus();
  }
  return Emit(ctx.format, *ctx.out, history, HistoryTable(revisions),
              Layout::kList);
}

namespace {

// Whether `plan`'s months are the server's even split of its amount
// (amount / 12 a month, the remainder's yuan on the last months).
bool EvenlySplit(const AnnualPlan& plan) {
  if (plan.monthly_size() != 12) return true;
  const int64_t base = plan.amount() / 12;
  const int64_t remainder = plan.amount() % 12;
  for (int m = 0; m < 12; ++m) {
    if (plan.monthly(m) != base + (m >= 12 - remainder ? 1 : 0)) return false;
  }
  return true;
}

}  // namespace

absl::Status SetPlan(const PlanSetOptions& options, CommandContext& ctx) {
  v1::UpdateAnnualPlanRequest request;
  AnnualPlan* plan = request.mutable_annual_plan();
  plan->set_name(absl::StrCat(options.project, "/plans/", options.year));
  // Not for a given --request-id: a retry must send the request it
  // repeats, which carried no etag, and the plan read now may be the one
  // the first call wrote.
  if (options.monthly.empty() && !options.even && !ctx.request_id_given) {
    // An amount alone is split evenly by the server. Over a plan with its
    // own split (little in the first months, more later) that would move
    // plan into months already past, so 序时计划 and 完成率 would jump: the
    // user says which they mean. The etag makes the write fail (ABORTED)
    // if the plan changes between this read and it.
    v1::GetAnnualPlanRequest get;
    get.set_name(plan->name());
    AnnualPlan existing;
    const absl::Status got =
        ctx.rpc->Call(ctx.rpc->projects(),
                      &v1::ProjectService::Stub::GetAnnualPlan, get, &existing);
    if (got.ok() && !EvenlySplit(existing)) {
      return UsageError(absl::StrCat(
          "the ", options.year,
          " plan has its own monthly split (see `plan "
          "show`); --amount alone would spread ",
          FormatAmount(options.amount.value_or(0)),
          " evenly over all 12 months, replacing that split. Give "
          "the 12 months with --monthly, or add --even to spread it evenly"));
    }
    if (!got.ok() && !absl::IsNotFound(got)) return got;
    if (got.ok()) plan->set_etag(existing.etag());
  }
  plan->set_amount(options.amount.has_value()
                       ? *options.amount
                       : std::accumulate(options.monthly.begin(),
                                         options.monthly.end(), int64_t{0}));
  for (int64_t month : options.monthly) plan->add_monthly(month);
  plan->set_revision_reason(options.reason);
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
    ASSIGN_OR_RETURN(const v1::ListAnnualPlansResponse all,
                     AllPlans(options.project, ctx));
    if (ctx.format == OutputFormat::kJson) return PrintJson(*ctx.out, all);
    plans.assign(all.annual_plans().begin(), all.annual_plans().end());
  }
  PrintPlans(plans, ctx.format, *ctx.out);
  return absl::OkStatus();
}

}  // namespace portfolio::client
