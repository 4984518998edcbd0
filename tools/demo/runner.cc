#include "tools/demo/runner.h"

#include <grpcpp/client_context.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/period.h"
#include "common/status_macros.h"

namespace portfolio::demo {
namespace {

// Generous: every call is local, but a durable commit may wait on a slow
// disk, and a timeout here would abort the whole demo.
constexpr std::chrono::seconds kCallDeadline(60);

std::unique_ptr<grpc::ClientContext> Context(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(
      static_cast<absl::StatusCode>(status.error_code()),
      absl::StrCat(absl::StatusCodeToString(
                       static_cast<absl::StatusCode>(status.error_code())),
                   ": ", status.error_message()));
}

// Calls `method` of `stub` with `token`, as an absl::Status.
template <typename Stub, typename Request, typename Response>
absl::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*,
                                               const Request&, Response*),
                  const std::string& token, const Request& request,
                  Response* response) {
  std::unique_ptr<grpc::ClientContext> context = Context(token);
  return FromGrpc((stub.*method)(context.get(), request, response));
}

google::type::Date ToDate(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

std::string ProjectName(const std::string& id) {
  return absl::StrCat("projects/", id);
}

std::string MilestoneName(const std::string& project, const std::string& id) {
  return absl::StrCat("projects/", project, "/milestones/", id);
}

std::string PeriodName(absl::CivilMonth period) {
  return absl::StrCat("periods/", FormatPeriod(period));
}

}  // namespace

absl::StatusOr<std::vector<DemoProject>> ReadPortfolioProjects(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
    int year) {
  auto portfolios = v1::PortfolioService::NewStub(channel);
  std::vector<std::string> ids;
  v1::ListProjectStatusesRequest statuses;
  statuses.set_year(year);
  statuses.set_as_of_month(1);
  statuses.set_page_size(1000);
  do {
    v1::ListProjectStatusesResponse page;
    absl::Status s =
        Call(*portfolios, &v1::PortfolioService::Stub::ListProjectStatuses,
             token, statuses, &page);
    if (!s.ok()) {
      return absl::Status(s.code(), absl::StrCat("listing the ", year,
                                                 " portfolio: ", s.message()));
    }
    for (const v1::ProjectStatus& p : page.project_statuses()) {
      ids.push_back(std::string(absl::StripPrefix(p.project(), "projects/")));
    }
    statuses.set_page_token(page.next_page_token());
  } while (!statuses.page_token().empty());

  auto projects = v1::ProjectService::NewStub(channel);
  std::map<std::string, v1::ProjectStage> stages;
  v1::ListProjectsRequest list;
  list.set_page_size(1000);
  do {
    v1::ListProjectsResponse page;
    absl::Status s = Call(*projects, &v1::ProjectService::Stub::ListProjects,
                          token, list, &page);
    if (!s.ok()) {
      return absl::Status(s.code(),
                          absl::StrCat("listing projects: ", s.message()));
    }
    for (const v1::Project& p : page.projects()) {
      stages[std::string(absl::StripPrefix(p.name(), "projects/"))] = p.stage();
    }
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());

  std::vector<DemoProject> result;
  for (const std::string& id : ids) {
    result.push_back(DemoProject{id, stages[id]});
  }
  return result;
}

absl::StatusOr<int64_t> ReadInvestmentTarget(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
    int year) {
  auto portfolios = v1::PortfolioService::NewStub(channel);
  v1::GetPortfolioRequest request;
  request.set_name(absl::StrCat("portfolios/", year));
  v1::Portfolio portfolio;
  absl::Status s = Call(*portfolios, &v1::PortfolioService::Stub::GetPortfolio,
                        token, request, &portfolio);
  if (!s.ok()) {
    return absl::Status(s.code(), absl::StrCat("reading the ", year,
                                               " portfolio: ", s.message()));
  }
  if (!portfolio.has_investment_target()) {
    return absl::NotFoundError(
        absl::StrCat("the ", year, " portfolio has no investment target"));
  }
  return portfolio.investment_target();
}

ScenarioRunner::ScenarioRunner(std::shared_ptr<grpc::Channel> channel,
                               FakeClock* clock, std::string admin_token,
                               std::string request_prefix)
    : clock_(clock),
      request_prefix_(std::move(request_prefix)),
      projects_(v1::ProjectService::NewStub(channel)),
      investments_(v1::InvestmentService::NewStub(channel)),
      problems_(v1::ProblemService::NewStub(channel)),
      admin_(v1::AdminService::NewStub(channel)) {
  tokens_[kAdminUser] = std::move(admin_token);
}

absl::Status ScenarioRunner::Run(const Scenario& scenario) {
  const size_t n = scenario.actions.size();
  for (size_t i = 0; i < n; ++i) {
    const Action& action = scenario.actions[i];
    if (trace_) trace_(action);
    clock_->Set(action.time);
    const auto token = tokens_.find(action.actor);
    absl::Status status =
        token == tokens_.end()
            ? absl::InternalError(
                  absl::StrCat("no token for user ", action.actor))
            : std::visit(
                  [&](const auto& body) {
                    return Do(token->second,
                              absl::StrCat(request_prefix_, i + 1), body);
                  },
                  action.body);
    if (!status.ok()) {
      return absl::Status(status.code(), absl::StrCat("action ", i + 1, " of ",
                                                      n, " (", Describe(action),
                                                      "): ", status.message()));
    }
  }
  CountProblemStates();
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const CreateUser& a) {
  v1::CreateUserRequest request;
  request.set_user_id(a.user_id);
  request.mutable_user()->set_display_name(a.display_name);
  request.mutable_user()->set_role(a.role);
  request.set_request_id(id);
  v1::User user;
  RETURN_IF_ERROR(Call(*admin_, &v1::AdminService::Stub::CreateUser, token,
                       request, &user));
  v1::CreateTokenRequest token_request;
  token_request.set_parent(user.name());
  token_request.mutable_token()->set_display_name("portfolio-demo");
  v1::CreateTokenResponse created;
  RETURN_IF_ERROR(Call(*admin_, &v1::AdminService::Stub::CreateToken, token,
                       token_request, &created));
  tokens_[a.user_id] = created.secret();
  ++counts_.users;
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const SetLeads& a) {
  v1::UpdateProjectRequest request;
  request.mutable_project()->set_name(ProjectName(a.project));
  for (const std::string& lead : a.leads) {
    request.mutable_project()->add_leads(lead);
  }
  request.mutable_update_mask()->add_paths("leads");
  request.set_request_id(id);
  v1::Project project;
  return Call(*projects_, &v1::ProjectService::Stub::UpdateProject, token,
              request, &project);
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const SetPlan& a) {
  v1::UpdateAnnualPlanRequest request;
  v1::AnnualPlan* plan = request.mutable_annual_plan();
  plan->set_name(absl::StrCat(ProjectName(a.project), "/plans/", kDemoYear));
  plan->set_amount(a.amount);
  for (int64_t m : a.monthly) plan->add_monthly(m);
  plan->set_revision_reason(a.reason);
  // Only the baseline may create the plan; a revision must find it.
  request.set_allow_missing(a.reason.empty());
  request.set_request_id(id);
  v1::AnnualPlan stored;
  RETURN_IF_ERROR(Call(*projects_, &v1::ProjectService::Stub::UpdateAnnualPlan,
                       token, request, &stored));
  ++(a.reason.empty() ? counts_.baselines : counts_.revisions);
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const CreateMilestone& a) {
  v1::CreateMilestoneRequest request;
  request.set_parent(ProjectName(a.project));
  request.set_milestone_id(a.milestone_id);
  request.mutable_milestone()->set_kind(a.kind);
  request.mutable_milestone()->set_display_name(a.display_name);
  *request.mutable_milestone()->mutable_planned_date() = ToDate(a.planned);
  request.set_request_id(id);
  v1::Milestone milestone;
  RETURN_IF_ERROR(Call(*projects_, &v1::ProjectService::Stub::CreateMilestone,
                       token, request, &milestone));
  ++counts_.milestones;
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const ForecastMilestone& a) {
  v1::ForecastMilestoneRequest request;
  request.set_name(MilestoneName(a.project, a.milestone_id));
  *request.mutable_forecast_date() = ToDate(a.forecast);
  request.set_request_id(id);
  v1::Milestone milestone;
  RETURN_IF_ERROR(Call(*projects_, &v1::ProjectService::Stub::ForecastMilestone,
                       token, request, &milestone));
  ++counts_.forecasts;
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const CompleteMilestone& a) {
  v1::CompleteMilestoneRequest request;
  request.set_name(MilestoneName(a.project, a.milestone_id));
  *request.mutable_actual_date() = ToDate(a.actual);
  request.set_request_id(id);
  v1::Milestone milestone;
  RETURN_IF_ERROR(Call(*projects_, &v1::ProjectService::Stub::CompleteMilestone,
                       token, request, &milestone));
  ++counts_.milestones_completed;
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const LogInvestment& a) {
  v1::LogInvestmentRequest request;
  request.set_parent(ProjectName(a.project));
  request.mutable_period()->set_year(static_cast<int32_t>(a.period.year()));
  request.mutable_period()->set_month(a.period.month());
  request.set_amount(a.amount);
  request.set_note(a.note);
  request.set_request_id(id);
  v1::InvestmentEntry entry;
  absl::Status s =
      Call(*investments_, &v1::InvestmentService::Stub::LogInvestment, token,
           request, &entry);
  if (a.expect_closed) {
    // The refusal is the point: the demo shows the closed-month path.
    if (absl::IsFailedPrecondition(s)) {
      ++counts_.refused_entries;
      return absl::OkStatus();
    }
    return absl::InternalError(
        absl::StrCat("expected FAILED_PRECONDITION for a closed month, got ",
                     s.ok() ? "OK" : s.message()));
  }
  RETURN_IF_ERROR(s);
  entries_[{a.project, FormatPeriod(a.period)}] = entry.name();
  ++counts_.entries;
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const CorrectInvestment& a) {
  const auto entry = entries_.find({a.project, FormatPeriod(a.period)});
  if (entry == entries_.end()) {
    return absl::InternalError("no entry of that month to correct");
  }
  v1::CorrectInvestmentRequest request;
  request.set_name(entry->second);
  request.set_corrected_amount(a.corrected_amount);
  request.set_reason(a.reason);
  request.set_request_id(id);
  v1::InvestmentEntry correction;
  RETURN_IF_ERROR(Call(*investments_,
                       &v1::InvestmentService::Stub::CorrectInvestment, token,
                       request, &correction));
  ++counts_.corrections;
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const ClosePeriod& a) {
  v1::ClosePeriodRequest request;
  request.set_name(PeriodName(a.period));
  request.set_request_id(id);
  v1::ReportingPeriod period;
  RETURN_IF_ERROR(Call(*investments_, &v1::InvestmentService::Stub::ClosePeriod,
                       token, request, &period));
  ++counts_.closings;
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const ReopenPeriod& a) {
  v1::ReopenPeriodRequest request;
  request.set_name(PeriodName(a.period));
  request.set_reason(a.reason);
  request.set_request_id(id);
  v1::ReportingPeriod period;
  RETURN_IF_ERROR(Call(*investments_,
                       &v1::InvestmentService::Stub::ReopenPeriod, token,
                       request, &period));
  ++counts_.reopenings;
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const CreateProblem& a) {
  v1::CreateProblemRequest request;
  request.set_parent(ProjectName(a.project));
  request.mutable_problem()->set_category(a.category);
  request.mutable_problem()->set_description(a.description);
  request.set_request_id(id);
  v1::Problem problem;
  RETURN_IF_ERROR(Call(*problems_, &v1::ProblemService::Stub::CreateProblem,
                       token, request, &problem));
  problem_names_[a.problem] = problem.name();
  problem_states_[a.problem] = problem.state();
  ++counts_.problems;
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const AssignProblem& a) {
  v1::AssignProblemRequest request;
  ASSIGN_OR_RETURN(*request.mutable_name(), ProblemName(a.problem));
  request.set_responsible_unit(a.responsible_unit);
  *request.mutable_deadline() = ToDate(a.deadline);
  request.set_request_id(id);
  v1::Problem problem;
  RETURN_IF_ERROR(Call(*problems_, &v1::ProblemService::Stub::AssignProblem,
                       token, request, &problem));
  problem_states_[a.problem] = problem.state();
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const EscalateProblem& a) {
  v1::EscalateProblemRequest request;
  ASSIGN_OR_RETURN(*request.mutable_name(), ProblemName(a.problem));
  request.set_escalation(a.escalation);
  request.set_request_id(id);
  v1::Problem problem;
  RETURN_IF_ERROR(Call(*problems_, &v1::ProblemService::Stub::EscalateProblem,
                       token, request, &problem));
  problem_states_[a.problem] = problem.state();
  ++counts_.escalations;
  return absl::OkStatus();
}

absl::Status ScenarioRunner::Do(const std::string& token, const std::string& id,
                                const ResolveProblem& a) {
  v1::ResolveProblemRequest request;
  ASSIGN_OR_RETURN(*request.mutable_name(), ProblemName(a.problem));
  request.set_resolution(a.resolution);
  request.set_request_id(id);
  v1::Problem problem;
  RETURN_IF_ERROR(Call(*problems_, &v1::ProblemService::Stub::ResolveProblem,
                       token, request, &problem));
  problem_states_[a.problem] = problem.state();
  return absl::OkStatus();
}

absl::StatusOr<std::string> ScenarioRunner::ProblemName(int problem) const {
  const auto it = problem_names_.find(problem);
  if (it == problem_names_.end()) {
    return absl::InternalError(
        absl::StrCat("problem #", problem, " was never created"));
  }
  return it->second;
}

void ScenarioRunner::CountProblemStates() {
  for (const auto& [problem, state] : problem_states_) {
    switch (state) {
      case v1::PROBLEM_STATE_OPEN:
        ++counts_.problems_open;
        break;
      case v1::PROBLEM_STATE_ASSIGNED:
        ++counts_.problems_assigned;
        break;
      case v1::PROBLEM_STATE_RESOLVED:
        ++counts_.problems_resolved;
        break;
      default:
        break;
    }
  }
}

}  // namespace portfolio::demo
