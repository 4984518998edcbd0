// Evaluated progress kept between calls and brought up to date by reading
// again only the projects that changed. A year summary over 100,000
// projects reads a dozen indexed figures per project; between two polls of
// a dashboard a few dozen projects change. The store stamps every project
// whose progress inputs change (a ledger entry's id is its own stamp:
// StoreReader::LatestProgressMark), so the cache re-reads exactly those, with
// the same inputs, derivation (DeriveProgress) and status rules as a fresh
// evaluation: one semantics, never two. The whole portfolio's evaluation keeps
// each project's year of inputs, so that another month, or a part of it, is
// computed rather than read, and a project given only new ledger entries has
// them added to its inputs rather than being read again (Evaluation::Plan).
#ifndef PORTFOLIO_SERVER_EVALUATION_CACHE_H_
#define PORTFOLIO_SERVER_EVALUATION_CACHE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/progress.h"
#include "storage/records.h"
#include "storage/store.h"

namespace portfolio {

// The progress rows of a query with their statuses, and the order the
// status list shows them in. Not thread-safe. A row with its status (an
// Item) is shared, not copied, by the evaluations narrowed from this one
// (Subset): an item is changed in place only while no other evaluation
// holds it, and replaced otherwise, so evaluations used under different
// locks may share items.
class Evaluation {
 public:
  // One project's row with its status.
  struct Item {
    ProgressRow row;
    ProjectStatusResult status;
  };
  using Items = std::vector<std::shared_ptr<Item>>;

  // The rows, or their statuses, indexed and iterated like a vector. Valid
  // until the evaluation next changes or goes.
  template <typename T, T Item::*kField>
  class Column {
   public:
    class Iterator {
     public:
      using iterator_category = std::forward_iterator_tag;
      using value_type = T;
      using difference_type = std::ptrdiff_t;
      using pointer = const T*;
      using reference = const T&;
      Iterator() = default;
      explicit Iterator(Items::const_iterator at) : at_(at) {}
      const T& operator*() const { return (*at_).get()->*kField; }
      const T* operator->() const { return &**this; }
      Iterator& operator++() {
        ++at_;
        return *this;
      }
      Iterator operator++(int) {
        Iterator was = *this;
        ++at_;
        return was;
      }
      bool operator==(const Iterator& o) const { return at_ == o.at_; }
      bool operator!=(const Iterator& o) const { return at_ != o.at_; }

     private:
      Items::const_iterator at_;
    };
    size_t size() const { return items_->size(); }
    bool empty() const { return items_->empty(); }
    const T& operator[](size_t i) const { return (*items_)[i].get()->*kField; }
    Iterator begin() const { return Iterator(items_->begin()); }
    Iterator end() const { return Iterator(items_->end()); }

   private:
    friend class Evaluation;
    explicit Column(const Items& items) : items_(&items) {}
    const Items* items_;
  };
  using Rows = Column<ProgressRow, &Item::row>;
  using Statuses = Column<ProjectStatusResult, &Item::status>;

  // Reads `q` afresh and applies `thresholds` to every row. Without
  // q.known_at, each row is computed from its project's year of inputs
  // (DeriveProgress). With `kept` (an evaluation to be kept between
  // calls), the rows come from the items' pool (NewItem), and with no
  // filter either the inputs are kept (derivable()), so that any month of
  // q.year on q's basis, for all projects or some, is computed with nothing
  // read (Derive, Reevaluate). With known_at, the rows are ListProgress's.
  // Errors: the store's.
  static absl::StatusOr<Evaluation> Read(StoreReader& r, const ProgressQuery& q,
                                         const StatusThresholds& thresholds,
                                         bool kept = false);
  // `rows` as ListProgress gives them for `q`, with their statuses; not
  // derivable.
  static Evaluation FromRows(std::vector<ProgressRow> rows,
                             const ProgressQuery& q,
                             const StatusThresholds& thresholds);

  // Makes room now, in the pool the items of kept evaluations come from,
  // for `items` more, so that as many later ones take memory already
  // touched rather than fresh (whose first touch costs 9-12 us a page on
  // a virtual machine). The room stays with the pool. Thread-safe.
  static void ReserveItems(size_t items);

  // Ordered by project id; statuses()[i] is rows()[i]'s.
  Rows rows() const { return Rows(items_); }
  Statuses statuses() const { return Statuses(items_); }
  // Whether each row's year of inputs is kept: read without a filter or
  // known_at, or made over in place from one that was (Reevaluate).
  bool derivable() const { return derivable_; }
  // Indices into rows(), worst first: red, then amber, then green; within
  // each, furthest behind 序时进度 first; then by project id. Computed on
  // the first call after a change; valid until the next Refresh, Apply
  // or Reevaluate.
  const std::vector<uint32_t>& WorstFirst();

  // Re-reads the projects `ids` (sorted) under `q`, the query this
  // evaluation was read with, and puts each in its place: replaced, added
  // (it now matches), or removed (it no longer does). Errors: the store's,
  // after which the evaluation is part-updated and must be discarded.
  absl::Status Refresh(StoreReader& r, const ProgressQuery& q,
                       const StatusThresholds& thresholds,
                       const std::vector<std::string>& ids);

  // What bringing this evaluation up to `changes` (read in a later
  // snapshot, since this one's mark) takes, worked out without changing
  // anything: the projects to read again (every stamped one, and any not
  // shown that an entry in q.year may bring in), ordered; and for each
  // shown project given entries in q.year and not stamped, what they add
  // to each month of its kept inputs. A project not stamped has changed
  // only by its new entries, so adding them gives what a re-read would
  // (ReadYearInputs sums the same rows by month), for the cost of
  // computing its row (a microsecond or two) rather than a read of its
  // every input (75-80 us at 120 projects, timed in the server). Requires
  // derivable(); `q` is this evaluation's query.
  struct Update {
    struct Added {
      uint32_t row;                    // an index into rows()
      std::array<int64_t, 12> amount;  // to add to each month's sum
      uint16_t months;                 // bit m - 1: an entry in month m
    };
    std::vector<std::string> reread;
    std::vector<Added> added;
  };
  Update Plan(const ProgressQuery& q, const ProgressChanges& changes) const;
  // Carries out `update`, Plan's for `q` with nothing changed since: adds
  // the amounts to the rows' kept inputs and computes those rows again,
  // then re-reads the others (Refresh). Errors: the store's, after which
  // the evaluation is part-updated and must be discarded.
  absl::Status Apply(StoreReader& r, const ProgressQuery& q,
                     const StatusThresholds& thresholds, const Update& update);

  // Indices into rows() of the rows whose project matches `f`, ascending.
  // A derivable evaluation answers a park, sector, stage or chapter from
  // numbers kept side by side, without loading the rows' projects.
  std::vector<uint32_t> Matching(const ProjectFilter& f) const;
  // The rows at `indices` (ascending) with their statuses, not their
  // inputs: with Matching(f), the evaluation of this one's query narrowed
  // by `f`, when this one's query has no filter. Nothing is read or
  // copied: the result shares this one's items.
  Evaluation Subset(const std::vector<uint32_t>& indices) const;
  // The rows at `indices` (ascending) computed for `q` from their inputs,
  // with their statuses under `thresholds`: with Matching(q.filter), the
  // evaluation of `q` when this one's query has no filter and the same
  // year, basis and active_only as `q`, which has no known_at. Requires
  // derivable(); the result does not keep the inputs (the source stays,
  // and one copy of a year's is enough), shares the project briefs and,
  // like its source, is to be kept (its rows come from the pool). Nothing
  // is read.
  Evaluation Derive(const std::vector<uint32_t>& indices,
                    const ProgressQuery& q,
                    const StatusThresholds& thresholds) const;
  // Computes every row again for `q`, in place: `q` differs from this
  // one's query at most in its month, dates and report month. Requires
  // derivable(). A province's month is made this way without a second
  // copy of its rows (items that narrowed evaluations still share are
  // replaced, the rest changed in place).
  void Reevaluate(const ProgressQuery& q, const StatusThresholds& thresholds);

 private:
  // Distinct texts of one field of the rows' projects, numbered as first
  // met (numbers are never reused while the evaluation lasts).
  class Texts {
   public:
    uint32_t Number(const std::string& text);
    // The number of `text`, or none when no row's project has had it
    // (a number stays when its last project moves or leaves).
    std::optional<uint32_t> Find(const std::string& text) const;

   private:
    absl::flat_hash_map<std::string, uint32_t> numbers_;
  };
  // What a filter compares of a project, as numbers side by side: a park's
  // rows at 100,000 projects are found by reading 1.6 MB in order rather
  // than every row's project (half a park's first status page, profiled).
  struct FilterKeys {
    uint32_t park;
    uint32_t sector;
    uint32_t stage;
    int chapter;
  };
  FilterKeys KeysOf(const ProjectBrief& p);
  // A new item. For an evaluation to be kept (pooled_), from a pool that
  // holds items only, so that a pass over a province's rows reads them side
  // by side, not scattered among everything else a read allocates (a
  // summary after a change at 100,000 projects: 16–17 ms from the general
  // heap, 7–10 from the pool, as with the rows in one array). Memory an
  // item gives back stays in the pool for the next, so only kept
  // evaluations, which the cache's row budget bounds, use it; the others
  // (as_known_at questions, reads not kept) give theirs back to the heap.
  // Thread-safe.
  std::shared_ptr<Item> NewItem() const;
  // items_[i], to be computed again: the same item when no other
  // evaluation holds it, else a new one in its place with only the
  // project set.
  Item& Recompute(size_t i);
  // Row `i` was computed again in place: keeps it in changed_ while
  // order_ is valid, or gives up on order_ once too many rows changed.
  void NoteChanged(uint32_t i);

  Items items_;
  // inputs_[i] and keys_[i] are items_[i]'s, when derivable_ (the
  // evaluations others are made of).
  std::vector<YearInputs> inputs_;
  std::vector<FilterKeys> keys_;
  Texts parks_, sectors_, stages_;
  bool derivable_ = false;
  bool pooled_ = false;  // NewItem
  std::vector<uint32_t> order_;
  bool order_valid_ = false;
  // Rows replaced in place since order_ was valid, so that order_ can be
  // repaired by a merge rather than a full sort (NoteChanged).
  std::vector<uint32_t> changed_;
};

// Evaluations of recent queries, each valid as of a progress mark.
// Thread-safe: calls for the same query take turns (one brings the entry
// up to date while the others wait, and those that were already waiting
// when its read began use what it read); different queries run in
// parallel.
class EvaluationCache {
 public:
  // What the cache has done since it was made, for tests and operators.
  struct Stats {
    int64_t whole_reads = 0;         // queries read whole into an entry
    int64_t refreshed_projects = 0;  // projects re-read into an entry
    // Projects brought up to date from their new ledger entries, added to
    // the inputs kept, rather than re-read (Evaluation::Plan).
    int64_t applied_projects = 0;
    int64_t uncached_reads = 0;  // queries read and not kept
    // Calls answered from an update whose read began after they were
    // made, without reading the changes again.
    int64_t shared_updates = 0;
    int64_t waiting = 0;  // calls waiting for an entry now
    // Filtered queries taken from the kept evaluation of the whole
    // portfolio rather than read.
    int64_t narrowed_reads = 0;
    // Queries computed from the inputs kept with the whole portfolio's
    // evaluation for another month of the same year and basis, rather
    // than read: copied from it, or (moved_evaluations) made of it in
    // place when there is no room for both.
    int64_t derived_reads = 0;
    int64_t moved_evaluations = 0;
  };

  // Keeps at most `max_entries` entries, while their rows (each counted
  // as at least one) add up to at most `max_rows`; the entry in use stays
  // whatever its size. A row with its status is under 1 KB (the whole
  // portfolio's also keeps about 300 bytes of inputs): the defaults hold
  // one province-sized evaluation (100,000 projects) and the
  // district-sized ones asked beside it. A question for another month of
  // a whole portfolio of more than `move_rows` rows is made of the kept
  // one in place (which then answers that month) rather than copied: a
  // copy takes fresh memory for every row, which costs more than
  // computing the rows again (a month asked first, at 50,000 projects:
  // copied 84 ms at the median and 154 at most, in place 25 and 54).
  explicit EvaluationCache(StatusThresholds thresholds,
                           size_t max_rows = 120000, size_t max_entries = 64,
                           size_t move_rows = 20000);

  // Runs one read of `store` and calls fn with its reader and the
  // evaluation of `q` as of that read's snapshot, or as of an earlier
  // snapshot that also began after this call was made (a call that waited
  // while another brought the entry up to date uses what that one read: it
  // holds every write acknowledged before this call). Returns fn's status,
  // or the store's error. The entry for `q` is locked before the read
  // begins, so the snapshot is never older than what the entry holds.
  // Calls for the same query take turns, fn included: fn should be short,
  // must not keep the reference and must not call Use. Queries with
  // `known_at` set are read afresh and not kept (their figures come from
  // history, which no mark tracks). A filtered query asked for the first
  // time is taken from the kept evaluation of the same query without a
  // filter, when there is one that a few re-read projects bring up to
  // date, rather than read: one park's first status page at province
  // scale costs a pointer a row (the rows are shared), not a read of
  // thousands of projects. Likewise a
  // question for another month of a year whose whole portfolio is kept
  // (same basis, same active_only) is computed from the inputs kept with
  // it: copied when there is room for both and the portfolio is at most
  // move_rows, otherwise made of it in place, so a province never holds
  // two evaluations at once.
  //
  // fn is also given the instant the evaluation reflects exactly
  // (StoreReader::ReproducibleInstant of the snapshot it was brought up to
  // date in, for a read made at wall time `wall`), or q.known_at when set.
  absl::Status Use(
      Store& store, const ProgressQuery& q, absl::Time wall,
      absl::FunctionRef<absl::Status(StoreReader&, Evaluation&, absl::Time)> fn)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Use without the instant.
  absl::Status Use(
      Store& store, const ProgressQuery& q,
      absl::FunctionRef<absl::Status(StoreReader&, Evaluation&)> fn)
      ABSL_LOCKS_EXCLUDED(mu_);

  Stats stats() const ABSL_LOCKS_EXCLUDED(mu_);

  // Projects to re-read since an entry's mark beyond which re-reading the
  // whole query is cheaper than re-reading each one. Projects given only
  // ledger entries, added to a derivable evaluation's kept inputs without
  // a read, do not count.
  static constexpr int64_t kMaxRefresh = 2000;
  // Ledger entries since an entry's mark beyond which it is read again
  // whole rather than refreshed: finding their projects reads one row per
  // entry (entry ids have no gaps, so the count is known before reading),
  // and a portfolio of few projects never reaches kMaxRefresh of them.
  static constexpr int64_t kMaxRefreshEntries = 20 * kMaxRefresh;

 private:
  struct Entry {
    Entry(std::string key, const ProgressQuery& query);
    const std::string key;
    // The query the entry was made for, and the part of it that decides
    // whether another entry's inputs can make this one (year, basis,
    // active_only).
    const ProgressQuery query;
    const std::string book;
    const bool unfiltered;
    absl::Mutex mu;
    bool valid ABSL_GUARDED_BY(mu) = false;
    ProgressMark mark ABSL_GUARDED_BY(mu);
    // The ticket taken just before the read that last brought the entry
    // up to date began: calls made before it may use the entry as it is.
    uint64_t updated_after ABSL_GUARDED_BY(mu) = 0;
    Evaluation evaluation ABSL_GUARDED_BY(mu);
    // The instant the evaluation reflects exactly: ReproducibleInstant of
    // the snapshot it was last brought up to date in.
    absl::Time instant ABSL_GUARDED_BY(mu);
    // Guarded by the cache's mu_ (not expressible here): the rows held,
    // and whether the evaluation keeps its inputs (can be a source).
    size_t rows = 0;
    bool keeps_inputs = false;
  };
  using Evicted = std::vector<std::shared_ptr<Entry>>;

  // The entry kept for `q`, made if there is none (and then the most
  // recently used).
  std::shared_ptr<Entry> Find(const ProgressQuery& q) ABSL_LOCKS_EXCLUDED(mu_);
  // The entry `target` can be made from, or null: for a filtered target
  // the whole portfolio's entry for the same question if kept, else the
  // most recently used unfiltered entry of the same book, other than
  // `target`, that keeps its inputs. Its validity is for the caller to
  // check under its lock.
  std::shared_ptr<Entry> FindSource(const Entry& target)
      ABSL_LOCKS_EXCLUDED(mu_);
  // The next number of a sequence shared by calls' arrivals and reads'
  // beginnings; `waiting` is added to the count of waiting calls.
  uint64_t NextTicket(int waiting = 0) ABSL_LOCKS_EXCLUDED(mu_);
  // Brings `entry` to `mark` in r's snapshot, the snapshot of a read that
  // began after ticket `begun`: brings it up to date from the changes
  // since its mark (RefreshMarked), or
  // narrows the unfiltered query's entry (Narrow), or reads the whole
  // query (releasing what it evicts first). When the unfiltered entry is
  // newer than r's snapshot and `may_retry`, sets *retry and leaves the
  // entry invalid instead: a read begun later can narrow it. Entries it
  // evicts afterwards go to *evicted, and the rows they held are added to
  // *freed_rows. On error the entry is left invalid, or as it was when
  // the error came before anything changed. `instant` is the instant r's
  // snapshot reflects (StoreReader::ReproducibleInstant): every entry
  // brought up to date in it, a narrowing's source included, keeps it.
  absl::Status Update(Entry& entry, StoreReader& r, const ProgressQuery& q,
                      const ProgressMark& mark, uint64_t begun,
                      absl::Time instant, bool may_retry, bool* retry,
                      Evicted* evicted, size_t* freed_rows)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(entry.mu) ABSL_LOCKS_EXCLUDED(mu_);
  enum class Narrowing {
    kDone,  // the entry is filled
    // No kept unfiltered entry to make it of (none, emptied, without
    // inputs for another month, busy against the lock order, or too far
    // behind): read it.
    kUnavailable,
    kNewer,  // the unfiltered entry is newer than the snapshot
  };
  // Fills the invalid `entry` for `q` from a kept unfiltered entry
  // (FindSource) brought to `mark` by re-reading the projects changed since
  // (never read whole: that would cost more than reading `q`): its rows
  // passing q's filter shared as they are (same question) or computed for
  // q's month from their inputs, after making room for them; or, for an
  // unfiltered `q` with no room for two, the source's evaluation taken and
  // computed again in place, leaving the source empty. Changes nothing
  // unless kDone. Errors: the store's, after which the source is invalid
  // (read whole when next asked). Locks the source after `entry`: a
  // filtered entry before an unfiltered one, and two unfiltered ones in
  // key order (otherwise it only tries, and is kUnavailable when the
  // source is busy), so no two calls can wait for each other; then, for a
  // copy of a whole month, whole_read_mu_, so that it and whole reads take
  // turns. The source stays while room is made for the copy.
  absl::StatusOr<Narrowing> Narrow(Entry& entry, StoreReader& r,
                                   const ProgressQuery& q,
                                   const ProgressMark& mark, uint64_t begun,
                                   absl::Time instant, Evicted* evicted,
                                   size_t* freed_rows)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(entry.mu) ABSL_LOCKS_EXCLUDED(mu_);
  // Narrow with `source` found and locked.
  absl::StatusOr<Narrowing> NarrowLocked(Entry& entry, Entry& source,
                                         StoreReader& r, const ProgressQuery& q,
                                         const ProgressMark& mark,
                                         uint64_t begun, absl::Time instant,
                                         Evicted* evicted, size_t* freed_rows)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(entry.mu, source.mu)
          ABSL_LOCKS_EXCLUDED(mu_);
  // Brings the valid `entry` from its mark to `mark`: a derivable
  // evaluation adds new ledger entries to the inputs it keeps and re-reads
  // the projects stamped since (Evaluation::Plan), any other re-reads
  // every project marked since. Returns false, with the entry unchanged,
  // when more than kMaxRefreshEntries entries were written since its mark
  // or more than kMaxRefresh projects are to be re-read. On an error
  // reading what changed, the entry is left as it was; on one while
  // re-reading projects, invalid.
  absl::StatusOr<bool> RefreshMarked(Entry& entry, StoreReader& r,
                                     const ProgressQuery& q,
                                     const ProgressMark& mark)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(entry.mu) ABSL_LOCKS_EXCLUDED(mu_);
  // Takes least recently used entries other than `keep` and `keep_too`
  // (either may be null) out until the entries, and their rows plus
  // `reserve` more, fit; adds them to *evicted and their rows to
  // *freed_rows.
  void Evict(const Entry* keep, const Entry* keep_too, size_t reserve,
             Evicted* evicted, size_t* freed_rows)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Drops `evicted`, then gives freed memory back to the system when
  // `freed_rows` come to kTrimRows or more. Call without mu_ held.
  static void Release(Evicted evicted, size_t freed_rows);
  static constexpr size_t kTrimRows = 10000;

  const StatusThresholds thresholds_;
  const size_t max_rows_;
  const size_t max_entries_;
  const size_t move_rows_;
  // Held through a whole read (after the entry's lock), so whole reads
  // run one at a time and the row budget holds while they do.
  absl::Mutex whole_read_mu_;
  mutable absl::Mutex mu_;
  std::list<std::shared_ptr<Entry>> entries_ ABSL_GUARDED_BY(mu_);  // MRU first
  size_t largest_ ABSL_GUARDED_BY(mu_) = 0;  // rows of the largest read
  // Orders calls' arrivals and reads' beginnings (NextTicket).
  uint64_t tickets_ ABSL_GUARDED_BY(mu_) = 0;
  Stats stats_ ABSL_GUARDED_BY(mu_);
};

// The key a query's evaluation is kept under: every field of `q` that can
// change its rows (the filter's level_year only with a level).
std::string EvaluationKey(const ProgressQuery& q);

// Whether project `p` passes `f`, as the store's filter decides it
// (ListProgress, ListProjects): every condition set must hold, text
// compared exactly, a level in the filter's level_year, a lead among the
// project's leads.
bool MatchesFilter(const ProjectBrief& p, const ProjectFilter& f);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_EVALUATION_CACHE_H_
