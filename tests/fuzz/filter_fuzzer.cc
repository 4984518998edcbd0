// Fuzzes the list filters: ParseFilter (server/filter.h) and
// ParseProjectFilter (server/project_filter.h).
//
// The input is the filter text, e.g. `level = PROVINCIAL AND park =
// "高铁新区"`. Beyond "no crash, no undefined behaviour", each input checks:
//   - failures are INVALID_ARGUMENT naming `filter` (or `filter.FIELD`);
//   - a parsed map holds only allowed fields, and a wider allowed set
//     accepts whatever a narrower one does, with the same map;
//   - the map written back as `field = "value" AND ...` (quotes and
//     backslashes escaped) parses to the same map;
//   - ParseProjectFilter succeeds only where ParseFilter does; its fields
//     carry the map's values, level and stage as their canonical words, year
//     within 2000..2100 (the default when absent), chapter within 0..9, the
//     extra field `rag` in *extra; without extra fields `rag` is refused;
//   - the ProjectFilter written back as a filter parses to the same
//     ProjectFilter.
// A violated property prints what it saw and traps, so libFuzzer saves the
// input as a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "server/convert.h"
#include "server/filter.h"
#include "server/names.h"
#include "server/project_filter.h"
#include "storage/records.h"

namespace portfolio {
namespace {

#define FUZZ_CHECK(cond, ...)                                   \
  do {                                                          \
    if (!(cond)) {                                              \
      std::fprintf(stderr, "property violated: %s\n  ", #cond); \
      std::fprintf(stderr, __VA_ARGS__);                        \
      std::fprintf(stderr, "\n");                               \
      __builtin_trap();                                         \
    }                                                           \
  } while (false)

using Terms = std::map<std::string, std::string>;

constexpr int kDefaultYear = 2024;

// Every field a list call filters on (ListProjects, summaries, statuses,
// indicators, investments, milestones), and the narrower set of one call.
const std::set<std::string>& AllFields() {
  static const auto* fields = new std::set<std::string>{
      "level", "year", "chapter", "park",   "sector", "stage",
      "lead",  "rag",  "kind",    "period", "overdue"};
  return *fields;
}
const std::set<std::string>& InvestmentFields() {
  static const auto* fields = new std::set<std::string>{"year", "period"};
  return *fields;
}

std::string Show(const Terms& terms) {
  return absl::StrJoin(terms, ", ", absl::PairFormatter(" -> "));
}

// `value` double-quoted, with `"` and `\` escaped.
std::string Quote(absl::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string WriteFilter(const Terms& terms) {
  std::vector<std::string> parts;
  for (const auto& [field, value] : terms) {
    parts.push_back(absl::StrCat(field, " = ", Quote(value)));
  }
  return absl::StrJoin(parts, " AND ");
}

bool IsWord(const std::optional<std::string>& word, const EnumWord* table) {
  for (const EnumWord* e = table; e->word != nullptr; ++e) {
    if (*word == e->word) return true;
  }
  return false;
}

bool SameFilter(const ProjectFilter& a, const ProjectFilter& b) {
  return a.level_year == b.level_year && a.level == b.level &&
         a.chapter == b.chapter && a.park == b.park && a.sector == b.sector &&
         a.stage == b.stage && a.lead == b.lead && a.id == b.id;
}

void CheckError(const absl::Status& s) {
  FUZZ_CHECK(absl::IsInvalidArgument(s) &&
                 (absl::StartsWith(s.message(), "filter: ") ||
                  absl::StartsWith(s.message(), "filter.")),
             "error %s", s.ToString().c_str());
}

// ParseFilter over `allowed`; returns its map when it parses.
std::optional<Terms> CheckParseFilter(absl::string_view text,
                                      const std::set<std::string>& allowed) {
  const absl::StatusOr<Terms> terms = ParseFilter(text, allowed);
  if (!terms.ok()) {
    CheckError(terms.status());
    return std::nullopt;
  }
  for (const auto& [field, value] : *terms) {
    FUZZ_CHECK(allowed.count(field) == 1, "field \"%s\" is not allowed",
               field.c_str());
  }
  const std::string written = WriteFilter(*terms);
  if (written.size() <= kMaxFilterChars) {
    const absl::StatusOr<Terms> again = ParseFilter(written, allowed);
    FUZZ_CHECK(
        again.ok() && *again == *terms, "{%s} written as [%s] parses to %s",
        Show(*terms).c_str(), written.c_str(),
        again.ok() ? Show(*again).c_str() : again.status().ToString().c_str());
  }
  return *terms;
}

// The ProjectFilter written back as filter text.
std::string WriteProjectFilter(
    const ProjectFilter& f, const std::map<std::string, std::string>& extra) {
  Terms terms = extra;
  terms["year"] = absl::StrCat(f.level_year);
  if (f.level) terms["level"] = *f.level;
  if (f.chapter) terms["chapter"] = absl::StrCat(*f.chapter);
  if (f.park) terms["park"] = *f.park;
  if (f.sector) terms["sector"] = *f.sector;
  if (f.stage) terms["stage"] = *f.stage;
  if (f.lead) terms["lead"] = *f.lead;
  return WriteFilter(terms);
}

void CheckProjectFilter(absl::string_view text,
                        const std::optional<Terms>& terms) {
  std::map<std::string, std::string> extra;
  const absl::StatusOr<ProjectFilter> f =
      ParseProjectFilter(text, kDefaultYear, {"rag"}, &extra);
  const absl::StatusOr<ProjectFilter> plain =
      ParseProjectFilter(text, kDefaultYear);
  if (!f.ok()) {
    CheckError(f.status());
    FUZZ_CHECK(!plain.ok(), "accepted without the extra field, not with it");
    CheckError(plain.status());
    return;
  }
  FUZZ_CHECK(terms.has_value(),
             "ParseProjectFilter accepted what ParseFilter "
             "refuses over a wider set of fields");
  auto term = [&](const char* field) -> std::optional<std::string> {
    auto it = terms->find(field);
    if (it == terms->end()) return std::nullopt;
    return it->second;
  };
  FUZZ_CHECK(!f->level || IsWord(f->level, kLevelWords), "level \"%s\"",
             f->level->c_str());
  FUZZ_CHECK(!f->stage || IsWord(f->stage, kStageWords), "stage \"%s\"",
             f->stage->c_str());
  FUZZ_CHECK(f->level.has_value() == term("level").has_value() &&
                 f->stage.has_value() == term("stage").has_value(),
             "level or stage appeared or vanished: {%s}", Show(*terms).c_str());
  FUZZ_CHECK(f->level_year >= 2000 && f->level_year <= 2100 &&
                 (term("year") || f->level_year == kDefaultYear),
             "year %d from {%s}", f->level_year, Show(*terms).c_str());
  FUZZ_CHECK(f->chapter.has_value() == term("chapter").has_value() &&
                 (!f->chapter || (*f->chapter >= 0 && *f->chapter <= 9)),
             "chapter %d from {%s}", f->chapter.value_or(-1),
             Show(*terms).c_str());
  FUZZ_CHECK(f->park == term("park") && f->sector == term("sector") &&
                 f->lead == term("lead") && !f->id.has_value(),
             "park, sector, lead or id differ from {%s}", Show(*terms).c_str());
  for (const auto& [field, value] : *terms) {
    FUZZ_CHECK(field != "kind" && field != "period" && field != "overdue",
               "ParseProjectFilter accepted field \"%s\"", field.c_str());
  }
  FUZZ_CHECK(extra.size() == (term("rag") ? 1u : 0u) &&
                 (!term("rag") || extra["rag"] == *term("rag")),
             "extra fields {%s} from {%s}", Show(extra).c_str(),
             Show(*terms).c_str());
  FUZZ_CHECK(plain.ok() != term("rag").has_value(),
             "without extra fields, rag %s",
             plain.ok() ? "accepted" : "refused");
  if (plain.ok()) {
    FUZZ_CHECK(SameFilter(*f, *plain), "extra fields changed the filter");
  }

  const std::string written = WriteProjectFilter(*f, extra);
  if (written.size() <= kMaxFilterChars) {
    std::map<std::string, std::string> extra_again;
    const absl::StatusOr<ProjectFilter> again =
        ParseProjectFilter(written, kDefaultYear, {"rag"}, &extra_again);
    FUZZ_CHECK(
        again.ok() && SameFilter(*f, *again) && extra_again == extra,
        "written back as [%s]: %s", written.c_str(),
        again.ok() ? "another filter" : again.status().ToString().c_str());
  }
}

}  // namespace
}  // namespace portfolio

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace portfolio;  // NOLINT: a fuzz entry point
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const std::optional<Terms> all = CheckParseFilter(text, AllFields());
  const std::optional<Terms> narrow =
      CheckParseFilter(text, InvestmentFields());
  if (narrow) {
    FUZZ_CHECK(all && *all == *narrow,
               "accepted over {year, period} but not over every field");
  }
  CheckProjectFilter(text, all);
  return 0;
}
