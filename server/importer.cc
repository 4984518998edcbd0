#include "server/importer.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/amount.h"
#include "common/csv.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/errors.h"
#include "server/import_progress.h"
#include "server/import_table.h"
#include "server/names.h"
#include "server/progress.h"

namespace portfolio {
namespace {

// The columns of each kind of file, as data/README.md lists them.
const Schema& SchemaFor(ImportKind kind) {
  static const auto* projects =
      new Schema{{"id", "name"},
                 {"owner", "chapter", "sector", "park", "levels", "stage",
                  "total_investment", "planned_start", "planned_end",
                  "national_code", "capacity", "leads", "source"}};
  static const auto* plans =
      new Schema{{"project_id", "year", "amount"},
                 {"m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "m09",
                  "m10", "m11", "m12", "reason"}};
  static const auto* indicators = new Schema{
      {"id", "name", "year"},
      {"unit", "chapter", "kind", "comparator", "target", "actual", "source"}};
  static const auto* portfolios = new Schema{
      {"year"},
      {"project_count_target", "investment_target", "provincial_count_target",
       "city_count_target", "project_count_actual", "total_investment_actual",
       "provincial_count_actual", "city_count_actual",
       "fixed_asset_investment_actual", "source"}};
  static const auto* users =
      new Schema{{"id", "role"}, {"display_name", "disabled"}};
  switch (kind) {
    case ImportKind::kProjects:
      return *projects;
    case ImportKind::kPlans:
      return *plans;
    case ImportKind::kIndicators:
      return *indicators;
    case ImportKind::kPortfolios:
      return *portfolios;
    case ImportKind::kUsers:
      return *users;
    case ImportKind::kMilestones:
      return MilestoneSchema();
    case ImportKind::kInvestments:
      return InvestmentSchema();
    case ImportKind::kProblems:
      return ProblemSchema();
    case ImportKind::kPeriods:
      return PeriodSchema();
  }
  return *projects;
}

absl::StatusOr<std::vector<YearLevelRecord>> ParseLevels(const Row& row) {
  std::vector<YearLevelRecord> levels;
  std::set<int> years;
  for (absl::string_view part :
       absl::StrSplit(row.Get("levels"), ';', absl::SkipWhitespace())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(part, ':');
    YearLevelRecord l;
    if (!absl::SimpleAtoi(kv.first, &l.year) || l.year < kMinYear ||
        l.year > kMaxYear) {
      return row.Error("levels", absl::StrCat("\"", part,
                                              "\" is not YEAR:LEVEL, e.g. "
                                              "2024:provincial"));
    }
    absl::StatusOr<std::string> w =
        ParseEnumWord("levels", kv.second, kLevelWords);
    if (!w.ok()) return row.At("levels", w.status());
    if (!years.insert(l.year).second) {
      return row.Error("levels",
                       absl::StrCat("year ", l.year, " is given twice"));
    }
    l.level = *w;
    levels.push_back(l);
  }
  std::sort(levels.begin(), levels.end(),
            [](const auto& a, const auto& b) { return a.year < b.year; });
  return levels;
}

// Fills the project fields present as columns in the file. Leads must be
// existing users (`r` looks them up): a typo would otherwise grant nothing,
// and a user created later under that id would inherit the project.
absl::Status ProjectFromRow(StoreReader& r, const Row& row, const Table& t,
                            ProjectRecord* p) {
  auto has_col = [&](const char* c) { return t.columns.count(c) > 0; };
  ASSIGN_OR_RETURN(p->display_name, row.Text("name", kMaxNameChars));
  if (p->display_name.empty()) return row.Error("name", "is required");
  if (has_col("owner")) {
    ASSIGN_OR_RETURN(p->owner, row.Text("owner", kMaxNameChars));
  }
  if (has_col("chapter")) {
    p->chapter = 0;
    if (row.Has("chapter")) {
      ASSIGN_OR_RETURN(p->chapter, row.Int("chapter", 0, 9));
    }
  }
  if (has_col("sector")) {
    ASSIGN_OR_RETURN(p->sector, row.Text("sector", kMaxNameChars));
  }
  if (has_col("park")) {
    ASSIGN_OR_RETURN(p->park, row.Text("park", kMaxNameChars));
  }
  if (has_col("levels")) {
    ASSIGN_OR_RETURN(p->levels, ParseLevels(row));
  }
  if (has_col("stage")) {
    ASSIGN_OR_RETURN(p->stage, row.Enum("stage", kStageWords));
  }
  if (has_col("total_investment")) {
    ASSIGN_OR_RETURN(p->total_investment, row.Amount("total_investment"));
  }
  if (has_col("planned_start")) {
    ASSIGN_OR_RETURN(p->planned_start, row.Date("planned_start"));
  }
  if (has_col("planned_end")) {
    ASSIGN_OR_RETURN(p->planned_end, row.Date("planned_end"));
  }
  if (has_col("planned_start") || has_col("planned_end")) {
    const char* field =
        has_col("planned_end") ? "planned_end" : "planned_start";
    if (absl::Status dates = CheckProjectDates(*p, field); !dates.ok()) {
      // The message without its leading "planned_end: ": the row's
      // error names the column.
      return row.Error(
          field, absl::StripPrefix(dates.message(), absl::StrCat(field, ": ")));
    }
  }
  if (has_col("national_code")) {
    ASSIGN_OR_RETURN(p->national_code,
                     row.Text("national_code", kMaxNameChars));
  }
  if (has_col("capacity")) {
    ASSIGN_OR_RETURN(p->capacity, row.Text("capacity", kMaxTextChars));
  }
  if (has_col("source")) {
    ASSIGN_OR_RETURN(p->source, row.Text("source", kMaxTextChars));
  }
  if (has_col("leads")) {
    std::set<std::string> leads;
    for (absl::string_view lead :
         absl::StrSplit(row.Get("leads"), ';', absl::SkipWhitespace())) {
      const std::string id(absl::StripAsciiWhitespace(lead));
      absl::Status user = r.GetUser(id).status();
      if (absl::IsNotFound(user)) {
        return row.Error("leads", absl::StrCat("no user \"", Excerpt(id),
                                               "\"; create it first"));
      }
      RETURN_IF_ERROR(user);
      leads.insert(id);
    }
    p->leads.assign(leads.begin(), leads.end());
  }
  return absl::OkStatus();
}

absl::StatusOr<ImportCounts> ImportProjects(StoreWriter& w, const Table& t,
                                            absl::string_view file,
                                            absl::Time now) {
  std::map<std::string, int> seen;
  std::vector<std::pair<bool, ProjectRecord>> writes;  // (exists, record)
  for (const CsvRow& csv : t.rows) {
    const Row row(file, t.columns, csv);
    const std::string id = row.Get("id");
    if (absl::Status s = CheckId("id", id); !s.ok()) return row.At("id", s);
    if (auto [it, fresh] = seen.emplace(id, row.line()); !fresh) {
      return DuplicateKey(row, "id", id, it->second);
    }
    absl::StatusOr<ProjectRecord> existing = w.GetProject(id);
    if (!existing.ok() && !absl::IsNotFound(existing.status())) {
      return existing.status();
    }
    ProjectRecord p = existing.ok() ? *existing : ProjectRecord();
    p.id = id;
    RETURN_IF_ERROR(ProjectFromRow(w, row, t, &p));
    writes.emplace_back(existing.ok(), std::move(p));
  }
  ImportCounts counts;
  for (const auto& [exists, p] : writes) {
    RETURN_IF_ERROR(exists ? w.UpdateProject(p, now) : w.InsertProject(p, now));
    ++(exists ? counts.updated : counts.created);
  }
  return counts;
}

// A plan row's figures: the amount and its monthly split; `*split_given`
// says whether the row gave the twelve months (else the split is even).
absl::StatusOr<PlanRecord> PlanFromRow(const Row& row, bool* split_given) {
  PlanRecord plan;
  plan.project_id = row.Get("project_id");
  ASSIGN_OR_RETURN(plan.year, row.Int("year", kMinYear, kMaxYear));
  ASSIGN_OR_RETURN(std::optional<int64_t> amount, row.Amount("amount"));
  if (!amount.has_value() || *amount <= 0) {
    return row.Error("amount", "must be greater than zero");
  }
  plan.amount = *amount;
  int given = 0;
  for (int m = 1; m <= 12; ++m) given += row.Has(absl::StrFormat("m%02d", m));
  if (given != 0 && given != 12) {
    return row.Error("amount",
                     absl::StrCat("give all twelve months m01..m12 or none "
                                  "(for an even split); ",
                                  given, " given"));
  }
  *split_given = given == 12;
  if (given == 0) {
    plan.monthly = EvenSplit(plan.amount);
    return plan;
  }
  for (int m = 1; m <= 12; ++m) {
    const std::string col = absl::StrFormat("m%02d", m);
    ASSIGN_OR_RETURN(std::optional<int64_t> v, row.Amount(col));
    plan.monthly.push_back(v.value_or(0));
  }
  if (absl::Status s = CheckMonthlySplit(plan.amount, plan.monthly); !s.ok()) {
    return row.At("amount", s);
  }
  return plan;
}

// Rows apply in file order, each against the plan as the rows before it
// left it, so an exported history (baseline, then each revision with its
// reason) is replayed as it happened.
absl::StatusOr<ImportCounts> ImportPlans(StoreWriter& w, const Table& t,
                                         absl::string_view file,
                                         absl::string_view user_id,
                                         absl::Time now) {
  ImportCounts counts;
  for (const CsvRow& csv : t.rows) {
    const Row row(file, t.columns, csv);
    RETURN_IF_ERROR(
        CheckProjectExists(w, row, "project_id", row.Get("project_id")));
    bool split_given = false;
    ASSIGN_OR_RETURN(PlanRecord plan, PlanFromRow(row, &split_given));
    plan.updated_by = std::string(user_id);
    ASSIGN_OR_RETURN(plan.revision_reason, row.Text("reason", kMaxTextChars));
    absl::StatusOr<PlanRecord> current = w.GetPlan(plan.project_id, plan.year);
    ASSIGN_OR_RETURN(const bool exists, Found(current));
    if (!exists && !plan.revision_reason.empty()) {
      // The store keeps no reason on a baseline: refuse rather than drop it.
      return row.Error("reason",
                       absl::StrCat("the project has no ", plan.year,
                                    " plan yet, so this row is its baseline, "
                                    "which takes no reason"));
    }
    if (exists && current->amount == plan.amount &&
        current->monthly == plan.monthly) {
      continue;  // the same figures: no new revision
    }
    if (exists && !split_given &&
        current->monthly != EvenSplit(current->amount)) {
      // An even split over a plan phased by month (little early, more
      // later) would move plan into months gone by, so 序时计划 and the
      // completion rate would jump: the file says which it means.
      return row.Error(
          "amount",
          absl::StrCat("the ", plan.year,
                       " plan has its own monthly split; an amount without "
                       "m01..m12 would spread it evenly over all 12 months, "
                       "replacing that split. Give the twelve months (an "
                       "even split too, if that is meant)"),
          absl::StatusCode::kFailedPrecondition);
    }
    if (exists && plan.revision_reason.empty()) {
      return row.Error(
          "reason",
          absl::StrCat("is required: this row changes the ", plan.year,
                       " plan (now ", FormatWithCommas(current->amount),
                       " yuan, revision ", current->revision,
                       "), which makes a new revision"));
    }
    RETURN_IF_ERROR(w.PutPlan(plan, now));
    ++(exists ? counts.updated : counts.created);
  }
  return counts;
}

// Indicator files hold one row per (indicator, year): a target, a value
// reached (month 0, the whole year), or both.
absl::StatusOr<ImportCounts> ImportIndicators(StoreWriter& w, const Table& t,
                                              absl::string_view file,
                                              absl::string_view user_id,
                                              absl::Time now) {
  std::map<std::string, IndicatorRecord> updates;  // by id, in file order
  std::vector<std::string> order;
  std::map<std::string, int> seen;
  for (const CsvRow& csv : t.rows) {
    const Row row(file, t.columns, csv);
    const std::string id = row.Get("id");
    if (absl::Status s = CheckId("id", id); !s.ok()) return row.At("id", s);
    ASSIGN_OR_RETURN(int year, row.Int("year", kMinYear, kMaxYear));
    const std::string key = absl::StrCat(id, "/", year);
    if (auto [it, fresh] = seen.emplace(key, row.line()); !fresh) {
      return DuplicateKey(row, "year", key, it->second);
    }
    if (!updates.count(id)) {
      absl::StatusOr<IndicatorRecord> existing = w.GetIndicator(id);
      if (!existing.ok() && !absl::IsNotFound(existing.status())) {
        return existing.status();
      }
      IndicatorRecord i = existing.ok() ? *existing : IndicatorRecord();
      i.id = id;
      i.version = existing.ok() ? existing->version : 0;
      updates[id] = std::move(i);
      order.push_back(id);
    }
    IndicatorRecord& i = updates[id];
    ASSIGN_OR_RETURN(i.display_name, row.Text("name", kMaxNameChars));
    if (i.display_name.empty()) return row.Error("name", "is required");
    if (row.Has("unit")) {
      ASSIGN_OR_RETURN(i.unit, row.Text("unit", 20));
    }
    if (row.Has("chapter")) {
      ASSIGN_OR_RETURN(i.chapter, row.Int("chapter", 0, 9));
    }
    ASSIGN_OR_RETURN(std::string kind, row.Enum("kind", kIndicatorKindWords));
    if (!kind.empty()) i.kind = kind;
    ASSIGN_OR_RETURN(std::string source, row.Text("source", kMaxTextChars));
    if (!row.Has("target") && !row.Has("actual")) {
      return row.Error("target", "give a target, an actual value, or both");
    }
    if (row.Has("target")) {
      IndicatorTargetRecord target;
      target.year = year;
      target.source = source;
      ASSIGN_OR_RETURN(target.comparator,
                       row.Enum("comparator", kComparatorWords));
      if (target.comparator.empty()) {
        return row.Error("comparator", "is required with a target");
      }
      absl::StatusOr<std::string> value =
          CheckDecimal("target", row.Get("target"));
      if (!value.ok()) return row.At("target", value.status());
      if (absl::Status sign = CheckIndicatorSign("target", i.kind, *value);
          !sign.ok()) {
        return row.At("target", sign);
      }
      target.value = *value;
      auto& targets = i.targets;
      targets.erase(
          std::remove_if(targets.begin(), targets.end(),
                         [&](const auto& x) { return x.year == year; }),
          targets.end());
      targets.push_back(target);
    }
    if (row.Has("actual")) {
      absl::StatusOr<std::string> value =
          CheckDecimal("actual", row.Get("actual"));
      if (!value.ok()) return row.At("actual", value.status());
      if (absl::Status sign = CheckIndicatorSign("actual", i.kind, *value);
          !sign.ok()) {
        return row.At("actual", sign);
      }
      const bool known = std::any_of(
          i.values.begin(), i.values.end(), [&](const IndicatorValueRecord& v) {
            return v.year == year && v.month == 0 && v.value == *value;
          });
      if (!known) {
        i.values.push_back(IndicatorValueRecord{year, 0, *value, source,
                                                std::string(user_id), now});
      }
    }
  }
  ImportCounts counts;
  for (const std::string& id : order) {
    IndicatorRecord& i = updates[id];
    std::sort(i.targets.begin(), i.targets.end(),
              [](const auto& a, const auto& b) { return a.year < b.year; });
    absl::StatusOr<IndicatorRecord> before = w.GetIndicator(id);
    ASSIGN_OR_RETURN(const bool exists, Found(before));
    RETURN_IF_ERROR(exists ? w.UpdateIndicator(i, now)
                           : w.InsertIndicator(i, now));
    const size_t known = exists ? before->values.size() : 0;
    for (size_t v = known; v < i.values.size(); ++v) {
      RETURN_IF_ERROR(w.AppendIndicatorValue(id, i.values[v]));
    }
    ++(exists ? counts.updated : counts.created);
  }
  return counts;
}

absl::StatusOr<ImportCounts> ImportPortfolios(StoreWriter& w, const Table& t,
                                              absl::string_view file,
                                              absl::Time now) {
  std::map<int, int> seen;
  std::vector<std::pair<bool, PortfolioRecord>> writes;
  for (const CsvRow& csv : t.rows) {
    const Row row(file, t.columns, csv);
    ASSIGN_OR_RETURN(const int year, row.Int("year", kMinYear, kMaxYear));
    if (auto [it, fresh] = seen.emplace(year, row.line()); !fresh) {
      return DuplicateKey(row, "year", absl::StrCat(year), it->second);
    }
    // Columns the file has replace the stored figures (an empty cell clears
    // one); columns it lacks leave them as they are.
    absl::StatusOr<PortfolioRecord> existing = w.GetPortfolio(year);
    ASSIGN_OR_RETURN(const bool exists, Found(existing));
    PortfolioRecord p = exists ? *existing : PortfolioRecord();
    p.year = year;
    auto has = [&](const char* c) { return t.columns.count(c) > 0; };
    for (const auto& [column, slot, money] :
         std::vector<std::tuple<const char*, std::optional<int64_t>*, bool>>{
             {"project_count_target", &p.project_count_target, false},
             {"investment_target", &p.investment_target, true},
             {"provincial_count_target", &p.provincial_count_target, false},
             {"city_count_target", &p.city_count_target, false},
             {"project_count_actual", &p.project_count_actual, false},
             {"total_investment_actual", &p.total_investment_actual, true},
             {"provincial_count_actual", &p.provincial_count_actual, false},
             {"city_count_actual", &p.city_count_actual, false},
             {"fixed_asset_investment_actual", &p.fixed_asset_investment_actual,
              true}}) {
      if (!has(column)) continue;
      ASSIGN_OR_RETURN(*slot, money ? row.Amount(column) : row.Count(column));
    }
    if (has("source")) {
      ASSIGN_OR_RETURN(p.source, row.Text("source", kMaxTextChars));
    }
    writes.emplace_back(exists, p);
  }
  ImportCounts counts;
  for (const auto& [exists, p] : writes) {
    RETURN_IF_ERROR(w.PutPortfolio(p, now));
    ++(exists ? counts.updated : counts.created);
  }
  return counts;
}

// Users are keyed by id. A row can neither disable nor demote the admin
// importing it (the rule of UpdateUser), which would lock them out midway.
absl::StatusOr<ImportCounts> ImportUsers(StoreWriter& w, const Table& t,
                                         absl::string_view file,
                                         absl::string_view user_id,
                                         absl::Time now) {
  std::map<std::string, int> seen;
  ImportCounts counts;
  for (const CsvRow& csv : t.rows) {
    const Row row(file, t.columns, csv);
    const std::string id = row.Get("id");
    if (absl::Status s = CheckId("id", id, /*min_chars=*/2); !s.ok()) {
      return row.At("id", s);
    }
    if (auto [it, fresh] = seen.emplace(id, row.line()); !fresh) {
      return DuplicateKey(row, "id", id, it->second);
    }
    absl::StatusOr<UserRecord> existing = w.GetUser(id);
    ASSIGN_OR_RETURN(const bool exists, Found(existing));
    UserRecord u = exists ? *existing : UserRecord();
    u.id = id;
    ASSIGN_OR_RETURN(u.role, row.Enum("role", kRoleWords));
    if (u.role.empty()) return row.Error("role", "is required");
    if (t.HasColumn("display_name")) {
      ASSIGN_OR_RETURN(u.display_name, row.Text("display_name", kMaxNameChars));
    }
    if (t.HasColumn("disabled")) {
      ASSIGN_OR_RETURN(std::optional<bool> disabled, row.Bool("disabled"));
      u.disabled = disabled.value_or(false);
    }
    if (id == user_id && (u.disabled || u.role != "admin")) {
      return row.Error("id",
                       "an admin may not disable or demote themselves; ask "
                       "another admin",
                       absl::StatusCode::kFailedPrecondition);
    }
    if (!exists) u.create_time = now;
    RETURN_IF_ERROR(exists ? w.UpdateUser(u) : w.InsertUser(u));
    ++(exists ? counts.updated : counts.created);
  }
  return counts;
}

}  // namespace

absl::StatusOr<ImportCounts> ImportCsv(
    StoreWriter& w, ImportKind kind, absl::string_view filename,
    absl::string_view content, absl::string_view user_id, absl::Time now,
    absl::string_view request_id, bool allow_duplicate_entries) {
  ASSIGN_OR_RETURN(Table t, ReadTable(SchemaFor(kind), filename, content));
  switch (kind) {
    case ImportKind::kProjects:
      return ImportProjects(w, t, filename, now);
    case ImportKind::kPlans:
      return ImportPlans(w, t, filename, user_id, now);
    case ImportKind::kIndicators:
      return ImportIndicators(w, t, filename, user_id, now);
    case ImportKind::kPortfolios:
      return ImportPortfolios(w, t, filename, now);
    case ImportKind::kUsers:
      return ImportUsers(w, t, filename, user_id, now);
    case ImportKind::kMilestones:
      return ImportMilestones(w, t, filename, now);
    case ImportKind::kInvestments:
      return ImportInvestments(w, t, filename, user_id, now, request_id,
                               allow_duplicate_entries);
    case ImportKind::kProblems:
      return ImportProblems(w, t, filename, user_id, now);
    case ImportKind::kPeriods:
      return ImportPeriods(w, t, filename, user_id, now);
  }
  return absl::InvalidArgumentError("kind: unknown import kind");
}

}  // namespace portfolio
