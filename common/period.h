// Reporting periods (a year and a month) and civil dates, parsed the way
// people write them and formatted one canonical way.
#ifndef PORTFOLIO_COMMON_PERIOD_H_
#define PORTFOLIO_COMMON_PERIOD_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace portfolio {

// The earliest and latest years the tracker accepts anywhere.
inline constexpr int kMinYear = 2000;
inline constexpr int kMaxYear = 2100;

// Parses a reporting period: `2024-03`, `2024-3`, `2024/03`, `202403` or
// `2024年3月`, in half- or full-width digits (`２０２４-０３`).
// INVALID_ARGUMENT (message without a field name) when the text is not one of
// those forms, the month is outside 1..12 or the year outside [kMinYear,
// kMaxYear].
absl::StatusOr<absl::CivilMonth> ParsePeriod(absl::string_view text);

// `2024-03`.
std::string FormatPeriod(absl::CivilMonth period);

// Parses a date: `2024-03-15`, `2024/3/15` or `2024年3月15日`.
// INVALID_ARGUMENT when malformed or not a real day (`2024-02-30`).
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text);

// `2024-03-15`.
std::string FormatDate(absl::CivilDay day);

}  // namespace portfolio

#endif  // PORTFOLIO_COMMON_PERIOD_H_
