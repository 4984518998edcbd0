// The command centre's month over a real server: plan baselines and
// revisions, the problem register, the bulletin's rates and rankings, and
// summaries reproduced as known at an earlier instant.
#include <chrono>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "tests/server/integration_fixture.h"

namespace portfolio {
namespace {

using grpc::StatusCode;
using testing::IsFieldError;
using testing::IsOk;
using testing::MakeDate;

class CycleTest : public testing::IntegrationTest {
 protected:
  grpc::Status Revise(const std::string& project, int64_t amount,
                      const std::string& reason, v1::AnnualPlan* out) {
    v1::UpdateAnnualPlanRequest request;
    request.mutable_annual_plan()->set_name(
        absl::StrCat("projects/", project, "/plans/2024"));
    request.mutable_annual_plan()->set_amount(amount);
    request.mutable_annual_plan()->set_revision_reason(reason);
    return projects().UpdateAnnualPlan(Context().get(), request, out);
  }

  std::vector<v1::AnnualPlan> Revisions(const std::string& project) {
    v1::ListAnnualPlanRevisionsRequest request;
    request.set_name(absl::StrCat("projects/", project, "/plans/2024"));
    v1::ListAnnualPlanRevisionsResponse response;
    EXPECT_TRUE(IsOk(projects().ListAnnualPlanRevisions(Context().get(),
                                                        request, &response)));
    return {response.annual_plans().begin(), response.annual_plans().end()};
  }

  v1::Problem OpenProblem(const std::string& project,
                          v1::ProblemCategory category,
                          const google::type::Date& deadline) {
    v1::CreateProblemRequest request;
    request.set_parent("projects/" + project);
    request.mutable_problem()->set_category(category);
    request.mutable_problem()->set_description("用地指标未落实");
    *request.mutable_problem()->mutable_deadline() = deadline;
    v1::Problem out;
    EXPECT_TRUE(IsOk(problems().CreateProblem(Context().get(), request, &out)));
    return out;
  }

  grpc::Status Resolve(const std::string& name, const std::string& resolution,
                       v1::Problem* out) {
    v1::ResolveProblemRequest request;
    request.set_name(name);
    request.set_resolution(resolution);
    return problems().ResolveProblem(Context().get(), request, out);
  }

  v1::PortfolioSummary Summary(
      v1::SummaryDimension by = v1::SUMMARY_DIMENSION_UNSPECIFIED,
      const google::protobuf::Timestamp* known_at = nullptr,
      v1::PlanBasis basis = v1::PLAN_BASIS_UNSPECIFIED, int month = 6) {
    v1::GetPortfolioSummaryRequest request;
    request.set_year(2024);
    request.set_as_of_month(month);
    request.set_group_by(by);
    request.set_plan_basis(basis);
    if (known_at != nullptr) *request.mutable_as_known_at() = *known_at;
    v1::PortfolioSummary out;
    EXPECT_TRUE(
        IsOk(portfolios().GetPortfolioSummary(Context().get(), request, &out)));
    return out;
  }

  // As of July: today (2024-07-15) is the as-of date, so problems opened
  // today count.
  v1::ProjectStatus Status(
      const std::string& project,
      const google::protobuf::Timestamp* known_at = nullptr) {
    v1::GetProjectStatusRequest request;
    request.set_project("projects/" + project);
    request.set_year(2024);
    request.set_as_of_month(7);
    if (known_at != nullptr) *request.mutable_as_known_at() = *known_at;
    v1::ProjectStatus out;
    EXPECT_TRUE(
        IsOk(portfolios().GetProjectStatus(Context().get(), request, &out)));
    return out;
  }

  static bool HasReason(const v1::ProjectStatus& s,
                        v1::StatusReason::Code code) {
    for (const v1::StatusReason& r : s.reasons()) {
      if (r.code() == code) return true;
    }
    return false;
  }
};

// --- Baselines and revisions ------------------------------------------------

TEST_F(CycleTest, TheFirstPlanIsTheBaselineAndARevisionNeedsAReason) {
  CreateProject("alpha");
  const v1::AnnualPlan baseline = SetPlan("alpha", 2024, 12'000'000);
  EXPECT_EQ(baseline.revision(), 1);
  EXPECT_EQ(baseline.baseline_amount(), 12'000'000);
  EXPECT_EQ(baseline.revision_reason(), "") << "a baseline has no reason";

  v1::AnnualPlan out;
  EXPECT_TRUE(IsFieldError(Revise("alpha", 9'000'000, "  ", &out),
                           StatusCode::INVALID_ARGUMENT,
                           "annual_plan.revision_reason"));
  clock().Set(clock().Now() + absl::Hours(1));
  ASSERT_TRUE(IsOk(Revise("alpha", 9'000'000, "年中调整: 设备延期", &out)));
  EXPECT_EQ(out.revision(), 2);
  EXPECT_EQ(out.amount(), 9'000'000);
  EXPECT_EQ(out.baseline_amount(), 12'000'000);

  // The same figures again are not a revision.
  ASSERT_TRUE(IsOk(Revise("alpha", 9'000'000, "again", &out)));
  EXPECT_EQ(out.revision(), 2);

  const std::vector<v1::AnnualPlan> history = Revisions("alpha");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].revision(), 1);
  EXPECT_EQ(history[0].amount(), 12'000'000);
  EXPECT_EQ(history[1].revision(), 2);
  EXPECT_EQ(history[1].revision_reason(), "年中调整: 设备延期");
  EXPECT_EQ(history[1].updated_by(), "admin");
  EXPECT_GT(history[1].update_time().seconds(),
            history[0].update_time().seconds());
  EXPECT_EQ(history[1].monthly_size(), 12);
}

TEST_F(CycleTest, SummariesMeasureAgainstTheBaselineOrTheCurrentPlan) {
  CreateProject("alpha");
  SetPlan("alpha", 2024, 12'000'000);
  v1::AnnualPlan out;
  ASSERT_TRUE(IsOk(Revise("alpha", 6'000'000, "scope cut", &out)));
  Log("alpha", 2024, 3, 3'000'000);

  const v1::PortfolioSummary current = Summary();
  EXPECT_EQ(current.plan_basis(), v1::PLAN_BASIS_CURRENT);
  EXPECT_EQ(current.totals().annual_plan(), 6'000'000);
  EXPECT_EQ(current.totals().planned_to_date(), 3'000'000);
  EXPECT_DOUBLE_EQ(current.totals().completion_rate(), 0.5);

  const v1::PortfolioSummary baseline = Summary(
      v1::SUMMARY_DIMENSION_UNSPECIFIED, nullptr, v1::PLAN_BASIS_BASELINE);
  EXPECT_EQ(baseline.plan_basis(), v1::PLAN_BASIS_BASELINE);
  EXPECT_EQ(baseline.totals().annual_plan(), 12'000'000);
  EXPECT_EQ(baseline.totals().planned_to_date(), 6'000'000);
  EXPECT_EQ(baseline.totals().completed_to_date(), 3'000'000);
  EXPECT_DOUBLE_EQ(baseline.totals().completion_rate(), 0.25);
}

// --- The problem register
// -----------------------------------------------------

TEST_F(CycleTest, AProblemGoesFromOpenToAssignedToResolved) {
  CreateProject("alpha");
  const v1::Problem opened =
      OpenProblem("alpha", v1::PROBLEM_CATEGORY_LAND, MakeDate(2024, 8, 31));
  EXPECT_EQ(opened.name(), "projects/alpha/problems/q1");
  EXPECT_EQ(opened.state(), v1::PROBLEM_STATE_OPEN);
  EXPECT_EQ(opened.escalation(), v1::ESCALATION_LEVEL_DISTRICT);
  EXPECT_EQ(opened.opened_by(), "admin");

  clock().Set(clock().Now() + absl::Hours(24 * 3));
  v1::AssignProblemRequest assign;
  assign.set_name(opened.name());
  assign.set_responsible_unit("区自然资源局");
  v1::Problem assigned;
  ASSERT_TRUE(
      IsOk(problems().AssignProblem(Context().get(), assign, &assigned)));
  EXPECT_EQ(assigned.state(), v1::PROBLEM_STATE_ASSIGNED);
  EXPECT_EQ(assigned.responsible_unit(), "区自然资源局");
  EXPECT_EQ(assigned.age_days(), 3);
  EXPECT_EQ(assigned.deadline().month(), 8) << "kept when none is given";

  v1::EscalateProblemRequest escalate;
  escalate.set_name(opened.name());
  escalate.set_escalation(v1::ESCALATION_LEVEL_CITY);
  v1::Problem escalated;
  ASSERT_TRUE(
      IsOk(problems().EscalateProblem(Context().get(), escalate, &escalated)));
  EXPECT_EQ(escalated.escalation(), v1::ESCALATION_LEVEL_CITY);

  v1::Problem out;
  EXPECT_TRUE(IsFieldError(Resolve(opened.name(), "", &out),
                           StatusCode::INVALID_ARGUMENT, "resolution"));
  clock().Set(clock().Now() + absl::Hours(24 * 2));
  v1::Problem resolved;
  ASSERT_TRUE(IsOk(Resolve(opened.name(), "指标已调剂", &resolved)));
  EXPECT_EQ(resolved.state(), v1::PROBLEM_STATE_RESOLVED);
  EXPECT_EQ(resolved.resolution(), "指标已调剂");
  EXPECT_EQ(resolved.age_days(), 5);
  EXPECT_TRUE(IsFieldError(Resolve(opened.name(), "again", &out),
                           StatusCode::FAILED_PRECONDITION, "name"));
  EXPECT_TRUE(
      IsFieldError(problems().AssignProblem(Context().get(), assign, &out),
                   StatusCode::FAILED_PRECONDITION, "name"));

  v1::ListProblemsRequest list;
  list.set_parent("projects/-");
  list.set_filter("unresolved = true");
  v1::ListProblemsResponse unresolved;
  ASSERT_TRUE(
      IsOk(problems().ListProblems(Context().get(), list, &unresolved)));
  EXPECT_EQ(unresolved.problems_size(), 0);
  list.set_filter("state = PROBLEM_STATE_RESOLVED AND category = 用地");
  v1::ListProblemsResponse done;
  ASSERT_TRUE(IsOk(problems().ListProblems(Context().get(), list, &done)));
  ASSERT_EQ(done.problems_size(), 1);
  EXPECT_EQ(done.total_size(), 1);

  // Every step reaches the change feed (the audit trail's accepted
  // events), oldest first.
  grpc::ClientContext watch_context;
  watch_context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::seconds(10));
  watch_context.AddMetadata("authorization", "Bearer " + admin_token());
  v1::WatchChangesRequest watch;
  auto reader = admin().WatchChanges(&watch_context, watch);
  std::vector<std::string> methods;
  v1::AuditEvent event;
  while (methods.size() < 5 && reader->Read(&event)) {
    methods.push_back(event.method().substr(event.method().rfind('/') + 1));
  }
  watch_context.TryCancel();
  EXPECT_EQ(methods, (std::vector<std::string>{
                         "CreateProject", "CreateProblem", "AssignProblem",
                         "EscalateProblem", "ResolveProblem"}));
}

TEST_F(CycleTest, AProblemNeedsACategoryAndADescription) {
  CreateProject("alpha");
  v1::CreateProblemRequest request;
  request.set_parent("projects/alpha");
  request.mutable_problem()->set_description("缺电");
  v1::Problem out;
  EXPECT_TRUE(
      IsFieldError(problems().CreateProblem(Context().get(), request, &out),
                   StatusCode::INVALID_ARGUMENT, "problem.category"));
  request.mutable_problem()->set_category(v1::PROBLEM_CATEGORY_POWER);
  request.mutable_problem()->set_description(" ");
  EXPECT_TRUE(
      IsFieldError(problems().CreateProblem(Context().get(), request, &out),
                   StatusCode::INVALID_ARGUMENT, "problem.description"));
  request.set_parent("projects/nowhere");
  request.mutable_problem()->set_description("缺电");
  EXPECT_TRUE(testing::HasError(
      problems().CreateProblem(Context().get(), request, &out),
      StatusCode::NOT_FOUND, "nowhere"));
}

TEST_F(CycleTest, OpenAndOverdueProblemsAreReasonsForAProjectsStatus) {
  CreateProject("alpha");
  SetPlan("alpha", 2024, 12'000'000);
  for (int m = 1; m <= 7; ++m) Log("alpha", 2024, m, 1'000'000);
  EXPECT_EQ(Status("alpha").rag(), v1::RAG_GREEN);

  // Deadline 2024-05-01: overdue by 75 days on 2024-07-15.
  const v1::Problem late =
      OpenProblem("alpha", v1::PROBLEM_CATEGORY_FUNDING, MakeDate(2024, 5, 1));
  const v1::ProjectStatus red = Status("alpha");
  EXPECT_EQ(red.rag(), v1::RAG_RED);
  EXPECT_TRUE(HasReason(red, v1::StatusReason::CODE_PROBLEM_OVERDUE));
  EXPECT_TRUE(HasReason(red, v1::StatusReason::CODE_PROBLEM_OPEN));
  EXPECT_EQ(red.open_problem_count(), 1);
  EXPECT_EQ(red.overdue_problem_count(), 1);
  EXPECT_EQ(red.reasons(0).problem(), late.name());
  EXPECT_EQ(red.reasons(0).value(), 75);

  // A new problem with a deadline ahead is a reason for amber only.
  const google::protobuf::Timestamp before = red.as_known_at();
  clock().Set(clock().Now() + absl::Hours(2));
  v1::Problem out;
  ASSERT_TRUE(IsOk(Resolve(late.name(), "资金到位", &out)));
  OpenProblem("alpha", v1::PROBLEM_CATEGORY_POWER, MakeDate(2024, 12, 1));
  const v1::ProjectStatus amber = Status("alpha");
  EXPECT_EQ(amber.rag(), v1::RAG_AMBER);
  EXPECT_FALSE(HasReason(amber, v1::StatusReason::CODE_PROBLEM_OVERDUE));
  EXPECT_TRUE(HasReason(amber, v1::StatusReason::CODE_PROBLEM_OPEN));
  EXPECT_EQ(amber.reasons(0).problem(), "projects/alpha/problems/q2");

  // As known at the red status's instant (before the resolution), the
  // project was red, for the same reasons.
  const v1::ProjectStatus then = Status("alpha", &before);
  EXPECT_EQ(then.rag(), v1::RAG_RED);
  EXPECT_EQ(then.SerializeAsString(), red.SerializeAsString());
}

// --- Bulletin rates and rankings
// ------------------------------------------------

TEST_F(CycleTest, TheBulletinCountsStartsDueAndDoneAndRanksGroups) {
  v1::Project east;
  east.set_park("东区");
  v1::Project west;
  west.set_park("西区");
  CreateProject("e-one", east);
  CreateProject("e-two", east);
  CreateProject("w-one", west);
  SetPlan("e-one", 2024, 12'000'000);
  SetPlan("e-two", 2024, 12'000'000);
  SetPlan("w-one", 2024, 12'000'000);
  Log("e-one", 2024, 6, 3'000'000);
  Log("w-one", 2024, 6, 9'000'000);
  // e-one started on time; e-two's start (May) has not happened; w-one's
  // start is due only in September; w-one's completion was due in March.
  v1::Milestone start =
      AddMilestone("e-one", v1::MILESTONE_KIND_START, MakeDate(2024, 4, 1));
  v1::CompleteMilestoneRequest done;
  done.set_name(start.name());
  *done.mutable_actual_date() = MakeDate(2024, 4, 3);
  v1::Milestone out;
  ASSERT_TRUE(IsOk(projects().CompleteMilestone(Context().get(), done, &out)));
  AddMilestone("e-two", v1::MILESTONE_KIND_START, MakeDate(2024, 5, 1));
  AddMilestone("w-one", v1::MILESTONE_KIND_START, MakeDate(2024, 9, 1));
  AddMilestone("w-one", v1::MILESTONE_KIND_COMPLETION, MakeDate(2024, 3, 1));

  const v1::PortfolioSummary s = Summary(v1::SUMMARY_DIMENSION_PARK);
  EXPECT_EQ(s.totals().start_due_count(), 2);
  EXPECT_EQ(s.totals().started_count(), 1);
  EXPECT_DOUBLE_EQ(s.totals().start_rate(), 0.5);
  EXPECT_EQ(s.totals().completion_due_count(), 1);
  EXPECT_EQ(s.totals().completed_count(), 0);
  EXPECT_DOUBLE_EQ(s.totals().completion_milestone_rate(), 0.0);
  ASSERT_EQ(s.groups_size(), 2);
  // Groups keep key order; ranks say who leads: 西区 at 75%, 东区 at 12.5%.
  EXPECT_EQ(s.groups(0).key(), "东区");
  EXPECT_EQ(s.groups(0).rank(), 2);
  EXPECT_EQ(s.groups(1).key(), "西区");
  EXPECT_EQ(s.groups(1).rank(), 1);
  EXPECT_EQ(s.groups(0).figures().start_due_count(), 2);
  EXPECT_EQ(s.groups(0).figures().started_count(), 1);
  EXPECT_EQ(s.groups(1).figures().start_due_count(), 0);
}

TEST_F(CycleTest, GroupsWithEqualRatesShareARankAndUnplannedOnesAreUnranked) {
  const std::vector<std::pair<std::string, std::string>> parks = {
      {"p-a", "甲"}, {"p-b", "乙"}, {"p-c", "丙"}};
  for (const auto& [id, park] : parks) {
    v1::Project p;
    p.set_park(park);
    CreateProject(id, p);
  }
  SetPlan("p-a", 2024, 10'000'000);
  SetPlan("p-b", 2024, 20'000'000);
  Log("p-a", 2024, 5, 5'000'000);
  Log("p-b", 2024, 5, 10'000'000);
  const v1::PortfolioSummary s = Summary(v1::SUMMARY_DIMENSION_PARK);
  ASSERT_EQ(s.groups_size(), 3);
  for (const v1::SummaryGroup& g : s.groups()) {
    EXPECT_EQ(g.rank(), g.key() == "丙" ? 0 : 1) << g.key();
  }
}

// --- As known at an instant
// -----------------------------------------------------

TEST_F(CycleTest, ABulletinAsKnownAtAnEarlierInstantIsReproducedExactly) {
  v1::Project east;
  east.set_park("东区");
  CreateProject("alpha", east);
  CreateProject("beta");
  SetPlan("alpha", 2024, 12'000'000);
  SetPlan("beta", 2024, 24'000'000);
  const v1::InvestmentEntry march = Log("alpha", 2024, 3, 2'000'000);
  Log("beta", 2024, 6, 5'000'000);
  AddMilestone("alpha", v1::MILESTONE_KIND_START, MakeDate(2024, 5, 1));
  const v1::Problem problem =
      OpenProblem("beta", v1::PROBLEM_CATEGORY_LAND, MakeDate(2024, 6, 1));
  // As of July, so today's problem counts.
  const v1::PortfolioSummary then =
      Summary(v1::SUMMARY_DIMENSION_PARK, nullptr, v1::PLAN_BASIS_CURRENT, 7);
  const google::protobuf::Timestamp instant = then.as_known_at();
  EXPECT_EQ(instant.seconds(), absl::ToUnixSeconds(clock().Now()));

  // A week of changes: a correction, a late entry, a revision, a milestone
  // reached, a problem resolved, a new project, and June closed.
  clock().Set(clock().Now() + absl::Hours(24 * 7));
  v1::CorrectInvestmentRequest correct;
  correct.set_name(march.name());
  correct.set_corrected_amount(1'500'000);
  correct.set_reason("统计口径更正");
  v1::InvestmentEntry entry;
  ASSERT_TRUE(
      IsOk(investments().CorrectInvestment(Context().get(), correct, &entry)));
  Log("alpha", 2024, 6, 4'000'000);
  v1::AnnualPlan plan;
  ASSERT_TRUE(IsOk(Revise("beta", 12'000'000, "年中调整", &plan)));
  v1::ListMilestonesRequest list;
  list.set_parent("projects/alpha");
  v1::ListMilestonesResponse ms;
  ASSERT_TRUE(IsOk(projects().ListMilestones(Context().get(), list, &ms)));
  v1::CompleteMilestoneRequest done;
  done.set_name(ms.milestones(0).name());
  *done.mutable_actual_date() = MakeDate(2024, 5, 20);
  v1::Milestone milestone;
  ASSERT_TRUE(
      IsOk(projects().CompleteMilestone(Context().get(), done, &milestone)));
  v1::Problem resolved;
  ASSERT_TRUE(IsOk(Resolve(problem.name(), "已解决", &resolved)));
  CreateProject("gamma");
  v1::ClosePeriodRequest close;
  close.set_name("periods/2024-06");
  v1::ReportingPeriod period;
  ASSERT_TRUE(IsOk(investments().ClosePeriod(Context().get(), close, &period)));

  const v1::PortfolioSummary now =
      Summary(v1::SUMMARY_DIMENSION_PARK, nullptr, v1::PLAN_BASIS_CURRENT, 7);
  EXPECT_NE(now.totals().completed_to_date(),
            then.totals().completed_to_date());
  EXPECT_NE(now.totals().annual_plan(), then.totals().annual_plan());
  EXPECT_NE(now.totals().project_count(), then.totals().project_count());
  EXPECT_NE(now.totals().open_problem_count(),
            then.totals().open_problem_count());

  const v1::PortfolioSummary again =
      Summary(v1::SUMMARY_DIMENSION_PARK, &instant, v1::PLAN_BASIS_CURRENT, 7);
  EXPECT_EQ(again.SerializeAsString(), then.SerializeAsString())
      << "then:\n"
      << then.DebugString() << "\nagain:\n"
      << again.DebugString();

  // The statuses as they stood, too.
  v1::ListProjectStatusesRequest statuses;
  statuses.set_year(2024);
  statuses.set_as_of_month(7);
  *statuses.mutable_as_known_at() = instant;
  v1::ListProjectStatusesResponse old_statuses;
  ASSERT_TRUE(IsOk(portfolios().ListProjectStatuses(Context().get(), statuses,
                                                    &old_statuses)));
  ASSERT_EQ(old_statuses.project_statuses_size(), 2) << "gamma came later";
}

TEST_F(CycleTest, AnUnchangedSummaryIsServedAgainUntilAWriteCommits) {
  CreateProject("alpha");
  SetPlan("alpha", 2024, 12'000'000);
  const v1::PortfolioSummary first = Summary();
  clock().Set(clock().Now() + absl::Minutes(5));
  const v1::PortfolioSummary again = Summary();
  // Nothing was written: the same answer, still true as of its instant.
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());

  Log("alpha", 2024, 6, 1'000'000);
  const v1::PortfolioSummary after = Summary();
  EXPECT_EQ(after.totals().completed_to_date(), 1'000'000);
  EXPECT_GT(after.as_known_at().seconds(), first.as_known_at().seconds());
}

TEST_F(CycleTest, StatusesSayWhichInstantAndPlanTheyReflect) {
  CreateProject("alpha");
  CreateProject("beta");
  SetPlan("alpha", 2024, 12'000'000);
  SetPlan("beta", 2024, 24'000'000);
  v1::AnnualPlan plan;
  ASSERT_TRUE(IsOk(Revise("beta", 12'000'000, "年中调整", &plan)));
  Log("alpha", 2024, 6, 3'000'000);
  const int64_t read_at = absl::ToUnixSeconds(clock().Now());

  // Asked for now: the instant of the read, on the current plan.
  const v1::ProjectStatus latest = Status("beta");
  EXPECT_EQ(latest.as_known_at().seconds(), read_at);
  EXPECT_EQ(latest.plan_basis(), v1::PLAN_BASIS_CURRENT);
  EXPECT_EQ(latest.annual_plan(), 12'000'000);

  // The baseline, and an instant in the future (which means now), as asked.
  v1::GetProjectStatusRequest baseline;
  baseline.set_project("projects/beta");
  baseline.set_year(2024);
  baseline.set_as_of_month(7);
  baseline.set_plan_basis(v1::PLAN_BASIS_BASELINE);
  baseline.mutable_as_known_at()->set_seconds(read_at + 86400);
  v1::ProjectStatus first_plan;
  ASSERT_TRUE(IsOk(
      portfolios().GetProjectStatus(Context().get(), baseline, &first_plan)));
  EXPECT_EQ(first_plan.plan_basis(), v1::PLAN_BASIS_BASELINE);
  EXPECT_EQ(first_plan.annual_plan(), 24'000'000);
  EXPECT_EQ(first_plan.as_known_at().seconds(), read_at);

  // A list says it of every status, and its instant asked again, after
  // later writes, gives the same statuses.
  v1::ListProjectStatusesRequest list;
  list.set_year(2024);
  list.set_as_of_month(7);
  v1::ListProjectStatusesResponse then;
  ASSERT_TRUE(
      IsOk(portfolios().ListProjectStatuses(Context().get(), list, &then)));
  ASSERT_EQ(then.project_statuses_size(), 2);
  for (const v1::ProjectStatus& s : then.project_statuses()) {
    EXPECT_EQ(s.as_known_at().seconds(), read_at) << s.project();
    EXPECT_EQ(s.plan_basis(), v1::PLAN_BASIS_CURRENT) << s.project();
  }
  clock().Set(clock().Now() + absl::Hours(2));
  Log("alpha", 2024, 7, 5'000'000);
  v1::ListProjectStatusesResponse now;
  ASSERT_TRUE(
      IsOk(portfolios().ListProjectStatuses(Context().get(), list, &now)));
  ASSERT_EQ(now.project_statuses_size(), 2);
  EXPECT_EQ(now.project_statuses(0).as_known_at().seconds(),
            read_at + 2 * 3600);
  *list.mutable_as_known_at() = then.project_statuses(0).as_known_at();
  v1::ListProjectStatusesResponse again;
  ASSERT_TRUE(
      IsOk(portfolios().ListProjectStatuses(Context().get(), list, &again)));
  EXPECT_EQ(again.SerializeAsString(), then.SerializeAsString())
      << "then:\n"
      << then.DebugString() << "\nagain:\n"
      << again.DebugString();
}

TEST_F(CycleTest, AsKnownAtInTheFutureMeansNowAndABadTimestampIsRefused) {
  CreateProject("alpha");
  google::protobuf::Timestamp future;
  future.set_seconds(absl::ToUnixSeconds(clock().Now() + absl::Hours(48)));
  const v1::PortfolioSummary s =
      Summary(v1::SUMMARY_DIMENSION_UNSPECIFIED, &future);
  EXPECT_EQ(s.as_known_at().seconds(), absl::ToUnixSeconds(clock().Now()));

  v1::GetPortfolioSummaryRequest request;
  request.mutable_as_known_at()->set_nanos(-1);
  v1::PortfolioSummary out;
  EXPECT_TRUE(IsFieldError(
      portfolios().GetPortfolioSummary(Context().get(), request, &out),
      StatusCode::INVALID_ARGUMENT, "as_known_at"));
  request.clear_as_known_at();
  request.set_plan_basis(static_cast<v1::PlanBasis>(7));
  EXPECT_TRUE(IsFieldError(
      portfolios().GetPortfolioSummary(Context().get(), request, &out),
      StatusCode::INVALID_ARGUMENT, "plan_basis"));
}

}  // namespace
}  // namespace portfolio
