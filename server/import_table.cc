#include "server/import_table.h"

#include <algorithm>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/amount.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "server/errors.h"
#include "server/importer.h"
#include "server/names.h"

namespace portfolio {

absl::StatusOr<Table> ReadTable(const Schema& schema, absl::string_view file,
                                absl::string_view content) {
  auto fail = [&](absl::string_view why) {
    return FieldError("content", absl::StrCat(file, " ", why));
  };
  if (content.size() > kMaxImportBytes) {
    return fail(absl::StrCat("is larger than ", kMaxImportBytes >> 20,
                             " MiB; split it"));
  }
  absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(content);
  if (!rows.ok()) return fail(rows.status().message());
  if (rows->empty()) return fail("is empty: it needs a header row");
  if (rows->size() - 1 > kMaxImportRows) {
    return fail(
        absl::StrCat("has more than ", kMaxImportRows, " rows; split it"));
  }
  Table table;
  const CsvRow& header = rows->front();
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string name = absl::AsciiStrToLower(
        absl::StripAsciiWhitespace(header.fields[i].value));
    const bool known =
        std::count(schema.required.begin(), schema.required.end(), name) +
            std::count(schema.optional.begin(), schema.optional.end(), name) >
        0;
    if (!known) {
      return fail(absl::StrCat("line ", header.line, ", column ",
                               header.fields[i].column, ": unknown column \"",
                               name, "\"; columns are ",
                               absl::StrJoin(schema.required, ","), ",",
                               absl::StrJoin(schema.optional, ",")));
    }
    if (!table.columns.emplace(name, static_cast<int>(i)).second) {
      return fail(absl::StrCat("line ", header.line, ", column ",
                               header.fields[i].column, ": column \"", name,
                               "\" appears twice"));
    }
  }
  for (const std::string& required : schema.required) {
    if (!table.columns.count(required)) {
      return fail(
          absl::StrCat("line 1: missing required column \"", required, "\""));
    }
  }
  for (size_t i = 1; i < rows->size(); ++i) {
    const CsvRow& row = (*rows)[i];
    if (row.fields.size() > header.fields.size()) {
      return fail(absl::StrCat("line ", row.line, ", column ",
                               row.fields[header.fields.size()].column,
                               ": more fields than the header has"));
    }
    table.rows.push_back(row);
  }
  return table;
}

std::string Row::Get(const std::string& column) const {
  auto it = columns_.find(column);
  if (it == columns_.end() ||
      it->second >= static_cast<int>(row_.fields.size())) {
    return std::string();
  }
  // An export guards text a spreadsheet would run as a formula with an
  // apostrophe (CsvEscape); the value is what came before it.
  return CsvUnescapeFormula(TrimmedText(row_.fields[it->second].value));
}

absl::Status Row::Error(const std::string& column, absl::string_view why,
                        absl::StatusCode code) const {
  auto it = columns_.find(column);
  if (it == columns_.end() ||
      it->second >= static_cast<int>(row_.fields.size())) {
    // A column the file lacks has no place on the line to point at.
    return FieldError(code, "content",
                      absl::StrCat(file_, " line ", row_.line,
                                   ", a column the file does not have (",
                                   column, "): ", why));
  }
  return FieldError(
      code, "content",
      absl::StrCat(file_, " line ", row_.line, ", column ",
                   row_.fields[it->second].column, " (", column, "): ", why));
}

absl::Status Row::At(const std::string& column, const absl::Status& s) const {
  if (s.ok()) return s;
  absl::string_view message = s.message();
  // Drop a field prefix the parser added ("x: why" -> "why").
  const size_t colon = message.find(": ");
  if (colon != absl::string_view::npos &&
      message.substr(0, colon).find(' ') == absl::string_view::npos) {
    message = message.substr(colon + 2);
  }
  return Error(column, message, s.code());
}

absl::StatusOr<std::optional<int64_t>> Row::Amount(
    const std::string& column) const {
  ASSIGN_OR_RETURN(std::optional<int64_t> v, SignedAmount(column));
  if (v.has_value() && *v < 0) return Error(column, "must not be negative");
  return v;
}

absl::StatusOr<std::optional<int64_t>> Row::SignedAmount(
    const std::string& column) const {
  if (!Has(column)) return std::optional<int64_t>();
  absl::StatusOr<int64_t> v = ParseAmount(Get(column));
  if (!v.ok()) return At(column, v.status());
  return std::optional<int64_t>(*v);
}

absl::StatusOr<std::optional<int64_t>> Row::Count(
    const std::string& column) const {
  if (!Has(column)) return std::optional<int64_t>();
  int64_t v = 0;
  // Full-width digits, as a Chinese spreadsheet may hold, are digits.
  if (!absl::SimpleAtoi(NormalizeWidth(Get(column)), &v) || v < 0 ||
      v > std::numeric_limits<int32_t>::max()) {
    return Error(column,
                 absl::StrCat("\"", Get(column), "\" is not a whole number"));
  }
  return std::optional<int64_t>(v);
}

absl::StatusOr<int> Row::Int(const std::string& column, int lo, int hi) const {
  int v = 0;
  if (!absl::SimpleAtoi(NormalizeWidth(Get(column)), &v) || v < lo || v > hi) {
    return Error(column, absl::StrCat("\"", Get(column), "\" is not a number ",
                                      lo, "..", hi));
  }
  return v;
}

absl::StatusOr<std::optional<absl::CivilDay>> Row::Date(
    const std::string& column) const {
  if (!Has(column)) return std::optional<absl::CivilDay>();
  absl::StatusOr<absl::CivilDay> d = ParseDate(Get(column));
  if (!d.ok()) return At(column, d.status());
  return std::optional<absl::CivilDay>(*d);
}

absl::StatusOr<std::optional<absl::CivilMonth>> Row::Period(
    const std::string& column) const {
  if (!Has(column)) return std::optional<absl::CivilMonth>();
  absl::StatusOr<absl::CivilMonth> m = ParsePeriod(Get(column));
  if (!m.ok()) return At(column, m.status());
  return std::optional<absl::CivilMonth>(*m);
}

absl::StatusOr<std::optional<bool>> Row::Bool(const std::string& column) const {
  if (!Has(column)) return std::optional<bool>();
  const std::string v = absl::AsciiStrToLower(Get(column));
  if (v == "true") return std::optional<bool>(true);
  if (v == "false") return std::optional<bool>(false);
  return Error(column, absl::StrCat("\"", Excerpt(Get(column)),
                                    "\" is not true or false"));
}

absl::StatusOr<std::string> Row::Enum(const std::string& column,
                                      const EnumWord* table) const {
  if (!Has(column)) return std::string();
  absl::StatusOr<std::string> w = ParseEnumWord(column, Get(column), table);
  if (!w.ok()) return At(column, w.status());
  return w;
}

absl::StatusOr<std::string> Row::Text(const std::string& column,
                                      size_t max_chars) const {
  const std::string v = Get(column);
  if (absl::Status s = CheckLength(column, v, max_chars); !s.ok()) {
    return At(column, s);
  }
  return v;
}

absl::Status DuplicateKey(const Row& row, const std::string& column,
                          const std::string& key, int first_line) {
  return row.Error(
      column,
      absl::StrCat("\"", key, "\" already appears on line ", first_line));
}

absl::Status CheckProjectExists(StoreReader& r, const Row& row,
                                const std::string& column,
                                const std::string& project_id) {
  absl::Status s = r.GetProject(project_id).status();
  if (absl::IsNotFound(s)) {
    return row.Error(column,
                     absl::StrCat("no project \"", Excerpt(project_id), "\""),
                     absl::StatusCode::kNotFound);
  }
  return s;
}

}  // namespace portfolio
