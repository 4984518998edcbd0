// periods close | reopen | list: reporting months (填报期) that managers
// close to ledger entries (填报截止) and may reopen with a reason.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/filter.h"
#include "client/format.h"
#include "client/output.h"
#include "client/table.h"
#include "common/period.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

using v1::ReportingPeriod;

std::string PeriodName(absl::CivilMonth period) {
  return absl::StrCat("periods/", FormatPeriod(period));
}

// For people 已关闭 closed / 已重开 reopened; for machines the English word.
Cell StateCell(const ReportingPeriod& p) {
  if (p.closed()) return {"已关闭 closed", "closed"};
  if (!p.reopened_by().empty()) return {"已重开 reopened", "reopened"};
  return {"未关闭 open", "open"};
}

std::vector<Column> PeriodColumns() {
  return {
      {"期间 period", "period"},
      {"状态 state", "state"},
      {"关闭人 closed by", "closed_by"},
      {"关闭时间 closed at", "close_time"},
      {"重开人 reopened by", "reopened_by"},
      {"重开时间 reopened at", "reopen_time"},
      {"重开原因 reason", "reopen_reason"},
  };
}

std::vector<Cell> PeriodCells(const ReportingPeriod& p) {
  std::string period = FormatYearMonth(p.period());
  if (period.empty()) period = p.name();
  return {
      TextCell(period),
      StateCell(p),
      TextCell(p.closed_by()),
      TimeCell(p.close_time()),
      TextCell(p.reopened_by()),
      TimeCell(p.reopen_time()),
      TextCell(p.reopen_reason()),
  };
}

// The first `count` columns of one period: what the mutation changed.
Table OnePeriod(const ReportingPeriod& p, size_t count) {
  std::vector<Column> columns = PeriodColumns();
  std::vector<Cell> cells = PeriodCells(p);
  if (count < columns.size()) {
    columns.resize(count);
    cells.resize(count);
  }
  Table table(std::move(columns));
  table.AddRow(std::move(cells));
  return table;
}

}  // namespace

absl::Status ClosePeriod(const PeriodCloseOptions& options,
                         CommandContext& ctx) {
  v1::ClosePeriodRequest request;
  request.set_name(PeriodName(options.period));
  request.set_request_id(options.request_id);
  ReportingPeriod period;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->investments(),
                                &v1::InvestmentService::Stub::ClosePeriod,
                                request, &period));
  // Period, state, closed by, closed at (UTC+8).
  return EmitMutation(ctx.format, *ctx.out, period, OnePeriod(period, 4),
                      options.request_id);
}

absl::Status ReopenPeriod(const PeriodReopenOptions& options,
                          CommandContext& ctx) {
  v1::ReopenPeriodRequest request;
  request.set_name(PeriodName(options.period));
  request.set_reason(options.reason);
  request.set_request_id(options.request_id);
  ReportingPeriod period;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->investments(),
                                &v1::InvestmentService::Stub::ReopenPeriod,
                                request, &period));
  return EmitMutation(ctx.format, *ctx.out, period,
                      OnePeriod(period, PeriodColumns().size()),
                      options.request_id);
}

absl::Status ListPeriods(const PeriodsListOptions& options,
                         CommandContext& ctx) {
  v1::ListPeriodsRequest request;
  request.set_filter(BuildPeriodsFilter(options));
  v1::ListPeriodsResponse all;
  ASSIGN_OR_RETURN(
      const bool more,
      ListAll(
          *ctx.rpc, ctx.rpc->investments(),
          &v1::InvestmentService::Stub::ListPeriods, request, options.limit,
          [](v1::ListPeriodsResponse* r) { return r->mutable_periods(); },
          &all));
  Table table(PeriodColumns());
  for (const ReportingPeriod& period : all.periods()) {
    table.AddRow(PeriodCells(period));
  }
  RETURN_IF_ERROR(Emit(ctx.format, *ctx.out, all, table, Layout::kList));
  if (ctx.format == OutputFormat::kTable) {
    if (all.periods_size() == 0) {
      *ctx.out << "(no month has been closed"
               << (options.year.has_value()
                       ? absl::StrCat(" in ", *options.year)
                       : std::string())
               << ")\n";
    } else if (more) {
      *ctx.out << "(" << table.row_count()
               << " shown; raise --limit to see more)\n";
    }
  }
  return absl::OkStatus();
}

}  // namespace portfolio::client
