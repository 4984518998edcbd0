// `periods close | reopen | list` and `status --missing`: parsing against
// the real command table, and the calls made to in-process fake services on
// port 0.
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "client/command_line.h"
#include "client/commands.h"
#include "client/errors.h"
#include "client/rpc.h"
#include "common/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

// 2024-03-31 02:00 UTC+8.
constexpr int64_t kCloseSeconds = 1711821600;

class FakeInvestments final : public v1::InvestmentService::Service {
 public:
  grpc::Status ClosePeriod(grpc::ServerContext*,
                           const v1::ClosePeriodRequest* request,
                           v1::ReportingPeriod* response) override {
    closes.push_back(*request);
    response->set_name(request->name());
    response->mutable_period()->set_year(2024);
    response->mutable_period()->set_month(3);
    response->set_closed(true);
    response->set_closed_by("li");
    response->mutable_close_time()->set_seconds(kCloseSeconds);
    return grpc::Status::OK;
  }

  grpc::Status ReopenPeriod(grpc::ServerContext*,
                            const v1::ReopenPeriodRequest* request,
                            v1::ReportingPeriod* response) override {
    reopens.push_back(*request);
    if (request->name() != "periods/2024-03") {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "2024-04 is not closed");
    }
    response->set_name(request->name());
    response->mutable_period()->set_year(2024);
    response->mutable_period()->set_month(3);
    response->set_closed_by("li");
    response->mutable_close_time()->set_seconds(kCloseSeconds);
    response->set_reopened_by("li");
    response->mutable_reopen_time()->set_seconds(kCloseSeconds + 86400);
    response->set_reopen_reason(request->reason());
    return grpc::Status::OK;
  }

  // Two periods, one per page: 2024-01 closed, 2024-02 reopened.
  grpc::Status ListPeriods(grpc::ServerContext*,
                           const v1::ListPeriodsRequest* request,
                           v1::ListPeriodsResponse* response) override {
    filters.push_back(request->filter());
    v1::ReportingPeriod* p = response->add_periods();
    p->mutable_period()->set_year(2024);
    p->set_closed_by("li");
    p->mutable_close_time()->set_seconds(kCloseSeconds);
    if (request->page_token().empty()) {
      p->set_name("periods/2024-01");
      p->mutable_period()->set_month(1);
      p->set_closed(true);
      response->set_next_page_token("next");
    } else {
      p->set_name("periods/2024-02");
      p->mutable_period()->set_month(2);
      p->set_reopened_by("wang");
      p->mutable_reopen_time()->set_seconds(kCloseSeconds + 3600);
      p->set_reopen_reason("补录");
    }
    return grpc::Status::OK;
  }

  std::vector<v1::ClosePeriodRequest> closes;
  std::vector<v1::ReopenPeriodRequest> reopens;
  std::vector<std::string> filters;
};

class FakePortfolios final : public v1::PortfolioService::Service {
 public:
  grpc::Status ListProjectStatuses(
      grpc::ServerContext*, const v1::ListProjectStatusesRequest* request,
      v1::ListProjectStatusesResponse*) override {
    filters.push_back(request->filter());
    return grpc::Status::OK;
  }

  std::vector<std::string> filters;
};

class PeriodsCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&investments_);
    builder.RegisterService(&portfolios_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    rpc_ = std::make_unique<RpcClient>(
        Connection{absl::StrCat("127.0.0.1:", port), "--addr", "tok"},
        absl::Seconds(5));
    ctx_.rpc = rpc_.get();
    ctx_.out = &out_;
    ctx_.clock = &clock_;
  }
  void TearDown() override { server_->Shutdown(); }

  // Parses `argv` against the real command table and runs the command.
  absl::Status Run(const std::vector<std::string>& argv) {
    absl::StatusOr<Invocation> invocation = ParseInvocation(argv, commands_);
    if (!invocation.ok()) return invocation.status();
    ctx_.format = invocation->global.output;
    ctx_.global = &invocation->global;
    const absl::Status status =
        invocation->command->run(invocation->args, ctx_);
    ctx_.global = nullptr;
    return status;
  }

  const std::vector<CommandSpec> commands_ = AllCommands();
  FakeInvestments investments_;
  FakePortfolios portfolios_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<RpcClient> rpc_;
  FakeClock clock_{absl::FromCivil(absl::CivilMinute(2024, 4, 2, 9, 0),
                                   absl::UTCTimeZone())};
  std::ostringstream out_;
  CommandContext ctx_;
};

TEST_F(PeriodsCommandsTest, CloseAcceptsThePeriodAsPeopleWriteIt) {
  for (const char* text : {"2024-03", "2024-3", "2024年3月", "2024/03",
                           "202403", "periods/2024-03"}) {
    ASSERT_TRUE(Run({"periods", "close", text}).ok()) << text;
  }
  ASSERT_EQ(investments_.closes.size(), 6u);
  for (const v1::ClosePeriodRequest& close : investments_.closes) {
    EXPECT_EQ(close.name(), "periods/2024-03");
    EXPECT_FALSE(close.request_id().empty());  // generated when not given
  }
}

TEST_F(PeriodsCommandsTest, ClosePrintsWhoAndWhenInTheDistrict) {
  ASSERT_TRUE(Run({"periods", "close", "2024-03", "--request-id", "r1"}).ok());
  ASSERT_EQ(investments_.closes.size(), 1u);
  EXPECT_EQ(investments_.closes[0].request_id(), "r1");
  const std::string text = out_.str();
  EXPECT_NE(text.find("2024-03"), std::string::npos) << text;
  EXPECT_NE(text.find("已关闭 closed"), std::string::npos) << text;
  EXPECT_NE(text.find("li"), std::string::npos) << text;
  EXPECT_NE(text.find("2024-03-31 02:00"), std::string::npos) << text;
}

TEST_F(PeriodsCommandsTest, CloseJsonCarriesTheRequestId) {
  ASSERT_TRUE(
      Run({"periods", "close", "2024-03", "--request-id", "r1", "-o", "json"})
          .ok());
  const std::string text = out_.str();
  EXPECT_NE(text.find("\"name\": \"periods/2024-03\""), std::string::npos)
      << text;
  EXPECT_NE(text.find("\"request_id\": \"r1\""), std::string::npos) << text;
}

TEST_F(PeriodsCommandsTest, BadPeriodsAreUsageErrorsBeforeAnyCall) {
  for (const char* text :
       {"2024-13", "2024", "march", "1999-03", "projects/2024-03"}) {
    const absl::Status status = Run({"periods", "close", text});
    EXPECT_EQ(ExitCodeOf(status), ExitCode::kUsage) << text << ": " << status;
  }
  EXPECT_EQ(ExitCodeOf(Run({"periods", "close"})), ExitCode::kUsage);
  EXPECT_EQ(ExitCodeOf(Run({"periods", "close", "2024-03", "2024-04"})),
            ExitCode::kUsage);
  EXPECT_EQ(ExitCodeOf(Run({"periods", "shut", "2024-03"})), ExitCode::kUsage);
  EXPECT_TRUE(investments_.closes.empty());
}

TEST_F(PeriodsCommandsTest, ReopenWithoutAReasonIsAUsageError) {
  const absl::Status missing = Run({"periods", "reopen", "2024-03"});
  EXPECT_EQ(ExitCodeOf(missing), ExitCode::kUsage) << missing;
  EXPECT_NE(missing.message().find("--reason"), std::string::npos) << missing;
  const absl::Status blank =
      Run({"periods", "reopen", "2024-03", "--reason", "  "});
  EXPECT_EQ(ExitCodeOf(blank), ExitCode::kUsage) << blank;
  EXPECT_EQ(ExitCodeOf(Run({"periods", "reopen", "2024-03", "--reason"})),
            ExitCode::kUsage);
  EXPECT_TRUE(investments_.reopens.empty());
}

TEST_F(PeriodsCommandsTest, ReopenSendsTheReasonAndPrintsIt) {
  ASSERT_TRUE(Run({"periods", "reopen", "2024年3月", "--reason", "补录",
                   "--request-id", "r2"})
                  .ok());
  ASSERT_EQ(investments_.reopens.size(), 1u);
  const v1::ReopenPeriodRequest& reopen = investments_.reopens[0];
  EXPECT_EQ(reopen.name(), "periods/2024-03");
  EXPECT_EQ(reopen.reason(), "补录");
  EXPECT_EQ(reopen.request_id(), "r2");
  const std::string text = out_.str();
  EXPECT_NE(text.find("已重开 reopened"), std::string::npos) << text;
  EXPECT_NE(text.find("2024-04-01 02:00"), std::string::npos) << text;
  EXPECT_NE(text.find("补录"), std::string::npos) << text;
}

TEST_F(PeriodsCommandsTest, ReopenOfAnOpenMonthIsRefused) {
  const absl::Status status =
      Run({"periods", "reopen", "2024-04", "--reason", "x"});
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kRefused) << status;
}

TEST_F(PeriodsCommandsTest, ListFollowsEveryPageWithTheYearFilter) {
  ASSERT_TRUE(Run({"periods", "list", "--year", "2024年"}).ok());
  ASSERT_EQ(investments_.filters.size(), 2u);
  EXPECT_EQ(investments_.filters[0], "year = 2024");
  const std::string text = out_.str();
  EXPECT_NE(text.find("2024-01"), std::string::npos) << text;
  EXPECT_NE(text.find("2024-02"), std::string::npos) << text;
  EXPECT_NE(text.find("已关闭 closed"), std::string::npos) << text;
  EXPECT_NE(text.find("已重开 reopened"), std::string::npos) << text;
  EXPECT_NE(text.find("wang"), std::string::npos) << text;
  EXPECT_NE(text.find("补录"), std::string::npos) << text;
}

TEST_F(PeriodsCommandsTest, ListCsvHasMachineStates) {
  ASSERT_TRUE(Run({"periods", "list", "-o", "csv"}).ok());
  EXPECT_EQ(investments_.filters[0], "");
  const std::string text = out_.str();
  EXPECT_EQ(text.rfind("period,state,closed_by,close_time,reopened_by,"
                       "reopen_time,reopen_reason\n",
                       0),
            0u)
      << text;
  EXPECT_NE(text.find("2024-01,closed,li,"), std::string::npos) << text;
  EXPECT_NE(text.find("2024-02,reopened,li,"), std::string::npos) << text;
}

TEST_F(PeriodsCommandsTest, ListLimitStopsEarly) {
  ASSERT_TRUE(Run({"periods", "list", "--limit", "1"}).ok());
  EXPECT_EQ(investments_.filters.size(), 1u);
  EXPECT_NE(out_.str().find("raise --limit"), std::string::npos) << out_.str();
  EXPECT_EQ(ExitCodeOf(Run({"periods", "list", "--year", "24"})),
            ExitCode::kUsage);
}

TEST_F(PeriodsCommandsTest, StatusMissingIsAndedIntoTheFilter) {
  ASSERT_TRUE(Run({"status", "--missing"}).ok());
  ASSERT_TRUE(
      Run({"status", "--red", "--missing", "--filter", "level = PROVINCIAL"})
          .ok());
  ASSERT_TRUE(Run({"status", "--amber"}).ok());
  ASSERT_EQ(portfolios_.filters.size(), 3u);
  EXPECT_EQ(portfolios_.filters[0], "missing = true");
  EXPECT_EQ(portfolios_.filters[1],
            "rag = RED AND missing = true AND level = PROVINCIAL");
  EXPECT_EQ(portfolios_.filters[2], "rag = AMBER");
  EXPECT_EQ(ExitCodeOf(Run({"status", "--missing=yes"})), ExitCode::kUsage);
}

// A filter that matches nothing says so, rather than printing a bare
// header that reads like output cut short; CSV and JSON stay data only.
TEST_F(PeriodsCommandsTest, AListThatMatchesNothingSaysSo) {
  ASSERT_TRUE(Run({"status", "--red", "--filter", "park = nowhere"}).ok());
  EXPECT_NE(out_.str().find("nothing matches"), std::string::npos)
      << out_.str();
  out_.str("");
  ASSERT_TRUE(Run({"status", "--red", "-o", "csv"}).ok());
  EXPECT_EQ(out_.str().find("nothing matches"), std::string::npos)
      << out_.str();
  out_.str("");
  ASSERT_TRUE(Run({"status", "--red", "-o", "json"}).ok());
  EXPECT_EQ(out_.str().find("nothing matches"), std::string::npos)
      << out_.str();
}

}  // namespace
}  // namespace portfolio::client
