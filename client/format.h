// Conversions between the API's date and time messages and what people
// type and read, and table cells for them.
#ifndef PORTFOLIO_CLIENT_FORMAT_H_
#define PORTFOLIO_CLIENT_FORMAT_H_

#include <string>

#include "absl/time/civil_time.h"
#include "client/table.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "portfolio/v1/resources.pb.h"

namespace portfolio::client {

google::type::Date ToProtoDate(absl::CivilDay day);
v1::YearMonth ToYearMonth(absl::CivilMonth month);

// `2024-03-15`; "" for an unset date (year 0).
std::string FormatProtoDate(const google::type::Date& date);
// `2024-03`; "" for an unset period.
std::string FormatYearMonth(const v1::YearMonth& period);
// `2024-03-15 10:20` in the district's time zone (UTC+8); "" when unset.
std::string FormatLocalTime(const google::protobuf::Timestamp& time);
// RFC 3339 with the district's offset, for CSV; "" when unset.
std::string FormatRfc3339(const google::protobuf::Timestamp& time);

Cell DateCell(const google::type::Date& date);
Cell TimeCell(const google::protobuf::Timestamp& time);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_FORMAT_H_
