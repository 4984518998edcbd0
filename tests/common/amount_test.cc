#include "common/amount.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace portfolio {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kWan = 10000;
constexpr int64_t kYi = 100000000;

// Parses `text` and expects success; returns the yuan.
int64_t ParseOk(const std::string& text) {
  absl::StatusOr<int64_t> yuan = ParseAmount(text);
  EXPECT_TRUE(yuan.ok()) << text << ": " << yuan.status();
  return yuan.value_or(-1);
}

// Parses `text` and expects INVALID_ARGUMENT; returns the message.
std::string ParseError(const std::string& text) {
  absl::StatusOr<int64_t> yuan = ParseAmount(text);
  EXPECT_EQ(yuan.status().code(), absl::StatusCode::kInvalidArgument)
      << text << " parsed as " << yuan.value_or(0);
  return std::string(yuan.status().message());
}

TEST(ParseAmountTest, PlainYuan) { EXPECT_EQ(ParseOk("12345678"), 12345678); }

TEST(ParseAmountTest, WanMultipliesByTenThousand) {
  EXPECT_EQ(ParseOk("3000万"), 3000 * kWan);
}

TEST(ParseAmountTest, DecimalYi) { EXPECT_EQ(ParseOk("1.2亿"), 12 * kYi / 10); }

TEST(ParseAmountTest, CommasAndDecimalWithWan) {
  EXPECT_EQ(ParseOk("1,234.5万"), 12345 * kWan / 10);
}

// As a lead writes a sum out: 亿 then what is below it, 零 allowed
// between, a sign only first.
TEST(ParseAmountTest, YiAndWanTogether) {
  EXPECT_EQ(ParseOk("1亿2000万"), kYi + 2000 * kWan);
  EXPECT_EQ(ParseOk("1亿零500万"), kYi + 500 * kWan);
  EXPECT_EQ(ParseOk("1亿零500"), kYi + 500);
  EXPECT_EQ(ParseOk("2亿 3,000万元"), 2 * kYi + 3000 * kWan);
  EXPECT_EQ(ParseOk("1.5亿500万"), 155 * kWan * 100);
  // Bare digits after 亿 say 1.2亿 or mean 万 left off: refused.
  EXPECT_THAT(ParseError("1亿2"), HasSubstr("1亿2000万"));
  EXPECT_THAT(ParseError("1亿2000"), HasSubstr("1亿2000万"));
  EXPECT_THAT(ParseError("1亿零"), HasSubstr("nothing follows 零"));
  EXPECT_EQ(ParseOk("-1亿2000万"), -(kYi + 2000 * kWan));
  EXPECT_EQ(ParseOk("1.5万亿"), 15 * kWan * kYi / 10);  // one unit, still
  EXPECT_THAT(ParseError("1亿1.5亿"), HasSubstr("1亿2000万"));
  EXPECT_THAT(ParseError("1亿20000万"), HasSubstr("less than 1亿"));
  EXPECT_THAT(ParseError("1亿-2000万"),
              HasSubstr("a sign may only come first"));
  EXPECT_THAT(ParseError("100万亿1万"), HasSubstr("100万亿"));
}

// The space a Chinese input method types (U+3000) is a space.
TEST(ParseAmountTest, IdeographicSpaces) {
  EXPECT_EQ(ParseOk("\u30003000\u3000万\u3000"), 3000 * kWan);
}

TEST(ParseAmountTest, NegativeWan) {
  EXPECT_EQ(ParseOk("-500万"), -500 * kWan);
}

TEST(ParseAmountTest, TrailingYuanSign) {
  EXPECT_EQ(ParseOk("3000万元"), 3000 * kWan);
  EXPECT_EQ(ParseOk("5元"), 5);
}

TEST(ParseAmountTest, SurroundingSpacesIgnored) {
  EXPECT_EQ(ParseOk("  3000万  "), 3000 * kWan);
}

TEST(ParseAmountTest, FullWidthDigitsAndPunctuation) {
  EXPECT_EQ(ParseOk("３０００万"), 3000 * kWan);
  EXPECT_EQ(ParseOk("１，２３４．５万"), 12345 * kWan / 10);
}

TEST(ParseAmountTest, CommasGroupingThrees) {
  EXPECT_EQ(ParseOk("1,234,567"), 1234567);
}

TEST(ParseAmountTest, SmallestFractionOfWanThatIsWholeYuan) {
  EXPECT_EQ(ParseOk("0.0001万"), 1);
}

TEST(ParseAmountTest, LargestAcceptedAmountIsKMaxAmount) {
  EXPECT_EQ(ParseOk("100000000000000"), kMaxAmount);
  EXPECT_EQ(ParseOk("100万亿"), kMaxAmount);
  EXPECT_THAT(ParseError("100000000000001"), HasSubstr("100万亿"));
  EXPECT_THAT(ParseError("9223372036854775807"), HasSubstr("100万亿"));
  EXPECT_EQ(ParseOk("-100000000000000"), -kMaxAmount);
}

TEST(ParseAmountTest, RefusesFractionOfAYuan) {
  EXPECT_THAT(ParseError("1.23456万"), HasSubstr("whole number of yuan"));
  ParseError("12.5");
}

TEST(ParseAmountTest, RefusesMisplacedCommas) {
  ParseError("1,23");
  ParseError("1234,567");
  ParseError(",123");
  ParseError("1,234,");
}

TEST(ParseAmountTest, RefusesEmptyText) {
  ParseError("");
  ParseError("   ");
}

TEST(ParseAmountTest, RefusesUnitWithoutDigits) {
  ParseError("万");
  ParseError("-");
}

TEST(ParseAmountTest, RefusesStrayCharacters) {
  ParseError("12a");
  ParseError("abc");
  ParseError("1.2.3万");
}

TEST(ParseAmountTest, RefusesDecimalPointWithoutDigitsOnOneSide) {
  ParseError("1.");
  ParseError(".5");
}

TEST(ParseAmountTest, RefusesOverflow) {
  ParseError("9223372036854775808");
  ParseError("100000000000亿");
}

TEST(ParseAmountTest, ErrorMessageHasNoFieldPrefix) {
  // The caller prefixes the field; the message starts with the input.
  EXPECT_THAT(ParseError("abc"), ::testing::StartsWith("\"abc\""));
}

TEST(FormatAmountTest, YiWithTwoDecimals) {
  EXPECT_EQ(FormatAmount(12 * kYi / 10), "1.20亿");
}

TEST(FormatAmountTest, WanWithCommasAndTwoDecimals) {
  EXPECT_EQ(FormatAmount(3000 * kWan), "3,000.00万");
}

TEST(FormatAmountTest, BelowWanIsPlainYuanWithCommas) {
  EXPECT_EQ(FormatAmount(5000), "5,000");
  EXPECT_EQ(FormatAmount(9999), "9,999");
  EXPECT_EQ(FormatAmount(0), "0");
}

TEST(FormatAmountTest, UnitBoundaries) {
  EXPECT_EQ(FormatAmount(kWan), "1.00万");
  EXPECT_EQ(FormatAmount(kYi), "1.00亿");
}

TEST(FormatAmountTest, RoundsHalfAwayFromZero) {
  EXPECT_EQ(FormatAmount(12345), "1.23万");    // 1.2345万
  EXPECT_EQ(FormatAmount(12350), "1.24万");    // 1.235万, a half
  EXPECT_EQ(FormatAmount(-12350), "-1.24万");  // away from zero
}

TEST(FormatAmountTest, LargeYiGetsCommas) {
  EXPECT_EQ(FormatAmount(123456789012), "1,234.57亿");
}

TEST(FormatAmountTest, NegativeYi) {
  EXPECT_EQ(FormatAmount(-12 * kYi / 10), "-1.20亿");
}

TEST(FormatWithCommasTest, GroupsInThrees) {
  EXPECT_EQ(FormatWithCommas(1234567), "1,234,567");
  EXPECT_EQ(FormatWithCommas(1000), "1,000");
  EXPECT_EQ(FormatWithCommas(999), "999");
  EXPECT_EQ(FormatWithCommas(0), "0");
}

TEST(FormatWithCommasTest, Negative) {
  EXPECT_EQ(FormatWithCommas(-1234), "-1,234");
}

TEST(FormatWithCommasTest, Int64Extremes) {
  EXPECT_EQ(FormatWithCommas(std::numeric_limits<int64_t>::min()),
            "-9,223,372,036,854,775,808");
  EXPECT_EQ(FormatWithCommas(std::numeric_limits<int64_t>::max()),
            "9,223,372,036,854,775,807");
}

TEST(FormatWithCommasTest, ParsesBackToTheSameValue) {
  for (int64_t value :
       {int64_t{7}, int64_t{1000}, int64_t{987654321}, int64_t{-1234567}}) {
    EXPECT_EQ(ParseOk(FormatWithCommas(value)), value);
  }
}

}  // namespace
}  // namespace portfolio
