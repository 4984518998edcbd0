#include "storage/migrations.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace portfolio::sqlite {
namespace {

// Each entry moves the schema from version i to i+1. Never edit a migration
// that has shipped: append a new one. Times are microseconds since the Unix
// epoch (UTC); dates are 'YYYY-MM-DD' text.
constexpr const char* kMigrations[] = {
    // 1: the foundation.
    R"sql(
CREATE TABLE projects (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL CHECK (length(display_name) > 0),
  owner TEXT NOT NULL DEFAULT '',
  chapter INTEGER NOT NULL DEFAULT 0 CHECK (chapter BETWEEN 0 AND 9),
  sector TEXT NOT NULL DEFAULT '',
  park TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL DEFAULT '' CHECK (stage IN ('', 'reserve',
    'preparatory', 'new_start', 'continuing', 'completed', 'in_operation',
    'suspended')),
  total_investment INTEGER CHECK (total_investment >= 0),
  planned_start TEXT,
  planned_end TEXT,
  national_code TEXT NOT NULL DEFAULT '',
  capacity TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL
) STRICT;

CREATE TABLE project_levels (
  project_id TEXT NOT NULL REFERENCES projects(id),
  year INTEGER NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('provincial', 'city', 'district')),
  PRIMARY KEY (project_id, year)
) STRICT;
CREATE INDEX project_levels_by_year ON project_levels(year, level);

CREATE TABLE project_leads (
  project_id TEXT NOT NULL REFERENCES projects(id),
  user_id TEXT NOT NULL,
  PRIMARY KEY (project_id, user_id)
) STRICT;
CREATE INDEX project_leads_by_user ON project_leads(user_id);

CREATE TABLE annual_plans (
  project_id TEXT NOT NULL REFERENCES projects(id),
  year INTEGER NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),
  updated_by TEXT NOT NULL,
  version INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  PRIMARY KEY (project_id, year)
) STRICT;

CREATE TABLE plan_months (
  project_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
  amount INTEGER NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (project_id, year, month),
  FOREIGN KEY (project_id, year) REFERENCES annual_plans(project_id, year)
    ON DELETE CASCADE
) STRICT;

CREATE TABLE milestones (
  project_id TEXT NOT NULL REFERENCES projects(id),
  id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('start', 'structure_complete',
    'completion', 'in_operation', 'statistics_entry', 'other')),
  display_name TEXT NOT NULL,
  planned_date TEXT,
  forecast_date TEXT,
  actual_date TEXT,
  version INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  PRIMARY KEY (project_id, id)
) STRICT;

CREATE TABLE investment_entries (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  project_id TEXT NOT NULL REFERENCES projects(id),
  year INTEGER NOT NULL,
  month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
  amount INTEGER NOT NULL CHECK (amount <> 0),
  reported_by TEXT NOT NULL,
  report_time INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  corrects INTEGER REFERENCES investment_entries(id),
  reason TEXT NOT NULL DEFAULT '',
  CHECK (amount > 0 OR corrects IS NOT NULL),
  CHECK (corrects IS NULL OR length(reason) > 0)
) STRICT;
CREATE INDEX entries_by_project_period
  ON investment_entries(project_id, year, month);
CREATE INDEX entries_by_period ON investment_entries(year, month);
CREATE INDEX entries_by_corrected ON investment_entries(corrects);

-- The ledger is append-only: the database itself refuses edits.
CREATE TRIGGER investment_entries_no_update
  BEFORE UPDATE ON investment_entries
  BEGIN SELECT RAISE(ABORT, 'investment ledger is append-only'); END;
CREATE TRIGGER investment_entries_no_delete
  BEFORE DELETE ON investment_entries
  BEGIN SELECT RAISE(ABORT, 'investment ledger is append-only'); END;

CREATE TABLE indicators (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL CHECK (length(display_name) > 0),
  unit TEXT NOT NULL DEFAULT '',
  chapter INTEGER NOT NULL DEFAULT 0 CHECK (chapter BETWEEN 0 AND 9),
  kind TEXT NOT NULL DEFAULT '' CHECK (kind IN ('', 'amount', 'count',
    'growth_rate', 'share', 'physical_quantity')),
  version INTEGER NOT NULL,
  update_time INTEGER NOT NULL
) STRICT;

CREATE TABLE indicator_targets (
  indicator_id TEXT NOT NULL REFERENCES indicators(id),
  year INTEGER NOT NULL,
  comparator TEXT NOT NULL CHECK (comparator IN ('at_least', 'about',
    'at_most', 'exactly')),
  value TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (indicator_id, year)
) STRICT;

CREATE TABLE indicator_values (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  indicator_id TEXT NOT NULL REFERENCES indicators(id),
  year INTEGER NOT NULL,
  month INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
  value TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  recorded_by TEXT NOT NULL,
  record_time INTEGER NOT NULL
) STRICT;
CREATE INDEX indicator_values_by_indicator ON indicator_values(indicator_id);
CREATE TRIGGER indicator_values_no_update
  BEFORE UPDATE ON indicator_values
  BEGIN SELECT RAISE(ABORT, 'indicator values are append-only'); END;
CREATE TRIGGER indicator_values_no_delete
  BEFORE DELETE ON indicator_values
  BEGIN SELECT RAISE(ABORT, 'indicator values are append-only'); END;

CREATE TABLE portfolios (
  year INTEGER PRIMARY KEY,
  project_count_target INTEGER,
  investment_target INTEGER,
  provincial_count_target INTEGER,
  city_count_target INTEGER,
  project_count_actual INTEGER,
  total_investment_actual INTEGER,
  provincial_count_actual INTEGER,
  city_count_actual INTEGER,
  fixed_asset_investment_actual INTEGER,
  source TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL,
  update_time INTEGER NOT NULL
) STRICT;

-- Request ids with the request they came with and the answer given,
-- written in the same transaction as the write they guard.
CREATE TABLE requests (
  principal TEXT NOT NULL,
  request_id TEXT NOT NULL,
  request BLOB NOT NULL,
  response BLOB NOT NULL,
  create_time INTEGER NOT NULL,
  PRIMARY KEY (principal, request_id)
) STRICT;
)sql",
    // 2: settings the server keeps about the database itself, such as
    // whether it has been seeded.
    R"sql(
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
)sql",
    // 3: who may do what, and the audit trail.
    R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'lead', 'viewer',
    'service')),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  version INTEGER NOT NULL,
  create_time INTEGER NOT NULL
) STRICT;

-- Only a SHA-256 of each token's secret is kept.
CREATE TABLE tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  display_name TEXT NOT NULL DEFAULT '',
  secret_hash BLOB NOT NULL,
  create_time INTEGER NOT NULL,
  expire_time INTEGER,
  last_use_time INTEGER,
  revoke_time INTEGER
) STRICT;
CREATE INDEX tokens_by_user ON tokens(user_id);

CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  method TEXT NOT NULL,
  resource TEXT NOT NULL,
  request_id TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL
) STRICT;
CREATE INDEX audit_events_by_user ON audit_events(user_id, seq);
CREATE INDEX audit_events_by_resource ON audit_events(resource, seq);
CREATE INDEX audit_events_by_time ON audit_events(time);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql",
    // 4: reporting periods (填报期) closed and reopened by the command centre.
    R"sql(
CREATE TABLE reporting_periods (
  year INTEGER NOT NULL,
  month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
  closed INTEGER NOT NULL CHECK (closed IN (0, 1)),
  closed_by TEXT NOT NULL,
  close_time INTEGER NOT NULL,
  reopened_by TEXT NOT NULL DEFAULT '',
  reopen_time INTEGER,
  reopen_reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (year, month)
) STRICT;
)sql",
    // 5: history, so a summary can be computed as it stood at any instant:
    // plan revisions (baseline = revision 1), every state of every
    // milestone and problem, and every closing and reopening of a month.
    // Existing plans, milestones and periods enter history in their
    // current state (earlier states were not kept before this version).
    R"sql(
CREATE TABLE plan_revisions (
  project_id TEXT NOT NULL REFERENCES projects(id),
  year INTEGER NOT NULL,
  revision INTEGER NOT NULL CHECK (revision >= 1),
  amount INTEGER NOT NULL CHECK (amount > 0),
  reason TEXT NOT NULL DEFAULT '',
  updated_by TEXT NOT NULL,
  update_time INTEGER NOT NULL,
  PRIMARY KEY (project_id, year, revision)
) STRICT;
CREATE TABLE plan_revision_months (
  project_id TEXT NOT NULL,
  year INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
  amount INTEGER NOT NULL CHECK (amount >= 0),
  PRIMARY KEY (project_id, year, revision, month),
  FOREIGN KEY (project_id, year, revision)
    REFERENCES plan_revisions(project_id, year, revision)
) STRICT;
INSERT INTO plan_revisions (project_id, year, revision, amount, reason,
    updated_by, update_time)
  SELECT project_id, year, 1, amount, '', updated_by, update_time
  FROM annual_plans;
INSERT INTO plan_revision_months (project_id, year, revision, month, amount)
  SELECT project_id, year, 1, month, amount FROM plan_months;
CREATE TRIGGER plan_revisions_no_update BEFORE UPDATE ON plan_revisions
  BEGIN SELECT RAISE(ABORT, 'plan revisions are append-only'); END;
CREATE TRIGGER plan_revisions_no_delete BEFORE DELETE ON plan_revisions
  BEGIN SELECT RAISE(ABORT, 'plan revisions are append-only'); END;
CREATE TRIGGER plan_revision_months_no_update
  BEFORE UPDATE ON plan_revision_months
  BEGIN SELECT RAISE(ABORT, 'plan revisions are append-only'); END;
CREATE TRIGGER plan_revision_months_no_delete
  BEFORE DELETE ON plan_revision_months
  BEGIN SELECT RAISE(ABORT, 'plan revisions are append-only'); END;

CREATE TABLE milestone_history (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  planned_date TEXT,
  actual_date TEXT,
  update_time INTEGER NOT NULL,
  PRIMARY KEY (project_id, id, version),
  FOREIGN KEY (project_id, id) REFERENCES milestones(project_id, id)
) STRICT;
INSERT INTO milestone_history (project_id, id, version, kind, planned_date,
    actual_date, update_time)
  SELECT project_id, id, version, kind, planned_date, actual_date,
    update_time FROM milestones;

CREATE TABLE problems (
  project_id TEXT NOT NULL REFERENCES projects(id),
  id TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('land', 'planning',
    'environmental_approval', 'energy', 'funding', 'demolition', 'power',
    'water_and_gas', 'other')),
  description TEXT NOT NULL CHECK (length(description) > 0),
  responsible_unit TEXT NOT NULL DEFAULT '',
  deadline TEXT,
  escalation TEXT NOT NULL CHECK (escalation IN ('district', 'city',
    'province')),
  state TEXT NOT NULL CHECK (state IN ('open', 'assigned', 'resolved')),
  resolution TEXT NOT NULL DEFAULT '',
  opened_by TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  assigned_by TEXT NOT NULL DEFAULT '',
  assign_time INTEGER,
  resolved_by TEXT NOT NULL DEFAULT '',
  resolve_time INTEGER,
  version INTEGER NOT NULL,
  update_time INTEGER NOT NULL,
  PRIMARY KEY (project_id, id)
) STRICT;
CREATE INDEX problems_by_time ON problems(create_time);
CREATE TABLE problem_history (
  project_id TEXT NOT NULL,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  deadline TEXT,
  resolve_time INTEGER,
  update_time INTEGER NOT NULL,
  PRIMARY KEY (project_id, id, version),
  FOREIGN KEY (project_id, id) REFERENCES problems(project_id, id)
) STRICT;

CREATE TABLE period_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  year INTEGER NOT NULL,
  month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
  closed INTEGER NOT NULL CHECK (closed IN (0, 1)),
  time INTEGER NOT NULL
) STRICT;
CREATE INDEX period_events_by_year ON period_events(year, time);
INSERT INTO period_events (year, month, closed, time)
  SELECT year, month, 1, close_time FROM reporting_periods;
INSERT INTO period_events (year, month, closed, time)
  SELECT year, month, 0, reopen_time FROM reporting_periods
  WHERE reopen_time IS NOT NULL;

CREATE TRIGGER milestone_history_no_update BEFORE UPDATE ON milestone_history
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER milestone_history_no_delete BEFORE DELETE ON milestone_history
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER problem_history_no_update BEFORE UPDATE ON problem_history
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER problem_history_no_delete BEFORE DELETE ON problem_history
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER period_events_no_update BEFORE UPDATE ON period_events
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER period_events_no_delete BEFORE DELETE ON period_events
  BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
)sql",
    // 6: progress marks. Every change to what a project's progress is
    // computed from stamps the project with the next number, so a server
    // holding evaluated progress can tell which projects to re-read since
    // the number it last saw. Triggers, not the code that writes, keep the
    // marks: no write path can forget one.
    R"sql(
CREATE TABLE progress_marks (
  project_id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX progress_marks_by_seq ON progress_marks(seq);
CREATE TRIGGER projects_mark_insert AFTER INSERT ON projects
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER projects_mark_update AFTER UPDATE ON projects
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER projects_mark_delete AFTER DELETE ON projects
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (OLD.id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER project_levels_mark_insert AFTER INSERT ON project_levels
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER project_levels_mark_update AFTER UPDATE ON project_levels
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER project_levels_mark_delete AFTER DELETE ON project_levels
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (OLD.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER project_leads_mark_insert AFTER INSERT ON project_leads
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER project_leads_mark_update AFTER UPDATE ON project_leads
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER project_leads_mark_delete AFTER DELETE ON project_leads
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (OLD.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER annual_plans_mark_insert AFTER INSERT ON annual_plans
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER annual_plans_mark_update AFTER UPDATE ON annual_plans
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER annual_plans_mark_delete AFTER DELETE ON annual_plans
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (OLD.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER plan_months_mark_insert AFTER INSERT ON plan_months
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER plan_months_mark_update AFTER UPDATE ON plan_months
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER plan_months_mark_delete AFTER DELETE ON plan_months
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (OLD.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER plan_revisions_mark_insert AFTER INSERT ON plan_revisions
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER plan_revision_months_mark_insert AFTER INSERT ON plan_revision_months
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER milestones_mark_insert AFTER INSERT ON milestones
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER milestones_mark_update AFTER UPDATE ON milestones
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER milestones_mark_delete AFTER DELETE ON milestones
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (OLD.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER investment_entries_mark_insert AFTER INSERT ON investment_entries
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER problems_mark_insert AFTER INSERT ON problems
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER problems_mark_update AFTER UPDATE ON problems
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER problems_mark_delete AFTER DELETE ON problems
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (OLD.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
CREATE TRIGGER problem_history_mark_insert AFTER INSERT ON problem_history
  BEGIN INSERT INTO progress_marks (project_id, seq) VALUES (NEW.project_id,
    (SELECT COALESCE(MAX(seq), 0) + 1 FROM progress_marks))
    ON CONFLICT (project_id) DO UPDATE SET seq = excluded.seq; END;
)sql",
    // 7: covering indexes for the progress query. A whole read of a
    // province's progress looks up, for each project, its ledger sum,
    // monthly plan, levels and milestones; with every column it needs in
    // the index, each is a range of one index, not an index seek then a
    // table row per match.
    R"sql(
CREATE INDEX entries_progress
  ON investment_entries(project_id, year, month, report_time, amount);
DROP INDEX entries_by_project_period;
CREATE INDEX plan_months_progress ON plan_months(project_id, year, month, amount);
CREATE INDEX project_levels_progress ON project_levels(project_id, year, level);
CREATE INDEX milestones_progress
  ON milestones(project_id, planned_date, id, kind, actual_date);
)sql",
    // 8: no index by resource on the audit trail. No query could use it
    // (a project's events are a prefix match, read in key order), and
    // keeping it cost every audited write a page at a random place in it,
    // written to the WAL at each commit: without it, durable LogInvestment
    // at 64 callers went from about 9.5k to 11-12k calls/s. IF EXISTS: a
    // file made by hand for an upgrade test may lack it.
    R"sql(
DROP INDEX IF EXISTS audit_events_by_resource;
)sql",
    // 9: no index by period on the ledger. No query reads it (listing a
    // period's entries scans in id order, as its page order requires; the
    // progress queries go through entries_progress by project), and every
    // entry written cost a page of it in the commit's log, one for each
    // month the batch touched. IF EXISTS, as for 8.
    R"sql(
DROP INDEX IF EXISTS entries_by_period;
)sql",
    // 10: the corrections index holds corrections only. Its one reader asks
    // for the corrections of an entry (corrects = ?), which only a
    // correction can match, so the partial index answers it in full; an
    // ordinary entry, nearly every write, no longer inserts a key into it.
    R"sql(
DROP INDEX IF EXISTS entries_by_corrected;
CREATE INDEX entries_by_corrected ON investment_entries(corrects)
  WHERE corrects IS NOT NULL;
)sql",
    // 11: an accepted call's audit event keeps the request itself (protobuf
    // bytes, without its request id or uploaded contents), rendered as JSON
    // when the event is read. Rendering it on every write took 5% of the
    // server's CPU at month-end rates, for events mostly never read.
    // Events recorded before keep their JSON in detail.
    R"sql(
ALTER TABLE audit_events ADD COLUMN request BLOB;
)sql",
    // 12: a ledger entry is its own progress mark. The ledger is
    // append-only and each entry's id is above every earlier one, so the
    // projects given entries since a mark are those of the entries with a
    // higher id (StoreReader::ProjectsMarkedAfter). The trigger stamping
    // progress_marks on every entry cost each LogInvestment two more pages
    // at random places at province scale (the project's mark, and the old
    // stamp in the index by seq).
    R"sql(
DROP TRIGGER IF EXISTS investment_entries_mark_insert;
)sql",
    // 13: what 12 relies on, held by the database: an entry takes an id
    // above every entry's. The server never gives one (AUTOINCREMENT does);
    // this refuses any other program that would. The check is a seek to
    // the ledger's last page, which the insert has just written.
    R"sql(
CREATE TRIGGER investment_entries_ids_ascend
  AFTER INSERT ON investment_entries
  WHEN EXISTS (SELECT 1 FROM investment_entries WHERE id > NEW.id)
  BEGIN SELECT RAISE(ABORT,
    'ledger entries take ascending ids (progress marks rely on it)'); END;
)sql",
    // 14: the ledger's size, every entry's absolute amount summed, which
    // StoreWriter::AppendEntry keeps below kMaxLedgerMagnitude so that no
    // sum of entries overflows. A file whose entries already pass it
    // (written before this) starts at the cap, TOTAL being a float sum that
    // cannot fail, and takes no more entries.
    R"sql(
CREATE TABLE ledger_extent (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  magnitude INTEGER NOT NULL CHECK (magnitude >= 0)
) STRICT;
INSERT INTO ledger_extent (id, magnitude)
  SELECT 1, CAST(MIN(TOTAL(abs(amount)), 9000000000000000000.0) AS INTEGER)
  FROM investment_entries;
)sql",
    // 15: the newest stamp (StoreWriter::Stamp) the database holds, set in
    // each transaction that takes one, so that a read knows which writes
    // its snapshot holds (StoreReader::ReproducibleInstant). Everything
    // written before this was committed before it, so it starts at 0.
    R"sql(
CREATE TABLE write_clock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  micros INTEGER NOT NULL
) STRICT;
INSERT INTO write_clock (id, micros) VALUES (1, 0);
)sql",
};

constexpr int kMigrationCount = sizeof(kMigrations) / sizeof(kMigrations[0]);

absl::StatusOr<int> UserVersion(Connection& conn) {
  Statement stmt(conn, "PRAGMA user_version");
  absl::StatusOr<bool> row = stmt.Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(stmt.Int(0));
}

}  // namespace

int LatestSchemaVersion() { return kMigrationCount; }

absl::Status Migrate(Connection& conn) {
  absl::StatusOr<int> version = UserVersion(conn);
  if (!version.ok()) return version.status();
  if (*version > kMigrationCount) {
    return absl::FailedPreconditionError(absl::StrCat(
        "database schema version ", *version, " is newer than this build (",
        kMigrationCount, "); upgrade portfolio-server"));
  }
  for (int v = *version; v < kMigrationCount; ++v) {
    absl::Status status = conn.Exec("BEGIN IMMEDIATE");
    if (status.ok()) status = conn.Exec(kMigrations[v]);
    if (status.ok()) {
      // PRAGMA takes no bound parameters; the value is our own integer.
      const std::string pragma = absl::StrCat("PRAGMA user_version = ", v + 1);
      status = conn.Exec(pragma.c_str());
    }
    if (status.ok()) status = conn.Exec("COMMIT");
    if (!status.ok()) {
      conn.Exec("ROLLBACK").IgnoreError();
      return absl::Status(status.code(), absl::StrCat("migration ", v + 1, ": ",
                                                      status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace portfolio::sqlite
