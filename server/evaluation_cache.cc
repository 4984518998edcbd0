#include "server/evaluation_cache.h"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory_resource>
#include <new>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/period.h"
#include "common/status_macros.h"
#include "storage/year_inputs.h"

namespace portfolio {
namespace {

// A row's status as of the question it answers.
ProjectStatusResult StatusUnder(const ProgressRow& row, const ProgressQuery& q,
                                const StatusThresholds& thresholds) {
  return EvaluateStatus(row, q.year, q.as_of_month, q.as_of_date, thresholds);
}

// What the worst-first order compares of a row, side by side.
struct RankKey {
  Rag rag;
  double gap_points;
  uint32_t row;
};

RankKey KeyOf(const Evaluation::Items& items, uint32_t i) {
  const ProjectStatusResult& s = items[i]->status;
  return RankKey{s.rag, s.gap_points, i};
}

// Worse first: red before amber before green, then further behind, then
// lower index (rows are in id order, so that is the id).
bool Worse(const RankKey& a, const RankKey& b) {
  if (a.rag != b.rag) return a.rag > b.rag;
  if (a.gap_points != b.gap_points) return a.gap_points < b.gap_points;
  return a.row < b.row;
}

// Worse on row numbers, for the few rows merged back after a change.
struct WorseFirst {
  const Evaluation::Items* items;
  bool operator()(uint32_t a, uint32_t b) const {
    return Worse(KeyOf(*items, a), KeyOf(*items, b));
  }
};

// Where `id`'s row is or would be in `items` (ordered by project id).
Evaluation::Items::const_iterator FindId(const Evaluation::Items& items,
                                         const std::string& id) {
  return std::lower_bound(
      items.begin(), items.end(), id,
      [](const std::shared_ptr<Evaluation::Item>& item, const std::string& v) {
        return item->row.project->id < v;
      });
}

void AppendOptional(std::string& key, const std::optional<std::string>& v) {
  // Length-prefixed, so no value can imitate a separator.
  if (v) {
    absl::StrAppend(&key, v->size(), ":", *v, "|");
  } else {
    key += "-|";
  }
}

bool Unfiltered(const ProjectFilter& f) {
  return !f.level && !f.chapter && !f.park && !f.sector && !f.stage &&
         !f.lead && !f.id;
}

}  // namespace

std::string EvaluationKey(const ProgressQuery& q) {
  std::string key = absl::StrCat(
      q.year, "|", q.as_of_month, "|", q.report_month, "|",
      FormatDate(q.as_of_date), "|", q.active_only, "|", q.baseline, "|",
      q.known_at ? absl::ToUnixMicros(*q.known_at) : -1, "|",
      q.problems_at ? absl::ToUnixMicros(*q.problems_at) : -1, "|",
      // Without a level the level year changes nothing: one key, so a
      // filtered query finds the unfiltered one it can be narrowed from.
      q.filter.level ? q.filter.level_year : 0, "|",
      q.filter.chapter ? absl::StrCat(*q.filter.chapter) : "-", "|");
  AppendOptional(key, q.filter.level);
  AppendOptional(key, q.filter.park);
  AppendOptional(key, q.filter.sector);
  AppendOptional(key, q.filter.stage);
  AppendOptional(key, q.filter.lead);
  AppendOptional(key, q.filter.id);
  return key;
}

bool MatchesFilter(const ProjectBrief& p, const ProjectFilter& f) {
  if (f.level && std::none_of(p.levels.begin(), p.levels.end(),
                              [&](const YearLevelRecord& l) {
                                return l.year == f.level_year &&
                                       l.level == *f.level;
                              })) {
    return false;
  }
  if (f.lead &&
      std::find(p.leads.begin(), p.leads.end(), *f.lead) == p.leads.end()) {
    return false;
  }
  return (!f.chapter || p.chapter == *f.chapter) &&
         (!f.park || p.park == *f.park) &&
         (!f.sector || p.sector == *f.sector) &&
         (!f.stage || p.stage == *f.stage) && (!f.id || p.id == *f.id);
}

absl::StatusOr<Evaluation> Evaluation::Read(StoreReader& r,
                                            const ProgressQuery& q,
                                            const StatusThresholds& thresholds,
                                            bool kept) {
  if (q.known_at.has_value()) {
    ASSIGN_OR_RETURN(std::vector<ProgressRow> rows, r.ListProgress(q));
    return FromRows(std::move(rows), q, thresholds);
  }
  Evaluation e;
  // Only the whole portfolio's are kept: only it is made into others.
  e.derivable_ = kept && Unfiltered(q.filter);
  e.pooled_ = kept;
  RETURN_IF_ERROR(r.ReadYearInputs(
      q.filter, q.year, q.baseline,
      [&](size_t most) {
        // Room for every project first: growing by doubling would copy a
        // province's inputs while both copies are resident. Pages reserved
        // but never filled cost no memory.
        e.items_.reserve(most);
        if (e.derivable_) {
          e.inputs_.reserve(most);
          e.keys_.reserve(most);
        }
      },
      [&](ProjectYearInputs& p) {
        if (!InYearPortfolio(p.project, p.inputs, q.active_only)) return;
        auto item = e.NewItem();
        item->row.project =
            std::make_shared<const ProjectBrief>(std::move(p.project));
        DeriveProgress(p.inputs, q, item->row);
        item->status = StatusUnder(item->row, q, thresholds);
        if (e.derivable_) {
          e.inputs_.push_back(std::move(p.inputs));
          e.keys_.push_back(e.KeysOf(*item->row.project));
        }
        e.items_.push_back(std::move(item));
      }));
  // A filter matched few: give back the room it did not need.
  if (e.items_.capacity() > 2 * e.items_.size() + 64) {
    e.items_.shrink_to_fit();
    e.inputs_.shrink_to_fit();
    e.keys_.shrink_to_fit();
  }
  return e;
}

Evaluation Evaluation::FromRows(std::vector<ProgressRow> rows,
                                const ProgressQuery& q,
                                const StatusThresholds& thresholds) {
  Evaluation e;
  e.items_.reserve(rows.size());
  for (ProgressRow& row : rows) {
    auto item = e.NewItem();
    item->row = std::move(row);
    item->status = StatusUnder(item->row, q, thresholds);
    e.items_.push_back(std::move(item));
  }
  return e;
}

namespace {

// The items of kept evaluations: blocks of one size (an item with its
// shared count, the size first asked for), carved in order from 1 MiB
// chunks and given back to a list that hands out the last given back
// first; one pool for every thread, under a lock (the standard
// synchronized pool keeps pools per thread, and the server's threads
// come and go). Memory touched once is used again before any untouched:
// on a virtual machine the first touch of a page costs 9-12 us, and the
// standard unsynchronized pool, used before, hands out the untouched rest
// of its newest chunk before the blocks given back to older ones. A
// read's items are carved in order, side by side, as before. Blocks of
// another size or alignment (none in practice) come from the heap.
// Chunks are never given back: the cache's row budget bounds them.
class LockedPool : public std::pmr::memory_resource {
 private:
  static constexpr size_t kAlign = alignof(std::max_align_t);
  static constexpr size_t kChunk = size_t{1} << 20;
  static size_t RoundUp(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

  void* do_allocate(size_t bytes, size_t alignment) override {
    absl::MutexLock lock(&mu_);
    if (block_ == 0) block_ = RoundUp(bytes);
    if (RoundUp(bytes) != block_ || alignment > kAlign) {
      return ::operator new(bytes, std::align_val_t(alignment));
    }
    if (free_ != nullptr) {
      void* p = free_;
      free_ = *static_cast<void**>(p);
      return p;
    }
    return Carve();
  }
  void do_deallocate(void* p, size_t bytes, size_t alignment) override {
    absl::MutexLock lock(&mu_);
    if (RoundUp(bytes) != block_ || alignment > kAlign) {
      ::operator delete(p, std::align_val_t(alignment));
      return;
    }
    Free(p);
  }
  bool do_is_equal(const memory_resource& other) const noexcept override {
    return this == &other;
  }
  void* Carve() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (left_ < block_) {
      next_ = static_cast<char*>(::operator new(kChunk));
      left_ = kChunk;
    }
    void* p = next_;
    next_ += block_;
    left_ -= block_;
    return p;
  }
  void Free(void* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    *static_cast<void**>(p) = free_;
    free_ = p;
  }

  absl::Mutex mu_;
  size_t block_ ABSL_GUARDED_BY(mu_) = 0;
  void* free_ ABSL_GUARDED_BY(mu_) = nullptr;
  char* next_ ABSL_GUARDED_BY(mu_) = nullptr;
  size_t left_ ABSL_GUARDED_BY(mu_) = 0;
};

LockedPool& ItemPool() {
  // Never destroyed: an item may be let go of during static destruction.
  static LockedPool* const pool = new LockedPool();
  return *pool;
}

}  // namespace

std::shared_ptr<Evaluation::Item> Evaluation::NewItem() const {
#ifdef __SANITIZE_ADDRESS__
  // A pooled block is never freed, so the sanitizer could not see an item
  // used after it went.
  constexpr bool kPool = false;
#else
  constexpr bool kPool = true;
#endif
  if (!kPool || !pooled_) return std::make_shared<Item>();
  return std::allocate_shared<Item>(
      std::pmr::polymorphic_allocator<Item>(&ItemPool()));
}

void Evaluation::ReserveItems(size_t items) {
  Evaluation e;
  e.pooled_ = true;
  Items held;
  held.reserve(items);
  // Taken and given back (as `held` goes): the pool's list then holds
  // them, touched.
  for (size_t i = 0; i < items; ++i) held.push_back(e.NewItem());
}

uint32_t Evaluation::Texts::Number(const std::string& text) {
  return numbers_.try_emplace(text, static_cast<uint32_t>(numbers_.size()))
      .first->second;
}

std::optional<uint32_t> Evaluation::Texts::Find(const std::string& text) const {
  auto it = numbers_.find(text);
  if (it == numbers_.end()) return std::nullopt;
  return it->second;
}

Evaluation::FilterKeys Evaluation::KeysOf(const ProjectBrief& p) {
  return FilterKeys{parks_.Number(p.park), sectors_.Number(p.sector),
                    stages_.Number(p.stage), p.chapter};
}

std::vector<uint32_t> Evaluation::Matching(const ProjectFilter& f) const {
  std::vector<uint32_t> passing;
  const uint32_t n = static_cast<uint32_t>(items_.size());
  if (f.id) {
    // Rows are in id order.
    auto at = FindId(items_, *f.id);
    if (at != items_.end() && MatchesFilter(*(*at)->row.project, f)) {
      passing.push_back(static_cast<uint32_t>(at - items_.begin()));
    }
    return passing;
  }
  if (derivable_ && (f.park || f.sector || f.stage || f.chapter)) {
    // Every row's texts are numbered: a text without a number is on no
    // row.
    std::optional<uint32_t> park, sector, stage;
    if (f.park && !(park = parks_.Find(*f.park))) return passing;
    if (f.sector && !(sector = sectors_.Find(*f.sector))) return passing;
    if (f.stage && !(stage = stages_.Find(*f.stage))) return passing;
    // The keys say all of it but a level or a lead.
    const bool rest = f.level || f.lead;
    for (uint32_t i = 0; i < n; ++i) {
      const FilterKeys& k = keys_[i];
      if ((!park || k.park == *park) && (!sector || k.sector == *sector) &&
          (!stage || k.stage == *stage) &&
          (!f.chapter || k.chapter == *f.chapter) &&
          (!rest || MatchesFilter(*items_[i]->row.project, f))) {
        passing.push_back(i);
      }
    }
    return passing;
  }
  // Each row's item and then its project is a memory load of its own,
  // which at province scale misses the cache: asked for ahead, in two
  // stages, they arrive together.
  constexpr uint32_t kItems = 32, kProjects = 16;
  for (uint32_t i = 0; i < n; ++i) {
    if (i + kItems < n) __builtin_prefetch(items_[i + kItems].get());
    if (i + kProjects < n) {
      __builtin_prefetch(items_[i + kProjects]->row.project.get());
    }
    if (MatchesFilter(*items_[i]->row.project, f)) passing.push_back(i);
  }
  return passing;
}

Evaluation Evaluation::Subset(const std::vector<uint32_t>& indices) const {
  Evaluation e;
  e.pooled_ = pooled_;  // for the items its refreshes make
  e.items_.reserve(indices.size());
  // Each item's count is touched: loads started early, as in Matching.
  constexpr size_t kAhead = 8;
  for (size_t k = 0; k < indices.size(); ++k) {
    if (k + kAhead < indices.size()) {
      __builtin_prefetch(items_[indices[k + kAhead]].get());
    }
    e.items_.push_back(items_[indices[k]]);
  }
  return e;
}

Evaluation Evaluation::Derive(const std::vector<uint32_t>& indices,
                              const ProgressQuery& q,
                              const StatusThresholds& thresholds) const {
  Evaluation e;
  e.pooled_ = pooled_;
  e.items_.reserve(indices.size());
  for (uint32_t i : indices) {
    auto item = e.NewItem();
    item->row.project = items_[i]->row.project;
    DeriveProgress(inputs_[i], q, item->row);
    item->status = StatusUnder(item->row, q, thresholds);
    e.items_.push_back(std::move(item));
  }
  return e;
}

void Evaluation::NoteChanged(uint32_t i) {
  if (!order_valid_) return;  // sorted whole when next asked
  changed_.push_back(i);
  // Past a quarter of the rows, a merge costs about what a sort does; and
  // a question asked only for summaries after its order was once asked
  // would otherwise keep every change it is given.
  if (changed_.size() > items_.size() / 4) {
    order_valid_ = false;
    changed_.clear();
  }
}

Evaluation::Item& Evaluation::Recompute(size_t i) {
  std::shared_ptr<Item>& item = items_[i];
  if (item.use_count() == 1) {
    // Nobody else holds it, and nobody can take it without this
    // evaluation's lock. Whoever let go of it last finished reading it
    // before: libstdc++ (as libc++) lets go with an acquire-release
    // decrement, and this fence orders this call's writes after it.
    std::atomic_thread_fence(std::memory_order_acquire);
    return *item;
  }
  auto fresh = NewItem();
  fresh->row.project = item->row.project;
  item = std::move(fresh);
  return *item;
}

void Evaluation::Reevaluate(const ProgressQuery& q,
                            const StatusThresholds& thresholds) {
  for (size_t i = 0; i < items_.size(); ++i) {
    Item& item = Recompute(i);
    DeriveProgress(inputs_[i], q, item.row);
    item.status = StatusUnder(item.row, q, thresholds);
  }
  order_valid_ = false;
  changed_.clear();
}

const std::vector<uint32_t>& Evaluation::WorstFirst() {
  const WorseFirst worse{&items_};
  if (order_valid_ && !changed_.empty()) {
    // A few rows changed in place: take them out, sort them, and merge
    // them back, rather than sort everything again.
    std::vector<bool> moved(items_.size(), false);
    for (uint32_t i : changed_) moved[i] = true;
    order_.erase(std::remove_if(order_.begin(), order_.end(),
                                [&](uint32_t i) { return moved[i]; }),
                 order_.end());
    std::sort(changed_.begin(), changed_.end());
    changed_.erase(std::unique(changed_.begin(), changed_.end()),
                   changed_.end());
    std::sort(changed_.begin(), changed_.end(), worse);
    const size_t kept = order_.size();
    order_.insert(order_.end(), changed_.begin(), changed_.end());
    std::inplace_merge(order_.begin(), order_.begin() + kept, order_.end(),
                       worse);
  } else if (!order_valid_) {
    // Sorted on the keys, side by side: through the row numbers, every
    // comparison loaded two statuses from wherever they lay, a fifth of a
    // park's first status page at 100,000 projects (profiled).
    std::vector<RankKey> keys(items_.size());
    for (uint32_t i = 0; i < keys.size(); ++i) keys[i] = KeyOf(items_, i);
    std::sort(keys.begin(), keys.end(), Worse);
    order_.resize(keys.size());
    for (size_t k = 0; k < keys.size(); ++k) order_[k] = keys[k].row;
  }
  order_valid_ = true;
  changed_.clear();
  return order_;
}

absl::Status Evaluation::Refresh(StoreReader& r, const ProgressQuery& q,
                                 const StatusThresholds& thresholds,
                                 const std::vector<std::string>& ids) {
  for (const std::string& id : ids) {
    // A query for one project is outside scope for every other id.
    if (q.filter.id && *q.filter.id != id) continue;
    std::optional<ProgressRow> fresh;
    YearInputs inputs;
    // Kept questions never have known_at: the same derivation as Read.
    if (!q.known_at) {
      ProjectFilter one = q.filter;
      one.id = id;
      RETURN_IF_ERROR(r.ReadYearInputs(
          one, q.year, q.baseline, [](size_t) {},
          [&](ProjectYearInputs& p) {
            if (!InYearPortfolio(p.project, p.inputs, q.active_only)) return;
            fresh.emplace();
            fresh->project =
                std::make_shared<const ProjectBrief>(std::move(p.project));
            DeriveProgress(p.inputs, q, *fresh);
            inputs = std::move(p.inputs);
          }));
    } else {
      ProgressQuery one = q;
      one.filter.id = id;
      ASSIGN_OR_RETURN(std::vector<ProgressRow> rows, r.ListProgress(one));
      if (!rows.empty()) fresh = std::move(rows.front());
    }
    auto at = FindId(items_, id);
    const size_t i = static_cast<size_t>(at - items_.begin());
    const bool present = at != items_.end() && (*at)->row.project->id == id;
    if (!fresh) {
      if (!present) continue;
      items_.erase(at);
      if (derivable_) {
        inputs_.erase(inputs_.begin() + i);
        keys_.erase(keys_.begin() + i);
      }
      order_valid_ = false;
      continue;
    }
    // A new item, not the old one changed: evaluations narrowed from this
    // one may hold the old one.
    auto item = NewItem();
    item->row = std::move(*fresh);
    item->status = StatusUnder(item->row, q, thresholds);
    if (present) {
      if (derivable_) {
        inputs_[i] = std::move(inputs);
        keys_[i] = KeysOf(*item->row.project);
      }
      items_[i] = std::move(item);
      NoteChanged(static_cast<uint32_t>(i));
    } else {
      if (derivable_) {
        inputs_.insert(inputs_.begin() + i, std::move(inputs));
        keys_.insert(keys_.begin() + i, KeysOf(*item->row.project));
      }
      items_.insert(at, std::move(item));
      order_valid_ = false;
    }
  }
  if (!order_valid_) changed_.clear();
  return absl::OkStatus();
}

Evaluation::Update Evaluation::Plan(const ProgressQuery& q,
                                    const ProgressChanges& changes) const {
  Update update;
  update.reread = changes.stamped;
  auto stamped = [&](const std::string& id) {
    return std::binary_search(changes.stamped.begin(), changes.stamped.end(),
                              id);
  };
  // The year's entries by project, each project's in ledger order.
  std::vector<const ProgressChanges::Entry*> year;
  for (const ProgressChanges::Entry& e : changes.entries) {
    // Another year's entry is in no input of this year's (ReadYearInputs
    // and InYearPortfolio read q.year's entries only); a month out of
    // range, in none (ReadMonths skips it, and the table refuses it).
    if (e.year == q.year && e.month >= 1 && e.month <= 12) year.push_back(&e);
  }
  std::stable_sort(
      year.begin(), year.end(),
      [](const ProgressChanges::Entry* a, const ProgressChanges::Entry* b) {
        return a->project_id < b->project_id;
      });
  for (size_t begin = 0, end = 0; begin < year.size(); begin = end) {
    const std::string& id = year[begin]->project_id;
    end = begin;
    while (end < year.size() && year[end]->project_id == id) ++end;
    if (stamped(id)) continue;  // re-read, with these entries
    const auto at = FindId(items_, id);
    if (at == items_.end() || (*at)->row.project->id != id) {
      // Not shown: a finished project an entry in the year brings in, or
      // one no entry can (InYearPortfolio decides, on a re-read).
      update.reread.push_back(id);
      continue;
    }
    Update::Added added;
    added.row = static_cast<uint32_t>(at - items_.begin());
    added.amount.fill(0);
    added.months = 0;
    const YearInputs& in = inputs_[added.row];
    bool overflow = false;
    for (size_t k = begin; k < end && !overflow; ++k) {
      const int m = year[k]->month - 1;
      int64_t sum = 0;
      overflow = __builtin_add_overflow(added.amount[m], year[k]->amount,
                                        &added.amount[m]) ||
                 __builtin_add_overflow(in.completed[m], added.amount[m], &sum);
      added.months |= static_cast<uint16_t>(1u << m);
    }
    if (overflow) {
      // Beyond int64: the store's own sum says what that means.
      update.reread.push_back(id);
    } else {
      update.added.push_back(added);
    }
  }
  std::sort(update.reread.begin(), update.reread.end());
  return update;
}

absl::Status Evaluation::Apply(StoreReader& r, const ProgressQuery& q,
                               const StatusThresholds& thresholds,
                               const Update& update) {
  for (const Update::Added& added : update.added) {
    YearInputs& in = inputs_[added.row];
    for (int m = 0; m < 12; ++m) {
      if (added.amount[m] != 0)
        in.completed.Set(m, in.completed[m] + added.amount[m]);
    }
    in.reported |= added.months;
    Item& item = Recompute(added.row);
    DeriveProgress(in, q, item.row);
    item.status = StatusUnder(item.row, q, thresholds);
    NoteChanged(added.row);
  }
  // After the rows above: a project re-read may come in or leave, which
  // moves the rows after it.
  return Refresh(r, q, thresholds, update.reread);
}

EvaluationCache::EvaluationCache(StatusThresholds thresholds, size_t max_rows,
                                 size_t max_entries, size_t move_rows)
    : thresholds_(thresholds),
      max_rows_(max_rows),
      max_entries_(std::max<size_t>(max_entries, 1)),
      move_rows_(move_rows) {}

EvaluationCache::Stats EvaluationCache::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

EvaluationCache::Entry::Entry(std::string key, const ProgressQuery& query)
    : key(std::move(key)),
      query(query),
      // Inputs are read for a year on a basis, and the portfolio they make
      // depends on active_only; the month, dates and report month do not
      // change them.
      book(absl::StrCat(query.year, "|", query.baseline, "|",
                        query.active_only)),
      unfiltered(Unfiltered(query.filter)) {}

std::shared_ptr<EvaluationCache::Entry> EvaluationCache::Find(
    const ProgressQuery& q) {
  std::string key = EvaluationKey(q);
  absl::MutexLock lock(&mu_);
  // A short list (max_entries_): a scan costs less than keeping an index.
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if ((*it)->key == key) {
      entries_.splice(entries_.begin(), entries_, it);  // most recent
      return entries_.front();
    }
  }
  entries_.push_front(std::make_shared<Entry>(std::move(key), q));
  return entries_.front();
}

std::shared_ptr<EvaluationCache::Entry> EvaluationCache::FindSource(
    const Entry& target) {
  std::string whole_key;
  if (!target.unfiltered) {
    ProgressQuery whole = target.query;
    whole.filter = ProjectFilter();
    whole_key = EvaluationKey(whole);
  }
  absl::MutexLock lock(&mu_);
  auto found = entries_.end(), other_month = entries_.end();
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    const Entry& e = **it;
    if (&e == &target || !e.unfiltered || e.book != target.book) continue;
    // The same question, unless a move emptied it (another month may hold
    // its rows now).
    if (e.key == whole_key && e.rows > 0) {
      found = it;
      break;
    }
    // Most recently used first: the one most likely up to date.
    if (other_month == entries_.end() && e.keeps_inputs) other_month = it;
  }
  if (found == entries_.end()) found = other_month;
  if (found == entries_.end()) return nullptr;
  // In use: the last to be evicted to make room for what is made of it.
  entries_.splice(entries_.begin(), entries_, found);
  return entries_.front();
}

uint64_t EvaluationCache::NextTicket(int waiting) {
  absl::MutexLock lock(&mu_);
  stats_.waiting += waiting;
  return ++tickets_;
}

void EvaluationCache::Evict(const Entry* keep, const Entry* keep_too,
                            size_t reserve, Evicted* evicted,
                            size_t* freed_rows) {
  size_t total = reserve;
  for (const auto& e : entries_) total += std::max<size_t>(e->rows, 1);
  // Least recently used first; `keep` stays whatever its size.
  for (auto it = entries_.end();
       it != entries_.begin() &&
       (total > max_rows_ || entries_.size() > max_entries_);) {
    --it;
    if (it->get() == keep || it->get() == keep_too) continue;
    total -= std::max<size_t>((*it)->rows, 1);
    *freed_rows += (*it)->rows;
    evicted->push_back(std::move(*it));
    it = entries_.erase(it);
  }
}

void EvaluationCache::Release(Evicted evicted, size_t freed_rows) {
  evicted.clear();  // a call still using one keeps it alive until done
#ifdef __GLIBC__
  // Freed memory otherwise stays with the allocator's per-thread arenas,
  // where the next evaluation, read on another thread, cannot reuse it
  // (the briefs, inputs and the rest; the rows' items stay in their pool).
  if (freed_rows >= kTrimRows) malloc_trim(0);
#else
  (void)freed_rows;
#endif
}

absl::StatusOr<bool> EvaluationCache::RefreshMarked(Entry& entry,
                                                    StoreReader& r,
                                                    const ProgressQuery& q,
                                                    const ProgressMark& mark) {
  if (mark.entries - entry.mark.entries > kMaxRefreshEntries) return false;
  if (entry.evaluation.derivable()) {
    // Every entry since the mark: ids ascend, so there are no more of them
    // than the ids between the two marks.
    ASSIGN_OR_RETURN(const ProgressChanges changes,
                     r.ProgressChangesAfter(entry.mark, kMaxRefresh + 1,
                                            kMaxRefreshEntries));
    if (static_cast<int64_t>(changes.stamped.size()) > kMaxRefresh) {
      return false;
    }
    const Evaluation::Update update = entry.evaluation.Plan(q, changes);
    if (static_cast<int64_t>(update.reread.size()) > kMaxRefresh) return false;
    // Invalid until the update succeeds, as below.
    entry.valid = false;
    RETURN_IF_ERROR(entry.evaluation.Apply(r, q, thresholds_, update));
    entry.valid = true;
    entry.mark = mark;
    absl::MutexLock lock(&mu_);
    stats_.refreshed_projects += static_cast<int64_t>(update.reread.size());
    stats_.applied_projects += static_cast<int64_t>(update.added.size());
    return true;
  }
  ASSIGN_OR_RETURN(std::vector<std::string> ids,
                   r.ProjectsMarkedAfter(entry.mark, kMaxRefresh + 1));
  if (static_cast<int64_t>(ids.size()) > kMaxRefresh) return false;
  // Invalid until the refresh succeeds, so an error half-way leaves
  // nothing half-updated to be served later.
  entry.valid = false;
  RETURN_IF_ERROR(entry.evaluation.Refresh(r, q, thresholds_, ids));
  entry.valid = true;
  entry.mark = mark;
  absl::MutexLock lock(&mu_);
  stats_.refreshed_projects += static_cast<int64_t>(ids.size());
  return true;
}

absl::StatusOr<EvaluationCache::Narrowing> EvaluationCache::Narrow(
    Entry& entry, StoreReader& r, const ProgressQuery& q,
    const ProgressMark& mark, uint64_t begun, absl::Time instant,
    Evicted* evicted, size_t* freed_rows)
    // The analysis cannot follow a lock taken by a try or by a call and
    // released by a destructor.
    ABSL_NO_THREAD_SAFETY_ANALYSIS {
  std::shared_ptr<Entry> source = FindSource(entry);
  if (source == nullptr) return Narrowing::kUnavailable;
  // Two unfiltered entries are locked in key order; against that order
  // only a try, so that two calls never wait for each other.
  if (entry.unfiltered && !(source->key < entry.key)) {
    if (!source->mu.TryLock()) return Narrowing::kUnavailable;
  } else {
    source->mu.Lock();
  }
  struct Unlock {
    absl::Mutex& mu;
    ~Unlock() { mu.Unlock(); }
  } unlock{source->mu};
  return NarrowLocked(entry, *source, r, q, mark, begun, instant, evicted,
                      freed_rows);
}

absl::StatusOr<EvaluationCache::Narrowing> EvaluationCache::NarrowLocked(
    Entry& entry, Entry& source, StoreReader& r, const ProgressQuery& q,
    const ProgressMark& mark, uint64_t begun, absl::Time instant,
    Evicted* evicted, size_t* freed_rows) {
  if (!source.valid) return Narrowing::kUnavailable;
  const bool same_question = !entry.unfiltered && [&] {
    ProgressQuery whole = q;
    whole.filter = ProjectFilter();
    return EvaluationKey(whole) == source.key;
  }();
  if (!same_question && !source.evaluation.derivable()) {
    return Narrowing::kUnavailable;
  }
  // Updated from a newer snapshot while this call waited for it: its rows
  // could hold writes this read cannot see.
  if (source.mark > mark) return Narrowing::kNewer;
  if (source.mark < mark) {
    ASSIGN_OR_RETURN(const bool refreshed,
                     RefreshMarked(source, r, source.query, mark));
    if (!refreshed) return Narrowing::kUnavailable;
    // A call waiting for the source answers from it as refreshed here,
    // with this snapshot's instant.
    source.instant = instant;
    source.updated_after = begun;
  }
  const size_t source_rows = source.evaluation.rows().size();
  // An unfiltered question for another month: when the two would not fit
  // side by side, or the copy would cost more than computing in place, the
  // source's rows become this entry's, computed again in place.
  const bool move = entry.unfiltered &&
                    (2 * source_rows > max_rows_ || source_rows > move_rows_);
  std::vector<uint32_t> rows;
  if (!move) {
    rows = source.evaluation.Matching(q.filter);
  }
  // A copy of a whole month is as large as a whole read, and takes turns
  // with them: the room each makes holds while it is filled.
  std::optional<absl::MutexLock> whole_lock;
  if (entry.unfiltered && !move) whole_lock.emplace(&whole_read_mu_);
  {
    // Room first, as a whole read makes it: the copy may be large. The
    // source stays, whatever else goes.
    Evicted evicted_now;
    size_t freed_now = entry.evaluation.rows().size();
    entry.evaluation = Evaluation();
    {
      absl::MutexLock lock(&mu_);
      source.rows = source_rows;  // refreshed: may differ
      entry.rows = 0;
      if (!move) {
        Evict(&entry, &source, rows.size(), &evicted_now, &freed_now);
      }
    }
    Release(std::move(evicted_now), freed_now);
  }
  if (move) {
    entry.evaluation = std::move(source.evaluation);
    source.evaluation = Evaluation();
    source.valid = false;
    entry.evaluation.Reevaluate(q, thresholds_);
  } else if (same_question) {
    entry.evaluation = source.evaluation.Subset(rows);
  } else {
    entry.evaluation = source.evaluation.Derive(rows, q, thresholds_);
  }
  whole_lock.reset();
  entry.valid = true;
  entry.mark = mark;
  absl::MutexLock lock(&mu_);
  if (same_question) {
    ++stats_.narrowed_reads;
  } else {
    ++stats_.derived_reads;
  }
  if (move) {
    ++stats_.moved_evaluations;
    source.rows = 0;
    source.keeps_inputs = false;
  }
  entry.rows = entry.evaluation.rows().size();
  entry.keeps_inputs = entry.evaluation.derivable();
  Evict(&entry, &source, 0, evicted, freed_rows);
  return Narrowing::kDone;
}

absl::Status EvaluationCache::Update(Entry& entry, StoreReader& r,
                                     const ProgressQuery& q,
                                     const ProgressMark& mark, uint64_t begun,
                                     absl::Time instant, bool may_retry,
                                     bool* retry, Evicted* evicted,
                                     size_t* freed_rows) {
  if (entry.valid && entry.mark < mark) {
    ASSIGN_OR_RETURN(const bool refreshed, RefreshMarked(entry, r, q, mark));
    if (!refreshed) entry.valid = false;
  }
  if (!entry.valid) {
    ASSIGN_OR_RETURN(
        const Narrowing narrowing,
        Narrow(entry, r, q, mark, begun, instant, evicted, freed_rows));
    if (narrowing == Narrowing::kDone) return absl::OkStatus();
    if (narrowing == Narrowing::kNewer && may_retry) {
      *retry = true;
      return absl::OkStatus();
    }
  }
  bool read_whole = false;
  if (!entry.valid) {
    read_whole = true;
    // One whole read at a time, and room made before it, not after: for
    // as many rows as this query held before or (new and unfiltered) as the
    // largest read. The evicted entries are dropped and their memory given
    // back before the read begins, so a server never holds two
    // province-sized evaluations at once.
    absl::MutexLock whole_lock(&whole_read_mu_);
    const bool unfiltered = Unfiltered(q.filter);
    size_t expected = entry.evaluation.rows().size();
    size_t freed_now = expected;
    entry.evaluation = Evaluation();
    Evicted evicted_now;
    {
      absl::MutexLock lock(&mu_);
      if (expected == 0 && unfiltered) expected = largest_;
      entry.rows = 0;
      Evict(&entry, nullptr, expected, &evicted_now, &freed_now);
    }
    Release(std::move(evicted_now), freed_now);
    ASSIGN_OR_RETURN(entry.evaluation,
                     Evaluation::Read(r, q, thresholds_, /*kept=*/true));
    entry.valid = true;
    entry.mark = mark;
    // The read's texts, parsed and dropped, were interleaved with the
    // briefs and inputs it kept: hand the free pages among them back.
    Release(Evicted(), entry.evaluation.rows().size());
  }
  absl::MutexLock lock(&mu_);
  if (read_whole) ++stats_.whole_reads;
  entry.rows = entry.evaluation.rows().size();
  entry.keeps_inputs = entry.evaluation.derivable();
  largest_ = std::max(largest_, entry.rows);
  Evict(&entry, nullptr, 0, evicted, freed_rows);
  return absl::OkStatus();
}

absl::Status EvaluationCache::Use(
    Store& store, const ProgressQuery& q,
    absl::FunctionRef<absl::Status(StoreReader&, Evaluation&)> fn) {
  // No wall time: an instant from the snapshot's own stamps, so that a
  // caller on a fake clock never has later stamps pushed to today's date.
  return Use(
      store, q, absl::InfinitePast(),
      [&](StoreReader& r, Evaluation& e, absl::Time) { return fn(r, e); });
}

absl::Status EvaluationCache::Use(
    Store& store, const ProgressQuery& q, absl::Time wall,
    absl::FunctionRef<absl::Status(StoreReader&, Evaluation&, absl::Time)> fn) {
  if (q.known_at.has_value()) {
    return store.Read([&](StoreReader& r) -> absl::Status {
      ASSIGN_OR_RETURN(Evaluation e, Evaluation::Read(r, q, thresholds_));
      {
        absl::MutexLock lock(&mu_);
        ++stats_.uncached_reads;
      }
      return fn(r, e, *q.known_at);
    });
  }
  std::shared_ptr<Entry> entry = Find(q);
  Evicted evicted;
  size_t freed_rows = 0;
  absl::Status status;
  // Every write acknowledged before this ticket is in any snapshot that
  // begins after it.
  const uint64_t arrived = NextTicket(/*waiting=*/1);
  {
    absl::MutexLock entry_lock(&entry->mu);
    NextTicket(/*waiting=*/-1);
    // The analysis cannot see that the lambda runs under entry_lock.
    // A second read, once, when the unfiltered entry this call would be
    // narrowed from was brought past its snapshot while it waited: the
    // next snapshot is newer, so the narrowing can go ahead.
    bool retry = false;
    for (int attempt = 0; attempt < 2; ++attempt) {
      retry = false;
      status = store.Read([&](StoreReader& r) ABSL_NO_THREAD_SAFETY_ANALYSIS
                          -> absl::Status {
        if (entry->valid && entry->updated_after > arrived) {
          // Brought up to date, while this call waited, from a snapshot
          // that began after this call was made: reading the changes
          // again would find only later ones.
          {
            absl::MutexLock lock(&mu_);
            ++stats_.shared_updates;
          }
          return fn(r, entry->evaluation, entry->instant);
        }
        // Taken before this read's first statement, which is when its
        // snapshot begins.
        const uint64_t begun = NextTicket();
        // The mark first: this snapshot's changes are exactly those at or
        // below it.
        ASSIGN_OR_RETURN(const ProgressMark mark, r.LatestProgressMark());
        ASSIGN_OR_RETURN(const absl::Time instant, r.ReproducibleInstant(wall));
        if (entry->valid && entry->mark > mark) {
          // Not expected: the read began after the entry's last update,
          // under its lock. Should a snapshot ever be older, answer from
          // it.
          ASSIGN_OR_RETURN(Evaluation e, Evaluation::Read(r, q, thresholds_));
          return fn(r, e, instant);
        }
        RETURN_IF_ERROR(Update(*entry, r, q, mark, begun, instant,
                               /*may_retry=*/attempt == 0, &retry, &evicted,
                               &freed_rows));
        if (retry) return absl::OkStatus();  // fn runs in the next read
        entry->instant = instant;
        entry->updated_after = begun;
        return fn(r, entry->evaluation, entry->instant);
      });
      if (!status.ok() || !retry) break;
    }
  }
  Release(std::move(evicted), freed_rows);  // outside every lock
  return status;
}

}  // namespace portfolio
