#include "client/format.h"

#include "absl/time/time.h"
#include "common/clock.h"
#include "common/period.h"

namespace portfolio::client {
namespace {

bool IsUnset(const google::protobuf::Timestamp& time) {
  return time.seconds() == 0 && time.nanos() == 0;
}

absl::Time ToTime(const google::protobuf::Timestamp& time) {
  return absl::FromUnixSeconds(time.seconds()) +
         absl::Nanoseconds(time.nanos());
}

}  // namespace

google::type::Date ToProtoDate(absl::CivilDay day) {
  google::type::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

v1::YearMonth ToYearMonth(absl::CivilMonth month) {
  v1::YearMonth period;
  period.set_year(static_cast<int32_t>(month.year()));
  period.set_month(month.month());
  return period;
}

std::string FormatProtoDate(const google::type::Date& date) {
  if (date.year() == 0) return "";
  return FormatDate(absl::CivilDay(date.year(), date.month(), date.day()));
}

std::string FormatYearMonth(const v1::YearMonth& period) {
  if (period.year() == 0) return "";
  return FormatPeriod(absl::CivilMonth(period.year(), period.month()));
}

std::string FormatLocalTime(const google::protobuf::Timestamp& time) {
  if (IsUnset(time)) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M", ToTime(time), DistrictTimeZone());
}

std::string FormatRfc3339(const google::protobuf::Timestamp& time) {
  if (IsUnset(time)) return "";
  return absl::FormatTime(absl::RFC3339_sec, ToTime(time), DistrictTimeZone());
}

Cell DateCell(const google::type::Date& date) {
  return TextCell(FormatProtoDate(date));
}

Cell TimeCell(const google::protobuf::Timestamp& time) {
  return Cell{FormatLocalTime(time), FormatRfc3339(time)};
}

}  // namespace portfolio::client
