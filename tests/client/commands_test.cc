// The commands against in-process fake services on port 0: paging, the
// token and deadline on every call, error mapping, and the output formats.
#include "client/commands.h"

#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "client/errors.h"
#include "client/rpc.h"
#include "common/clock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

// Serves five projects two per page and records what each call carried.
class FakeProjects final : public v1::ProjectService::Service {
 public:
  grpc::Status ListProjects(grpc::ServerContext* context,
                            const v1::ListProjectsRequest* request,
                            v1::ListProjectsResponse* response) override {
    Record(context);
    filters.push_back(request->filter());
    int start = 0;
    if (!request->page_token().empty() &&
        !absl::SimpleAtoi(request->page_token(), &start)) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "page_token");
    }
    const int size = std::min(2, request->page_size());
    for (int i = start; i < std::min(start + size, 5); ++i) {
      v1::Project* p = response->add_projects();
      p->set_name(absl::StrCat("projects/p", i));
      p->set_display_name(absl::StrCat("项目", i));
      p->set_total_investment(int64_t{100000000} * (i + 1));
    }
    if (start + size < 5)
      response->set_next_page_token(absl::StrCat(start + size));
    response->set_total_size(5);
    return grpc::Status::OK;
  }

  grpc::Status CreateMilestone(grpc::ServerContext* context,
                               const v1::CreateMilestoneRequest* request,
                               v1::Milestone* /*response*/) override {
    Record(context);
    request_ids.push_back(request->request_id());
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "milestone.planned_date: not a real day");
  }

  grpc::Status CompleteMilestone(grpc::ServerContext* context,
                                 const v1::CompleteMilestoneRequest* request,
                                 v1::Milestone* response) override {
    Record(context);
    response->set_name(request->name());
    *response->mutable_actual_date() = request->actual_date();
    return grpc::Status::OK;
  }

  std::vector<std::string> tokens;
  std::vector<bool> had_deadline;
  std::vector<std::string> filters;
  std::vector<std::string> request_ids;

 private:
  void Record(grpc::ServerContext* context) {
    const auto& metadata = context->client_metadata();
    const auto it = metadata.find("authorization");
    tokens.push_back(it == metadata.end()
                         ? ""
                         : std::string(it->second.data(), it->second.size()));
    had_deadline.push_back(context->deadline() <
                           std::chrono::system_clock::now() +
                               std::chrono::hours(1));
  }
};

class CommandsTest : public ::testing::Test {
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

  FakeProjects fake_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<RpcClient> rpc_;
  // 2024-03-15 23:30 UTC is already 2024-03-16 in the district.
  FakeClock clock_{absl::FromCivil(absl::CivilMinute(2024, 3, 15, 23, 30),
                                   absl::UTCTimeZone())};
  std::ostringstream out_;
  CommandContext ctx_;
};

TEST_F(CommandsTest, ListFollowsEveryPageWithTokenAndDeadline) {
  ProjectsListOptions options;
  options.filter.park = "高铁新区";
  ASSERT_TRUE(ListProjects(options, ctx_).ok());
  const std::string text = out_.str();
  for (int i = 0; i < 5; ++i) {
    EXPECT_NE(text.find(absl::StrCat("项目", i)), std::string::npos) << text;
  }
  EXPECT_NE(text.find("5.00亿"), std::string::npos) << text;
  ASSERT_EQ(fake_.tokens.size(), 3u);  // pages 0-1, 2-3, 4
  for (const std::string& token : fake_.tokens) EXPECT_EQ(token, "Bearer tok");
  for (bool deadline : fake_.had_deadline) EXPECT_TRUE(deadline);
  EXPECT_EQ(fake_.filters[0], "park = \"高铁新区\"");
}

TEST_F(CommandsTest, LimitStopsEarlyAndSaysSo) {
  ProjectsListOptions options;
  options.limit = 3;
  ASSERT_TRUE(ListProjects(options, ctx_).ok());
  const std::string text = out_.str();
  EXPECT_NE(text.find("项目2"), std::string::npos);
  EXPECT_EQ(text.find("项目3"), std::string::npos);
  EXPECT_NE(text.find("3 of 5 shown"), std::string::npos) << text;
  EXPECT_EQ(fake_.tokens.size(), 2u);
}

TEST_F(CommandsTest, JsonHasEveryItemAndExactYuan) {
  ctx_.format = OutputFormat::kJson;
  ASSERT_TRUE(ListProjects(ProjectsListOptions(), ctx_).ok());
  const std::string json = out_.str();
  EXPECT_NE(json.find("\"projects/p4\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"total_investment\": \"500000000\""), std::string::npos)
      << json;
  EXPECT_EQ(json.find("next_page_token\": \"2"), std::string::npos);
}

TEST_F(CommandsTest, CsvHasHeaderAndExactYuan) {
  ctx_.format = OutputFormat::kCsv;
  ASSERT_TRUE(ListProjects(ProjectsListOptions(), ctx_).ok());
  const std::string csv = out_.str();
  EXPECT_EQ(csv.rfind("id,display_name,", 0), 0u) << csv;
  EXPECT_NE(csv.find("p4,项目4,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",500000000,"), std::string::npos) << csv;
}

TEST_F(CommandsTest, ServerRefusalExitsThreeWithCodeName) {
  MilestoneAddOptions options;
  options.project = "projects/p1";
  options.kind = v1::MILESTONE_KIND_START;
  options.request_id = "rid-1";
  const absl::Status status = AddMilestone(options, ctx_);
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kRefused);
  EXPECT_EQ(status.message(),
            "INVALID_ARGUMENT: milestone.planned_date: not a real day");
  ASSERT_EQ(fake_.request_ids.size(), 1u);
  EXPECT_EQ(fake_.request_ids[0], "rid-1");
}

TEST_F(CommandsTest, DoneDefaultsToTodayInTheDistrict) {
  MilestoneDateOptions options;
  options.milestone = "projects/p1/milestones/m1";
  options.request_id = "rid-2";
  ASSERT_TRUE(CompleteMilestone(options, ctx_).ok());
  EXPECT_NE(out_.str().find("2024-03-16"), std::string::npos) << out_.str();
}

TEST_F(CommandsTest, MutationJsonCarriesTheRequestId) {
  ctx_.format = OutputFormat::kJson;
  MilestoneDateOptions options;
  options.milestone = "projects/p1/milestones/m1";
  options.date = absl::CivilDay(2024, 3, 1);
  options.request_id = "rid-\"3\"";
  ASSERT_TRUE(CompleteMilestone(options, ctx_).ok());
  const std::string json = out_.str();
  EXPECT_NE(json.find("\"request_id\": \"rid-\\\"3\\\"\""), std::string::npos)
      << json;
  EXPECT_EQ(json.back(), '\n');
  EXPECT_EQ(json[json.size() - 2], '}');
}

TEST(RpcClientTest, UnreachableServerExitsFourNamingTheAddress) {
  // Port 1 on loopback refuses connections.
  RpcClient rpc(Connection{"127.0.0.1:1", "PORTFOLIO_ADDR", ""},
                absl::Seconds(5));
  v1::GetProjectRequest request;
  request.set_name("projects/p");
  v1::Project project;
  const absl::Status status = rpc.Call(
      rpc.projects(), &v1::ProjectService::Stub::GetProject, request, &project);
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kUnreachable);
  EXPECT_NE(status.message().find("127.0.0.1:1 (from PORTFOLIO_ADDR)"),
            std::string::npos)
      << status;
  EXPECT_NE(status.message().find("scripts/dev up"), std::string::npos);
}

}  // namespace
}  // namespace portfolio::client
