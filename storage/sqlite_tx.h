// The SQLite implementation of StoreWriter over one connection. Internal to
// storage/: the server sees only store.h.
#ifndef PORTFOLIO_STORAGE_SQLITE_TX_H_
#define PORTFOLIO_STORAGE_SQLITE_TX_H_

#include <optional>
#include <string>
#include <vector>

#include "common/status_macros.h"
#include "storage/sqlite.h"
#include "storage/store.h"
#include "storage/write_clock.h"

namespace portfolio::sqlite {

// The statement ListProgress runs for `q` (parameters ?1..?19 bound by
// it). Exposed so a test can hold its query plan to account: every table
// but projects is reached through an index, whatever the data.
std::string ProgressSql(const ProgressQuery& q);

// StoreReader::ProjectsMarkedAfter's statement: ?1 the mark's stamp, ?2
// its entry id, ?3 the limit. Here for the query-plan test.
extern const char kProjectsMarkedAfterSql[];
// StoreReader::ProgressChangesAfter's statements: ?1 the mark's stamp
// (kProjectsStampedAfterSql) or entry id (kEntriesAfterSql), ?2 the
// limit.
extern const char kProjectsStampedAfterSql[];
extern const char kEntriesAfterSql[];

// The statement ListAudit runs for `q` (parameters ?1..?7, each bound only
// when its filter is set). Exposed so a test can check that a page of the
// trail is read in key order, never sorted whole.
std::string AuditSql(const AuditQuery& q);

// Statements over a connection on which the caller has begun a transaction.
// Not thread-safe. Does not own the connection.
class SqliteTx final : public StoreWriter {
 public:
  // `clock` (not owned, not null) stamps the writes and reports a read's
  // instant; it must outlive the transaction.
  SqliteTx(Connection& conn, WriteClock* clock) : conn_(conn), clock_(clock) {}

  // StoreReader
  absl::StatusOr<ProjectRecord> GetProject(absl::string_view id) override;
  absl::Status CheckProjectExists(absl::string_view id) override;
  absl::StatusOr<ProjectPage> ListProjects(const ProjectQuery& q) override;
  absl::StatusOr<PlanRecord> GetPlan(absl::string_view project_id,
                                     int year) override;
  absl::StatusOr<std::vector<PlanRecord>> ListPlans(
      absl::string_view project_id) override;
  absl::StatusOr<std::vector<PlanRecord>> ListPlanRevisions(
      absl::string_view project_id, int year) override;
  absl::StatusOr<MilestoneRecord> GetMilestone(absl::string_view project_id,
                                               absl::string_view id) override;
  absl::StatusOr<ProblemRecord> GetProblem(absl::string_view project_id,
                                           absl::string_view id) override;
  absl::StatusOr<ProblemPage> ListProblems(const ProblemQuery& q) override;
  absl::StatusOr<std::vector<MilestoneRecord>> ListMilestones(
      const MilestoneQuery& q) override;
  absl::StatusOr<EntryRecord> GetEntry(int64_t id) override;
  absl::StatusOr<EntryPage> ListEntries(const EntryQuery& q) override;
  absl::StatusOr<int64_t> EffectiveAmount(int64_t entry_id) override;
  absl::StatusOr<std::optional<EntryRecord>> StandingEntryOf(
      absl::string_view project_id, absl::CivilMonth period,
      int64_t amount) override;
  absl::StatusOr<int64_t> ProjectLedgerTotal(
      absl::string_view project_id) override;
  absl::StatusOr<IndicatorRecord> GetIndicator(absl::string_view id) override;
  absl::StatusOr<std::vector<IndicatorRecord>> ListIndicators(
      const IndicatorQuery& q) override;
  absl::StatusOr<PortfolioRecord> GetPortfolio(int year) override;
  absl::StatusOr<std::vector<PortfolioRecord>> ListPortfolios() override;
  absl::StatusOr<std::vector<ProgressRow>> ListProgress(
      const ProgressQuery& q) override;
  absl::Status ReadYearInputs(
      const ProjectFilter& filter, int year, bool baseline,
      absl::FunctionRef<void(size_t)> reserve,
      absl::FunctionRef<void(ProjectYearInputs&)> each) override;
  absl::StatusOr<ProgressMark> LatestProgressMark() override;
  absl::StatusOr<std::vector<std::string>> ProjectsMarkedAfter(
      const ProgressMark& mark, int64_t limit) override;
  absl::StatusOr<ProgressChanges> ProgressChangesAfter(
      const ProgressMark& mark, int64_t stamp_limit,
      int64_t entry_limit) override;
  absl::StatusOr<std::optional<std::string>> GetSetting(
      absl::string_view key) override;
  absl::StatusOr<PeriodRecord> GetPeriod(absl::CivilMonth period) override;
  absl::StatusOr<std::vector<PeriodRecord>> ListPeriods(
      std::optional<int> year) override;
  absl::StatusOr<std::vector<int>> ClosedMonthsAt(int year,
                                                  absl::Time at) override;
  absl::Status PutPeriod(const PeriodRecord& p) override;
  absl::Status InsertProblem(const ProblemRecord& p, absl::Time now) override;
  absl::Status UpdateProblem(const ProblemRecord& p, absl::Time now) override;
  absl::StatusOr<std::string> NextProblemId(
      absl::string_view project_id) override;
  absl::StatusOr<UserRecord> GetUser(absl::string_view id) override;
  absl::StatusOr<std::vector<UserRecord>> ListUsers(int64_t offset,
                                                    int64_t limit) override;
  absl::StatusOr<std::vector<std::string>> ProjectsLedBy(
      absl::string_view user_id) override;
  absl::StatusOr<bool> IsLead(absl::string_view project_id,
                              absl::string_view user_id) override;
  absl::StatusOr<TokenRecord> GetToken(absl::string_view id) override;
  absl::StatusOr<std::vector<TokenRecord>> ListTokens(
      const std::optional<std::string>& user_id, int64_t offset,
      int64_t limit) override;
  absl::StatusOr<std::vector<AuditRecord>> ListAudit(
      const AuditQuery& q) override;
  absl::StatusOr<std::optional<RequestRecord>> FindRequest(
      absl::string_view principal, absl::string_view request_id) override;
  absl::StatusOr<absl::Time> ReproducibleInstant(absl::Time wall) override;

  // StoreWriter
  absl::Time Stamp(absl::Time wall) override;
  absl::Status InsertProject(const ProjectRecord& p, absl::Time now) override;
  absl::Status UpdateProject(const ProjectRecord& p, absl::Time now) override;
  absl::Status PutPlan(const PlanRecord& plan, absl::Time now) override;
  absl::Status InsertMilestone(const MilestoneRecord& m,
                               absl::Time now) override;
  absl::Status UpdateMilestone(const MilestoneRecord& m,
                               absl::Time now) override;
  absl::StatusOr<std::string> NextMilestoneId(
      absl::string_view project_id) override;
  absl::StatusOr<int64_t> AppendEntry(const EntryRecord& e) override;
  absl::Status InsertIndicator(const IndicatorRecord& i,
                               absl::Time now) override;
  absl::Status UpdateIndicator(const IndicatorRecord& i,
                               absl::Time now) override;
  absl::Status AppendIndicatorValue(absl::string_view indicator_id,
                                    const IndicatorValueRecord& v) override;
  absl::Status PutPortfolio(const PortfolioRecord& p, absl::Time now) override;
  absl::Status PutSetting(absl::string_view key,
                          absl::string_view value) override;
  absl::Status InsertUser(const UserRecord& u) override;
  absl::Status UpdateUser(const UserRecord& u) override;
  absl::Status InsertToken(const TokenRecord& t) override;
  absl::Status TouchToken(absl::string_view id, absl::Time now) override;
  absl::Status RevokeToken(absl::string_view id, absl::Time now) override;
  absl::StatusOr<int64_t> AppendAudit(const AuditRecord& e) override;
  absl::Status SaveRequest(absl::string_view principal,
                           absl::string_view request_id,
                           const RequestRecord& record,
                           absl::Time now) override;

  // Whether a write through this transaction object added or changed a user
  // or a token other than by TouchToken: the store bumps its access version
  // once such a transaction commits. Set before the statement runs, so a
  // write that failed or was rolled back to its savepoint also counts: a
  // needless bump costs a re-read, a missed one would keep a revoked token.
  bool changed_access() const { return changed_access_; }

 private:
  absl::Status WriteProjectChildren(const ProjectRecord& p);
  absl::Status WriteIndicatorTargets(const IndicatorRecord& i);
  absl::StatusOr<std::vector<IndicatorValueRecord>> IndicatorValues(
      absl::string_view id);

  Connection& conn_;
  WriteClock* clock_;
  bool changed_access_ = false;
};

// Steps `stmt` to its end, calling `each(stmt)` on every row.
template <typename EachFn>
absl::Status ReadEach(Statement& stmt, EachFn each) {
  while (true) {
    absl::StatusOr<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    each(stmt);
  }
}

// Steps `stmt` to its end and returns `read(stmt)` of every row.
template <typename T, typename ReadFn>
absl::StatusOr<std::vector<T>> ReadAll(Statement& stmt, ReadFn read) {
  std::vector<T> out;
  RETURN_IF_ERROR(
      ReadEach(stmt, [&](const Statement& s) { out.push_back(read(s)); }));
  return out;
}

// Column helpers shared by the SqliteTx files.
int64_t ToMicros(absl::Time t);
absl::Time FromMicros(int64_t micros);
// A nullable microseconds column as a time, and back.
std::optional<absl::Time> OptionalTime(const Statement& stmt, int column);
std::optional<int64_t> OptionalMicros(const std::optional<absl::Time>& t);
// Binds a date as 'YYYY-MM-DD' text, or NULL.
void BindDate(Statement& stmt, int index,
              const std::optional<absl::CivilDay>& day);
// Reads a 'YYYY-MM-DD' column; nullopt for NULL.
std::optional<absl::CivilDay> DateColumn(const Statement& stmt, int column);
// NOT_FOUND naming the missing thing.
absl::Status NotFound(absl::string_view what, absl::string_view id);
// Binds the eight project filter parameters starting at `first`.
void BindProjectFilter(Statement& stmt, int first, const ProjectFilter& f);
// The WHERE clause matching BindProjectFilter's parameters ?1..?8 of the
// project alias `p`.
extern const char kProjectFilterSql[];
// The project columns read by ReadProject, in order, for alias `p`.
extern const char kProjectColumnsSql[];
// Reads a project from the columns of kProjectColumnsSql starting at `first`.
ProjectRecord ReadProject(const Statement& stmt, int first);

}  // namespace portfolio::sqlite

#endif  // PORTFOLIO_STORAGE_SQLITE_TX_H_
