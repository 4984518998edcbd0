// Projects, plans and milestones.
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "storage/sqlite_tx.h"

namespace portfolio::sqlite {

const char kProjectColumnsSql[] =
    "p.id, p.display_name, p.owner, p.chapter, p.sector, p.park, p.stage, "
    "p.total_investment, p.planned_start, p.planned_end, p.national_code, "
    "p.capacity, p.source, p.version, p.create_time, p.update_time, "
    "(SELECT group_concat(year || ':' || level, ',') FROM (SELECT year, level "
    "FROM project_levels WHERE project_id = p.id ORDER BY year)), "
    "(SELECT group_concat(user_id, char(31)) FROM (SELECT user_id FROM "
    "project_leads WHERE project_id = p.id ORDER BY user_id))";

// Every condition is "unset or equal", so one statement serves every filter
// and no request text ever becomes SQL.
const char kProjectFilterSql[] =
    " (?1 IS NULL OR EXISTS (SELECT 1 FROM project_levels l WHERE "
    "l.project_id = p.id AND l.year = ?2 AND l.level = ?1))"
    " AND (?3 IS NULL OR p.chapter = ?3)"
    " AND (?4 IS NULL OR p.park = ?4)"
    " AND (?5 IS NULL OR p.sector = ?5)"
    " AND (?6 IS NULL OR p.stage = ?6)"
    " AND (?7 IS NULL OR EXISTS (SELECT 1 FROM project_leads d WHERE "
    "d.project_id = p.id AND d.user_id = ?7))"
    " AND (?8 IS NULL OR p.id = ?8)";

void BindProjectFilter(Statement& stmt, int first, const ProjectFilter& f) {
  auto text = [&](int i, const std::optional<std::string>& v) {
    if (v.has_value()) {
      stmt.Bind(first + i, *v);
    } else {
      stmt.BindNull(first + i);
    }
  };
  text(0, f.level);
  stmt.Bind(first + 1, static_cast<int64_t>(f.level_year));
  if (f.chapter.has_value()) {
    stmt.Bind(first + 2, static_cast<int64_t>(*f.chapter));
  } else {
    stmt.BindNull(first + 2);
  }
  text(3, f.park);
  text(4, f.sector);
  text(5, f.stage);
  text(6, f.lead);
  text(7, f.id);
}

ProjectRecord ReadProject(const Statement& s, int c) {
  ProjectRecord p;
  p.id = s.Text(c + 0);
  p.display_name = s.Text(c + 1);
  p.owner = s.Text(c + 2);
  p.chapter = static_cast<int>(s.Int(c + 3));
  p.sector = s.Text(c + 4);
  p.park = s.Text(c + 5);
  p.stage = s.Text(c + 6);
  p.total_investment = s.OptionalInt(c + 7);
  p.planned_start = DateColumn(s, c + 8);
  p.planned_end = DateColumn(s, c + 9);
  p.national_code = s.Text(c + 10);
  p.capacity = s.Text(c + 11);
  p.source = s.Text(c + 12);
  p.version = s.Int(c + 13);
  p.create_time = FromMicros(s.Int(c + 14));
  p.update_time = FromMicros(s.Int(c + 15));
  for (absl::string_view pair :
       absl::StrSplit(s.Text(c + 16), ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(pair, ':');
    YearLevelRecord level;
    if (absl::SimpleAtoi(kv.first, &level.year)) {
      level.level = kv.second;
      p.levels.push_back(level);
    }
  }
  for (absl::string_view lead :
       absl::StrSplit(s.Text(c + 17), '\x1f', absl::SkipEmpty())) {
    p.leads.emplace_back(lead);
  }
  return p;
}

absl::StatusOr<ProjectRecord> SqliteTx::GetProject(absl::string_view id) {
  const std::string sql = absl::StrCat("SELECT ", kProjectColumnsSql,
                                       " FROM projects p WHERE p.id = ?1");
  Statement stmt(conn_, sql.c_str());
  stmt.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFound("project", id);
  return ReadProject(stmt, 0);
}

absl::Status SqliteTx::CheckProjectExists(absl::string_view id) {
  Statement stmt(conn_, "SELECT 1 FROM projects WHERE id = ?1");
  stmt.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? absl::OkStatus() : NotFound("project", id);
}

absl::StatusOr<ProjectPage> SqliteTx::ListProjects(const ProjectQuery& q) {
  const char* order = "p.id";
  if (q.order == ProjectOrder::kDisplayName) order = "p.display_name, p.id";
  if (q.order == ProjectOrder::kTotalInvestment) {
    order = q.descending ? "p.total_investment DESC NULLS LAST, p.id"
                         : "p.total_investment ASC NULLS LAST, p.id";
  } else if (q.descending) {
    order = q.order == ProjectOrder::kId ? "p.id DESC"
                                         : "p.display_name DESC, p.id DESC";
  }
  const bool keyed = q.after_id.has_value() && q.order == ProjectOrder::kId;
  const std::string sql = absl::StrCat(
      "SELECT ", kProjectColumnsSql, " FROM projects p WHERE",
      kProjectFilterSql,
      keyed ? (q.descending ? " AND p.id < ?11" : " AND p.id > ?11") : "",
      " ORDER BY ", order, " LIMIT ?9 OFFSET ?10");
  Statement stmt(conn_, sql.c_str());
  BindProjectFilter(stmt, 1, q.filter);
  stmt.Bind(9, q.limit).Bind(10, q.offset);
  if (keyed) stmt.Bind(11, *q.after_id);
  ProjectPage page;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    page.projects.push_back(ReadProject(stmt, 0));
  }
  const std::string count_sql =
      absl::StrCat("SELECT count(*) FROM projects p WHERE", kProjectFilterSql);
  Statement count(conn_, count_sql.c_str());
  BindProjectFilter(count, 1, q.filter);
  ASSIGN_OR_RETURN(bool row, count.Step());
  page.total = row ? count.Int(0) : 0;
  return page;
}

namespace {

constexpr char kProjectValuesSql[] =
    "display_name = ?2, owner = ?3, chapter = ?4, sector = ?5, park = ?6, "
    "stage = ?7, total_investment = ?8, planned_start = ?9, planned_end = ?10, "
    "national_code = ?11, capacity = ?12, source = ?13";

void BindProjectValues(Statement& stmt, const ProjectRecord& p) {
  stmt.Bind(1, p.id)
      .Bind(2, p.display_name)
      .Bind(3, p.owner)
      .Bind(4, static_cast<int64_t>(p.chapter))
      .Bind(5, p.sector)
      .Bind(6, p.park)
      .Bind(7, p.stage)
      .Bind(8, p.total_investment);
  BindDate(stmt, 9, p.planned_start);
  BindDate(stmt, 10, p.planned_end);
  stmt.Bind(11, p.national_code).Bind(12, p.capacity).Bind(13, p.source);
}

}  // namespace

absl::Status SqliteTx::InsertProject(const ProjectRecord& p, absl::Time now) {
  Statement stmt(conn_,
                 "INSERT INTO projects (id, display_name, owner, chapter, "
                 "sector, park, stage, total_investment, planned_start, "
                 "planned_end, national_code, capacity, source, version, "
                 "create_time, update_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                 "?7, ?8, ?9, ?10, ?11, ?12, ?13, 1, ?14, ?14)");
  BindProjectValues(stmt, p);
  stmt.Bind(14, ToMicros(now));
  absl::Status status = stmt.Run();
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(
        absl::StrCat("project \"", p.id, "\" already exists"));
  }
  RETURN_IF_ERROR(status);
  return WriteProjectChildren(p);
}

absl::Status SqliteTx::UpdateProject(const ProjectRecord& p, absl::Time now) {
  const std::string sql =
      absl::StrCat("UPDATE projects SET ", kProjectValuesSql,
                   ", version = version + 1, update_time = ?14 WHERE id = ?1");
  Statement stmt(conn_, sql.c_str());
  BindProjectValues(stmt, p);
  stmt.Bind(14, ToMicros(now));
  RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(conn_.raw()) == 0) return NotFound("project", p.id);
  return WriteProjectChildren(p);
}

absl::Status SqliteTx::WriteProjectChildren(const ProjectRecord& p) {
  Statement clear_levels(conn_,
                         "DELETE FROM project_levels WHERE project_id = ?1");
  RETURN_IF_ERROR(clear_levels.Bind(1, p.id).Run());
  for (const YearLevelRecord& level : p.levels) {
    Statement stmt(conn_,
                   "INSERT INTO project_levels (project_id, year, level) "
                   "VALUES (?1, ?2, ?3)");
    stmt.Bind(1, p.id)
        .Bind(2, static_cast<int64_t>(level.year))
        .Bind(3, level.level);
    RETURN_IF_ERROR(stmt.Run());
  }
  Statement clear_leads(conn_,
                        "DELETE FROM project_leads WHERE project_id = ?1");
  RETURN_IF_ERROR(clear_leads.Bind(1, p.id).Run());
  for (const std::string& lead : p.leads) {
    Statement stmt(conn_,
                   "INSERT OR IGNORE INTO project_leads (project_id, user_id) "
                   "VALUES (?1, ?2)");
    RETURN_IF_ERROR(stmt.Bind(1, p.id).Bind(2, lead).Run());
  }
  return absl::OkStatus();
}

namespace {

absl::StatusOr<std::vector<int64_t>> PlanMonths(Connection& conn,
                                                absl::string_view project_id,
                                                int year) {
  Statement stmt(conn,
                 "SELECT month, amount FROM plan_months WHERE project_id = ?1 "
                 "AND year = ?2 ORDER BY month");
  stmt.Bind(1, project_id).Bind(2, static_cast<int64_t>(year));
  std::vector<int64_t> months(12, 0);
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    months[stmt.Int(0) - 1] = stmt.Int(1);
  }
  return months;
}

}  // namespace

absl::StatusOr<PlanRecord> SqliteTx::GetPlan(absl::string_view project_id,
                                             int year) {
  Statement stmt(
      conn_,
      "SELECT a.amount, a.version, r.revision, r.reason, r.updated_by, "
      "r.update_time, (SELECT amount FROM plan_revisions b WHERE "
      "b.project_id = ?1 AND b.year = ?2 AND b.revision = 1) FROM "
      "annual_plans a JOIN plan_revisions r ON r.project_id = a.project_id "
      "AND r.year = a.year WHERE a.project_id = ?1 AND a.year = ?2 ORDER BY "
      "r.revision DESC LIMIT 1");
  stmt.Bind(1, project_id).Bind(2, static_cast<int64_t>(year));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) {
    return NotFound("annual plan",
                    absl::StrCat("projects/", project_id, "/plans/", year));
  }
  PlanRecord plan;
  plan.project_id = std::string(project_id);
  plan.year = year;
  plan.amount = stmt.Int(0);
  plan.version = stmt.Int(1);
  plan.revision = static_cast<int>(stmt.Int(2));
  plan.revision_reason = stmt.Text(3);
  plan.updated_by = stmt.Text(4);
  plan.update_time = FromMicros(stmt.Int(5));
  plan.baseline_amount = stmt.Int(6);
  ASSIGN_OR_RETURN(plan.monthly, PlanMonths(conn_, project_id, year));
  return plan;
}

absl::StatusOr<std::vector<PlanRecord>> SqliteTx::ListPlans(
    absl::string_view project_id) {
  Statement stmt(conn_,
                 "SELECT year FROM annual_plans WHERE project_id = ?1 ORDER "
                 "BY year");
  stmt.Bind(1, project_id);
  ASSIGN_OR_RETURN(
      std::vector<int64_t> years,
      ReadAll<int64_t>(stmt, [](const Statement& s) { return s.Int(0); }));
  std::vector<PlanRecord> plans;
  for (int64_t year : years) {
    ASSIGN_OR_RETURN(PlanRecord plan,
                     GetPlan(project_id, static_cast<int>(year)));
    plans.push_back(std::move(plan));
  }
  return plans;
}

absl::StatusOr<std::vector<PlanRecord>> SqliteTx::ListPlanRevisions(
    absl::string_view project_id, int year) {
  Statement stmt(conn_,
                 "SELECT revision, amount, reason, updated_by, update_time "
                 "FROM plan_revisions WHERE project_id = ?1 AND year = ?2 "
                 "ORDER BY revision");
  stmt.Bind(1, project_id).Bind(2, static_cast<int64_t>(year));
  ASSIGN_OR_RETURN(std::vector<PlanRecord> revisions,
                   ReadAll<PlanRecord>(stmt, [&](const Statement& s) {
                     PlanRecord r;
                     r.project_id = std::string(project_id);
                     r.year = year;
                     r.revision = static_cast<int>(s.Int(0));
                     r.amount = s.Int(1);
                     r.revision_reason = s.Text(2);
                     r.updated_by = s.Text(3);
                     r.update_time = FromMicros(s.Int(4));
                     return r;
                   }));
  if (revisions.empty()) {
    return NotFound("annual plan",
                    absl::StrCat("projects/", project_id, "/plans/", year));
  }
  Statement months(conn_,
                   "SELECT revision, month, amount FROM plan_revision_months "
                   "WHERE project_id = ?1 AND year = ?2");
  months.Bind(1, project_id).Bind(2, static_cast<int64_t>(year));
  for (PlanRecord& r : revisions) {
    r.monthly.assign(12, 0);
    r.baseline_amount = revisions.front().amount;
  }
  while (true) {
    ASSIGN_OR_RETURN(bool row, months.Step());
    if (!row) break;
    const int64_t revision = months.Int(0);
    if (revision >= 1 && revision <= static_cast<int64_t>(revisions.size())) {
      revisions[revision - 1].monthly[months.Int(1) - 1] = months.Int(2);
    }
  }
  return revisions;
}

absl::Status SqliteTx::PutPlan(const PlanRecord& plan, absl::Time now) {
  if (plan.monthly.size() != 12) {
    return absl::InvalidArgumentError("a plan needs 12 monthly amounts");
  }
  absl::StatusOr<PlanRecord> existing = GetPlan(plan.project_id, plan.year);
  if (existing.ok() && existing->amount == plan.amount &&
      existing->monthly == plan.monthly) {
    return absl::OkStatus();  // nothing changed: no new revision
  }
  if (!existing.ok() && !absl::IsNotFound(existing.status())) {
    return existing.status();
  }
  const int64_t revision = existing.ok() ? existing->revision + 1 : 1;
  const std::string reason = revision == 1 ? "" : plan.revision_reason;
  Statement stmt(conn_,
                 "INSERT INTO annual_plans (project_id, year, amount, "
                 "updated_by, version, update_time) VALUES (?1, ?2, ?3, ?4, "
                 "1, ?5) ON CONFLICT (project_id, year) DO UPDATE SET amount "
                 "= ?3, updated_by = ?4, version = version + 1, update_time "
                 "= ?5");
  stmt.Bind(1, plan.project_id)
      .Bind(2, static_cast<int64_t>(plan.year))
      .Bind(3, plan.amount)
      .Bind(4, plan.updated_by)
      .Bind(5, ToMicros(now));
  absl::Status status = stmt.Run();
  if (absl::IsNotFound(status)) {
    return NotFound("project", plan.project_id);
  }
  RETURN_IF_ERROR(status);
  Statement rev(conn_,
                "INSERT INTO plan_revisions (project_id, year, revision, "
                "amount, reason, updated_by, update_time) VALUES (?1, ?2, ?3, "
                "?4, ?5, ?6, ?7)");
  rev.Bind(1, plan.project_id)
      .Bind(2, static_cast<int64_t>(plan.year))
      .Bind(3, revision)
      .Bind(4, plan.amount)
      .Bind(5, reason)
      .Bind(6, plan.updated_by)
      .Bind(7, ToMicros(now));
  RETURN_IF_ERROR(rev.Run());
  for (int month = 1; month <= 12; ++month) {
    Statement put(conn_,
                  "INSERT INTO plan_months (project_id, year, month, amount) "
                  "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (project_id, year, "
                  "month) DO UPDATE SET amount = ?4");
    put.Bind(1, plan.project_id)
        .Bind(2, static_cast<int64_t>(plan.year))
        .Bind(3, static_cast<int64_t>(month))
        .Bind(4, plan.monthly[month - 1]);
    RETURN_IF_ERROR(put.Run());
    Statement put_rev(conn_,
                      "INSERT INTO plan_revision_months (project_id, year, "
                      "revision, month, amount) VALUES (?1, ?2, ?3, ?4, ?5)");
    put_rev.Bind(1, plan.project_id)
        .Bind(2, static_cast<int64_t>(plan.year))
        .Bind(3, revision)
        .Bind(4, static_cast<int64_t>(month))
        .Bind(5, plan.monthly[month - 1]);
    RETURN_IF_ERROR(put_rev.Run());
  }
  return absl::OkStatus();
}

namespace {

constexpr char kMilestoneColumnsSql[] =
    "project_id, id, kind, display_name, planned_date, forecast_date, "
    "actual_date, version, update_time";

MilestoneRecord ReadMilestone(const Statement& s) {
  MilestoneRecord m;
  m.project_id = s.Text(0);
  m.id = s.Text(1);
  m.kind = s.Text(2);
  m.display_name = s.Text(3);
  m.planned_date = DateColumn(s, 4);
  m.forecast_date = DateColumn(s, 5);
  m.actual_date = DateColumn(s, 6);
  m.version = s.Int(7);
  m.update_time = FromMicros(s.Int(8));
  return m;
}

void BindMilestone(Statement& stmt, const MilestoneRecord& m, absl::Time now) {
  stmt.Bind(1, m.project_id)
      .Bind(2, m.id)
      .Bind(3, m.kind)
      .Bind(4, m.display_name);
  BindDate(stmt, 5, m.planned_date);
  BindDate(stmt, 6, m.forecast_date);
  BindDate(stmt, 7, m.actual_date);
  stmt.Bind(8, ToMicros(now));
}

// Copies the milestone's current state into its history, so ListProgress
// can read it as it stood at an earlier instant.
absl::Status RecordMilestoneHistory(Connection& conn,
                                    absl::string_view project_id,
                                    absl::string_view id) {
  Statement stmt(conn,
                 "INSERT INTO milestone_history (project_id, id, version, "
                 "kind, planned_date, actual_date, update_time) SELECT "
                 "project_id, id, version, kind, planned_date, actual_date, "
                 "update_time FROM milestones WHERE project_id = ?1 AND id = "
                 "?2");
  return stmt.Bind(1, project_id).Bind(2, id).Run();
}

}  // namespace

absl::StatusOr<MilestoneRecord> SqliteTx::GetMilestone(
    absl::string_view project_id, absl::string_view id) {
  const std::string sql = absl::StrCat("SELECT ", kMilestoneColumnsSql,
                                       " FROM milestones WHERE project_id = "
                                       "?1 AND id = ?2");
  Statement stmt(conn_, sql.c_str());
  stmt.Bind(1, project_id).Bind(2, id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row)
    return NotFound("milestone",
                    absl::StrCat("projects/", project_id, "/milestones/", id));
  return ReadMilestone(stmt);
}

absl::StatusOr<std::vector<MilestoneRecord>> SqliteTx::ListMilestones(
    const MilestoneQuery& q) {
  const std::string sql = absl::StrCat(
      "SELECT ", kMilestoneColumnsSql,
      " FROM milestones WHERE (?1 IS NULL OR project_id = ?1) AND (?2 IS "
      "NULL OR kind = ?2) AND (?3 IS NULL OR (CASE WHEN actual_date IS NULL "
      "AND planned_date < ?3 THEN 1 ELSE 0 END) = ?6) ORDER BY project_id, "
      "planned_date IS NULL, planned_date, id LIMIT ?4 OFFSET ?5");
  Statement stmt(conn_, sql.c_str());
  if (q.project_id)
    stmt.Bind(1, *q.project_id);
  else
    stmt.BindNull(1);
  if (q.kind)
    stmt.Bind(2, *q.kind);
  else
    stmt.BindNull(2);
  BindDate(stmt, 3, q.overdue_on);
  stmt.Bind(4, q.limit).Bind(5, q.offset).Bind(6, q.overdue ? 1 : 0);
  return ReadAll<MilestoneRecord>(stmt, ReadMilestone);
}

absl::Status SqliteTx::InsertMilestone(const MilestoneRecord& m,
                                       absl::Time now) {
  Statement stmt(conn_,
                 "INSERT INTO milestones (project_id, id, kind, display_name, "
                 "planned_date, forecast_date, actual_date, version, "
                 "update_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8)");
  BindMilestone(stmt, m, now);
  absl::Status status = stmt.Run();
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(absl::StrCat(
        "milestone \"", m.id, "\" already exists on project ", m.project_id));
  }
  if (absl::IsNotFound(status)) {
    return NotFound("project", m.project_id);
  }
  RETURN_IF_ERROR(status);
  return RecordMilestoneHistory(conn_, m.project_id, m.id);
}

absl::Status SqliteTx::UpdateMilestone(const MilestoneRecord& m,
                                       absl::Time now) {
  Statement stmt(conn_,
                 "UPDATE milestones SET kind = ?3, display_name = ?4, "
                 "planned_date = ?5, forecast_date = ?6, actual_date = ?7, "
                 "version = version + 1, update_time = ?8 WHERE project_id = "
                 "?1 AND id = ?2");
  BindMilestone(stmt, m, now);
  RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(conn_.raw()) == 0) {
    return NotFound("milestone", absl::StrCat("projects/", m.project_id,
                                              "/milestones/", m.id));
  }
  return RecordMilestoneHistory(conn_, m.project_id, m.id);
}

absl::StatusOr<std::string> SqliteTx::NextMilestoneId(
    absl::string_view project_id) {
  Statement stmt(conn_,
                 "SELECT COALESCE(MAX(CAST(substr(id, 2) AS INTEGER)), 0) + 1 "
                 "FROM milestones WHERE project_id = ?1 AND id GLOB "
                 "'m[0-9]*'");
  stmt.Bind(1, project_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return absl::StrCat("m", row ? stmt.Int(0) : 1);
}

}  // namespace portfolio::sqlite
