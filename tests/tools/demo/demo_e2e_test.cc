// portfolio-demo end to end: the real binary writes a demo into a fresh
// directory, the real portfolio-server serves it, and the checks are made
// over gRPC as any client would.
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "portfolio/v1/service.grpc.pb.h"
#include "tests/support/certs.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

using ::portfolio::testing::RunResult;
using ::portfolio::testing::ServerProcess;
using ::portfolio::testing::TempDir;

constexpr char kMark[] = "[演示 demo]";

absl::Time District(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d),
                         absl::FixedTimeZone(8 * 3600));
}

absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// A demo generated into its own directory and served by the real server.
class Demo {
 public:
  // Runs portfolio-demo with `args` into a fresh directory and, when it
  // succeeds, serves the result. `took` is how long generation took.
  explicit Demo(const std::vector<std::string>& args) {
    Generate(args);
    if (run_.exit_code != 0) return;
    Serve();
  }

  // Runs portfolio-demo again on the same directory (stopping the server
  // first, as scripts/dev does) and serves the new demo.
  void Regenerate(const std::vector<std::string>& args) {
    server_.reset();
    Generate(args);
    if (run_.exit_code == 0) Serve();
  }

  const RunResult& run() const { return run_; }
  absl::Duration took() const { return took_; }
  std::string data_dir() const { return dir_.File("demo"); }
  bool serving() const { return server_ != nullptr; }

  template <typename Request, typename Response, typename Stub>
  grpc::Status Call(Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Request&, Response*),
                    const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    context.AddMetadata("authorization", "Bearer " + token_);
    return (stub.*method)(&context, request, response);
  }

  v1::PortfolioSummary Summary(
      int as_of_month,
      v1::SummaryDimension by = v1::SUMMARY_DIMENSION_UNSPECIFIED,
      absl::Time known_at = absl::InfinitePast()) {
    v1::GetPortfolioSummaryRequest request;
    request.set_year(2024);
    request.set_as_of_month(as_of_month);
    request.set_group_by(by);
    if (known_at != absl::InfinitePast()) {
      request.mutable_as_known_at()->set_seconds(absl::ToUnixSeconds(known_at));
    }
    v1::PortfolioSummary summary;
    const grpc::Status s =
        Call(*portfolios_, &v1::PortfolioService::Stub::GetPortfolioSummary,
             request, &summary);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return summary;
  }

  std::vector<v1::ProjectStatus> Statuses(int as_of_month) {
    std::vector<v1::ProjectStatus> all;
    v1::ListProjectStatusesRequest request;
    request.set_year(2024);
    request.set_as_of_month(as_of_month);
    request.set_page_size(1000);
    v1::ListProjectStatusesResponse page;
    const grpc::Status s =
        Call(*portfolios_, &v1::PortfolioService::Stub::ListProjectStatuses,
             request, &page);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(page.next_page_token().empty());
    all.assign(page.project_statuses().begin(), page.project_statuses().end());
    return all;
  }

  // Every 2024 ledger entry and the total the server reports for them.
  v1::ListInvestmentEntriesResponse Ledger() {
    v1::ListInvestmentEntriesResponse all;
    v1::ListInvestmentEntriesRequest request;
    request.set_parent("projects/-");
    request.set_filter("year = 2024");
    request.set_page_size(1000);
    do {
      v1::ListInvestmentEntriesResponse page;
      const grpc::Status s = Call(
          *investments_, &v1::InvestmentService::Stub::ListInvestmentEntries,
          request, &page);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) break;
      if (request.page_token().empty())
        all.set_total_amount(page.total_amount());
      for (const auto& e : page.investment_entries()) {
        *all.add_investment_entries() = e;
      }
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return all;
  }

  std::vector<v1::AnnualPlan> Revisions(const std::string& project) {
    v1::ListAnnualPlanRevisionsRequest request;
    request.set_name(project + "/plans/2024");
    request.set_page_size(1000);
    v1::ListAnnualPlanRevisionsResponse response;
    const grpc::Status s =
        Call(*projects_, &v1::ProjectService::Stub::ListAnnualPlanRevisions,
             request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {response.annual_plans().begin(), response.annual_plans().end()};
  }

  std::vector<v1::ReportingPeriod> Periods() {
    v1::ListPeriodsRequest request;
    request.set_filter("year = 2024");
    request.set_page_size(1000);
    v1::ListPeriodsResponse response;
    const grpc::Status s =
        Call(*investments_, &v1::InvestmentService::Stub::ListPeriods, request,
             &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {response.periods().begin(), response.periods().end()};
  }

  std::vector<v1::Problem> Problems() {
    v1::ListProblemsRequest request;
    request.set_parent("projects/-");
    request.set_page_size(1000);
    v1::ListProblemsResponse response;
    const grpc::Status s =
        Call(*problems_, &v1::ProblemService::Stub::ListProblems, request,
             &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return {response.problems().begin(), response.problems().end()};
  }

 private:
  void Generate(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {PORTFOLIO_DEMO_BIN, "--data-dir",
                                     data_dir()};
    argv.insert(argv.end(), args.begin(), args.end());
    const absl::Time start = absl::Now();
    run_ = testing::Run(argv);
    took_ = absl::Now() - start;
  }

  void Serve() {
    auto server = ServerProcess::Start(
        PORTFOLIO_SERVER_BIN,
        {"--data-dir", data_dir(), "--listen", "127.0.0.1:0"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    std::ifstream in(data_dir() + "/admin.token");
    std::getline(in, token_);
    ASSERT_FALSE(token_.empty());
    auto channel = grpc::CreateChannel(server_->address(),
                                       grpc::InsecureChannelCredentials());
    portfolios_ = v1::PortfolioService::NewStub(channel);
    investments_ = v1::InvestmentService::NewStub(channel);
    projects_ = v1::ProjectService::NewStub(channel);
    problems_ = v1::ProblemService::NewStub(channel);
  }

  TempDir dir_;
  RunResult run_;
  absl::Duration took_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_;
  std::unique_ptr<v1::PortfolioService::Stub> portfolios_;
  std::unique_ptr<v1::InvestmentService::Stub> investments_;
  std::unique_ptr<v1::ProjectService::Stub> projects_;
  std::unique_ptr<v1::ProblemService::Stub> problems_;
};

// One demo (seed 1 through August) shared by the read-only tests: it is
// generated once for the suite.
class DemoEndToEndTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    demo_ = new Demo({"--seed", "1", "--through", "2024-08"});
    std::printf("[ timing ] portfolio-demo --through 2024-08 took %.2f s\n",
                absl::ToDoubleSeconds(demo_->took()));
  }
  static void TearDownTestSuite() {
    delete demo_;
    demo_ = nullptr;
  }
  void SetUp() override {
    ASSERT_EQ(demo_->run().exit_code, 0) << demo_->run().err;
    ASSERT_TRUE(demo_->serving());
  }

  static Demo* demo_;
};

Demo* DemoEndToEndTest::demo_ = nullptr;

TEST_F(DemoEndToEndTest, SaysItIsSynthetic) {
  const std::string label = demo_->Summary(8).dataset_label();
  EXPECT_TRUE(absl::StrContains(label, "SYNTHETIC")) << label;
  EXPECT_TRUE(absl::StrContains(label, "合成演示数据")) << label;
  EXPECT_TRUE(absl::StrContains(label, "--seed 1")) << label;
  EXPECT_TRUE(absl::StrContains(demo_->run().out, label)) << demo_->run().out;
  struct stat st;
  EXPECT_EQ(stat((demo_->data_dir() + "/SYNTHETIC-DEMO-DATA.txt").c_str(), &st),
            0);
}

TEST_F(DemoEndToEndTest, CompletedToDateIsTheLedgerTotalToTheYuan) {
  const v1::ListInvestmentEntriesResponse ledger = demo_->Ledger();
  int64_t sum = 0;
  for (const auto& e : ledger.investment_entries()) sum += e.amount();
  EXPECT_EQ(sum, ledger.total_amount());
  EXPECT_GT(ledger.total_amount(), 0);
  // A past year is judged as of December: every entry of the year.
  EXPECT_EQ(demo_->Summary(12).totals().completed_to_date(),
            ledger.total_amount());
  // Nothing is reported for months after August.
  EXPECT_EQ(demo_->Summary(8).totals().completed_to_date(),
            ledger.total_amount());
  // Plans are near the report's 110亿 target.
  const v1::PortfolioSummary s = demo_->Summary(8);
  EXPECT_GT(s.totals().annual_plan(), 9000000000);
  EXPECT_LT(s.totals().annual_plan(), 13000000000);
  EXPECT_EQ(s.totals().planned_project_count(), s.totals().project_count());
}

TEST_F(DemoEndToEndTest, SomeProjectsAreRedWithReasonsAndSomeGreen) {
  int red = 0, green = 0, behind = 0;
  for (const v1::ProjectStatus& p : demo_->Statuses(8)) {
    if (p.rag() == v1::RAG_RED) {
      ++red;
      EXPECT_GT(p.reasons_size(), 0) << p.project();
    }
    green += p.rag() == v1::RAG_GREEN;
    for (const auto& r : p.reasons()) {
      behind += r.code() == v1::StatusReason::CODE_BEHIND_PLAN &&
                r.rag() == v1::RAG_RED;
    }
  }
  EXPECT_GT(red, 0);
  EXPECT_GT(green, 0);
  EXPECT_GT(behind, 0);
}

TEST_F(DemoEndToEndTest, SomePlansWereRevisedInJulyWithReasons) {
  int revised = 0;
  for (const v1::ProjectStatus& p : demo_->Statuses(8)) {
    const std::vector<v1::AnnualPlan> revisions = demo_->Revisions(p.project());
    ASSERT_FALSE(revisions.empty()) << p.project();
    EXPECT_EQ(revisions[0].revision(), 1);
    EXPECT_TRUE(revisions[0].revision_reason().empty());
    EXPECT_GE(FromProto(revisions[0].update_time()), District(2024, 1, 18));
    EXPECT_LT(FromProto(revisions[0].update_time()), District(2024, 2, 1));
    for (size_t i = 1; i < revisions.size(); ++i) {
      EXPECT_TRUE(absl::StartsWith(revisions[i].revision_reason(), kMark));
      EXPECT_GE(FromProto(revisions[i].update_time()), District(2024, 7, 1));
      EXPECT_LT(FromProto(revisions[i].update_time()), District(2024, 8, 1));
      EXPECT_EQ(revisions[i].updated_by(), "demo-manager");
    }
    revised += revisions.size() > 1;
  }
  EXPECT_GT(revised, 0);
}

TEST_F(DemoEndToEndTest, MonthsAreClosedAndOneWasReopenedForALateReport) {
  const std::vector<v1::ReportingPeriod> periods = demo_->Periods();
  ASSERT_EQ(periods.size(), 8u);
  int reopened = 0;
  for (const v1::ReportingPeriod& p : periods) {
    EXPECT_TRUE(p.closed()) << p.name();
    EXPECT_EQ(p.closed_by(), "demo-manager");
    EXPECT_LT(FromProto(p.close_time()), District(2024, 10, 1));
    if (!p.reopen_reason().empty()) {
      ++reopened;
      EXPECT_TRUE(absl::StartsWith(p.reopen_reason(), kMark));
    }
  }
  EXPECT_EQ(reopened, 1);
  int late = 0;
  const v1::ListInvestmentEntriesResponse ledger = demo_->Ledger();
  for (const auto& e : ledger.investment_entries()) {
    late += absl::StrContains(e.note(), "补报");
  }
  EXPECT_EQ(late, 1);
}

TEST_F(DemoEndToEndTest, ProblemsAreInEveryState) {
  std::set<v1::ProblemState> states;
  int escalated = 0;
  for (const v1::Problem& p : demo_->Problems()) {
    states.insert(p.state());
    EXPECT_TRUE(absl::StartsWith(p.description(), kMark)) << p.description();
    EXPECT_TRUE(absl::StartsWith(p.opened_by(), "demo-lead-"));
    EXPECT_LT(FromProto(p.create_time()), District(2024, 10, 1));
    escalated += p.escalation() == v1::ESCALATION_LEVEL_CITY ||
                 p.escalation() == v1::ESCALATION_LEVEL_PROVINCE;
  }
  EXPECT_EQ(states, (std::set<v1::ProblemState>{v1::PROBLEM_STATE_OPEN,
                                                v1::PROBLEM_STATE_ASSIGNED,
                                                v1::PROBLEM_STATE_RESOLVED}));
  EXPECT_GT(escalated, 0);
}

// Every entry is stamped with a simulated 2024 time, so "as known at" an
// instant of the year gives what had been reported by then.
TEST_F(DemoEndToEndTest, AsKnownAtAPastInstantShowsWhatWasReportedByThen) {
  const absl::Time known_at = District(2024, 5, 1);
  const v1::ListInvestmentEntriesResponse ledger = demo_->Ledger();
  int64_t expected = 0;
  for (const auto& e : ledger.investment_entries()) {
    const absl::Time reported = FromProto(e.report_time());
    EXPECT_GE(reported, District(2024, 2, 1)) << e.name();
    EXPECT_LT(reported, District(2024, 10, 1)) << e.name();
    EXPECT_TRUE(absl::StartsWith(e.reported_by(), "demo-lead-"));
    EXPECT_TRUE(
        absl::StartsWith(e.corrects().empty() ? e.note() : e.reason(), kMark))
        << e.name();
    if (e.period().month() <= 4 && reported <= known_at) expected += e.amount();
  }
  const v1::PortfolioSummary then =
      demo_->Summary(4, v1::SUMMARY_DIMENSION_UNSPECIFIED, known_at);
  EXPECT_GT(expected, 0);
  EXPECT_EQ(then.totals().completed_to_date(), expected);
  // Reports for April came in May: known later, not on 1 May.
  EXPECT_LT(then.totals().completed_to_date(),
            demo_->Summary(4).totals().completed_to_date());
}

// What two demos are compared by: the figures, not when they were read.
std::string Figures(Demo& demo) {
  v1::PortfolioSummary by_lead = demo.Summary(8, v1::SUMMARY_DIMENSION_LEAD);
  by_lead.clear_as_known_at();
  std::string figures = by_lead.SerializeAsString();
  for (v1::ProjectStatus& p : demo.Statuses(8)) {
    p.clear_as_known_at();
    figures += p.SerializeAsString();
  }
  return figures;
}

TEST_F(DemoEndToEndTest, SameSeedSameDemoOtherSeedAnother) {
  Demo again({"--seed", "1", "--through", "2024-08"});
  ASSERT_EQ(again.run().exit_code, 0) << again.run().err;
  EXPECT_EQ(Figures(again), Figures(*demo_));
  EXPECT_EQ(again.Ledger().total_amount(), demo_->Ledger().total_amount());

  // A new seed replaces the earlier demo in the same directory.
  again.Regenerate({"--seed", "2", "--through", "2024-08"});
  ASSERT_EQ(again.run().exit_code, 0) << again.run().err;
  EXPECT_NE(Figures(again), Figures(*demo_));
  EXPECT_TRUE(absl::StrContains(again.Summary(8).dataset_label(), "--seed 2"));
}

TEST(DemoFullYearTest, DefaultsToTheWholeYear) {
  Demo demo({});
  std::printf("[ timing ] portfolio-demo (full year) took %.2f s\n",
              absl::ToDoubleSeconds(demo.took()));
  ASSERT_EQ(demo.run().exit_code, 0) << demo.run().err;
  ASSERT_TRUE(demo.serving());
  EXPECT_EQ(demo.Periods().size(), 12u);
  EXPECT_EQ(demo.Summary(12).totals().completed_to_date(),
            demo.Ledger().total_amount());
  EXPECT_TRUE(
      absl::StrContains(demo.Summary(12).dataset_label(), "--through 2024-12"));
}

// Every file in `dir`, by name, with its bytes.
std::map<std::string, std::string> Snapshot(
    const TempDir& dir, const std::vector<std::string>& names) {
  std::map<std::string, std::string> files;
  for (const std::string& name : names) {
    files[name] = testing::ReadWholeFile(dir.File(name));
  }
  return files;
}

TEST(DemoRefusalTest, NeverWritesIntoAServerSeededDatabase) {
  TempDir dir;
  {
    auto server = ServerProcess::Start(
        PORTFOLIO_SERVER_BIN,
        {"--data-dir", dir.File("data"), "--listen", "127.0.0.1:0"});
    ASSERT_TRUE(server.ok()) << server.status();
    ASSERT_EQ((*server)->Stop(SIGTERM).exit_code, 0);
  }
  const std::vector<std::string> files = {"data/portfolio.db",
                                          "data/admin.token"};
  const auto before = Snapshot(dir, files);
  ASSERT_FALSE(before.at("data/portfolio.db").empty());

  RunResult r = testing::Run(
      {PORTFOLIO_DEMO_BIN, "--data-dir", dir.File("data"), "--seed", "1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(r.err, "not a demo")) << r.err;
  EXPECT_EQ(Snapshot(dir, files), before);
  struct stat st;
  EXPECT_NE(stat(dir.File("data/SYNTHETIC-DEMO-DATA.txt").c_str(), &st), 0);

  // Nor when someone put the marker beside it: the database itself must
  // say it is a demo. (Telling needs the database opened, so only the
  // files beside it are compared byte for byte.)
  testing::WriteFile(dir.File("data/SYNTHETIC-DEMO-DATA.txt"), "fake\n");
  r = testing::Run({PORTFOLIO_DEMO_BIN, "--data-dir", dir.File("data")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(r.err, "not a demo database")) << r.err;
  EXPECT_EQ(Snapshot(dir, {"data/admin.token"}),
            (std::map<std::string, std::string>{
                {"data/admin.token", before.at("data/admin.token")}}));
  EXPECT_EQ(stat(dir.File("data/portfolio.db").c_str(), &st), 0);
}

TEST(DemoRefusalTest, BadFlagsAreUsageErrors) {
  TempDir dir;
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {},
           {"--data-dir", dir.File("d"), "--through", "2023-12"},
           {"--data-dir", dir.File("d"), "--seed", "-1"},
           {"--data-dir", dir.File("d"), "--colour"}}) {
    std::vector<std::string> argv = {PORTFOLIO_DEMO_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    const RunResult r = testing::Run(argv);
    EXPECT_EQ(r.exit_code, 2) << r.err;
  }
  struct stat st;
  EXPECT_NE(stat(dir.File("d").c_str(), &st), 0);
}

}  // namespace
}  // namespace portfolio
