#include "client/snapshot.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "client/errors.h"
#include "common/clock.h"
#include "common/period.h"
#include "gtest/gtest.h"

namespace portfolio::client {
namespace {

absl::Time Utc(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

TEST(ParseAsKnownOnTest, ADayMeansItsLastMicrosecondInTheDistrict) {
  const absl::StatusOr<absl::Time> time = ParseAsKnownOn("2024-06-30");
  ASSERT_TRUE(time.ok()) << time.status();
  // 2024-06-30 23:59:59.999999 in UTC+8 is 15:59:59.999999 UTC, not the
  // end of the UTC day.
  EXPECT_EQ(*time, Utc(2024, 6, 30, 15, 59, 59) + absl::Microseconds(999999));
  const google::protobuf::Timestamp ts = ToTimestamp(*time);
  EXPECT_EQ(ts.seconds(), 1719763199);
  EXPECT_EQ(ts.nanos(), 999999000);
  EXPECT_EQ(FromTimestamp(ts), *time);
}

TEST(ParseAsKnownOnTest, OtherDateFormsAndSpacesAreTheSameDay) {
  const absl::Time want = *ParseAsKnownOn("2024-03-05");
  EXPECT_EQ(*ParseAsKnownOn(" 2024/3/5 "), want);
  EXPECT_EQ(*ParseAsKnownOn("2024年3月5日"), want);
}

TEST(ParseAsKnownOnTest, Rfc3339IsThatExactInstant) {
  EXPECT_EQ(*ParseAsKnownOn("2024-06-30T18:00:00+08:00"),
            Utc(2024, 6, 30, 10, 0, 0));
  EXPECT_EQ(*ParseAsKnownOn("2024-06-30T10:00:00.5Z"),
            Utc(2024, 6, 30, 10, 0, 0) + absl::Milliseconds(500));
  EXPECT_EQ(*ParseAsKnownOn("2024-06-30T10:00:00.123456789Z"),
            Utc(2024, 6, 30, 10, 0, 0) + absl::Nanoseconds(123456789));
}

// The instant the CLI prints ("记录截至 2024-06-30 18:00:03.870449
// (UTC+8)") can be pasted back as it is, or cut to the minute.
TEST(ParseAsKnownOnTest, ATimeAsPrintedIsThatInstantInTheDistrict) {
  EXPECT_EQ(*ParseAsKnownOn("2024-06-30 18:00:03.870449 (UTC+8)"),
            Utc(2024, 6, 30, 10, 0, 3) + absl::Microseconds(870449));
  // The printer drops trailing zeros: what it prints is exact.
  EXPECT_EQ(*ParseAsKnownOn("2024-06-30 18:00:03"), Utc(2024, 6, 30, 10, 0, 3));
  EXPECT_EQ(*ParseAsKnownOn("2024-06-30 18:00:03.87"),
            Utc(2024, 6, 30, 10, 0, 3) + absl::Milliseconds(870));
  // To the minute, like a day, the end of it.
  EXPECT_EQ(*ParseAsKnownOn(" 2024-06-30 18:00 "),
            Utc(2024, 6, 30, 10, 0, 59) + absl::Microseconds(999999));
  const google::protobuf::Timestamp printed =
      ToTimestamp(Utc(2024, 6, 30, 10, 0, 3) + absl::Microseconds(870449));
  EXPECT_EQ(*ParseAsKnownOn(FormatKnownAt(printed, "")),
            FromTimestamp(printed));
  EXPECT_FALSE(ParseAsKnownOn("2024-06-30 25:00").ok());
}

TEST(ParseAsKnownOnTest, GarbageIsRefused) {
  for (const char* text :
       {"", "yesterday", "2024-13-01", "2024-02-30", "2024-06",
        "2024-06-30T18:00:00",  // no offset: ambiguous
        "2024-06-30T25:00:00Z", "1999-12-31", "2101-01-01T00:00:00Z"}) {
    const absl::StatusOr<absl::Time> time = ParseAsKnownOn(text);
    EXPECT_FALSE(time.ok()) << text;
    EXPECT_EQ(time.status().code(), absl::StatusCode::kInvalidArgument) << text;
  }
  EXPECT_NE(
      ParseAsKnownOn("2024-06-30T18:00:00").status().message().find("offset"),
      std::string::npos);
}

TEST(SnapshotFlagValuesTest, BadValuesAreUsageErrorsNamingTheFlag) {
  const FakeClock clock(absl::FromCivil(
      absl::CivilSecond(2026, 11, 28, 12, 0, 0), DistrictTimeZone()));
  ParsedArgs when;
  when.AddFlag("as-known-on", "last tuesday");
  const auto bad_when = SnapshotFlagValues(when, clock);
  ASSERT_FALSE(bad_when.ok());
  EXPECT_EQ(ExitCodeOf(bad_when.status()), ExitCode::kUsage);
  EXPECT_EQ(bad_when.status().message().rfind("--as-known-on: ", 0), 0u)
      << bad_when.status();

  ParsedArgs basis;
  basis.AddFlag("basis", "original");
  const auto bad_basis = SnapshotFlagValues(basis, clock);
  ASSERT_FALSE(bad_basis.ok());
  EXPECT_EQ(ExitCodeOf(bad_basis.status()), ExitCode::kUsage);
  EXPECT_EQ(bad_basis.status().message().rfind("--basis: ", 0), 0u)
      << bad_basis.status();
  EXPECT_NE(bad_basis.status().message().find("baseline"), std::string::npos);
}

TEST(SnapshotFlagValuesTest, ValuesAndDefaults) {
  const FakeClock clock(absl::FromCivil(
      absl::CivilSecond(2026, 11, 28, 12, 0, 0), DistrictTimeZone()));
  const auto none = SnapshotFlagValues(ParsedArgs(), clock);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->as_known_at.has_value());
  EXPECT_EQ(none->plan_basis, v1::PLAN_BASIS_UNSPECIFIED);

  ParsedArgs args;
  args.AddFlag("as-known-on", "2024-07-05");
  args.AddFlag("basis", "基准");
  const auto given = SnapshotFlagValues(args, clock);
  ASSERT_TRUE(given.ok()) << given.status();
  EXPECT_EQ(given->as_known_at, *ParseAsKnownOn("2024-07-05"));
  EXPECT_EQ(given->plan_basis, v1::PLAN_BASIS_BASELINE);

  // A time already passed is asked for as given; one to come is refused,
  // today's end included.
  ParsedArgs passed;
  passed.AddFlag("as-known-on", "2026-11-28 11:59:59");
  EXPECT_TRUE(SnapshotFlagValues(passed, clock).ok());
  for (const char* to_come :
       {"2026-11-28", "2026-11-28 12:00:01", "2027-01-01"}) {
    ParsedArgs later;
    later.AddFlag("as-known-on", to_come);
    const auto refused = SnapshotFlagValues(later, clock);
    ASSERT_FALSE(refused.ok()) << to_come;
    EXPECT_EQ(ExitCodeOf(refused.status()), ExitCode::kUsage);
    EXPECT_NE(refused.status().message().find("has not passed yet"),
              std::string::npos)
        << refused.status();
  }

  ParsedArgs current;
  current.AddFlag("basis", "CURRENT");
  EXPECT_EQ(SnapshotFlagValues(current, clock)->plan_basis,
            v1::PLAN_BASIS_CURRENT);
}

TEST(SnapshotFormatTest, PeopleAndMachinesSeeTheExactInstant) {
  const google::protobuf::Timestamp ts =
      ToTimestamp(*ParseAsKnownOn("2024-06-30"));
  EXPECT_EQ(FormatKnownAt(ts, "latest"), "2024-06-30 23:59:59.999999 (UTC+8)");
  EXPECT_EQ(FormatKnownAtRfc3339(ts), "2024-06-30T23:59:59.999999+08:00");
  EXPECT_EQ(FormatKnownAt(google::protobuf::Timestamp(), "latest"), "latest");
  EXPECT_EQ(FormatKnownAtRfc3339(google::protobuf::Timestamp()), "");
  EXPECT_EQ(FormatPlanBasis(v1::PLAN_BASIS_UNSPECIFIED), "当前计划 current");
  EXPECT_EQ(FormatPlanBasis(v1::PLAN_BASIS_BASELINE), "基准计划 baseline");
}

TEST(ApplySnapshotTest, SetsOnlyWhatWasGiven) {
  v1::GetPortfolioSummaryRequest request;
  ApplySnapshot(SnapshotOptions(), &request);
  EXPECT_FALSE(request.has_as_known_at());
  SnapshotOptions snapshot;
  snapshot.as_known_at = *ParseAsKnownOn("2024-06-30");
  snapshot.plan_basis = v1::PLAN_BASIS_BASELINE;
  ApplySnapshot(snapshot, &request);
  EXPECT_EQ(request.as_known_at().seconds(), 1719763199);
  EXPECT_EQ(request.plan_basis(), v1::PLAN_BASIS_BASELINE);
}

}  // namespace
}  // namespace portfolio::client
