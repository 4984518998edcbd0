#include "common/csv.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace portfolio {
namespace {

absl::Status At(int line, int column, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", line, ", column ", column, ": ", why));
}

// Length of the UTF-8 sequence starting with `lead`, or 0 if invalid.
int Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Length of the valid UTF-8 sequence at text[i], or 0 when it is not one:
// overlong forms, surrogates (U+D800..DFFF) and code points above U+10FFFF
// are refused, as protobuf refuses them in strings.
int ValidSequenceLength(absl::string_view text, size_t i) {
  const unsigned char lead = text[i];
  const int len = Utf8Length(lead);
  if (len == 0 || i + len > text.size()) return 0;
  for (int k = 1; k < len; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  }
  if (len >= 3) {
    const unsigned char second = text[i + 1];
    if (lead == 0xE0 && second < 0xA0) return 0;   // overlong
    if (lead == 0xED && second >= 0xA0) return 0;  // surrogate
    if (lead == 0xF0 && second < 0x90) return 0;   // overlong
    if (lead == 0xF4 && second >= 0x90) return 0;  // above U+10FFFF
  }
  return len;
}

// Finds the first invalid UTF-8 sequence; returns false and its line and
// column (in characters) when there is one.
bool FindInvalidUtf8(absl::string_view text, int* line, int* column) {
  *line = 1;
  *column = 1;
  for (size_t i = 0; i < text.size();) {
    const int len = ValidSequenceLength(text, i);
    if (len == 0) return false;
    if (text[i] == '\n') {
      ++*line;
      *column = 0;
    }
    ++*column;
    i += len;
  }
  return true;
}

bool RowIsBlank(const CsvRow& row) {
  return row.fields.size() == 1 && row.fields[0].value.empty();
}

}  // namespace

absl::StatusOr<std::vector<CsvRow>> ParseCsv(absl::string_view text) {
  absl::ConsumePrefix(&text, "\xEF\xBB\xBF");
  int bad_line = 0, bad_column = 0;
  if (!FindInvalidUtf8(text, &bad_line, &bad_column)) {
    return At(bad_line, bad_column,
              "the file is not valid UTF-8 (save it as UTF-8 CSV)");
  }
  std::vector<CsvRow> rows;
  CsvRow row;
  CsvField field;
  int line = 1, column = 1;
  row.line = 1;
  field.column = 1;
  size_t i = 0;
  auto end_field = [&]() {
    row.fields.push_back(std::move(field));
    field = CsvField();
    field.column = column;
  };
  auto end_row = [&]() {
    end_field();
    if (!RowIsBlank(row)) rows.push_back(std::move(row));
    row = CsvRow();
    row.line = line;
    field.column = column;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' && field.value.empty()) {
      const int quote_line = line, quote_column = column;
      ++i;
      ++column;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.value.push_back('"');
            i += 2;
            column += 2;
            continue;
          }
          ++i;
          ++column;
          closed = true;
          break;
        }
        if (text[i] == '\n') {
          ++line;
          column = 0;
        }
        const int len = Utf8Length(static_cast<unsigned char>(text[i]));
        field.value.append(text.data() + i, len);
        i += len;
        ++column;
      }
      if (!closed) return At(quote_line, quote_column, "unterminated quote");
      if (i < text.size() && text[i] != ',' && text[i] != '\n' &&
          text[i] != '\r') {
        return At(line, column, "unexpected text after a closing quote");
      }
      continue;
    }
    if (c == ',') {
      ++i;
      ++column;
      end_field();
      continue;
    }
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      continue;
    }
    if (c == '\n') {
      ++i;
      ++line;
      column = 1;
      end_row();
      continue;
    }
    // Columns count characters, not bytes, so editors agree with us.
    const int len = Utf8Length(static_cast<unsigned char>(c));
    field.value.append(text.data() + i, len);
    i += len;
    ++column;
  }
  if (!field.value.empty() || !row.fields.empty()) end_row();
  return rows;
}

namespace {

// Whether `value` is a plain number, signed or not: -500, +3.5.
bool PlainNumber(absl::string_view value) {
  if (!value.empty() && (value[0] == '-' || value[0] == '+')) {
    value.remove_prefix(1);
  }
  bool digits = false, dot = false;
  for (char c : value) {
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      return false;
    }
  }
  return digits;
}

// Whether `value`, after its leading apostrophes, begins as a formula.
bool FormulaAfterApostrophes(absl::string_view value) {
  const size_t start = value.find_first_not_of('\'');
  if (start == absl::string_view::npos) return false;
  const char c = value[start];
  if (c != '=' && c != '+' && c != '-' && c != '@' && c != '\t' && c != '\r') {
    return false;
  }
  return start > 0 || !PlainNumber(value);
}

}  // namespace

std::string CsvUnescapeFormula(absl::string_view value) {
  if (!value.empty() && value[0] == '\'' && FormulaAfterApostrophes(value)) {
    value.remove_prefix(1);
  }
  return std::string(value);
}

std::string CsvEscape(absl::string_view text) {
  std::string guarded;
  absl::string_view value = text;
  if (FormulaAfterApostrophes(text)) {
    guarded = absl::StrCat("'", text);
    value = guarded;
  }
  if (value.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(value);
  }
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace portfolio
