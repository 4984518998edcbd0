// invest log | correct | list: the append-only investment ledger.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/errors.h"
#include "client/filter.h"
#include "client/format.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/amount.h"
#include "common/period.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

using v1::InvestmentEntry;

Table EntryTable() {
  return Table({
      {"项目 project", "project"},
      {"条目 entry", "entry"},
      {"期间 period", "period"},
      {"金额 amount", "amount", Align::kRight},
      {"填报人 by", "reported_by"},
      {"填报时间 reported", "report_time"},
      {"说明 note", "note"},
      {"更正 corrects", "corrects", Align::kLeft, false},
      {"原因 reason", "reason", Align::kLeft, false},
      {"请求 request id", "request_id", Align::kLeft, false},
  });
}

void AddEntryRow(const InvestmentEntry& e, Table* table) {
  std::string note = e.note();
  if (!e.corrects().empty()) {
    note = absl::StrCat("更正 #", LastSegment(e.corrects()), ": ", e.reason(),
                        note.empty() ? "" : "; ", note);
  }
  table->AddRow({
      TextCell(ProjectIdOf(e.name())),
      TextCell(LastSegment(e.name())),
      TextCell(FormatYearMonth(e.period())),
      MoneyCell(e.amount()),
      TextCell(e.reported_by()),
      TimeCell(e.report_time()),
      Cell{note, e.note()},
      TextCell(e.corrects()),
      TextCell(e.reason()),
      TextCell(e.request_id()),
  });
}

absl::Status EmitEntry(const InvestmentEntry& entry,
                       const std::string& request_id, CommandContext& ctx) {
  Table table = EntryTable();
  AddEntryRow(entry, &table);
  return EmitMutation(ctx.format, *ctx.out, entry, table, request_id);
}

}  // namespace

absl::Status LogInvestment(const InvestLogOptions& options,
                           CommandContext& ctx) {
  v1::LogInvestmentRequest request;
  request.set_parent(options.project);
  *request.mutable_period() = ToYearMonth(options.period);
  request.set_amount(options.amount);
  request.set_note(options.note);
  request.set_request_id(options.request_id);
  // The server checks in the write's transaction, so the same command run
  // twice at once still writes one entry.
  request.set_refuse_duplicate(!options.again);
  InvestmentEntry entry;
  const absl::Status status = ctx.rpc->Call(
      ctx.rpc->investments(), &v1::InvestmentService::Stub::LogInvestment,
      request, &entry);
  // Only the repeated report: a request id reused for another request is
  // ALREADY_EXISTS too, and --again would not help it.
  if (absl::IsAlreadyExists(status) &&
      absl::StrContains(status.message(), "amount: ")) {
    return AppendToMessage(
        status, ". If this is a second, separate amount, add --again");
  }
  RETURN_IF_ERROR(status);
  return EmitEntry(entry, options.request_id, ctx);
}

absl::Status CorrectInvestment(const InvestCorrectOptions& options,
                               CommandContext& ctx) {
  v1::CorrectInvestmentRequest request;
  request.set_name(options.entry);
  if (options.delta.has_value()) request.set_delta(*options.delta);
  if (options.corrected_amount.has_value()) {
    request.set_corrected_amount(*options.corrected_amount);
  }
  request.set_reason(options.reason);
  request.set_request_id(options.request_id);
  InvestmentEntry entry;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->investments(),
                                &v1::InvestmentService::Stub::CorrectInvestment,
                                request, &entry));
  return EmitEntry(entry, options.request_id, ctx);
}

absl::Status ListInvestments(const InvestListOptions& options,
                             CommandContext& ctx) {
  FilterBuilder filter;
  if (options.year.has_value()) filter.AddInt("year", *options.year);
  if (options.period.has_value()) {
    filter.AddString("period", FormatPeriod(*options.period));
  }
  v1::ListInvestmentEntriesRequest request;
  request.set_parent(options.parent);
  request.set_filter(filter.Build());
  v1::ListInvestmentEntriesResponse all;
  ASSIGN_OR_RETURN(const bool more,
                   ListAll(
                       *ctx.rpc, ctx.rpc->investments(),
                       &v1::InvestmentService::Stub::ListInvestmentEntries,
                       request, options.limit,
                       [](v1::ListInvestmentEntriesResponse* r) {
                         return r->mutable_investment_entries();
                       },
                       &all));
  Table table = EntryTable();
  for (const InvestmentEntry& entry : all.investment_entries()) {
    AddEntryRow(entry, &table);
  }
  RETURN_IF_ERROR(Emit(ctx.format, *ctx.out, all, table, Layout::kList));
  if (ctx.format == OutputFormat::kTable) {
    *ctx.out << "合计 total: " << FormatAmount(all.total_amount());
    if (more) {
      *ctx.out << " (all matching entries; " << table.row_count()
               << " shown, raise --limit to see more)";
    } else {
      *ctx.out << " (" << table.row_count() << " 条 entries)";
    }
    *ctx.out << "\n";
  }
  return absl::OkStatus();
}

}  // namespace portfolio::client
