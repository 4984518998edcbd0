// audit list: the append-only audit trail.
#include <string>

#include "client/commands.h"
#include "client/display_width.h"
#include "client/filter.h"
#include "client/format.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

// How much of an event's detail a table shows; json and csv show it all.
constexpr int kDetailWidth = 60;

Table AuditTable() {
  return Table({
      {"时间 time", "time"},
      {"用户 user", "user"},
      {"调用 method", "method"},
      {"资源 resource", "resource"},
      {"请求 request id", "request_id"},
      {"结果 outcome", "outcome"},
      {"详情 detail", "detail"},
      {"事件 event", "event", Align::kLeft, false},
  });
}

void AddEventRow(const v1::AuditEvent& event, Table* table) {
  table->AddRow({
      TimeCell(event.time()),
      // No user: the call carried no valid token.
      Cell{event.user().empty() ? "-" : event.user(), event.user()},
      Cell{ShortMethodName(event.method()), event.method()},
      TextCell(event.resource()),
      TextCell(event.request_id()),
      TextCell(event.outcome()),
      Cell{TruncateToWidth(event.detail(), kDetailWidth), event.detail()},
      TextCell(LastSegment(event.name())),
  });
}

}  // namespace

absl::Status ListAuditEvents(const AuditListOptions& options,
                             CommandContext& ctx) {
  v1::ListAuditEventsRequest request;
  request.set_filter(BuildAuditFilter(options));
  v1::ListAuditEventsResponse all;
  ASSIGN_OR_RETURN(
      const bool more,
      ListAll(
          *ctx.rpc, ctx.rpc->admin(), &v1::AdminService::Stub::ListAuditEvents,
          request, options.limit,
          [](v1::ListAuditEventsResponse* r) {
            return r->mutable_audit_events();
          },
          &all));
  Table table = AuditTable();
  for (const v1::AuditEvent& event : all.audit_events()) {
    AddEventRow(event, &table);
  }
  RETURN_IF_ERROR(Emit(ctx.format, *ctx.out, all, table, Layout::kList));
  if (ctx.format == OutputFormat::kTable && more) {
    *ctx.out << "(" << table.row_count()
             << " newest shown; raise --limit to see more)\n";
  }
  return absl::OkStatus();
}

}  // namespace portfolio::client
