// problems list | add | show | assign | escalate | resolve: the problem
// register (要素保障).
#include <string>

#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/enums.h"
#include "client/filter.h"
#include "client/format.h"
#include "client/names.h"
#include "client/output.h"
#include "client/table.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

using v1::Problem;

Table ProblemTable() {
  return Table({
      {"项目 project", "project"},
      {"问题 id", "id"},
      {"类别 category", "category"},
      {"状态 state", "state"},
      {"层级 level", "escalation"},
      {"描述 description", "description"},
      {"责任单位 unit", "responsible_unit"},
      {"时限 deadline", "deadline"},
      {"天数 age", "age_days", Align::kRight},
      {"超期 overdue", "overdue"},
      {"销号 resolution", "resolution", Align::kLeft, false},
      {"提出 opened by", "opened_by", Align::kLeft, false},
      {"提出时间 opened", "create_time", Align::kLeft, false},
      {"etag", "etag", Align::kLeft, false},
  });
}

void AddProblemRow(const Problem& p, Table* table) {
  table->AddRow({
      TextCell(ProjectIdOf(p.name())),
      TextCell(LastSegment(p.name())),
      Cell{Label(p.category()), ShortName(p.category())},
      Cell{Label(p.state()), ShortName(p.state())},
      Cell{Label(p.escalation()), ShortName(p.escalation())},
      TextCell(p.description()),
      TextCell(p.responsible_unit()),
      DateCell(p.deadline()),
      IntCell(p.age_days()),
      Cell{p.overdue() ? "超期" : "", p.overdue() ? "true" : "false"},
      TextCell(p.resolution()),
      TextCell(p.opened_by()),
      TimeCell(p.create_time()),
      TextCell(p.etag()),
  });
}

absl::Status EmitProblem(const Problem& problem, const std::string& request_id,
                         CommandContext& ctx) {
  Table table = ProblemTable();
  AddProblemRow(problem, &table);
  if (request_id.empty()) {
    return Emit(ctx.format, *ctx.out, problem, table, Layout::kRecords);
  }
  return EmitMutation(ctx.format, *ctx.out, problem, table, request_id);
}

}  // namespace

absl::Status ListProblems(const ProblemsListOptions& options,
                          CommandContext& ctx) {
  FilterBuilder filter;
  if (options.state) filter.AddEnum("state", ShortName(*options.state));
  if (options.category) {
    filter.AddEnum("category", ShortName(*options.category));
  }
  if (options.escalation) {
    filter.AddEnum("escalation", ShortName(*options.escalation));
  }
  if (options.overdue_only) filter.AddBool("overdue", true);
  if (options.unresolved_only) filter.AddBool("unresolved", true);
  v1::ListProblemsRequest request;
  request.set_parent(options.parent);
  request.set_filter(filter.Build());
  v1::ListProblemsResponse all;
  ASSIGN_OR_RETURN(
      const bool more,
      ListAll(
          *ctx.rpc, ctx.rpc->problems(),
          &v1::ProblemService::Stub::ListProblems, request, options.limit,
          [](v1::ListProblemsResponse* r) { return r->mutable_problems(); },
          &all));
  Table table = ProblemTable();
  for (const Problem& p : all.problems()) AddProblemRow(p, &table);
  RETURN_IF_ERROR(Emit(ctx.format, *ctx.out, all, table, Layout::kList));
  if (more && ctx.format == OutputFormat::kTable) {
    *ctx.out << "(showing " << all.problems_size() << " of " << all.total_size()
             << "; raise --limit to see more)\n";
  }
  return absl::OkStatus();
}

absl::Status AddProblem(const ProblemAddOptions& options, CommandContext& ctx) {
  v1::CreateProblemRequest request;
  request.set_parent(options.project);
  Problem* p = request.mutable_problem();
  p->set_category(options.category);
  p->set_description(options.description);
  p->set_responsible_unit(options.unit);
  if (options.deadline) *p->mutable_deadline() = ToProtoDate(*options.deadline);
  if (options.escalation) p->set_escalation(*options.escalation);
  request.set_request_id(options.request_id);
  Problem created;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->problems(),
                                &v1::ProblemService::Stub::CreateProblem,
                                request, &created));
  return EmitProblem(created, options.request_id, ctx);
}

absl::Status ShowProblem(const ProblemShowOptions& options,
                         CommandContext& ctx) {
  v1::GetProblemRequest request;
  request.set_name(options.name);
  Problem problem;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->problems(),
                                &v1::ProblemService::Stub::GetProblem, request,
                                &problem));
  return EmitProblem(problem, "", ctx);
}

absl::Status AssignProblem(const ProblemChangeOptions& options,
                           CommandContext& ctx) {
  v1::AssignProblemRequest request;
  request.set_name(options.name);
  request.set_responsible_unit(options.unit);
  if (options.deadline) {
    *request.mutable_deadline() = ToProtoDate(*options.deadline);
  }
  request.set_request_id(options.request_id);
  Problem changed;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->problems(),
                                &v1::ProblemService::Stub::AssignProblem,
                                request, &changed));
  return EmitProblem(changed, options.request_id, ctx);
}

absl::Status EscalateProblem(const ProblemChangeOptions& options,
                             CommandContext& ctx) {
  v1::EscalateProblemRequest request;
  request.set_name(options.name);
  request.set_escalation(options.escalation);
  request.set_request_id(options.request_id);
  Problem changed;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->problems(),
                                &v1::ProblemService::Stub::EscalateProblem,
                                request, &changed));
  return EmitProblem(changed, options.request_id, ctx);
}

absl::Status ResolveProblem(const ProblemChangeOptions& options,
                            CommandContext& ctx) {
  v1::ResolveProblemRequest request;
  request.set_name(options.name);
  request.set_resolution(options.resolution);
  request.set_request_id(options.request_id);
  Problem changed;
  RETURN_IF_ERROR(ctx.rpc->Call(ctx.rpc->problems(),
                                &v1::ProblemService::Stub::ResolveProblem,
                                request, &changed));
  return EmitProblem(changed, options.request_id, ctx);
}

}  // namespace portfolio::client
