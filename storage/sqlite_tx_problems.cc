// SqliteTx: the problem register (要素保障) and its history.
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sqlite_tx.h"

namespace portfolio::sqlite {
namespace {

constexpr char kProblemColumnsSql[] =
    "project_id, id, category, description, responsible_unit, deadline, "
    "escalation, state, resolution, opened_by, create_time, assigned_by, "
    "assign_time, resolved_by, resolve_time, version, update_time";

ProblemRecord ReadProblem(const Statement& s) {
  ProblemRecord p;
  p.project_id = s.Text(0);
  p.id = s.Text(1);
  p.category = s.Text(2);
  p.description = s.Text(3);
  p.responsible_unit = s.Text(4);
  p.deadline = DateColumn(s, 5);
  p.escalation = s.Text(6);
  p.state = s.Text(7);
  p.resolution = s.Text(8);
  p.opened_by = s.Text(9);
  p.create_time = FromMicros(s.Int(10));
  p.assigned_by = s.Text(11);
  p.assign_time = OptionalTime(s, 12);
  p.resolved_by = s.Text(13);
  p.resolve_time = OptionalTime(s, 14);
  p.version = s.Int(15);
  p.update_time = FromMicros(s.Int(16));
  return p;
}

// Copies the problem's current state into its history, for ListProgress's
// known_at.
absl::Status RecordProblemHistory(Connection& conn,
                                  absl::string_view project_id,
                                  absl::string_view id) {
  Statement stmt(conn,
                 "INSERT INTO problem_history (project_id, id, version, "
                 "state, deadline, resolve_time, update_time) SELECT "
                 "project_id, id, version, state, deadline, resolve_time, "
                 "update_time FROM problems WHERE project_id = ?1 AND id = "
                 "?2");
  return stmt.Bind(1, project_id).Bind(2, id).Run();
}

// The WHERE clause over ProblemQuery's parameters ?1..?7.
constexpr char kProblemFilterSql[] =
    " WHERE (?1 IS NULL OR project_id = ?1) AND (?2 IS NULL OR state = ?2) "
    "AND (?3 IS NULL OR category = ?3) AND (?4 IS NULL OR escalation = ?4) "
    "AND (?5 IS NULL OR (state <> 'resolved') = ?5) AND (?6 IS NULL OR "
    "(state <> 'resolved' AND deadline IS NOT NULL AND deadline < ?6) = ?7)";

void BindProblemFilter(Statement& stmt, const ProblemQuery& q) {
  auto text = [&](int i, const std::optional<std::string>& v) {
    if (v)
      stmt.Bind(i, *v);
    else
      stmt.BindNull(i);
  };
  text(1, q.project_id);
  text(2, q.state);
  text(3, q.category);
  text(4, q.escalation);
  stmt.Bind(5, q.unresolved ? std::optional<int64_t>(*q.unresolved ? 1 : 0)
                            : std::nullopt);
  BindDate(stmt, 6, q.overdue_on);
  stmt.Bind(7, static_cast<int64_t>(q.overdue ? 1 : 0));
}

}  // namespace

absl::StatusOr<ProblemRecord> SqliteTx::GetProblem(absl::string_view project_id,
                                                   absl::string_view id) {
  const std::string sql =
      absl::StrCat("SELECT ", kProblemColumnsSql,
                   " FROM problems WHERE project_id = ?1 AND id = ?2");
  Statement stmt(conn_, sql.c_str());
  stmt.Bind(1, project_id).Bind(2, id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row)
    return NotFound("problem",
                    absl::StrCat("projects/", project_id, "/problems/", id));
  return ReadProblem(stmt);
}

absl::StatusOr<ProblemPage> SqliteTx::ListProblems(const ProblemQuery& q) {
  ProblemPage page;
  {
    const std::string sql =
        absl::StrCat("SELECT COUNT(*) FROM problems", kProblemFilterSql);
    Statement count(conn_, sql.c_str());
    BindProblemFilter(count, q);
    ASSIGN_OR_RETURN(bool row, count.Step());
    page.total = row ? count.Int(0) : 0;
  }
  const std::string sql = absl::StrCat(
      "SELECT ", kProblemColumnsSql, " FROM problems", kProblemFilterSql,
      " ORDER BY create_time, project_id, id LIMIT ?8 OFFSET ?9");
  Statement stmt(conn_, sql.c_str());
  BindProblemFilter(stmt, q);
  stmt.Bind(8, q.limit).Bind(9, q.offset);
  ASSIGN_OR_RETURN(page.problems, ReadAll<ProblemRecord>(stmt, ReadProblem));
  return page;
}

absl::Status SqliteTx::InsertProblem(const ProblemRecord& p, absl::Time now) {
  Statement stmt(
      conn_,
      "INSERT INTO problems (project_id, id, category, description, "
      "responsible_unit, deadline, escalation, state, resolution, opened_by, "
      "create_time, assigned_by, assign_time, resolved_by, resolve_time, "
      "version, update_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
      "?10, ?11, ?12, ?13, ?14, ?15, 1, ?16)");
  stmt.Bind(1, p.project_id)
      .Bind(2, p.id)
      .Bind(3, p.category)
      .Bind(4, p.description)
      .Bind(5, p.responsible_unit);
  BindDate(stmt, 6, p.deadline);
  stmt.Bind(7, p.escalation)
      .Bind(8, p.state)
      .Bind(9, p.resolution)
      .Bind(10, p.opened_by)
      .Bind(11, ToMicros(p.create_time))
      .Bind(12, p.assigned_by)
      .Bind(13, OptionalMicros(p.assign_time))
      .Bind(14, p.resolved_by)
      .Bind(15, OptionalMicros(p.resolve_time))
      .Bind(16, ToMicros(now));
  absl::Status status = stmt.Run();
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(absl::StrCat(
        "problem \"", p.id, "\" already exists on project ", p.project_id));
  }
  if (absl::IsNotFound(status)) return NotFound("project", p.project_id);
  RETURN_IF_ERROR(status);
  return RecordProblemHistory(conn_, p.project_id, p.id);
}

absl::Status SqliteTx::UpdateProblem(const ProblemRecord& p, absl::Time now) {
  Statement stmt(
      conn_,
      "UPDATE problems SET responsible_unit = ?3, deadline = ?4, escalation "
      "= ?5, state = ?6, resolution = ?7, assigned_by = ?8, assign_time = "
      "?9, resolved_by = ?10, resolve_time = ?11, version = version + 1, "
      "update_time = ?12 WHERE project_id = ?1 AND id = ?2");
  stmt.Bind(1, p.project_id).Bind(2, p.id).Bind(3, p.responsible_unit);
  BindDate(stmt, 4, p.deadline);
  stmt.Bind(5, p.escalation)
      .Bind(6, p.state)
      .Bind(7, p.resolution)
      .Bind(8, p.assigned_by)
      .Bind(9, OptionalMicros(p.assign_time))
      .Bind(10, p.resolved_by)
      .Bind(11, OptionalMicros(p.resolve_time))
      .Bind(12, ToMicros(now));
  RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(conn_.raw()) == 0) {
    return NotFound(
        "problem", absl::StrCat("projects/", p.project_id, "/problems/", p.id));
  }
  return RecordProblemHistory(conn_, p.project_id, p.id);
}

absl::StatusOr<std::string> SqliteTx::NextProblemId(
    absl::string_view project_id) {
  Statement stmt(conn_,
                 "SELECT COALESCE(MAX(CAST(substr(id, 2) AS INTEGER)), 0) + 1 "
                 "FROM problems WHERE project_id = ?1 AND id GLOB 'q[0-9]*'");
  stmt.Bind(1, project_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return absl::StrCat("q", row ? stmt.Int(0) : 1);
}

absl::StatusOr<std::vector<int>> SqliteTx::ClosedMonthsAt(int year,
                                                          absl::Time at) {
  // A month's state at `at` is its last event at or before it.
  Statement stmt(conn_,
                 "SELECT month FROM period_events e WHERE year = ?1 AND time "
                 "<= ?2 AND seq = (SELECT seq FROM period_events f WHERE "
                 "f.year = e.year AND f.month = e.month AND f.time <= ?2 "
                 "ORDER BY f.time DESC, f.seq DESC LIMIT 1) AND closed = 1 "
                 "ORDER BY month");
  stmt.Bind(1, static_cast<int64_t>(year)).Bind(2, ToMicros(at));
  ASSIGN_OR_RETURN(std::vector<int> months,
                   ReadAll<int>(stmt, [](const Statement& s) {
                     return static_cast<int>(s.Int(0));
                   }));
  return months;
}

}  // namespace portfolio::sqlite
