// summary, status, bulletin and report against an in-process fake
// PortfolioService on port 0: what each sends (the snapshot above all) and
// what each prints or writes.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "client/commands.h"
#include "client/errors.h"
#include "client/rpc.h"
#include "client/snapshot.h"
#include "common/clock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/support/temp_dir.h"

namespace portfolio::client {
namespace {

using google::protobuf::util::MessageDifferencer;

// When the fake "reads" when asked for no instant.
google::protobuf::Timestamp ReadAt() {
  google::protobuf::Timestamp t;
  t.set_seconds(1720000000);
  t.set_nanos(123456000);
  return t;
}

void AddGroup(v1::PortfolioSummary* s, const std::string& key, int rank,
              int64_t completed) {
  v1::SummaryGroup* g = s->add_groups();
  g->set_key(key);
  g->set_rank(rank);
  g->mutable_figures()->set_project_count(3);
  g->mutable_figures()->set_planned_project_count(completed > 0 ? 3 : 0);
  g->mutable_figures()->set_annual_plan(completed * 2);
  g->mutable_figures()->set_completion_rate(completed > 0 ? 0.5 : 0);
  g->mutable_figures()->set_completed_to_date(completed);
  g->mutable_figures()->set_start_due_count(4);
  g->mutable_figures()->set_started_count(1);
  g->mutable_figures()->set_start_rate(0.25);
}

// Answers summaries for 2024 (as of June unless asked), echoing the
// snapshot asked for, and two red projects over two pages, stamped with
// the snapshot as the server stamps them (unless told to answer as a
// server too old to). Thread-safe: gRPC calls it on its own threads.
class FakePortfolios final : public v1::PortfolioService::Service {
 public:
  grpc::Status GetPortfolioSummary(grpc::ServerContext*,
                                   const v1::GetPortfolioSummaryRequest* req,
                                   v1::PortfolioSummary* resp) override {
    absl::MutexLock lock(&mu_);
    summaries_.push_back(*req);
    const int month = req->as_of_month() > 0 ? req->as_of_month() : 6;
    resp->set_year(req->year() > 0 ? req->year() : 2024);
    resp->set_as_of_month(month);
    resp->set_time_elapsed(month / 12.0);
    resp->set_group_by(req->group_by());
    *resp->mutable_as_known_at() =
        req->has_as_known_at() ? req->as_known_at() : ReadAt();
    resp->set_plan_basis(req->plan_basis() == v1::PLAN_BASIS_UNSPECIFIED
                             ? v1::PLAN_BASIS_CURRENT
                             : req->plan_basis());
    resp->set_dataset_label(dataset_label_);
    resp->mutable_totals()->set_annual_plan(120000000);
    resp->mutable_totals()->set_planned_to_date(int64_t{10000000} * month);
    resp->mutable_totals()->set_completed_to_date(int64_t{9000000} * month);
    switch (req->group_by()) {
      case v1::SUMMARY_DIMENSION_PARK:
        AddGroup(resp, "博平镇", 2, 1000000);
        AddGroup(resp, "", 0, 0);
        AddGroup(resp, "高铁新区", 1, 53000000);
        break;
      case v1::SUMMARY_DIMENSION_LEVEL:
        AddGroup(resp, "PROVINCIAL", 1, 30000000);
        AddGroup(resp, "CITY", 2, 24000000);
        break;
      case v1::SUMMARY_DIMENSION_CHAPTER:
        AddGroup(resp, "1", 1, 54000000);
        break;
      default:
        break;
    }
    return grpc::Status::OK;
  }

  grpc::Status ListProjectStatuses(
      grpc::ServerContext*, const v1::ListProjectStatusesRequest* req,
      v1::ListProjectStatusesResponse* resp) override {
    absl::MutexLock lock(&mu_);
    statuses_.push_back(*req);
    if (fail_statuses_) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no");
    }
    const bool first = req->page_token().empty();
    v1::ProjectStatus* s = resp->add_project_statuses();
    s->set_project(first ? "projects/p1" : "projects/p2");
    s->set_display_name(first ? "红一项目" : "红二项目");
    s->set_rag(v1::RAG_RED);
    s->add_reasons()->set_message(first ? "落后序时进度30个百分点"
                                        : "问题超期40天");
    if (stamp_statuses_) {
      *s->mutable_as_known_at() =
          req->has_as_known_at() ? req->as_known_at() : ReadAt();
      s->set_plan_basis(req->plan_basis() == v1::PLAN_BASIS_UNSPECIFIED
                            ? v1::PLAN_BASIS_CURRENT
                            : req->plan_basis());
    }
    if (first) resp->set_next_page_token("2");
    return grpc::Status::OK;
  }

  std::vector<v1::GetPortfolioSummaryRequest> summaries() {
    absl::MutexLock lock(&mu_);
    return summaries_;
  }
  std::vector<v1::ListProjectStatusesRequest> statuses() {
    absl::MutexLock lock(&mu_);
    return statuses_;
  }
  void set_fail_statuses() {
    absl::MutexLock lock(&mu_);
    fail_statuses_ = true;
  }
  // Answers statuses without as_known_at and plan_basis.
  void set_unstamped_statuses() {
    absl::MutexLock lock(&mu_);
    stamp_statuses_ = false;
  }
  void set_dataset_label(std::string label) {
    absl::MutexLock lock(&mu_);
    dataset_label_ = std::move(label);
  }

 private:
  absl::Mutex mu_;
  std::vector<v1::GetPortfolioSummaryRequest> summaries_ ABSL_GUARDED_BY(mu_);
  std::vector<v1::ListProjectStatusesRequest> statuses_ ABSL_GUARDED_BY(mu_);
  bool fail_statuses_ ABSL_GUARDED_BY(mu_) = false;
  bool stamp_statuses_ ABSL_GUARDED_BY(mu_) = true;
  std::string dataset_label_ ABSL_GUARDED_BY(mu_);
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

class ReportCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&fake_);
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

  // Parses and runs a command line as main does, minus the process.
  absl::Status Run(const std::vector<std::string>& argv) {
    static const std::vector<CommandSpec>* const commands =
        new std::vector<CommandSpec>(AllCommands());
    absl::StatusOr<Invocation> invocation = ParseInvocation(argv, *commands);
    if (!invocation.ok()) return invocation.status();
    ctx_.format = invocation->global.output;
    return invocation->command->run(invocation->args, ctx_);
  }

  ReportOptions Report() {
    ReportOptions options;
    options.html_path = dir_.File("r.html");
    options.xlsx_path = dir_.File("r.xlsx");
    return options;
  }

  FakePortfolios fake_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<RpcClient> rpc_;
  FakeClock clock_{absl::FromUnixSeconds(1720000000)};
  std::ostringstream out_;
  CommandContext ctx_;
  testing::TempDir dir_;
};

TEST_F(ReportCommandsTest, ReportPinsEveryCallToTheFirstAnswer) {
  ReportOptions options = Report();
  options.snapshot.plan_basis = v1::PLAN_BASIS_BASELINE;
  ASSERT_TRUE(WriteReport(options, ctx_).ok());

  const auto summaries = fake_.summaries();
  ASSERT_EQ(summaries.size(), 16u);  // headline, 3 groupings, 12 months
  EXPECT_FALSE(summaries[0].has_as_known_at());
  EXPECT_EQ(summaries[0].year(), 0);  // the server chooses...
  for (size_t i = 1; i < summaries.size(); ++i) {
    // ...and every later call asks for exactly what it chose.
    EXPECT_TRUE(
        MessageDifferencer::Equals(summaries[i].as_known_at(), ReadAt()))
        << i;
    EXPECT_EQ(summaries[i].year(), 2024) << i;
    EXPECT_EQ(summaries[i].plan_basis(), v1::PLAN_BASIS_BASELINE) << i;
  }
  EXPECT_EQ(summaries[1].group_by(), v1::SUMMARY_DIMENSION_LEVEL);
  EXPECT_EQ(summaries[2].group_by(), v1::SUMMARY_DIMENSION_CHAPTER);
  EXPECT_EQ(summaries[3].group_by(), v1::SUMMARY_DIMENSION_PARK);
  for (int i = 1; i <= 3; ++i) EXPECT_EQ(summaries[i].as_of_month(), 6);
  for (int month = 1; month <= 12; ++month) {
    EXPECT_EQ(summaries[3 + month].as_of_month(), month);
    EXPECT_EQ(summaries[3 + month].group_by(),
              v1::SUMMARY_DIMENSION_UNSPECIFIED);
  }

  const auto statuses = fake_.statuses();
  ASSERT_EQ(statuses.size(), 2u);  // both pages
  for (const auto& request : statuses) {
    EXPECT_EQ(request.filter(), "rag = RED");
    EXPECT_EQ(request.year(), 2024);
    EXPECT_EQ(request.as_of_month(), 6);
    EXPECT_TRUE(MessageDifferencer::Equals(request.as_known_at(), ReadAt()));
    EXPECT_EQ(request.plan_basis(), v1::PLAN_BASIS_BASELINE);
  }

  const std::string html = ReadFile(options.html_path);
  EXPECT_NE(html.find("红一项目"), std::string::npos);
  EXPECT_NE(html.find("问题超期40天"), std::string::npos);
  EXPECT_NE(html.find("data-field=\"completed_to_date\">54000000<"),
            std::string::npos);
  const std::string xlsx = ReadFile(options.xlsx_path);
  EXPECT_EQ(xlsx.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_FALSE(Exists(options.html_path + ".partial"));
  EXPECT_FALSE(Exists(options.xlsx_path + ".partial"));
  EXPECT_NE(out_.str().find(options.html_path), std::string::npos);
}

TEST_F(ReportCommandsTest, AsKnownOnIsAskedForFromTheFirstCall) {
  ReportOptions options = Report();
  options.xlsx_path.clear();
  options.snapshot.as_known_at = *ParseAsKnownOn("2024-06-30");
  ASSERT_TRUE(WriteReport(options, ctx_).ok());
  const auto summaries = fake_.summaries();
  ASSERT_FALSE(summaries.empty());
  for (const auto& request : summaries) {
    EXPECT_EQ(request.as_known_at().seconds(), 1719763199);
    EXPECT_EQ(request.as_known_at().nanos(), 999999000);
  }
  EXPECT_FALSE(Exists(dir_.File("r.xlsx")));
  EXPECT_NE(
      ReadFile(options.html_path).find("2024-06-30 23:59:59.999999 (UTC+8)"),
      std::string::npos);
}

TEST_F(ReportCommandsTest, AFailedCallLeavesNoFiles) {
  fake_.set_fail_statuses();
  const absl::Status status = WriteReport(Report(), ctx_);
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kRefused) << status;
  for (const char* name :
       {"r.html", "r.xlsx", "r.html.partial", "r.xlsx.partial"}) {
    EXPECT_FALSE(Exists(dir_.File(name))) << name;
  }
}

TEST_F(ReportCommandsTest, UsageErrorsComeBeforeAnyCall) {
  const absl::Status none = Run({"report", "--as-of", "2024-06"});
  EXPECT_EQ(ExitCodeOf(none), ExitCode::kUsage);
  EXPECT_NE(none.message().find("--html"), std::string::npos) << none;
  // An output that cannot be made fails too, as output not written.
  const absl::Status no_dir =
      Run({"report", "--html", dir_.File("no/such/dir/r.html")});
  EXPECT_EQ(ExitCodeOf(no_dir), ExitCode::kFailure) << no_dir;
  const absl::Status when =
      Run({"summary", "--as-known-on", "soon", "--year", "2024"});
  EXPECT_EQ(ExitCodeOf(when), ExitCode::kUsage);
  EXPECT_NE(when.message().find("--as-known-on"), std::string::npos) << when;
  const absl::Status basis = Run({"status", "--basis", "planned"});
  EXPECT_EQ(ExitCodeOf(basis), ExitCode::kUsage);
  EXPECT_NE(basis.message().find("--basis"), std::string::npos) << basis;
  const absl::Status by = Run({"bulletin", "--by", "colour"});
  EXPECT_EQ(ExitCodeOf(by), ExitCode::kUsage);
  EXPECT_TRUE(fake_.summaries().empty());
  EXPECT_TRUE(fake_.statuses().empty());
}

TEST_F(ReportCommandsTest, BulletinRanksGroupsAndItsJsonIsTheSummary) {
  ASSERT_TRUE(Run({"bulletin", "--as-of", "2024-06", "-o", "json"}).ok());
  ASSERT_EQ(fake_.summaries().size(), 1u);
  EXPECT_EQ(fake_.summaries()[0].group_by(), v1::SUMMARY_DIMENSION_PARK);
  v1::PortfolioSummary printed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out_.str(), &printed).ok())
      << out_.str();
  ASSERT_EQ(printed.groups_size(), 3);
  EXPECT_EQ(printed.groups(0).key(), "高铁新区");
  EXPECT_EQ(printed.groups(1).key(), "博平镇");
  EXPECT_EQ(printed.groups(2).key(), "");
  EXPECT_EQ(printed.groups(0).figures().completed_to_date(), 53000000);
  EXPECT_EQ(printed.totals().completed_to_date(), 54000000);
}

TEST_F(ReportCommandsTest, BulletinTableShowsRatesAndTotalsLast) {
  fake_.set_dataset_label("合成演示数据");
  ASSERT_TRUE(Run({"bulletin", "--as-of", "2024-06"}).ok());
  const std::string text = out_.str();
  EXPECT_EQ(text.find("!! 演示数据"), 0u) << text;
  const size_t first = text.find("高铁新区");
  const size_t second = text.find("博平镇");
  const size_t unranked = text.find("（未填）");
  const size_t total = text.find("合计 total");
  EXPECT_LT(first, second);
  EXPECT_LT(second, unranked);
  EXPECT_LT(unranked, total);
  EXPECT_NE(text.find("1/4 (25.0%)"), std::string::npos) << text;
  EXPECT_NE(text.find("5,300.00万"), std::string::npos);
  // The unplanned group's rate is a dash, not a 0% that reads as on time.
  const std::string unplanned_money_and_rate =
      text.substr(unranked, text.find("1/4", unranked) - unranked);
  EXPECT_EQ(unplanned_money_and_rate.find('%'), std::string::npos)
      << unplanned_money_and_rate;
  EXPECT_NE(unplanned_money_and_rate.find(" - "), std::string::npos);
  EXPECT_NE(text.substr(first, 200).find("50.0%"), std::string::npos);
}

TEST_F(ReportCommandsTest, BulletinCsvHasExactFiguresAndTheSnapshot) {
  ASSERT_TRUE(Run({"bulletin", "--by", "level", "--as-known-on", "2024-06-30",
                   "--basis", "baseline", "-o", "csv"})
                  .ok());
  const std::string csv = out_.str();
  EXPECT_EQ(csv.rfind("rank,key,project_count,annual_plan,", 0), 0u) << csv;
  EXPECT_NE(csv.find("start_due_count"), std::string::npos);
  EXPECT_NE(csv.find("1,PROVINCIAL,3,60000000,30000000,"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("2024-06-30T23:59:59.999999+08:00,BASELINE"),
            std::string::npos)
      << csv;
}

TEST_F(ReportCommandsTest, SummarySendsTheSnapshotAndShowsIt) {
  ASSERT_TRUE(
      Run({"summary", "--as-known-on", "2024-06-30", "--basis", "baseline"})
          .ok());
  const auto summaries = fake_.summaries();
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].as_known_at().seconds(), 1719763199);
  EXPECT_EQ(summaries[0].plan_basis(), v1::PLAN_BASIS_BASELINE);
  EXPECT_NE(out_.str().find("2024-06-30 23:59:59.999999 (UTC+8)"),
            std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("基准计划 baseline"), std::string::npos);

  out_.str("");
  ASSERT_TRUE(Run({"summary", "-o", "csv"}).ok());
  // Unasked, the instant is the server's read, exact in every row.
  EXPECT_NE(out_.str().find(",2024-07-03T17:46:40.123456+08:00,CURRENT"),
            std::string::npos)
      << out_.str();
}

TEST_F(ReportCommandsTest, StatusJsonCarriesTheSnapshotAskedFor) {
  ASSERT_TRUE(
      Run({"status", "--red", "--as-known-on", "2024-06-30T18:00:00+08:00",
           "--basis", "baseline", "-o", "json"})
          .ok());
  const auto statuses = fake_.statuses();
  ASSERT_FALSE(statuses.empty());
  EXPECT_EQ(statuses[0].as_known_at().seconds(), 1719741600);
  EXPECT_EQ(statuses[0].plan_basis(), v1::PLAN_BASIS_BASELINE);
  const std::string json = out_.str();
  EXPECT_NE(json.find("\"as_known_at\": \"2024-06-30T10:00:00Z\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"plan_basis\": \"PLAN_BASIS_BASELINE\""),
            std::string::npos);
  google::protobuf::util::JsonParseOptions lenient;
  lenient.ignore_unknown_fields = true;
  v1::ListProjectStatusesResponse parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(json, &parsed, lenient).ok());
  EXPECT_EQ(parsed.project_statuses_size(), 2);
}

TEST_F(ReportCommandsTest, StatusRowsShowTheInstantAndPlanEachStatusReflects) {
  // Unasked, each row is the server's read, exact.
  ASSERT_TRUE(Run({"status", "--red", "-o", "csv"}).ok());
  EXPECT_NE(out_.str().find(",2024-07-03T17:46:40.123456+08:00,CURRENT"),
            std::string::npos)
      << out_.str();
  out_.str("");
  ASSERT_TRUE(Run({"status", "--red"}).ok());
  EXPECT_NE(out_.str().find(
                "记录截至 as known at 2024-07-03 17:46:40.123456 (UTC+8)"),
            std::string::npos)
      << out_.str();

  // A server that does not stamp statuses: the rows say what was asked.
  fake_.set_unstamped_statuses();
  out_.str("");
  ASSERT_TRUE(
      Run({"status", "--red", "--as-known-on", "2024-06-30T18:00:00+08:00",
           "--basis", "baseline", "-o", "csv"})
          .ok());
  EXPECT_NE(out_.str().find(",2024-06-30T18:00:00+08:00,BASELINE"),
            std::string::npos)
      << out_.str();
  out_.str("");
  ASSERT_TRUE(Run({"status", "--red"}).ok());
  EXPECT_NE(out_.str().find("记录截至 as known at 最新 latest"),
            std::string::npos)
      << out_.str();
}

}  // namespace
}  // namespace portfolio::client
