#include "client/flag_values.h"

#include <cstdint>
#include <vector>

#include "client/errors.h"
#include "common/amount.h"
#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

TEST(ParseMonthlySplitTest, TwelveAmountsInAmountSyntax) {
  const auto monthly = ParseMonthlySplit(
      "0,0,1000万,1000万,1000万,1000万,1000万,1000万,1000万,1000万,0.2亿,"
      "20000000");
  ASSERT_TRUE(monthly.ok()) << monthly.status();
  ASSERT_EQ(monthly->size(), 12u);
  EXPECT_EQ((*monthly)[0], 0);
  EXPECT_EQ((*monthly)[2], 10000000);
  EXPECT_EQ((*monthly)[10], 20000000);
  EXPECT_EQ((*monthly)[11], 20000000);
}

TEST(ParseMonthlySplitTest, SemicolonsAllowThousandsSeparators) {
  const auto monthly = ParseMonthlySplit(
      "1,000万;1,000万;1,000万;1,000万;1,000万;1,000万;1,000万;1,000万;"
      "1,000万;1,000万;1,000万;1,234.5万");
  ASSERT_TRUE(monthly.ok()) << monthly.status();
  ASSERT_EQ(monthly->size(), 12u);
  EXPECT_EQ((*monthly)[0], 10000000);
  EXPECT_EQ((*monthly)[11], 12345000);
}

TEST(ParseMonthlySplitTest, RequiresExactlyTwelve) {
  const auto eleven = ParseMonthlySplit("1,2,3,4,5,6,7,8,9,10,11");
  ASSERT_FALSE(eleven.ok());
  EXPECT_NE(eleven.status().message().find("got 11"), std::string::npos);
  EXPECT_FALSE(ParseMonthlySplit("1,2,3,4,5,6,7,8,9,10,11,12,13").ok());
  EXPECT_FALSE(ParseMonthlySplit("").ok());
}

TEST(ParseMonthlySplitTest, NamesTheBadMonth) {
  const auto bad = ParseMonthlySplit("1,2,3,4x,5,6,7,8,9,10,11,12");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("month 4"), std::string::npos)
      << bad.status();
  EXPECT_FALSE(ParseMonthlySplit("1,2,3,,5,6,7,8,9,10,11,12").ok());
}

TEST(FlagValueTest, ErrorNamesTheFlagAndIsAUsageError) {
  ParsedArgs args;
  args.AddFlag("amount", "12x");
  const auto amount = FlagValue<int64_t>(args, "amount", ParseAmount);
  ASSERT_FALSE(amount.ok());
  EXPECT_EQ(ExitCodeOf(amount.status()), ExitCode::kUsage);
  EXPECT_EQ(amount.status().message().substr(0, 20), "--amount: \"12x\" is n");
}

TEST(FlagValueTest, AbsentFlagIsNullopt) {
  ParsedArgs args;
  const auto year = FlagValue<int>(args, "year", ParseYear);
  ASSERT_TRUE(year.ok());
  EXPECT_FALSE(year->has_value());
}

TEST(FlagValueTest, ParsesAmountSyntax) {
  ParsedArgs args;
  args.AddFlag("amount", "1.2亿");
  const auto amount = FlagValue<int64_t>(args, "amount", ParseAmount);
  ASSERT_TRUE(amount.ok());
  EXPECT_EQ(**amount, 120000000);
}

TEST(ParseYearTest, RangeAndSuffix) {
  EXPECT_EQ(*ParseYear("2024"), 2024);
  EXPECT_EQ(*ParseYear("2024年"), 2024);
  EXPECT_EQ(*ParseYear("２０２４"), 2024);  // full-width, as typed in Chinese
  EXPECT_FALSE(ParseYear("1999").ok());
  EXPECT_FALSE(ParseYear("24x").ok());
}

TEST(ParseMonthTest, OneToTwelve) {
  EXPECT_EQ(*ParseMonth("3月"), 3);
  EXPECT_FALSE(ParseMonth("0").ok());
  EXPECT_FALSE(ParseMonth("13").ok());
}

TEST(ParseDecimalTest, PlainDecimalsOnly) {
  EXPECT_EQ(*ParseDecimal(" 193.9 "), "193.9");
  EXPECT_EQ(*ParseDecimal("-1.5"), "-1.5");
  EXPECT_EQ(*ParseDecimal("6"), "6");
  EXPECT_EQ(*ParseDecimal("５６．１"), "56.1");
  EXPECT_FALSE(ParseDecimal("1.").ok());
  EXPECT_FALSE(ParseDecimal(".5").ok());
  EXPECT_FALSE(ParseDecimal("1e3").ok());
  EXPECT_FALSE(ParseDecimal("").ok());
  EXPECT_FALSE(ParseDecimal("-").ok());
}

TEST(RequestIdFlagTest, GivenOrRandom128Bits) {
  ParsedArgs given;
  given.AddFlag("request-id", "abc");
  EXPECT_EQ(RequestIdFlag(given), "abc");
  const std::string a = RequestIdFlag(ParsedArgs());
  const std::string b = RequestIdFlag(ParsedArgs());
  EXPECT_EQ(a.size(), 32u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace portfolio::client
