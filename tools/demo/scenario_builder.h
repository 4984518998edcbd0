// Internal to the scenario: the builder BuildScenario runs, split over
// scenario.cc (people, plans, milestones), scenario_ledger.cc (reports,
// corrections, closings) and scenario_problems.cc.
#ifndef PORTFOLIO_TOOLS_DEMO_SCENARIO_BUILDER_H_
#define PORTFOLIO_TOOLS_DEMO_SCENARIO_BUILDER_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tools/demo/random.h"
#include "tools/demo/scenario.h"
#include "tools/demo/scenario_text.h"

namespace portfolio::demo {

// How a project's investment goes through the year.
enum class Pace {
  kOnPlan,       // close to the monthly plan
  kAhead,        // above it
  kLagging,      // well below it
  kStalled,      // far below it, and often not reporting (漏报)
  kLateStarter,  // little until April, then catching up
};

// What becomes of a milestone.
enum class Outcome { kOnTime, kLate, kNever };

struct MilestonePlan {
  std::string id;
  v1::MilestoneKind kind = v1::MILESTONE_KIND_UNSPECIFIED;
  absl::CivilDay planned;
  Outcome outcome = Outcome::kOnTime;
};

// A report accepted for one project and month.
struct Report {
  absl::Time time;
  int64_t amount = 0;
};

struct ProjectState {
  DemoProject project;
  std::string lead;
  Pace pace = Pace::kOnPlan;
  // The month its START milestone is planned in; 1 without one.
  int work_starts = 1;
  std::vector<MilestonePlan> milestones;
  // The monthly plan, yuan (index 0 = January): the baseline, and as
  // revised in July; and the weights the baseline was split by.
  std::vector<int64_t> weights;
  std::vector<int64_t> baseline;
  std::vector<int64_t> current;
  // Reports accepted, by month (index 0 = January).
  std::array<std::optional<Report>, 12> reports;
};

// A time in the district's zone; fields out of range carry over (day 32 of
// January is 1 February).
absl::Time DistrictTime(absl::CivilSecond when);
// The civil day of `t` in the district.
absl::CivilDay DistrictDay(absl::Time t);
// `day`, or the Monday after it when it falls on a weekend.
absl::CivilDay Workday(absl::CivilDay day);
// A random moment of office hours (08:30 to 17:29) on Workday(day).
absl::Time OfficeTime(DemoRandom& rng, absl::CivilDay day);
// Splits `units` in proportion to `weights` (all > 0), each part getting
// at least one unit; the largest remainders get the units left over,
// earlier parts first on ties. Requires units >= weights.size().
std::vector<int64_t> SplitByWeights(int64_t units,
                                    const std::vector<int64_t>& weights);

// Builds one scenario; use once. Not thread-safe.
class ScenarioBuilder final {
 public:
  // `projects` sorted by id, non-empty; options validated by BuildScenario.
  ScenarioBuilder(const ScenarioOptions& options,
                  std::vector<DemoProject> projects);
  Scenario Build();

 private:
  // scenario.cc
  void PlanPeople();
  void PlanPaces();
  void PlanMilestones();
  void PlanMilestoneProgress(const ProjectState& p, const MilestonePlan& m,
                             DemoRandom& rng);
  void PlanBaselines();
  void PlanRevisions();
  // scenario_ledger.cc
  void PlanClosings();
  void ChooseLateEntry();
  void PlanReports();
  void PlanLateEntry();
  void PlanCorrections();
  // scenario_problems.cc
  void PlanProblems();
  // Assigns, maybe escalates, and maybe resolves problem number `problem`,
  // opened at `opened`; force_* decide the end instead of chance.
  void PlanProblemLife(int problem, const ProblemText& text, absl::Time opened,
                       DemoRandom& rng, bool force_resolved,
                       bool force_unresolved);

  void Add(absl::Time time, std::string actor, ActionBody body);
  // Optional activity (milestone progress, problem handling) happens only
  // before the last closing, so the simulated year ends there.
  bool BeforeHorizon(absl::Time t) const { return t < horizon_; }
  int through() const { return options_.through_month; }

  const ScenarioOptions options_;
  std::vector<ProjectState> projects_;
  // When month m (1..through) is closed; index 0 unused.
  std::vector<absl::Time> close_time_;
  absl::Time horizon_;
  // The project and month whose report comes after the closing.
  int late_project_ = 0;
  int late_month_ = 1;
  std::vector<Action> actions_;
};

}  // namespace portfolio::demo

#endif  // PORTFOLIO_TOOLS_DEMO_SCENARIO_BUILDER_H_
