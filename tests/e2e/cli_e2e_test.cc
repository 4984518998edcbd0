// A project lead's month, end to end: the real server binary on a loopback
// port with a database seeded from the report, and the real CLI binary.
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "google/protobuf/descriptor.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/wire_format_lite.h"
#include "gtest/gtest.h"
#include "portfolio/v1/admin.pb.h"
#include "portfolio/v1/service.pb.h"
#include "tests/support/certs.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

using ::portfolio::testing::RunResult;
using ::portfolio::testing::ServerProcess;
using ::portfolio::testing::TempDir;

constexpr char kProject[] = "juncheng-forged-wheel";  // in the report's data

class CliEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(); }

  void StartServer() {
    auto server = ServerProcess::Start(
        PORTFOLIO_SERVER_BIN,
        {"--data-dir", dir_.File("data"), "--listen", "127.0.0.1:0"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    // The first start wrote the admin token; later starts keep it.
    std::ifstream in(dir_.File("data/admin.token"));
    std::getline(in, token_);
    ASSERT_FALSE(token_.empty()) << "no admin.token after the first start";
  }

  // Runs the CLI against the server, with an empty config directory so the
  // developer's own settings never leak in.
  RunResult Cli(std::vector<std::string> args) {
    std::vector<std::string> argv = {PORTFOLIO_CLI_BIN, "--addr",
                                     server_->address()};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::Run(argv, {{"XDG_CONFIG_HOME", dir_.File("config")},
                               {"PORTFOLIO_ADDR", ""},
                               {"PORTFOLIO_TOKEN", token_}});
  }

  v1::PortfolioSummary Summary(const std::string& year = "2024") {
    RunResult r = Cli({"summary", "--year", year, "-o", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    v1::PortfolioSummary summary;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    auto status =
        google::protobuf::util::JsonStringToMessage(r.out, &summary, options);
    EXPECT_TRUE(status.ok()) << status << "\n" << r.out;
    return summary;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

TEST_F(CliEndToEndTest, SeededSummaryShowsTheReportsTargets) {
  const v1::PortfolioSummary s = Summary();
  EXPECT_EQ(s.year(), 2024);
  EXPECT_EQ(s.as_of_month(), 12);
  EXPECT_GT(s.totals().project_count(), 40);
  EXPECT_EQ(s.portfolio().project_count_target(), 120);
  EXPECT_EQ(s.portfolio().investment_target(), 11000000000);
  EXPECT_EQ(s.totals().completed_to_date(), 0);

  RunResult table = Cli({"summary", "--year", "2024"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("110.00亿"), std::string::npos) << table.out;

  // The level quotas (10 provincial, 20 city) beside the projects counted
  // at each level, as the report's cards count them.
  ASSERT_EQ(Cli({"projects", "update", kProject, "--level", "provincial",
                 "--level-year", "2024"})
                .exit_code,
            0);
  RunResult counted = Cli({"summary", "--year", "2024"});
  ASSERT_EQ(counted.exit_code, 0) << counted.err;
  EXPECT_NE(counted.out.find("1 / 0 (目标 target 10 / 20)"), std::string::npos)
      << counted.out;
}

TEST_F(CliEndToEndTest, LoggedInvestmentAppearsInSummaryOnce) {
  RunResult log = Cli({"invest", "log", kProject, "--period", "2024-03",
                       "--amount", "3000万", "--request-id", "e2e-march"});
  ASSERT_EQ(log.exit_code, 0) << log.err;
  EXPECT_EQ(Summary().totals().completed_to_date(), 30000000);

  RunResult table = Cli({"summary", "--year", "2024"});
  EXPECT_NE(table.out.find("3,000.00万"), std::string::npos) << table.out;

  // A retry with the same request id is acknowledged and changes nothing.
  RunResult retry = Cli({"invest", "log", kProject, "--period", "2024-03",
                         "--amount", "3000万", "--request-id", "e2e-march"});
  ASSERT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_EQ(Summary().totals().completed_to_date(), 30000000);

  // The same id with a different amount is refused.
  RunResult reuse = Cli({"invest", "log", kProject, "--period", "2024-03",
                         "--amount", "1.2亿", "--request-id", "e2e-march"});
  EXPECT_EQ(reuse.exit_code, 3);
  EXPECT_NE(reuse.err.find("ALREADY_EXISTS"), std::string::npos) << reuse.err;
  EXPECT_EQ(Summary().totals().completed_to_date(), 30000000);
}

// The same command run again (no request id: a new shell, a lost answer)
// would count the month twice: the server refuses it (exit 3) until
// --again says it is real, whatever request id it carries. Another amount
// is no duplicate; a retry with the first call's --request-id is answered
// with the first entry (LoggedInvestmentAppears...).
TEST_F(CliEndToEndTest, TheSameReportRunTwiceIsNotCountedTwice) {
  const std::vector<std::string> log = {
      "invest", "log", kProject, "--period", "2024-03", "--amount", "3000万"};
  ASSERT_EQ(Cli(log).exit_code, 0);
  RunResult twice = Cli(log);
  EXPECT_EQ(twice.exit_code, 3) << twice.err;
  EXPECT_NE(twice.err.find("--again"), std::string::npos) << twice.err;
  EXPECT_NE(twice.err.find("2024-03 already has an entry"), std::string::npos)
      << twice.err;
  std::vector<std::string> with_id = log;
  with_id.insert(with_id.end(), {"--request-id", "another-id"});
  EXPECT_EQ(Cli(with_id).exit_code, 3);
  EXPECT_EQ(Summary().totals().completed_to_date(), 30000000);

  std::vector<std::string> again = log;
  again.push_back("--again");
  ASSERT_EQ(Cli(again).exit_code, 0);
  EXPECT_EQ(Summary().totals().completed_to_date(), 60000000);
  RunResult other = Cli(
      {"invest", "log", kProject, "--period", "2024-03", "--amount", "500万"});
  EXPECT_EQ(other.exit_code, 0) << other.err;
  EXPECT_EQ(Summary().totals().completed_to_date(), 65000000);
}

TEST_F(CliEndToEndTest, PlanThenReportsGiveCompletionAndStatus) {
  ASSERT_EQ(
      Cli({"plan", "set", kProject, "--year", "2024", "--amount", "1.2亿"})
          .exit_code,
      0);
  ASSERT_EQ(Cli({"invest", "log", kProject, "--period", "2024-06", "--amount",
                 "6000万"})
                .exit_code,
            0);
  RunResult r =
      Cli({"summary", "--year", "2024", "--as-of", "2024-06", "-o", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  v1::PortfolioSummary s;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(r.out, &s, options).ok());
  EXPECT_EQ(s.totals().annual_plan(), 120000000);
  EXPECT_EQ(s.totals().planned_to_date(), 60000000);
  EXPECT_EQ(s.totals().completed_to_date(), 60000000);
  EXPECT_DOUBLE_EQ(s.totals().completion_rate(), 0.5);

  // Half the plan by June is on 序时进度: the project is not lagging.
  RunResult red = Cli(
      {"status", "--year", "2024", "--as-of", "2024-06", "--red", "-o", "csv"});
  ASSERT_EQ(red.exit_code, 0) << red.err;
  EXPECT_EQ(red.out.find(kProject), std::string::npos) << red.out;
}

TEST_F(CliEndToEndTest, BadInputIsRefusedClearly) {
  RunResult amount = Cli(
      {"invest", "log", kProject, "--period", "2024-03", "--amount", "12x"});
  EXPECT_EQ(amount.exit_code, 2);
  EXPECT_NE(amount.err.find("--amount"), std::string::npos) << amount.err;

  RunResult future = Cli(
      {"invest", "log", kProject, "--period", "2099-01", "--amount", "100"});
  EXPECT_EQ(future.exit_code, 3);
  EXPECT_NE(future.err.find("period"), std::string::npos) << future.err;

  RunResult unknown = Cli({"invest", "log", "no-such-project", "--period",
                           "2024-03", "--amount", "100"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_NE(unknown.err.find("NOT_FOUND"), std::string::npos) << unknown.err;

  EXPECT_EQ(Summary().totals().completed_to_date(), 0);
}

TEST_F(CliEndToEndTest, ImportIsAllOrNothingAndNamesTheLine) {
  const std::string file = dir_.File("plans.csv");
  testing::WriteFile(
      file, absl::StrCat("project_id,year,amount\n", kProject, ",2024,1.2亿\n",
                         "liaoda-chemical,2024,"
                         "lots\n"));
  RunResult bad = Cli({"import", "plans", file});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_NE(bad.err.find("line 3"), std::string::npos) << bad.err;
  EXPECT_EQ(Summary().totals().annual_plan(), 0);

  testing::WriteFile(file, absl::StrCat("project_id,year,amount\n", kProject,
                                        ",2024,1.2亿\n"));
  RunResult good = Cli({"import", "plans", file});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_EQ(Summary().totals().annual_plan(), 120000000);
}

TEST_F(CliEndToEndTest, UnreachableServerHasItsOwnExitCode) {
  server_->Stop(SIGTERM);
  RunResult r = Cli({"projects", "list", "--timeout", "2"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find(server_->address()), std::string::npos) << r.err;
}

// Counts the projects the CLI lists (csv rows less the header).
int CountProjects(const RunResult& csv) {
  return static_cast<int>(std::count(csv.out.begin(), csv.out.end(), '\n')) - 1;
}

TEST_F(CliEndToEndTest, GracefulStopKeepsAcknowledgedWrites) {
  RunResult before = Cli({"projects", "list", "-o", "csv"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  ASSERT_EQ(Cli({"invest", "log", kProject, "--period", "2024-05", "--amount",
                 "1,234.5万"})
                .exit_code,
            0);
  RunResult stopped = server_->Stop(SIGTERM);
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  EXPECT_NE(stopped.err.find("stopped"), std::string::npos) << stopped.err;

  StartServer();  // same data directory: no second seed, nothing lost
  const v1::PortfolioSummary s = Summary();
  EXPECT_EQ(s.totals().completed_to_date(), 12345000);
  RunResult after = Cli({"projects", "list", "-o", "csv"});
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_GT(CountProjects(before), 40);
  EXPECT_EQ(CountProjects(after), CountProjects(before));
}

}  // namespace
}  // namespace portfolio

namespace portfolio {
namespace {

TEST(ServerFlagsTest, InconsistentThresholdsAreAUsageError) {
  testing::TempDir dir;
  const testing::RunResult r = testing::Run(
      {PORTFOLIO_SERVER_BIN, "--data-dir", dir.File("data"), "--listen",
       "127.0.0.1:0", "--amber-behind", "20", "--red-behind", "10"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--amber-behind"), std::string::npos) << r.err;
}

TEST(ServerFlagsTest, UnknownFlagIsAUsageErrorAndHelpWorks) {
  EXPECT_EQ(testing::Run({PORTFOLIO_SERVER_BIN, "--bogus"}).exit_code, 2);
  const testing::RunResult help =
      testing::Run({PORTFOLIO_SERVER_BIN, "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--data-dir"), std::string::npos);
}

}  // namespace
}  // namespace portfolio

namespace portfolio {
namespace {

// The district's month with real identities: the admin makes a lead, the
// lead logs in and reports on their project only, and the audit trail says
// who did what.
TEST_F(CliEndToEndTest, ALeadLogsInAndReportsOnlyOnTheirProject) {
  ASSERT_EQ(Cli({"users", "create", "zhang-wei", "--role", "lead"}).exit_code,
            0);
  ASSERT_EQ(Cli({"projects", "leads", "add", kProject, "zhang-wei"}).exit_code,
            0);
  RunResult token = Cli({"tokens", "create", "--user", "zhang-wei", "--name",
                         "laptop", "-o", "json"});
  ASSERT_EQ(token.exit_code, 0) << token.err;
  v1::CreateTokenResponse created;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(token.out, &created, options)
          .ok())
      << token.out;

  // `portfolio login` reads the token from stdin and keeps it in a 0600
  // config file; later commands need no --token.
  const std::map<std::string, std::string> lead_env = {
      {"XDG_CONFIG_HOME", dir_.File("lead-config")},
      {"PORTFOLIO_ADDR", ""},
      {"PORTFOLIO_TOKEN", ""}};
  RunResult login =
      testing::Run({PORTFOLIO_CLI_BIN, "--addr", server_->address(), "login"},
                   lead_env, created.secret() + "\n");
  ASSERT_EQ(login.exit_code, 0) << login.err;
  struct stat st;
  ASSERT_EQ(stat(dir_.File("lead-config/portfolio/config").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);

  auto as_lead = [&](std::vector<std::string> args) {
    args.insert(args.begin(), PORTFOLIO_CLI_BIN);
    return testing::Run(args, lead_env);
  };
  RunResult mine = as_lead(
      {"invest", "log", kProject, "--period", "2024-03", "--amount", "3000万"});
  EXPECT_EQ(mine.exit_code, 0) << mine.err;
  RunResult theirs = as_lead({"invest", "log", "liaoda-chemical", "--period",
                              "2024-03", "--amount", "3000万"});
  EXPECT_EQ(theirs.exit_code, 3);
  EXPECT_NE(theirs.err.find("PERMISSION_DENIED"), std::string::npos)
      << theirs.err;
  EXPECT_EQ(Summary().totals().completed_to_date(), 30000000);

  RunResult audit = Cli({"audit", "list", "--user", "zhang-wei", "-o", "csv"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("PERMISSION_DENIED"), std::string::npos)
      << audit.out;
  EXPECT_NE(audit.out.find("LogInvestment"), std::string::npos) << audit.out;

  // Revoked, the same login no longer works.
  ASSERT_EQ(Cli({"tokens", "revoke", created.token().name()}).exit_code, 0);
  RunResult revoked = as_lead({"projects", "list", "--limit", "1"});
  EXPECT_EQ(revoked.exit_code, 3);
  EXPECT_NE(revoked.err.find("UNAUTHENTICATED"), std::string::npos)
      << revoked.err;
}

TEST_F(CliEndToEndTest, BackupRestoresToTheSameSummary) {
  ASSERT_EQ(Cli({"invest", "log", kProject, "--period", "2024-04", "--amount",
                 "1.2亿"})
                .exit_code,
            0);
  const std::string backup = dir_.File("backup.db");
  RunResult taken = Cli({"admin", "backup", backup});
  ASSERT_EQ(taken.exit_code, 0) << taken.err;
  const v1::PortfolioSummary before = Summary();

  // Restore: a server on a new data directory holding only the copy.
  server_->Stop(SIGTERM);
  ASSERT_EQ(mkdir(dir_.File("restored").c_str(), 0700), 0);
  ASSERT_EQ(rename(backup.c_str(), dir_.File("restored/portfolio.db").c_str()),
            0);
  auto restored = ServerProcess::Start(
      PORTFOLIO_SERVER_BIN,
      {"--data-dir", dir_.File("restored"), "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(restored.ok()) << restored.status();
  server_ = std::move(*restored);
  const v1::PortfolioSummary after = Summary();
  EXPECT_EQ(after.totals().SerializeAsString(),
            before.totals().SerializeAsString());
  EXPECT_EQ(after.totals().completed_to_date(), 120000000);
}

TEST(CliTlsTest, TheCliWorksOverTlsWithACaFileAndPlaintextIsRefused) {
  testing::TempDir dir;
  ASSERT_TRUE(testing::MakeCertificates(dir).ok());
  auto server = ServerProcess::Start(
      PORTFOLIO_SERVER_BIN,
      {"--data-dir", dir.File("data"), "--listen", "127.0.0.1:0", "--tls-cert",
       dir.File("server.pem"), "--tls-key", dir.File("server.key")});
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string token =
      testing::ReadWholeFile(dir.File("data/admin.token"));
  const std::map<std::string, std::string> env = {
      {"XDG_CONFIG_HOME", dir.File("config")},
      {"PORTFOLIO_ADDR", ""},
      {"PORTFOLIO_TOKEN",
       std::string(absl::StripTrailingAsciiWhitespace(token))}};
  RunResult tls =
      testing::Run({PORTFOLIO_CLI_BIN, "--addr", (*server)->address(), "--ca",
                    dir.File("ca.pem"), "summary", "--year", "2024"},
                   env);
  EXPECT_EQ(tls.exit_code, 0) << tls.err;
  EXPECT_NE(tls.out.find("110.00亿"), std::string::npos) << tls.out;
  RunResult plain =
      testing::Run({PORTFOLIO_CLI_BIN, "--addr", (*server)->address(),
                    "--timeout", "3", "summary", "--year", "2024"},
                   env);
  EXPECT_EQ(plain.exit_code, 4);
}

TEST(ServerFlagsTest, PlaintextOnANonLoopbackAddressIsRefused) {
  testing::TempDir dir;
  const RunResult r = testing::Run({PORTFOLIO_SERVER_BIN, "--data-dir",
                                    dir.File("data"), "--listen", "0.0.0.0:0"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--tls-cert"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace portfolio

namespace portfolio {
namespace {

TEST_F(CliEndToEndTest, AClosedMonthRefusesALateReportUntilReopened) {
  ASSERT_EQ(Cli({"periods", "close", "2024-03"}).exit_code, 0);
  RunResult late = Cli(
      {"invest", "log", kProject, "--period", "2024-03", "--amount", "3000万"});
  EXPECT_EQ(late.exit_code, 3);
  EXPECT_NE(late.err.find("FAILED_PRECONDITION"), std::string::npos)
      << late.err;
  EXPECT_NE(late.err.find("2024-03 is closed"), std::string::npos) << late.err;

  RunResult reopen =
      Cli({"periods", "reopen", "2024-03", "--reason", "镇上报送延迟"});
  ASSERT_EQ(reopen.exit_code, 0) << reopen.err;
  RunResult logged = Cli(
      {"invest", "log", kProject, "--period", "2024-03", "--amount", "3000万"});
  EXPECT_EQ(logged.exit_code, 0) << logged.err;
  EXPECT_EQ(Summary().totals().completed_to_date(), 30000000);

  RunResult audit = Cli({"audit", "list", "-o", "csv"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("镇上报送延迟"), std::string::npos) << audit.out;
}

TEST_F(CliEndToEndTest, APlanRevisionNeedsAReasonAndHistoryShowsBoth) {
  ASSERT_EQ(
      Cli({"plan", "set", kProject, "--year", "2024", "--amount", "1.2亿"})
          .exit_code,
      0);
  RunResult refused =
      Cli({"plan", "set", kProject, "--year", "2024", "--amount", "9000万"});
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.err.find("revision_reason"), std::string::npos)
      << refused.err;
  ASSERT_EQ(Cli({"plan", "set", kProject, "--year", "2024", "--amount",
                 "9000万", "--reason", "年中调整:设备延期"})
                .exit_code,
            0);

  RunResult history =
      Cli({"plan", "history", kProject, "--year", "2024", "-o", "csv"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_NE(history.out.find("2024,1,baseline,120000000"), std::string::npos)
      << history.out;
  EXPECT_NE(history.out.find("2024,2,revision,90000000,-30000000"),
            std::string::npos)
      << history.out;
  EXPECT_NE(history.out.find("年中调整:设备延期"), std::string::npos)
      << history.out;

  EXPECT_EQ(Summary().totals().annual_plan(), 90000000);
}

// An amount alone would spread a plan with its own monthly split evenly,
// moving plan into months already past: refused until the user says
// which (the months, or --even), and nothing is written meanwhile.
TEST_F(CliEndToEndTest, AnAmountAloneDoesNotFlattenAPlansOwnSplit) {
  ASSERT_EQ(Cli({"plan", "set", kProject, "--year", "2024", "--monthly",
                 "0,0,1000万,1000万,1000万,1000万,1000万,1000万,1000万,1000万,"
                 "2000万,2000万"})
                .exit_code,
            0);
  RunResult refused = Cli({"plan", "set", kProject, "--year", "2024",
                           "--amount", "1.5亿", "--reason", "追加"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_NE(refused.err.find("--even"), std::string::npos) << refused.err;
  RunResult shown =
      Cli({"plan", "show", kProject, "--year", "2024", "-o", "json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("\"120000000\""), std::string::npos) << shown.out;

  ASSERT_EQ(Cli({"plan", "set", kProject, "--year", "2024", "--amount", "1.5亿",
                 "--even", "--reason", "追加"})
                .exit_code,
            0);
  EXPECT_EQ(Summary().totals().annual_plan(), 150000000);
  // Once even, an amount alone may change it again, and a retry of that
  // call with its request id is answered, not refused.
  const std::vector<std::string> again = {
      "plan",  "set",      kProject, "--year",       "2024",      "--amount",
      "1.8亿", "--reason", "再追加", "--request-id", "plan-again"};
  RunResult first = Cli(again);
  EXPECT_EQ(first.exit_code, 0) << first.err;
  RunResult retry = Cli(again);
  EXPECT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_EQ(Summary().totals().annual_plan(), 180000000);
}

// A reached milestone's date is a fact: running `done` again keeps it,
// and moving it takes --correct, whose retry repeats nothing.
TEST_F(CliEndToEndTest, AReachedMilestonesDateMovesOnlyWithCorrect) {
  ASSERT_EQ(Cli({"milestones", "add", kProject, "--kind", "开工", "--planned",
                 "2024-04-30", "--id", "kg"})
                .exit_code,
            0);
  const std::string m1 = std::string(kProject) + "/kg";
  ASSERT_EQ(Cli({"milestones", "done", m1, "--date", "2024-05-06"}).exit_code,
            0);
  EXPECT_EQ(Cli({"milestones", "done", m1, "--date", "2024-05-06"}).exit_code,
            0);
  RunResult moved = Cli({"milestones", "done", m1, "--date", "2024-05-09"});
  EXPECT_EQ(moved.exit_code, 3) << moved.err;
  EXPECT_NE(moved.err.find("2024-05-06"), std::string::npos) << moved.err;
  EXPECT_NE(moved.err.find("--correct"), std::string::npos) << moved.err;

  const std::vector<std::string> correct = {
      "milestones", "done",         m1,       "--date", "2024-05-09",
      "--correct",  "--request-id", "fix-kg", "-o",     "json"};
  RunResult first = Cli(correct);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("\"day\": 9"), std::string::npos) << first.out;
  RunResult retry = Cli(correct);
  EXPECT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_NE(retry.out.find("\"day\": 9"), std::string::npos) << retry.out;
}

TEST_F(CliEndToEndTest, AManagerReplansAMilestoneAndAReachedOneKeepsItsPlan) {
  ASSERT_EQ(Cli({"milestones", "add", kProject, "--kind", "主体完工",
                 "--planned", "2024-06-30", "--id", "zt"})
                .exit_code,
            0);
  const std::string zt = std::string(kProject) + "/zt";
  RunResult nothing = Cli({"milestones", "replan", zt});
  EXPECT_EQ(nothing.exit_code, 2) << nothing.err;
  EXPECT_NE(nothing.err.find("--planned"), std::string::npos) << nothing.err;
  RunResult both =
      Cli({"milestones", "replan", zt, "--planned", "2024-09-30", "--undated"});
  EXPECT_EQ(both.exit_code, 2) << both.err;

  RunResult moved =
      Cli({"milestones", "replan", zt, "--planned", "2024年9月30日", "--name",
           "二期主体完工", "-o", "json"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_NE(moved.out.find("\"month\": 9"), std::string::npos) << moved.out;
  EXPECT_NE(moved.out.find("二期主体完工"), std::string::npos) << moved.out;

  RunResult undated =
      Cli({"milestones", "replan", zt, "--undated", "-o", "json"});
  ASSERT_EQ(undated.exit_code, 0) << undated.err;
  EXPECT_EQ(undated.out.find("planned_date"), std::string::npos) << undated.out;

  ASSERT_EQ(Cli({"milestones", "done", zt, "--date", "2024-05-06"}).exit_code,
            0);
  RunResult reached =
      Cli({"milestones", "replan", zt, "--planned", "2024-10-31"});
  EXPECT_EQ(reached.exit_code, 3) << reached.err;
  EXPECT_NE(reached.err.find("was reached on 2024-05-06"), std::string::npos)
      << reached.err;
}

TEST_F(CliEndToEndTest, AnInvestmentsFileImportedTwiceIsRefusedUnlessAgain) {
  const std::string file = dir_.File("investments.csv");
  {
    std::ofstream out(file);
    out << "project_id,period,amount\n"
        << kProject << ",2024-03,3000万\n"
        << kProject << ",2024-04,100万\n";
  }
  RunResult first = Cli({"import", "investments", file});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(Summary().totals().completed_to_date(), 31000000);

  RunResult twice = Cli({"import", "investments", file});
  EXPECT_EQ(twice.exit_code, 3) << twice.err;
  EXPECT_NE(twice.err.find("investments.csv line 2"), std::string::npos)
      << twice.err;
  EXPECT_NE(twice.err.find("--again"), std::string::npos) << twice.err;
  EXPECT_EQ(Summary().totals().completed_to_date(), 31000000);

  RunResult wrong_kind = Cli({"import", "plans", file, "--again"});
  EXPECT_EQ(wrong_kind.exit_code, 2) << wrong_kind.err;

  RunResult again = Cli({"import", "investments", file, "--again"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Summary().totals().completed_to_date(), 62000000);
}

// --level without --level-year takes the year the lists and summaries
// take by default (the seeded portfolio's, 2024, though the clock is
// later), so the new project is in the list filtered by that level.
TEST_F(CliEndToEndTest, ANewProjectsLevelIsInTheYearTheListShows) {
  RunResult created = Cli({"projects", "create", "qa-new-level", "--name",
                           "测试项目", "--level", "provincial"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  RunResult listed =
      Cli({"projects", "list", "--level", "provincial", "-o", "csv"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("qa-new-level"), std::string::npos) << listed.out;
  RunResult later =
      Cli({"projects", "create", "qa-later-level", "--name", "测试项目二",
           "--level", "city", "--level-year", "2025"});
  ASSERT_EQ(later.exit_code, 0) << later.err;
  RunResult city = Cli(
      {"projects", "list", "--level", "city", "--year", "2025", "-o", "csv"});
  EXPECT_NE(city.out.find("qa-later-level"), std::string::npos) << city.out;
}

// Without a plan there is no completion rate: "-" for people, an empty
// field for machines, never a 0 that reads as no progress.
TEST_F(CliEndToEndTest, NoPlanShowsNoRateRatherThanZero) {
  auto column = [](const std::string& csv, const std::string& name,
                   const std::string& row_key) {
    std::vector<std::string> lines = absl::StrSplit(csv, '\n');
    std::vector<std::string> header = absl::StrSplit(lines.at(0), ',');
    const size_t at =
        std::find(header.begin(), header.end(), name) - header.begin();
    for (const std::string& line : lines) {
      std::vector<std::string> fields = absl::StrSplit(line, ',');
      if (!fields.empty() && fields[0] == row_key && at < fields.size()) {
        return fields[at];
      }
    }
    return std::string("(no row)");
  };
  RunResult before =
      Cli({"status", "--year", "2024", "--as-of", "2024-06", "-o", "csv"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_EQ(column(before.out, "completion_rate", kProject), "") << before.out;
  RunResult people = Cli({"summary", "--year", "2024", "--as-of", "2024-06"});
  EXPECT_NE(people.out.find("无计划 no plan"), std::string::npos) << people.out;

  ASSERT_EQ(
      Cli({"plan", "set", kProject, "--year", "2024", "--amount", "1.2亿"})
          .exit_code,
      0);
  RunResult after =
      Cli({"status", "--year", "2024", "--as-of", "2024-06", "-o", "csv"});
  EXPECT_EQ(column(after.out, "completion_rate", kProject), "0.0000")
      << after.out;
}

// Flags that could match nothing are said to, as summary says them; a
// period in full-width digits, as an input method types it, is a period.
TEST_F(CliEndToEndTest, ContradictoryOrFullWidthLedgerFlags) {
  RunResult both =
      Cli({"invest", "list", "--year", "2024", "--period", "2025-01"});
  EXPECT_EQ(both.exit_code, 2) << both.err;
  EXPECT_NE(both.err.find("is not in --year 2024"), std::string::npos)
      << both.err;
  RunResult wide = Cli({"invest", "log", " juncheng-forged-wheel ", "--period",
                        "２０２４－０３", "--amount", "３０００万"});
  EXPECT_EQ(wide.exit_code, 0) << wide.err;
  EXPECT_EQ(Summary().totals().completed_to_date(), 30000000);
}

// A file that cannot be written is a local failure (exit 1, as the help
// says), named as the user gave it.
TEST_F(CliEndToEndTest, AnUnwritableOutputExitsOneNamingThePath) {
  const std::string path = dir_.File("no-such-dir/6月.html");
  RunResult r = Cli({"report", "--as-of", "2024-06", "--html", path});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(path + ": cannot create"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(".partial"), std::string::npos) << r.err;
}

TEST_F(CliEndToEndTest, AProblemIsReportedAssignedAndResolved) {
  RunResult added =
      Cli({"problems", "add", kProject, "--category", "用地", "--description",
           "二期用地指标未落实", "--deadline", "2099-12-31", "-o", "json"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("PROBLEM_STATE_OPEN"), std::string::npos)
      << added.out;
  const std::string problem = std::string(kProject) + "/q1";

  // The status as of this month (today is its as-of date, so a problem
  // opened today counts) names it among the reasons.
  const absl::CivilMonth month =
      absl::ToCivilMonth(absl::Now(), DistrictTimeZone());
  RunResult status =
      Cli({"status", "--as-of", absl::StrCat(month.year(), "-", month.month()),
           "-o", "csv"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("待解决问题1个"), std::string::npos) << status.out;

  RunResult bad = Cli({"problems", "add", kProject, "--category", "天气",
                       "--description", "x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--category"), std::string::npos) << bad.err;

  ASSERT_EQ(
      Cli({"problems", "assign", problem, "--unit", "区自然资源局"}).exit_code,
      0);
  ASSERT_EQ(Cli({"problems", "escalate", problem, "--to", "市级"}).exit_code,
            0);
  RunResult open = Cli({"problems", "list", "--open", "-o", "csv"});
  ASSERT_EQ(open.exit_code, 0) << open.err;
  EXPECT_NE(open.out.find("ASSIGNED,CITY"), std::string::npos) << open.out;

  ASSERT_EQ(
      Cli({"problems", "resolve", problem, "--resolution", "已调剂"}).exit_code,
      0);
  RunResult again =
      Cli({"problems", "resolve", problem, "--resolution", "again"});
  EXPECT_EQ(again.exit_code, 3);
  EXPECT_NE(again.err.find("already resolved"), std::string::npos) << again.err;
  RunResult none = Cli({"problems", "list", "--open", "-o", "csv"});
  EXPECT_EQ(none.out.find(kProject), std::string::npos) << none.out;
}

// Asks the server's reflection service (v1alpha) for the file defining
// `symbol`, as a generic client with no generated reflection code does:
// the request and response encoded by hand (ServerReflectionRequest field
// 4 is file_containing_symbol; the response's field 4 is the
// file_descriptor_response, whose field 1 holds FileDescriptorProtos, and
// field 7 an error). Returns the first file's name, or "error: ...".
std::string FileDefining(const std::string& address,
                         const std::string& symbol) {
  auto channel =
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue cq;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto call = stub.PrepareCall(
      &ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      &cq);
  void* tag = nullptr;
  bool ok = false;
  auto step = [&](int want) {
    return cq.Next(&tag, &ok) && ok && tag == reinterpret_cast<void*>(want);
  };
  call->StartCall(reinterpret_cast<void*>(1));
  if (!step(1)) return "error: the call did not start";
  std::string request;
  {
    google::protobuf::io::StringOutputStream raw(&request);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.WriteTag(google::protobuf::internal::WireFormatLite::MakeTag(
        4,
        google::protobuf::internal::WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    out.WriteVarint32(static_cast<uint32_t>(symbol.size()));
    out.WriteString(symbol);
  }
  grpc::Slice slice(request);
  grpc::ByteBuffer sent(&slice, 1);
  call->Write(sent, reinterpret_cast<void*>(2));
  if (!step(2)) return "error: the request was not sent";
  grpc::ByteBuffer received;
  call->Read(&received, reinterpret_cast<void*>(3));
  if (!step(3)) return "error: no response";
  call->WritesDone(reinterpret_cast<void*>(4));
  step(4);
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  step(5);
  std::vector<grpc::Slice> slices;
  if (!received.Dump(&slices).ok()) return "error: unreadable response";
  std::string bytes;
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  google::protobuf::UnknownFieldSet response;
  if (!response.ParseFromString(bytes)) return "error: not a message";
  for (int i = 0; i < response.field_count(); ++i) {
    const google::protobuf::UnknownField& f = response.field(i);
    if (f.number() == 7) return "error: " + f.length_delimited();
    if (f.number() != 4) continue;
    google::protobuf::UnknownFieldSet files;
    if (!files.ParseFromString(f.length_delimited())) break;
    for (int j = 0; j < files.field_count(); ++j) {
      google::protobuf::FileDescriptorProto file;
      if (files.field(j).number() == 1 &&
          file.ParseFromString(files.field(j).length_delimited())) {
        return file.name();
      }
    }
  }
  return "error: no file in the response";
}

// A client that knows none of our protos learns them, and the health
// service's, from the server itself.
TEST(ServerReflectionTest, DescribesOurServicesAndHealth) {
  TempDir dir;
  auto server = ServerProcess::Start(
      PORTFOLIO_SERVER_BIN,
      {"--data-dir", dir.File("data"), "--listen", "127.0.0.1:0", "--no-seed"});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(
      FileDefining((*server)->address(), "portfolio.v1.InvestmentService"),
      "portfolio/v1/service.proto");
  EXPECT_EQ(FileDefining((*server)->address(), "grpc.health.v1.Health"),
            "grpc/health/v1/health.proto");
}

// ServerProcess::Exited, which the benchmark uses to say how a server
// ended: nothing while it runs; its status (128 + signal) and stderr once
// it is gone, after which it is never signalled again.
TEST(ServerProcessTest, ExitedTellsRunningFromEndedWithoutWaiting) {
  TempDir dir;
  auto server = ServerProcess::Start(
      PORTFOLIO_SERVER_BIN,
      {"--data-dir", dir.File("data"), "--listen", "127.0.0.1:0"});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_FALSE((*server)->Exited().has_value());
  const pid_t pid = (*server)->pid();
  ASSERT_GT(pid, 0);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  // Polled, not slept on: the kernel reaps a SIGKILLed process promptly.
  std::optional<RunResult> ended;
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!(ended = (*server)->Exited()).has_value() && absl::Now() < deadline) {
    std::this_thread::yield();
  }
  ASSERT_TRUE(ended.has_value()) << "still running 30 s after SIGKILL";
  EXPECT_EQ(ended->exit_code, 128 + SIGKILL);
  EXPECT_NE(ended->err.find("admin token"), std::string::npos) << ended->err;
  EXPECT_EQ((*server)->pid(), -1);  // reaped: nothing left to signal
}

}  // namespace
}  // namespace portfolio
