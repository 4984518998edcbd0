// projects list | show | create | update | leads.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/filter.h"
#include "client/format.h"
#include "client/leads.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

using v1::Project;

Table ProjectTable() {
  return Table({
      {"项目 id", "id"},
      {"名称 name", "display_name"},
      {"级别 level", "levels"},
      {"阶段 stage", "stage"},
      {"章 ch", "chapter", Align::kRight},
      {"园区 park", "park"},
      {"产业 sector", "sector", Align::kLeft, false},
      {"总投资 total", "total_investment", Align::kRight},
      {"负责人 leads", "leads"},
      {"项目单位 owner", "owner", Align::kLeft, false},
      {"计划开工 start", "planned_start", Align::kLeft, false},
      {"计划竣工 end", "planned_end", Align::kLeft, false},
      {"项目代码 code", "national_code", Align::kLeft, false},
      {"建设内容 capacity", "capacity", Align::kLeft, false},
      {"来源 source", "source", Align::kLeft, false},
      {"更新 updated", "update_time", Align::kLeft, false},
      {"etag", "etag", Align::kLeft, false},
  });
}

// For people: the level of `year`, else of the latest year listed, or every
// year's in record view; for machines: `2024:PROVINCIAL;2023:CITY`.
Cell LevelsCell(const Project& project, std::optional<int> year,
                bool every_year) {
  std::vector<std::string> text, csv;
  const v1::YearLevel* shown = nullptr;
  for (const v1::YearLevel& level : project.levels()) {
    text.push_back(absl::StrCat(level.year(), " ", Label(level.level())));
    csv.push_back(absl::StrCat(level.year(), ":", ShortName(level.level())));
    if (year.has_value() ? level.year() == *year
                         : shown == nullptr || level.year() > shown->year()) {
      shown = &level;
    }
  }
  Cell cell{absl::StrJoin(text, "; "), absl::StrJoin(csv, ";")};
  if (!every_year) cell.text = shown == nullptr ? "" : Label(shown->level());
  return cell;
}

void AddProjectRow(const Project& p, std::optional<int> year, bool every_year,
                   Table* table) {
  std::optional<int64_t> total;
  if (p.has_total_investment()) total = p.total_investment();
  const Cell leads{absl::StrJoin(p.leads(), ", "),
                   absl::StrJoin(p.leads(), ";")};
  table->AddRow({
      TextCell(LastSegment(p.name())),
      TextCell(p.display_name()),
      LevelsCell(p, year, every_year),
      Cell{Label(p.stage()), ShortName(p.stage())},
      Cell{ChapterLabel(p.chapter()), absl::StrCat(p.chapter())},
      TextCell(p.park()),
      TextCell(p.sector()),
      MoneyCell(total),
      leads,
      TextCell(p.owner()),
      DateCell(p.planned_start()),
      DateCell(p.planned_end()),
      TextCell(p.national_code()),
      TextCell(p.capacity()),
      TextCell(p.source()),
      TimeCell(p.update_time()),
      TextCell(p.etag()),
  });
}

Table OneProject(const Project& project) {
  Table table = ProjectTable();
  AddProjectRow(project, std::nullopt, /*every_year=*/true, &table);
  return table;
}

// `levels` with the entries of options' years replaced by options'.
void MergeLevels(const Project& current, Project* update) {
  std::vector<v1::YearLevel> merged(update->levels().begin(),
                                    update->levels().end());
  for (const v1::YearLevel& old : current.levels()) {
    bool replaced = false;
    for (const v1::YearLevel& given : update->levels()) {
      replaced = replaced || given.year() == old.year();
    }
    if (!replaced) merged.push_back(old);
  }
  update->clear_levels();
  for (const v1::YearLevel& level : merged) *update->add_levels() = level;
}

}  // namespace

absl::Status ListProjects(const ProjectsListOptions& options,
                          CommandContext& ctx) {
  v1::ListProjectsRequest request;
  request.set_filter(BuildProjectFilter(options.filter));
  request.set_order_by(options.order_by);
  v1::ListProjectsResponse all;
  ASSIGN_OR_RETURN(
      const bool more,
      ListAll(
          *ctx.rpc, ctx.rpc->projects(),
          &v1::ProjectService::Stub::ListProjects, request, options.limit,
          [](v1::ListProjectsResponse* r) { return r->mutable_projects(); },
          &all));
  Table table = ProjectTable();
  for (const Project& project : all.projects()) {
    AddProjectRow(project, options.filter.year, /*every_year=*/false, &table);
  }
  RETURN_IF_ERROR(Emit(ctx.format, *ctx.out, all, table, Layout::kList));
  if (ctx.format == OutputFormat::kTable && more) {
    *ctx.out << "(" << table.row_count() << " of " << all.total_size()
             << " shown; raise --limit to see more)\n";
  }
  return absl::OkStatus();
}

absl::Status ShowProject(const ProjectsShowOptions& options,
                         CommandContext& ctx) {
  v1::GetProjectRequest request;
  request.set_name(options.project);
  Project project;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                &v1::ProjectService::Stub::GetProject, request,
                                &project));
  return Emit(ctx.format, *ctx.out, project, OneProject(project),
              Layout::kRecords);
}

absl::Status CreateProject(const ProjectWriteOptions& options,
                           CommandContext& ctx) {
  v1::CreateProjectRequest request;
  *request.mutable_project() = options.project;
  request.set_project_id(options.project_id);
  request.set_request_id(options.request_id);
  Project project;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                &v1::ProjectService::Stub::CreateProject,
                                request, &project));
  return EmitMutation(ctx.format, *ctx.out, project, OneProject(project),
                      options.request_id);
}

absl::Status UpdateProject(const ProjectWriteOptions& options,
                           CommandContext& ctx) {
  v1::UpdateProjectRequest request;
  Project* update = request.mutable_project();
  *update = options.project;
  update->set_name(options.name);
  update->set_etag(options.etag);
  for (const std::string& path : options.update_mask) {
    request.mutable_update_mask()->add_paths(path);
  }
  request.set_request_id(options.request_id);
  const auto& paths = options.update_mask;
  if (std::find(paths.begin(), paths.end(), "levels") != paths.end()) {
    v1::GetProjectRequest get;
    get.set_name(options.name);
    Project current;
    RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                  &v1::ProjectService::Stub::GetProject, get,
                                  &current));
    MergeLevels(current, update);
    if (options.etag.empty()) update->set_etag(current.etag());
  }
  Project project;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                &v1::ProjectService::Stub::UpdateProject,
                                request, &project));
  return EmitMutation(ctx.format, *ctx.out, project, OneProject(project),
                      options.request_id);
}

absl::Status ChangeLeads(const LeadsOptions& options, CommandContext& ctx) {
  v1::GetProjectRequest get;
  get.set_name(options.project);
  Project current;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                &v1::ProjectService::Stub::GetProject, get,
                                &current));
  const std::optional<std::vector<std::string>> leads =
      ChangedLeads({current.leads().begin(), current.leads().end()},
                   options.user, options.change);
  if (!leads.has_value()) {
    if (ctx.format != OutputFormat::kTable) {
      return EmitMutation(ctx.format, *ctx.out, current, OneProject(current),
                          options.request_id);
    }
    *ctx.out << options.user
             << (options.change == LeadChange::kAdd ? " already leads "
                                                    : " is not a lead of ")
             << LastSegment(current.name()) << "; nothing changed ("
             << (current.leads().empty()
                     ? std::string("it has no leads")
                     : absl::StrCat("leads: ",
                                    absl::StrJoin(current.leads(), ", ")))
             << ")\n";
    return absl::OkStatus();
  }
  v1::UpdateProjectRequest request;
  Project* update = request.mutable_project();
  update->set_name(options.project);
  update->set_etag(current.etag());
  for (const std::string& lead : *leads) update->add_leads(lead);
  request.mutable_update_mask()->add_paths("leads");
  request.set_request_id(options.request_id);
  Project project;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->projects(),
                                &v1::ProjectService::Stub::UpdateProject,
                                request, &project));
  return EmitMutation(ctx.format, *ctx.out, project, OneProject(project),
                      options.request_id);
}

}  // namespace portfolio::client
