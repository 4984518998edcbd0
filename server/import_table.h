// Reading one CSV file of an import (data/README.md) into rows whose cells
// parse with errors that say "FILE line L, column C (COLUMN): why". Shared
// by the importers of each kind (importer.cc, import_progress.cc).
#ifndef PORTFOLIO_SERVER_IMPORT_TABLE_H_
#define PORTFOLIO_SERVER_IMPORT_TABLE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/csv.h"
#include "server/convert.h"
#include "storage/store.h"

namespace portfolio {

// The columns a kind of file may have.
struct Schema {
  std::vector<std::string> required;
  std::vector<std::string> optional;
};

// A parsed file: its header (column name -> index) and its data rows.
struct Table {
  std::map<std::string, int> columns;
  std::vector<CsvRow> rows;  // data rows only
  bool HasColumn(const std::string& column) const {
    return columns.count(column) > 0;
  }
};

// Parses `content` against `schema`. INVALID_ARGUMENT naming `file` (and
// the line and column where there is one) for a file over the limits of
// importer.h, malformed CSV, an empty file, an unknown, repeated or missing
// column, or a row with more fields than the header.
absl::StatusOr<Table> ReadTable(const Schema& schema, absl::string_view file,
                                absl::string_view content);

// One data row with its header. Every error it returns names the file, the
// row's line, the cell's column number and the column's name; all are
// INVALID_ARGUMENT unless said otherwise. Holds references: the file name,
// the column map and the row must outlive it. Not thread-safe.
class Row {
 public:
  Row(absl::string_view file, const std::map<std::string, int>& columns,
      const CsvRow& row)
      : file_(file), columns_(columns), row_(row) {}

  int line() const { return row_.line; }
  // Whether the cell is present and not blank.
  bool Has(const std::string& column) const { return !Get(column).empty(); }
  // The trimmed value, or "" when the column is absent or empty.
  std::string Get(const std::string& column) const;

  // "FILE line L, column C (COLUMN): why" with `code`; "FILE line L, a
  // column the file does not have (COLUMN): why" when it has none.
  absl::Status Error(
      const std::string& column, absl::string_view why,
      absl::StatusCode code = absl::StatusCode::kInvalidArgument) const;
  // Re-anchors an error from a parser at this row's column, keeping its
  // code and dropping a field prefix the parser added. OK stays OK.
  absl::Status At(const std::string& column, const absl::Status& s) const;

  // An amount of yuan >= 0 (ParseAmount syntax); nullopt for a blank cell.
  absl::StatusOr<std::optional<int64_t>> Amount(
      const std::string& column) const;
  // A signed amount of yuan, within ±kMaxAmount; nullopt for a blank cell.
  absl::StatusOr<std::optional<int64_t>> SignedAmount(
      const std::string& column) const;
  // A whole number 0..INT32_MAX; nullopt for a blank cell.
  absl::StatusOr<std::optional<int64_t>> Count(const std::string& column) const;
  // An integer lo..hi; a blank cell is an error.
  absl::StatusOr<int> Int(const std::string& column, int lo, int hi) const;
  // A date (ParseDate syntax); nullopt for a blank cell.
  absl::StatusOr<std::optional<absl::CivilDay>> Date(
      const std::string& column) const;
  // A reporting month (ParsePeriod syntax); nullopt for a blank cell.
  absl::StatusOr<std::optional<absl::CivilMonth>> Period(
      const std::string& column) const;
  // `true` or `false` (any case); nullopt for a blank cell.
  absl::StatusOr<std::optional<bool>> Bool(const std::string& column) const;
  // The storage word of an enum value (ParseEnumWord); "" for a blank cell.
  absl::StatusOr<std::string> Enum(const std::string& column,
                                   const EnumWord* table) const;
  // The text, refused when longer than `max_chars` or holding a NUL.
  absl::StatusOr<std::string> Text(const std::string& column,
                                   size_t max_chars) const;

 private:
  absl::string_view file_;
  const std::map<std::string, int>& columns_;
  const CsvRow& row_;
};

// Whether a lookup found its record: true, false for NOT_FOUND, or the
// storage error.
template <typename T>
absl::StatusOr<bool> Found(const absl::StatusOr<T>& lookup) {
  if (lookup.ok()) return true;
  if (absl::IsNotFound(lookup.status())) return false;
  return lookup.status();
}

// The error for a key given twice in one file: `key` already appears on
// `first_line`, reported at `row`'s `column`.
absl::Status DuplicateKey(const Row& row, const std::string& column,
                          const std::string& key, int first_line);

// NOT_FOUND at `row`'s `column` when no project has `project_id`, so that
// a typo in a file is told apart from a bad value; OK when it exists; the
// store's error otherwise.
absl::Status CheckProjectExists(StoreReader& r, const Row& row,
                                const std::string& column,
                                const std::string& project_id);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_IMPORT_TABLE_H_
