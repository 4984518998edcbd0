// Indicators, portfolios, request records and the shared column helpers.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "storage/sqlite_tx.h"

namespace portfolio::sqlite {

int64_t ToMicros(absl::Time t) { return absl::ToUnixMicros(t); }
absl::Time FromMicros(int64_t micros) { return absl::FromUnixMicros(micros); }

std::optional<absl::Time> OptionalTime(const Statement& s, int column) {
  std::optional<int64_t> micros = s.OptionalInt(column);
  if (!micros.has_value()) return std::nullopt;
  return FromMicros(*micros);
}

std::optional<int64_t> OptionalMicros(const std::optional<absl::Time>& t) {
  if (!t.has_value()) return std::nullopt;
  return ToMicros(*t);
}

void BindDate(Statement& stmt, int index,
              const std::optional<absl::CivilDay>& day) {
  if (day.has_value()) {
    stmt.Bind(index, FormatDate(*day));
  } else {
    stmt.BindNull(index);
  }
}

std::optional<absl::CivilDay> DateColumn(const Statement& stmt, int column) {
  if (stmt.IsNull(column)) return std::nullopt;
  absl::StatusOr<absl::CivilDay> day = ParseDate(stmt.Text(column));
  if (!day.ok()) return std::nullopt;
  return *day;
}

absl::Status NotFound(absl::string_view what, absl::string_view id) {
  return absl::NotFoundError(absl::StrCat(what, " \"", id, "\" not found"));
}

namespace {

void BindOptionalInt(Statement& stmt, int index, const std::optional<int>& v) {
  if (v.has_value()) {
    stmt.Bind(index, static_cast<int64_t>(*v));
  } else {
    stmt.BindNull(index);
  }
}

}  // namespace

absl::StatusOr<std::vector<IndicatorValueRecord>> SqliteTx::IndicatorValues(
    absl::string_view id) {
  Statement stmt(conn_,
                 "SELECT year, month, value, source, recorded_by, record_time "
                 "FROM indicator_values WHERE indicator_id = ?1 ORDER BY seq");
  stmt.Bind(1, id);
  std::vector<IndicatorValueRecord> values;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    IndicatorValueRecord v;
    v.year = static_cast<int>(stmt.Int(0));
    v.month = static_cast<int>(stmt.Int(1));
    v.value = stmt.Text(2);
    v.source = stmt.Text(3);
    v.recorded_by = stmt.Text(4);
    v.record_time = FromMicros(stmt.Int(5));
    values.push_back(std::move(v));
  }
  return values;
}

absl::StatusOr<IndicatorRecord> SqliteTx::GetIndicator(absl::string_view id) {
  Statement stmt(conn_,
                 "SELECT id, display_name, unit, chapter, kind, version, "
                 "update_time FROM indicators WHERE id = ?1");
  stmt.Bind(1, id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFound("indicator", id);
  IndicatorRecord i;
  i.id = stmt.Text(0);
  i.display_name = stmt.Text(1);
  i.unit = stmt.Text(2);
  i.chapter = static_cast<int>(stmt.Int(3));
  i.kind = stmt.Text(4);
  i.version = stmt.Int(5);
  i.update_time = FromMicros(stmt.Int(6));
  Statement targets(conn_,
                    "SELECT year, comparator, value, source FROM "
                    "indicator_targets WHERE indicator_id = ?1 ORDER BY year");
  targets.Bind(1, id);
  while (true) {
    ASSIGN_OR_RETURN(bool more, targets.Step());
    if (!more) break;
    IndicatorTargetRecord t;
    t.year = static_cast<int>(targets.Int(0));
    t.comparator = targets.Text(1);
    t.value = targets.Text(2);
    t.source = targets.Text(3);
    i.targets.push_back(std::move(t));
  }
  ASSIGN_OR_RETURN(i.values, IndicatorValues(id));
  return i;
}

absl::StatusOr<std::vector<IndicatorRecord>> SqliteTx::ListIndicators(
    const IndicatorQuery& q) {
  Statement stmt(conn_,
                 "SELECT id FROM indicators i WHERE (?1 IS NULL OR chapter = "
                 "?1) AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR EXISTS "
                 "(SELECT 1 FROM indicator_targets t WHERE t.indicator_id = "
                 "i.id AND t.year = ?3) OR EXISTS (SELECT 1 FROM "
                 "indicator_values v WHERE v.indicator_id = i.id AND v.year = "
                 "?3)) ORDER BY chapter, id LIMIT ?4 OFFSET ?5");
  BindOptionalInt(stmt, 1, q.chapter);
  if (q.kind)
    stmt.Bind(2, *q.kind);
  else
    stmt.BindNull(2);
  BindOptionalInt(stmt, 3, q.target_year);
  stmt.Bind(4, q.limit).Bind(5, q.offset);
  std::vector<std::string> ids;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ids.push_back(stmt.Text(0));
  }
  std::vector<IndicatorRecord> out;
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(IndicatorRecord i, GetIndicator(id));
    out.push_back(std::move(i));
  }
  return out;
}

absl::Status SqliteTx::WriteIndicatorTargets(const IndicatorRecord& i) {
  Statement clear(conn_,
                  "DELETE FROM indicator_targets WHERE indicator_id = ?1");
  RETURN_IF_ERROR(clear.Bind(1, i.id).Run());
  for (const IndicatorTargetRecord& t : i.targets) {
    Statement stmt(conn_,
                   "INSERT INTO indicator_targets (indicator_id, year, "
                   "comparator, value, source) VALUES (?1, ?2, ?3, ?4, ?5)");
    stmt.Bind(1, i.id)
        .Bind(2, static_cast<int64_t>(t.year))
        .Bind(3, t.comparator)
        .Bind(4, t.value)
        .Bind(5, t.source);
    RETURN_IF_ERROR(stmt.Run());
  }
  return absl::OkStatus();
}

absl::Status SqliteTx::InsertIndicator(const IndicatorRecord& i,
                                       absl::Time now) {
  Statement stmt(conn_,
                 "INSERT INTO indicators (id, display_name, unit, chapter, "
                 "kind, version, update_time) VALUES (?1, ?2, ?3, ?4, ?5, 1, "
                 "?6)");
  stmt.Bind(1, i.id)
      .Bind(2, i.display_name)
      .Bind(3, i.unit)
      .Bind(4, static_cast<int64_t>(i.chapter))
      .Bind(5, i.kind)
      .Bind(6, ToMicros(now));
  absl::Status status = stmt.Run();
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(
        absl::StrCat("indicator \"", i.id, "\" already exists"));
  }
  RETURN_IF_ERROR(status);
  return WriteIndicatorTargets(i);
}

absl::Status SqliteTx::UpdateIndicator(const IndicatorRecord& i,
                                       absl::Time now) {
  Statement stmt(conn_,
                 "UPDATE indicators SET display_name = ?2, unit = ?3, chapter "
                 "= ?4, kind = ?5, version = version + 1, update_time = ?6 "
                 "WHERE id = ?1");
  stmt.Bind(1, i.id)
      .Bind(2, i.display_name)
      .Bind(3, i.unit)
      .Bind(4, static_cast<int64_t>(i.chapter))
      .Bind(5, i.kind)
      .Bind(6, ToMicros(now));
  RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(conn_.raw()) == 0) return NotFound("indicator", i.id);
  return WriteIndicatorTargets(i);
}

absl::Status SqliteTx::AppendIndicatorValue(absl::string_view indicator_id,
                                            const IndicatorValueRecord& v) {
  Statement stmt(conn_,
                 "INSERT INTO indicator_values (indicator_id, year, month, "
                 "value, source, recorded_by, record_time) VALUES (?1, ?2, "
                 "?3, ?4, ?5, ?6, ?7)");
  stmt.Bind(1, indicator_id)
      .Bind(2, static_cast<int64_t>(v.year))
      .Bind(3, static_cast<int64_t>(v.month))
      .Bind(4, v.value)
      .Bind(5, v.source)
      .Bind(6, v.recorded_by)
      .Bind(7, ToMicros(v.record_time));
  absl::Status status = stmt.Run();
  if (absl::IsNotFound(status)) {
    return NotFound("indicator", indicator_id);
  }
  RETURN_IF_ERROR(status);
  Statement bump(conn_,
                 "UPDATE indicators SET version = version + 1, update_time = "
                 "?2 WHERE id = ?1");
  return bump.Bind(1, indicator_id).Bind(2, ToMicros(v.record_time)).Run();
}

namespace {

constexpr char kPortfolioColumnsSql[] =
    "year, project_count_target, investment_target, provincial_count_target, "
    "city_count_target, project_count_actual, total_investment_actual, "
    "provincial_count_actual, city_count_actual, "
    "fixed_asset_investment_actual, source, version, update_time";

PortfolioRecord ReadPortfolio(const Statement& s) {
  PortfolioRecord p;
  p.year = static_cast<int>(s.Int(0));
  p.project_count_target = s.OptionalInt(1);
  p.investment_target = s.OptionalInt(2);
  p.provincial_count_target = s.OptionalInt(3);
  p.city_count_target = s.OptionalInt(4);
  p.project_count_actual = s.OptionalInt(5);
  p.total_investment_actual = s.OptionalInt(6);
  p.provincial_count_actual = s.OptionalInt(7);
  p.city_count_actual = s.OptionalInt(8);
  p.fixed_asset_investment_actual = s.OptionalInt(9);
  p.source = s.Text(10);
  p.version = s.Int(11);
  p.update_time = FromMicros(s.Int(12));
  return p;
}

}  // namespace

absl::StatusOr<PortfolioRecord> SqliteTx::GetPortfolio(int year) {
  const std::string sql = absl::StrCat("SELECT ", kPortfolioColumnsSql,
                                       " FROM portfolios WHERE year = ?1");
  Statement stmt(conn_, sql.c_str());
  stmt.Bind(1, static_cast<int64_t>(year));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFound("portfolio", absl::StrCat(year));
  return ReadPortfolio(stmt);
}

absl::StatusOr<std::vector<PortfolioRecord>> SqliteTx::ListPortfolios() {
  const std::string sql = absl::StrCat("SELECT ", kPortfolioColumnsSql,
                                       " FROM portfolios ORDER BY year");
  Statement stmt(conn_, sql.c_str());
  return ReadAll<PortfolioRecord>(stmt, ReadPortfolio);
}

absl::Status SqliteTx::PutPortfolio(const PortfolioRecord& p, absl::Time now) {
  Statement stmt(
      conn_,
      "INSERT INTO portfolios (year, project_count_target, investment_target, "
      "provincial_count_target, city_count_target, project_count_actual, "
      "total_investment_actual, provincial_count_actual, city_count_actual, "
      "fixed_asset_investment_actual, source, version, update_time) VALUES "
      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12) ON CONFLICT "
      "(year) DO UPDATE SET project_count_target = ?2, investment_target = "
      "?3, provincial_count_target = ?4, city_count_target = ?5, "
      "project_count_actual = ?6, total_investment_actual = ?7, "
      "provincial_count_actual = ?8, city_count_actual = ?9, "
      "fixed_asset_investment_actual = ?10, source = ?11, version = version "
      "+ 1, update_time = ?12");
  stmt.Bind(1, static_cast<int64_t>(p.year))
      .Bind(2, p.project_count_target)
      .Bind(3, p.investment_target)
      .Bind(4, p.provincial_count_target)
      .Bind(5, p.city_count_target)
      .Bind(6, p.project_count_actual)
      .Bind(7, p.total_investment_actual)
      .Bind(8, p.provincial_count_actual)
      .Bind(9, p.city_count_actual)
      .Bind(10, p.fixed_asset_investment_actual)
      .Bind(11, p.source)
      .Bind(12, ToMicros(now));
  return stmt.Run();
}

namespace {

constexpr char kPeriodColumnsSql[] =
    "year, month, closed, closed_by, close_time, reopened_by, reopen_time, "
    "reopen_reason";

PeriodRecord ReadPeriod(const Statement& s) {
  PeriodRecord p;
  p.period = absl::CivilMonth(s.Int(0), static_cast<int>(s.Int(1)));
  p.closed = s.Int(2) != 0;
  p.closed_by = s.Text(3);
  p.close_time = FromMicros(s.Int(4));
  p.reopened_by = s.Text(5);
  if (!s.IsNull(6)) p.reopen_time = FromMicros(s.Int(6));
  p.reopen_reason = s.Text(7);
  return p;
}

}  // namespace

absl::StatusOr<PeriodRecord> SqliteTx::GetPeriod(absl::CivilMonth period) {
  const std::string sql =
      absl::StrCat("SELECT ", kPeriodColumnsSql,
                   " FROM reporting_periods WHERE year = ?1 AND month = ?2");
  Statement stmt(conn_, sql.c_str());
  stmt.Bind(1, static_cast<int64_t>(period.year()))
      .Bind(2, static_cast<int64_t>(period.month()));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFound("period", FormatPeriod(period));
  return ReadPeriod(stmt);
}

absl::StatusOr<std::vector<PeriodRecord>> SqliteTx::ListPeriods(
    std::optional<int> year) {
  const std::string sql = absl::StrCat(
      "SELECT ", kPeriodColumnsSql,
      " FROM reporting_periods WHERE (?1 IS NULL OR year = ?1) ORDER BY year, "
      "month");
  Statement stmt(conn_, sql.c_str());
  stmt.Bind(1, year ? std::optional<int64_t>(*year) : std::nullopt);
  return ReadAll<PeriodRecord>(stmt, ReadPeriod);
}

absl::Status SqliteTx::PutPeriod(const PeriodRecord& p) {
  Statement stmt(
      conn_,
      "INSERT INTO reporting_periods (year, month, closed, closed_by, "
      "close_time, reopened_by, reopen_time, reopen_reason) VALUES (?1, ?2, "
      "?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (year, month) DO UPDATE SET "
      "closed = ?3, closed_by = ?4, close_time = ?5, reopened_by = ?6, "
      "reopen_time = ?7, reopen_reason = ?8");
  stmt.Bind(1, static_cast<int64_t>(p.period.year()))
      .Bind(2, static_cast<int64_t>(p.period.month()))
      .Bind(3, static_cast<int64_t>(p.closed ? 1 : 0))
      .Bind(4, p.closed_by)
      .Bind(5, ToMicros(p.close_time))
      .Bind(6, p.reopened_by)
      .Bind(7, p.reopen_time ? std::optional<int64_t>(ToMicros(*p.reopen_time))
                             : std::nullopt)
      .Bind(8, p.reopen_reason);
  RETURN_IF_ERROR(stmt.Run());
  Statement event(conn_,
                  "INSERT INTO period_events (year, month, closed, time) "
                  "VALUES (?1, ?2, ?3, ?4)");
  const absl::Time when =
      p.closed || !p.reopen_time ? p.close_time : *p.reopen_time;
  return event.Bind(1, static_cast<int64_t>(p.period.year()))
      .Bind(2, static_cast<int64_t>(p.period.month()))
      .Bind(3, static_cast<int64_t>(p.closed ? 1 : 0))
      .Bind(4, ToMicros(when))
      .Run();
}

absl::StatusOr<std::optional<std::string>> SqliteTx::GetSetting(
    absl::string_view key) {
  Statement stmt(conn_, "SELECT value FROM settings WHERE key = ?1");
  stmt.Bind(1, key);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(stmt.Text(0));
}

absl::Status SqliteTx::PutSetting(absl::string_view key,
                                  absl::string_view value) {
  Statement stmt(conn_,
                 "INSERT INTO settings (key, value) VALUES (?1, ?2) ON "
                 "CONFLICT (key) DO UPDATE SET value = ?2");
  return stmt.Bind(1, key).Bind(2, value).Run();
}

absl::StatusOr<std::optional<RequestRecord>> SqliteTx::FindRequest(
    absl::string_view principal, absl::string_view request_id) {
  Statement stmt(conn_,
                 "SELECT request, response FROM requests WHERE principal = ?1 "
                 "AND request_id = ?2");
  stmt.Bind(1, principal).Bind(2, request_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<RequestRecord>();
  return std::optional<RequestRecord>(
      RequestRecord{stmt.Blob(0), stmt.Blob(1)});
}

absl::StatusOr<absl::Time> SqliteTx::ReproducibleInstant(absl::Time wall) {
  // The newest stamp this snapshot holds; the clock knows what came after.
  Statement stmt(conn_, "SELECT micros FROM write_clock WHERE id = 1");
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::InternalError("the write_clock row is missing");
  return clock_->Instant(FromMicros(stmt.Int(0)), wall);
}

absl::Time SqliteTx::Stamp(absl::Time wall) { return clock_->Stamp(wall); }

absl::Status SqliteTx::SaveRequest(absl::string_view principal,
                                   absl::string_view request_id,
                                   const RequestRecord& record,
                                   absl::Time now) {
  Statement stmt(conn_,
                 "INSERT INTO requests (principal, request_id, request, "
                 "response, create_time) VALUES (?1, ?2, ?3, ?4, ?5)");
  stmt.Bind(1, principal)
      .Bind(2, request_id)
      .BindBlob(3, record.request)
      .BindBlob(4, record.response)
      .Bind(5, ToMicros(now));
  return stmt.Run();
}

}  // namespace portfolio::sqlite
