#include "client/table.h"

#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "client/display_width.h"
#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// The display column at which `needle` starts in `line`.
int ColumnOf(const std::string& line, const std::string& needle) {
  const size_t at = line.find(needle);
  EXPECT_NE(at, std::string::npos) << needle << " not in " << line;
  return DisplayWidth(line.substr(0, at));
}

Table Sample() {
  Table table({{"项目 id", "id"},
               {"名称 name", "display_name"},
               {"总投资 total", "total_investment", Align::kRight},
               {"园区 park", "park"}});
  table.AddRow({TextCell("byd"), TextCell("比亚迪电池项目"),
                MoneyCell(int64_t{800000000}), TextCell("高铁新区")});
  table.AddRow({TextCell("x-1"), TextCell("ABC"), MoneyCell(int64_t{30000000}),
                TextCell("east")});
  return table;
}

TEST(TableTest, AlignsColumnsByDisplayWidth) {
  std::ostringstream out;
  Sample().PrintAligned(out);
  const std::vector<std::string> lines = Lines(out.str());
  ASSERT_EQ(lines.size(), 3u);
  // Left-aligned columns start at the same display column on every line.
  EXPECT_EQ(ColumnOf(lines[0], "名称"), ColumnOf(lines[1], "比亚迪"));
  EXPECT_EQ(ColumnOf(lines[1], "比亚迪"), ColumnOf(lines[2], "ABC"));
  EXPECT_EQ(ColumnOf(lines[0], "园区"), ColumnOf(lines[1], "高铁新区"));
  EXPECT_EQ(ColumnOf(lines[1], "高铁新区"), ColumnOf(lines[2], "east"));
  // Right-aligned money ends at the same display column.
  const int end1 = ColumnOf(lines[1], "8.00亿") + DisplayWidth("8.00亿");
  const int end2 =
      ColumnOf(lines[2], "3,000.00万") + DisplayWidth("3,000.00万");
  const int end0 =
      ColumnOf(lines[0], "总投资 total") + DisplayWidth("总投资 total");
  EXPECT_EQ(end1, end2);
  EXPECT_EQ(end0, end1);
  // Columns are as wide as their widest cell and no wider: the name column
  // is 14 columns (比亚迪电池项目), the total 12 (its header), gaps 2.
  const int name_start = ColumnOf(lines[0], "名称");
  EXPECT_EQ(end0, name_start + 14 + 2 + 12);
  EXPECT_EQ(ColumnOf(lines[0], "园区"), end0 + 2);
}

TEST(TableTest, LastColumnHasNoTrailingSpaces) {
  std::ostringstream out;
  Sample().PrintAligned(out);
  for (const std::string& line : Lines(out.str())) {
    ASSERT_FALSE(line.empty());
    EXPECT_NE(line.back(), ' ') << line;
  }
}

TEST(TableTest, CsvCarriesExactYuanAndEscapes) {
  Table table({{"名称 name", "display_name"}, {"金额", "amount"}});
  table.AddRow({TextCell("a, \"b\""), MoneyCell(int64_t{30000000})});
  std::ostringstream out;
  table.PrintCsv(out);
  EXPECT_EQ(out.str(), "display_name,amount\n\"a, \"\"b\"\"\",30000000\n");
}

TEST(TableTest, ListHidesDetailColumnsButRecordsShowThem) {
  Table table({{"项目 id", "id"}, {"etag", "etag", Align::kLeft, false}});
  table.AddRow({TextCell("p1"), TextCell("e-123")});
  std::ostringstream list, records;
  table.PrintAligned(list);
  table.PrintRecords(records);
  EXPECT_EQ(list.str().find("e-123"), std::string::npos);
  EXPECT_EQ(records.str(), "项目 id  p1\netag     e-123\n");
}

TEST(TableTest, LineBreaksInsideCellsDoNotBreakRows) {
  Table table(std::vector<Column>{{"note", "note"}});
  table.AddRow({TextCell("two\nlines")});
  std::ostringstream out;
  table.PrintAligned(out);
  EXPECT_EQ(out.str(), "note\ntwo lines\n");
}

TEST(TableTest, CellRenderings) {
  EXPECT_EQ(MoneyCell(int64_t{120000000}).text, "1.20亿");
  EXPECT_EQ(MoneyCell(int64_t{120000000}).csv, "120000000");
  EXPECT_EQ(MoneyCell(std::optional<int64_t>()).text, "");
  EXPECT_EQ(PercentCell(0.4523).text, "45.2%");
  EXPECT_EQ(PointsCell(-10.04).text, "-10.0");
  EXPECT_EQ(PointsCell(1.5).text, "+1.5");
  EXPECT_EQ(IntCell(1234567).text, "1,234,567");
  EXPECT_EQ(IntCell(1234567).csv, "1234567");
}

}  // namespace
}  // namespace portfolio::client
