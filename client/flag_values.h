// Typed values of command flags, each error a usage error naming the flag:
// `--amount: "12x" is not an amount: ...`. Used by the bindings that turn
// ParsedArgs into options structs.
#ifndef PORTFOLIO_CLIENT_FLAG_VALUES_H_
#define PORTFOLIO_CLIENT_FLAG_VALUES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "client/command_line.h"
#include "client/errors.h"

namespace portfolio::client {

// The value of --`flag` converted by `parse` (a function from text to
// absl::StatusOr<T>); nullopt when the flag was not given; a usage error
// `--flag: <parse's message>` when parse fails.
template <typename T, typename Parse>
absl::StatusOr<std::optional<T>> FlagValue(const ParsedArgs& args,
                                           absl::string_view flag,
                                           Parse parse) {
  const std::optional<std::string> text = args.Value(flag);
  if (!text.has_value()) return std::optional<T>();
  absl::StatusOr<T> value = parse(*text);
  if (!value.ok()) {
    return UsageError(absl::StrCat("--", flag, ": ", value.status().message()));
  }
  return std::optional<T>(*std::move(value));
}

// Parsers for FlagValue and for positional arguments. Each returns
// INVALID_ARGUMENT with a message that names no flag.
//
// A year in [kMinYear, kMaxYear]; `2024` or `2024年`.
absl::StatusOr<int> ParseYear(absl::string_view text);
// A month 1..12; `3` or `3月`.
absl::StatusOr<int> ParseMonth(absl::string_view text);
// A whole number in [min, max].
absl::StatusOr<int> ParseIntInRange(absl::string_view text, int min, int max);
// A --limit: 1 or more.
absl::StatusOr<int> ParseLimit(absl::string_view text);
// A plain decimal as indicator values are written: `6`, `-1.5`, `193.9`.
// Returns the text without surrounding spaces.
absl::StatusOr<std::string> ParseDecimal(absl::string_view text);
// Twelve monthly amounts, January first, each in ParseAmount's syntax,
// separated by commas, or by semicolons when the amounts use thousands
// separators (`1,000万;2,000万;...`). Exactly 12 are required; an error
// names the month of a bad amount.
absl::StatusOr<std::vector<int64_t>> ParseMonthlySplit(absl::string_view text);

// --request-id if given and not blank, else NewRequestId().
std::string RequestIdFlag(const ParsedArgs& args);

// The value of a flag the spec marks required (ParseInvocation has checked
// it is present); "" otherwise.
std::string RequiredValue(const ParsedArgs& args, absl::string_view flag);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_FLAG_VALUES_H_
