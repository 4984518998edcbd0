// A small subset of AIP-160 filters: `field = value` terms joined by AND.
#ifndef PORTFOLIO_SERVER_FILTER_H_
#define PORTFOLIO_SERVER_FILTER_H_

#include <map>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace portfolio {

// Parses `level = PROVINCIAL AND park = "高铁新区"`. Values are bare words or
// double-quoted strings (`\"` and `\\` escape inside quotes); `:` is
// accepted for `=`. Returns field -> value. INVALID_ARGUMENT naming
// `filter` for a syntax error, a field not in `allowed`, a field given
// twice, or a filter longer than kMaxFilterChars.
absl::StatusOr<std::map<std::string, std::string>> ParseFilter(
    absl::string_view text, const std::set<std::string>& allowed);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_FILTER_H_
