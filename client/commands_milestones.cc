// milestones list | add | forecast | done | replan.
#include <string>

#include "absl/time/civil_time.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/filter.h"
#include "client/format.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/clock.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

using v1::Milestone;

Table MilestoneTable() {
  return Table({
      {"项目 project", "project"},
      {"节点 id", "id"},
      {"类型 kind", "kind"},
      {"名称 name", "display_name"},
      {"计划 planned", "planned_date"},
      {"预计 forecast", "forecast_date"},
      {"完成 actual", "actual_date"},
      {"更新 updated", "update_time", Align::kLeft, false},
      {"etag", "etag", Align::kLeft, false},
  });
}

void AddMilestoneRow(const Milestone& m, Table* table) {
  table->AddRow({
      TextCell(ProjectIdOf(m.name())),
      TextCell(LastSegment(m.name())),
      Cell{Label(m.kind()), ShortName(m.kind())},
      TextCell(m.display_name()),
      DateCell(m.planned_date()),
      DateCell(m.forecast_date()),
      DateCell(m.actual_date()),
      TimeCell(m.update_time()),
      TextCell(m.etag()),
  });
}

absl::Status EmitMilestone(const Milestone& milestone,
                           const std::string& request_id, CommandContext& ctx) {
  Table table = MilestoneTable();
  AddMilestoneRow(milestone, &table);
  return EmitMutation(ctx.format, *ctx.out, milestone, table, request_id);
}

}  // namespace

absl::Status ListMilestones(const MilestonesListOptions& options,
                            CommandContext& ctx) {
  FilterBuilder filter;
  if (options.overdue_only) filter.AddBool("overdue", true);
  v1::ListMilestonesRequest request;
  request.set_parent(options.parent);
  request.set_filter(filter.Build());
  v1::ListMilestonesResponse all;
  RETURN_IF_ERROR(
      ListAll(
          *ctx.rpc, ctx.rpc->projects(),
          &v1::ProjectService::Stub::ListMilestones, request, 0,
          [](v1::ListMilestonesResponse* r) { return r->mutable_milestones(); },
          &all)
          .status());
  Table table = MilestoneTable();
  for (const Milestone& milestone : all.milestones()) {
    AddMilestoneRow(milestone, &table);
  }
  return Emit(ctx.format, *ctx.out, all, table, Layout::kList);
}

absl::Status AddMilestone(const MilestoneAddOptions& options,
                          CommandContext& ctx) {
  v1::CreateMilestoneRequest request;
  request.set_parent(options.project);
  Milestone* milestone = request.mutable_milestone();
  milestone->set_kind(options.kind);
  milestone->set_display_name(options.display_name);
  if (options.planned.has_value()) {
    *milestone->mutable_planned_date() = ToProtoDate(*options.planned);
  }
  if (options.forecast.has_value()) {
    *milestone->mutable_forecast_date() = ToProtoDate(*options.forecast);
  }
  request.set_milestone_id(options.milestone_id);
  request.set_request_id(options.request_id);
  Milestone created;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                &v1::ProjectService::Stub::CreateMilestone,
                                request, &created));
  return EmitMilestone(created, options.request_id, ctx);
}

absl::Status ForecastMilestone(const MilestoneDateOptions& options,
                               CommandContext& ctx) {
  v1::ForecastMilestoneRequest request;
  request.set_name(options.milestone);
  if (options.date.has_value()) {
    *request.mutable_forecast_date() = ToProtoDate(*options.date);
  }
  request.set_etag(options.etag);
  request.set_request_id(options.request_id);
  Milestone milestone;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                &v1::ProjectService::Stub::ForecastMilestone,
                                request, &milestone));
  return EmitMilestone(milestone, options.request_id, ctx);
}

absl::Status CompleteMilestone(const MilestoneDateOptions& options,
                               CommandContext& ctx) {
  const absl::CivilDay date =
      options.date.has_value()
          ? *options.date
          : absl::ToCivilDay(ctx.clock->Now(), DistrictTimeZone());
  v1::CompleteMilestoneRequest request;
  request.set_name(options.milestone);
  *request.mutable_actual_date() = ToProtoDate(date);
  request.set_etag(options.etag);
  if (options.correct && options.etag.empty()) {
    // The etag of what is there now, which the server asks for to move a
    // date already recorded. A milestone already on the date needs no
    // call: so a retry of a correction that went through (whose etag has
    // since moved) repeats nothing.
    v1::GetMilestoneRequest get;
    get.set_name(options.milestone);
    Milestone current;
    RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                  &v1::ProjectService::Stub::GetMilestone, get,
                                  &current));
    const google::type::Date& was = current.actual_date();
    if (current.has_actual_date() && was.year() == date.year() &&
        was.month() == date.month() && was.day() == date.day()) {
      return EmitMilestone(current, options.request_id, ctx);
    }
    request.set_etag(current.etag());
  }
  request.set_request_id(options.request_id);
  Milestone milestone;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                &v1::ProjectService::Stub::CompleteMilestone,
                                request, &milestone));
  return EmitMilestone(milestone, options.request_id, ctx);
}

absl::Status ReplanMilestone(const MilestoneReplanOptions& options,
                             CommandContext& ctx) {
  v1::UpdateMilestoneRequest request;
  Milestone* milestone = request.mutable_milestone();
  milestone->set_name(options.milestone);
  milestone->set_etag(options.etag);
  // Named in the mask, so that --undated (a date left unset) clears it.
  if (options.kind.has_value()) {
    milestone->set_kind(*options.kind);
    request.mutable_update_mask()->add_paths("kind");
  }
  if (options.display_name.has_value()) {
    milestone->set_display_name(*options.display_name);
    request.mutable_update_mask()->add_paths("display_name");
  }
  if (options.planned.has_value()) {
    *milestone->mutable_planned_date() = ToProtoDate(*options.planned);
  }
  if (options.planned.has_value() || options.undated) {
    request.mutable_update_mask()->add_paths("planned_date");
  }
  request.set_request_id(options.request_id);
  Milestone updated;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                &v1::ProjectService::Stub::UpdateMilestone,
                                request, &updated));
  return EmitMilestone(updated, options.request_id, ctx);
}

}  // namespace portfolio::client
