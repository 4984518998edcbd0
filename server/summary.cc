#include "server/summary.h"

#include <algorithm>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/period.h"
#include "server/errors.h"

namespace portfolio {

void Figures::Add(const ProgressRow& row, const ProjectStatusResult& status) {
  // Each value is capped, but enough of them (92,234 plans of 100万亿)
  // pass int64: such a sum stops at the limit and is flagged, not wrapped.
  auto add = [this](int64_t& sum, int64_t v) {
    if (__builtin_add_overflow(sum, v, &sum)) {
      sum = v > 0 ? std::numeric_limits<int64_t>::max()
                  : std::numeric_limits<int64_t>::min();
      overflowed = true;
    }
  };
  ++project_count;
  if (row.annual_plan.has_value()) {
    ++planned_project_count;
    add(annual_plan, *row.annual_plan);
    add(planned_completed_to_date, row.completed_to_date);
  }
  add(planned_to_date, row.planned_to_date);
  add(completed_to_date, row.completed_to_date);
  add(total_investment, row.project->total_investment.value_or(0));
  auto tally = [](const ProgressRow::Due& d, int& due, int& done) {
    due += d.due ? 1 : 0;
    done += d.done ? 1 : 0;
  };
  tally(row.start, start_due, started);
  tally(row.completion, completion_due, completed);
  tally(row.operation, operation_due, in_operation);
  open_problems += row.open_problems;
  overdue_problems += row.overdue_problems;
  switch (status.rag) {
    case Rag::kGreen:
      ++green;
      break;
    case Rag::kAmber:
      ++amber;
      break;
    case Rag::kRed:
      ++red;
      break;
  }
}

double Figures::CompletionRate() const {
  return annual_plan > 0
             ? static_cast<double>(planned_completed_to_date) / annual_plan
             : 0.0;
}

double Rate(int done, int due) {
  return due > 0 ? static_cast<double>(done) / due : 0.0;
}

namespace {

// a's completion rate > b's, compared exactly: the rates are fractions of
// int64 yuan, so cross-multiply in 128 bits rather than trust doubles.
bool HigherRate(const Figures& a, const Figures& b) {
  return static_cast<__int128>(a.planned_completed_to_date) * b.annual_plan >
         static_cast<__int128>(b.planned_completed_to_date) * a.annual_plan;
}

// Groups with a plan are ranked; the group of projects whose park, sector,
// ... is not stated (empty key) is no park to rank, and takes no place
// from the others.
std::vector<int> Rank(const std::vector<std::pair<std::string, Figures>>& g) {
  auto ranked = [&g](size_t i) {
    return g[i].second.annual_plan > 0 && !g[i].first.empty();
  };
  std::vector<int> ranks(g.size(), 0);
  for (size_t i = 0; i < g.size(); ++i) {
    if (!ranked(i)) continue;
    int higher = 0;
    for (size_t j = 0; j < g.size(); ++j) {
      if (ranked(j) && HigherRate(g[j].second, g[i].second)) ++higher;
    }
    ranks[i] = higher + 1;
  }
  return ranks;
}

}  // namespace

absl::StatusOr<std::pair<int, int>> ResolveYearMonth(int year, int as_of_month,
                                                     absl::CivilDay today) {
  if (year == 0) year = static_cast<int>(today.year());
  if (year < kMinYear || year > kMaxYear) {
    return FieldError(
        "year", absl::StrCat(year, " is outside ", kMinYear, "..", kMaxYear));
  }
  if (as_of_month < 0 || as_of_month > 12) {
    return FieldError("as_of_month",
                      absl::StrCat(as_of_month, " is not a month 1..12"));
  }
  const bool month_given = as_of_month != 0;
  if (!month_given) as_of_month = DefaultAsOfMonth(year, today);
  // Figures for a month not yet begun would be the plan's, judged as if
  // its time had all elapsed (a 100% 序时进度 in November for December).
  if (absl::CivilMonth(year, as_of_month) > absl::CivilMonth(today)) {
    return FieldError(month_given ? "as_of_month" : "year",
                      absl::StrFormat("%04d-%02d has not begun (today is %s)",
                                      year, as_of_month, FormatDate(today)));
  }
  return std::make_pair(year, as_of_month);
}

void ForEachGroupKey(const ProjectBrief& p, int year, Dimension dimension,
                     absl::FunctionRef<void(absl::string_view)> fn) {
  switch (dimension) {
    case Dimension::kNone:
      return;
    case Dimension::kLevel:
      for (const YearLevelRecord& l : p.levels) {
        if (l.year == year) return fn(absl::AsciiStrToUpper(l.level));
      }
      return fn("");
    case Dimension::kChapter:
      return fn(p.chapter == 0 ? std::string() : absl::StrCat(p.chapter));
    case Dimension::kPark:
      return fn(p.park);
    case Dimension::kSector:
      return fn(p.sector);
    case Dimension::kStage:
      return fn(absl::AsciiStrToUpper(p.stage));
    case Dimension::kLead:
      if (p.leads.empty()) return fn("");
      for (const std::string& lead : p.leads) fn(lead);
      return;
  }
}

std::vector<std::string> GroupKeys(const ProjectBrief& p, int year,
                                   Dimension dimension) {
  std::vector<std::string> keys;
  ForEachGroupKey(p, year, dimension,
                  [&](absl::string_view key) { keys.emplace_back(key); });
  return keys;
}

SummaryResult Summarize(const std::vector<ProgressRow>& rows,
                        const std::vector<ProjectStatusResult>& statuses,
                        int year, int as_of_month, Dimension dimension) {
  return Summarize(
      rows.size(), [&](size_t i) -> const ProgressRow& { return rows[i]; },
      [&](size_t i) -> const ProjectStatusResult& { return statuses[i]; }, year,
      as_of_month, dimension);
}

SummaryResult Summarize(
    size_t n, absl::FunctionRef<const ProgressRow&(size_t)> row,
    absl::FunctionRef<const ProjectStatusResult&(size_t)> status, int year,
    int as_of_month, Dimension dimension) {
  SummaryResult result;
  result.year = year;
  result.as_of_month = as_of_month;
  // Hashed while adding (a province has 100,000 rows and a few hundred
  // groups), ordered once at the end.
  absl::flat_hash_map<std::string, Figures> groups;
  for (size_t i = 0; i < n; ++i) {
    const ProgressRow& r = row(i);
    const ProjectStatusResult& s = status(i);
    result.totals.Add(r, s);
    ForEachGroupKey(*r.project, year, dimension, [&](absl::string_view key) {
      auto it = groups.find(key);
      if (it == groups.end()) {
        it = groups.emplace(std::string(key), Figures()).first;
      }
      it->second.Add(r, s);
    });
  }
  for (auto& [key, figures] : groups) {
    if (!key.empty()) result.groups.emplace_back(key, figures);
  }
  std::sort(result.groups.begin(), result.groups.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  if (auto it = groups.find(""); it != groups.end()) {
    result.groups.emplace_back("", it->second);
  }
  result.ranks = Rank(result.groups);
  return result;
}

}  // namespace portfolio
