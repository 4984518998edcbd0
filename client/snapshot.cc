#include "client/snapshot.h"

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "client/enums.h"
#include "client/errors.h"
#include "client/flag_values.h"
#include "common/clock.h"
#include "common/period.h"
#include "common/status_macros.h"

namespace portfolio::client {
namespace {

constexpr char kExamples[] =
    "a day (2024-06-30), a time in UTC+8 as the CLI prints it "
    "(2024-06-30 18:00:00), or an RFC 3339 time with an offset "
    "(2024-06-30T18:00:00+08:00)";

bool IsUnset(const google::protobuf::Timestamp& time) {
  return time.seconds() == 0 && time.nanos() == 0;
}

absl::StatusOr<absl::Time> ParseRfc3339(absl::string_view text) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text,
                     "\" is not an RFC 3339 time with an offset, such as "
                     "2024-06-30T18:00:00+08:00 or 2024-06-30T10:00:00Z"));
  }
  return time;
}

// A district time as the CLI prints it ("记录截至 2024-07-05 18:00:03.25
// (UTC+8)"), so a printed instant can be pasted back exactly:
// "YYYY-MM-DD HH:MM:SS", a fraction and the "(UTC+8)" optional. The
// printer drops a fraction's trailing zeros, so seconds, with or without
// one, are the instant as written. A time to the minute means, as a day
// does, the end of it: its last microsecond.
std::optional<absl::Time> ParseDistrictTime(absl::string_view text) {
  absl::ConsumeSuffix(&text, "(UTC+8)");
  text = absl::StripAsciiWhitespace(text);
  const std::string input(text);
  absl::Time time;
  std::string error;
  if (absl::ParseTime("%Y-%m-%d %H:%M:%E*S", input, DistrictTimeZone(), &time,
                      &error)) {
    return time;
  }
  if (absl::ParseTime("%Y-%m-%d %H:%M", input, DistrictTimeZone(), &time,
                      &error)) {
    return time + absl::Minutes(1) - absl::Microseconds(1);
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<absl::Time> ParseAsKnownOn(absl::string_view text) {
  const absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  absl::Time time;
  if (absl::StatusOr<absl::CivilDay> day = ParseDate(trimmed); day.ok()) {
    // The end of the day as the district lives it, not as UTC does: a
    // report "as of June 30" includes what was entered that evening.
    time =
        absl::FromCivil(*day + 1, DistrictTimeZone()) - absl::Microseconds(1);
  } else if (std::optional<absl::Time> local = ParseDistrictTime(trimmed)) {
    // Before RFC 3339: the "(UTC+8)" it may end with has a T.
    time = *local;
  } else if (trimmed.find_first_of("Tt") != absl::string_view::npos) {
    ASSIGN_OR_RETURN(time, ParseRfc3339(trimmed));
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not ", kExamples));
  }
  const int64_t year = absl::ToCivilYear(time, DistrictTimeZone()).year();
  if (year < kMinYear || year > kMaxYear) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text, "\" is outside the years ", kMinYear, " to ", kMaxYear));
  }
  return time;
}

std::vector<FlagSpec> SnapshotFlags() {
  return {
      {"as-known-on", "WHEN",
       "figures as recorded by then, ignoring later entries and "
       "corrections: a day (2024-06-30 = by the end of that day, UTC+8), "
       "a time as printed (2024-06-30 18:00:03.5, UTC+8) or an RFC 3339 "
       "time (2024-06-30T18:00:00+08:00), already passed; default "
       "everything recorded"},
      {"basis", "BASIS",
       "plans to measure against: current (default, the latest revision) "
       "or baseline (each plan as first set, before 年中调整)"},
  };
}

absl::StatusOr<SnapshotOptions> SnapshotFlagValues(const ParsedArgs& args,
                                                   const Clock& clock) {
  SnapshotOptions snapshot;
  ASSIGN_OR_RETURN(snapshot.as_known_at,
                   FlagValue<absl::Time>(args, "as-known-on", ParseAsKnownOn));
  if (snapshot.as_known_at.has_value() && *snapshot.as_known_at > clock.Now()) {
    return UsageError(absl::StrCat(
        "--as-known-on: ", *args.Value("as-known-on"), " (until ",
        FormatKnownAt(ToTimestamp(*snapshot.as_known_at), ""),
        ") has not passed yet, so its figures could still change; leave the "
        "flag out for everything recorded so far"));
  }
  ASSIGN_OR_RETURN(auto basis,
                   FlagValue<v1::PlanBasis>(args, "basis", ParsePlanBasis));
  snapshot.plan_basis = basis.value_or(v1::PLAN_BASIS_UNSPECIFIED);
  return snapshot;
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  // ToUnixSeconds rounds down, so the nanoseconds are never negative.
  const int64_t seconds = absl::ToUnixSeconds(time);
  google::protobuf::Timestamp out;
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(time - absl::FromUnixSeconds(seconds))));
  return out;
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& time) {
  return absl::FromUnixSeconds(time.seconds()) +
         absl::Nanoseconds(time.nanos());
}

std::string FormatKnownAt(const google::protobuf::Timestamp& time,
                          absl::string_view fallback) {
  if (IsUnset(time)) return std::string(fallback);
  return absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M:%E*S",
                                       FromTimestamp(time), DistrictTimeZone()),
                      " (UTC+8)");
}

std::string FormatKnownAtRfc3339(const google::protobuf::Timestamp& time) {
  if (IsUnset(time)) return "";
  return absl::FormatTime(absl::RFC3339_full, FromTimestamp(time),
                          DistrictTimeZone());
}

std::string FormatPlanBasis(v1::PlanBasis basis) {
  return absl::StrCat(Label(basis), " ",
                      absl::AsciiStrToLower(ShortName(basis)));
}

}  // namespace portfolio::client
