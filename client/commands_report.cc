// report: the month's report as a web page and/or an Excel workbook, every
// figure read from one snapshot of the server.
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/errors.h"
#include "client/files.h"
#include "client/output.h"
#include "client/report_data.h"
#include "client/report_html.h"
#include "client/report_xlsx.h"
#include "client/snapshot.h"
#include "client/table.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/time_util.h"

namespace portfolio::client {
namespace {

using v1::GetPortfolioSummaryRequest;
using v1::PortfolioSummary;

absl::Status CallSummary(CommandContext& ctx,
                         const GetPortfolioSummaryRequest& request,
                         PortfolioSummary* summary) {
  return ctx.rpc->Call(ctx.rpc->portfolios(),
                       &v1::PortfolioService::Stub::GetPortfolioSummary,
                       request, summary);
}

// Months 1..12 of the year `pinned` asks for: the plans through every
// month, completion only through the as-of month (later months have not
// been reported, and a flat line there would read as a stall).
absl::Status ReadCurve(CommandContext& ctx, GetPortfolioSummaryRequest pinned,
                       ReportData* data) {
  const int as_of = pinned.as_of_month();
  pinned.set_group_by(v1::SUMMARY_DIMENSION_UNSPECIFIED);
  for (int month = 1; month <= 12; ++month) {
    pinned.set_as_of_month(month);
    PortfolioSummary s;
    RETURN_IF_ERROR(CallSummary(ctx, pinned, &s));
    MonthFigures figures;
    figures.month = month;
    figures.planned_to_date = s.totals().planned_to_date();
    if (month <= as_of)
      figures.completed_to_date = s.totals().completed_to_date();
    data->curve.push_back(figures);
  }
  return absl::OkStatus();
}

// Every red project, all pages, with its reasons.
absl::Status ReadRedProjects(CommandContext& ctx,
                             const GetPortfolioSummaryRequest& pinned,
                             ReportData* data) {
  v1::ListProjectStatusesRequest request;
  request.set_year(pinned.year());
  request.set_as_of_month(pinned.as_of_month());
  request.set_filter("rag = RED");
  if (pinned.has_as_known_at()) {
    *request.mutable_as_known_at() = pinned.as_known_at();
  }
  request.set_plan_basis(pinned.plan_basis());
  v1::ListProjectStatusesResponse all;
  RETURN_IF_ERROR(ListAll(
                      *ctx.rpc, ctx.rpc->portfolios(),
                      &v1::PortfolioService::Stub::ListProjectStatuses, request,
                      /*limit=*/0,
                      [](v1::ListProjectStatusesResponse* r) {
                        return r->mutable_project_statuses();
                      },
                      &all)
                      .status());
  data->red_projects.assign(all.project_statuses().begin(),
                            all.project_statuses().end());
  return absl::OkStatus();
}

// The report's figures: the ungrouped summary first, then everything else
// pinned to what that first answer reflected.
absl::StatusOr<ReportData> GatherReport(const ReportOptions& options,
                                        CommandContext& ctx) {
  ReportData data;
  data.district = options.district;
  GetPortfolioSummaryRequest request;
  request.set_year(options.year);
  request.set_as_of_month(options.as_of_month);
  ApplySnapshot(options.snapshot, &request);
  RETURN_IF_ERROR(CallSummary(ctx, request, &data.summary));
  // The year and month the server resolved and the instant it read: an
  // entry logged while the report runs must not reach one table and miss
  // another.
  request.set_year(data.summary.year());
  request.set_as_of_month(data.summary.as_of_month());
  if (data.summary.has_as_known_at()) {
    *request.mutable_as_known_at() = data.summary.as_known_at();
  }
  for (auto [dimension, summary] :
       {std::pair{v1::SUMMARY_DIMENSION_LEVEL, &data.by_level},
        std::pair{v1::SUMMARY_DIMENSION_CHAPTER, &data.by_chapter},
        std::pair{v1::SUMMARY_DIMENSION_PARK, &data.by_park}}) {
    request.set_group_by(dimension);
    RETURN_IF_ERROR(CallSummary(ctx, request, summary));
  }
  RETURN_IF_ERROR(ReadCurve(ctx, request, &data));
  RETURN_IF_ERROR(ReadRedProjects(ctx, request, &data));
  return data;
}

// A file reserved under `path`.partial before any call is made, so a bad
// path fails fast; null when `path` is empty. Readable as the umask
// allows: a report is made to be handed round.
absl::StatusOr<std::unique_ptr<PendingFile>> Reserve(const std::string& path) {
  if (path.empty()) return std::unique_ptr<PendingFile>();
  absl::StatusOr<std::unique_ptr<PendingFile>> file = PendingFile::Create(
      path, absl::StrCat(path, ".partial"), FileAccess::kShared);
  if (!file.ok()) return OutputError(file.status());
  return file;
}

absl::Status EmitResult(const ReportOptions& options, const ReportData& d,
                        CommandContext& ctx) {
  const PortfolioSummary& s = d.summary;
  const std::string as_of =
      FormatPeriod(absl::CivilMonth(s.year(), s.as_of_month()));
  Table table({{"网页 html", "html"},
               {"表格 xlsx", "xlsx"},
               {"截至 as of", "as_of"},
               {"记录截至 as known at", "as_known_at"},
               {"计划口径 plan basis", "plan_basis"},
               {"红色项目 red projects", "red_projects", Align::kRight}});
  table.AddRow(
      {TextCell(options.html_path), TextCell(options.xlsx_path),
       TextCell(as_of),
       Cell{FormatKnownAt(s.as_known_at(), "最新 latest"),
            FormatKnownAtRfc3339(s.as_known_at())},
       Cell{FormatPlanBasis(s.plan_basis()), ShortName(s.plan_basis())},
       IntCell(static_cast<int64_t>(d.red_projects.size()))});
  google::protobuf::Struct json;
  auto& fields = *json.mutable_fields();
  fields["html"].set_string_value(options.html_path);
  fields["xlsx"].set_string_value(options.xlsx_path);
  fields["year"].set_number_value(s.year());
  fields["as_of_month"].set_number_value(s.as_of_month());
  if (s.has_as_known_at()) {
    fields["as_known_at"].set_string_value(
        google::protobuf::util::TimeUtil::ToString(s.as_known_at()));
  }
  fields["plan_basis"].set_string_value(v1::PlanBasis_Name(s.plan_basis()));
  fields["red_project_count"].set_number_value(
      static_cast<double>(d.red_projects.size()));
  fields["dataset_label"].set_string_value(s.dataset_label());
  if (ctx.format == OutputFormat::kTable) *ctx.out << DatasetBannerLines(s);
  return Emit(ctx.format, *ctx.out, json, table, Layout::kRecords);
}

}  // namespace

absl::Status WriteReport(const ReportOptions& options, CommandContext& ctx) {
  if (options.html_path.empty() && options.xlsx_path.empty()) {
    return UsageError("give --html FILE, --xlsx FILE or both");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<PendingFile> html,
                   Reserve(options.html_path));
  ASSIGN_OR_RETURN(std::unique_ptr<PendingFile> xlsx,
                   Reserve(options.xlsx_path));
  ASSIGN_OR_RETURN(const ReportData data, GatherReport(options, ctx));
  if (html != nullptr) RETURN_IF_ERROR(html->Append(RenderReportHtml(data)));
  if (xlsx != nullptr) {
    // The library writes the reserved temporary file itself (opening it
    // anew truncates the same file), so the rename below still publishes
    // only a complete workbook, synced to disk.
    RETURN_IF_ERROR(
        WriteReportXlsx(data, absl::StrCat(options.xlsx_path, ".partial")));
  }
  for (PendingFile* file : {html.get(), xlsx.get()}) {
    if (file != nullptr) RETURN_IF_ERROR(file->Commit(/*replace=*/true));
  }
  return EmitResult(options, data, ctx);
}

}  // namespace portfolio::client
