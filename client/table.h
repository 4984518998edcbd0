// Rows of cells printed three ways: aligned for people, record by record for
// one resource, or CSV for machines. A cell carries both renderings because
// people read `1.20亿` where a spreadsheet needs `120000000`.
#ifndef PORTFOLIO_CLIENT_TABLE_H_
#define PORTFOLIO_CLIENT_TABLE_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace portfolio::client {

enum class Align { kLeft, kRight };

struct Column {
  // Heading for people, e.g. "完成投资 completed".
  std::string header;
  // Heading for machines, e.g. "completed_to_date".
  std::string csv_header;
  // Numbers are right-aligned.
  Align align = Align::kLeft;
  // False for columns too wide or rare for a listing: they appear only in
  // the record view and in CSV.
  bool in_list = true;
};

struct Cell {
  std::string text;  // for people
  std::string csv;   // exact, for machines
};

// A cell that reads the same for people and machines.
Cell TextCell(std::string text);
// Money: FormatAmount for people, the exact integer of yuan for machines.
Cell MoneyCell(int64_t yuan);
// As MoneyCell; empty when the amount is not known.
Cell MoneyCell(std::optional<int64_t> yuan);
// An integer, with thousands separators for people.
Cell IntCell(int64_t value);
// A ratio (0.452) as a percentage: "45.2%" for people, "0.4520" for machines.
Cell PercentCell(double ratio);
// Percentage points with a sign: "+1.5" / "-10.0" for people, "-10.00".
Cell PointsCell(double points);
// A completion rate or gap, which only a plan gives: as above when
// `planned`, else "-" for people and empty for machines (a 0 would read
// as no progress against a plan).
Cell PlannedPercentCell(bool planned, double ratio);
Cell PlannedPointsCell(bool planned, double points);

// A table under construction. Thread-compatible.
class Table {
 public:
  explicit Table(std::vector<Column> columns);

  // Appends a row. Missing trailing cells print empty; extra cells are
  // ignored, so a short row never corrupts the layout.
  void AddRow(std::vector<Cell> cells);

  int row_count() const { return static_cast<int>(rows_.size()); }

  // Writes the in_list columns: a header line, then one line per row, each
  // column padded to its widest cell by display width. Line breaks and tabs
  // inside cells print as spaces.
  void PrintAligned(std::ostream& out) const;

  // Writes every column of every row as `header  value` lines, headers
  // aligned, rows separated by a blank line. For `show` commands.
  void PrintRecords(std::ostream& out) const;

  // Writes every column: the csv_header row, then the rows, each field
  // through CsvEscape.
  void PrintCsv(std::ostream& out) const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;
};

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_TABLE_H_
