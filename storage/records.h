// Plain records the store reads and writes. Storage speaks these structs,
// never protobuf messages; server/ converts between the two.
//
// Enumerations are stored and carried as lowercase words ("provincial",
// "new_start") so the database reads plainly and CHECK constraints can
// guard it; an empty string means "not stated".
#ifndef PORTFOLIO_STORAGE_RECORDS_H_
#define PORTFOLIO_STORAGE_RECORDS_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace portfolio {

struct YearLevelRecord {
  int year = 0;
  std::string level;  // provincial | city | district
};

// What a summary or status list reads of a project: its identity and
// every field it can be grouped or filtered by. Evaluated rows carry only
// this: at province scale the rest of the record would be about 22 MB.
struct ProjectBrief {
  std::string id;
  std::string display_name;
  int chapter = 0;  // 1..9, 0 = not stated
  std::string sector;
  std::string park;
  std::vector<YearLevelRecord> levels;  // sorted by year
  std::string stage;  // reserve | preparatory | new_start | continuing |
                      // completed | in_operation | suspended | ""
  std::optional<int64_t> total_investment;
  std::vector<std::string> leads;  // sorted user ids
};

struct ProjectRecord : ProjectBrief {
  std::string owner;
  std::optional<absl::CivilDay> planned_start;
  std::optional<absl::CivilDay> planned_end;
  std::string national_code;
  std::string capacity;
  std::string source;
  int64_t version = 0;  // output: bumped on every write
  absl::Time create_time;
  absl::Time update_time;
};

// A year's plan as one revision of it: the current one from GetPlan, any
// one from ListPlanRevisions.
struct PlanRecord {
  std::string project_id;
  int year = 0;
  int64_t amount = 0;
  std::vector<int64_t> monthly;  // exactly 12 entries
  std::string updated_by;        // who made this revision
  int64_t version = 0;           // the plan row's version (for etags)
  absl::Time update_time;        // when this revision was made
  int revision = 0;              // output: 1 = the baseline
  std::string revision_reason;   // why this revision; "" for the baseline
  int64_t baseline_amount = 0;   // output: revision 1's amount
};

struct MilestoneRecord {
  std::string project_id;
  std::string id;
  std::string kind;  // start | structure_complete | completion |
                     // in_operation | statistics_entry | other
  std::string display_name;
  std::optional<absl::CivilDay> planned_date;
  std::optional<absl::CivilDay> forecast_date;
  std::optional<absl::CivilDay> actual_date;
  int64_t version = 0;
  absl::Time update_time;
};

struct EntryRecord {
  int64_t id = 0;  // assigned on append; unique across projects
  std::string project_id;
  absl::CivilMonth period;
  int64_t amount = 0;
  std::string reported_by;
  absl::Time report_time;
  std::string note;
  std::string request_id;
  std::optional<int64_t> corrects;  // id of the corrected entry
  std::string reason;
};

struct IndicatorTargetRecord {
  int year = 0;
  std::string comparator;  // at_least | about | at_most | exactly
  std::string value;       // plain decimal
  std::string source;
};

struct IndicatorValueRecord {
  int year = 0;
  int month = 0;  // 0 = whole year
  std::string value;
  std::string source;
  std::string recorded_by;
  absl::Time record_time;
};

struct IndicatorRecord {
  std::string id;
  std::string display_name;
  std::string unit;
  int chapter = 0;
  std::string kind;  // amount | count | growth_rate | share |
                     // physical_quantity | ""
  std::vector<IndicatorTargetRecord> targets;  // sorted by year
  std::vector<IndicatorValueRecord> values;    // in recording order
  int64_t version = 0;
  absl::Time update_time;
};

struct PortfolioRecord {
  int year = 0;
  std::optional<int64_t> project_count_target;
  std::optional<int64_t> investment_target;
  std::optional<int64_t> provincial_count_target;
  std::optional<int64_t> city_count_target;
  std::optional<int64_t> project_count_actual;
  std::optional<int64_t> total_investment_actual;
  std::optional<int64_t> provincial_count_actual;
  std::optional<int64_t> city_count_actual;
  std::optional<int64_t> fixed_asset_investment_actual;
  std::string source;
  int64_t version = 0;
  absl::Time update_time;
};

// A blocking problem (要素保障).
struct ProblemRecord {
  std::string project_id;
  std::string id;
  std::string category;  // land | planning | environmental_approval |
                         // energy | funding | demolition | power |
                         // water_and_gas | other
  std::string description;
  std::string responsible_unit;
  std::optional<absl::CivilDay> deadline;
  std::string escalation = "district";  // district | city | province
  std::string state = "open";           // open | assigned | resolved
  std::string resolution;
  std::string opened_by;
  absl::Time create_time;
  std::string assigned_by;
  std::optional<absl::Time> assign_time;
  std::string resolved_by;
  std::optional<absl::Time> resolve_time;
  int64_t version = 0;  // output: bumped on every write
  absl::Time update_time;
};

struct ProblemQuery {
  std::optional<std::string> project_id;  // all projects when unset
  std::optional<std::string> state;
  std::optional<std::string> category;
  std::optional<std::string> escalation;
  // When set: only problems unresolved (true) or resolved (false).
  std::optional<bool> unresolved;
  // When set with `overdue`: only problems that are (true) or are not
  // (false) overdue on this day: unresolved with a deadline before it.
  std::optional<absl::CivilDay> overdue_on;
  bool overdue = true;
  int64_t offset = 0;
  int64_t limit = 50;
};

struct ProblemPage {
  std::vector<ProblemRecord> problems;  // oldest first
  int64_t total = 0;                    // matching, across all pages
};

// Selects projects. Unset members do not constrain.
struct ProjectFilter {
  int level_year = 0;  // year whose level `level` refers to
  std::optional<std::string> level;
  std::optional<int> chapter;
  std::optional<std::string> park;
  std::optional<std::string> sector;
  std::optional<std::string> stage;
  std::optional<std::string> lead;
  std::optional<std::string> id;  // one project
};

enum class ProjectOrder { kId, kDisplayName, kTotalInvestment };

struct ProjectQuery {
  ProjectFilter filter;
  ProjectOrder order = ProjectOrder::kId;
  bool descending = false;
  int64_t offset = 0;
  int64_t limit = 50;
  // With order kId: only projects after this id in the order asked (above
  // it ascending, below it descending), so a page starts where the last
  // ended whatever was added or removed before it.
  std::optional<std::string> after_id;
};

struct ProjectPage {
  std::vector<ProjectRecord> projects;
  int64_t total = 0;  // matching projects across all pages
};

struct EntryQuery {
  std::optional<std::string> project_id;  // all projects when unset
  std::optional<int> year;
  std::optional<absl::CivilMonth> period;
  int64_t offset = 0;
  int64_t limit = 50;
};

struct EntryPage {
  std::vector<EntryRecord> entries;  // oldest first
  int64_t total_count = 0;
  int64_t total_amount = 0;  // over every matching entry
};

struct MilestoneQuery {
  std::optional<std::string> project_id;
  std::optional<std::string> kind;
  // When set with `overdue`: only milestones that are (true) or are not
  // (false) overdue on this day: not done and planned before it.
  std::optional<absl::CivilDay> overdue_on;
  bool overdue = true;
  int64_t offset = 0;
  int64_t limit = 50;
};

struct IndicatorQuery {
  std::optional<int> chapter;
  std::optional<std::string> kind;
  std::optional<int> target_year;
  int64_t offset = 0;
  int64_t limit = 50;
};

// Per-project figures for a year as of a month: computed in SQL
// (ListProgress), or from the project's YearInputs (DeriveProgress).
struct ProgressRow {
  // Levels and leads filled. Shared, not copied, by the evaluations that
  // show the project: a filtered question's rows are taken from the whole
  // portfolio's, and another month's are computed from it, so a copy of a
  // row costs a pointer rather than the brief's strings. Never null in a
  // row that the store or an evaluation made.
  std::shared_ptr<const ProjectBrief> project;
  std::optional<int64_t> annual_plan;
  int64_t planned_to_date = 0;
  int64_t completed_to_date = 0;
  // The month whose report is due (ProgressQuery::report_month) and
  // whether its report is in: an entry dated in it, or a plan that puts
  // nothing in it (nothing was to be invested, so nothing is missing).
  int report_month = 0;
  bool reported_in_month = false;
  // Earliest planned date of a milestone not done and planned before the
  // as-of date, with its id.
  std::optional<absl::CivilDay> earliest_overdue;
  std::string earliest_overdue_id;
  // Milestones of one kind planned in the year up to the as-of date: whether
  // any is due, and whether every due one has an actual date by then.
  struct Due {
    bool due = false;
    bool done = false;
  };
  Due start, completion, operation;
  // Unresolved problems; the oldest one's id; those past their deadline on
  // the as-of date, and the earliest such deadline with its problem's id.
  int open_problems = 0;
  std::string oldest_open_problem_id;
  int overdue_problems = 0;
  std::optional<absl::CivilDay> earliest_problem_deadline;
  std::string earliest_problem_deadline_id;
};

// How far a snapshot's progress inputs go, to tell which projects changed
// between two snapshots. Two counters that only grow: the latest stamp of
// progress_marks (every input but the ledger), and the latest ledger entry
// id (the ledger is append-only, so a new entry is its own stamp). Marks
// of one database are ordered: a later snapshot's is at least as great in
// both.
struct ProgressMark {
  int64_t marks = 0;
  int64_t entries = 0;

  friend bool operator==(const ProgressMark& a, const ProgressMark& b) {
    return a.marks == b.marks && a.entries == b.entries;
  }
  friend bool operator!=(const ProgressMark& a, const ProgressMark& b) {
    return !(a == b);
  }
  friend bool operator<(const ProgressMark& a, const ProgressMark& b) {
    return a.marks < b.marks || (a.marks == b.marks && a.entries < b.entries);
  }
  friend bool operator>(const ProgressMark& a, const ProgressMark& b) {
    return b < a;
  }
};

// What changed in the progress inputs after a mark, as
// StoreReader::ProgressChangesAfter reads it: the projects stamped, and
// each ledger entry written, by what it adds to its project's month.
struct ProgressChanges {
  struct Entry {
    std::string project_id;
    int year = 0;
    int month = 0;  // 1..12
    int64_t amount = 0;
  };
  std::vector<std::string> stamped;  // ordered by id, distinct
  std::vector<Entry> entries;        // in ledger (id) order
};

struct ProgressQuery {
  ProjectFilter filter;
  // Leave out finished projects (stage completed or in_operation) that have
  // neither a plan nor a ledger entry in `year`: they belong to earlier
  // years' portfolios.
  bool active_only = true;
  int year = 0;
  int as_of_month = 12;
  // The month whose report is checked (漏报); 0 means as_of_month.
  int report_month = 0;
  absl::CivilDay as_of_date;  // milestones planned before it are overdue
  // As it stood at this instant: only projects created, plan revisions
  // made, ledger entries appended and milestone and problem states
  // recorded at or before it. Unset: everything.
  std::optional<absl::Time> known_at;
  // Measure against each plan's baseline (revision 1) instead of its
  // latest revision.
  bool baseline = false;
  // Problems count when open at this instant (the end of the as-of date):
  // opened by then and not resolved by then, by their create_time and
  // resolve_time in the state recorded by known_at. Unset: open now.
  std::optional<absl::Time> problems_at;
};

// Twelve amounts in yuan, month m at [m - 1]: four bytes each while every
// one fits (a month's plan or ledger sum under 21亿, nearly always), eight
// otherwise. A province's year of inputs is kept in memory.
class MonthAmounts {
 public:
  MonthAmounts() = default;
  MonthAmounts(const MonthAmounts& other) { *this = other; }
  MonthAmounts& operator=(const MonthAmounts& other);
  MonthAmounts(MonthAmounts&&) = default;
  MonthAmounts& operator=(MonthAmounts&&) = default;

  // `index` is 0..11.
  int64_t operator[](int index) const {
    return wide_ ? (*wide_)[index] : narrow_[index];
  }
  void Set(int index, int64_t amount);

 private:
  std::array<int32_t, 12> narrow_{};
  std::unique_ptr<std::array<int64_t, 12>> wide_;  // when one does not fit
};

// What every figure of a project's ProgressRow for any month of one year is
// computed from (DeriveProgress), as the store holds it now, on one plan
// basis (latest revision or baseline). Kept in memory beside an evaluation
// so that another month of the year is computed, not read: a province's
// month asked for the first time costs a pass over memory, not a dozen
// index lookups per project. Compact, since a province's is resident: ids
// are kept end to end in one string.
struct YearInputs {
  // Days since 1970-01-01; kNoDay stands for a date not set. As the
  // largest value it is never before or on a day, as a NULL date is not in
  // ListProgress; where SQL's "IS NULL OR after" counts an unset actual
  // date as not yet reached, so does being after every day, and
  // DeriveProgress tests for kNoDay wherever it must be told apart.
  static constexpr int32_t kNoDay = INT32_MAX;
  struct Milestone {
    int32_t planned = kNoDay;
    int32_t actual = kNoDay;
    uint32_t id_at = 0;  // the id is ids.substr(id_at, id_size)
    uint32_t id_size = 0;
    // 1 start, 2 completion, 3 in_operation (the kinds whose due dates are
    // tallied), 0 any other kind.
    int8_t tallied_kind = 0;
  };
  struct Problem {
    int64_t create_micros = 0;
    // When resolved; INT64_MIN when resolved with no time (never open).
    int64_t resolve_micros = INT64_MIN;
    int32_t deadline = kNoDay;
    uint32_t id_at = 0;
    uint32_t id_size = 0;
    bool resolved = false;
  };
  std::optional<int64_t> annual_plan;
  MonthAmounts planned;
  MonthAmounts completed;  // the ledger's sum dated in each month
  uint16_t reported = 0;   // bit m - 1: some entry is dated in month m
  std::vector<Milestone> milestones;  // every milestone of the project
  std::vector<Problem> problems;      // every problem, in its latest state
  std::string ids;                    // the milestones' and problems' ids

  template <typename T>
  absl::string_view id(const T& item) const {
    return absl::string_view(ids).substr(item.id_at, item.id_size);
  }
  // Appends `id` to ids and points `item` at it; false (nothing changed)
  // only when the ids would pass 4 GiB.
  template <typename T>
  bool SetId(T& item, absl::string_view id) {
    if (ids.size() + id.size() > UINT32_MAX) return false;
    item.id_at = static_cast<uint32_t>(ids.size());
    item.id_size = static_cast<uint32_t>(id.size());
    ids.append(id.data(), id.size());
    return true;
  }
};

// A project with its inputs for a year (StoreReader::ListYearInputs).
struct ProjectYearInputs {
  ProjectRecord project;  // levels and leads filled
  YearInputs inputs;
};

struct UserRecord {
  std::string id;
  std::string display_name;
  std::string role;  // admin | manager | lead | viewer | service
  bool disabled = false;
  int64_t version = 0;
  absl::Time create_time;
};

struct TokenRecord {
  std::string id;
  std::string user_id;
  std::string display_name;
  std::string secret_hash;  // SHA-256 of the secret, 32 bytes
  absl::Time create_time;
  std::optional<absl::Time> expire_time;
  std::optional<absl::Time> last_use_time;
  std::optional<absl::Time> revoke_time;
};

struct AuditRecord {
  int64_t seq = 0;  // assigned on append
  absl::Time time;
  std::string user_id;
  std::string method;
  std::string resource;
  std::string request_id;
  std::string outcome;  // canonical code name
  // What the event says: for a refused call, why. For an accepted call the
  // request is kept instead, as protobuf bytes without its request id or
  // uploaded file contents, and the server renders it when the event is
  // read (events recorded before migration 11 hold that rendering here).
  std::string detail;
  std::optional<std::string> request;
};

struct AuditQuery {
  // Events on `projects/{project_id}` or anything below it.
  std::optional<std::string> project_id;
  std::optional<std::string> user_id;
  std::optional<absl::Time> since;
  // Only events numbered above this.
  std::optional<int64_t> after_seq;
  // Only events numbered below this: the page after one that ended there,
  // newest first.
  std::optional<int64_t> before_seq;
  // Only accepted calls (outcome OK): the change feed.
  bool accepted_only = false;
  // Oldest first instead of newest first.
  bool oldest_first = false;
  int64_t offset = 0;
  int64_t limit = 50;
};

// A reporting month that was closed at least once.
struct PeriodRecord {
  absl::CivilMonth period;
  bool closed = false;
  std::string closed_by;
  absl::Time close_time;
  std::string reopened_by;
  std::optional<absl::Time> reopen_time;
  std::string reopen_reason;
};

// What a request id was first used for, and the answer given.
struct RequestRecord {
  std::string request;   // the request's canonical bytes
  std::string response;  // the response's bytes
};

}  // namespace portfolio

#endif  // PORTFOLIO_STORAGE_RECORDS_H_
