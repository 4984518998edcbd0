#include "client/flag_values.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "client/rpc.h"
#include "common/amount.h"
#include "common/period.h"

namespace portfolio::client {

absl::StatusOr<int> ParseIntInRange(absl::string_view text, int min, int max) {
  int value = 0;
  // Full-width digits, as a Chinese input method types them, are digits.
  if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(NormalizeWidth(text)),
                        &value) ||
      value < min || value > max) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text, "\" is not a whole number from ", min, " to ", max));
  }
  return value;
}

absl::StatusOr<int> ParseYear(absl::string_view text) {
  const std::string normal = NormalizeWidth(text);
  absl::string_view digits = absl::StripAsciiWhitespace(normal);
  absl::ConsumeSuffix(&digits, "年");
  int year = 0;
  if (!absl::SimpleAtoi(digits, &year) || year < kMinYear || year > kMaxYear) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text, "\" is not a year from ", kMinYear, " to ", kMaxYear));
  }
  return year;
}

absl::StatusOr<int> ParseMonth(absl::string_view text) {
  const std::string normal = NormalizeWidth(text);
  absl::string_view digits = absl::StripAsciiWhitespace(normal);
  absl::ConsumeSuffix(&digits, "月");
  return ParseIntInRange(digits, 1, 12);
}

absl::StatusOr<int> ParseLimit(absl::string_view text) {
  return ParseIntInRange(text, 1, 1000000000);
}

absl::StatusOr<std::string> ParseDecimal(absl::string_view text) {
  const std::string normal = NormalizeWidth(text);
  const absl::string_view s = absl::StripAsciiWhitespace(normal);
  size_t i = (!s.empty() && s[0] == '-') ? 1 : 0;
  auto skip_digits = [&s, &i] {
    const size_t start = i;
    while (i < s.size() && absl::ascii_isdigit(s[i])) ++i;
    return i > start;
  };
  bool ok = skip_digits();
  if (i < s.size() && s[i] == '.') {
    ++i;
    ok = skip_digits() && ok;
  }
  if (!ok || i != s.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text, "\" is not a plain decimal (examples: 6, -1.5, 193.9)"));
  }
  return std::string(s);
}

absl::StatusOr<std::vector<int64_t>> ParseMonthlySplit(absl::string_view text) {
  const char separator = text.find(';') != absl::string_view::npos ? ';' : ',';
  const std::vector<absl::string_view> parts = absl::StrSplit(text, separator);
  if (parts.size() != 12) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected 12 monthly amounts separated by '", std::string(1, separator),
        "', got ", parts.size(),
        separator == ','
            ? " (amounts with thousands separators: separate months with ';')"
            : ""));
  }
  std::vector<int64_t> monthly;
  for (size_t i = 0; i < parts.size(); ++i) {
    absl::StatusOr<int64_t> amount = ParseAmount(parts[i]);
    if (!amount.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("month ", i + 1, ": ", amount.status().message()));
    }
    monthly.push_back(*amount);
  }
  return monthly;
}

std::string RequestIdFlag(const ParsedArgs& args) {
  const std::optional<std::string> given = args.Value("request-id");
  if (given.has_value() && !absl::StripAsciiWhitespace(*given).empty()) {
    return *given;
  }
  return NewRequestId();
}

std::string RequiredValue(const ParsedArgs& args, absl::string_view flag) {
  return args.Value(flag).value_or("");
}

}  // namespace portfolio::client
