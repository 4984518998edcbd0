// The investment ledger and per-project progress.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "storage/sqlite_tx.h"

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

absl::StatusOr<std::vector<ProgressRow>> SqliteTx::ListProgress(
    const ProgressQuery& q) {
  // One pass over the filtered projects; each figure is an indexed
  // aggregate, so the ledger is summed in SQL, never loaded.
  const std::string sql = absl::StrCat(
      "SELECT ", kProjectColumnsSql,
      ", (SELECT amount FROM annual_plans a WHERE a.project_id = p.id AND "
      "a.year = ?11)"
      ", (SELECT COALESCE(SUM(amount), 0) FROM plan_months m WHERE "
      "m.project_id = p.id AND m.year = ?11 AND m.month <= ?12)"
      ", (SELECT COALESCE(SUM(amount), 0) FROM investment_entries e WHERE "
      "e.project_id = p.id AND e.year = ?11 AND e.month <= ?12)"
      ", EXISTS (SELECT 1 FROM investment_entries e WHERE e.project_id = p.id "
      "AND e.year = ?11 AND e.month = ?15)"
      ", (SELECT planned_date || ' ' || id FROM milestones s WHERE "
      "s.project_id = p.id AND s.actual_date IS NULL AND s.planned_date < ?13 "
      "ORDER BY planned_date, id LIMIT 1)"
      " FROM projects p WHERE",
      kProjectFilterSql,
      " AND (?14 = 0 OR p.stage NOT IN ('completed', 'in_operation') OR "
      "EXISTS (SELECT 1 FROM annual_plans a WHERE a.project_id = p.id AND "
      "a.year = ?11) OR EXISTS (SELECT 1 FROM investment_entries e WHERE "
      "e.project_id = p.id AND e.year = ?11))"
      " ORDER BY p.id");
  const int report_month = q.report_month > 0 ? q.report_month : q.as_of_month;
  Statement stmt(conn_, sql.c_str());
  BindProjectFilter(stmt, 1, q.filter);
  stmt.Bind(11, static_cast<int64_t>(q.year))
      .Bind(12, static_cast<int64_t>(q.as_of_month))
      .Bind(13, FormatDate(q.as_of_date))
      .Bind(14, static_cast<int64_t>(q.active_only ? 1 : 0))
      .Bind(15, static_cast<int64_t>(report_month));
  std::vector<ProgressRow> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ProgressRow r;
    r.project = ReadProject(stmt, 0);
    r.annual_plan = stmt.OptionalInt(18);
    r.planned_to_date = stmt.Int(19);
    r.completed_to_date = stmt.Int(20);
    r.report_month = report_month;
    r.reported_in_month = stmt.Int(21) != 0;
    const std::string overdue = stmt.Text(22);
    if (overdue.size() > 11) {
      absl::StatusOr<absl::CivilDay> day = ParseDate(overdue.substr(0, 10));
      if (day.ok()) r.earliest_overdue = *day;
      r.earliest_overdue_id = overdue.substr(11);
    }
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace portfolio::sqlite
