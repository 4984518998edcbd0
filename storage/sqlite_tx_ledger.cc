// The investment ledger and per-project progress.
#include <algorithm>
#include <array>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/amount.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "storage/sqlite_tx.h"
#include "storage/year_inputs.h"

namespace portfolio::sqlite {
namespace {

constexpr char kEntryColumnsSql[] =
    "id, project_id, year, month, amount, reported_by, report_time, note, "
    "request_id, corrects, reason";

EntryRecord ReadEntry(const Statement& s) {
  EntryRecord e;
  e.id = s.Int(0);
  e.project_id = s.Text(1);
  e.period = absl::CivilMonth(s.Int(2), static_cast<int>(s.Int(3)));
  e.amount = s.Int(4);
  e.reported_by = s.Text(5);
  e.report_time = FromMicros(s.Int(6));
  e.note = s.Text(7);
  e.request_id = s.Text(8);
  e.corrects = s.OptionalInt(9);
  e.reason = s.Text(10);
  return e;
}

// The entry filter: ?1 project, ?2 year, ?3 period year, ?4 period month.
constexpr char kEntryFilterSql[] =
    " (?1 IS NULL OR project_id = ?1) AND (?2 IS NULL OR year = ?2) AND (?3 "
    "IS NULL OR (year = ?3 AND month = ?4))";

void BindEntryFilter(Statement& stmt, const EntryQuery& q) {
  if (q.project_id)
    stmt.Bind(1, *q.project_id);
  else
    stmt.BindNull(1);
  if (q.year)
    stmt.Bind(2, static_cast<int64_t>(*q.year));
  else
    stmt.BindNull(2);
  if (q.period) {
    stmt.Bind(3, static_cast<int64_t>(q.period->year()))
        .Bind(4, static_cast<int64_t>(q.period->month()));
  } else {
    stmt.BindNull(3).BindNull(4);
  }
}

}  // namespace

absl::StatusOr<EntryRecord> SqliteTx::GetEntry(int64_t id) {
  const std::string sql = absl::StrCat(
      "SELECT ", kEntryColumnsSql, " FROM investment_entries WHERE id = ?1");
  Statement stmt(conn_, sql.c_str());
  stmt.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFound("investment entry", absl::StrCat(id));
  return ReadEntry(stmt);
}

absl::StatusOr<EntryPage> SqliteTx::ListEntries(const EntryQuery& q) {
  const std::string sql = absl::StrCat(
      "SELECT ", kEntryColumnsSql, " FROM investment_entries WHERE",
      kEntryFilterSql, " ORDER BY id LIMIT ?5 OFFSET ?6");
  Statement stmt(conn_, sql.c_str());
  BindEntryFilter(stmt, q);
  stmt.Bind(5, q.limit).Bind(6, q.offset);
  EntryPage page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    page.entries.push_back(ReadEntry(stmt));
  }
  const std::string total_sql = absl::StrCat(
      "SELECT count(*), COALESCE(SUM(amount), 0) FROM investment_entries "
      "WHERE",
      kEntryFilterSql);
  Statement totals(conn_, total_sql.c_str());
  BindEntryFilter(totals, q);
  ASSIGN_OR_RETURN(bool row, totals.Step());
  if (row) {
    page.total_count = totals.Int(0);
    page.total_amount = totals.Int(1);
  }
  return page;
}

absl::StatusOr<int64_t> SqliteTx::EffectiveAmount(int64_t entry_id) {
  Statement stmt(conn_,
                 "SELECT (SELECT amount FROM investment_entries WHERE id = ?1) "
                 "+ (SELECT COALESCE(SUM(amount), 0) FROM investment_entries "
                 "WHERE corrects = ?1)");
  stmt.Bind(1, entry_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row || stmt.IsNull(0)) {
    return NotFound("investment entry", absl::StrCat(entry_id));
  }
  return stmt.Int(0);
}

absl::StatusOr<std::optional<EntryRecord>> SqliteTx::StandingEntryOf(
    absl::string_view project_id, absl::CivilMonth period, int64_t amount) {
  Statement stmt(conn_,
                 "SELECT e.id FROM investment_entries e WHERE e.project_id = "
                 "?1 AND e.year = ?2 AND e.month = ?3 AND e.amount = ?4 AND "
                 "e.corrects IS NULL AND (SELECT COALESCE(SUM(c.amount), 0) "
                 "FROM investment_entries c WHERE c.corrects = e.id) = 0 "
                 "ORDER BY e.id LIMIT 1");
  stmt.Bind(1, project_id)
      .Bind(2, static_cast<int64_t>(period.year()))
      .Bind(3, static_cast<int64_t>(period.month()))
      .Bind(4, amount);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<EntryRecord>();
  const int64_t id = stmt.Int(0);
  ASSIGN_OR_RETURN(EntryRecord e, GetEntry(id));
  return std::optional<EntryRecord>(std::move(e));
}

absl::StatusOr<int64_t> SqliteTx::ProjectLedgerTotal(
    absl::string_view project_id) {
  Statement stmt(conn_,
                 "SELECT COALESCE(SUM(amount), 0) FROM investment_entries "
                 "WHERE project_id = ?1");
  stmt.Bind(1, project_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

absl::StatusOr<int64_t> SqliteTx::AppendEntry(const EntryRecord& e) {
  {
    // The ledger's size grows by the entry's, unless that would pass the
    // cap (store.h); ?1 is at most kMaxAmount in practice, and never
    // negative (a correction counts by its size).
    const int64_t size = e.amount == std::numeric_limits<int64_t>::min()
                             ? std::numeric_limits<int64_t>::max()
                             : (e.amount < 0 ? -e.amount : e.amount);
    Statement grow(conn_,
                   "UPDATE ledger_extent SET magnitude = magnitude + ?1 "
                   "WHERE id = 1 AND magnitude <= ?2 - ?1");
    grow.Bind(1, size).Bind(2, kMaxLedgerMagnitude);
    RETURN_IF_ERROR(grow.Run());
    if (sqlite3_changes(conn_.raw()) == 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "amount: the ledger would hold more than ",
          FormatWithCommas(kMaxLedgerMagnitude),
          " yuan of entries in all (their sizes summed, corrections "
          "included), the most the tracker can total; ",
          FormatWithCommas(size), " yuan more does not fit"));
    }
  }
  Statement stmt(conn_,
                 "INSERT INTO investment_entries (project_id, year, month, "
                 "amount, reported_by, report_time, note, request_id, "
                 "corrects, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                 "?9, ?10)");
  stmt.Bind(1, e.project_id)
      .Bind(2, static_cast<int64_t>(e.period.year()))
      .Bind(3, static_cast<int64_t>(e.period.month()))
      .Bind(4, e.amount)
      .Bind(5, e.reported_by)
      .Bind(6, ToMicros(e.report_time))
      .Bind(7, e.note)
      .Bind(8, e.request_id)
      .Bind(9, e.corrects)
      .Bind(10, e.reason);
  RETURN_IF_ERROR(stmt.Run());
  return sqlite3_last_insert_rowid(conn_.raw());
}

namespace {

// Parses "kind:due:done,..." from ListProgress's milestone tally column.
void ReadTally(absl::string_view tally, ProgressRow& row) {
  for (absl::string_view item : absl::StrSplit(tally, ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ':');
    if (parts.size() != 3) continue;
    int64_t due = 0, done = 0;
    if (!absl::SimpleAtoi(parts[1], &due) || !absl::SimpleAtoi(parts[2], &done))
      continue;
    ProgressRow::Due d{due > 0, due > 0 && done == due};
    if (parts[0] == "start") row.start = d;
    if (parts[0] == "completion") row.completion = d;
    if (parts[0] == "in_operation") row.operation = d;
  }
}

// Splits "YYYY-MM-DD id" into its date and id.
void ReadDatedId(const std::string& text, std::optional<absl::CivilDay>& day,
                 std::string& id) {
  if (text.size() <= 11) return;
  absl::StatusOr<absl::CivilDay> parsed = ParseDate(text.substr(0, 10));
  if (parsed.ok()) day = *parsed;
  id = text.substr(11);
}

// Splits ListProgress's open-problem column: "count overdue", then the
// oldest as "create_time id" (create_time, in microseconds since 1970, as
// 20 digits, so that text order is time order), then the earliest
// overdue deadline as "YYYY-MM-DD id", one per line; the last two empty
// when there is none.
void ReadProblems(absl::string_view text, ProgressRow& row) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (lines.size() != 3) return;
  std::vector<absl::string_view> counts = absl::StrSplit(lines[0], ' ');
  int open = 0, overdue = 0;
  if (counts.size() != 2 || !absl::SimpleAtoi(counts[0], &open) ||
      !absl::SimpleAtoi(counts[1], &overdue)) {
    return;
  }
  row.open_problems = open;
  row.overdue_problems = overdue;
  if (lines[1].size() > 21) row.oldest_open_problem_id = lines[1].substr(21);
  ReadDatedId(lines[2], row.earliest_problem_deadline,
              row.earliest_problem_deadline_id);
}

}  // namespace

std::string ProgressSql(const ProgressQuery& q) {
  // One pass over the filtered projects; each figure is an indexed
  // aggregate, so the ledger is summed in SQL, never loaded. ?16 is the
  // known-at instant (the largest time when unset): the current tables
  // serve the usual case, the history tables an earlier instant or the
  // baseline.
  const bool history = q.known_at.has_value() || q.baseline;
  const std::string revision =
      "(SELECT MAX(revision) FROM plan_revisions r WHERE r.project_id = p.id "
      "AND r.year = ?11 AND r.update_time <= ?16 AND (?17 = 0 OR r.revision "
      "= 1))";
  const std::string plan =
      history ? absl::StrCat(
                    "(SELECT amount FROM plan_revisions r WHERE "
                    "r.project_id = p.id AND r.year = ?11 AND "
                    "r.revision = ",
                    revision, ")")
              : "(SELECT amount FROM annual_plans a WHERE a.project_id = p.id "
                "AND a.year = ?11)";
  const std::string planned =
      history ? absl::StrCat(
                    "(SELECT COALESCE(SUM(amount), 0) FROM "
                    "plan_revision_months m WHERE m.project_id = p.id "
                    "AND m.year = ?11 AND m.month <= ?12 AND "
                    "m.revision = ",
                    revision, ")")
              : "(SELECT COALESCE(SUM(amount), 0) FROM plan_months m WHERE "
                "m.project_id = p.id AND m.year = ?11 AND m.month <= ?12)";
  // The plan for the month whose report is due: a month a plan puts
  // nothing in (not started yet, say) has no report missing.
  const std::string planned_in_report_month =
      history ? absl::StrCat(
                    "(SELECT COALESCE(SUM(amount), 0) FROM "
                    "plan_revision_months m WHERE m.project_id = p.id "
                    "AND m.year = ?11 AND m.month = ?15 AND "
                    "m.revision = ",
                    revision, ")")
              : "(SELECT COALESCE(SUM(amount), 0) FROM plan_months m WHERE "
                "m.project_id = p.id AND m.year = ?11 AND m.month = ?15)";
  const std::string milestones =
      q.known_at ? "(SELECT h.project_id, h.id, h.kind, h.planned_date, "
                   "h.actual_date FROM milestone_history h WHERE h.version = "
                   "(SELECT MAX(version) FROM milestone_history h2 WHERE "
                   "h2.project_id = h.project_id AND h2.id = h.id AND "
                   "h2.update_time <= ?16))"
                 : "milestones";
  const std::string sql = absl::StrCat(
      // The problems open at ?19 (opened by then and not resolved by then),
      // each in the state recorded by ?16.
      "WITH pr AS NOT MATERIALIZED (SELECT q.project_id, q.id, q.create_time, "
      "h.deadline FROM problems q JOIN problem_history h ON h.project_id = "
      "q.project_id AND h.id = q.id WHERE h.version = (SELECT MAX(version) "
      "FROM problem_history h2 WHERE h2.project_id = q.project_id AND h2.id = "
      "q.id AND h2.update_time <= ?16) AND q.create_time <= ?19 AND (h.state "
      "<> 'resolved' OR h.resolve_time > ?19)) "
      "SELECT ",
      kProjectColumnsSql, ", ", plan, ", ", planned,
      ", (SELECT COALESCE(SUM(amount), 0) FROM investment_entries e WHERE "
      "e.project_id = p.id AND e.year = ?11 AND e.month <= ?12 AND "
      "e.report_time <= ?16)"
      ", (EXISTS (SELECT 1 FROM investment_entries e WHERE e.project_id = "
      "p.id AND e.year = ?11 AND e.month = ?15 AND e.report_time <= ?16) OR (",
      plan, " IS NOT NULL AND ", planned_in_report_month,
      " = 0))"
      ", (SELECT planned_date || ' ' || id FROM ",
      milestones,
      " s WHERE s.project_id = p.id AND (s.actual_date IS NULL OR "
      "s.actual_date > ?13) AND s.planned_date < ?13 ORDER BY planned_date, "
      "id LIMIT 1)"
      ", (SELECT group_concat(t, ',') FROM (SELECT kind || ':' || COUNT(*) || "
      "':' || SUM(actual_date IS NOT NULL AND actual_date <= ?13) AS t FROM ",
      milestones,
      " s WHERE s.project_id = p.id AND s.kind IN ('start', 'completion', "
      "'in_operation') AND s.planned_date BETWEEN ?18 AND ?13 GROUP BY kind))"
      // The open problems in one pass (ReadProblems splits it): counting,
      // and the first by (create_time, id) and by (deadline, id) as the
      // least of fixed-width keys followed by the id. Four lookups per
      // project were a fifth of a province's whole read.
      ", (SELECT COUNT(*) || ' ' || COALESCE(SUM(pr.deadline < ?13), 0) || "
      "char(10) || COALESCE(MIN(printf('%020d', pr.create_time) || ' ' || "
      "pr.id), '') || char(10) || COALESCE(MIN(CASE WHEN pr.deadline < ?13 "
      "THEN pr.deadline || ' ' || pr.id END), '') FROM pr WHERE pr.project_id "
      "= p.id)"
      " FROM projects p WHERE",
      kProjectFilterSql,
      // Said again outside the filter's "unset or equal", so the planner
      // looks one project up by its key instead of scanning them all.
      q.filter.id ? " AND p.id = ?8" : "",
      " AND p.create_time <= ?16 AND (?14 = 0 OR p.stage NOT IN ('completed', "
      "'in_operation') OR ",
      plan,
      " IS NOT NULL OR EXISTS (SELECT 1 FROM investment_entries e WHERE "
      "e.project_id = p.id AND e.year = ?11 AND e.report_time <= ?16))"
      " ORDER BY p.id");
  return sql;
}

absl::StatusOr<std::vector<ProgressRow>> SqliteTx::ListProgress(
    const ProgressQuery& q) {
  const std::string sql = ProgressSql(q);
  const int report_month = q.report_month > 0 ? q.report_month : q.as_of_month;
  const int64_t known_at =
      q.known_at ? ToMicros(*q.known_at) : std::numeric_limits<int64_t>::max();
  const int64_t problems_at = q.problems_at
                                  ? ToMicros(*q.problems_at)
                                  : std::numeric_limits<int64_t>::max();
  // Room for every project first: growing the vector by doubling would
  // copy a province's rows (then about 650 bytes each) while both copies are
  // resident, the server's peak memory (measured: 191 MB against 152 MB at
  // 100,000 projects). Pages reserved but never filled cost no memory.
  size_t room = 1;
  if (!q.filter.id) {
    Statement count(conn_, "SELECT COUNT(*) FROM projects");
    ASSIGN_OR_RETURN(bool row, count.Step());
    if (row) room = static_cast<size_t>(count.Int(0));
  }
  Statement stmt(conn_, sql.c_str());
  BindProjectFilter(stmt, 1, q.filter);
  stmt.Bind(11, static_cast<int64_t>(q.year))
      .Bind(12, static_cast<int64_t>(q.as_of_month))
      .Bind(13, FormatDate(q.as_of_date))
      .Bind(14, static_cast<int64_t>(q.active_only ? 1 : 0))
      .Bind(15, static_cast<int64_t>(report_month))
      .Bind(16, known_at)
      .Bind(17, static_cast<int64_t>(q.baseline ? 1 : 0))
      .Bind(18, FormatDate(absl::CivilDay(q.year, 1, 1)))
      .Bind(19, problems_at);
  std::vector<ProgressRow> rows;
  rows.reserve(room);
  RETURN_IF_ERROR(ReadEach(stmt, [&](const Statement& s) {
    ProgressRow r;
    r.project = std::make_shared<const ProjectBrief>(ReadProject(s, 0));
    r.annual_plan = s.OptionalInt(18);
    r.planned_to_date = s.Int(19);
    r.completed_to_date = s.Int(20);
    r.report_month = report_month;
    r.reported_in_month = s.Int(21) != 0;
    ReadDatedId(s.Text(22), r.earliest_overdue, r.earliest_overdue_id);
    ReadTally(s.Text(23), r);
    ReadProblems(s.Text(24), r);
    rows.push_back(std::move(r));
  }));
  // A filter matched few: give back the room it did not need.
  if (rows.capacity() > 2 * rows.size() + 64) rows.shrink_to_fit();
  return rows;
}

namespace {

// A date column as YearInputs holds it; NULL, empty or malformed text (not
// written by this program) as kNoDay.
int32_t ReadDay(absl::string_view text) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    int n[3] = {0, 0, 0};
    const int starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
    bool digits = true;
    for (int k = 0; k < 3 && digits; ++k) {
      for (int i = starts[k]; i < starts[k] + lengths[k]; ++i) {
        if (text[i] < '0' || text[i] > '9') {
          digits = false;
          break;
        }
        n[k] = n[k] * 10 + (text[i] - '0');
      }
    }
    const absl::CivilDay day(n[0], n[1], n[2]);
    // A date that does not exist (02-30) is malformed, not normalized.
    if (digits && day.year() == n[0] && day.month() == n[1] &&
        day.day() == n[2]) {
      return DayNumber(day);
    }
  }
  absl::StatusOr<absl::CivilDay> parsed = ParseDate(text);
  return parsed.ok() ? DayNumber(*parsed) : YearInputs::kNoDay;
}

// Adds each of "month:amount,..." to `by_month` (a month may come more
// than once), returning the months seen as bits (month m at bit m - 1).
uint16_t ReadMonths(absl::string_view text, MonthAmounts& by_month) {
  uint16_t seen = 0;
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(item, absl::MaxSplits(':', 1));
    int month = 0;
    int64_t amount = 0;
    if (!absl::SimpleAtoi(kv.first, &month) ||
        !absl::SimpleAtoi(kv.second, &amount) || month < 1 || month > 12) {
      continue;
    }
    by_month.Set(month - 1, by_month[month - 1] + amount);
    seen |= static_cast<uint16_t>(1u << (month - 1));
  }
  return seen;
}

// Splits records joined by char(30) into fields joined by char(31); the id,
// last, may hold anything but those two.
std::vector<std::vector<absl::string_view>> ReadRecords(absl::string_view text,
                                                        size_t fields) {
  std::vector<std::vector<absl::string_view>> out;
  for (absl::string_view record :
       absl::StrSplit(text, '\x1e', absl::SkipEmpty())) {
    std::vector<absl::string_view> parts =
        absl::StrSplit(record, absl::MaxSplits('\x1f', fields - 1));
    if (parts.size() == fields) out.push_back(std::move(parts));
  }
  return out;
}

}  // namespace

absl::Status SqliteTx::ReadYearInputs(
    const ProjectFilter& filter, int year, bool baseline,
    absl::FunctionRef<void(size_t)> reserve,
    absl::FunctionRef<void(ProjectYearInputs&)> each) {
  // One row per project, each input an indexed range of its own table
  // joined into text: the same tables and conditions as ProgressSql with
  // no known_at, less the month and the date, which DeriveProgress applies.
  const std::string plan =
      baseline ? "(SELECT amount FROM plan_revisions r WHERE r.project_id = "
                 "p.id AND r.year = ?11 AND r.revision = 1)"
               : "(SELECT amount FROM annual_plans a WHERE a.project_id = p.id "
                 "AND a.year = ?11)";
  const std::string planned =
      baseline ? "(SELECT group_concat(month || ':' || amount, ',') FROM "
                 "plan_revision_months m WHERE m.project_id = p.id AND m.year "
                 "= ?11 AND m.revision = 1)"
               : "(SELECT group_concat(month || ':' || amount, ',') FROM "
                 "plan_months m WHERE m.project_id = p.id AND m.year = ?11)";
  const std::string sql = absl::StrCat(
      "SELECT ", kProjectColumnsSql, ", ", plan, ", ", planned,
      // Summed by month in SQL: listing each entry to sum as it is parsed
      // read a province 0.18 s faster (a dozen entries a project), but a
      // project with hundreds of entries costs that many times more on
      // every re-read (the month-end burst's summaries: p50 21-27 ms
      // against 46-51).
      ", (SELECT group_concat(month || ':' || total, ',') FROM (SELECT month, "
      "SUM(amount) AS total FROM investment_entries e WHERE e.project_id = "
      "p.id AND e.year = ?11 GROUP BY month))"
      ", (SELECT group_concat(kind || char(31) || COALESCE(planned_date, '') "
      "|| char(31) || COALESCE(actual_date, '') || char(31) || id, char(30)) "
      "FROM milestones s WHERE s.project_id = p.id)"
      ", (SELECT group_concat(q.create_time || char(31) || "
      "COALESCE(h.deadline, '') || char(31) || (h.state = 'resolved') || "
      "char(31) || COALESCE(h.resolve_time, '') || char(31) || q.id, "
      "char(30)) FROM problems q JOIN problem_history h ON h.project_id = "
      "q.project_id AND h.id = q.id WHERE q.project_id = p.id AND h.version = "
      "(SELECT MAX(version) FROM problem_history h2 WHERE h2.project_id = "
      "q.project_id AND h2.id = q.id))"
      " FROM projects p WHERE",
      kProjectFilterSql, filter.id ? " AND p.id = ?8" : "", " ORDER BY p.id");
  size_t room = 1;
  if (!filter.id) {
    Statement count(conn_, "SELECT COUNT(*) FROM projects");
    ASSIGN_OR_RETURN(bool row, count.Step());
    if (row) room = static_cast<size_t>(count.Int(0));
  }
  Statement stmt(conn_, sql.c_str());
  BindProjectFilter(stmt, 1, filter);
  stmt.Bind(11, static_cast<int64_t>(year));
  reserve(room);
  return ReadEach(stmt, [&](const Statement& s) {
    ProjectYearInputs p;
    p.project = ReadProject(s, 0);
    YearInputs& in = p.inputs;
    in.annual_plan = s.OptionalInt(18);
    ReadMonths(s.Text(19), in.planned);
    in.reported = ReadMonths(s.Text(20), in.completed);
    // Named: the records are views into these texts.
    const std::string milestones = s.Text(21), problems = s.Text(22);
    const auto milestone_records = ReadRecords(milestones, 4);
    const auto problem_records = ReadRecords(problems, 5);
    // Exactly the room needed: a province's are resident.
    in.milestones.reserve(milestone_records.size());
    in.problems.reserve(problem_records.size());
    for (const auto& f : milestone_records) {
      YearInputs::Milestone m;
      m.tallied_kind = f[0] == "start"          ? 1
                       : f[0] == "completion"   ? 2
                       : f[0] == "in_operation" ? 3
                                                : 0;
      m.planned = f[1].empty() ? YearInputs::kNoDay : ReadDay(f[1]);
      m.actual = f[2].empty() ? YearInputs::kNoDay : ReadDay(f[2]);
      if (in.SetId(m, f[3])) in.milestones.push_back(m);
    }
    for (const auto& f : problem_records) {
      YearInputs::Problem q;
      if (!absl::SimpleAtoi(f[0], &q.create_micros)) continue;
      q.deadline = f[1].empty() ? YearInputs::kNoDay : ReadDay(f[1]);
      q.resolved = f[2] == "1";
      if (!f[3].empty() && !absl::SimpleAtoi(f[3], &q.resolve_micros)) {
        q.resolve_micros = std::numeric_limits<int64_t>::min();
      }
      if (in.SetId(q, f[4])) in.problems.push_back(q);
    }
    each(p);
  });
}

absl::StatusOr<ProgressMark> SqliteTx::LatestProgressMark() {
  // Both ends of an index: the marks by seq, the ledger by id.
  Statement stmt(conn_,
                 "SELECT (SELECT COALESCE(MAX(seq), 0) FROM progress_marks), "
                 "(SELECT COALESCE(MAX(id), 0) FROM investment_entries)");
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  ProgressMark mark;
  if (row) {
    mark.marks = stmt.Int(0);
    mark.entries = stmt.Int(1);
  }
  return mark;
}

// Each side stops at `limit` projects, so the union holds at least `limit`
// whenever there are that many. The ledger's side reads the entries since
// the mark by id (the table's own order): one row per entry rather than per
// project, which a refresh between two reads of the same question keeps
// short. NOT INDEXED: left to itself, the planner answers DISTINCT from
// entries_progress, already in project order, and reads the whole ledger.
const char kProjectsMarkedAfterSql[] =
    "SELECT project_id FROM (SELECT project_id FROM progress_marks WHERE seq "
    "> ?1 ORDER BY seq LIMIT ?3) UNION SELECT project_id FROM (SELECT "
    "DISTINCT project_id FROM investment_entries NOT INDEXED WHERE id > ?2 "
    "LIMIT ?3) ORDER BY project_id LIMIT ?3";

absl::StatusOr<std::vector<std::string>> SqliteTx::ProjectsMarkedAfter(
    const ProgressMark& mark, int64_t limit) {
  Statement stmt(conn_, kProjectsMarkedAfterSql);
  stmt.Bind(1, mark.marks).Bind(2, mark.entries).Bind(3, limit);
  return ReadAll<std::string>(stmt,
                              [](const Statement& s) { return s.Text(0); });
}

const char kProjectsStampedAfterSql[] =
    "SELECT project_id FROM progress_marks WHERE seq > ?1 ORDER BY seq "
    "LIMIT ?2";
// In the ledger's own order from the mark: the rows since, and no other.
const char kEntriesAfterSql[] =
    "SELECT project_id, year, month, amount FROM investment_entries WHERE id "
    "> ?1 ORDER BY id LIMIT ?2";

absl::StatusOr<ProgressChanges> SqliteTx::ProgressChangesAfter(
    const ProgressMark& mark, int64_t stamp_limit, int64_t entry_limit) {
  ProgressChanges changes;
  {
    Statement stmt(conn_, kProjectsStampedAfterSql);
    stmt.Bind(1, mark.marks).Bind(2, stamp_limit);
    ASSIGN_OR_RETURN(changes.stamped,
                     ReadAll<std::string>(
                         stmt, [](const Statement& s) { return s.Text(0); }));
    // One stamp per project (the table's key), so sorting leaves them
    // distinct.
    std::sort(changes.stamped.begin(), changes.stamped.end());
  }
  // Up to 40,000 entries the caller would not use (store.h).
  if (static_cast<int64_t>(changes.stamped.size()) >= stamp_limit) {
    return changes;
  }
  Statement stmt(conn_, kEntriesAfterSql);
  stmt.Bind(1, mark.entries).Bind(2, entry_limit);
  ASSIGN_OR_RETURN(changes.entries, ReadAll<ProgressChanges::Entry>(
                                        stmt, [](const Statement& s) {
                                          ProgressChanges::Entry e;
                                          e.project_id = s.Text(0);
                                          e.year = static_cast<int>(s.Int(1));
                                          e.month = static_cast<int>(s.Int(2));
                                          e.amount = s.Int(3);
                                          return e;
                                        }));
  return changes;
}

}  // namespace portfolio::sqlite
