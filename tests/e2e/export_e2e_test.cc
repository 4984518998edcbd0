// Moving a district to another server, end to end: the real server binary
// seeded from the report, a year's work done through the real CLI,
// `portfolio export DIR`, a second server on an empty database, `portfolio
// import DIR`, and the two servers compared through the CLI's JSON.
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/csv.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "portfolio/v1/service.pb.h"
#include "tests/support/certs.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

using ::portfolio::testing::RunResult;
using ::portfolio::testing::ServerProcess;
using ::portfolio::testing::TempDir;

// Projects of the report's dataset.
constexpr char kWheel[] = "juncheng-forged-wheel";
constexpr char kChemical[] = "liaoda-chemical";

const char* const kFiles[] = {
    "users.csv",       "projects.csv", "portfolio.csv",
    "indicators.csv",  "plans.csv",    "milestones.csv",
    "investments.csv", "problems.csv", "periods.csv"};

// One server and the CLI pointed at it with its admin token.
struct Server {
  std::unique_ptr<ServerProcess> process;
  std::string token;
};

class ExportEndToEndTest : public ::testing::Test {
 protected:
  // Starts a server on a new data directory; `seed` false starts it on an
  // empty database.
  Server Start(const std::string& data, bool seed) {
    std::vector<std::string> args = {"--data-dir", dir_.File(data), "--listen",
                                     "127.0.0.1:0"};
    if (!seed) args.push_back("--no-seed");
    auto process = ServerProcess::Start(PORTFOLIO_SERVER_BIN, args);
    EXPECT_TRUE(process.ok()) << process.status();
    Server server;
    if (!process.ok()) return server;
    server.process = std::move(*process);
    server.token = std::string(absl::StripTrailingAsciiWhitespace(
        testing::ReadWholeFile(dir_.File(data + "/admin.token"))));
    return server;
  }

  RunResult Cli(const Server& server, std::vector<std::string> args) {
    std::vector<std::string> argv = {PORTFOLIO_CLI_BIN, "--addr",
                                     server.process->address()};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::Run(argv, {{"XDG_CONFIG_HOME", dir_.File("config")},
                               {"PORTFOLIO_ADDR", ""},
                               {"PORTFOLIO_TOKEN", server.token}});
  }

  // Runs a command that must succeed.
  std::string Ok(const Server& server, std::vector<std::string> args) {
    RunResult r = Cli(server, args);
    EXPECT_EQ(r.exit_code, 0) << absl::StrJoin(args, " ") << "\n" << r.err;
    return r.out;
  }

  template <typename Message>
  Message Parse(const std::string& json) {
    Message message;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    auto status =
        google::protobuf::util::JsonStringToMessage(json, &message, options);
    EXPECT_TRUE(status.ok()) << status << "\n" << json;
    return message;
  }

  // A year's work on the seeded server: users, levels and other project
  // fields, a plan and its revision,
  // milestones (one done), ledger entries and a correction, a problem
  // assigned, a closed month and a reopened one.
  void DoTheYear(const Server& s) {
    Ok(s, {"users", "create", "li-ming", "--role", "lead", "--name", "李明"});
    Ok(s, {"users", "create", "zhao-lei", "--role", "manager"});
    Ok(s, {"projects", "leads", "add", kWheel, "li-ming"});
    Ok(s,
       {"projects", "update", kWheel, "--level", "provincial", "--level-year",
        "2024", "--park", "高新区", "--total-investment", "12.5亿"});
    Ok(s, {"projects", "update", kChemical, "--level", "city", "--level-year",
           "2024", "--stage", "续建"});
    Ok(s, {"plan", "set", kWheel, "--year", "2024", "--amount", "1.2亿"});
    Ok(s, {"plan", "set", kWheel, "--year", "2024", "--amount", "1.5亿",
           "--reason", "追加二期设备投资"});
    Ok(s, {"plan", "set", kChemical, "--year", "2024", "--amount", "8000万"});
    Ok(s, {"milestones", "add", kWheel, "--kind", "开工", "--planned",
           "2024-04-30"});
    Ok(s, {"milestones", "done", std::string(kWheel) + "/m1", "--date",
           "2024-05-06"});
    Ok(s, {"milestones", "add", kChemical, "--kind", "竣工", "--planned",
           "2024-10-31"});
    const auto march = Parse<v1::InvestmentEntry>(
        Ok(s, {"invest", "log", kWheel, "--period", "2024-03", "--amount",
               "3000万", "-o", "json"}));
    Ok(s, {"invest", "log", kWheel, "--period", "2024-06", "--amount",
           "4,500万", "--note", "设备进场"});
    // A note a spreadsheet would run as a formula: exported as text, and
    // imported back as it was.
    Ok(s, {"invest", "log", kChemical, "--period", "2024-05", "--amount",
           "1.1亿", "--note", "=HYPERLINK(\"http://x\",\"设备款\")"});
    Ok(s, {"invest", "correct", march.name(), "--amount", "-500万", "--reason",
           "重复统计"});
    Ok(s, {"problems", "add", kChemical, "--category", "用地", "--description",
           "二期用地指标未落实", "--deadline", "2024-08-31"});
    Ok(s, {"problems", "assign", std::string(kChemical) + "/q1", "--unit",
           "区自然资源局"});
    Ok(s, {"periods", "close", "2024-05"});
    Ok(s, {"periods", "close", "2024-06"});
    Ok(s, {"periods", "reopen", "2024-06", "--reason", "镇上报送延迟"});
  }

  // The summary for 2024 (`by` "" for totals only), without what differs
  // between two servers holding the same facts: as_known_at (the instant of
  // each read) and the portfolio targets' update_time and etag (when and
  // how often the targets were written: the import writes them once, now).
  v1::PortfolioSummary Summary(const Server& s, const std::string& by) {
    std::vector<std::string> args = {"summary", "--year", "2024", "-o", "json"};
    if (!by.empty()) args.insert(args.end(), {"--by", by});
    auto summary = Parse<v1::PortfolioSummary>(Ok(s, args));
    summary.clear_as_known_at();
    summary.mutable_portfolio()->clear_update_time();
    summary.mutable_portfolio()->clear_etag();
    return summary;
  }

  // The 2024 status list, each status without its as_known_at (the
  // instant of the read).
  v1::ListProjectStatusesResponse Statuses(const Server& s) {
    auto statuses = Parse<v1::ListProjectStatusesResponse>(
        Ok(s, {"status", "--year", "2024", "-o", "json"}));
    for (v1::ProjectStatus& status : *statuses.mutable_project_statuses()) {
      status.clear_as_known_at();
    }
    return statuses;
  }

  TempDir dir_;
};

std::string Differences(const google::protobuf::Message& a,
                        const google::protobuf::Message& b) {
  std::string report;
  google::protobuf::util::MessageDifferencer differ;
  differ.ReportDifferencesToString(&report);
  differ.Compare(a, b);
  return report;
}

// The rows of a CSV file, header first.
std::vector<std::vector<std::string>> Rows(const std::string& path) {
  absl::StatusOr<std::vector<CsvRow>> rows =
      ParseCsv(testing::ReadWholeFile(path));
  EXPECT_TRUE(rows.ok()) << path << ": " << rows.status();
  std::vector<std::vector<std::string>> out;
  if (!rows.ok()) return out;
  for (const CsvRow& row : *rows) {
    out.emplace_back();
    for (const CsvField& f : row.fields) out.back().push_back(f.value);
  }
  return out;
}

// Expects the export in `second` to equal the one in `first`, file for
// file. Entry numbers are the importing server's own: investments.csv is
// compared through the map from the first file's numbers to the second's.
// Returns the first's ledger rows, header first.
std::vector<std::vector<std::string>> ExpectSameExport(
    const std::string& first, const std::string& second) {
  for (const char* file : kFiles) {
    if (std::string(file) == "investments.csv") continue;
    EXPECT_EQ(testing::ReadWholeFile(absl::StrCat(second, "/", file)),
              testing::ReadWholeFile(absl::StrCat(first, "/", file)))
        << file;
  }
  const auto ledger_a = Rows(first + "/investments.csv");
  const auto ledger_b = Rows(second + "/investments.csv");
  EXPECT_EQ(ledger_b.size(), ledger_a.size());
  if (ledger_a.empty() || ledger_b.size() != ledger_a.size()) return ledger_a;
  EXPECT_EQ(ledger_b[0], ledger_a[0]);
  std::map<std::string, std::string> renumbered;  // first's -> second's
  for (size_t i = 1; i < ledger_a.size(); ++i) {
    std::vector<std::string> a = ledger_a[i], b = ledger_b[i];
    renumbered[a[0]] = b[0];
    if (!a[5].empty()) {
      EXPECT_TRUE(renumbered.count(a[5])) << "corrects " << a[5];
      a[5] = renumbered[a[5]];
    }
    a[0] = b[0];
    EXPECT_EQ(b, a) << "row " << i;
  }
  return ledger_a;
}

TEST_F(ExportEndToEndTest, ExportThenImportGivesTheSameSummaryAndExport) {
  const Server first = Start("first", /*seed=*/true);
  ASSERT_NE(first.process, nullptr);
  DoTheYear(first);
  Ok(first, {"export", dir_.File("export1")});
  for (const char* file : kFiles) {
    struct stat st;
    EXPECT_EQ(stat(dir_.File(absl::StrCat("export1/", file)).c_str(), &st), 0)
        << file;
  }
  EXPECT_NE(testing::ReadWholeFile(dir_.File("export1/investments.csv"))
                .find("\"'=HYPERLINK(\"\"http://x\"\""),
            std::string::npos);

  const Server second = Start("second", /*seed=*/false);
  ASSERT_NE(second.process, nullptr);
  // Nothing there before the import: the comparison below is not vacuous.
  EXPECT_EQ(Summary(second, "").totals().project_count(), 0);
  RunResult imported = Cli(second, {"import", dir_.File("export1"),
                                    "--request-id", "move-1", "-o", "csv"});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  for (const char* file : kFiles) {
    EXPECT_NE(imported.out.find(file), std::string::npos) << imported.out;
  }

  // The problem was opened today on both servers, after every 2024 date,
  // so neither counts it in 2024 (see ADemoYearMovedFileByFileExportsTheSame
  // for problems opened within the year).
  for (const std::string by :
       {"", "level", "chapter", "park", "sector", "stage", "lead"}) {
    const v1::PortfolioSummary a = Summary(first, by);
    const v1::PortfolioSummary b = Summary(second, by);
    EXPECT_EQ(Differences(a, b), "") << "--by " << by;
    if (!by.empty()) {
      EXPECT_GT(a.groups_size(), 1) << by;
    }
  }
  const v1::PortfolioSummary totals = Summary(first, "");
  // 1.5亿 (the revision) + 8000万 planned; 3000万 - 500万 + 4500万 + 1.1亿
  // reported.
  EXPECT_EQ(totals.totals().annual_plan(), 230000000);
  EXPECT_EQ(totals.totals().completed_to_date(), 180000000);
  EXPECT_EQ(totals.totals().started_count(), 1);
  EXPECT_GT(totals.totals().red_count() + totals.totals().amber_count(), 0);

  const v1::ListProjectStatusesResponse statuses_a = Statuses(first);
  const v1::ListProjectStatusesResponse statuses_b = Statuses(second);
  EXPECT_GT(statuses_a.project_statuses_size(), 40);
  EXPECT_EQ(Differences(statuses_a, statuses_b), "");

  // The second server's export is the first's, file for file (here both
  // servers number entries from 1, but the comparison does not rely on it).
  Ok(second, {"export", dir_.File("export2")});
  const auto ledger_a =
      ExpectSameExport(dir_.File("export1"), dir_.File("export2"));
  ASSERT_EQ(ledger_a.size(), 5u);  // header, 3 reports, 1 correction
  EXPECT_EQ(ledger_a[4][3], "-5000000");
  EXPECT_EQ(ledger_a[4][6], "重复统计");

  // The same import again, with the same request id: every file is answered
  // from the first time and nothing is written twice.
  RunResult again =
      Cli(second, {"import", dir_.File("export1"), "--request-id", "move-1"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Summary(second, "").totals().completed_to_date(), 180000000);
}

// A whole synthetic year (revisions, corrections, late reports, reopened
// months, problems resolved) moved file by file, which `import DIR`
// refuses for synthetic data but `import KIND FILE` allows: the second
// server's export equals the first's, and so do its summaries, problem
// counts included (problems.csv carries the days each problem was opened
// and resolved, which is what a summary of a 2024 month judges them by).
TEST_F(ExportEndToEndTest, ADemoYearMovedFileByFileExportsTheSame) {
  const RunResult demo =
      testing::Run({PORTFOLIO_DEMO_BIN, "--data-dir", dir_.File("demo")});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  const Server first = Start("demo", /*seed=*/true);  // already filled
  ASSERT_NE(first.process, nullptr);
  Ok(first, {"export", dir_.File("export1")});
  const Server second = Start("second", /*seed=*/false);
  ASSERT_NE(second.process, nullptr);
  for (const char* file : kFiles) {
    std::string kind(absl::StripSuffix(file, ".csv"));
    if (kind == "portfolio") kind = "portfolios";
    Ok(second, {"import", kind, dir_.File(absl::StrCat("export1/", file))});
  }
  Ok(second, {"export", dir_.File("export2")});
  const auto ledger =
      ExpectSameExport(dir_.File("export1"), dir_.File("export2"));
  EXPECT_GT(ledger.size(), 100u);
  int revisions = 0;
  for (const auto& row : Rows(dir_.File("export1/plans.csv"))) {
    revisions += row.size() == 16 && row[15] != "reason" && !row[15].empty();
  }
  EXPECT_GT(revisions, 0) << "the demo revises some plans mid-year";

  for (const std::string by : {"", "level", "park", "stage", "lead"}) {
    v1::PortfolioSummary a = Summary(first, by);
    v1::PortfolioSummary b = Summary(second, by);
    EXPECT_FALSE(a.dataset_label().empty());
    a.clear_dataset_label();  // the label is what the import cannot carry
    EXPECT_GT(a.totals().open_problem_count() + a.totals().red_count(), 0);
    EXPECT_EQ(Differences(a, b), "") << "--by " << by;
  }
}

TEST_F(ExportEndToEndTest, ExportRefusesToOverwriteUnlessForced) {
  const Server s = Start("data", /*seed=*/true);
  ASSERT_NE(s.process, nullptr);
  Ok(s, {"export", dir_.File("out")});
  RunResult again = Cli(s, {"export", dir_.File("out")});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("--force"), std::string::npos) << again.err;
  Ok(s, {"export", dir_.File("out"), "--force"});
}

TEST_F(ExportEndToEndTest, AnImportOfADirectoryStopsAtTheFirstBadFile) {
  const Server s = Start("data", /*seed=*/true);
  ASSERT_NE(s.process, nullptr);
  ASSERT_EQ(mkdir(dir_.File("in").c_str(), 0700), 0);
  testing::WriteFile(dir_.File("in/users.csv"),
                     "id,display_name,role,disabled\nwang,王,viewer,false\n");
  testing::WriteFile(dir_.File("in/milestones.csv"),
                     "project_id,id,kind\nno-such-project,m1,start\n");
  testing::WriteFile(dir_.File("in/periods.csv"),
                     "period,closed\n2024-01,true\n");
  RunResult r = Cli(s, {"import", dir_.File("in"), "--request-id", "bad-1"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("milestones.csv"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("NOT_FOUND"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("imported before it: users.csv"), std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("users.csv"), std::string::npos) << r.out;
  // users.csv went in; periods.csv, after the bad file, did not.
  EXPECT_EQ(Cli(s, {"users", "show", "wang"}).exit_code, 0);
  RunResult periods = Cli(s, {"periods", "list", "-o", "csv"});
  EXPECT_EQ(periods.out.find("2024-01"), std::string::npos) << periods.out;

  // A lone kind word is not taken for a directory.
  RunResult missing = Cli(s, {"import", "plans"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("FILE"), std::string::npos) << missing.err;
}

TEST_F(ExportEndToEndTest, SyntheticDataIsExportedMarkedAndNeverImported) {
  const RunResult demo =
      testing::Run({PORTFOLIO_DEMO_BIN, "--data-dir", dir_.File("demo"),
                    "--through", "2024-02"});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  const Server synthetic = Start("demo", /*seed=*/true);  // already filled
  ASSERT_NE(synthetic.process, nullptr);
  const std::string out = Ok(synthetic, {"export", dir_.File("demo-export")});
  EXPECT_NE(out.find("SYNTHETIC-DEMO-DATA.txt"), std::string::npos) << out;
  EXPECT_NE(
      testing::ReadWholeFile(dir_.File("demo-export/SYNTHETIC-DEMO-DATA.txt"))
          .find("SYNTHETIC DEMO DATA"),
      std::string::npos);

  const Server empty = Start("empty", /*seed=*/false);
  ASSERT_NE(empty.process, nullptr);
  RunResult refused = Cli(empty, {"import", dir_.File("demo-export")});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("synthetic data"), std::string::npos)
      << refused.err;
  EXPECT_EQ(Summary(empty, "").totals().project_count(), 0);

  // Real data exported over it with --force takes the warning away with
  // the synthetic files.
  Ok(empty, {"export", dir_.File("demo-export"), "--force"});
  struct stat st;
  EXPECT_NE(stat(dir_.File("demo-export/SYNTHETIC-DEMO-DATA.txt").c_str(), &st),
            0);
}

}  // namespace
}  // namespace portfolio
