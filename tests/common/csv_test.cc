#include "common/csv.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace portfolio {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The values of each row.
std::vector<std::vector<std::string>> Values(const std::vector<CsvRow>& rows) {
  std::vector<std::vector<std::string>> out;
  for (const CsvRow& row : rows) {
    std::vector<std::string> values;
    for (const CsvField& field : row.fields) values.push_back(field.value);
    out.push_back(values);
  }
  return out;
}

std::vector<int> Lines(const std::vector<CsvRow>& rows) {
  std::vector<int> out;
  for (const CsvRow& row : rows) out.push_back(row.line);
  return out;
}

std::vector<int> Columns(const CsvRow& row) {
  std::vector<int> out;
  for (const CsvField& field : row.fields) out.push_back(field.column);
  return out;
}

std::vector<CsvRow> ParseOk(const std::string& text) {
  absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(text);
  EXPECT_TRUE(rows.ok()) << rows.status();
  return rows.value_or(std::vector<CsvRow>());
}

std::string ParseError(const std::string& text) {
  absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(text);
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(rows.status().message());
}

using Row = std::vector<std::string>;

TEST(ParseCsvTest, SplitsRowsAndFields) {
  const std::vector<CsvRow> rows = ParseOk("id,name\nabc,Alpha\n");
  EXPECT_THAT(Values(rows),
              ElementsAre(Row{"id", "name"}, Row{"abc", "Alpha"}));
  EXPECT_THAT(Lines(rows), ElementsAre(1, 2));
}

TEST(ParseCsvTest, LastLineWithoutNewline) {
  EXPECT_THAT(Values(ParseOk("a,b\n1,2")),
              ElementsAre(Row{"a", "b"}, Row{"1", "2"}));
}

TEST(ParseCsvTest, EmptyTextHasNoRows) { EXPECT_TRUE(ParseOk("").empty()); }

TEST(ParseCsvTest, EmptyFieldsKept) {
  EXPECT_THAT(Values(ParseOk("a,,c\nx,y,\n")),
              ElementsAre(Row{"a", "", "c"}, Row{"x", "y", ""}));
}

TEST(ParseCsvTest, QuotedFieldHoldsComma) {
  EXPECT_THAT(Values(ParseOk("\"a,b\",c\n")), ElementsAre(Row{"a,b", "c"}));
}

TEST(ParseCsvTest, DoubledQuoteIsAQuote) {
  EXPECT_THAT(Values(ParseOk("\"say \"\"hi\"\"\",x\n")),
              ElementsAre(Row{"say \"hi\"", "x"}));
}

TEST(ParseCsvTest, EmptyQuotedField) {
  EXPECT_THAT(Values(ParseOk("\"\",x\n")), ElementsAre(Row{"", "x"}));
}

TEST(ParseCsvTest, QuotedFieldHoldsNewlineAndNextRowKeepsItsLine) {
  const std::vector<CsvRow> rows =
      ParseOk("h1,h2\n\"first\nsecond\",x\nnext,y\n");
  EXPECT_THAT(Values(rows),
              ElementsAre(Row{"h1", "h2"}, Row{"first\nsecond", "x"},
                          Row{"next", "y"}));
  EXPECT_THAT(Lines(rows), ElementsAre(1, 2, 4));
}

TEST(ParseCsvTest, CrlfLineEnds) {
  const std::vector<CsvRow> rows = ParseOk("a,b\r\n1,\"2\"\r\n");
  EXPECT_THAT(Values(rows), ElementsAre(Row{"a", "b"}, Row{"1", "2"}));
  EXPECT_THAT(Lines(rows), ElementsAre(1, 2));
}

TEST(ParseCsvTest, LeadingBomIgnored) {
  const std::vector<CsvRow> rows = ParseOk("\xEF\xBB\xBFid,name\n");
  EXPECT_THAT(Values(rows), ElementsAre(Row{"id", "name"}));
  EXPECT_THAT(Columns(rows[0]), ElementsAre(1, 4));
}

TEST(ParseCsvTest, BlankLinesSkippedButCounted) {
  const std::vector<CsvRow> rows = ParseOk("a\n\n\nb\r\n\r\nc\n");
  EXPECT_THAT(Values(rows), ElementsAre(Row{"a"}, Row{"b"}, Row{"c"}));
  EXPECT_THAT(Lines(rows), ElementsAre(1, 4, 6));
}

TEST(ParseCsvTest, ColumnsCountCharacters) {
  const std::vector<CsvRow> rows = ParseOk("ab,c,,def\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(Columns(rows[0]), ElementsAre(1, 4, 6, 7));
}

TEST(ParseCsvTest, ColumnsCountChineseCharactersNotBytes) {
  // 项目名称 is four characters (twelve bytes).
  const std::vector<CsvRow> rows = ParseOk("项目名称,阶段,x\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(Columns(rows[0]), ElementsAre(1, 6, 9));
}

TEST(ParseCsvTest, ColumnsAfterQuotedChineseCountCharacters) {
  // "项目" occupies columns 1-4 (two quotes, two characters); x is column 6.
  const std::vector<CsvRow> rows = ParseOk("\"项目\",x\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_THAT(Columns(rows[0]), ElementsAre(1, 6));
}

TEST(ParseCsvTest, UnterminatedQuoteNamesWhereTheQuoteOpened) {
  EXPECT_THAT(ParseError("a,b\nc,\"oops\nmore\n"),
              HasSubstr("line 2, column 3"));
}

TEST(ParseCsvTest, UnterminatedQuoteAfterChineseCountsCharacters) {
  EXPECT_THAT(ParseError("名称,\"abc"), HasSubstr("line 1, column 4"));
}

TEST(ParseCsvTest, TextAfterClosingQuoteRefused) {
  const std::string message = ParseError("x\n\"ab\"c,d\n");
  EXPECT_THAT(message, HasSubstr("line 2, column 5"));
  EXPECT_THAT(message, HasSubstr("closing quote"));
}

TEST(ParseCsvTest, TextAfterQuotedChineseReportsCharacterColumn) {
  // Open quote column 1, 项 2, 目 3, close quote 4, stray x column 5.
  EXPECT_THAT(ParseError("\"项目\"x\n"), HasSubstr("line 1, column 5"));
}

TEST(ParseCsvTest, InvalidUtf8Refused) {
  EXPECT_THAT(ParseError("ok\n\xFF\n"), HasSubstr("UTF-8"));
}

TEST(ParseCsvTest, InvalidUtf8NamesLineAndColumn) {
  // The contract promises "line L, column C" for invalid UTF-8 too.
  EXPECT_THAT(ParseError("ok\nab\xFF\n"), HasSubstr("line 2, column 3"));
}

TEST(ParseCsvTest, TruncatedUtf8SequenceRefused) {
  // The first two bytes of 项 (E9 A1 B9) at the end of the text.
  EXPECT_THAT(ParseError("a,\xE9\xA1"), HasSubstr("UTF-8"));
}

TEST(CsvEscapeTest, PlainTextUnchanged) {
  EXPECT_EQ(CsvEscape("高铁新区"), "高铁新区");
}

TEST(CsvEscapeTest, QuotesWhenNeeded) {
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvEscape("two\nlines"), "\"two\nlines\"");
}

TEST(CsvEscapeTest, EscapedFieldsParseBack) {
  const std::vector<std::string> values = {"a,b", "say \"hi\"", "two\nlines",
                                           "plain"};
  std::string line;
  for (const std::string& v : values) {
    if (!line.empty()) line += ",";
    line += CsvEscape(v);
  }
  const std::vector<CsvRow> rows = ParseOk(line + "\n");
  EXPECT_THAT(Values(rows), ElementsAre(values));
}

// A cell a spreadsheet would run (=HYPERLINK(...), @SUM(...), +cmd) is
// written as text; numbers, signed or not, stay numbers.
TEST(CsvEscapeTest, AFormulaIsWrittenAsText) {
  EXPECT_EQ(CsvEscape("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvEscape("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvEscape("+cmd"), "'+cmd");
  EXPECT_EQ(CsvEscape("-2+3"), "'-2+3");
  EXPECT_EQ(CsvEscape("\t=1"), "'\t=1");
  EXPECT_EQ(CsvEscape("-5000000"), "-5000000");
  EXPECT_EQ(CsvEscape("+3.5"), "+3.5");
  EXPECT_EQ(CsvEscape("-"), "'-");
  EXPECT_EQ(CsvEscape("a=b"), "a=b");
  EXPECT_EQ(CsvEscape("'quoted'"), "'quoted'");
}

// What an export writes, an import reads back exactly, apostrophes a user
// typed included.
TEST(CsvEscapeTest, EveryValueComesBackExactly) {
  const std::vector<std::string> values = {
      "=1+1", "'=1+1",           "''@x",  "-5", "'-5",
      "'",    "'plain",          "plain", "-",  "@",
      "=",    "+86 635 1234567", "-0.5",  "'+3"};
  for (const std::string& v : values) {
    const std::vector<CsvRow> rows = ParseOk(CsvEscape(v) + "\n");
    ASSERT_EQ(rows.size(), 1u) << v;
    ASSERT_EQ(rows[0].fields.size(), 1u) << v;
    EXPECT_EQ(CsvUnescapeFormula(rows[0].fields[0].value), v);
  }
}

TEST(ParseCsvTest, RefusesSurrogatesOverlongFormsAndCodePointsAboveUnicode) {
  for (const char* bad : {"a,\xED\xA0\x80\n",         // U+D800, a surrogate
                          "a,\xE0\x80\x80\n",         // overlong NUL
                          "a,\xF4\x90\x80\x80\n"}) {  // above U+10FFFF
    SCOPED_TRACE(bad);
    absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(bad);
    ASSERT_FALSE(rows.ok());
    EXPECT_NE(rows.status().message().find("line 1, column 3"),
              std::string::npos)
        << rows.status();
  }
  EXPECT_TRUE(ParseCsv("a,\xF0\x9F\x98\x80\n").ok());  // U+1F600 is fine
}

}  // namespace
}  // namespace portfolio
