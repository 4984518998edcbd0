#include "client/table.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/display_width.h"
#include "common/amount.h"
#include "common/csv.h"

namespace portfolio::client {
namespace {

constexpr char kGap[] = "  ";

// Keeps one cell on one line.
std::string Flatten(const std::string& text) {
  std::string out = text;
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

}  // namespace

Cell TextCell(std::string text) {
  Cell cell{text, std::move(text)};
  return cell;
}

Cell MoneyCell(int64_t yuan) {
  return Cell{FormatAmount(yuan), absl::StrCat(yuan)};
}

Cell MoneyCell(std::optional<int64_t> yuan) {
  if (!yuan.has_value()) return Cell{};
  return MoneyCell(*yuan);
}

Cell IntCell(int64_t value) {
  return Cell{FormatWithCommas(value), absl::StrCat(value)};
}

Cell PercentCell(double ratio) {
  return Cell{absl::StrFormat("%.1f%%", ratio * 100),
              absl::StrFormat("%.4f", ratio)};
}

Cell PointsCell(double points) {
  // Without this, -0.04 reads "-0.0", a gap that is not there.
  const double shown = points > -0.05 && points < 0.05 ? 0.0 : points;
  return Cell{absl::StrFormat("%+.1f", shown), absl::StrFormat("%.2f", points)};
}

Cell PlannedPercentCell(bool planned, double ratio) {
  return planned ? PercentCell(ratio) : Cell{"-", ""};
}

Cell PlannedPointsCell(bool planned, double points) {
  return planned ? PointsCell(points) : Cell{"-", ""};
}

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::AddRow(std::vector<Cell> cells) {
  cells.resize(columns_.size());
  rows_.push_back(std::move(cells));
}

void Table::PrintAligned(std::ostream& out) const {
  std::vector<size_t> shown;
  for (size_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c].in_list) shown.push_back(c);
  }
  std::vector<int> widths;
  for (size_t c : shown) {
    int width = DisplayWidth(columns_[c].header);
    for (const auto& row : rows_) {
      width = std::max(width, DisplayWidth(Flatten(row[c].text)));
    }
    widths.push_back(width);
  }
  auto print_line = [&](auto text_of) {
    std::string line;
    for (size_t i = 0; i < shown.size(); ++i) {
      const Column& column = columns_[shown[i]];
      const std::string text = Flatten(text_of(shown[i]));
      const bool last = i + 1 == shown.size();
      if (i > 0) line += kGap;
      if (column.align == Align::kRight) {
        line += PadLeft(text, widths[i]);
      } else {
        line += last ? text : PadRight(text, widths[i]);
      }
    }
    out << absl::StripTrailingAsciiWhitespace(line) << '\n';
  };
  print_line([&](size_t c) { return columns_[c].header; });
  for (const auto& row : rows_) {
    print_line([&](size_t c) { return row[c].text; });
  }
}

void Table::PrintRecords(std::ostream& out) const {
  int key_width = 0;
  for (const Column& column : columns_) {
    key_width = std::max(key_width, DisplayWidth(column.header));
  }
  for (size_t r = 0; r < rows_.size(); ++r) {
    if (r > 0) out << '\n';
    for (size_t c = 0; c < columns_.size(); ++c) {
      const std::string line =
          absl::StrCat(PadRight(columns_[c].header, key_width), kGap,
                       Flatten(rows_[r][c].text));
      out << absl::StripTrailingAsciiWhitespace(line) << '\n';
    }
  }
}

void Table::PrintCsv(std::ostream& out) const {
  auto print_line = [&](auto field_of) {
    for (size_t c = 0; c < columns_.size(); ++c) {
      if (c > 0) out << ',';
      out << CsvEscape(field_of(c));
    }
    out << '\n';
  };
  print_line([&](size_t c) { return columns_[c].csv_header; });
  for (const auto& row : rows_) {
    print_line([&](size_t c) { return row[c].csv; });
  }
}

}  // namespace portfolio::client
