// Fuzzes ParseCsv (common/csv.h) and ImportCsv (server/importer.h) against a
// real SQLite store.
//
// Input: the first byte picks the import kind (byte % 4: 0 projects, 1 plans,
// 2 indicators, 3 portfolios; the seeds use the digits '0'..'3'), the rest is
// the file's content. One store per process lives in a temporary directory,
// seeded once from the report's dataset (so plans can name real projects
// and imports update real records); every input is imported inside one
// store->Write whose callback then returns an error, so nothing is committed
// and the database never grows.
//
// ParseCsv checks, on the content:
//   - failure is INVALID_ARGUMENT "line L, column C: ..." with L, C >= 1;
//   - rows start on strictly increasing lines, within the text; no row is
//     blank; every field's column is >= 1;
//   - writing the rows back out with CsvEscape and parsing that again gives
//     the same rows and values.
// ImportCsv checks:
//   - failure is INVALID_ARGUMENT or NOT_FOUND (never a storage fault or a
//     violated constraint) and its message names the file;
//   - success implies ParseCsv succeeds; created + updated is the number of
//     data rows (distinct ids for indicators; for plans, whose rows apply
//     in order as baseline and revisions, at most the rows and created at
//     most the distinct keys); every imported key can be read back inside
//     the transaction (projects with their trimmed name, plans with 12
//     months summing to the amount of the key's last row);
//   - importing the same file again in the same transaction succeeds,
//     creates nothing, updates the same records (plans: none, the figures
//     being the same) and records no indicator value twice; except a plans
//     file revising a plan, which replays its rows against the last
//     revision: it creates nothing, or is refused for a revision without a
//     reason, naming the reason column;
//   - the rollback really rolls back: the store still holds the seed
//     (checked every 64 inputs).
// A violated property prints what it saw and traps, so libFuzzer saves the
// input as a crash. Set PORTFOLIO_FUZZ_VERBOSE=1 to print each import's
// outcome.
#include <stdlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/amount.h"
#include "common/clock.h"
#include "common/csv.h"
#include "server/importer.h"
#include "server/server.h"
#include "storage/store.h"

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

#define FUZZ_CHECK_OK(expr)                                             \
  do {                                                                  \
    const absl::Status fuzz_status = (expr);                            \
    FUZZ_CHECK(fuzz_status.ok(), "%s", fuzz_status.ToString().c_str()); \
  } while (false)

constexpr char kFile[] = "fuzz.csv";
constexpr char kRollback[] = "fuzz: roll back";

const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2024, 6, 15, 9, 0, 0),
                                        DistrictTimeZone());

// A store in a temporary directory, seeded once, removed at exit.
class FuzzStore final {
 public:
  FuzzStore() {
    const char* tmp = getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
        "/portfolio-fuzz-XXXXXX";
    FUZZ_CHECK(mkdtemp(pattern.data()) != nullptr, "mkdtemp %s",
               pattern.c_str());
    dir_ = pattern;
    SqliteStoreOptions options;
    options.path = dir_ + "/portfolio.db";
    absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(options);
    FUZZ_CHECK_OK(store.status());
    store_ = std::move(*store);
    const FakeClock clock(kNow);
    FUZZ_CHECK_OK(SeedFromReport(*store_, clock));
    seeded_projects_ = CountProjects();
  }
  ~FuzzStore() {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  FuzzStore(const FuzzStore&) = delete;
  FuzzStore& operator=(const FuzzStore&) = delete;

  Store& store() { return *store_; }
  int64_t seeded_projects() const { return seeded_projects_; }

  int64_t CountProjects() {
    int64_t total = -1;
    FUZZ_CHECK_OK(store_->Read([&](StoreReader& r) -> absl::Status {
      ProjectQuery q;
      q.limit = 1;
      absl::StatusOr<ProjectPage> page = r.ListProjects(q);
      if (!page.ok()) return page.status();
      total = page->total;
      return absl::OkStatus();
    }));
    return total;
  }

 private:
  std::string dir_;
  std::unique_ptr<Store> store_;
  int64_t seeded_projects_ = 0;
};

FuzzStore* g_store = nullptr;

// With PORTFOLIO_FUZZ_VERBOSE set, each input's import outcome goes to
// stderr: for checking seeds and reading a saved crash.
bool Verbose() {
  static const bool verbose = getenv("PORTFOLIO_FUZZ_VERBOSE") != nullptr;
  return verbose;
}

// --- ParseCsv -------------------------------------------------------------

bool SameValues(const std::vector<CsvRow>& a, const std::vector<CsvRow>& b) {
  if (a.size() != b.size()) return false;
  for (size_t r = 0; r < a.size(); ++r) {
    if (a[r].fields.size() != b[r].fields.size()) return false;
    for (size_t f = 0; f < a[r].fields.size(); ++f) {
      if (a[r].fields[f].value != b[r].fields[f].value) return false;
    }
  }
  return true;
}

// The rows written back out as CSV. A BOM goes first, so a BOM that opened
// the first value survives the parser's dropping of a leading one.
std::string WriteCsv(const std::vector<CsvRow>& rows) {
  std::string out = "\xEF\xBB\xBF";
  for (const CsvRow& row : rows) {
    std::vector<std::string> cells;
    for (const CsvField& field : row.fields) {
      cells.push_back(CsvEscape(field.value));
    }
    out += absl::StrJoin(cells, ",");
    out += "\n";
  }
  return out;
}

absl::StatusOr<std::vector<CsvRow>> CheckParseCsv(absl::string_view text) {
  absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(text);
  if (!rows.ok()) {
    int line = 0, column = 0;
    FUZZ_CHECK(absl::IsInvalidArgument(rows.status()) &&
                   std::sscanf(std::string(rows.status().message()).c_str(),
                               "line %d, column %d:", &line, &column) == 2 &&
                   line >= 1 && column >= 1,
               "ParseCsv error %s", rows.status().ToString().c_str());
    return rows;
  }
  const int max_line =
      1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  int previous_line = 0;
  for (const CsvRow& row : *rows) {
    FUZZ_CHECK(row.line > previous_line && row.line <= max_line,
               "row on line %d after a row on line %d (text has %d lines)",
               row.line, previous_line, max_line);
    previous_line = row.line;
    FUZZ_CHECK(!row.fields.empty(), "row on line %d has no fields", row.line);
    FUZZ_CHECK(row.fields.size() > 1 || !row.fields[0].value.empty(),
               "blank row on line %d kept", row.line);
    for (const CsvField& field : row.fields) {
      FUZZ_CHECK(field.column >= 1, "field on line %d at column %d", row.line,
                 field.column);
    }
  }
  const std::string written = WriteCsv(*rows);
  absl::StatusOr<std::vector<CsvRow>> again = ParseCsv(written);
  FUZZ_CHECK(
      again.ok() && SameValues(*rows, *again),
      "rows written back with CsvEscape parse %s",
      again.ok() ? "to other values" : again.status().ToString().c_str());
  return rows;
}

// --- ImportCsv ------------------------------------------------------------

// The index of the header's column `name` (trimmed, any case), or -1.
int ColumnIndex(const CsvRow& header, absl::string_view name) {
  for (size_t i = 0; i < header.fields.size(); ++i) {
    if (absl::AsciiStrToLower(
            absl::StripAsciiWhitespace(header.fields[i].value)) == name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// The trimmed cell of `row` in `column`, "" when absent.
std::string Cell(const CsvRow& row, int column) {
  if (column < 0 || column >= static_cast<int>(row.fields.size())) return "";
  return std::string(absl::StripAsciiWhitespace(row.fields[column].value));
}

// Reads back what a successful import of `rows` must have written; returns
// the number of distinct keys and, for indicators, each one's value count.
size_t CheckImported(StoreWriter& w, ImportKind kind,
                     const std::vector<CsvRow>& rows,
                     std::map<std::string, size_t>* indicator_values) {
  const CsvRow& header = rows.front();
  std::set<std::string> ids;
  // plans: key -> (the amount cell of its last row, the amount stored)
  std::map<std::string, std::pair<std::string, int64_t>> last_plan_row;
  for (size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    switch (kind) {
      case ImportKind::kProjects: {
        const std::string id = Cell(row, ColumnIndex(header, "id"));
        absl::StatusOr<ProjectRecord> p = w.GetProject(id);
        FUZZ_CHECK(p.ok(), "project \"%s\" (line %d) not readable: %s",
                   id.c_str(), row.line, p.status().ToString().c_str());
        const std::string name = Cell(row, ColumnIndex(header, "name"));
        FUZZ_CHECK(p->display_name == name,
                   "project \"%s\" named \"%s\", file says \"%s\"", id.c_str(),
                   p->display_name.c_str(), name.c_str());
        ids.insert(id);
        break;
      }
      case ImportKind::kPlans: {
        const std::string id = Cell(row, ColumnIndex(header, "project_id"));
        const std::string year_text = Cell(row, ColumnIndex(header, "year"));
        int year = 0;
        FUZZ_CHECK(absl::SimpleAtoi(year_text, &year),
                   "plan year \"%s\" accepted", year_text.c_str());
        absl::StatusOr<PlanRecord> plan = w.GetPlan(id, year);
        FUZZ_CHECK(plan.ok(), "plan %s/%d not readable: %s", id.c_str(), year,
                   plan.status().ToString().c_str());
        int64_t sum = 0;
        for (int64_t m : plan->monthly) sum += m;
        FUZZ_CHECK(plan->monthly.size() == 12 && sum == plan->amount &&
                       plan->amount > 0 && plan->amount <= kMaxAmount,
                   "plan %s/%d: amount %lld, %zu months summing to %lld",
                   id.c_str(), year, (long long)plan->amount,
                   plan->monthly.size(), (long long)sum);
        // Rows of one plan apply in order: the last one is what is stored.
        const std::string key = id + "/" + std::to_string(year);
        last_plan_row[key] = std::make_pair(
            Cell(row, ColumnIndex(header, "amount")), plan->amount);
        ids.insert(key);
        break;
      }
      case ImportKind::kIndicators: {
        const std::string id = Cell(row, ColumnIndex(header, "id"));
        absl::StatusOr<IndicatorRecord> i = w.GetIndicator(id);
        FUZZ_CHECK(i.ok(), "indicator \"%s\" not readable: %s", id.c_str(),
                   i.status().ToString().c_str());
        (*indicator_values)[id] = i->values.size();
        ids.insert(id);
        break;
      }
      case ImportKind::kPortfolios: {
        const std::string year_text = Cell(row, ColumnIndex(header, "year"));
        int year = 0;
        FUZZ_CHECK(absl::SimpleAtoi(year_text, &year),
                   "portfolio year \"%s\" accepted", year_text.c_str());
        absl::StatusOr<PortfolioRecord> p = w.GetPortfolio(year);
        FUZZ_CHECK(p.ok(), "portfolio %d not readable: %s", year,
                   p.status().ToString().c_str());
        ids.insert(std::to_string(year));
        break;
      }
      case ImportKind::kUsers:
      case ImportKind::kMilestones:
      case ImportKind::kInvestments:
      case ImportKind::kProblems:
      case ImportKind::kPeriods:
        FUZZ_CHECK(false, "kind %d is not fuzzed here", static_cast<int>(kind));
    }
  }
  for (const auto& [key, last] : last_plan_row) {
    const absl::StatusOr<int64_t> amount = ParseAmount(last.first);
    FUZZ_CHECK(amount.ok() && *amount == last.second,
               "plan %s stored %lld for its last row's \"%s\"", key.c_str(),
               (long long)last.second, last.first.c_str());
  }
  return ids.size();
}

void CheckImportError(const absl::Status& s) {
  FUZZ_CHECK((absl::IsInvalidArgument(s) || absl::IsNotFound(s)) &&
                 absl::StrContains(s.message(), kFile),
             "ImportCsv error %s", s.ToString().c_str());
}

absl::Status ImportTwice(StoreWriter& w, ImportKind kind,
                         absl::string_view content,
                         const absl::StatusOr<std::vector<CsvRow>>& rows) {
  const absl::StatusOr<ImportCounts> first =
      ImportCsv(w, kind, kFile, content, "fuzzer", kNow);
  if (Verbose()) {
    std::fprintf(stderr, "import kind %d: %s\n", static_cast<int>(kind),
                 first.ok() ? absl::StrCat("created ", first->created,
                                           ", updated ", first->updated)
                                  .c_str()
                            : first.status().ToString().c_str());
  }
  if (!first.ok()) {
    CheckImportError(first.status());
    return absl::CancelledError(kRollback);
  }
  FUZZ_CHECK(rows.ok(), "ImportCsv accepted what ParseCsv refuses: %s",
             rows.status().ToString().c_str());
  const size_t data_rows = rows->size() - 1;
  std::map<std::string, size_t> values;
  const size_t keys = CheckImported(w, kind, *rows, &values);
  const size_t total = static_cast<size_t>(first->created + first->updated);
  const bool plans = kind == ImportKind::kPlans;
  FUZZ_CHECK(
      first->created >= 0 && first->updated >= 0 &&
          (plans ? total <= data_rows &&
                       static_cast<size_t>(first->created) <= keys
                 : total == keys) &&
          (plans || kind == ImportKind::kIndicators || total == data_rows),
      "created %d + updated %d, %zu keys in %zu rows", first->created,
      first->updated, keys, data_rows);

  const absl::StatusOr<ImportCounts> second =
      ImportCsv(w, kind, kFile, content, "fuzzer", kNow);
  if (plans && keys < data_rows) {
    // A file revising a plan replays its rows against the last revision:
    // some revisions may apply again, and a first row that differs from the
    // last is a revision without a reason.
    FUZZ_CHECK(second.ok() ? second->created == 0
                           : absl::IsInvalidArgument(second.status()) &&
                                 absl::StrContains(second.status().message(),
                                                   "(reason)"),
               "the same plans file imported again: %s",
               second.ok() ? absl::StrCat("created ", second->created).c_str()
                           : second.status().ToString().c_str());
    return absl::CancelledError(kRollback);
  }
  FUZZ_CHECK(second.ok(), "the same file imported again: %s",
             second.status().ToString().c_str());
  FUZZ_CHECK(second->created == 0 &&
                 static_cast<size_t>(second->updated) == (plans ? 0 : total),
             "again: created %d, updated %d (first %d + %d)", second->created,
             second->updated, first->created, first->updated);
  for (const auto& [id, count] : values) {
    absl::StatusOr<IndicatorRecord> i = w.GetIndicator(id);
    FUZZ_CHECK(i.ok() && i->values.size() == count,
               "indicator \"%s\": %zu values after one import, %zu after two",
               id.c_str(), count, i.ok() ? i->values.size() : 0);
  }
  return absl::CancelledError(kRollback);
}

}  // namespace
}  // namespace portfolio

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  static portfolio::FuzzStore store;  // destroyed, and removed, at exit
  portfolio::g_store = &store;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace portfolio;  // NOLINT: a fuzz entry point
  if (size == 0) return 0;
  const ImportKind kind = static_cast<ImportKind>(data[0] % 4);
  const absl::string_view content(reinterpret_cast<const char*>(data) + 1,
                                  size - 1);
  const absl::StatusOr<std::vector<CsvRow>> rows = CheckParseCsv(content);

  const absl::Status written = g_store->store().Write(
      [&](StoreWriter& w) { return ImportTwice(w, kind, content, rows); });
  FUZZ_CHECK(absl::IsCancelled(written) && written.message() == kRollback,
             "Write returned %s", written.ToString().c_str());

  static int runs = 0;
  if (++runs % 64 == 0) {
    const int64_t projects = g_store->CountProjects();
    FUZZ_CHECK(projects == g_store->seeded_projects(),
               "%lld projects after a rollback, %lld seeded",
               (long long)projects, (long long)g_store->seeded_projects());
  }
  return 0;
}
