// Money as people type it and as people read it. Every amount is an int64
// number of yuan; parsing is exact decimal arithmetic, never floating point.
#ifndef PORTFOLIO_COMMON_AMOUNT_H_
#define PORTFOLIO_COMMON_AMOUNT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace portfolio {

// The largest amount the tracker accepts anywhere: 100万亿 yuan, far above
// any real project. One value's cap alone does not keep sums inside int64
// (92,234 of them pass it), hence the ledger's own cap below.
inline constexpr int64_t kMaxAmount = 100'000'000'000'000;

// The most the investment ledger may hold, its entries' sizes (absolute
// amounts, corrections included) summed: 900京 yuan. Below int64's maximum,
// so no sum of any of its entries, in any order, can overflow. The ledger
// is append-only: a sum past int64 could never be corrected away.
inline constexpr int64_t kMaxLedgerMagnitude = 9'000'000'000'000'000'000;

// Maps the full-width forms Chinese input methods type (U+FF01..U+FF5E:
// `３`, `，`, `－`) to their ASCII spellings; everything else is kept.
std::string NormalizeWidth(absl::string_view text);

// Parses an amount of yuan as a project lead types it: `12345678`,
// `3000万`, `1.2亿`, `1,234.5万`, `-500万`, `1.5万亿`, optionally followed by
// `元`
// (`3000万元`) and surrounded by spaces; `1亿2000万` and `1亿零500` (亿 then
// the rest in 万 or after 零, below 1亿); full-width digits, punctuation and
// spaces are accepted. Returns the exact number of yuan.
// Errors (all INVALID_ARGUMENT, message says why, without a field name so
// the caller can prefix one): empty text, stray characters, misplaced
// thousands separators, a value that is not a whole number of yuan
// (`1.23456万`), or one beyond ±kMaxAmount.
absl::StatusOr<int64_t> ParseAmount(absl::string_view text);

// Formats yuan for a table: `1.20亿` from 1亿 up, `3,000.00万` from 1万 up,
// `5,000` below. Rounds half away from zero to two decimals of the unit,
// so it is for reading only; machine output uses the exact integer.
std::string FormatAmount(int64_t yuan);

// Groups an integer with commas: 1234567 -> "1,234,567".
std::string FormatWithCommas(int64_t value);

}  // namespace portfolio

#endif  // PORTFOLIO_COMMON_AMOUNT_H_
