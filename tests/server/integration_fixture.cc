#include "tests/server/integration_fixture.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <fstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace portfolio::testing {

absl::Time TestNow() {
  return absl::FromCivil(
      absl::CivilSecond(kThisYear, kThisMonth, kToday, 12, 0, 0),
      DistrictTimeZone());
}

::testing::AssertionResult IsOk(const grpc::Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "expected OK, got code " << status.error_code() << ": "
         << status.error_message();
}

::testing::AssertionResult HasError(const grpc::Status& status,
                                    grpc::StatusCode code,
                                    absl::string_view text) {
  if (status.error_code() != code) {
    return ::testing::AssertionFailure()
           << "expected code " << code << ", got code " << status.error_code()
           << ": \"" << status.error_message() << "\"";
  }
  if (!absl::StrContains(status.error_message(), text)) {
    return ::testing::AssertionFailure()
           << "message \"" << status.error_message() << "\" does not mention \""
           << text << "\"";
  }
  return ::testing::AssertionSuccess();
}

std::string ViolatedField(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request) && bad_request.field_violations_size() > 0) {
      return bad_request.field_violations(0).field();
    }
  }
  return "";
}

::testing::AssertionResult IsFieldError(const grpc::Status& status,
                                        grpc::StatusCode code,
                                        absl::string_view field) {
  ::testing::AssertionResult basic = HasError(status, code, field);
  if (!basic) return basic;
  const std::string violated = ViolatedField(status);
  if (violated != field) {
    return ::testing::AssertionFailure()
           << "the google.rpc.BadRequest details of \""
           << status.error_message() << "\" name \"" << violated
           << "\", expected \"" << field << "\"";
  }
  return ::testing::AssertionSuccess();
}

google::type::Date MakeDate(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

v1::YearLevel MakeLevel(int year, v1::ProjectLevel level) {
  v1::YearLevel l;
  l.set_year(year);
  l.set_level(level);
  return l;
}

IntegrationTest::IntegrationTest() : clock_(TestNow()) {}

IntegrationTest::~IntegrationTest() = default;

namespace {

// The token every Context() carries: the admin token the server wrote on
// its first start. Tests run one at a time, so one process-wide value is
// enough.
std::string& CurrentToken() {
  static auto* token = new std::string();
  return *token;
}

}  // namespace

void IntegrationTest::SetUp() { StartServer(Seeded()); }

void IntegrationTest::TearDown() { StopServer(); }

void IntegrationTest::StartServer(bool seed) {
  ServerOptions options;
  options.data_dir = dir_.path();
  options.listen = "127.0.0.1:0";
  options.seed = seed;
  absl::StatusOr<std::unique_ptr<PortfolioServer>> server =
      PortfolioServer::Start(options, &clock_);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = std::move(*server);
  if (!server_->admin_token_path().empty()) {
    std::ifstream in(server_->admin_token_path());
    std::getline(in, admin_token_);
  }
  CurrentToken() = admin_token_;
  channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", server_->port()),
                                 grpc::InsecureChannelCredentials());
  projects_ = v1::ProjectService::NewStub(channel_);
  investments_ = v1::InvestmentService::NewStub(channel_);
  indicators_ = v1::IndicatorService::NewStub(channel_);
  problems_ = v1::ProblemService::NewStub(channel_);
  portfolios_ = v1::PortfolioService::NewStub(channel_);
  admin_ = v1::AdminService::NewStub(channel_);
}

void IntegrationTest::StopServer() {
  projects_.reset();
  investments_.reset();
  indicators_.reset();
  problems_.reset();
  portfolios_.reset();
  admin_.reset();
  channel_.reset();
  if (server_ != nullptr) {
    server_->Shutdown(absl::Seconds(5));
    server_->Wait();
    server_.reset();
  }
}

std::unique_ptr<grpc::ClientContext> IntegrationTest::Context() {
  return ContextWithToken(CurrentToken());
}

std::unique_ptr<grpc::ClientContext> IntegrationTest::ContextWithToken(
    const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
  if (!token.empty()) {
    context->AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }
  return context;
}

v1::Project IntegrationTest::CreateProject(const std::string& id,
                                           v1::Project fields) {
  if (fields.display_name().empty()) {
    fields.set_display_name(absl::StrCat("Project ", id));
  }
  // Leads are users; make the ones a test names.
  for (const std::string& lead : fields.leads()) {
    v1::CreateUserRequest user;
    user.set_user_id(lead);
    user.mutable_user()->set_role(v1::USER_ROLE_LEAD);
    v1::User made;
    const grpc::Status status =
        admin().CreateUser(Context().get(), user, &made);
    EXPECT_TRUE(status.ok() ||
                status.error_code() == grpc::StatusCode::ALREADY_EXISTS)
        << status.error_message();
  }
  v1::CreateProjectRequest request;
  *request.mutable_project() = std::move(fields);
  request.set_project_id(id);
  v1::Project created;
  EXPECT_TRUE(
      IsOk(projects().CreateProject(Context().get(), request, &created)))
      << "creating project " << id;
  return created;
}

v1::Project IntegrationTest::GetProject(const std::string& id) {
  v1::GetProjectRequest request;
  request.set_name(absl::StrCat("projects/", id));
  v1::Project project;
  EXPECT_TRUE(IsOk(projects().GetProject(Context().get(), request, &project)))
      << "getting project " << id;
  return project;
}

v1::AnnualPlan IntegrationTest::SetPlan(const std::string& project, int year,
                                        int64_t amount,
                                        const std::vector<int64_t>& monthly) {
  v1::UpdateAnnualPlanRequest request;
  request.mutable_annual_plan()->set_name(
      absl::StrCat("projects/", project, "/plans/", year));
  request.mutable_annual_plan()->set_amount(amount);
  for (int64_t m : monthly) request.mutable_annual_plan()->add_monthly(m);
  // Needed when the plan exists (a revision); kept empty for a baseline.
  request.mutable_annual_plan()->set_revision_reason("re-planned by a test");
  request.set_allow_missing(true);
  v1::AnnualPlan plan;
  EXPECT_TRUE(
      IsOk(projects().UpdateAnnualPlan(Context().get(), request, &plan)))
      << "setting the " << year << " plan of " << project;
  return plan;
}

v1::Milestone IntegrationTest::AddMilestone(const std::string& project,
                                            v1::MilestoneKind kind,
                                            const google::type::Date& planned) {
  v1::CreateMilestoneRequest request;
  request.set_parent(absl::StrCat("projects/", project));
  request.mutable_milestone()->set_kind(kind);
  *request.mutable_milestone()->mutable_planned_date() = planned;
  v1::Milestone milestone;
  EXPECT_TRUE(
      IsOk(projects().CreateMilestone(Context().get(), request, &milestone)))
      << "adding a milestone to " << project;
  return milestone;
}

v1::InvestmentEntry IntegrationTest::Log(const std::string& project, int year,
                                         int month, int64_t amount,
                                         const std::string& request_id) {
  v1::LogInvestmentRequest request;
  request.set_parent(absl::StrCat("projects/", project));
  request.mutable_period()->set_year(year);
  request.mutable_period()->set_month(month);
  request.set_amount(amount);
  request.set_request_id(request_id);
  v1::InvestmentEntry entry;
  EXPECT_TRUE(
      IsOk(investments().LogInvestment(Context().get(), request, &entry)))
      << "logging " << amount << " for " << project << " " << year << "-"
      << month;
  return entry;
}

IntegrationTest::Ledger IntegrationTest::ListLedger(const std::string& parent,
                                                    const std::string& filter) {
  Ledger ledger;
  v1::ListInvestmentEntriesRequest request;
  request.set_parent(parent);
  request.set_filter(filter);
  for (int page = 0; page < 1000; ++page) {
    v1::ListInvestmentEntriesResponse response;
    const grpc::Status status = investments().ListInvestmentEntries(
        Context().get(), request, &response);
    EXPECT_TRUE(IsOk(status)) << "listing " << parent << " [" << filter << "]";
    if (!status.ok()) break;
    if (page == 0) ledger.total_amount = response.total_amount();
    for (const v1::InvestmentEntry& e : response.investment_entries()) {
      ledger.entries.push_back(e);
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return ledger;
}

v1::Indicator IntegrationTest::CreateIndicator(const std::string& id,
                                               v1::Indicator fields) {
  if (fields.display_name().empty()) fields.set_display_name(id);
  v1::CreateIndicatorRequest request;
  *request.mutable_indicator() = std::move(fields);
  request.set_indicator_id(id);
  v1::Indicator created;
  EXPECT_TRUE(
      IsOk(indicators().CreateIndicator(Context().get(), request, &created)))
      << "creating indicator " << id;
  return created;
}

v1::Portfolio IntegrationTest::SetPortfolio(int year, v1::Portfolio fields) {
  fields.set_name(absl::StrCat("portfolios/", year));
  v1::UpdatePortfolioRequest request;
  *request.mutable_portfolio() = std::move(fields);
  request.set_allow_missing(true);
  request.mutable_update_mask()->add_paths("*");
  v1::Portfolio portfolio;
  EXPECT_TRUE(
      IsOk(portfolios().UpdatePortfolio(Context().get(), request, &portfolio)))
      << "setting portfolio " << year;
  return portfolio;
}

}  // namespace portfolio::testing
