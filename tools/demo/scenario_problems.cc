// The scenario's blocking problems (要素保障): reported by leads, assigned,
// sometimes escalated, and mostly resolved by the manager.
#include <algorithm>

#include "tools/demo/scenario_builder.h"
#include "tools/demo/scenario_text.h"

namespace portfolio::demo {
namespace {

const ProblemText& DrawCategory(DemoRandom& rng) {
  int count = 0;
  const ProblemText* texts = ProblemTexts(&count);
  std::vector<int> weights;
  for (int i = 0; i < count; ++i) weights.push_back(texts[i].weight);
  return texts[rng.Weighted(weights.data(), count)];
}

}  // namespace

void ScenarioBuilder::PlanProblems() {
  DemoRandom rng(options_.seed, "problems");
  // Problems come mostly from projects that are behind.
  std::vector<int> troubled;
  for (size_t i = 0; i < projects_.size(); ++i) {
    if (projects_[i].pace != Pace::kOnPlan && projects_[i].pace != Pace::kAhead)
      troubled.push_back(i);
  }
  const int64_t last = static_cast<int64_t>(projects_.size()) - 1;
  const auto draw_project = [&]() -> const ProjectState& {
    if (!troubled.empty() && rng.Percent(60)) {
      return projects_[troubled[rng.Uniform(
          0, static_cast<int64_t>(troubled.size()) - 1)]];
    }
    return projects_[rng.Uniform(0, last)];
  };
  int problem = 0;
  const auto open = [&](const ProjectState& p, absl::Time t) {
    const ProblemText& text = DrawCategory(rng);
    Add(t, p.lead,
        CreateProblem{problem, p.project.id, text.category,
                      Marked(text.descriptions[rng.Uniform(0, 1)])});
    ++problem;
    return &text;
  };
  for (int m = 1; m <= through(); ++m) {
    const int64_t count = rng.Uniform(1, 3);
    for (int64_t k = 0; k < count; ++k) {
      const ProjectState& p = draw_project();
      // January's come once the plans are set (the demo starts on the
      // 18th); the first problem comes early in its month, so that it can
      // be seen through to the end (销号) even in a short demo.
      const int64_t first = m == 1 ? 25 : 2;
      const int64_t day = problem == 0 ? rng.Uniform(first, first + 4)
                                       : rng.Uniform(first, m == 1 ? 31 : 26);
      const absl::Time t = OfficeTime(rng, absl::CivilDay(kDemoYear, m, day));
      const int index = problem;
      const ProblemText* text = open(p, t);
      PlanProblemLife(index, *text, t, rng, index == 0, index == 1);
    }
  }
  // A couple reported in the last days, not yet taken up by anyone.
  for (int k = 0; k < 2; ++k) {
    const ProjectState& p = draw_project();
    absl::Time t = OfficeTime(rng, DistrictDay(horizon_) - rng.Uniform(2, 5));
    if (!BeforeHorizon(t)) t = horizon_ - absl::Hours(2);
    open(p, t);
  }
}

void ScenarioBuilder::PlanProblemLife(int problem, const ProblemText& text,
                                      absl::Time opened, DemoRandom& rng,
                                      bool force_resolved,
                                      bool force_unresolved) {
  const absl::Time assigned =
      OfficeTime(rng, DistrictDay(opened) + rng.Uniform(1, 5));
  if (!BeforeHorizon(assigned)) return;
  Add(assigned, kManagerUser,
      AssignProblem{problem, text.unit,
                    DistrictDay(assigned) + rng.Uniform(15, 45)});
  absl::Time last = assigned;
  if (force_unresolved || rng.Percent(25)) {
    const absl::Time t =
        OfficeTime(rng, DistrictDay(assigned) + rng.Uniform(3, 15));
    const v1::EscalationLevel level = rng.Percent(80)
                                          ? v1::ESCALATION_LEVEL_CITY
                                          : v1::ESCALATION_LEVEL_PROVINCE;
    if (BeforeHorizon(t)) {
      Add(t, kManagerUser, EscalateProblem{problem, level});
      last = t;
    }
  }
  const bool resolved =
      force_resolved || (!force_unresolved && rng.Percent(75));
  if (!resolved) return;
  // Some are resolved well after their deadline, overdue until then.
  absl::Time t = OfficeTime(
      rng, DistrictDay(assigned) +
               (force_resolved ? rng.Uniform(5, 12) : rng.Uniform(5, 60)));
  if (t <= last) t = last + absl::Hours(1);
  if (BeforeHorizon(t)) {
    Add(t, kManagerUser, ResolveProblem{problem, Marked(text.resolution)});
  }
}

}  // namespace portfolio::demo
