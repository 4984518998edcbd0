// Who may do what: tokens, roles, the audit trail, and backups, over a real
// server on a loopback port.
#include <grpcpp/create_channel.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/server/integration_fixture.h"

namespace portfolio {
namespace {

using grpc::StatusCode;
using testing::IsFieldError;
using testing::IsOk;

class AuthTest : public testing::IntegrationTest {
 protected:
  void SetUp() override {
    IntegrationTest::SetUp();
    CreateProject("mine");
    CreateProject("theirs");
  }

  // Creates a user with `role` and returns a token for it.
  std::string UserWithToken(const std::string& id, v1::UserRole role) {
    v1::CreateUserRequest create;
    create.set_user_id(id);
    create.mutable_user()->set_role(role);
    v1::User user;
    EXPECT_TRUE(IsOk(admin().CreateUser(Context().get(), create, &user)));
    return NewToken(id);
  }

  std::string NewToken(const std::string& user,
                       absl::Duration lifetime = absl::ZeroDuration()) {
    v1::CreateTokenRequest request;
    request.set_parent("users/" + user);
    request.mutable_token()->set_display_name("test");
    if (lifetime > absl::ZeroDuration()) {
      request.mutable_token()->mutable_expire_time()->set_seconds(
          absl::ToUnixSeconds(clock().Now() + lifetime));
    }
    v1::CreateTokenResponse response;
    EXPECT_TRUE(IsOk(admin().CreateToken(Context().get(), request, &response)));
    last_token_name_ = response.token().name();
    return response.secret();
  }

  void MakeLead(const std::string& project, const std::string& user) {
    v1::UpdateProjectRequest request;
    request.mutable_project()->set_name("projects/" + project);
    request.mutable_project()->add_leads(user);
    request.mutable_update_mask()->add_paths("leads");
    v1::Project out;
    EXPECT_TRUE(IsOk(projects().UpdateProject(Context().get(), request, &out)));
  }

  grpc::Status LogAs(const std::string& token, const std::string& project,
                     int64_t amount = 1'000'000) {
    v1::LogInvestmentRequest request;
    request.set_parent("projects/" + project);
    request.mutable_period()->set_year(2024);
    request.mutable_period()->set_month(6);
    request.set_amount(amount);
    v1::InvestmentEntry entry;
    return investments().LogInvestment(ContextWithToken(token).get(), request,
                                       &entry);
  }

  std::vector<v1::AuditEvent> Audit(const std::string& filter) {
    v1::ListAuditEventsRequest request;
    request.set_filter(filter);
    request.set_page_size(1000);
    v1::ListAuditEventsResponse response;
    EXPECT_TRUE(
        IsOk(admin().ListAuditEvents(Context().get(), request, &response)));
    return {response.audit_events().begin(), response.audit_events().end()};
  }

  std::string last_token_name_;
};

TEST_F(AuthTest, FirstStartWritesAnAdminTokenOnlyTheOwnerCanRead) {
  struct stat st;
  ASSERT_EQ(stat((data_dir() + "/admin.token").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_TRUE(absl::StartsWith(admin_token(), "pf_"));
}

TEST_F(AuthTest, NoTokenOrAnUnknownOneIsUnauthenticated) {
  v1::ListProjectsRequest request;
  v1::ListProjectsResponse response;
  EXPECT_EQ(projects()
                .ListProjects(ContextWithToken("").get(), request, &response)
                .error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(projects()
                .ListProjects(ContextWithToken("pf_t000000000000_nope").get(),
                              request, &response)
                .error_code(),
            StatusCode::UNAUTHENTICATED);
  // A real token id with a wrong secret is no better.
  const std::string forged = admin_token().substr(0, 17) + "forged";
  EXPECT_EQ(
      projects()
          .ListProjects(ContextWithToken(forged).get(), request, &response)
          .error_code(),
      StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthTest, HealthNeedsNoToken) {
  auto health = grpc::health::v1::Health::NewStub(channel());
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  ASSERT_TRUE(
      IsOk(health->Check(ContextWithToken("").get(), request, &response)));
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  // Each service by its full name too; an unknown one is NOT_FOUND.
  for (const char* name :
       {"portfolio.v1.ProjectService", "portfolio.v1.InvestmentService",
        "portfolio.v1.IndicatorService", "portfolio.v1.ProblemService",
        "portfolio.v1.PortfolioService", "portfolio.v1.AdminService"}) {
    request.set_service(name);
    ASSERT_TRUE(
        IsOk(health->Check(ContextWithToken("").get(), request, &response)))
        << name;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING)
        << name;
  }
  request.set_service("portfolio.v1.NoSuchService");
  EXPECT_EQ(health->Check(ContextWithToken("").get(), request, &response)
                .error_code(),
            StatusCode::NOT_FOUND);
}

TEST_F(AuthTest, ALeadLogsOnTheirProjectAndIsDeniedElsewhere) {
  const std::string lead = UserWithToken("lead-li", v1::USER_ROLE_LEAD);
  MakeLead("mine", "lead-li");
  EXPECT_TRUE(IsOk(LogAs(lead, "mine")));
  EXPECT_EQ(LogAs(lead, "theirs").error_code(), StatusCode::PERMISSION_DENIED);
  // Denied before existence: a project that does not exist answers the same.
  EXPECT_EQ(LogAs(lead, "no-such-project").error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ListLedger("projects/-").entries.size(), 1u);

  const std::vector<v1::AuditEvent> events = Audit("user = lead-li");
  ASSERT_EQ(events.size(), 3u);  // newest first
  EXPECT_EQ(events[0].outcome(), "PERMISSION_DENIED");
  EXPECT_EQ(events[0].resource(), "projects/no-such-project");
  EXPECT_EQ(events[1].outcome(), "PERMISSION_DENIED");
  EXPECT_EQ(events[1].resource(), "projects/theirs");
  EXPECT_EQ(events[2].outcome(), "OK");
  EXPECT_EQ(events[2].method(),
            "/portfolio.v1.InvestmentService/LogInvestment");
  EXPECT_TRUE(absl::StartsWith(events[2].resource(), "projects/mine/"));
  EXPECT_NE(events[2].detail().find("1000000"), std::string::npos)
      << events[2].detail();
}

// A lead reports a problem on their project; naming the unit responsible
// and raising it above the district stay with the command centre, which
// opening a problem must not get round.
TEST_F(AuthTest, ALeadOpensAProblemButNeitherAssignsNorEscalatesIt) {
  const std::string lead = UserWithToken("lead-li", v1::USER_ROLE_LEAD);
  MakeLead("mine", "lead-li");
  auto open = [&](const std::string& unit, v1::EscalationLevel level) {
    v1::CreateProblemRequest request;
    request.set_parent("projects/mine");
    request.mutable_problem()->set_category(v1::PROBLEM_CATEGORY_POWER);
    request.mutable_problem()->set_description("电力增容未批复");
    request.mutable_problem()->set_responsible_unit(unit);
    request.mutable_problem()->set_escalation(level);
    v1::Problem out;
    return problems().CreateProblem(ContextWithToken(lead).get(), request,
                                    &out);
  };
  EXPECT_TRUE(IsFieldError(open("省电力公司", v1::ESCALATION_LEVEL_UNSPECIFIED),
                           StatusCode::PERMISSION_DENIED,
                           "problem.responsible_unit"));
  EXPECT_TRUE(IsFieldError(open("", v1::ESCALATION_LEVEL_PROVINCE),
                           StatusCode::PERMISSION_DENIED,
                           "problem.escalation"));
  EXPECT_TRUE(IsOk(open("", v1::ESCALATION_LEVEL_DISTRICT)));
  EXPECT_TRUE(IsOk(open("", v1::ESCALATION_LEVEL_UNSPECIFIED)));
  v1::ListProblemsRequest list;
  list.set_parent("projects/mine");
  v1::ListProblemsResponse listed;
  ASSERT_TRUE(IsOk(problems().ListProblems(Context().get(), list, &listed)));
  EXPECT_EQ(listed.problems_size(), 2);
}

TEST_F(AuthTest, ARevokedTokenIsUnauthenticatedAndTheRevocationIsAudited) {
  const std::string lead = UserWithToken("lead-li", v1::USER_ROLE_LEAD);
  MakeLead("mine", "lead-li");
  ASSERT_TRUE(IsOk(LogAs(lead, "mine")));
  v1::RevokeTokenRequest revoke;
  revoke.set_name(last_token_name_);
  v1::Token revoked;
  ASSERT_TRUE(IsOk(admin().RevokeToken(Context().get(), revoke, &revoked)));
  EXPECT_TRUE(revoked.has_revoke_time());
  EXPECT_EQ(LogAs(lead, "mine").error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ListLedger("projects/-").entries.size(), 1u);

  const std::vector<v1::AuditEvent> by_admin = Audit("user = admin");
  bool seen = false;
  for (const v1::AuditEvent& e : by_admin) {
    seen |= e.method() == "/portfolio.v1.AdminService/RevokeToken" &&
            e.resource() == last_token_name_ && e.outcome() == "OK";
  }
  EXPECT_TRUE(seen);
  // The refused attempt with the revoked token is recorded, with its user.
  const std::vector<v1::AuditEvent> all = Audit("");
  EXPECT_EQ(all[0].outcome(), "UNAUTHENTICATED");
  EXPECT_EQ(all[0].user(), "lead-li");
}

TEST_F(AuthTest, AnExpiredTokenAndADisabledUserAreUnauthenticated) {
  UserWithToken("lead-li", v1::USER_ROLE_LEAD);
  MakeLead("mine", "lead-li");
  const std::string short_lived = NewToken("lead-li", absl::Hours(1));
  ASSERT_TRUE(IsOk(LogAs(short_lived, "mine")));
  clock().Set(clock().Now() + absl::Hours(2));
  EXPECT_EQ(LogAs(short_lived, "mine").error_code(),
            StatusCode::UNAUTHENTICATED);

  const std::string token = NewToken("lead-li");
  ASSERT_TRUE(IsOk(LogAs(token, "mine", 2'000'000)));
  v1::UpdateUserRequest disable;
  disable.mutable_user()->set_name("users/lead-li");
  disable.mutable_user()->set_disabled(true);
  disable.mutable_update_mask()->add_paths("disabled");
  v1::User user;
  ASSERT_TRUE(IsOk(admin().UpdateUser(Context().get(), disable, &user)));
  const grpc::Status refused = LogAs(token, "mine");
  EXPECT_EQ(refused.error_code(), StatusCode::UNAUTHENTICATED);
  // Says what would help: not a new token, an admin.
  EXPECT_NE(refused.error_message().find("portfolio users enable lead-li"),
            std::string::npos)
      << refused.error_message();
}

TEST_F(AuthTest, AViewerCannotWriteAnything) {
  const std::string viewer = UserWithToken("viewer-wu", v1::USER_ROLE_VIEWER);
  auto ctx = [&] { return ContextWithToken(viewer); };
  v1::ListProjectsRequest list;
  v1::ListProjectsResponse listed;
  EXPECT_TRUE(IsOk(projects().ListProjects(ctx().get(), list, &listed)));

  EXPECT_EQ(LogAs(viewer, "mine").error_code(), StatusCode::PERMISSION_DENIED);
  v1::CreateProjectRequest create;
  create.set_project_id("new-one");
  create.mutable_project()->set_display_name("新项目");
  v1::Project project;
  EXPECT_EQ(
      projects().CreateProject(ctx().get(), create, &project).error_code(),
      StatusCode::PERMISSION_DENIED);
  v1::UpdateAnnualPlanRequest plan;
  plan.mutable_annual_plan()->set_name("projects/mine/plans/2024");
  plan.mutable_annual_plan()->set_amount(100);
  plan.set_allow_missing(true);
  v1::AnnualPlan planned;
  EXPECT_EQ(
      projects().UpdateAnnualPlan(ctx().get(), plan, &planned).error_code(),
      StatusCode::PERMISSION_DENIED);
  v1::CreateMilestoneRequest milestone;
  milestone.set_parent("projects/mine");
  milestone.mutable_milestone()->set_kind(v1::MILESTONE_KIND_START);
  v1::Milestone created;
  EXPECT_EQ(
      projects().CreateMilestone(ctx().get(), milestone, &created).error_code(),
      StatusCode::PERMISSION_DENIED);
  v1::UpdatePortfolioRequest portfolio;
  portfolio.mutable_portfolio()->set_name("portfolios/2024");
  portfolio.set_allow_missing(true);
  v1::Portfolio updated;
  EXPECT_EQ(portfolios()
                .UpdatePortfolio(ctx().get(), portfolio, &updated)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::CreateUserRequest user;
  user.set_user_id("sneaky");
  user.mutable_user()->set_role(v1::USER_ROLE_ADMIN);
  v1::User made;
  EXPECT_EQ(admin().CreateUser(ctx().get(), user, &made).error_code(),
            StatusCode::PERMISSION_DENIED);

  for (const v1::AuditEvent& e : Audit("user = viewer-wu")) {
    EXPECT_EQ(e.outcome(), "PERMISSION_DENIED") << e.method();
  }
  EXPECT_EQ(Audit("user = viewer-wu").size(), 6u);
}

TEST_F(AuthTest, AManagerPlansButDoesNotReportOrAdminister) {
  const std::string manager =
      UserWithToken("manager-zhao", v1::USER_ROLE_MANAGER);
  v1::UpdateAnnualPlanRequest plan;
  plan.mutable_annual_plan()->set_name("projects/theirs/plans/2024");
  plan.mutable_annual_plan()->set_amount(1'200'000);
  plan.set_allow_missing(true);
  v1::AnnualPlan planned;
  EXPECT_TRUE(IsOk(projects().UpdateAnnualPlan(ContextWithToken(manager).get(),
                                               plan, &planned)));
  EXPECT_EQ(LogAs(manager, "theirs").error_code(),
            StatusCode::PERMISSION_DENIED);
  v1::ListUsersRequest users;
  v1::ListUsersResponse listed;
  EXPECT_EQ(admin()
                .ListUsers(ContextWithToken(manager).get(), users, &listed)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthTest, AServiceWritesOnlyWhereGranted) {
  const std::string bot = UserWithToken("city-bot", v1::USER_ROLE_SERVICE);
  EXPECT_EQ(LogAs(bot, "mine").error_code(), StatusCode::PERMISSION_DENIED);
  MakeLead("mine", "city-bot");  // the grant
  EXPECT_TRUE(IsOk(LogAs(bot, "mine")));
  EXPECT_EQ(LogAs(bot, "theirs").error_code(), StatusCode::PERMISSION_DENIED);
}

TEST_F(AuthTest, TokensAreListedWithoutSecrets) {
  UserWithToken("lead-li", v1::USER_ROLE_LEAD);
  v1::ListTokensRequest request;
  request.set_filter("user = lead-li");
  v1::ListTokensResponse response;
  ASSERT_TRUE(IsOk(admin().ListTokens(Context().get(), request, &response)));
  ASSERT_EQ(response.tokens_size(), 1);
  EXPECT_EQ(response.tokens(0).user(), "users/lead-li");
  EXPECT_EQ(response.tokens(0).name(), last_token_name_);
}

TEST_F(AuthTest, BackupUnderLoadRestoresToAnIdenticalLedger) {
  CreateProject("loaded");
  // Writers keep logging while the backup is taken.
  std::atomic<bool> stop{false};
  std::atomic<int> logged{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 400 && !stop; ++i) {
        if (LogAs(admin_token(), "loaded", 1000 + w * 1000 + i).ok()) ++logged;
      }
    });
  }
  while (logged < 20) std::this_thread::yield();  // some writes first
  const std::string path = data_dir() + "/copy/portfolio.db";
  mkdir((data_dir() + "/copy").c_str(), 0700);
  {
    v1::BackupRequest request;
    const auto context = Context();  // must outlive the stream
    auto reader = admin().Backup(context.get(), request);
    std::ofstream out(path, std::ios::binary);
    v1::BackupChunk chunk;
    size_t bytes = 0;
    while (reader->Read(&chunk)) {
      out << chunk.data();
      bytes += chunk.data().size();
    }
    ASSERT_TRUE(IsOk(reader->Finish()));
    EXPECT_GT(bytes, 4096u);
  }
  stop = true;
  for (std::thread& t : writers) t.join();
  const Ledger live = ListLedger("projects/loaded");

  // Restore: a server on the copied file.
  StopServer();
  ServerOptions options;
  options.data_dir = data_dir() + "/copy";
  options.listen = "127.0.0.1:0";
  options.seed = false;
  auto copy = PortfolioServer::Start(options, &clock());
  ASSERT_TRUE(copy.ok()) << copy.status();
  auto channel =
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*copy)->port()),
                          grpc::InsecureChannelCredentials());
  auto stub = v1::InvestmentService::NewStub(channel);
  v1::ListInvestmentEntriesRequest request;
  request.set_parent("projects/loaded");
  request.set_page_size(1000);
  v1::ListInvestmentEntriesResponse copied;
  ASSERT_TRUE(IsOk(stub->ListInvestmentEntries(
      ContextWithToken(admin_token()).get(), request, &copied)));

  // The copy is the live ledger as it stood at one moment: a prefix of it,
  // entry for entry, with the total of that prefix.
  ASSERT_GT(copied.investment_entries_size(), 0);
  ASSERT_LE(static_cast<size_t>(copied.investment_entries_size()),
            live.entries.size());
  int64_t total = 0;
  for (int i = 0; i < copied.investment_entries_size(); ++i) {
    EXPECT_EQ(copied.investment_entries(i).SerializeAsString(),
              live.entries[i].SerializeAsString());
    total += copied.investment_entries(i).amount();
  }
  EXPECT_EQ(copied.total_amount(), total);
  (*copy)->Shutdown(absl::Seconds(5));
  (*copy)->Wait();
}

}  // namespace
}  // namespace portfolio

namespace portfolio {
namespace {

TEST_F(AuthTest, ALeadMustBeAUser) {
  v1::UpdateProjectRequest request;
  request.mutable_project()->set_name("projects/mine");
  request.mutable_project()->add_leads("nobody");
  request.mutable_update_mask()->add_paths("leads");
  v1::Project out;
  EXPECT_TRUE(testing::IsFieldError(
      projects().UpdateProject(Context().get(), request, &out),
      StatusCode::INVALID_ARGUMENT, "project.leads[0]"));
}

// A viewer may not report, so naming one a lead would grant nothing.
TEST_F(AuthTest, AViewerCannotBeMadeALead) {
  UserWithToken("watcher", v1::USER_ROLE_VIEWER);
  v1::UpdateProjectRequest request;
  request.mutable_project()->set_name("projects/mine");
  request.mutable_project()->add_leads("watcher");
  request.mutable_update_mask()->add_paths("leads");
  v1::Project out;
  const grpc::Status refused =
      projects().UpdateProject(Context().get(), request, &out);
  EXPECT_TRUE(testing::IsFieldError(refused, StatusCode::INVALID_ARGUMENT,
                                    "project.leads[0]"));
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "viewer"))
      << refused.error_message();

  // A lead who has since become a viewer stays, and does not stop the
  // project's other leads from changing.
  UserWithToken("lead-wang", v1::USER_ROLE_LEAD);
  UserWithToken("lead-zhao", v1::USER_ROLE_LEAD);
  MakeLead("mine", "lead-wang");
  v1::UpdateUserRequest demote;
  demote.mutable_user()->set_name("users/lead-wang");
  demote.mutable_user()->set_role(v1::USER_ROLE_VIEWER);
  demote.mutable_update_mask()->add_paths("role");
  v1::User demoted;
  ASSERT_TRUE(IsOk(admin().UpdateUser(Context().get(), demote, &demoted)));
  request.mutable_project()->clear_leads();
  request.mutable_project()->add_leads("lead-wang");
  request.mutable_project()->add_leads("lead-zhao");
  EXPECT_TRUE(IsOk(projects().UpdateProject(Context().get(), request, &out)));

  // The error names the place in the list as sent, not as sorted.
  request.mutable_project()->clear_leads();
  request.mutable_project()->add_leads("lead-zhao");
  request.mutable_project()->add_leads("watcher");
  request.mutable_project()->add_leads("lead-wang");
  EXPECT_TRUE(testing::IsFieldError(
      projects().UpdateProject(Context().get(), request, &out),
      StatusCode::INVALID_ARGUMENT, "project.leads[1]"));
}

}  // namespace
}  // namespace portfolio

namespace portfolio {
namespace {

TEST_F(AuthTest, AnonymousRefusalsDoNotFillTheAuditTrail) {
  const size_t before = Audit("").size();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(LogAs("", "mine").error_code(), StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(LogAs("pf_t000000000000_forged", "mine").error_code(),
              StatusCode::UNAUTHENTICATED);
  }
  EXPECT_EQ(Audit("").size(), before);
}

TEST_F(AuthTest, ARevokedTokenStaysRevokedWhateverItsLastUseSays) {
  const std::string lead = UserWithToken("lead-li", v1::USER_ROLE_LEAD);
  MakeLead("mine", "lead-li");
  v1::RevokeTokenRequest revoke;
  revoke.set_name(last_token_name_);
  v1::Token first;
  ASSERT_TRUE(IsOk(admin().RevokeToken(Context().get(), revoke, &first)));
  // A minute later the token is tried again and revoked again: the first
  // revocation time stands and the token stays refused.
  clock().Set(clock().Now() + absl::Minutes(2));
  EXPECT_EQ(LogAs(lead, "mine").error_code(), StatusCode::UNAUTHENTICATED);
  v1::Token second;
  ASSERT_TRUE(IsOk(admin().RevokeToken(Context().get(), revoke, &second)));
  EXPECT_EQ(second.revoke_time().seconds(), first.revoke_time().seconds());
  EXPECT_EQ(LogAs(lead, "mine").error_code(), StatusCode::UNAUTHENTICATED);
}

// A token the server has accepted is not read from the database again
// until a change to users or tokens is acknowledged through the server. A
// revocation written into the file behind the server's back shows which:
// it is seen only after such a change.
TEST_F(AuthTest, AnAcceptedTokenIsReadAgainOnlyAfterAnAccessChange) {
  const std::string lead = UserWithToken("lead-li", v1::USER_ROLE_LEAD);
  MakeLead("mine", "lead-li");
  ASSERT_TRUE(IsOk(LogAs(lead, "mine")));

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data_dir() + "/portfolio.db").c_str(), &db),
            SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db,
                         "UPDATE tokens SET revoke_time = 1 WHERE user_id = "
                         "'lead-li'",
                         nullptr, nullptr, &error),
            SQLITE_OK)
      << (error != nullptr ? error : "");
  sqlite3_free(error);
  EXPECT_EQ(sqlite3_changes(db), 1);
  sqlite3_close(db);
  EXPECT_TRUE(IsOk(LogAs(lead, "mine", 2'000'000)));

  UserWithToken("viewer-wu", v1::USER_ROLE_VIEWER);
  EXPECT_EQ(LogAs(lead, "mine", 3'000'000).error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ListLedger("projects/-").entries.size(), 2u);
}

TEST_F(AuthTest, ABackupIsRecordedInTheAuditTrail) {
  v1::BackupRequest request;
  const auto context = Context();
  auto reader = admin().Backup(context.get(), request);
  v1::BackupChunk chunk;
  while (reader->Read(&chunk)) {
  }
  ASSERT_TRUE(IsOk(reader->Finish()));
  const std::vector<v1::AuditEvent> events = Audit("user = admin");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].method(), "/portfolio.v1.AdminService/Backup");
  EXPECT_EQ(events[0].outcome(), "OK");
}

}  // namespace
}  // namespace portfolio

namespace portfolio {
namespace {

class PeriodsTest : public AuthTest {
 protected:
  grpc::Status Close(const std::string& token, const std::string& period,
                     v1::ReportingPeriod* out = nullptr) {
    v1::ClosePeriodRequest request;
    request.set_name("periods/" + period);
    v1::ReportingPeriod ignored;
    return investments().ClosePeriod(ContextWithToken(token).get(), request,
                                     out != nullptr ? out : &ignored);
  }
  grpc::Status Reopen(const std::string& token, const std::string& period,
                      const std::string& reason) {
    v1::ReopenPeriodRequest request;
    request.set_name("periods/" + period);
    request.set_reason(reason);
    v1::ReportingPeriod out;
    return investments().ReopenPeriod(ContextWithToken(token).get(), request,
                                      &out);
  }
  grpc::Status LogMonth(const std::string& token, int month,
                        v1::InvestmentEntry* out = nullptr) {
    v1::LogInvestmentRequest request;
    request.set_parent("projects/mine");
    request.mutable_period()->set_year(2024);
    request.mutable_period()->set_month(month);
    request.set_amount(500'000);
    v1::InvestmentEntry ignored;
    return investments().LogInvestment(ContextWithToken(token).get(), request,
                                       out != nullptr ? out : &ignored);
  }
};

TEST_F(PeriodsTest, AClosedMonthRefusesLateEntriesUntilReopenedWithAReason) {
  const std::string manager =
      UserWithToken("manager-zhao", v1::USER_ROLE_MANAGER);
  const std::string lead = UserWithToken("lead-li", v1::USER_ROLE_LEAD);
  MakeLead("mine", "lead-li");
  v1::InvestmentEntry early;
  ASSERT_TRUE(IsOk(LogMonth(lead, 3, &early)));

  v1::ReportingPeriod closed;
  ASSERT_TRUE(IsOk(Close(manager, "2024-03", &closed)));
  EXPECT_TRUE(closed.closed());
  EXPECT_EQ(closed.closed_by(), "manager-zhao");
  EXPECT_EQ(Close(lead, "2024-04").error_code(), StatusCode::PERMISSION_DENIED);

  // A late March entry, and a correction of a March entry, are refused.
  const grpc::Status late = LogMonth(lead, 3);
  EXPECT_TRUE(
      testing::IsFieldError(late, StatusCode::FAILED_PRECONDITION, "period"));
  EXPECT_NE(late.error_message().find("2024-03 is closed"), std::string::npos)
      << late.error_message();
  v1::CorrectInvestmentRequest correct;
  correct.set_name(early.name());
  correct.set_delta(-100);
  correct.set_reason("typo");
  v1::InvestmentEntry corrected;
  EXPECT_EQ(
      investments()
          .CorrectInvestment(ContextWithToken(lead).get(), correct, &corrected)
          .error_code(),
      StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(IsOk(LogMonth(lead, 4)));  // other months are open
  EXPECT_EQ(ListLedger("projects/mine").entries.size(), 2u);

  // Reopening needs a manager and a reason; then the late entry goes in.
  EXPECT_EQ(Reopen(lead, "2024-03", "late").error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(testing::IsFieldError(Reopen(manager, "2024-03", " "),
                                    StatusCode::INVALID_ARGUMENT, "reason"));
  ASSERT_TRUE(IsOk(Reopen(manager, "2024-03", "county office filed late")));
  EXPECT_TRUE(IsOk(LogMonth(lead, 3)));
  EXPECT_EQ(ListLedger("projects/mine").entries.size(), 3u);

  const std::vector<v1::AuditEvent> events = Audit("user = manager-zhao");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].method(), "/portfolio.v1.InvestmentService/ReopenPeriod");
  EXPECT_EQ(events[0].resource(), "periods/2024-03");
  EXPECT_NE(events[0].detail().find("county office filed late"),
            std::string::npos)
      << events[0].detail();
}

TEST_F(PeriodsTest, ClosingIsIdempotentAndTheFutureCannotBeClosed) {
  v1::ReportingPeriod first, second;
  ASSERT_TRUE(IsOk(Close(admin_token(), "2024-05", &first)));
  clock().Set(clock().Now() + absl::Minutes(5));
  ASSERT_TRUE(IsOk(Close(admin_token(), "2024-05", &second)));
  EXPECT_EQ(second.close_time().seconds(), first.close_time().seconds());
  // Today is 2024-07-15 in the fixture.
  EXPECT_TRUE(testing::IsFieldError(Close(admin_token(), "2024-08"),
                                    StatusCode::INVALID_ARGUMENT, "name"));
  EXPECT_EQ(Reopen(admin_token(), "2024-06", "never closed").error_code(),
            StatusCode::FAILED_PRECONDITION);

  v1::ListPeriodsRequest list;
  list.set_filter("year = 2024");
  v1::ListPeriodsResponse listed;
  ASSERT_TRUE(IsOk(investments().ListPeriods(Context().get(), list, &listed)));
  ASSERT_EQ(listed.periods_size(), 1);
  EXPECT_EQ(listed.periods(0).name(), "periods/2024-05");
}

TEST_F(PeriodsTest, StatusNamesTheMissingReportOfTheLastClosedMonth) {
  SetPlan("mine", 2024, 1'200'000);
  SetPlan("theirs", 2024, 1'200'000);
  Log("mine", 2024, 5, 100'000);    // mine reported May
  Log("theirs", 2024, 6, 100'000);  // theirs reported June only
  ASSERT_TRUE(IsOk(Close(admin_token(), "2024-05")));

  v1::ListProjectStatusesRequest request;
  request.set_year(2024);
  request.set_as_of_month(6);
  request.set_filter("missing = true");
  v1::ListProjectStatusesResponse response;
  ASSERT_TRUE(IsOk(
      portfolios().ListProjectStatuses(Context().get(), request, &response)));
  ASSERT_EQ(response.project_statuses_size(), 1);
  const v1::ProjectStatus& theirs = response.project_statuses(0);
  EXPECT_EQ(theirs.project(), "projects/theirs");
  bool named = false;
  for (const v1::StatusReason& r : theirs.reasons()) {
    named |=
        r.code() == v1::StatusReason::CODE_MISSING_REPORT && r.value() == 5;
  }
  EXPECT_TRUE(named) << theirs.ShortDebugString();

  // And the rest: every project that is not missing it.
  request.set_filter("missing = false");
  response.Clear();
  ASSERT_TRUE(IsOk(
      portfolios().ListProjectStatuses(Context().get(), request, &response)));
  std::vector<std::string> reporting;
  for (const v1::ProjectStatus& s : response.project_statuses()) {
    reporting.push_back(s.project());
  }
  EXPECT_EQ(reporting, std::vector<std::string>{"projects/mine"});
}

}  // namespace
}  // namespace portfolio

namespace portfolio {
namespace {

class ChangeFeedTest : public AuthTest {
 protected:
  // The number of the newest audit event so far.
  int64_t NewestEvent() {
    v1::ListAuditEventsRequest request;
    request.set_page_size(1);
    v1::ListAuditEventsResponse response;
    EXPECT_TRUE(
        IsOk(admin().ListAuditEvents(Context().get(), request, &response)));
    if (response.audit_events().empty()) return 0;
    const std::string& name = response.audit_events(0).name();
    return std::stoll(name.substr(name.find('/') + 1));
  }

  // Reads `count` events from a feed started after `after`, then hangs up,
  // the way a dashboard that disconnects would.
  std::vector<v1::AuditEvent> Watch(int64_t after, size_t count) {
    v1::WatchChangesRequest request;
    request.set_after(after);
    auto context = Context();
    context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
    auto reader = admin().WatchChanges(context.get(), request);
    std::vector<v1::AuditEvent> events;
    v1::AuditEvent event;
    while (events.size() < count && reader->Read(&event)) {
      events.push_back(event);
    }
    context->TryCancel();
    reader->Finish().IgnoreError();
    return events;
  }

  static int64_t Number(const v1::AuditEvent& e) {
    return std::stoll(e.name().substr(e.name().find('/') + 1));
  }
};

TEST_F(ChangeFeedTest, AResumedClientGetsEveryChangeExactlyOnce) {
  const int64_t start = NewestEvent();
  std::vector<v1::AuditEvent> seen;
  // First connection: three changes made while it listens.
  std::thread writer([&] {
    for (int i = 1; i <= 3; ++i) Log("mine", 2024, i, 1000 * i);
  });
  std::vector<v1::AuditEvent> first = Watch(start, 3);
  writer.join();
  ASSERT_EQ(first.size(), 3u);
  seen.insert(seen.end(), first.begin(), first.end());

  // Disconnected: two changes and a refused call happen meanwhile.
  Log("mine", 2024, 4, 4000);
  Log("mine", 2024, 5, 5000);
  EXPECT_FALSE(LogAs("", "mine").ok());  // refused: not a change
  // Resumed from the last event received, with one more change live.
  std::thread later([&] { Log("mine", 2024, 6, 6000); });
  std::vector<v1::AuditEvent> second = Watch(Number(first.back()), 3);
  later.join();
  ASSERT_EQ(second.size(), 3u);
  seen.insert(seen.end(), second.begin(), second.end());

  // Six changes, each once, in order, and exactly the ledger's entries.
  std::set<std::string> resources;
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].outcome(), "OK");
    EXPECT_EQ(seen[i].method(),
              "/portfolio.v1.InvestmentService/LogInvestment");
    if (i > 0) {
      EXPECT_LT(Number(seen[i - 1]), Number(seen[i]));
    }
    resources.insert(seen[i].resource());
  }
  std::set<std::string> entries;
  for (const v1::InvestmentEntry& e : ListLedger("projects/mine").entries) {
    entries.insert(e.name());
  }
  EXPECT_EQ(resources, entries);
  EXPECT_EQ(resources.size(), 6u);
}

// Paging the trail newest first while changes keep arriving: each page
// continues below the last event of the one before, none repeats, and a
// token for another filter, or a made-up one, is refused.
TEST_F(ChangeFeedTest, PagesOfAGrowingTrailNeverRepeatAnEvent) {
  for (int i = 1; i <= 5; ++i) Log("mine", 2024, i, 1000 * i);
  const std::string filter = "project=mine";
  auto page = [&](const std::string& token, v1::ListAuditEventsResponse* out) {
    v1::ListAuditEventsRequest request;
    request.set_filter(filter);
    request.set_page_size(2);
    request.set_page_token(token);
    return admin().ListAuditEvents(Context().get(), request, out);
  };
  const int64_t newest_before = NewestEvent();
  std::vector<int64_t> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListAuditEventsResponse response;
    ASSERT_TRUE(IsOk(page(token, &response)));
    for (const v1::AuditEvent& e : response.audit_events()) {
      seen.push_back(Number(e));
    }
    token = response.next_page_token();
    // Between pages, more changes on the same project: by position, they
    // would push the events just read onto the next page again.
    Log("mine", 2024, 6, 100 + pages);
    ++pages;
  } while (!token.empty() && pages < 20);

  // Every event on the project up to the first page, each once, newest
  // first; the ones added while paging are on none of the pages.
  std::vector<int64_t> expected;
  for (const v1::AuditEvent& e : Audit(filter)) {
    if (Number(e) <= newest_before) expected.push_back(Number(e));
  }
  EXPECT_EQ(seen, expected);
  EXPECT_GE(seen.size(), 5u);
  EXPECT_EQ(pages, static_cast<int>((expected.size() + 1) / 2));

  // A token is bound to its filter, and an offset token is not one.
  v1::ListAuditEventsResponse first;
  ASSERT_TRUE(IsOk(page("", &first)));
  ASSERT_FALSE(first.next_page_token().empty());
  v1::ListAuditEventsRequest other;
  other.set_filter("project=theirs");
  other.set_page_token(first.next_page_token());
  v1::ListAuditEventsResponse refused;
  const grpc::Status status =
      admin().ListAuditEvents(Context().get(), other, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "page_token"))
      << status.error_message();
  v1::ListAuditEventsResponse made_up;
  EXPECT_EQ(page("bm90LWEtdG9rZW4", &made_up).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// A service may not list the audit trail, so its feed does not carry the
// admins' events about people and tokens either; the changes it is for
// still come, in order.
TEST_F(ChangeFeedTest, AServicesFeedLeavesOutPeopleAndTokens) {
  const std::string service = UserWithToken("bot", v1::USER_ROLE_SERVICE);
  const int64_t start = NewestEvent();
  UserWithToken("someone", v1::USER_ROLE_VIEWER);  // two admin events
  MakeLead("mine", "bot");
  ASSERT_TRUE(IsOk(LogAs(service, "mine", 3'000'000)));
  // People imported are people too; projects imported are changes.
  for (const auto& [kind, csv] :
       std::vector<std::pair<v1::ImportKind, std::string>>{
           {v1::IMPORT_KIND_USERS, "id,role\nimported-one,viewer\n"},
           {v1::IMPORT_KIND_PROJECTS, "id,name\nimported-p,导入项目\n"}}) {
    v1::ImportRecordsRequest import;
    import.set_kind(kind);
    import.set_filename("f.csv");
    import.set_content(csv);
    v1::ImportRecordsResponse imported;
    ASSERT_TRUE(
        IsOk(portfolios().ImportRecords(Context().get(), import, &imported)));
  }

  v1::WatchChangesRequest request;
  request.set_after(start);
  auto context = ContextWithToken(service);
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto reader = admin().WatchChanges(context.get(), request);
  std::vector<std::string> methods;
  v1::AuditEvent event;
  while (methods.size() < 3 && reader->Read(&event)) {
    methods.push_back(event.method());
  }
  context->TryCancel();
  reader->Finish().IgnoreError();
  EXPECT_THAT(methods, ::testing::ElementsAre(
                           "/portfolio.v1.ProjectService/UpdateProject",
                           "/portfolio.v1.InvestmentService/LogInvestment",
                           "/portfolio.v1.PortfolioService/ImportRecords"));
  // The admin's own feed has them.
  const std::vector<v1::AuditEvent> all = Watch(start, 4);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].method(), "/portfolio.v1.AdminService/CreateUser");
}

// A cursor past the end of the trail was saved against another database:
// refused, rather than waited on while every event up to it goes by.
TEST_F(ChangeFeedTest, ACursorPastTheLastEventIsOutOfRange) {
  v1::WatchChangesRequest request;
  request.set_after(NewestEvent() + 1000);
  auto context = Context();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto reader = admin().WatchChanges(context.get(), request);
  v1::AuditEvent event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_TRUE(
      IsFieldError(reader->Finish(), StatusCode::OUT_OF_RANGE, "after"));
}

// A feed outlives the check its call began with. A token revoked while
// it streams ends the stream with UNAUTHENTICATED, and a change made after
// is not sent on it; a watcher demoted to a role that may not watch is
// refused the same way.
TEST_F(ChangeFeedTest, AFeedEndsWhenItsCallerMayNoLongerWatch) {
  const std::string service = UserWithToken("bot", v1::USER_ROLE_SERVICE);
  const std::string bot_token = last_token_name_;
  MakeLead("mine", "bot");
  const int64_t start = NewestEvent();
  ASSERT_TRUE(IsOk(LogAs(service, "mine", 3'000'000)));

  v1::WatchChangesRequest request;
  request.set_after(start);
  auto context = ContextWithToken(service);
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  auto reader = admin().WatchChanges(context.get(), request);
  v1::AuditEvent event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.method(), "/portfolio.v1.InvestmentService/LogInvestment");

  v1::RevokeTokenRequest revoke;
  revoke.set_name(bot_token);
  v1::Token revoked;
  ASSERT_TRUE(IsOk(admin().RevokeToken(Context().get(), revoke, &revoked)));
  v1::LogInvestmentRequest later;
  later.set_parent("projects/mine");
  later.mutable_period()->set_year(2024);
  later.mutable_period()->set_month(7);
  later.set_amount(5'000'000);
  v1::InvestmentEntry entry;
  ASSERT_TRUE(
      IsOk(investments().LogInvestment(Context().get(), later, &entry)));
  std::vector<std::string> after_revocation;
  while (reader->Read(&event)) after_revocation.push_back(event.method());
  EXPECT_THAT(after_revocation, ::testing::IsEmpty());
  EXPECT_EQ(reader->Finish().error_code(), StatusCode::UNAUTHENTICATED);

  const std::string manager = UserWithToken("mgr", v1::USER_ROLE_MANAGER);
  auto manager_context = ContextWithToken(manager);
  manager_context->set_deadline(
      absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  request.set_after(NewestEvent());
  auto manager_reader = admin().WatchChanges(manager_context.get(), request);
  v1::UpdateUserRequest demote;
  demote.mutable_user()->set_name("users/mgr");
  demote.mutable_user()->set_role(v1::USER_ROLE_LEAD);
  demote.mutable_update_mask()->add_paths("role");
  v1::User demoted;
  ASSERT_TRUE(IsOk(admin().UpdateUser(Context().get(), demote, &demoted)));
  std::vector<std::string> after_demotion;
  while (manager_reader->Read(&event)) after_demotion.push_back(event.method());
  EXPECT_THAT(after_demotion, ::testing::IsEmpty());
  EXPECT_EQ(manager_reader->Finish().error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(ChangeFeedTest, ALeadMayNotWatch) {
  const std::string lead = UserWithToken("lead-li", v1::USER_ROLE_LEAD);
  v1::WatchChangesRequest request;
  auto context = ContextWithToken(lead);
  auto reader = admin().WatchChanges(context.get(), request);
  v1::AuditEvent event;
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_EQ(reader->Finish().error_code(), StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace portfolio
