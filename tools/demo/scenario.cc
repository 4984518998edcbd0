// The scenario's people, paces, plans and milestones; BuildScenario and
// Describe.
#include "tools/demo/scenario.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/amount.h"
#include "common/clock.h"
#include "common/period.h"
#include "tools/demo/scenario_builder.h"
#include "tools/demo/scenario_text.h"

namespace portfolio::demo {

absl::Time DemoStartTime() {
  return DistrictTime(absl::CivilSecond(kDemoYear, 1, 18, 9, 0, 0));
}

absl::Time DistrictTime(absl::CivilSecond when) {
  return absl::FromCivil(when, DistrictTimeZone());
}

absl::CivilDay DistrictDay(absl::Time t) {
  return absl::ToCivilDay(t, DistrictTimeZone());
}

absl::CivilDay Workday(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::saturday:
      return day + 2;
    case absl::Weekday::sunday:
      return day + 1;
    default:
      return day;
  }
}

absl::Time OfficeTime(DemoRandom& rng, absl::CivilDay day) {
  const absl::CivilDay work = Workday(day);
  const int64_t minute = 8 * 60 + 30 + rng.Uniform(0, 9 * 60 - 1);
  return DistrictTime(absl::CivilSecond(work.year(), work.month(), work.day(),
                                        minute / 60, minute % 60, 0));
}

std::vector<int64_t> SplitByWeights(int64_t units,
                                    const std::vector<int64_t>& weights) {
  const int64_t n = static_cast<int64_t>(weights.size());
  const int64_t total =
      std::accumulate(weights.begin(), weights.end(), int64_t{0});
  // One unit each first, so no part is ever zero (a month without a plan
  // would make its reports look like surplus, and its absence 漏报).
  const int64_t spread = units - n;
  std::vector<int64_t> parts(weights.size(), 1);
  std::vector<std::pair<int64_t, int64_t>> remainders;  // (-remainder, index)
  int64_t given = 0;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t share = spread * weights[i];
    parts[i] += share / total;
    given += share / total;
    remainders.emplace_back(-(share % total), i);
  }
  std::sort(remainders.begin(), remainders.end());
  for (int64_t k = 0; given < spread; ++k, ++given) {
    parts[remainders[k].second] += 1;
  }
  return parts;
}

namespace {

constexpr int64_t kWan = 10000;  // 万, the unit plans are made in

// Seasonal weights of construction in the district (percent of a year's
// work): winter and the Spring Festival are slow, spring and autumn busy.
// Close enough to even that a project on plan stays near 序时进度.
constexpr int64_t kSeason[12] = {7, 6, 8, 9, 9, 9, 8, 8, 9, 10, 9, 8};

// Keeps the minutes of setup work inside office hours: each step moves on
// by some minutes, and past 17:30 continues at 09:00 the next workday.
class OfficeClock final {
 public:
  explicit OfficeClock(absl::CivilDay first) : now_(Workday(first)) {
    now_ += 9 * 60 * 60;
  }
  absl::Time Next(int64_t minutes) {
    now_ += minutes * 60;
    if (now_.hour() * 60 + now_.minute() >= 17 * 60 + 30) {
      const absl::CivilDay next = Workday(absl::CivilDay(now_) + 1);
      now_ = absl::CivilSecond(next.year(), next.month(), next.day(), 9, 0, 0);
    }
    return DistrictTime(now_);
  }

 private:
  absl::CivilSecond now_;
};

int64_t RoundTo(int64_t value, int64_t unit) {
  return (value + unit / 2) / unit * unit;
}

}  // namespace

ScenarioBuilder::ScenarioBuilder(const ScenarioOptions& options,
                                 std::vector<DemoProject> projects)
    : options_(options) {
  for (DemoProject& p : projects) {
    ProjectState state;
    state.project = std::move(p);
    projects_.push_back(std::move(state));
  }
}

void ScenarioBuilder::Add(absl::Time time, std::string actor, ActionBody body) {
  actions_.push_back(Action{time, std::move(actor), std::move(body)});
}

Scenario ScenarioBuilder::Build() {
  PlanPeople();
  PlanPaces();
  PlanMilestones();
  PlanClosings();  // sets the horizon the optional activity keeps within
  PlanBaselines();
  PlanRevisions();
  ChooseLateEntry();
  PlanReports();
  PlanLateEntry();
  PlanCorrections();
  PlanProblems();
  std::stable_sort(
      actions_.begin(), actions_.end(),
      [](const Action& a, const Action& b) { return a.time < b.time; });
  Scenario scenario;
  scenario.actions = std::move(actions_);
  return scenario;
}

void ScenarioBuilder::PlanPeople() {
  DemoRandom rng(options_.seed, "people");
  absl::Time t = DemoStartTime() + absl::Minutes(30);
  Add(t, kAdminUser,
      CreateUser{kManagerUser, ManagerDisplayName(), v1::USER_ROLE_MANAGER});
  const int leads = std::min<int>(10, static_cast<int>(projects_.size()));
  std::vector<std::string> lead_ids;
  for (int i = 1; i <= leads; ++i) {
    lead_ids.push_back(absl::StrFormat("demo-lead-%02d", i));
    t += absl::Minutes(1);
    Add(t, kAdminUser,
        CreateUser{lead_ids.back(), LeadDisplayName(i), v1::USER_ROLE_LEAD});
  }
  // Shuffled, then dealt round the leads: each leads a mix of chapters.
  std::vector<int> order(projects_.size());
  std::iota(order.begin(), order.end(), 0);
  for (int i = static_cast<int>(order.size()) - 1; i > 0; --i) {
    std::swap(order[i], order[rng.Uniform(0, i)]);
  }
  for (size_t k = 0; k < order.size(); ++k) {
    projects_[order[k]].lead = lead_ids[k % lead_ids.size()];
  }
  t = DemoStartTime() + absl::Minutes(90);
  for (const ProjectState& p : projects_) {
    t += absl::Minutes(1);
    Add(t, kAdminUser, SetLeads{p.project.id, {p.lead}});
  }
}

void ScenarioBuilder::PlanPaces() {
  DemoRandom rng(options_.seed, "paces");
  static constexpr int kWeights[] = {52, 14, 16, 6, 12};
  static constexpr Pace kPaces[] = {Pace::kOnPlan, Pace::kAhead, Pace::kLagging,
                                    Pace::kStalled, Pace::kLateStarter};
  for (ProjectState& p : projects_) {
    p.pace = kPaces[rng.Weighted(kWeights, 5)];
  }
}

namespace {

// Which milestones a project of `stage` gets this year: new starts a START,
// continuing ones their completion or operation, others sometimes either.
std::vector<v1::MilestoneKind> MilestoneKindsFor(v1::ProjectStage stage,
                                                 DemoRandom& rng) {
  using K = v1::MilestoneKind;
  switch (stage) {
    case v1::PROJECT_STAGE_NEW_START:
    case v1::PROJECT_STAGE_PREPARATORY:
    case v1::PROJECT_STAGE_RESERVE:
      return {K::MILESTONE_KIND_START};
    case v1::PROJECT_STAGE_CONTINUING: {
      const int64_t r = rng.Uniform(0, 99);
      if (r < 40) return {K::MILESTONE_KIND_COMPLETION};
      if (r < 65) return {K::MILESTONE_KIND_IN_OPERATION};
      if (r < 75) {
        return {K::MILESTONE_KIND_COMPLETION, K::MILESTONE_KIND_IN_OPERATION};
      }
      return {};
    }
    case v1::PROJECT_STAGE_UNSPECIFIED: {
      const int64_t r = rng.Uniform(0, 99);
      if (r < 50) return {K::MILESTONE_KIND_START};
      if (r < 75) return {K::MILESTONE_KIND_COMPLETION};
      return {};
    }
    default:
      return {};
  }
}

Outcome OutcomeFor(Pace pace, DemoRandom& rng) {
  // {on time, late, never}: slow projects miss their dates more often.
  static constexpr int kOdds[5][3] = {
      {80, 15, 5}, {85, 12, 3}, {35, 40, 25}, {10, 30, 60}, {30, 60, 10}};
  static constexpr Outcome kOutcomes[] = {Outcome::kOnTime, Outcome::kLate,
                                          Outcome::kNever};
  return kOutcomes[rng.Weighted(kOdds[static_cast<int>(pace)], 3)];
}

const char* MilestoneIdFor(v1::MilestoneKind kind) {
  switch (kind) {
    case v1::MILESTONE_KIND_START:
      return "start-2024";
    case v1::MILESTONE_KIND_COMPLETION:
      return "completion-2024";
    default:
      return "operation-2024";
  }
}

}  // namespace

void ScenarioBuilder::PlanMilestones() {
  DemoRandom rng(options_.seed, "milestones");
  for (ProjectState& p : projects_) {
    int last_month = 0;
    for (v1::MilestoneKind kind : MilestoneKindsFor(p.project.stage, rng)) {
      MilestonePlan m;
      m.id = MilestoneIdFor(kind);
      m.kind = kind;
      int month = 0;
      if (kind == v1::MILESTONE_KIND_START) {
        // A reserve project (谋划) starts late in the year if at all.
        month = p.project.stage == v1::PROJECT_STAGE_RESERVE
                    ? static_cast<int>(rng.Uniform(9, 12))
                    : static_cast<int>(rng.Uniform(3, 6));
        p.work_starts = month;
      } else {
        // Operation follows completion by a month or two.
        month = static_cast<int>(
            last_month == 0
                ? rng.Uniform(5, 11)
                : std::min<int64_t>(12, last_month + rng.Uniform(1, 2)));
      }
      last_month = month;
      m.planned = absl::CivilDay(kDemoYear, month, rng.Uniform(1, 28));
      m.outcome = OutcomeFor(p.pace, rng);
      p.milestones.push_back(std::move(m));
    }
  }
}

void ScenarioBuilder::PlanMilestoneProgress(const ProjectState& p,
                                            const MilestonePlan& m,
                                            DemoRandom& rng) {
  const std::string& id = p.project.id;
  if (m.outcome == Outcome::kNever) {
    // The lead promises a later date, which passes too.
    const absl::Time t = OfficeTime(rng, m.planned + rng.Uniform(1, 6));
    if (BeforeHorizon(t)) {
      Add(t, p.lead,
          ForecastMilestone{id, m.id, m.planned + rng.Uniform(30, 90)});
    }
    return;
  }
  const absl::CivilDay actual = m.outcome == Outcome::kOnTime
                                    ? m.planned - rng.Uniform(0, 14)
                                    : m.planned + rng.Uniform(10, 80);
  const absl::Time recorded = OfficeTime(rng, actual + rng.Uniform(0, 3));
  if (m.outcome == Outcome::kLate) {
    const absl::Time t = OfficeTime(rng, m.planned + rng.Uniform(1, 6));
    if (BeforeHorizon(t) && t < recorded) {
      Add(t, p.lead, ForecastMilestone{id, m.id, actual});
    }
  }
  if (BeforeHorizon(recorded)) {
    Add(recorded, p.lead, CompleteMilestone{id, m.id, actual});
  }
}

void ScenarioBuilder::PlanBaselines() {
  DemoRandom rng(options_.seed, "plans");
  // Sizes in 万: many small and middling projects, a few very large ones.
  static constexpr int kClassWeights[] = {30, 40, 22, 8};
  static constexpr int64_t kClassRange[][2] = {
      {1500, 6000}, {6000, 25000}, {25000, 60000}, {60000, 120000}};
  std::vector<int64_t> raw;
  for (size_t i = 0; i < projects_.size(); ++i) {
    const int c = rng.Weighted(kClassWeights, 4);
    raw.push_back(rng.Uniform(kClassRange[c][0], kClassRange[c][1]));
  }
  const int64_t raw_total = std::accumulate(raw.begin(), raw.end(), int64_t{0});
  const int64_t total_wan =
      options_.investment_target / kWan * rng.Uniform(960, 1040) / 1000;

  OfficeClock office(absl::CivilDay(kDemoYear, 1, 22));
  for (size_t i = 0; i < projects_.size(); ++i) {
    ProjectState& p = projects_[i];
    const int64_t wan =
        std::max<int64_t>(500, RoundTo(raw[i] * total_wan / raw_total, 100));
    for (int m = 1; m <= 12; ++m) {
      int64_t w = kSeason[m - 1] * rng.Uniform(60, 140);
      // Before a new start's 开工 only preparatory work is paid for.
      if (m < p.work_starts) w = w * 50 / 100;
      p.weights.push_back(w);
    }
    for (int64_t units : SplitByWeights(wan, p.weights)) {
      p.baseline.push_back(units * kWan);
    }
    p.current = p.baseline;
    Add(office.Next(rng.Uniform(10, 25)), kManagerUser,
        SetPlan{p.project.id, wan * kWan, p.baseline, ""});
    for (const MilestonePlan& m : p.milestones) {
      Add(office.Next(rng.Uniform(2, 5)), kManagerUser,
          CreateMilestone{p.project.id, m.id, m.kind, MilestoneName(m.kind),
                          m.planned});
      PlanMilestoneProgress(p, m, rng);
    }
  }
}

void ScenarioBuilder::PlanRevisions() {
  if (through() < 7) return;  // 年中调整 is made in July
  DemoRandom rng(options_.seed, "revisions");
  std::vector<int> down;
  std::vector<int> up;
  for (size_t i = 0; i < projects_.size(); ++i) {
    const Pace pace = projects_[i].pace;
    if (pace == Pace::kLagging || pace == Pace::kStalled) down.push_back(i);
    if (pace == Pace::kAhead) up.push_back(i);
  }
  std::vector<std::pair<int, bool>> revised;  // (project, raised)
  for (int k = 0; k < 3 && !down.empty(); ++k) {
    const int64_t pick = rng.Uniform(0, static_cast<int64_t>(down.size()) - 1);
    revised.emplace_back(down[pick], false);
    down.erase(down.begin() + pick);
  }
  if (!up.empty()) {
    revised.emplace_back(
        up[rng.Uniform(0, static_cast<int64_t>(up.size()) - 1)], true);
  }
  OfficeClock office(absl::CivilDay(kDemoYear, 7, 16));
  int reason = 0;
  for (const auto& [index, raised] : revised) {
    ProjectState& p = projects_[index];
    // The first half stays as planned; the rest of the year is re-planned.
    int64_t first_half = 0;
    int64_t rest = 0;
    for (int m = 0; m < 12; ++m) (m < 6 ? first_half : rest) += p.baseline[m];
    const int64_t percent =
        raised ? rng.Uniform(115, 140) : rng.Uniform(40, 70);
    const int64_t total =
        RoundTo(first_half + rest * percent / 100, 100 * kWan);
    const int64_t rest_wan = (total - first_half) / kWan;
    if (rest_wan < 6) continue;
    const std::vector<int64_t> split = SplitByWeights(
        rest_wan, std::vector<int64_t>(p.weights.begin() + 6, p.weights.end()));
    for (int m = 6; m < 12; ++m) p.current[m] = split[m - 6] * kWan;
    Add(office.Next(rng.Uniform(20, 60)), kManagerUser,
        SetPlan{
            p.project.id, total, p.current,
            raised ? RevisionReasonUp(reason) : RevisionReasonDown(reason)});
    ++reason;
  }
}

absl::StatusOr<Scenario> BuildScenario(const ScenarioOptions& options,
                                       std::vector<DemoProject> projects) {
  if (options.through_month < 1 || options.through_month > 12) {
    return absl::InvalidArgumentError(absl::StrCat(
        "through_month must be 1..12, not ", options.through_month));
  }
  if (projects.empty()) {
    return absl::InvalidArgumentError("the year's portfolio has no projects");
  }
  if (options.investment_target <= 0) {
    return absl::InvalidArgumentError("investment_target must be positive");
  }
  std::sort(
      projects.begin(), projects.end(),
      [](const DemoProject& a, const DemoProject& b) { return a.id < b.id; });
  return ScenarioBuilder(options, std::move(projects)).Build();
}

namespace {

// What each action says, for Describe.
struct Describer {
  std::string operator()(const CreateUser& a) const {
    return absl::StrCat("creates user ", a.user_id, " (",
                        v1::UserRole_Name(a.role), ") and a token");
  }
  std::string operator()(const SetLeads& a) const {
    return absl::StrCat("lists ", absl::StrJoin(a.leads, ", "), " as leads of ",
                        a.project);
  }
  std::string operator()(const SetPlan& a) const {
    return absl::StrCat(a.reason.empty() ? "sets the 2024 baseline of "
                                         : "revises the 2024 plan of ",
                        a.project, ": ", FormatAmount(a.amount));
  }
  std::string operator()(const CreateMilestone& a) const {
    return absl::StrCat("adds milestone ", a.milestone_id, " of ", a.project,
                        " planned ", FormatDate(a.planned));
  }
  std::string operator()(const ForecastMilestone& a) const {
    return absl::StrCat("forecasts milestone ", a.milestone_id, " of ",
                        a.project, " for ", FormatDate(a.forecast));
  }
  std::string operator()(const CompleteMilestone& a) const {
    return absl::StrCat("completes milestone ", a.milestone_id, " of ",
                        a.project, " on ", FormatDate(a.actual));
  }
  std::string operator()(const LogInvestment& a) const {
    return absl::StrCat(a.expect_closed ? "tries to log " : "logs ",
                        FormatPeriod(a.period), " of ", a.project, ": ",
                        FormatAmount(a.amount));
  }
  std::string operator()(const CorrectInvestment& a) const {
    return absl::StrCat("corrects ", FormatPeriod(a.period), " of ", a.project,
                        " to ", FormatAmount(a.corrected_amount));
  }
  std::string operator()(const ClosePeriod& a) const {
    return absl::StrCat("closes ", FormatPeriod(a.period));
  }
  std::string operator()(const ReopenPeriod& a) const {
    return absl::StrCat("reopens ", FormatPeriod(a.period));
  }
  std::string operator()(const CreateProblem& a) const {
    return absl::StrCat("reports problem #", a.problem, " (",
                        v1::ProblemCategory_Name(a.category), ") of ",
                        a.project);
  }
  std::string operator()(const AssignProblem& a) const {
    return absl::StrCat("assigns problem #", a.problem, " to ",
                        a.responsible_unit, " by ", FormatDate(a.deadline));
  }
  std::string operator()(const EscalateProblem& a) const {
    return absl::StrCat("escalates problem #", a.problem, " to ",
                        v1::EscalationLevel_Name(a.escalation));
  }
  std::string operator()(const ResolveProblem& a) const {
    return absl::StrCat("resolves problem #", a.problem);
  }
};

}  // namespace

std::string Describe(const Action& action) {
  return absl::StrCat(
      absl::FormatTime("%Y-%m-%d %H:%M", action.time, DistrictTimeZone()), " ",
      action.actor, " ", std::visit(Describer{}, action.body));
}

}  // namespace portfolio::demo
