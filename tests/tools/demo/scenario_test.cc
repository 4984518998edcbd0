// The demo's generated year as plain data: deterministic, plausible, and
// shaped so that every path the demo is meant to show is there. No server.
#include "tools/demo/scenario.h"

#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "tools/demo/random.h"
#include "tools/demo/scenario_builder.h"

namespace portfolio::demo {
namespace {

// A portfolio shaped like the report's: 42 projects, mostly continuing or
// of unstated stage, a few new starts and one reserve.
std::vector<DemoProject> Portfolio() {
  std::vector<DemoProject> projects;
  for (int i = 0; i < 42; ++i) {
    v1::ProjectStage stage = v1::PROJECT_STAGE_CONTINUING;
    if (i % 5 == 1) stage = v1::PROJECT_STAGE_UNSPECIFIED;
    if (i % 5 == 2 && i < 20) stage = v1::PROJECT_STAGE_UNSPECIFIED;
    if (i == 3 || i == 17) stage = v1::PROJECT_STAGE_NEW_START;
    if (i == 29) stage = v1::PROJECT_STAGE_RESERVE;
    projects.push_back({absl::StrFormat("project-%02d", i), stage});
  }
  return projects;
}

Scenario Build(uint64_t seed, int through) {
  ScenarioOptions options;
  options.seed = seed;
  options.through_month = through;
  absl::StatusOr<Scenario> scenario = BuildScenario(options, Portfolio());
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return scenario.ok() ? *scenario : Scenario();
}

std::vector<std::string> Lines(const Scenario& s) {
  std::vector<std::string> lines;
  for (const Action& a : s.actions) lines.push_back(Describe(a));
  return lines;
}

template <typename T>
std::vector<std::pair<const Action*, const T*>> All(const Scenario& s) {
  std::vector<std::pair<const Action*, const T*>> found;
  for (const Action& a : s.actions) {
    if (const T* body = std::get_if<T>(&a.body)) found.push_back({&a, body});
  }
  return found;
}

bool Marked(const std::string& text) {
  return absl::StartsWith(text, kDemoMark);
}

TEST(DemoRandomTest, SameSeedAndStreamRepeatOthersDiffer) {
  DemoRandom a(7, "x"), b(7, "x"), c(7, "y"), d(8, "x");
  int differ_stream = 0, differ_seed = 0;
  for (int i = 0; i < 100; ++i) {
    const int64_t va = a.Uniform(0, 1000000);
    EXPECT_EQ(va, b.Uniform(0, 1000000));
    differ_stream += va != c.Uniform(0, 1000000);
    differ_seed += va != d.Uniform(0, 1000000);
  }
  EXPECT_GT(differ_stream, 90);
  EXPECT_GT(differ_seed, 90);
}

TEST(DemoRandomTest, UniformCoversItsRangeOnly) {
  DemoRandom r(1, "range");
  std::set<int64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const int64_t v = r.Uniform(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(r.Uniform(5, 5), 5);
  EXPECT_EQ(r.Uniform(5, 2), 5);
  const int weights[] = {0, 3, 0, 1};
  for (int i = 0; i < 200; ++i) {
    const int w = r.Weighted(weights, 4);
    EXPECT_TRUE(w == 1 || w == 3) << w;
  }
}

// The mapping is ours, not the library's: these values hold on every
// platform, so a demo made anywhere is the same demo.
TEST(DemoRandomTest, SequenceIsFixed) {
  DemoRandom r(1, "fixed");
  std::vector<int64_t> drawn;
  for (int i = 0; i < 5; ++i) drawn.push_back(r.Uniform(0, 999));
  EXPECT_EQ(drawn, (std::vector<int64_t>{781, 338, 543, 469, 512}));
}

TEST(SplitByWeightsTest, SumsExactlyAndGivesEveryPartSomething) {
  const std::vector<int64_t> parts =
      SplitByWeights(1001, {1, 1000, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1});
  EXPECT_EQ(std::accumulate(parts.begin(), parts.end(), int64_t{0}), 1001);
  for (int64_t p : parts) EXPECT_GE(p, 1);
  EXPECT_GT(parts[1], 900);
  EXPECT_EQ(SplitByWeights(12, std::vector<int64_t>(12, 5)),
            std::vector<int64_t>(12, 1));
  EXPECT_EQ(SplitByWeights(14, {1, 1}), (std::vector<int64_t>{7, 7}));
}

TEST(ScenarioTest, RefusesBadOptions) {
  ScenarioOptions options;
  options.through_month = 13;
  EXPECT_TRUE(
      absl::IsInvalidArgument(BuildScenario(options, Portfolio()).status()));
  options.through_month = 0;
  EXPECT_TRUE(
      absl::IsInvalidArgument(BuildScenario(options, Portfolio()).status()));
  EXPECT_TRUE(
      absl::IsInvalidArgument(BuildScenario(ScenarioOptions(), {}).status()));
}

TEST(ScenarioTest, SameSeedSameYearOtherSeedAnother) {
  EXPECT_EQ(Lines(Build(1, 12)), Lines(Build(1, 12)));
  EXPECT_NE(Lines(Build(1, 12)), Lines(Build(2, 12)));
  // The order projects arrive in does not matter.
  std::vector<DemoProject> reversed = Portfolio();
  std::reverse(reversed.begin(), reversed.end());
  absl::StatusOr<Scenario> s = BuildScenario(ScenarioOptions(), reversed);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Lines(*s), Lines(Build(1, 12)));
}

TEST(ScenarioTest, ActionsAreInTimeOrderInsideTheSimulatedYear) {
  const Scenario s = Build(1, 12);
  ASSERT_FALSE(s.actions.empty());
  for (size_t i = 1; i < s.actions.size(); ++i) {
    ASSERT_LE(s.actions[i - 1].time, s.actions[i].time) << i;
  }
  EXPECT_GE(s.actions.front().time, DemoStartTime());
  // December is closed around 10 January; nothing comes after that month.
  EXPECT_LT(s.actions.back().time,
            DistrictTime(absl::CivilSecond(2025, 2, 1, 0, 0, 0)));
}

TEST(ScenarioTest, EveryProjectHasABaselineNearTheTarget) {
  for (uint64_t seed : {1, 2, 3, 42}) {
    const Scenario s = Build(seed, 12);
    std::map<std::string, int> baselines;
    int64_t total = 0;
    for (const auto& [action, plan] : All<SetPlan>(s)) {
      EXPECT_EQ(action->actor, kManagerUser);
      ASSERT_EQ(plan->monthly.size(), 12u);
      EXPECT_EQ(std::accumulate(plan->monthly.begin(), plan->monthly.end(),
                                int64_t{0}),
                plan->amount)
          << plan->project;
      for (int64_t m : plan->monthly) EXPECT_GT(m, 0) << plan->project;
      if (plan->reason.empty()) {
        ++baselines[plan->project];
        total += plan->amount;
        // Baselines are set in January.
        EXPECT_EQ(DistrictDay(action->time).month(), 1);
      } else {
        EXPECT_TRUE(Marked(plan->reason)) << plan->reason;
        EXPECT_EQ(DistrictDay(action->time).month(), 7);
      }
    }
    EXPECT_EQ(baselines.size(), 42u);
    for (const auto& [project, n] : baselines) EXPECT_EQ(n, 1) << project;
    // Within a few percent of the report's 110亿.
    EXPECT_GT(total, 10400000000) << seed;
    EXPECT_LT(total, 11600000000) << seed;
  }
}

TEST(ScenarioTest, RevisionsOnlyOnceJulyIsReached) {
  const auto revisions = [](const Scenario& s) {
    int n = 0;
    for (const auto& [action, plan] : All<SetPlan>(s))
      n += !plan->reason.empty();
    return n;
  };
  EXPECT_GE(revisions(Build(1, 12)), 1);
  EXPECT_GE(revisions(Build(1, 7)), 1);
  EXPECT_EQ(revisions(Build(1, 6)), 0);
}

TEST(ScenarioTest, InventedTextsSaySo) {
  const Scenario s = Build(1, 12);
  for (const auto& [a, user] : All<CreateUser>(s)) {
    EXPECT_TRUE(absl::StrContains(user->display_name, "演示") &&
                absl::StrContains(user->display_name, "demo"))
        << user->display_name;
  }
  for (const auto& [a, m] : All<CreateMilestone>(s)) {
    EXPECT_TRUE(Marked(m->display_name));
  }
  for (const auto& [a, e] : All<LogInvestment>(s)) EXPECT_TRUE(Marked(e->note));
  for (const auto& [a, c] : All<CorrectInvestment>(s)) {
    EXPECT_TRUE(Marked(c->reason));
  }
  for (const auto& [a, r] : All<ReopenPeriod>(s))
    EXPECT_TRUE(Marked(r->reason));
  for (const auto& [a, p] : All<CreateProblem>(s)) {
    EXPECT_TRUE(Marked(p->description));
  }
  for (const auto& [a, r] : All<ResolveProblem>(s)) {
    EXPECT_TRUE(Marked(r->resolution));
  }
}

TEST(ScenarioTest, LeadsWriteOnlyTheirOwnProjects) {
  const Scenario s = Build(1, 12);
  std::map<std::string, std::string> lead_of;
  for (const auto& [a, leads] : All<SetLeads>(s)) {
    ASSERT_EQ(leads->leads.size(), 1u);
    lead_of[leads->project] = leads->leads[0];
  }
  EXPECT_EQ(lead_of.size(), 42u);
  for (const auto& [a, e] : All<LogInvestment>(s)) {
    EXPECT_EQ(a->actor, lead_of[e->project]);
  }
  for (const auto& [a, c] : All<CorrectInvestment>(s)) {
    EXPECT_EQ(a->actor, lead_of[c->project]);
  }
  for (const auto& [a, m] : All<CompleteMilestone>(s)) {
    EXPECT_EQ(a->actor, lead_of[m->project]);
  }
  for (const auto& [a, p] : All<CreateProblem>(s)) {
    EXPECT_EQ(a->actor, lead_of[p->project]);
  }
}

// Each month is reported before it is closed, except the one late report,
// which is refused, then accepted after a reopening, then closed again.
TEST(ScenarioTest, MonthsAreReportedThenClosedWithOneLateReport) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    for (int through : {1, 2, 3, 8, 12}) {
      const Scenario s = Build(seed, through);
      std::map<absl::CivilMonth, std::vector<absl::Time>> closes;
      for (const auto& [a, c] : All<ClosePeriod>(s)) {
        closes[c->period].push_back(a->time);
      }
      ASSERT_EQ(closes.size(), static_cast<size_t>(through));
      const auto reopens = All<ReopenPeriod>(s);
      ASSERT_EQ(reopens.size(), 1u);
      const absl::CivilMonth late = reopens[0].second->period;
      ASSERT_EQ(closes[late].size(), 2u);
      int refused = 0;
      for (const auto& [a, e] : All<LogInvestment>(s)) {
        const std::vector<absl::Time>& c = closes[e->period];
        if (e->expect_closed) {
          ++refused;
          EXPECT_EQ(e->period, late);
          EXPECT_GT(a->time, c[0]);
          EXPECT_LT(a->time, reopens[0].first->time);
        } else if (e->period == late && absl::StrContains(e->note, "补报")) {
          EXPECT_GT(a->time, reopens[0].first->time);
          EXPECT_LT(a->time, c[1]);
        } else {
          EXPECT_LT(a->time, c[0]) << Describe(*a);
        }
      }
      EXPECT_EQ(refused, 1);
    }
  }
}

TEST(ScenarioTest, CorrectionsFollowTheirEntryWhileTheMonthIsOpen) {
  const Scenario s = Build(1, 12);
  std::map<std::pair<std::string, absl::CivilMonth>, absl::Time> logged;
  std::map<absl::CivilMonth, absl::Time> closed;
  for (const auto& [a, c] : All<ClosePeriod>(s)) {
    if (closed.count(c->period) == 0) closed[c->period] = a->time;
  }
  for (const auto& [a, e] : All<LogInvestment>(s)) {
    if (!e->expect_closed) logged[{e->project, e->period}] = a->time;
  }
  const auto corrections = All<CorrectInvestment>(s);
  EXPECT_GE(corrections.size(), 2u);
  for (const auto& [a, c] : corrections) {
    const auto entry = logged.find({c->project, c->period});
    ASSERT_NE(entry, logged.end()) << Describe(*a);
    EXPECT_GT(a->time, entry->second);
    EXPECT_LT(a->time, closed[c->period]);
    EXPECT_GT(c->corrected_amount, 0);
  }
}

// Guaranteed, not left to chance: every seed shows every state.
TEST(ScenarioTest, ProblemsEndInEveryState) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    for (int through : {3, 8, 12}) {
      const Scenario s = Build(seed, through);
      std::map<int, std::string> state;
      std::map<int, absl::Time> opened;
      for (const Action& a : s.actions) {
        if (const auto* p = std::get_if<CreateProblem>(&a.body)) {
          state[p->problem] = "open";
          opened[p->problem] = a.time;
        } else if (const auto* p = std::get_if<AssignProblem>(&a.body)) {
          ASSERT_EQ(state[p->problem], "open");
          EXPECT_GT(a.time, opened[p->problem]);
          state[p->problem] = "assigned";
        } else if (const auto* p = std::get_if<EscalateProblem>(&a.body)) {
          EXPECT_EQ(state[p->problem], "assigned");
        } else if (const auto* p = std::get_if<ResolveProblem>(&a.body)) {
          ASSERT_EQ(state[p->problem], "assigned");
          state[p->problem] = "resolved";
        }
      }
      std::set<std::string> states;
      for (const auto& [problem, st] : state) states.insert(st);
      EXPECT_EQ(states, (std::set<std::string>{"open", "assigned", "resolved"}))
          << "seed " << seed << " through " << through;
    }
  }
}

TEST(ScenarioTest, SomeMilestonesAreReachedAndSomeAreNot) {
  const Scenario s = Build(1, 12);
  const size_t planned = All<CreateMilestone>(s).size();
  const size_t reached = All<CompleteMilestone>(s).size();
  EXPECT_GT(planned, 10u);
  EXPECT_GT(reached, 0u);
  EXPECT_LT(reached, planned);
  for (const auto& [a, m] : All<CompleteMilestone>(s)) {
    // Never recorded before it happened (the server refuses future dates).
    EXPECT_LE(m->actual, DistrictDay(a->time));
  }
}

}  // namespace
}  // namespace portfolio::demo
