#include "server/evaluation_cache.h"

#include <malloc.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/period.h"
#include "common/status_macros.h"

namespace portfolio {
namespace {

// Worse first: red before amber before green, then further behind, then
// lower index (rows are in id order, so that is the id).
struct WorseFirst {
  const std::vector<ProjectStatusResult>* statuses;
  bool operator()(uint32_t a, uint32_t b) const {
    const ProjectStatusResult& sa = (*statuses)[a];
    const ProjectStatusResult& sb = (*statuses)[b];
    if (sa.rag != sb.rag) return sa.rag > sb.rag;
    if (sa.gap_points != sb.gap_points) return sa.gap_points < sb.gap_points;
    return a < b;
  }
};

void AppendOptional(std::string& key, const std::optional<std::string>& v) {
  // Length-prefixed, so no value can imitate a separator.
  if (v) {
    absl::StrAppend(&key, v->size(), ":", *v, "|");
  } else {
    key += "-|";
  }
}

// Summaries and status lists use a project's id, name, chapter, sector,
// park, stage, levels, leads and total investment. The free-text rest is
// dropped from evaluated rows: at province scale it is tens of megabytes.
void Slim(ProgressRow& row) {
  for (std::string* text : {&row.project.owner, &row.project.national_code,
                            &row.project.capacity, &row.project.source}) {
    std::string().swap(*text);
  }
}

}  // namespace

std::string EvaluationKey(const ProgressQuery& q) {
  std::string key = absl::StrCat(
      q.year, "|", q.as_of_month, "|", q.report_month, "|",
      FormatDate(q.as_of_date), "|", q.active_only, "|", q.baseline, "|",
      q.known_at ? absl::ToUnixMicros(*q.known_at) : -1, "|",
      q.problems_at ? absl::ToUnixMicros(*q.problems_at) : -1, "|",
      q.filter.level_year, "|", q.filter.chapter ? *q.filter.chapter : -1, "|");
  AppendOptional(key, q.filter.level);
  AppendOptional(key, q.filter.park);
  AppendOptional(key, q.filter.sector);
  AppendOptional(key, q.filter.stage);
  AppendOptional(key, q.filter.lead);
  AppendOptional(key, q.filter.id);
  return key;
}

absl::StatusOr<Evaluation> Evaluation::Read(
    StoreReader& r, const ProgressQuery& q,
    const StatusThresholds& thresholds) {
  Evaluation e;
  ASSIGN_OR_RETURN(e.rows_, r.ListProgress(q));
  e.statuses_.reserve(e.rows_.size());
  for (ProgressRow& row : e.rows_) {
    Slim(row);
    e.statuses_.push_back(
        EvaluateStatus(row, q.year, q.as_of_month, q.as_of_date, thresholds));
  }
  return e;
}

const std::vector<uint32_t>& Evaluation::WorstFirst() {
  const WorseFirst worse{&statuses_};
  if (order_valid_ && !changed_.empty()) {
    // A few rows changed in place: take them out, sort them, and merge
    // them back, rather than sort everything again.
    std::vector<bool> moved(rows_.size(), false);
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
    order_.resize(rows_.size());
    for (uint32_t i = 0; i < order_.size(); ++i) order_[i] = i;
    std::sort(order_.begin(), order_.end(), worse);
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
    ProgressQuery one = q;
    one.filter.id = id;
    ASSIGN_OR_RETURN(std::vector<ProgressRow> fresh, r.ListProgress(one));
    for (ProgressRow& row : fresh) Slim(row);
    auto at =
        std::lower_bound(rows_.begin(), rows_.end(), id,
                         [](const ProgressRow& row, const std::string& v) {
                           return row.project.id < v;
                         });
    const size_t i = static_cast<size_t>(at - rows_.begin());
    const bool present = at != rows_.end() && at->project.id == id;
    if (fresh.empty()) {
      if (!present) continue;
      rows_.erase(at);
      statuses_.erase(statuses_.begin() + i);
      order_valid_ = false;
      continue;
    }
    ProjectStatusResult status = EvaluateStatus(
        fresh.front(), q.year, q.as_of_month, q.as_of_date, thresholds);
    if (present) {
      *at = std::move(fresh.front());
      statuses_[i] = std::move(status);
      changed_.push_back(static_cast<uint32_t>(i));
    } else {
      rows_.insert(at, std::move(fresh.front()));
      statuses_.insert(statuses_.begin() + i, std::move(status));
      order_valid_ = false;
    }
  }
  if (!order_valid_) changed_.clear();
  return absl::OkStatus();
}

EvaluationCache::EvaluationCache(StatusThresholds thresholds, size_t max_rows)
    : thresholds_(thresholds), max_rows_(max_rows) {}

std::shared_ptr<EvaluationCache::Entry> EvaluationCache::Find(
    const std::string& key) {
  absl::MutexLock lock(&mu_);
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if ((*it)->key == key) {
      entries_.splice(entries_.begin(), entries_, it);  // most recent
      return entries_.front();
    }
  }
  auto entry = std::make_shared<Entry>();
  entry->key = key;
  entries_.push_front(entry);
  return entry;
}

std::vector<std::shared_ptr<EvaluationCache::Entry>> EvaluationCache::Evict(
    const Entry* keep, size_t reserve, size_t* evicted_rows) {
  std::vector<std::shared_ptr<Entry>> evicted;
  size_t total = reserve;
  for (const auto& e : entries_) total += e->rows;
  // Least recently used first; `keep` stays whatever its size.
  for (auto it = entries_.end(); it != entries_.begin() && total > max_rows_;) {
    --it;
    if (it->get() == keep) continue;
    total -= (*it)->rows;
    *evicted_rows += (*it)->rows;
    evicted.push_back(std::move(*it));
    it = entries_.erase(it);
  }
  return evicted;
}

void EvaluationCache::Release(std::vector<std::shared_ptr<Entry>> evicted,
                              size_t freed_rows) {
  evicted.clear();  // a call still using one keeps it alive until done
  // Freed memory otherwise stays with the allocator's per-thread arenas,
  // where the next evaluation, read on another thread, cannot reuse it.
  if (freed_rows >= kTrimRows) malloc_trim(0);
}

absl::Status EvaluationCache::Use(
    StoreReader& r, const ProgressQuery& q,
    absl::FunctionRef<absl::Status(Evaluation&)> fn) {
  if (q.known_at.has_value()) {
    ASSIGN_OR_RETURN(Evaluation e, Evaluation::Read(r, q, thresholds_));
    return fn(e);
  }
  // The mark first: this snapshot's changes are exactly those at or below
  // it.
  ASSIGN_OR_RETURN(const int64_t mark, r.LatestProgressMark());
  std::shared_ptr<Entry> entry = Find(EvaluationKey(q));
  absl::MutexLock lock(&entry->mu);
  if (entry->valid && entry->mark > mark) {
    // This snapshot is older than the entry: another call, which began
    // later, has already moved it on. Answer from this snapshot alone.
    ASSIGN_OR_RETURN(Evaluation e, Evaluation::Read(r, q, thresholds_));
    return fn(e);
  }
  if (entry->valid && entry->mark < mark) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids,
                     r.ProjectsMarkedAfter(entry->mark, kMaxRefresh + 1));
    if (static_cast<int64_t>(ids.size()) > kMaxRefresh) {
      entry->valid = false;
    } else {
      // Marked as stale until the refresh succeeds, so an error half-way
      // leaves nothing half-updated to be served later.
      entry->valid = false;
      RETURN_IF_ERROR(entry->evaluation.Refresh(r, q, thresholds_, ids));
      entry->valid = true;
      entry->mark = mark;
    }
  }
  if (!entry->valid) {
    // Room first: a whole read holds as many rows as the largest query
    // seen, and older entries go before it, not after (a peak of two
    // province-sized evaluations is what the budget is there to prevent).
    std::vector<std::shared_ptr<Entry>> evicted;
    size_t freed_rows = entry->evaluation.rows().size();
    entry->evaluation = Evaluation();
    {
      absl::MutexLock cache_lock(&mu_);
      entry->rows = 0;
      evicted = Evict(entry.get(), largest_, &freed_rows);
    }
    Release(std::move(evicted), freed_rows);
    ASSIGN_OR_RETURN(entry->evaluation, Evaluation::Read(r, q, thresholds_));
    entry->valid = true;
    entry->mark = mark;
  }
  std::vector<std::shared_ptr<Entry>> evicted;
  size_t evicted_rows = 0;
  {
    absl::MutexLock cache_lock(&mu_);
    entry->rows = entry->evaluation.rows().size();
    largest_ = std::max(largest_, entry->rows);
    evicted = Evict(entry.get(), 0, &evicted_rows);
  }
  Release(std::move(evicted), evicted_rows);
  return fn(entry->evaluation);
}

}  // namespace portfolio
