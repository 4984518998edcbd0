// The admin commands (users, tokens, audit, backup, login) and `projects
// leads` against in-process fake services on port 0.
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
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

namespace fs = std::filesystem;

std::string AuthorizationOf(const grpc::ServerContext* context) {
  const auto& metadata = context->client_metadata();
  const auto it = metadata.find("authorization");
  return it == metadata.end()
             ? ""
             : std::string(it->second.data(), it->second.size());
}

// One project whose leads and etag change with each accepted update.
class FakeProjects final : public v1::ProjectService::Service {
 public:
  FakeProjects() {
    project.set_name("projects/p");
    project.add_leads("wang");
    project.set_etag("e1");
  }

  grpc::Status GetProject(grpc::ServerContext*,
                          const v1::GetProjectRequest* request,
                          v1::Project* response) override {
    if (request->name() != project.name()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, request->name());
    }
    *response = project;
    return grpc::Status::OK;
  }

  grpc::Status UpdateProject(grpc::ServerContext*,
                             const v1::UpdateProjectRequest* request,
                             v1::Project* response) override {
    updates.push_back(*request);
    if (change_before_update) project.set_etag("changed-meanwhile");
    if (request->project().etag() != project.etag()) {
      return grpc::Status(grpc::StatusCode::ABORTED, "project.etag: stale");
    }
    *project.mutable_leads() = request->project().leads();
    project.set_etag("e2");
    *response = project;
    return grpc::Status::OK;
  }

  // Accepts only the token "good": what login checks with.
  grpc::Status ListProjects(grpc::ServerContext* context,
                            const v1::ListProjectsRequest* request,
                            v1::ListProjectsResponse*) override {
    list_page_sizes.push_back(request->page_size());
    if (AuthorizationOf(context) != "Bearer good") {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "unknown token");
    }
    return grpc::Status::OK;
  }

  v1::Project project;
  bool change_before_update = false;
  std::vector<v1::UpdateProjectRequest> updates;
  std::vector<int> list_page_sizes;
};

class FakeAdmin final : public v1::AdminService::Service {
 public:
  grpc::Status GetUser(grpc::ServerContext*, const v1::GetUserRequest*,
                       v1::User*) override {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "admins only");
  }

  grpc::Status ListUsers(grpc::ServerContext* context,
                         const v1::ListUsersRequest*,
                         v1::ListUsersResponse* response) override {
    if (AuthorizationOf(context).empty()) {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no token");
    }
    v1::User* user = response->add_users();
    user->set_name("users/zhang");
    user->set_role(v1::USER_ROLE_LEAD);
    user->add_projects("projects/p");
    user->add_projects("projects/q");
    return grpc::Status::OK;
  }

  grpc::Status UpdateUser(grpc::ServerContext*,
                          const v1::UpdateUserRequest* request,
                          v1::User* response) override {
    user_updates.push_back(*request);
    *response = request->user();
    response->set_role(v1::USER_ROLE_VIEWER);
    return grpc::Status::OK;
  }

  grpc::Status CreateToken(grpc::ServerContext*,
                           const v1::CreateTokenRequest* request,
                           v1::CreateTokenResponse* response) override {
    token_creates.push_back(*request);
    *response->mutable_token() = request->token();
    response->mutable_token()->set_name("tokens/k1");
    response->mutable_token()->set_user(request->parent());
    response->set_secret("pf_k1_S3CRET");
    return grpc::Status::OK;
  }

  // Three tokens of one user: active, expired and revoked.
  grpc::Status ListTokens(grpc::ServerContext*,
                          const v1::ListTokensRequest* request,
                          v1::ListTokensResponse* response) override {
    filters.push_back(request->filter());
    for (int i = 0; i < 3; ++i) {
      v1::Token* token = response->add_tokens();
      token->set_name(absl::StrCat("tokens/k", i));
      token->set_user("users/zhang");
    }
    response->mutable_tokens(1)->mutable_expire_time()->set_seconds(1);
    response->mutable_tokens(2)->mutable_revoke_time()->set_seconds(1);
    return grpc::Status::OK;
  }

  // Two events, one per page.
  grpc::Status ListAuditEvents(grpc::ServerContext*,
                               const v1::ListAuditEventsRequest* request,
                               v1::ListAuditEventsResponse* response) override {
    filters.push_back(request->filter());
    v1::AuditEvent* event = response->add_audit_events();
    if (request->page_token().empty()) {
      event->set_name("auditEvents/2");
      event->set_user("zhang");
      event->set_method("/portfolio.v1.InvestmentService/LogInvestment");
      event->set_resource("projects/p");
      event->set_outcome("OK");
      event->set_detail(absl::StrCat("{\"amount\": \"30000000\", \"note\": \"",
                                     std::string(100, 'x'), "-END\"}"));
      response->set_next_page_token("next");
    } else {
      event->set_name("auditEvents/1");
      event->set_method("/portfolio.v1.ProjectService/UpdateProject");
      event->set_outcome("UNAUTHENTICATED");
      event->set_detail("no token");
    }
    return grpc::Status::OK;
  }

  grpc::Status Backup(grpc::ServerContext* context, const v1::BackupRequest*,
                      grpc::ServerWriter<v1::BackupChunk>* writer) override {
    ++backup_calls;
    backup_deadline_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(
            context->deadline() - std::chrono::system_clock::now())
            .count();
    for (const std::string& data : backup_chunks) {
      v1::BackupChunk chunk;
      chunk.set_data(data);
      writer->Write(chunk);
    }
    return backup_status;
  }

  std::vector<v1::UpdateUserRequest> user_updates;
  std::vector<v1::CreateTokenRequest> token_creates;
  std::vector<std::string> filters;
  std::vector<std::string> backup_chunks = {"SQLite format 3",
                                            std::string("\0rest", 5)};
  grpc::Status backup_status = grpc::Status::OK;
  int backup_calls = 0;
  int64_t backup_deadline_seconds = 0;
};

class AdminCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(&projects_);
    builder.RegisterService(&admin_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    rpc_ = std::make_unique<RpcClient>(Connection{Addr(), "--addr", "tok"},
                                       absl::Seconds(5));
    ctx_.rpc = rpc_.get();
    ctx_.out = &out_;
    ctx_.clock = &clock_;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           (std::string("client_admin_") + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    server_->Shutdown();
    fs::remove_all(dir_);
  }

  std::string Addr() const { return absl::StrCat("127.0.0.1:", port_); }

  static std::string Read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  int port_ = 0;
  FakeProjects projects_;
  FakeAdmin admin_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<RpcClient> rpc_;
  FakeClock clock_{absl::FromCivil(absl::CivilMinute(2024, 3, 15, 23, 30),
                                   absl::UTCTimeZone())};
  std::ostringstream out_;
  CommandContext ctx_;
  fs::path dir_;
};

// Parses `argv` against the real command table and runs the command.
absl::Status RunCommandLine(const std::vector<std::string>& argv,
                            CommandContext& ctx) {
  static const std::vector<CommandSpec>* const commands =
      new std::vector<CommandSpec>(AllCommands());
  absl::StatusOr<Invocation> invocation = ParseInvocation(argv, *commands);
  if (!invocation.ok()) return invocation.status();
  ctx.global = &invocation->global;
  const absl::Status status = invocation->command->run(invocation->args, ctx);
  ctx.global = nullptr;
  return status;
}

LeadsOptions Leads(LeadChange change, std::string user) {
  LeadsOptions options;
  options.project = "projects/p";
  options.change = change;
  options.user = std::move(user);
  options.request_id = "rid-leads";
  return options;
}

TEST_F(AdminCommandsTest, LeadsAddWritesOnlyLeadsGuardedByTheEtagRead) {
  ASSERT_TRUE(ChangeLeads(Leads(LeadChange::kAdd, "zhang"), ctx_).ok());
  ASSERT_EQ(projects_.updates.size(), 1u);
  const v1::UpdateProjectRequest& update = projects_.updates[0];
  ASSERT_EQ(update.update_mask().paths_size(), 1);
  EXPECT_EQ(update.update_mask().paths(0), "leads");
  EXPECT_EQ(update.project().etag(), "e1");
  EXPECT_EQ(update.request_id(), "rid-leads");
  ASSERT_EQ(update.project().leads_size(), 2);
  EXPECT_EQ(update.project().leads(0), "wang");
  EXPECT_EQ(update.project().leads(1), "zhang");
  EXPECT_NE(out_.str().find("wang, zhang"), std::string::npos) << out_.str();
}

TEST_F(AdminCommandsTest, LeadsFromTheCommandLineTakeFullNamesToo) {
  ASSERT_TRUE(RunCommandLine({"projects", "leads", "add", "projects/p",
                              "users/zhang", "--request-id", "r1"},
                             ctx_)
                  .ok());
  ASSERT_EQ(projects_.updates.size(), 1u);
  EXPECT_EQ(projects_.updates[0].project().leads(1), "zhang");
  EXPECT_EQ(projects_.updates[0].request_id(), "r1");
  EXPECT_EQ(
      ExitCodeOf(RunCommandLine({"projects", "leads", "drop", "p", "u"}, ctx_)),
      ExitCode::kUsage);
}

TEST_F(AdminCommandsTest, LeadsRemove) {
  ASSERT_TRUE(ChangeLeads(Leads(LeadChange::kRemove, "wang"), ctx_).ok());
  ASSERT_EQ(projects_.updates.size(), 1u);
  EXPECT_EQ(projects_.updates[0].project().leads_size(), 0);
}

TEST_F(AdminCommandsTest, LeadsWithNothingToChangeSucceedWithoutWriting) {
  ASSERT_TRUE(ChangeLeads(Leads(LeadChange::kAdd, "wang"), ctx_).ok());
  EXPECT_NE(out_.str().find("wang already leads p; nothing changed"),
            std::string::npos)
      << out_.str();
  out_.str("");
  ASSERT_TRUE(ChangeLeads(Leads(LeadChange::kRemove, "zhang"), ctx_).ok());
  EXPECT_NE(out_.str().find("zhang is not a lead of p; nothing changed"),
            std::string::npos)
      << out_.str();
  EXPECT_TRUE(projects_.updates.empty());
}

TEST_F(AdminCommandsTest, LeadsConcurrentChangeIsRefusedNotOverwritten) {
  projects_.change_before_update = true;
  const absl::Status status =
      ChangeLeads(Leads(LeadChange::kAdd, "zhang"), ctx_);
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kRefused);
  EXPECT_TRUE(absl::IsAborted(status)) << status;
  ASSERT_EQ(projects_.project.leads_size(), 1);
}

TEST_F(AdminCommandsTest, UserDisableSendsTheDisabledMaskAlone) {
  UserDisableOptions options;
  options.user = "users/zhang";
  options.request_id = "rid-u";
  ASSERT_TRUE(SetUserDisabled(options, ctx_).ok());
  ASSERT_EQ(admin_.user_updates.size(), 1u);
  const v1::UpdateUserRequest& update = admin_.user_updates[0];
  EXPECT_EQ(update.user().name(), "users/zhang");
  EXPECT_TRUE(update.user().disabled());
  ASSERT_EQ(update.update_mask().paths_size(), 1);
  EXPECT_EQ(update.update_mask().paths(0), "disabled");
  EXPECT_EQ(update.request_id(), "rid-u");
}

TEST_F(AdminCommandsTest, UserUpdateSendsOnlyWhatWasGiven) {
  UserUpdateOptions options;
  options.user = "users/li-na";
  options.role = v1::USER_ROLE_LEAD;
  ASSERT_TRUE(UpdateUser(options, ctx_).ok());
  options.role.reset();
  options.display_name = "李娜";
  ASSERT_TRUE(UpdateUser(options, ctx_).ok());
  ASSERT_EQ(admin_.user_updates.size(), 2u);
  EXPECT_EQ(admin_.user_updates[0].user().role(), v1::USER_ROLE_LEAD);
  ASSERT_EQ(admin_.user_updates[0].update_mask().paths_size(), 1);
  EXPECT_EQ(admin_.user_updates[0].update_mask().paths(0), "role");
  ASSERT_EQ(admin_.user_updates[1].update_mask().paths_size(), 1);
  EXPECT_EQ(admin_.user_updates[1].update_mask().paths(0), "display_name");
  EXPECT_EQ(admin_.user_updates[1].user().display_name(), "李娜");

  // Nothing to change is a usage error, and nothing is sent.
  options.display_name.reset();
  EXPECT_EQ(ExitCodeOf(UpdateUser(options, ctx_)), ExitCode::kUsage);
  EXPECT_EQ(admin_.user_updates.size(), 2u);
}

TEST_F(AdminCommandsTest, UsersListShowsRoleAndProjectsLed) {
  ASSERT_TRUE(ListUsers(UsersListOptions(), ctx_).ok());
  EXPECT_NE(out_.str().find("lead"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("p, q"), std::string::npos) << out_.str();
}

TEST_F(AdminCommandsTest, TokenCreatePrintsTheSecretOnceClearlyLabelled) {
  TokenCreateOptions options;
  options.user = "users/zhang";
  options.display_name = "laptop";
  options.expire_time = absl::FromCivil(
      absl::CivilSecond(2024, 12, 31, 23, 59, 59), DistrictTimeZone());
  ASSERT_TRUE(CreateToken(options, ctx_).ok());
  ASSERT_EQ(admin_.token_creates.size(), 1u);
  const v1::CreateTokenRequest& request = admin_.token_creates[0];
  EXPECT_EQ(request.parent(), "users/zhang");
  EXPECT_EQ(request.token().display_name(), "laptop");
  // 2024-12-31 23:59:59 UTC+8 is 15:59:59 UTC.
  EXPECT_EQ(
      request.token().expire_time().seconds(),
      absl::ToUnixSeconds(absl::FromCivil(
          absl::CivilSecond(2024, 12, 31, 15, 59, 59), absl::UTCTimeZone())));
  const std::string text = out_.str();
  EXPECT_NE(text.find("pf_k1_S3CRET"), std::string::npos) << text;
  EXPECT_NE(text.find("k1"), std::string::npos) << text;
  EXPECT_NE(text.find("store it now; it cannot be shown again"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("2024-12-31 23:59"), std::string::npos) << text;
}

TEST_F(AdminCommandsTest, ExpiresIsTheEndOfThatDayInTheDistrict) {
  // Now is 2024-03-15 23:30 UTC, already 2024-03-16 07:30 in UTC+8.
  const absl::Status over = RunCommandLine(
      {"tokens", "create", "--user", "zhang", "--expires", "2024-03-15"}, ctx_);
  EXPECT_EQ(ExitCodeOf(over), ExitCode::kUsage) << over;
  EXPECT_TRUE(admin_.token_creates.empty());
  ASSERT_TRUE(RunCommandLine({"tokens", "create", "--user", "users/zhang",
                              "--expires", "2024-03-16"},
                             ctx_)
                  .ok());
  ASSERT_EQ(admin_.token_creates.size(), 1u);
  EXPECT_EQ(admin_.token_creates[0].parent(), "users/zhang");
  EXPECT_EQ(
      admin_.token_creates[0].token().expire_time().seconds(),
      absl::ToUnixSeconds(absl::FromCivil(
          absl::CivilSecond(2024, 3, 16, 15, 59, 59), absl::UTCTimeZone())));
}

TEST_F(AdminCommandsTest, TokenCreateJsonIsTheResponse) {
  ctx_.format = OutputFormat::kJson;
  TokenCreateOptions options;
  options.user = "users/zhang";
  ASSERT_TRUE(CreateToken(options, ctx_).ok());
  EXPECT_NE(out_.str().find("\"secret\": \"pf_k1_S3CRET\""), std::string::npos)
      << out_.str();
  EXPECT_NE(out_.str().find("\"name\": \"tokens/k1\""), std::string::npos);
}

TEST_F(AdminCommandsTest, TokenListFiltersByUserAndShowsEachState) {
  TokensListOptions options;
  options.user = "zhang";
  ASSERT_TRUE(ListTokens(options, ctx_).ok());
  ASSERT_EQ(admin_.filters.size(), 1u);
  EXPECT_EQ(admin_.filters[0], "user = \"zhang\"");
  const std::string text = out_.str();
  for (const char* word : {"active", "expired", "revoked", "never"}) {
    EXPECT_NE(text.find(word), std::string::npos) << word << "\n" << text;
  }
}

TEST_F(AdminCommandsTest, AuditListFollowsPagesAndCutsDetailOnlyInTables) {
  AuditListOptions options;
  options.project = "p";
  options.since = absl::CivilDay(2024, 1, 1);
  ASSERT_TRUE(ListAuditEvents(options, ctx_).ok());
  ASSERT_EQ(admin_.filters.size(), 2u);  // two pages, one filter
  EXPECT_EQ(admin_.filters[0], "project = \"p\" AND since = \"2024-01-01\"");
  EXPECT_EQ(admin_.filters[1], admin_.filters[0]);
  std::string text = out_.str();
  EXPECT_NE(text.find("InvestmentService/LogInvestment"), std::string::npos);
  EXPECT_EQ(text.find("portfolio.v1."), std::string::npos) << text;
  EXPECT_NE(text.find("…"), std::string::npos) << text;
  EXPECT_EQ(text.find("-END"), std::string::npos) << text;
  EXPECT_NE(text.find("UNAUTHENTICATED"), std::string::npos) << text;

  out_.str("");
  ctx_.format = OutputFormat::kCsv;
  ASSERT_TRUE(ListAuditEvents(options, ctx_).ok());
  text = out_.str();
  EXPECT_NE(text.find("-END"), std::string::npos) << text;
  EXPECT_EQ(text.find("…"), std::string::npos) << text;
}

TEST_F(AdminCommandsTest, UnauthenticatedSaysHowToGetAToken) {
  RpcClient anonymous(Connection{Addr(), "--addr", ""}, absl::Seconds(5));
  ctx_.rpc = &anonymous;
  const absl::Status status = ListUsers(UsersListOptions(), ctx_);
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kRefused);
  EXPECT_NE(status.message().find("UNAUTHENTICATED: no token"),
            std::string::npos)
      << status;
  EXPECT_NE(status.message().find("portfolio login"), std::string::npos);
  EXPECT_NE(status.message().find("portfolio tokens create"),
            std::string::npos);
}

TEST_F(AdminCommandsTest, PermissionDeniedIsTheServersMessage) {
  UserShowOptions options;
  options.user = "users/zhang";
  const absl::Status status = ShowUser(options, ctx_);
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kRefused);
  EXPECT_EQ(status.message(), "PERMISSION_DENIED: admins only");
}

TEST_F(AdminCommandsTest, BackupWritesTheWholeStreamThenRenames) {
  BackupOptions options;
  options.path = (dir_ / "copy.db").string();
  ASSERT_TRUE(BackupDatabase(options, ctx_).ok());
  EXPECT_EQ(Read(options.path), std::string("SQLite format 3\0rest", 20));
  EXPECT_FALSE(fs::exists(options.path + ".partial"));
  struct stat st;
  ASSERT_EQ(stat(options.path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(out_.str().find("20"), std::string::npos) << out_.str();
  // At least ten minutes, though --timeout is 5 s.
  EXPECT_GT(admin_.backup_deadline_seconds, 590);
}

TEST_F(AdminCommandsTest, BackupRefusesAnExistingFileUnlessForced) {
  BackupOptions options;
  options.path = (dir_ / "copy.db").string();
  std::ofstream(options.path) << "keep me";
  const absl::Status status = BackupDatabase(options, ctx_);
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kUsage);
  EXPECT_NE(status.message().find("--force"), std::string::npos) << status;
  EXPECT_EQ(admin_.backup_calls, 0);
  EXPECT_EQ(Read(options.path), "keep me");

  options.force = true;
  ASSERT_TRUE(BackupDatabase(options, ctx_).ok());
  EXPECT_EQ(Read(options.path).size(), 20u);
}

TEST_F(AdminCommandsTest, BackupThatFailsMidStreamLeavesNoFile) {
  admin_.backup_status =
      grpc::Status(grpc::StatusCode::INTERNAL, "disk I/O error");
  BackupOptions options;
  options.path = (dir_ / "copy.db").string();
  const absl::Status status = BackupDatabase(options, ctx_);
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kRefused);
  EXPECT_EQ(admin_.backup_calls, 1);
  EXPECT_TRUE(fs::is_empty(dir_));
}

class LoginTest : public AdminCommandsTest {
 protected:
  void SetUp() override {
    AdminCommandsTest::SetUp();
    config_ = dir_ / "xdg" / "portfolio" / "config";
    options_.config_path = config_.string();
    options_.timeout = absl::Seconds(5);
    ctx_.read_secret = [this](absl::string_view prompt) {
      prompts_.emplace_back(prompt);
      return absl::StatusOr<std::string>(typed_);
    };
  }

  fs::path config_;
  LoginOptions options_;
  std::string typed_ = "good\n";
  std::vector<std::string> prompts_;
};

TEST_F(LoginTest, ChecksTheTokenThenSavesItPrivately) {
  fs::create_directories(config_.parent_path());
  std::ofstream(config_) << "# mine\ntoken = old\n";
  ASSERT_TRUE(Login(options_, ctx_).ok());
  EXPECT_EQ(prompts_, std::vector<std::string>{"token: "});
  EXPECT_EQ(projects_.list_page_sizes, std::vector<int>{1});
  EXPECT_EQ(Read(config_),
            absl::StrCat("# mine\ntoken = good\naddr = ", Addr(), "\n"));
  struct stat st;
  ASSERT_EQ(stat(config_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(out_.str().find(config_.string()), std::string::npos) << out_.str();
}

TEST_F(LoginTest, TokenFlagIsUsedWithoutReading) {
  options_.token = "good";
  ASSERT_TRUE(Login(options_, ctx_).ok());
  EXPECT_TRUE(prompts_.empty());
  EXPECT_NE(Read(config_).find("token = good\n"), std::string::npos);
}

TEST_F(LoginTest, FromTheCommandLine) {
  ctx_.config_path = config_.string();
  ASSERT_TRUE(RunCommandLine({"login", "--token", "good"}, ctx_).ok());
  EXPECT_TRUE(prompts_.empty());
  EXPECT_EQ(Read(config_), absl::StrCat("addr = ", Addr(), "\ntoken = good\n"));
}

TEST_F(LoginTest, RefusedTokenIsNotSaved) {
  typed_ = "bad";
  const absl::Status status = Login(options_, ctx_);
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kRefused);
  EXPECT_TRUE(absl::IsUnauthenticated(status)) << status;
  EXPECT_NE(status.message().find("refused the token (unknown token); "
                                  "nothing was saved"),
            std::string::npos)
      << status;
  EXPECT_FALSE(fs::exists(config_));
}

TEST_F(LoginTest, UnreachableServerSavesNothing) {
  // Port 1 on loopback refuses connections.
  RpcClient nowhere(Connection{"127.0.0.1:1", "--addr", ""}, absl::Seconds(5));
  ctx_.rpc = &nowhere;
  const absl::Status status = Login(options_, ctx_);
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kUnreachable);
  EXPECT_NE(status.message().find("Nothing was saved."), std::string::npos)
      << status;
  EXPECT_FALSE(fs::exists(config_));
}

TEST_F(LoginTest, NoTokenIsAUsageError) {
  typed_ = "  \n";
  EXPECT_EQ(ExitCodeOf(Login(options_, ctx_)), ExitCode::kUsage);
  EXPECT_TRUE(projects_.list_page_sizes.empty());
  EXPECT_FALSE(fs::exists(config_));
}

}  // namespace
}  // namespace portfolio::client
