// The gRPC services of portfolio.v1. Each handler authenticates, validates,
// runs the domain logic against the store and converts the result; the
// shared shape lives in service_base.h. Thread-safe: handlers keep no state
// of their own beyond the dependencies they were given.
#ifndef PORTFOLIO_SERVER_SERVICES_H_
#define PORTFOLIO_SERVER_SERVICES_H_

#include "portfolio/v1/admin.grpc.pb.h"
#include "portfolio/v1/service.grpc.pb.h"
#include "server/service_base.h"

namespace portfolio {

using grpc::ServerContext;
using grpc::Status;

class ProjectServiceImpl final : public v1::ProjectService::Service {
 public:
  explicit ProjectServiceImpl(const ServiceDeps& deps) : deps_(deps) {}

  Status GetProject(ServerContext* ctx, const v1::GetProjectRequest* req,
                    v1::Project* resp) override;
  Status ListProjects(ServerContext* ctx, const v1::ListProjectsRequest* req,
                      v1::ListProjectsResponse* resp) override;
  Status CreateProject(ServerContext* ctx, const v1::CreateProjectRequest* req,
                       v1::Project* resp) override;
  Status UpdateProject(ServerContext* ctx, const v1::UpdateProjectRequest* req,
                       v1::Project* resp) override;
  Status GetAnnualPlan(ServerContext* ctx, const v1::GetAnnualPlanRequest* req,
                       v1::AnnualPlan* resp) override;
  Status ListAnnualPlans(ServerContext* ctx,
                         const v1::ListAnnualPlansRequest* req,
                         v1::ListAnnualPlansResponse* resp) override;
  Status UpdateAnnualPlan(ServerContext* ctx,
                          const v1::UpdateAnnualPlanRequest* req,
                          v1::AnnualPlan* resp) override;
  Status GetMilestone(ServerContext* ctx, const v1::GetMilestoneRequest* req,
                      v1::Milestone* resp) override;
  Status ListMilestones(ServerContext* ctx,
                        const v1::ListMilestonesRequest* req,
                        v1::ListMilestonesResponse* resp) override;
  Status CreateMilestone(ServerContext* ctx,
                         const v1::CreateMilestoneRequest* req,
                         v1::Milestone* resp) override;
  Status ForecastMilestone(ServerContext* ctx,
                           const v1::ForecastMilestoneRequest* req,
                           v1::Milestone* resp) override;
  Status ListAnnualPlanRevisions(
      ServerContext* ctx, const v1::ListAnnualPlanRevisionsRequest* req,
      v1::ListAnnualPlanRevisionsResponse* resp) override;
  Status CompleteMilestone(ServerContext* ctx,
                           const v1::CompleteMilestoneRequest* req,
                           v1::Milestone* resp) override;
  Status UpdateMilestone(ServerContext* ctx,
                         const v1::UpdateMilestoneRequest* req,
                         v1::Milestone* resp) override;

 private:
  const ServiceDeps deps_;
};

// LogInvestment, the month-end hot path, is served with the callback API
// (ServeWrite): a call waiting for the group commit holds no thread.
class InvestmentServiceImpl final
    : public v1::InvestmentService::WithCallbackMethod_LogInvestment<
          v1::InvestmentService::Service> {
 public:
  explicit InvestmentServiceImpl(const ServiceDeps& deps) : deps_(deps) {}

  grpc::ServerUnaryReactor* LogInvestment(grpc::CallbackServerContext* ctx,
                                          const v1::LogInvestmentRequest* req,
                                          v1::InvestmentEntry* resp) override;
  Status CorrectInvestment(ServerContext* ctx,
                           const v1::CorrectInvestmentRequest* req,
                           v1::InvestmentEntry* resp) override;
  Status GetInvestmentEntry(ServerContext* ctx,
                            const v1::GetInvestmentEntryRequest* req,
                            v1::InvestmentEntry* resp) override;
  Status ListInvestmentEntries(
      ServerContext* ctx, const v1::ListInvestmentEntriesRequest* req,
      v1::ListInvestmentEntriesResponse* resp) override;
  Status ClosePeriod(ServerContext* ctx, const v1::ClosePeriodRequest* req,
                     v1::ReportingPeriod* resp) override;
  Status ReopenPeriod(ServerContext* ctx, const v1::ReopenPeriodRequest* req,
                      v1::ReportingPeriod* resp) override;
  Status ListPeriods(ServerContext* ctx, const v1::ListPeriodsRequest* req,
                     v1::ListPeriodsResponse* resp) override;

 private:
  const ServiceDeps deps_;
};

// Blocking problems and their life cycle (proto/portfolio/v1/service.proto).
class ProblemServiceImpl final : public v1::ProblemService::Service {
 public:
  explicit ProblemServiceImpl(const ServiceDeps& deps) : deps_(deps) {}

  Status GetProblem(ServerContext* ctx, const v1::GetProblemRequest* req,
                    v1::Problem* resp) override;
  Status ListProblems(ServerContext* ctx, const v1::ListProblemsRequest* req,
                      v1::ListProblemsResponse* resp) override;
  Status CreateProblem(ServerContext* ctx, const v1::CreateProblemRequest* req,
                       v1::Problem* resp) override;
  Status AssignProblem(ServerContext* ctx, const v1::AssignProblemRequest* req,
                       v1::Problem* resp) override;
  Status EscalateProblem(ServerContext* ctx,
                         const v1::EscalateProblemRequest* req,
                         v1::Problem* resp) override;
  Status ResolveProblem(ServerContext* ctx,
                        const v1::ResolveProblemRequest* req,
                        v1::Problem* resp) override;

 private:
  const ServiceDeps deps_;
};

class IndicatorServiceImpl final : public v1::IndicatorService::Service {
 public:
  explicit IndicatorServiceImpl(const ServiceDeps& deps) : deps_(deps) {}

  Status GetIndicator(ServerContext* ctx, const v1::GetIndicatorRequest* req,
                      v1::Indicator* resp) override;
  Status ListIndicators(ServerContext* ctx,
                        const v1::ListIndicatorsRequest* req,
                        v1::ListIndicatorsResponse* resp) override;
  Status CreateIndicator(ServerContext* ctx,
                         const v1::CreateIndicatorRequest* req,
                         v1::Indicator* resp) override;
  Status UpdateIndicator(ServerContext* ctx,
                         const v1::UpdateIndicatorRequest* req,
                         v1::Indicator* resp) override;
  Status RecordIndicatorValue(ServerContext* ctx,
                              const v1::RecordIndicatorValueRequest* req,
                              v1::Indicator* resp) override;

 private:
  const ServiceDeps deps_;
};

class PortfolioServiceImpl final : public v1::PortfolioService::Service {
 public:
  explicit PortfolioServiceImpl(const ServiceDeps& deps) : deps_(deps) {}

  Status GetPortfolio(ServerContext* ctx, const v1::GetPortfolioRequest* req,
                      v1::Portfolio* resp) override;
  Status ListPortfolios(ServerContext* ctx,
                        const v1::ListPortfoliosRequest* req,
                        v1::ListPortfoliosResponse* resp) override;
  Status UpdatePortfolio(ServerContext* ctx,
                         const v1::UpdatePortfolioRequest* req,
                         v1::Portfolio* resp) override;
  Status GetPortfolioSummary(ServerContext* ctx,
                             const v1::GetPortfolioSummaryRequest* req,
                             v1::PortfolioSummary* resp) override;
  Status GetProjectStatus(ServerContext* ctx,
                          const v1::GetProjectStatusRequest* req,
                          v1::ProjectStatus* resp) override;
  Status ListProjectStatuses(ServerContext* ctx,
                             const v1::ListProjectStatusesRequest* req,
                             v1::ListProjectStatusesResponse* resp) override;
  Status ImportRecords(ServerContext* ctx, const v1::ImportRecordsRequest* req,
                       v1::ImportRecordsResponse* resp) override;

  // Evaluates the question asked most, this year's summary at the default
  // month for every project, into deps.evaluations, so the first dashboard
  // call after a start does not pay for reading every project, and makes
  // room among the items of kept evaluations for the questions asked
  // next (Evaluation::ReserveItems). Returns
  // the store's error, if any; OK and does nothing without evaluations.
  // Thread-safe; may run while calls are served.
  absl::Status WarmEvaluations();

 private:
  const ServiceDeps deps_;
};

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  explicit AdminServiceImpl(const ServiceDeps& deps) : deps_(deps) {}

  Status CreateUser(ServerContext* ctx, const v1::CreateUserRequest* req,
                    v1::User* resp) override;
  Status GetUser(ServerContext* ctx, const v1::GetUserRequest* req,
                 v1::User* resp) override;
  Status ListUsers(ServerContext* ctx, const v1::ListUsersRequest* req,
                   v1::ListUsersResponse* resp) override;
  Status UpdateUser(ServerContext* ctx, const v1::UpdateUserRequest* req,
                    v1::User* resp) override;
  Status CreateToken(ServerContext* ctx, const v1::CreateTokenRequest* req,
                     v1::CreateTokenResponse* resp) override;
  Status ListTokens(ServerContext* ctx, const v1::ListTokensRequest* req,
                    v1::ListTokensResponse* resp) override;
  Status RevokeToken(ServerContext* ctx, const v1::RevokeTokenRequest* req,
                     v1::Token* resp) override;
  Status ListAuditEvents(ServerContext* ctx,
                         const v1::ListAuditEventsRequest* req,
                         v1::ListAuditEventsResponse* resp) override;
  Status Backup(ServerContext* ctx, const v1::BackupRequest* req,
                grpc::ServerWriter<v1::BackupChunk>* writer) override;
  Status WatchChanges(ServerContext* ctx, const v1::WatchChangesRequest* req,
                      grpc::ServerWriter<v1::AuditEvent>* writer) override;

 private:
  const ServiceDeps deps_;
};

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_SERVICES_H_
