// The month's reports end to end: the real server with the report's data,
// plans and ledger entries logged through the real CLI, then `bulletin` and
// `report` checked against `summary -o json` to the yuan, the workbook read
// back as a zip, and the page rendered by a real browser when there is one.
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "portfolio/v1/service.pb.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::portfolio::testing::RunResult;
using ::portfolio::testing::ServerProcess;
using ::portfolio::testing::TempDir;

constexpr char kChromium[] = "/usr/bin/chromium";
constexpr char kTimeout[] = "/usr/bin/timeout";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool Exists(const std::string& path) { return std::ifstream(path).good(); }

// Little-endian fields of the zip format.
uint32_t Le(const std::string& data, size_t at, int bytes) {
  uint32_t value = 0;
  for (int i = bytes - 1; i >= 0; --i) {
    value = (value << 8) | static_cast<unsigned char>(data.at(at + i));
  }
  return value;
}

// The members of a zip file by name, stored or deflated, read through its
// central directory (as any spreadsheet program reads an .xlsx). An empty
// map when the file is not a zip.
std::map<std::string, std::string> Unzip(const std::string& zip) {
  std::map<std::string, std::string> members;
  if (zip.size() < 22) return members;
  size_t end = zip.size() - 22;  // the end record, before any comment
  while (end > 0 && Le(zip, end, 4) != 0x06054b50) --end;
  if (Le(zip, end, 4) != 0x06054b50) return members;
  size_t entry = Le(zip, end + 16, 4);
  for (uint32_t n = Le(zip, end + 10, 2); n > 0; --n) {
    if (Le(zip, entry, 4) != 0x02014b50) return {};
    const uint32_t method = Le(zip, entry + 10, 2);
    const uint32_t packed = Le(zip, entry + 20, 4);
    const uint32_t size = Le(zip, entry + 24, 4);
    const uint32_t name_length = Le(zip, entry + 28, 2);
    const uint32_t local = Le(zip, entry + 42, 4);
    const std::string name = zip.substr(entry + 46, name_length);
    const size_t data =
        local + 30 + Le(zip, local + 26, 2) + Le(zip, local + 28, 2);
    std::string content = zip.substr(data, packed);
    if (method == 8) {
      std::string inflated(size, '\0');
      z_stream z{};
      inflateInit2(&z, -MAX_WBITS);  // raw deflate, as zip stores it
      z.next_in = reinterpret_cast<Bytef*>(content.data());
      z.avail_in = packed;
      z.next_out = reinterpret_cast<Bytef*>(inflated.data());
      z.avail_out = size;
      const int status = inflate(&z, Z_FINISH);
      inflateEnd(&z);
      if (status != Z_STREAM_END) return {};
      content = inflated;
    }
    members[name] = content;
    entry += 46 + name_length + Le(zip, entry + 30, 2) + Le(zip, entry + 32, 2);
  }
  return members;
}

class ReportEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = ServerProcess::Start(
        PORTFOLIO_SERVER_BIN,
        {"--data-dir", dir_.File("data"), "--listen", "127.0.0.1:0"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    std::ifstream in(dir_.File("data/admin.token"));
    std::getline(in, token_);
    ASSERT_FALSE(token_.empty());
    Seed();
  }

  RunResult Cli(std::vector<std::string> args) {
    std::vector<std::string> argv = {PORTFOLIO_CLI_BIN, "--addr",
                                     server_->address()};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::Run(argv, {{"XDG_CONFIG_HOME", dir_.File("config")},
                               {"PORTFOLIO_ADDR", ""},
                               {"PORTFOLIO_TOKEN", token_}});
  }

  void Ok(std::vector<std::string> args) {
    const RunResult r = Cli(args);
    ASSERT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ": " << r.err;
  }

  // Two parks, three levels, plans and reports with odd yuan, and a start
  // milestone long overdue.
  void Seed() {
    Ok({"projects", "update", "juncheng-forged-wheel", "--park", "高铁新区",
        "--level", "provincial", "--level-year", "2024"});
    Ok({"projects", "update", "liaoda-chemical", "--park", "博平镇", "--level",
        "city", "--level-year", "2024"});
    Ok({"projects", "update", "xinfa-hongmeng", "--park", "高铁新区"});
    Ok({"plan", "set", "juncheng-forged-wheel", "--year", "2024", "--amount",
        "1.2亿"});
    Ok({"plan", "set", "liaoda-chemical", "--year", "2024", "--amount",
        "3000万"});
    Ok({"plan", "set", "xinfa-hongmeng", "--year", "2024", "--amount",
        "12345678"});
    Ok({"invest", "log", "juncheng-forged-wheel", "--period", "2024-03",
        "--amount", "3000万"});
    Ok({"invest", "log", "juncheng-forged-wheel", "--period", "2024-05",
        "--amount", "1,234.5万"});
    Ok({"invest", "log", "liaoda-chemical", "--period", "2024-06", "--amount",
        "123457"});
    Ok({"invest", "log", "xinfa-hongmeng", "--period", "2024-02", "--amount",
        "1000001"});
    Ok({"milestones", "add", "liaoda-chemical", "--kind", "开工", "--planned",
        "2024-03-01"});
  }

  template <typename Message>
  Message Json(const std::vector<std::string>& args) {
    const RunResult r = Cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    Message message;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(r.out, &message, options)
            .ok())
        << r.out;
    return message;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::string token_;
};

TEST_F(ReportEndToEndTest, ReportFilesMatchTheSummaryToTheYuan) {
  const auto summary = Json<v1::PortfolioSummary>(
      {"summary", "--year", "2024", "--as-of", "2024-06", "-o", "json"});
  const int64_t completed = summary.totals().completed_to_date();
  const int64_t plan = summary.totals().annual_plan();
  ASSERT_EQ(completed, 30000000 + 12345000 + 123457 + 1000001);
  ASSERT_EQ(plan, 120000000 + 30000000 + 12345678);

  const std::string html = dir_.File("report.html");
  const std::string xlsx = dir_.File("report.xlsx");
  const RunResult r = Cli({"report", "--year", "2024", "--as-of", "2024-06",
                           "--html", html, "--xlsx", xlsx});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const std::string page = ReadFile(html);
  EXPECT_NE(page.find(absl::StrCat("data-field=\"completed_to_date\">",
                                   completed, "<")),
            std::string::npos);
  EXPECT_NE(page.find(absl::StrCat("data-field=\"annual_plan\">", plan, "<")),
            std::string::npos);
  EXPECT_NE(page.find("高铁新区"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);

  const std::map<std::string, std::string> book = Unzip(ReadFile(xlsx));
  ASSERT_TRUE(book.count("xl/workbook.xml")) << "not an xlsx zip";
  const std::string& workbook = book.at("xl/workbook.xml");
  for (const char* sheet :
       {"汇总", "月度曲线", "按级别", "按篇章", "排名", "红色项目"}) {
    EXPECT_NE(workbook.find(absl::StrCat("name=\"", sheet, "\"")),
              std::string::npos)
        << sheet << "\n"
        << workbook;
  }
  for (int i = 1; i <= 6; ++i) {
    EXPECT_TRUE(book.count(absl::StrCat("xl/worksheets/sheet", i, ".xml")))
        << i;
  }
  // Money is a number in yuan, not text.
  EXPECT_NE(book.at("xl/worksheets/sheet1.xml")
                .find(absl::StrCat("<v>", completed, "</v>")),
            std::string::npos);
}

TEST_F(ReportEndToEndTest, BulletinGroupsAreTheSummarysToTheYuan) {
  const auto summary =
      Json<v1::PortfolioSummary>({"summary", "--year", "2024", "--as-of",
                                  "2024-06", "--by", "park", "-o", "json"});
  const auto bulletin = Json<v1::PortfolioSummary>(
      {"bulletin", "--year", "2024", "--as-of", "2024-06", "-o", "json"});
  ASSERT_GE(summary.groups_size(), 2);
  ASSERT_EQ(bulletin.groups_size(), summary.groups_size());
  std::map<std::string, v1::SummaryGroup> by_key;
  for (const v1::SummaryGroup& g : summary.groups()) by_key[g.key()] = g;
  int last_rank = 1;
  for (const v1::SummaryGroup& g : bulletin.groups()) {
    ASSERT_TRUE(by_key.count(g.key())) << g.key();
    EXPECT_TRUE(MessageDifferencer::Equals(g, by_key[g.key()])) << g.key();
    // Ranked first, best first; unranked (0) after every ranked group.
    const int rank = g.rank() > 0 ? g.rank() : 1 << 30;
    EXPECT_GE(rank, last_rank) << g.key();
    last_rank = rank;
  }
  EXPECT_TRUE(MessageDifferencer::Equals(bulletin.totals(), summary.totals()));
  EXPECT_EQ(bulletin.groups(0).key(), "高铁新区");  // 42.4% beats 0.4%
  EXPECT_EQ(bulletin.groups(0).rank(), 1);

  const RunResult table =
      Cli({"bulletin", "--year", "2024", "--as-of", "2024-06"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("合计 total"), std::string::npos) << table.out;

  // Nothing due has no rate: an empty field, not a 0.0000 that reads as
  // none of them done.
  const RunResult csv =
      Cli({"bulletin", "--year", "2024", "--as-of", "2024-06", "-o", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const std::vector<std::string> lines =
      absl::StrSplit(csv.out, '\n', absl::SkipEmpty());
  ASSERT_GE(lines.size(), 2u);
  const std::vector<std::string> header = absl::StrSplit(lines[0], ',');
  const auto column = [&header](const std::string& name) {
    return std::find(header.begin(), header.end(), name) - header.begin();
  };
  const size_t due = column("start_due_count"), rate = column("start_rate");
  ASSERT_LT(due, header.size());
  ASSERT_LT(rate, header.size());
  int none_due = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> fields = absl::StrSplit(lines[i], ',');
    ASSERT_EQ(fields.size(), header.size()) << lines[i];
    if (fields[due] == "0") {
      ++none_due;
      EXPECT_EQ(fields[rate], "") << lines[i];
    }
  }
  EXPECT_GT(none_due, 0) << csv.out;
}

TEST_F(ReportEndToEndTest, AsKnownOnReproducesAnEarlierSummary) {
  const auto before = Json<v1::PortfolioSummary>(
      {"summary", "--year", "2024", "--as-of", "2024-06", "-o", "json"});
  ASSERT_TRUE(before.has_as_known_at());
  const std::string instant =
      google::protobuf::util::TimeUtil::ToString(before.as_known_at());
  Ok({"invest", "log", "liaoda-chemical", "--period", "2024-06", "--amount",
      "777万"});

  const auto now = Json<v1::PortfolioSummary>(
      {"summary", "--year", "2024", "--as-of", "2024-06", "-o", "json"});
  EXPECT_EQ(now.totals().completed_to_date(),
            before.totals().completed_to_date() + 7770000);
  const auto then = Json<v1::PortfolioSummary>(
      {"summary", "--year", "2024", "--as-of", "2024-06", "--as-known-on",
       instant, "-o", "json"});
  EXPECT_EQ(then.totals().completed_to_date(),
            before.totals().completed_to_date());
  EXPECT_TRUE(
      MessageDifferencer::Equals(then.as_known_at(), before.as_known_at()));

  // Nothing had been recorded by the end of 2024-06-30 in the district.
  const auto early = Json<v1::PortfolioSummary>(
      {"summary", "--year", "2024", "--as-of", "2024-06", "--as-known-on",
       "2024-06-30", "-o", "json"});
  EXPECT_EQ(early.totals().completed_to_date(), 0);
  EXPECT_EQ(early.as_known_at().seconds(), 1719763199);
  EXPECT_EQ(early.as_known_at().nanos(), 999999000);

  const RunResult bad = Cli({"summary", "--as-known-on", "last week"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--as-known-on"), std::string::npos) << bad.err;
}

TEST_F(ReportEndToEndTest, ABrowserRendersTheReport) {
  if (!Exists(kChromium) || !Exists(kTimeout)) {
    GTEST_SKIP() << kChromium << " is not installed";
  }
  const std::string html = dir_.File("report.html");
  ASSERT_EQ(Cli({"report", "--as-of", "2024-06", "--html", html}).exit_code, 0);
  const std::string png = dir_.File("report.png");
  const RunResult shot = testing::Run(
      {kTimeout, "120", kChromium, "--headless", "--no-sandbox",
       "--disable-gpu", "--user-data-dir=" + dir_.File("chromium"),
       "--screenshot=" + png, "--window-size=1280,2400", "file://" + html},
      {{"HOME", dir_.path()}});
  ASSERT_EQ(shot.exit_code, 0) << shot.err;
  const std::string image = ReadFile(png);
  ASSERT_GT(image.size(), 24u);
  EXPECT_EQ(image.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  // IHDR: width and height, big-endian, as asked.
  auto be32 = [&image](size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) {
      v = (v << 8) | static_cast<unsigned char>(image[at + i]);
    }
    return v;
  };
  EXPECT_EQ(be32(16), 1280u);
  EXPECT_EQ(be32(20), 2400u);
  // A blank page compresses to a few kilobytes; text, tables and charts
  // do not.
  EXPECT_GT(image.size(), 40000u);
}

}  // namespace
}  // namespace portfolio
