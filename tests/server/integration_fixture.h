// Shared setup of the integration tests: a real PortfolioServer on a
// loopback port 0 over a real SQLite file in a fresh directory, a fake clock
// standing at 2024-07-15 12:00 in the district's time zone, the four
// generated stubs, and helpers that make the common calls and expect them
// to succeed.
//
// Tests talk to the server only through gRPC, as a client would.
#ifndef PORTFOLIO_TESTS_SERVER_INTEGRATION_FIXTURE_H_
#define PORTFOLIO_TESTS_SERVER_INTEGRATION_FIXTURE_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "portfolio/v1/admin.grpc.pb.h"
#include "portfolio/v1/service.grpc.pb.h"
#include "server/server.h"
#include "tests/support/temp_dir.h"

namespace portfolio::testing {

// Every call's deadline.
inline constexpr absl::Duration kCallDeadline = absl::Seconds(10);

// "Today" in every test: 2024-07-15, so the last complete month is June
// and the current reporting period is 2024-07.
inline constexpr int kThisYear = 2024;
inline constexpr int kThisMonth = 7;
inline constexpr int kToday = 15;

// 2024-07-15 12:00 in the district's time zone (UTC+8).
absl::Time TestNow();

// Success when `status` is OK; otherwise a failure showing its code and
// message.
::testing::AssertionResult IsOk(const grpc::Status& status);

// Success when `status` has `code` and its message contains `text`.
::testing::AssertionResult HasError(const grpc::Status& status,
                                    grpc::StatusCode code,
                                    absl::string_view text);

// The field named by the first violation of the google.rpc.BadRequest in
// the error details of `status` (a google.rpc.Status in error_details()), or
// "" when there is none.
std::string ViolatedField(const grpc::Status& status);

// HasError(status, code, field), and the error details (a google.rpc.Status
// in error_details()) hold a google.rpc.BadRequest whose first field
// violation is exactly `field`.
::testing::AssertionResult IsFieldError(const grpc::Status& status,
                                        grpc::StatusCode code,
                                        absl::string_view field);

// A google.type.Date.
google::type::Date MakeDate(int year, int month, int day);

// A project's level in one year.
v1::YearLevel MakeLevel(int year, v1::ProjectLevel level);

// A fresh server per test, and helpers over its API. Each helper expects
// its call to succeed (a failure is recorded with EXPECT, and the helper
// returns whatever the call left in the response).
class IntegrationTest : public ::testing::Test {
 protected:
  IntegrationTest();
  ~IntegrationTest() override;

  void SetUp() override;
  void TearDown() override;

  // Whether the server's first start seeds the report's dataset. Default:
  // false, so every test starts from an empty database.
  virtual bool Seeded() const { return false; }

  // Starts a server over data_dir() and connects the stubs to it.
  void StartServer(bool seed);
  // Drops the stubs and shuts the server down, closing its database.
  void StopServer();

  // A client context whose deadline is kCallDeadline from now, carrying
  // the admin token the server wrote on its first start.
  static std::unique_ptr<grpc::ClientContext> Context();
  // The same, carrying `token` instead ("" for none).
  static std::unique_ptr<grpc::ClientContext> ContextWithToken(
      const std::string& token);
  // The admin token of this test's database.
  const std::string& admin_token() const { return admin_token_; }

  const std::string& data_dir() const { return dir_.path(); }
  FakeClock& clock() { return clock_; }
  PortfolioServer& server() { return *server_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

  v1::ProjectService::Stub& projects() { return *projects_; }
  v1::InvestmentService::Stub& investments() { return *investments_; }
  v1::IndicatorService::Stub& indicators() { return *indicators_; }
  v1::ProblemService::Stub& problems() { return *problems_; }
  v1::PortfolioService::Stub& portfolios() { return *portfolios_; }
  v1::AdminService::Stub& admin() { return *admin_; }

  // --- Projects -----------------------------------------------------------

  // Creates `projects/{id}` from `fields` (display_name defaults to
  // "Project {id}" when empty).
  v1::Project CreateProject(const std::string& id,
                            v1::Project fields = v1::Project());
  v1::Project GetProject(const std::string& id);

  // Sets the plan of `projects/{project}/plans/{year}` (created when
  // missing); an empty `monthly` asks for the even split.
  v1::AnnualPlan SetPlan(const std::string& project, int year, int64_t amount,
                         const std::vector<int64_t>& monthly = {});

  // Creates a milestone of `kind` planned on `planned`.
  v1::Milestone AddMilestone(const std::string& project, v1::MilestoneKind kind,
                             const google::type::Date& planned);

  // --- Ledger -------------------------------------------------------------

  // Logs `amount` yuan for year-month on `projects/{project}`.
  v1::InvestmentEntry Log(const std::string& project, int year, int month,
                          int64_t amount, const std::string& request_id = "");

  // Every entry under `parent` matching `filter`, following page tokens,
  // and the total_amount the first page reports.
  struct Ledger {
    std::vector<v1::InvestmentEntry> entries;
    int64_t total_amount = 0;
  };
  Ledger ListLedger(const std::string& parent = "projects/-",
                    const std::string& filter = "");

  // --- Indicators and portfolios -------------------------------------------

  // Creates `indicators/{id}` from `fields` (display_name defaults to the
  // id when empty).
  v1::Indicator CreateIndicator(const std::string& id,
                                v1::Indicator fields = v1::Indicator());

  // Creates or replaces the targets of `portfolios/{year}` with `fields`
  // (every field, allow_missing).
  v1::Portfolio SetPortfolio(int year, v1::Portfolio fields);

 private:
  FakeClock clock_;
  TempDir dir_;
  std::unique_ptr<PortfolioServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ProjectService::Stub> projects_;
  std::unique_ptr<v1::InvestmentService::Stub> investments_;
  std::unique_ptr<v1::IndicatorService::Stub> indicators_;
  std::unique_ptr<v1::ProblemService::Stub> problems_;
  std::unique_ptr<v1::PortfolioService::Stub> portfolios_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::string admin_token_;
};

}  // namespace portfolio::testing

#endif  // PORTFOLIO_TESTS_SERVER_INTEGRATION_FIXTURE_H_
