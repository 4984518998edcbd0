// Users, tokens and the audit trail.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sqlite_tx.h"

namespace portfolio::sqlite {
namespace {

constexpr char kUserColumnsSql[] =
    "id, display_name, role, disabled, version, create_time";

UserRecord ReadUser(const Statement& s) {
  UserRecord u;
  u.id = s.Text(0);
  u.display_name = s.Text(1);
  u.role = s.Text(2);
  u.disabled = s.Int(3) != 0;
  u.version = s.Int(4);
  u.create_time = FromMicros(s.Int(5));
  return u;
}

constexpr char kTokenColumnsSql[] =
    "id, user_id, display_name, secret_hash, create_time, expire_time, "
    "last_use_time, revoke_time";

TokenRecord ReadToken(const Statement& s) {
  TokenRecord t;
  t.id = s.Text(0);
  t.user_id = s.Text(1);
  t.display_name = s.Text(2);
  t.secret_hash = s.Blob(3);
  t.create_time = FromMicros(s.Int(4));
  t.expire_time = OptionalTime(s, 5);
  t.last_use_time = OptionalTime(s, 6);
  t.revoke_time = OptionalTime(s, 7);
  return t;
}

}  // namespace

absl::StatusOr<UserRecord> SqliteTx::GetUser(absl::string_view id) {
  const std::string sql =
      absl::StrCat("SELECT ", kUserColumnsSql, " FROM users WHERE id = ?1");
  Statement stmt(conn_, sql.c_str());
  stmt.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFound("user", id);
  return ReadUser(stmt);
}

absl::StatusOr<std::vector<UserRecord>> SqliteTx::ListUsers(int64_t offset,
                                                            int64_t limit) {
  const std::string sql = absl::StrCat(
      "SELECT ", kUserColumnsSql, " FROM users ORDER BY id LIMIT ?1 OFFSET ?2");
  Statement stmt(conn_, sql.c_str());
  stmt.Bind(1, limit).Bind(2, offset);
  return ReadAll<UserRecord>(stmt, ReadUser);
}

absl::StatusOr<std::vector<std::string>> SqliteTx::ProjectsLedBy(
    absl::string_view user_id) {
  Statement stmt(conn_,
                 "SELECT project_id FROM project_leads WHERE user_id = ?1 "
                 "ORDER BY project_id");
  stmt.Bind(1, user_id);
  std::vector<std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(stmt.Text(0));
  }
  return out;
}

absl::StatusOr<bool> SqliteTx::IsLead(absl::string_view project_id,
                                      absl::string_view user_id) {
  Statement stmt(conn_,
                 "SELECT 1 FROM project_leads WHERE project_id = ?1 AND "
                 "user_id = ?2");
  stmt.Bind(1, project_id).Bind(2, user_id);
  return stmt.Step();
}

absl::StatusOr<TokenRecord> SqliteTx::GetToken(absl::string_view id) {
  const std::string sql =
      absl::StrCat("SELECT ", kTokenColumnsSql, " FROM tokens WHERE id = ?1");
  Statement stmt(conn_, sql.c_str());
  stmt.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFound("token", id);
  return ReadToken(stmt);
}

absl::StatusOr<std::vector<TokenRecord>> SqliteTx::ListTokens(
    const std::optional<std::string>& user_id, int64_t offset, int64_t limit) {
  const std::string sql = absl::StrCat(
      "SELECT ", kTokenColumnsSql,
      " FROM tokens WHERE (?1 IS NULL OR user_id = ?1) ORDER BY create_time, "
      "id LIMIT ?2 OFFSET ?3");
  Statement stmt(conn_, sql.c_str());
  if (user_id) {
    stmt.Bind(1, *user_id);
  } else {
    stmt.BindNull(1);
  }
  stmt.Bind(2, limit).Bind(3, offset);
  return ReadAll<TokenRecord>(stmt, ReadToken);
}

std::string AuditSql(const AuditQuery& q) {
  // Only the filters asked for are said, each in a form an index can serve,
  // and the order is the key's: a page of the newest events stops after
  // its rows instead of sorting the whole trail. A user's events come from
  // audit_events_by_user in key order; "since" becomes a lower bound on the
  // key found through audit_events_by_time (the first event at or after
  // it; the time test stays, so the bound is exact however the clock
  // moved). The bound reads the index range since then: left to itself,
  // the planner would walk the trail from its start to the first match.
  // A project's events are the key-ordered events that match.
  std::string sql =
      "SELECT seq, time, user_id, method, resource, request_id, outcome, "
      "detail, request FROM audit_events WHERE 1";
  if (q.project_id) {
    absl::StrAppend(&sql,
                    " AND (resource = ?1 OR substr(resource, 1, length(?1) + "
                    "1) = ?1 || '/')");
  }
  if (q.user_id) absl::StrAppend(&sql, " AND user_id = ?2");
  if (q.since) {
    absl::StrAppend(&sql,
                    " AND time >= ?3 AND seq >= (SELECT MIN(seq) FROM "
                    "audit_events INDEXED BY audit_events_by_time WHERE time "
                    ">= ?3)");
  }
  if (q.after_seq) absl::StrAppend(&sql, " AND seq > ?6");
  if (q.before_seq) absl::StrAppend(&sql, " AND seq < ?7");
  if (q.accepted_only) absl::StrAppend(&sql, " AND outcome = 'OK'");
  absl::StrAppend(&sql, " ORDER BY seq", q.oldest_first ? "" : " DESC",
                  " LIMIT ?4 OFFSET ?5");
  return sql;
}

absl::StatusOr<std::vector<AuditRecord>> SqliteTx::ListAudit(
    const AuditQuery& q) {
  const std::string sql = AuditSql(q);
  Statement stmt(conn_, sql.c_str());
  if (q.project_id) stmt.Bind(1, absl::StrCat("projects/", *q.project_id));
  if (q.user_id) stmt.Bind(2, *q.user_id);
  if (q.since) stmt.Bind(3, ToMicros(*q.since));
  stmt.Bind(4, q.limit).Bind(5, q.offset);
  if (q.after_seq) stmt.Bind(6, *q.after_seq);
  if (q.before_seq) stmt.Bind(7, *q.before_seq);
  std::vector<AuditRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    AuditRecord e;
    e.seq = stmt.Int(0);
    e.time = FromMicros(stmt.Int(1));
    e.user_id = stmt.Text(2);
    e.method = stmt.Text(3);
    e.resource = stmt.Text(4);
    e.request_id = stmt.Text(5);
    e.outcome = stmt.Text(6);
    e.detail = stmt.Text(7);
    if (!stmt.IsNull(8)) e.request = stmt.Blob(8);
    out.push_back(std::move(e));
  }
  return out;
}

absl::Status SqliteTx::InsertUser(const UserRecord& u) {
  changed_access_ = true;
  Statement stmt(conn_,
                 "INSERT INTO users (id, display_name, role, disabled, "
                 "version, create_time) VALUES (?1, ?2, ?3, ?4, 1, ?5)");
  stmt.Bind(1, u.id)
      .Bind(2, u.display_name)
      .Bind(3, u.role)
      .Bind(4, static_cast<int64_t>(u.disabled ? 1 : 0))
      .Bind(5, ToMicros(u.create_time));
  absl::Status status = stmt.Run();
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(
        absl::StrCat("user \"", u.id, "\" already exists"));
  }
  return status;
}

absl::Status SqliteTx::UpdateUser(const UserRecord& u) {
  changed_access_ = true;
  Statement stmt(conn_,
                 "UPDATE users SET display_name = ?2, role = ?3, disabled = "
                 "?4, version = version + 1 WHERE id = ?1");
  stmt.Bind(1, u.id)
      .Bind(2, u.display_name)
      .Bind(3, u.role)
      .Bind(4, static_cast<int64_t>(u.disabled ? 1 : 0));
  RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(conn_.raw()) == 0) return NotFound("user", u.id);
  return absl::OkStatus();
}

absl::Status SqliteTx::InsertToken(const TokenRecord& t) {
  changed_access_ = true;
  Statement stmt(conn_,
                 "INSERT INTO tokens (id, user_id, display_name, secret_hash, "
                 "create_time, expire_time, last_use_time, revoke_time) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  stmt.Bind(1, t.id)
      .Bind(2, t.user_id)
      .Bind(3, t.display_name)
      .BindBlob(4, t.secret_hash)
      .Bind(5, ToMicros(t.create_time))
      .Bind(6, OptionalMicros(t.expire_time))
      .Bind(7, OptionalMicros(t.last_use_time))
      .Bind(8, OptionalMicros(t.revoke_time));
  absl::Status status = stmt.Run();
  if (absl::IsNotFound(status)) return NotFound("user", t.user_id);
  return status;
}

absl::Status SqliteTx::TouchToken(absl::string_view id, absl::Time now) {
  Statement stmt(conn_,
                 "UPDATE tokens SET last_use_time = ?2 WHERE id = ?1 AND "
                 "revoke_time IS NULL");
  return stmt.Bind(1, id).Bind(2, ToMicros(now)).Run();
}

absl::Status SqliteTx::RevokeToken(absl::string_view id, absl::Time now) {
  changed_access_ = true;
  Statement stmt(conn_,
                 "UPDATE tokens SET revoke_time = COALESCE(revoke_time, ?2) "
                 "WHERE id = ?1");
  RETURN_IF_ERROR(stmt.Bind(1, id).Bind(2, ToMicros(now)).Run());
  if (sqlite3_changes(conn_.raw()) == 0) return NotFound("token", id);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteTx::AppendAudit(const AuditRecord& e) {
  Statement stmt(conn_,
                 "INSERT INTO audit_events (time, user_id, method, resource, "
                 "request_id, outcome, detail, request) VALUES (?1, ?2, ?3, "
                 "?4, ?5, ?6, ?7, ?8)");
  stmt.Bind(1, ToMicros(e.time))
      .Bind(2, e.user_id)
      .Bind(3, e.method)
      .Bind(4, e.resource)
      .Bind(5, e.request_id)
      .Bind(6, e.outcome)
      .Bind(7, e.detail);
  if (e.request.has_value()) {
    stmt.BindBlob(8, *e.request);
  } else {
    stmt.BindNull(8);
  }
  RETURN_IF_ERROR(stmt.Run());
  return sqlite3_last_insert_rowid(conn_.raw());
}

}  // namespace portfolio::sqlite
