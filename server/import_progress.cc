#include "server/import_progress.h"

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/amount.h"
#include "common/clock.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "server/convert.h"
#include "server/names.h"

namespace portfolio {
namespace {

absl::CivilDay TodayAt(absl::Time now) {
  return absl::ToCivilDay(now, DistrictTimeZone());
}

// The (project_id, id) key of a milestones or problems row, checked, and
// refused when an earlier row of the file had it.
absl::StatusOr<std::pair<std::string, std::string>> ChildKey(
    const Row& row, std::map<std::string, int>& seen) {
  std::pair<std::string, std::string> key(row.Get("project_id"), row.Get("id"));
  if (absl::Status s = CheckId("id", key.second, /*min_chars=*/1); !s.ok()) {
    return row.At("id", s);
  }
  const std::string joined = absl::StrCat(key.first, "/", key.second);
  if (auto [it, fresh] = seen.emplace(joined, row.line()); !fresh) {
    return DuplicateKey(row, "id", joined, it->second);
  }
  return key;
}

std::string KindChinese(absl::string_view word) {
  for (const EnumWord* e = kMilestoneKindWords; e->word != nullptr; ++e) {
    if (word == e->word) return e->chinese;
  }
  return std::string(word);
}

// Sets the milestone fields the row's columns give; others stay as they are.
absl::Status MilestoneFromRow(const Row& row, const Table& t,
                              absl::CivilDay today, MilestoneRecord* m) {
  ASSIGN_OR_RETURN(std::string kind, row.Enum("kind", kMilestoneKindWords));
  if (kind.empty()) return row.Error("kind", "is required");
  m->kind = kind;
  if (t.HasColumn("display_name") || m->display_name.empty()) {
    ASSIGN_OR_RETURN(m->display_name, row.Text("display_name", kMaxNameChars));
    if (m->display_name.empty()) m->display_name = KindChinese(m->kind);
  }
  for (const auto& [column, slot] :
       {std::make_pair("planned_date", &m->planned_date),
        std::make_pair("forecast_date", &m->forecast_date),
        std::make_pair("actual_date", &m->actual_date)}) {
    if (t.HasColumn(column)) {
      ASSIGN_OR_RETURN(*slot, row.Date(column));
    }
  }
  if (m->actual_date.has_value() && *m->actual_date > today) {
    return row.Error("actual_date", absl::StrCat(FormatDate(*m->actual_date),
                                                 " is in the future (today is ",
                                                 FormatDate(today), ")"));
  }
  return absl::OkStatus();
}

// FAILED_PRECONDITION at the row's period when `period` is closed for
// reporting, as LogInvestment refuses it.
absl::Status CheckOpen(StoreReader& r, const Row& row,
                       absl::CivilMonth period) {
  absl::StatusOr<PeriodRecord> p = r.GetPeriod(period);
  if (absl::IsNotFound(p.status())) return absl::OkStatus();
  RETURN_IF_ERROR(p.status());
  if (!p->closed) return absl::OkStatus();
  return row.Error(
      "period",
      absl::StrCat(FormatPeriod(period), " is closed for reporting (closed by ",
                   p->closed_by,
                   "); reopen it first: portfolio periods reopen ",
                   FormatPeriod(period), " --reason ..."),
      absl::StatusCode::kFailedPrecondition);
}

// ALREADY_EXISTS, naming the row's amount, when the report `e` matches a
// standing entry (same project, month and amount, no correction against
// it) that was in the ledger before this import, whose first entry is
// `first_appended` (0: none yet). Entries of earlier rows of the same file
// are not compared: a file may hold two equal amounts for one month.
absl::Status NotInLedgerYet(StoreReader& r, const Row& row,
                            const EntryRecord& e, int64_t first_appended) {
  ASSIGN_OR_RETURN(const std::optional<EntryRecord> same,
                   r.StandingEntryOf(e.project_id, e.period, e.amount));
  if (!same.has_value() || (first_appended != 0 && same->id >= first_appended))
    return absl::OkStatus();
  return row.Error(
      "amount",
      absl::StrCat(e.project_id, " already had an entry of ",
                   FormatAmount(e.amount), " (", FormatWithCommas(e.amount),
                   " yuan) for ", FormatPeriod(e.period),
                   " before this import (entry ", same->id, ", by ",
                   same->reported_by,
                   "): the file, or this part of it, is in the ledger "
                   "already, and importing it again would count it twice. If "
                   "these are second, separate amounts, import with --again "
                   "(allow_duplicate_entries)"),
      absl::StatusCode::kAlreadyExists);
}

// What an earlier row of an investments file appended.
struct Appended {
  int line = 0;
  int64_t id = 0;  // the id it received here
  std::string project_id;
  absl::CivilMonth period;
  bool correction = false;
};

// Fills a correction of `original` from the row: the signed change, the
// month, the reason; refuses what CorrectInvestment refuses.
absl::Status CorrectionFromRow(StoreReader& r, const Row& row,
                               const Appended& original, EntryRecord* e) {
  if (original.correction) {
    return row.Error("corrects",
                     absl::StrCat("the entry on line ", original.line,
                                  " is itself a correction; correct the "
                                  "entry it corrects"),
                     absl::StatusCode::kFailedPrecondition);
  }
  if (e->project_id != original.project_id) {
    return row.Error(
        "project_id",
        absl::StrCat("the corrected entry (line ", original.line,
                     ") is of project \"", original.project_id, "\""));
  }
  ASSIGN_OR_RETURN(std::optional<absl::CivilMonth> period,
                   row.Period("period"));
  if (period.has_value() && *period != original.period) {
    return row.Error("period", absl::StrCat("a correction is dated in the "
                                            "month of the entry it corrects, ",
                                            FormatPeriod(original.period)));
  }
  e->period = original.period;
  e->corrects = original.id;
  ASSIGN_OR_RETURN(e->reason, row.Text("reason", kMaxTextChars));
  if (e->reason.empty()) {
    return row.Error("reason", "is required for a correction: say why");
  }
  ASSIGN_OR_RETURN(std::optional<int64_t> delta, row.SignedAmount("amount"));
  if (!delta.has_value() || *delta == 0) {
    return row.Error("amount",
                     "a correction needs the signed change, not zero");
  }
  e->amount = *delta;
  ASSIGN_OR_RETURN(const int64_t effective, r.EffectiveAmount(original.id));
  ASSIGN_OR_RETURN(const int64_t total, r.ProjectLedgerTotal(e->project_id));
  if (effective + *delta < 0 || total + *delta < 0) {
    return row.Error(
        "amount",
        absl::StrCat("a change of ", FormatWithCommas(*delta), " would take ",
                     effective + *delta < 0 ? "the entry" : "the project",
                     " below zero (entry stands at ",
                     FormatWithCommas(effective), ", project total ",
                     FormatWithCommas(total), ")"),
        absl::StatusCode::kFailedPrecondition);
  }
  return absl::OkStatus();
}

// Fills an original report from the row: a month not after this one and
// an amount > 0.
absl::Status ReportFromRow(const Row& row, absl::CivilDay today,
                           EntryRecord* e) {
  ASSIGN_OR_RETURN(std::optional<absl::CivilMonth> period,
                   row.Period("period"));
  if (!period.has_value()) return row.Error("period", "is required");
  if (*period > absl::CivilMonth(today)) {
    return row.Error(
        "period",
        absl::StrCat(FormatPeriod(*period), " is in the future (this month is ",
                     FormatPeriod(absl::CivilMonth(today)), ")"));
  }
  e->period = *period;
  if (row.Has("reason")) {
    return row.Error("reason", "only a correction (with corrects) has one");
  }
  ASSIGN_OR_RETURN(std::optional<int64_t> amount, row.Amount("amount"));
  if (!amount.has_value() || *amount == 0) {
    return row.Error("amount",
                     "must be greater than zero; to reduce an earlier entry, "
                     "add a correction row (corrects, reason)");
  }
  e->amount = *amount;
  return absl::OkStatus();
}

// Sets the problem's state from the row and records who assigned or
// resolved it, checking the transitions the API allows.
absl::Status ProblemStateFromRow(const Row& row, const Table& t,
                                 absl::string_view user_id, absl::Time now,
                                 bool exists, ProblemRecord* p) {
  const std::string before = p->state;
  if (t.HasColumn("state") || !exists) {
    ASSIGN_OR_RETURN(std::string state, row.Enum("state", kProblemStateWords));
    p->state = state.empty() ? "open" : state;
  }
  // The life cycle only moves forward: open, assigned, resolved.
  auto step = [](const std::string& state) {
    return state == "open" ? 0 : state == "assigned" ? 1 : 2;
  };
  if (exists && step(p->state) < step(before)) {
    return row.Error(
        "state",
        absl::StrCat("problem \"", p->id, "\" is ", before,
                     before == "resolved" ? " (销号), which is final"
                                          : "; it never goes back to open"),
        absl::StatusCode::kFailedPrecondition);
  }
  if (t.HasColumn("resolution") || !exists) {
    ASSIGN_OR_RETURN(p->resolution, row.Text("resolution", kMaxTextChars));
  }
  if (p->state == "assigned" && p->responsible_unit.empty()) {
    return row.Error("responsible_unit", "is required for an assigned problem");
  }
  if (p->state == "resolved" && p->resolution.empty()) {
    return row.Error("resolution",
                     "is required for a resolved problem: say how it was "
                     "solved");
  }
  if (p->state != "resolved" && !p->resolution.empty()) {
    return row.Error("resolution", "is only for a resolved problem");
  }
  if (p->state == "resolved" && before != "resolved") {
    p->resolved_by = std::string(user_id);
    p->resolve_time = now;
  }
  return absl::OkStatus();
}

// Fills a problem from the row over `p` (the stored one when `exists`).
absl::Status ProblemFromRow(const Row& row, const Table& t,
                            absl::string_view user_id, absl::Time now,
                            bool exists, ProblemRecord* p) {
  ASSIGN_OR_RETURN(std::string category,
                   row.Enum("category", kProblemCategoryWords));
  if (category.empty()) return row.Error("category", "is required");
  ASSIGN_OR_RETURN(std::string description,
                   row.Text("description", kMaxTextChars));
  if (description.empty()) return row.Error("description", "is required");
  // The store never rewrites them, so a row that would is refused rather
  // than half applied.
  if (exists && category != p->category) {
    return row.Error(
        "category",
        absl::StrCat("problem \"", p->id, "\" was opened as ", p->category,
                     ", which never changes (open a new one)"));
  }
  if (exists && description != p->description) {
    return row.Error("description",
                     absl::StrCat("problem \"", p->id,
                                  "\" was opened with another description, "
                                  "which never changes (open a new one)"));
  }
  p->category = category;
  p->description = description;
  if (t.HasColumn("responsible_unit") || !exists) {
    ASSIGN_OR_RETURN(std::string unit,
                     row.Text("responsible_unit", kMaxNameChars));
    if (!unit.empty() && unit != p->responsible_unit) {
      p->assigned_by = std::string(user_id);
      p->assign_time = now;
    }
    p->responsible_unit = unit;
  }
  if (t.HasColumn("deadline") || !exists) {
    ASSIGN_OR_RETURN(p->deadline, row.Date("deadline"));
  }
  if (t.HasColumn("escalation") || !exists) {
    ASSIGN_OR_RETURN(std::string escalation,
                     row.Enum("escalation", kEscalationWords));
    p->escalation = escalation.empty() ? "district" : escalation;
  }
  return ProblemStateFromRow(row, t, user_id, now, exists, p);
}

// The days a problem was opened and resolved, when the file gives them
// (an export does), so that a summary as of an earlier month counts the
// problem as it did on the server the file came from. A day is taken as
// its first instant in the district's time zone.
absl::Status ProblemDatesFromRow(const Row& row, absl::Time now, bool exists,
                                 const std::string& before, ProblemRecord* p) {
  const absl::TimeZone tz = DistrictTimeZone();
  const absl::CivilDay today = absl::ToCivilDay(now, tz);
  ASSIGN_OR_RETURN(std::optional<absl::CivilDay> opened, row.Date("opened_on"));
  ASSIGN_OR_RETURN(std::optional<absl::CivilDay> resolved,
                   row.Date("resolved_on"));
  if (opened.has_value()) {
    if (*opened > today) {
      return row.Error("opened_on",
                       absl::StrCat(FormatDate(*opened), " is in the future"));
    }
    const absl::CivilDay stored = absl::ToCivilDay(p->create_time, tz);
    if (exists && stored != *opened) {
      return row.Error(
          "opened_on",
          absl::StrCat("problem \"", p->id, "\" was opened on ",
                       FormatDate(stored), ", which never changes"));
    }
    if (!exists) p->create_time = absl::FromCivil(*opened, tz);
  }
  if (!resolved.has_value()) return absl::OkStatus();
  if (p->state != "resolved") {
    return row.Error("resolved_on", "is only for a resolved problem");
  }
  if (*resolved > today) {
    return row.Error("resolved_on",
                     absl::StrCat(FormatDate(*resolved), " is in the future"));
  }
  if (*resolved < absl::ToCivilDay(p->create_time, tz)) {
    return row.Error("resolved_on", "is before the problem was opened");
  }
  if (before == "resolved") {
    if (p->resolve_time.has_value() &&
        absl::ToCivilDay(*p->resolve_time, tz) != *resolved) {
      return row.Error("resolved_on",
                       absl::StrCat("problem \"", p->id,
                                    "\" was resolved on another day, which "
                                    "never changes"));
    }
    return absl::OkStatus();
  }
  p->resolve_time = absl::FromCivil(*resolved, tz);
  return absl::OkStatus();
}

}  // namespace

const Schema& MilestoneSchema() {
  static const auto* schema = new Schema{
      {"project_id", "id", "kind"},
      {"display_name", "planned_date", "forecast_date", "actual_date"}};
  return *schema;
}

const Schema& InvestmentSchema() {
  static const auto* schema =
      new Schema{{"project_id", "period", "amount"},
                 {"entry", "note", "corrects", "reason"}};
  return *schema;
}

const Schema& ProblemSchema() {
  static const auto* schema =
      new Schema{{"project_id", "id", "category", "description"},
                 {"responsible_unit", "deadline", "escalation", "state",
                  "resolution", "opened_on", "resolved_on"}};
  return *schema;
}

const Schema& PeriodSchema() {
  static const auto* schema = new Schema{{"period", "closed"}, {"reason"}};
  return *schema;
}

absl::StatusOr<ImportCounts> ImportMilestones(StoreWriter& w, const Table& t,
                                              absl::string_view file,
                                              absl::Time now) {
  const absl::CivilDay today = TodayAt(now);
  std::map<std::string, int> seen;
  ImportCounts counts;
  for (const CsvRow& csv : t.rows) {
    const Row row(file, t.columns, csv);
    RETURN_IF_ERROR(
        CheckProjectExists(w, row, "project_id", row.Get("project_id")));
    ASSIGN_OR_RETURN(auto key, ChildKey(row, seen));
    absl::StatusOr<MilestoneRecord> existing =
        w.GetMilestone(key.first, key.second);
    ASSIGN_OR_RETURN(const bool exists, Found(existing));
    MilestoneRecord m = exists ? *existing : MilestoneRecord();
    m.project_id = key.first;
    m.id = key.second;
    RETURN_IF_ERROR(MilestoneFromRow(row, t, today, &m));
    RETURN_IF_ERROR(exists ? w.UpdateMilestone(m, now)
                           : w.InsertMilestone(m, now));
    ++(exists ? counts.updated : counts.created);
  }
  return counts;
}

absl::StatusOr<ImportCounts> ImportInvestments(StoreWriter& w, const Table& t,
                                               absl::string_view file,
                                               absl::string_view user_id,
                                               absl::Time now,
                                               absl::string_view request_id,
                                               bool allow_duplicate_entries) {
  const absl::CivilDay today = TodayAt(now);
  std::map<int64_t, Appended> by_entry;  // the file's entry numbers
  // The id of the first entry this import appended (0 before it has):
  // ids only grow, so an entry below it was in the ledger before.
  int64_t first_appended = 0;
  ImportCounts counts;
  for (const CsvRow& csv : t.rows) {
    const Row row(file, t.columns, csv);
    std::optional<int64_t> number;
    if (row.Has("entry")) {
      int64_t n = 0;
      if (!absl::SimpleAtoi(row.Get("entry"), &n) || n <= 0) {
        return row.Error("entry", absl::StrCat("\"", Excerpt(row.Get("entry")),
                                               "\" is not an entry number"));
      }
      if (auto it = by_entry.find(n); it != by_entry.end()) {
        return DuplicateKey(row, "entry", absl::StrCat(n), it->second.line);
      }
      number = n;
    }
    EntryRecord e;
    e.project_id = row.Get("project_id");
    RETURN_IF_ERROR(CheckProjectExists(w, row, "project_id", e.project_id));
    ASSIGN_OR_RETURN(e.note, row.Text("note", kMaxTextChars));
    if (row.Has("corrects")) {
      int64_t n = 0;
      auto it = absl::SimpleAtoi(row.Get("corrects"), &n) ? by_entry.find(n)
                                                          : by_entry.end();
      if (it == by_entry.end()) {
        return row.Error("corrects",
                         absl::StrCat("no earlier row of this file has entry "
                                      "\"",
                                      Excerpt(row.Get("corrects")), "\""));
      }
      RETURN_IF_ERROR(CorrectionFromRow(w, row, it->second, &e));
    } else {
      RETURN_IF_ERROR(ReportFromRow(row, today, &e));
      if (!allow_duplicate_entries) {
        RETURN_IF_ERROR(NotInLedgerYet(w, row, e, first_appended));
      }
    }
    RETURN_IF_ERROR(CheckOpen(w, row, e.period));
    e.reported_by = std::string(user_id);
    e.report_time = now;
    e.request_id = std::string(request_id);
    absl::StatusOr<int64_t> id = w.AppendEntry(e);
    // Past the ledger's size (store.h): named by its row, as every other
    // refusal of an import is.
    if (absl::IsFailedPrecondition(id.status()) &&
        absl::StartsWith(id.status().message(), "amount: ")) {
      return row.Error("amount",
                       absl::StripPrefix(id.status().message(), "amount: "));
    }
    ASSIGN_OR_RETURN(e.id, std::move(id));
    if (first_appended == 0) first_appended = e.id;
    if (number.has_value()) {
      by_entry[*number] = Appended{row.line(), e.id, e.project_id, e.period,
                                   e.corrects.has_value()};
    }
    ++counts.created;
  }
  return counts;
}

absl::StatusOr<ImportCounts> ImportProblems(StoreWriter& w, const Table& t,
                                            absl::string_view file,
                                            absl::string_view user_id,
                                            absl::Time now) {
  std::map<std::string, int> seen;
  ImportCounts counts;
  for (const CsvRow& csv : t.rows) {
    const Row row(file, t.columns, csv);
    RETURN_IF_ERROR(
        CheckProjectExists(w, row, "project_id", row.Get("project_id")));
    ASSIGN_OR_RETURN(auto key, ChildKey(row, seen));
    absl::StatusOr<ProblemRecord> existing =
        w.GetProblem(key.first, key.second);
    ASSIGN_OR_RETURN(const bool exists, Found(existing));
    ProblemRecord p = exists ? *existing : ProblemRecord();
    p.project_id = key.first;
    p.id = key.second;
    const std::string before = p.state;
    RETURN_IF_ERROR(ProblemFromRow(row, t, user_id, now, exists, &p));
    if (!exists) {
      p.opened_by = std::string(user_id);
      p.create_time = now;
    }
    RETURN_IF_ERROR(ProblemDatesFromRow(row, now, exists, before, &p));
    RETURN_IF_ERROR(exists ? w.UpdateProblem(p, now) : w.InsertProblem(p, now));
    ++(exists ? counts.updated : counts.created);
  }
  return counts;
}

absl::StatusOr<ImportCounts> ImportPeriods(StoreWriter& w, const Table& t,
                                           absl::string_view file,
                                           absl::string_view user_id,
                                           absl::Time now) {
  const absl::CivilMonth this_month(TodayAt(now));
  std::map<absl::CivilMonth, int> seen;
  ImportCounts counts;
  for (const CsvRow& csv : t.rows) {
    const Row row(file, t.columns, csv);
    ASSIGN_OR_RETURN(std::optional<absl::CivilMonth> month,
                     row.Period("period"));
    if (!month.has_value()) return row.Error("period", "is required");
    if (auto [it, fresh] = seen.emplace(*month, row.line()); !fresh) {
      return DuplicateKey(row, "period", FormatPeriod(*month), it->second);
    }
    if (*month > this_month) {
      return row.Error("period", absl::StrCat(FormatPeriod(*month),
                                              " has not begun; it cannot be "
                                              "closed yet"));
    }
    ASSIGN_OR_RETURN(std::optional<bool> closed, row.Bool("closed"));
    if (!closed.has_value()) return row.Error("closed", "give true or false");
    ASSIGN_OR_RETURN(std::string reason, row.Text("reason", kMaxTextChars));
    if (*closed && !reason.empty()) {
      return row.Error("reason",
                       "only a reopened month (closed false) has one");
    }
    absl::StatusOr<PeriodRecord> stored = w.GetPeriod(*month);
    ASSIGN_OR_RETURN(const bool exists, Found(stored));
    if (exists && stored->closed == *closed) continue;  // as asked already
    PeriodRecord p = exists ? *stored : PeriodRecord();
    p.period = *month;
    p.closed = *closed;
    if (*closed || !exists) {
      p.closed_by = std::string(user_id);
      p.close_time = now;
    }
    if (!*closed) {
      p.reopened_by = std::string(user_id);
      p.reopen_time = now;
      p.reopen_reason = reason.empty() ? absl::StrCat("imported from ", file,
                                                      " line ", row.line())
                                       : reason;
    }
    RETURN_IF_ERROR(w.PutPeriod(p));
    ++(exists ? counts.updated : counts.created);
  }
  return counts;
}

}  // namespace portfolio
