// The scenario's ledger: monthly reports, corrections, closings, and the
// report that arrives after its month was closed.
#include <set>
#include <utility>

#include "tools/demo/scenario_builder.h"
#include "tools/demo/scenario_text.h"

namespace portfolio::demo {
namespace {

// Per mille of the month's plan a project of `pace` reports in `month`.
int64_t ReportRatio(Pace pace, int month, DemoRandom& rng) {
  switch (pace) {
    case Pace::kOnPlan:
      return rng.Uniform(880, 1120);
    case Pace::kAhead:
      return rng.Uniform(1050, 1400);
    case Pace::kLagging:
      return rng.Uniform(400, 780);
    case Pace::kStalled:
      return rng.Uniform(50, 400);
    case Pace::kLateStarter:
      return month <= 3 ? rng.Uniform(150, 400) : rng.Uniform(1150, 1500);
  }
  return 1000;
}

// Percent chance that a project of `pace` does not report a month (漏报).
int SkipPercent(Pace pace) {
  switch (pace) {
    case Pace::kOnPlan:
      return 3;
    case Pace::kAhead:
      return 2;
    case Pace::kLagging:
      return 8;
    case Pace::kStalled:
      return 25;
    case Pace::kLateStarter:
      return 6;
  }
  return 0;
}

// What a project reports for `month`, yuan: most reports are to the
// hundred yuan (0.01万), some to the 万; never below 1万.
int64_t ReportAmount(const ProjectState& p, int month, DemoRandom& rng) {
  const int64_t raw =
      p.current[month - 1] * ReportRatio(p.pace, month, rng) / 1000;
  const int64_t unit = rng.Percent(70) ? 100 : 10000;
  return std::max<int64_t>(10000, (raw + unit / 2) / unit * unit);
}

absl::CivilMonth Month(int month) { return absl::CivilMonth(kDemoYear, month); }

}  // namespace

void ScenarioBuilder::PlanClosings() {
  DemoRandom rng(options_.seed, "closings");
  close_time_.assign(through() + 1, absl::InfinitePast());
  for (int m = 1; m <= through(); ++m) {
    // Around the 10th of the next month (填报截止), late in the afternoon.
    const absl::CivilDay day =
        Workday(absl::CivilDay(kDemoYear, m + 1, rng.Uniform(9, 11)));
    const int64_t minute = 16 * 60 + rng.Uniform(0, 89);
    close_time_[m] = DistrictTime(absl::CivilSecond(
        day.year(), day.month(), day.day(), minute / 60, minute % 60, 0));
    Add(close_time_[m], kManagerUser, ClosePeriod{Month(m)});
  }
  horizon_ = close_time_[through()];
}

void ScenarioBuilder::ChooseLateEntry() {
  DemoRandom rng(options_.seed, "late");
  std::vector<int> candidates;
  for (size_t i = 0; i < projects_.size(); ++i) {
    if (projects_[i].pace == Pace::kOnPlan) candidates.push_back(i);
  }
  if (candidates.empty()) {
    for (size_t i = 0; i < projects_.size(); ++i) candidates.push_back(i);
  }
  late_project_ =
      candidates[rng.Uniform(0, static_cast<int64_t>(candidates.size()) - 1)];
  // March when the year goes on long enough for it to be history by the
  // end; otherwise a month before the last.
  late_month_ = through() >= 4 ? 3 : std::max(1, through() - 1);
}

void ScenarioBuilder::PlanReports() {
  DemoRandom rng(options_.seed, "reports");
  for (size_t i = 0; i < projects_.size(); ++i) {
    ProjectState& p = projects_[i];
    int64_t carried = 0;  // a skipped month folded into the next report
    int carried_month = 0;
    for (int m = 1; m <= through(); ++m) {
      if (static_cast<int>(i) == late_project_ && m == late_month_) continue;
      const int64_t amount = ReportAmount(p, m, rng);
      if (rng.Percent(SkipPercent(p.pace))) {
        if (rng.Percent(60)) {
          carried += amount;
          carried_month = m;
        }
        continue;
      }
      // In the first days of the next month, before the closing.
      const absl::Time t =
          OfficeTime(rng, absl::CivilDay(kDemoYear, m + 1, rng.Uniform(1, 6)));
      const absl::CivilMonth included = Month(carried_month);
      Add(t, p.lead,
          LogInvestment{p.project.id, Month(m), amount + carried,
                        ReportNote(Month(m), carried > 0 ? &included : nullptr),
                        false});
      p.reports[m - 1] = Report{t, amount + carried};
      carried = 0;
    }
  }
}

void ScenarioBuilder::PlanLateEntry() {
  DemoRandom rng(options_.seed, "late-entry");
  ProjectState& p = projects_[late_project_];
  const absl::CivilMonth period = Month(late_month_);
  const int64_t amount = ReportAmount(p, late_month_, rng);
  // The lead reports the day after the closing and is refused; the manager
  // reopens the month with a reason, the lead reports, the manager closes
  // it again the next morning.
  const absl::CivilDay day = Workday(DistrictDay(close_time_[late_month_]) + 1);
  const auto at = [&](int hour, int64_t minute) {
    return DistrictTime(
        absl::CivilSecond(day.year(), day.month(), day.day(), hour, minute, 0));
  };
  Add(at(9, rng.Uniform(30, 59)), p.lead,
      LogInvestment{p.project.id, period, amount, LateReportNote(period),
                    true});
  Add(at(14, rng.Uniform(0, 59)), kManagerUser,
      ReopenPeriod{period, ReopenReason(period)});
  const absl::Time logged = at(16, rng.Uniform(0, 59));
  Add(logged, p.lead,
      LogInvestment{p.project.id, period, amount, LateReportNote(period),
                    false});
  p.reports[late_month_ - 1] = Report{logged, amount};
  const absl::CivilDay next = Workday(day + 1);
  Add(DistrictTime(absl::CivilSecond(next.year(), next.month(), next.day(), 9,
                                     rng.Uniform(0, 29), 0)),
      kManagerUser, ClosePeriod{period});
}

void ScenarioBuilder::PlanCorrections() {
  DemoRandom rng(options_.seed, "corrections");
  const int64_t wanted =
      rng.Uniform(std::max(1, through() / 3), std::max(1, through() / 2));
  std::set<std::pair<int64_t, int64_t>> corrected;
  const int64_t last = static_cast<int64_t>(projects_.size()) - 1;
  for (int attempt = 0;
       attempt < 50 && static_cast<int64_t>(corrected.size()) < wanted;
       ++attempt) {
    const int64_t m = rng.Uniform(1, through());
    const int64_t i = rng.Uniform(0, last);
    const ProjectState& p = projects_[i];
    const bool late = i == late_project_ && m == late_month_;
    if (late || !p.reports[m - 1].has_value() || corrected.count({i, m}) > 0) {
      continue;
    }
    const Report& report = *p.reports[m - 1];
    // A day or two after the report, while the month is still open.
    const absl::Time t =
        OfficeTime(rng, DistrictDay(report.time) + rng.Uniform(1, 2));
    if (t >= close_time_[m] - absl::Minutes(30)) continue;
    const bool up = rng.Percent(50);
    const int64_t per_mille =
        up ? rng.Uniform(1040, 1200) : rng.Uniform(800, 960);
    const int64_t amount =
        (report.amount * per_mille / 1000 + 5000) / 10000 * 10000;
    if (amount <= 0 || amount == report.amount) continue;
    const int reason = static_cast<int>(rng.Uniform(0, 1));
    Add(t, p.lead,
        CorrectInvestment{
            p.project.id, Month(static_cast<int>(m)), amount,
            up ? CorrectionReasonUp(reason) : CorrectionReasonDown(reason)});
    corrected.insert({i, m});
  }
}

}  // namespace portfolio::demo
