// RFC 4180 CSV reading with positions, so an import can say exactly which
// line and column is wrong.
#ifndef PORTFOLIO_COMMON_CSV_H_
#define PORTFOLIO_COMMON_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace portfolio {

struct CsvField {
  std::string value;
  int column = 0;  // 1-based
};

struct CsvRow {
  int line = 0;  // 1-based line on which the row starts
  std::vector<CsvField> fields;
};

// Splits UTF-8 CSV text into rows: comma-separated, fields optionally in
// double quotes (a doubled quote inside is a quote; quoted fields may hold
// commas and newlines), CRLF or LF line ends, a leading UTF-8 BOM ignored,
// blank lines skipped. Returns all rows including the header.
// INVALID_ARGUMENT naming "line L, column C" for an unterminated quote, a
// character after a closing quote, or text that is not valid UTF-8.
absl::StatusOr<std::vector<CsvRow>> ParseCsv(absl::string_view text);

// Quotes `value` for CSV output when it holds a comma, quote or newline.
// A text a spreadsheet would run as a formula (one beginning with =, +, -,
// @, a tab or a carriage return, and not a plain number such as -500 or
// +3.5) is written with an apostrophe before it, which spreadsheets show
// as text; so is one that already begins with apostrophes before such a
// character, so that CsvUnescapeFormula gives every value back exactly.
std::string CsvEscape(absl::string_view value);

// The inverse of CsvEscape's apostrophe for a cell read back: one leading
// apostrophe dropped when the apostrophes are followed by a character that
// begins a formula; any other value unchanged.
std::string CsvUnescapeFormula(absl::string_view value);

}  // namespace portfolio

#endif  // PORTFOLIO_COMMON_CSV_H_
