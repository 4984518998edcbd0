// The storage interface: everything the server keeps, behind one seam with
// one contract test suite (tests/storage/store_contract_test.cc).
#ifndef PORTFOLIO_STORAGE_STORE_H_
#define PORTFOLIO_STORAGE_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/records.h"

namespace portfolio {

// Reads within one consistent snapshot. Valid only inside the Store::Read or
// Store::Write callback that handed it out; not thread-safe.
// Every method returns UNAVAILABLE when the database is busy past its
// timeout and INTERNAL on a storage fault.
class StoreReader {
 public:
  virtual ~StoreReader() = default;

  // NOT_FOUND when no project has `id`.
  virtual absl::StatusOr<ProjectRecord> GetProject(absl::string_view id) = 0;
  // OK when a project has `id`, else NOT_FOUND as from GetProject. For a
  // write that needs only the project to exist: it reads one index entry,
  // where GetProject also gathers the project's levels and leads.
  virtual absl::Status CheckProjectExists(absl::string_view id) = 0;
  // The page of q.limit projects matching q.filter in q's order, from
  // q.offset (or after q.after_id, ordered by id), and how many match in
  // all (not only after q.after_id).
  virtual absl::StatusOr<ProjectPage> ListProjects(const ProjectQuery& q) = 0;

  // NOT_FOUND when the project has no plan for `year`.
  virtual absl::StatusOr<PlanRecord> GetPlan(absl::string_view project_id,
                                             int year) = 0;
  // The project's plans, oldest year first (empty when none).
  virtual absl::StatusOr<std::vector<PlanRecord>> ListPlans(
      absl::string_view project_id) = 0;
  // Every revision of a year's plan, the baseline (revision 1) first.
  // NOT_FOUND when the project has no plan for `year`.
  virtual absl::StatusOr<std::vector<PlanRecord>> ListPlanRevisions(
      absl::string_view project_id, int year) = 0;

  // NOT_FOUND when absent.
  virtual absl::StatusOr<MilestoneRecord> GetMilestone(
      absl::string_view project_id, absl::string_view id) = 0;
  // Ordered by project, then planned date (undated last), then id.
  virtual absl::StatusOr<std::vector<MilestoneRecord>> ListMilestones(
      const MilestoneQuery& q) = 0;

  // NOT_FOUND when absent.
  virtual absl::StatusOr<EntryRecord> GetEntry(int64_t id) = 0;
  virtual absl::StatusOr<EntryPage> ListEntries(const EntryQuery& q) = 0;
  // An entry's amount plus every correction of it. NOT_FOUND when absent.
  virtual absl::StatusOr<int64_t> EffectiveAmount(int64_t entry_id) = 0;
  // The earliest original entry of the project's month whose amount is
  // `amount` and still stands at it (its corrections, if any, sum to 0);
  // nullopt when there is none.
  virtual absl::StatusOr<std::optional<EntryRecord>> StandingEntryOf(
      absl::string_view project_id, absl::CivilMonth period,
      int64_t amount) = 0;
  // Sum of all the project's ledger entries, every year.
  virtual absl::StatusOr<int64_t> ProjectLedgerTotal(
      absl::string_view project_id) = 0;

  // NOT_FOUND when absent. Targets and values filled.
  virtual absl::StatusOr<IndicatorRecord> GetIndicator(
      absl::string_view id) = 0;
  // Ordered by chapter, then id.
  virtual absl::StatusOr<std::vector<IndicatorRecord>> ListIndicators(
      const IndicatorQuery& q) = 0;

  // NOT_FOUND when absent.
  virtual absl::StatusOr<PortfolioRecord> GetPortfolio(int year) = 0;
  // Ordered by year.
  virtual absl::StatusOr<std::vector<PortfolioRecord>> ListPortfolios() = 0;

  // One row per project matching the filter (and, with q.active_only, not
  // finished before q.year), ordered by id, computed in SQL. The server
  // reads it for questions with known_at (history); the others it computes
  // from ReadYearInputs with DeriveProgress (storage/year_inputs.h), which
  // must give the same rows, and is tested against this.
  virtual absl::StatusOr<std::vector<ProgressRow>> ListProgress(
      const ProgressQuery& q) = 0;
  // Calls `each` for every project matching `filter` (finished or not), in
  // id order, with its inputs for `year` on the latest plan revisions or
  // (`baseline`) on revision 1, as they stand in this snapshot; `each` may
  // move from its argument. First calls `reserve` once with at least the
  // number of calls to come, so a caller can make room before they do.
  // Streamed rather than returned: a province's inputs and the rows made
  // from them are never all resident twice. Errors: the store's.
  virtual absl::Status ReadYearInputs(
      const ProjectFilter& filter, int year, bool baseline,
      absl::FunctionRef<void(size_t)> reserve,
      absl::FunctionRef<void(ProjectYearInputs&)> each) = 0;
  // This snapshot's progress mark ({0, 0} for an empty database). Every
  // change to what a project's ProgressRow is read from (its record,
  // levels, leads, plans and their revisions, milestones, problems) stamps
  // the project with a number above every earlier stamp, in the same
  // transaction; a ledger entry, its id.
  virtual absl::StatusOr<ProgressMark> LatestProgressMark() = 0;
  // The ids of the projects stamped, or given ledger entries, after
  // `mark`, ordered, at most `limit` of them (a caller asks for one more
  // than it will handle to learn that there are more).
  virtual absl::StatusOr<std::vector<std::string>> ProjectsMarkedAfter(
      const ProgressMark& mark, int64_t limit) = 0;
  // What ProjectsMarkedAfter names, told apart: the projects stamped
  // after mark.marks (ordered, at most `stamp_limit`), and the ledger
  // entries after mark.entries (in id order, at most `entry_limit`), each
  // with its project, year, month and amount. A project given entries and
  // not stamped has changed only by what they add to its months, so its
  // year of inputs can be brought up to date without reading it again.
  // When the stamps fill `stamp_limit`, no entries are read (`entries` is
  // empty): a caller asking one more than it handles will not use them.
  virtual absl::StatusOr<ProgressChanges> ProgressChangesAfter(
      const ProgressMark& mark, int64_t stamp_limit, int64_t entry_limit) = 0;

  // NOT_FOUND when absent.
  virtual absl::StatusOr<UserRecord> GetUser(absl::string_view id) = 0;
  // Ordered by id.
  virtual absl::StatusOr<std::vector<UserRecord>> ListUsers(int64_t offset,
                                                            int64_t limit) = 0;
  // The ids of the projects listing `user_id` as a lead, ordered.
  virtual absl::StatusOr<std::vector<std::string>> ProjectsLedBy(
      absl::string_view user_id) = 0;
  // Whether `project_id` lists `user_id` as a lead (false for an unknown
  // project).
  virtual absl::StatusOr<bool> IsLead(absl::string_view project_id,
                                      absl::string_view user_id) = 0;
  // NOT_FOUND when absent.
  virtual absl::StatusOr<TokenRecord> GetToken(absl::string_view id) = 0;
  // Ordered by creation, oldest first; all users' when `user_id` is unset.
  virtual absl::StatusOr<std::vector<TokenRecord>> ListTokens(
      const std::optional<std::string>& user_id, int64_t offset,
      int64_t limit) = 0;
  // Newest first, or oldest first with q.oldest_first.
  virtual absl::StatusOr<std::vector<AuditRecord>> ListAudit(
      const AuditQuery& q) = 0;

  // NOT_FOUND when absent.
  virtual absl::StatusOr<ProblemRecord> GetProblem(absl::string_view project_id,
                                                   absl::string_view id) = 0;
  // Ordered by creation time, then project and id.
  virtual absl::StatusOr<ProblemPage> ListProblems(const ProblemQuery& q) = 0;

  // NOT_FOUND when the month was never closed.
  virtual absl::StatusOr<PeriodRecord> GetPeriod(absl::CivilMonth period) = 0;
  // Months ever closed, oldest first; only `year`'s when set.
  virtual absl::StatusOr<std::vector<PeriodRecord>> ListPeriods(
      std::optional<int> year) = 0;
  // The months of `year` that were closed at instant `at` (closed at or
  // before it and not reopened since), ascending.
  virtual absl::StatusOr<std::vector<int>> ClosedMonthsAt(int year,
                                                          absl::Time at) = 0;

  // The value of a database setting, or nullopt when it was never set.
  virtual absl::StatusOr<std::optional<std::string>> GetSetting(
      absl::string_view key) = 0;

  // The record of an earlier request under (principal, request_id), or
  // nullopt when the id is unused.
  virtual absl::StatusOr<std::optional<RequestRecord>> FindRequest(
      absl::string_view principal, absl::string_view request_id) = 0;

  // An instant this snapshot reflects exactly, for a read made at wall time
  // `wall`: every write stamped (StoreWriter::Stamp) at or before it is in
  // the snapshot, and every write the snapshot misses is stamped after it,
  // whenever it commits. So a later read "as known at" this instant counts
  // what this one counts. Usually `wall`; earlier while a write the
  // snapshot misses is being committed. Errors: the store's.
  virtual absl::StatusOr<absl::Time> ReproducibleInstant(absl::Time wall) = 0;
};

// Reads and writes inside one transaction. Valid only inside the
// Store::Write callback; not thread-safe. Nothing is durable until the
// callback returns OK and the commit succeeds.
class StoreWriter : public StoreReader {
 public:
  // The instant to record a change made at wall time `wall` with, for
  // everything that reads "as known at" an instant (project creation, plan
  // revisions, ledger entries, milestone dates, problems, period closings):
  // `wall`, to the microsecond, unless that is not after every stamp of
  // the writes committed before this one's transaction and every instant
  // ReproducibleInstant has reported, then a microsecond after them. Taken
  // inside the write, never before it is queued: a stamp taken earlier
  // could fall before an instant a read reports while the write waits.
  virtual absl::Time Stamp(absl::Time wall) = 0;

  // ALREADY_EXISTS when the id is taken. Sets version 1 and both times.
  virtual absl::Status InsertProject(const ProjectRecord& p,
                                     absl::Time now) = 0;
  // Replaces every field of the project named by p.id, bumps its version.
  // NOT_FOUND when absent.
  virtual absl::Status UpdateProject(const ProjectRecord& p,
                                     absl::Time now) = 0;
  // Sets a year's plan (12 monthly amounts required): the first time as
  // revision 1, the baseline; later, when amount or split differ, as the
  // next revision with plan.revision_reason (the caller checks there is
  // one). Setting the same figures again writes nothing. Every revision
  // is kept. NOT_FOUND when the project is absent.
  virtual absl::Status PutPlan(const PlanRecord& plan, absl::Time now) = 0;
  // ALREADY_EXISTS when the id is taken; NOT_FOUND without the project.
  virtual absl::Status InsertMilestone(const MilestoneRecord& m,
                                       absl::Time now) = 0;
  // Replaces the milestone's fields, bumps its version. NOT_FOUND when absent.
  virtual absl::Status UpdateMilestone(const MilestoneRecord& m,
                                       absl::Time now) = 0;
  // The next milestone id for the project: m<N+1>, N the largest number of
  // an id of the form m<N> in use (m1 when none), so ids are never reused.
  virtual absl::StatusOr<std::string> NextMilestoneId(
      absl::string_view project_id) = 0;
  // Appends to the ledger and returns the new entry's id. The database
  // refuses (FAILED_PRECONDITION) a zero amount, a negative amount that is
  // not a correction, and any later UPDATE or DELETE of an entry; and
  // FAILED_PRECONDITION, its message beginning "amount: ", an entry that
  // would take the ledger's size (every entry's absolute amount, summed)
  // past kMaxLedgerMagnitude, so that no sum of entries can overflow.
  virtual absl::StatusOr<int64_t> AppendEntry(const EntryRecord& e) = 0;

  // ALREADY_EXISTS when the id is taken.
  virtual absl::Status InsertIndicator(const IndicatorRecord& i,
                                       absl::Time now) = 0;
  // Replaces name, unit, chapter, kind and targets (values are kept).
  virtual absl::Status UpdateIndicator(const IndicatorRecord& i,
                                       absl::Time now) = 0;
  // Appends a value to the indicator's history; bumps its version.
  virtual absl::Status AppendIndicatorValue(absl::string_view indicator_id,
                                            const IndicatorValueRecord& v) = 0;
  // Creates or replaces a year's portfolio; bumps its version.
  virtual absl::Status PutPortfolio(const PortfolioRecord& p,
                                    absl::Time now) = 0;

  // ALREADY_EXISTS when the id is taken. Sets version 1.
  virtual absl::Status InsertUser(const UserRecord& u) = 0;
  // Replaces display name, role and disabled; bumps the version.
  // NOT_FOUND when absent.
  virtual absl::Status UpdateUser(const UserRecord& u) = 0;
  // ALREADY_EXISTS when the id is taken; NOT_FOUND without the user.
  virtual absl::Status InsertToken(const TokenRecord& t) = 0;
  // Records a use of a token that is not revoked (a revoked one is left
  // alone, so a late write can never undo a revocation).
  virtual absl::Status TouchToken(absl::string_view id, absl::Time now) = 0;
  // Revokes a token; a revoked one keeps its first revocation time.
  // NOT_FOUND when absent.
  virtual absl::Status RevokeToken(absl::string_view id, absl::Time now) = 0;
  // Appends to the audit trail; returns the event's number. The database
  // refuses any later UPDATE or DELETE of an event.
  virtual absl::StatusOr<int64_t> AppendAudit(const AuditRecord& e) = 0;

  // ALREADY_EXISTS when the id is taken; NOT_FOUND without the project.
  // Sets version 1 and update_time; create_time is taken from `p`.
  virtual absl::Status InsertProblem(const ProblemRecord& p,
                                     absl::Time now) = 0;
  // Replaces the problem's mutable fields (unit, deadline, escalation,
  // state, resolution, assigned/resolved by and time) and bumps its
  // version; the state as of `now` is kept for ListProgress's known_at.
  // NOT_FOUND when absent.
  virtual absl::Status UpdateProblem(const ProblemRecord& p,
                                     absl::Time now) = 0;
  // The next problem id for the project: q<N+1>, never reused.
  virtual absl::StatusOr<std::string> NextProblemId(
      absl::string_view project_id) = 0;

  // Creates or replaces a reporting month's record, and logs the closing
  // or reopening (at close_time or reopen_time) for ClosedMonthsAt.
  virtual absl::Status PutPeriod(const PeriodRecord& p) = 0;

  // Sets a database setting, replacing any earlier value.
  virtual absl::Status PutSetting(absl::string_view key,
                                  absl::string_view value) = 0;

  // Remembers the request and its response; ALREADY_EXISTS when the id was
  // used before.
  virtual absl::Status SaveRequest(absl::string_view principal,
                                   absl::string_view request_id,
                                   const RequestRecord& record,
                                   absl::Time now) = 0;
};

// A write for Store::WriteAsync: runs on the store's writer thread.
using WriteFn = absl::AnyInvocable<absl::Status(StoreWriter&)>;
// Told a WriteAsync's outcome, once, on the store's answering thread.
using WriteDone = absl::AnyInvocable<void(absl::Status)>;

// A database. Thread-safe: reads run concurrently on their own snapshots;
// writes are serialised through one writer. Destroying the store finishes
// every write already queued (each `done` is called) before it returns;
// no Write or WriteAsync may start after destruction has begun, except
// from a `done` of a queued write.
class Store {
 public:
  virtual ~Store() = default;
  // Runs `fn` over a consistent snapshot. Returns fn's status.
  virtual absl::Status Read(
      absl::FunctionRef<absl::Status(StoreReader&)> fn) = 0;
  // Runs `fn` in a transaction, committed durably when fn returns OK and
  // rolled back otherwise. Returns fn's status, or the commit's failure, or
  // UNAVAILABLE when other writes hold the writer past the busy timeout.
  // Blocks the calling thread until the outcome is known; `fn` may run on
  // another thread meanwhile. Must not be called from inside a write's
  // `fn` (INTERNAL: it would wait for itself) or `done` (INTERNAL: every
  // later answer would wait for it).
  virtual absl::Status Write(
      absl::FunctionRef<absl::Status(StoreWriter&)> fn) = 0;
  // Write without blocking: queues `fn` and returns at once. Later, on the
  // store's writer thread, `fn` runs in a transaction as for Write; then,
  // on the store's one answering thread (so that the next writes run
  // meanwhile), `done` is called exactly once with what Write would have
  // returned, and only once that outcome is final: an OK is durable before
  // `done` hears of it. Dones are called in the order their writes were
  // queued. A write still queued when the busy timeout has passed is
  // answered UNAVAILABLE without running. The store owns both callables
  // until it has called `done`, and destroys them after. `done` should be
  // quick (later answers wait for it) and must not call Write; it may call
  // WriteAsync.
  virtual void WriteAsync(WriteFn fn, WriteDone done) = 0;
  // Writes a consistent copy of the database to `path` (replacing it) with
  // SQLite's online backup, while reads and writes go on. UNAVAILABLE when
  // the file cannot be written.
  virtual absl::Status Backup(const std::string& path) = 0;
  // A number that grows once a write that added or changed a user or a
  // token (its role, disabled flag, expiry or revocation; not its last use)
  // has committed, before that write's caller hears of it, so a caller
  // holding what it read about users and tokens knows when to read again:
  // read the number first, then the store, and keep what was read under
  // that number; once such a change is acknowledged, the number has moved
  // past it. Counts writes made through this Store only: the server owns
  // its database file. Thread-safe.
  virtual int64_t AccessVersion() const = 0;
};

struct SqliteStoreOptions {
  // Path of the database file. Required.
  std::string path;
  // Create the file when it does not exist. Default: true.
  bool create = true;
  // How long a statement waits on a lock before UNAVAILABLE. Default 5 s.
  int busy_timeout_ms = 5000;
};

// Opens a SQLite database and brings its schema up to date (numbered
// migrations under PRAGMA user_version). UNAVAILABLE when the file cannot be
// opened; FAILED_PRECONDITION when it was written by a newer version.
absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(
    const SqliteStoreOptions& options);

}  // namespace portfolio

#endif  // PORTFOLIO_STORAGE_STORE_H_
