#include "common/period.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/amount.h"

namespace portfolio {
namespace {

bool AllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Splits `text` into numeric parts on '-', '/', '.', or the Chinese
// 年/月/日 markers. Returns an empty vector when a part is not all digits.
std::vector<int> NumericParts(absl::string_view text) {
  std::string s(absl::StripAsciiWhitespace(text));
  for (const char* marker : {"年", "月", "日"}) {
    size_t pos;
    while ((pos = s.find(marker)) != std::string::npos) s.replace(pos, 3, "-");
  }
  while (!s.empty() && s.back() == '-') s.pop_back();
  std::vector<int> parts;
  for (absl::string_view part : absl::StrSplit(s, absl::ByAnyChar("-/."))) {
    int value = 0;
    if (!AllDigits(part) || part.size() > 4 ||
        !absl::SimpleAtoi(part, &value)) {
      return {};
    }
    parts.push_back(value);
  }
  return parts;
}

absl::Status CheckYear(int year) {
  if (year < kMinYear || year > kMaxYear) {
    return absl::InvalidArgumentError(
        absl::StrCat("year ", year, " is outside ", kMinYear, "..", kMaxYear));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<absl::CivilMonth> ParsePeriod(absl::string_view text) {
  const std::string half = NormalizeWidth(text);
  const absl::string_view trimmed = absl::StripAsciiWhitespace(half);
  std::vector<int> parts;
  if (trimmed.size() == 6 && AllDigits(trimmed)) {
    int both = 0;
    absl::SimpleAtoi(trimmed, &both);
    parts = {both / 100, both % 100};
  } else {
    parts = NumericParts(trimmed);
  }
  if (parts.size() != 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text, "\" is not a period; write it as YYYY-MM, e.g. 2024-03"));
  }
  if (parts[1] < 1 || parts[1] > 12) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\": month must be 1..12"));
  }
  const absl::Status year_ok = CheckYear(parts[0]);
  if (!year_ok.ok()) return year_ok;
  return absl::CivilMonth(parts[0], parts[1]);
}

std::string FormatPeriod(absl::CivilMonth period) {
  return absl::StrFormat("%04d-%02d", period.year(), period.month());
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text) {
  const std::vector<int> parts = NumericParts(NormalizeWidth(text));
  if (parts.size() != 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text,
        "\" is not a date; write it as YYYY-MM-DD, e.g. 2024-06-30"));
  }
  const absl::Status year_ok = CheckYear(parts[0]);
  if (!year_ok.ok()) return year_ok;
  const absl::CivilDay day(parts[0], parts[1], parts[2]);
  // CivilDay normalises 2024-02-30 to 2024-03-01; a changed field means the
  // input named no real day.
  if (day.month() != parts[1] || day.day() != parts[2]) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", text, "\" is not a real calendar day"));
  }
  return day;
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

}  // namespace portfolio
