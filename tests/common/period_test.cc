#include "common/period.h"

#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace portfolio {
namespace {

void ExpectPeriod(const std::string& text, int year, int month) {
  absl::StatusOr<absl::CivilMonth> period = ParsePeriod(text);
  ASSERT_TRUE(period.ok()) << text << ": " << period.status();
  EXPECT_EQ(*period, absl::CivilMonth(year, month)) << text;
}

void ExpectBadPeriod(const std::string& text) {
  absl::StatusOr<absl::CivilMonth> period = ParsePeriod(text);
  EXPECT_EQ(period.status().code(), absl::StatusCode::kInvalidArgument)
      << text << " parsed as " << period.value_or(absl::CivilMonth());
}

void ExpectDate(const std::string& text, int year, int month, int day) {
  absl::StatusOr<absl::CivilDay> date = ParseDate(text);
  ASSERT_TRUE(date.ok()) << text << ": " << date.status();
  EXPECT_EQ(*date, absl::CivilDay(year, month, day)) << text;
}

void ExpectBadDate(const std::string& text) {
  absl::StatusOr<absl::CivilDay> date = ParseDate(text);
  EXPECT_EQ(date.status().code(), absl::StatusCode::kInvalidArgument)
      << text << " parsed as " << date.value_or(absl::CivilDay());
}

TEST(ParsePeriodTest, DashWithTwoDigitMonth) {
  ExpectPeriod("2024-03", 2024, 3);
}

TEST(ParsePeriodTest, DashWithOneDigitMonth) {
  ExpectPeriod("2024-3", 2024, 3);
}

TEST(ParsePeriodTest, Slash) { ExpectPeriod("2024/03", 2024, 3); }

// As a Chinese input method types them: full-width digits and dashes.
TEST(ParsePeriodTest, FullWidthDigits) {
  ExpectPeriod("２０２４-０３", 2024, 3);
  ExpectPeriod("２０２４－３", 2024, 3);
  ExpectPeriod("２０２４年３月", 2024, 3);
  const absl::StatusOr<absl::CivilDay> day = ParseDate("２０２４－０３－１５");
  ASSERT_TRUE(day.ok()) << day.status();
  EXPECT_EQ(*day, absl::CivilDay(2024, 3, 15));
}

TEST(ParsePeriodTest, SixDigits) { ExpectPeriod("202403", 2024, 3); }

TEST(ParsePeriodTest, ChineseYearAndMonth) {
  ExpectPeriod("2024年3月", 2024, 3);
  ExpectPeriod("2024年12月", 2024, 12);
}

TEST(ParsePeriodTest, SurroundingSpaces) {
  ExpectPeriod(" 2024-11 ", 2024, 11);
}

TEST(ParsePeriodTest, RefusesMonthOutOfRange) {
  ExpectBadPeriod("2024-13");
  ExpectBadPeriod("2024-00");
  ExpectBadPeriod("202413");
}

TEST(ParsePeriodTest, RefusesYearOutOfRange) {
  ExpectBadPeriod("1999-12");
  ExpectBadPeriod("2101-01");
}

TEST(ParsePeriodTest, AcceptsYearRangeBounds) {
  ExpectPeriod("2000-01", kMinYear, 1);
  ExpectPeriod("2100-12", kMaxYear, 12);
}

TEST(ParsePeriodTest, RefusesGarbage) {
  ExpectBadPeriod("");
  ExpectBadPeriod("garbage");
  ExpectBadPeriod("2024");
  ExpectBadPeriod("2024-03-01");
  ExpectBadPeriod("20243");
  ExpectBadPeriod("2024-0x");
}

TEST(FormatPeriodTest, PadsTheMonth) {
  EXPECT_EQ(FormatPeriod(absl::CivilMonth(2024, 3)), "2024-03");
  EXPECT_EQ(FormatPeriod(absl::CivilMonth(2024, 11)), "2024-11");
}

TEST(FormatPeriodTest, ParsesBack) {
  const absl::CivilMonth period(2031, 7);
  EXPECT_EQ(ParsePeriod(FormatPeriod(period)).value(), period);
}

TEST(ParseDateTest, IsoForm) { ExpectDate("2024-03-15", 2024, 3, 15); }

TEST(ParseDateTest, SlashesWithoutPadding) {
  ExpectDate("2024/3/15", 2024, 3, 15);
}

TEST(ParseDateTest, ChineseForm) { ExpectDate("2024年3月15日", 2024, 3, 15); }

TEST(ParseDateTest, LeapDayInLeapYear) {
  ExpectDate("2024-02-29", 2024, 2, 29);
}

TEST(ParseDateTest, RefusesLeapDayInCommonYear) { ExpectBadDate("2023-02-29"); }

TEST(ParseDateTest, RefusesDaysThatDoNotExist) {
  ExpectBadDate("2024-02-30");
  ExpectBadDate("2024-04-31");
  ExpectBadDate("2024-03-00");
  ExpectBadDate("2024-13-01");
  ExpectBadDate("2024-00-10");
}

TEST(ParseDateTest, RefusesYearOutOfRange) { ExpectBadDate("1999-12-31"); }

TEST(ParseDateTest, RefusesOtherShapes) {
  ExpectBadDate("");
  ExpectBadDate("2024-03");
  ExpectBadDate("15/03/2024x");
  ExpectBadDate("yesterday");
}

TEST(ParseDateTest, MessageNamesTheInput) {
  EXPECT_THAT(ParseDate("2024-02-30").status().message(),
              ::testing::HasSubstr("2024-02-30"));
}

TEST(FormatDateTest, PadsMonthAndDay) {
  EXPECT_EQ(FormatDate(absl::CivilDay(2024, 3, 5)), "2024-03-05");
}

TEST(FormatDateTest, ParsesBack) {
  const absl::CivilDay day(2028, 12, 31);
  EXPECT_EQ(ParseDate(FormatDate(day)).value(), day);
}

}  // namespace
}  // namespace portfolio
