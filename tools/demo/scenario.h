// The demo's year of activity as plain data: who does what, when, with what
// figures. Built from a seed alone, so the same seed gives the same year on
// every machine; no server is involved here (runner.h plays it against one).
#ifndef PORTFOLIO_TOOLS_DEMO_SCENARIO_H_
#define PORTFOLIO_TOOLS_DEMO_SCENARIO_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "portfolio/v1/admin.pb.h"
#include "portfolio/v1/resources.pb.h"

namespace portfolio::demo {

// The year the demo simulates: the report's year.
inline constexpr int kDemoYear = 2024;

// Prefix of every invented text (notes, reasons, descriptions, names), so
// that nobody mistakes a demo record for a reported fact.
inline constexpr char kDemoMark[] = "[演示 demo]";

// The user the server creates on its first start; it sets the demo up.
inline constexpr char kAdminUser[] = "admin";
// The demo's manager (指挥部调度员): plans, closings, problem handling.
inline constexpr char kManagerUser[] = "demo-manager";

// The demo starts the day after the report was delivered (2024-01-17).
absl::Time DemoStartTime();

// A project of the year's portfolio, as the scenario needs it.
struct DemoProject {
  // The project id (the part after `projects/`).
  std::string id;
  v1::ProjectStage stage = v1::PROJECT_STAGE_UNSPECIFIED;
};

struct ScenarioOptions {
  // Chooses every invented figure and date. Default: 1.
  uint64_t seed = 1;
  // The last month of 2024 whose activity is generated: its reports, its
  // closing around the 10th of the next month. 1..12. Default: 12.
  int through_month = 12;
  // The portfolio's fixed-asset investment target, yuan: the baseline
  // plans add up to within a few percent of it. Default: 110亿, the
  // report's figure.
  int64_t investment_target = 11000000000;
};

// --- What happens. Each is one call of the API. ---------------------------

// An admin creates a user and a token for it.
struct CreateUser {
  std::string user_id;
  std::string display_name;
  v1::UserRole role = v1::USER_ROLE_UNSPECIFIED;
};
// An admin lists a project's leads.
struct SetLeads {
  std::string project;
  std::vector<std::string> leads;
};
// A manager sets a plan: the baseline (reason empty) or a revision.
struct SetPlan {
  std::string project;
  int64_t amount = 0;
  std::vector<int64_t> monthly;  // 12 amounts summing to `amount`
  std::string reason;
};
struct CreateMilestone {
  std::string project;
  std::string milestone_id;
  v1::MilestoneKind kind = v1::MILESTONE_KIND_UNSPECIFIED;
  std::string display_name;
  absl::CivilDay planned;
};
struct ForecastMilestone {
  std::string project;
  std::string milestone_id;
  absl::CivilDay forecast;
};
struct CompleteMilestone {
  std::string project;
  std::string milestone_id;
  absl::CivilDay actual;
};
// A lead reports a month. `expect_closed`: the month is closed and the
// server must refuse the entry (FAILED_PRECONDITION).
struct LogInvestment {
  std::string project;
  absl::CivilMonth period;
  int64_t amount = 0;
  std::string note;
  bool expect_closed = false;
};
// A lead corrects the entry accepted for `period` (there is one per project
// and month) to `corrected_amount`.
struct CorrectInvestment {
  std::string project;
  absl::CivilMonth period;
  int64_t corrected_amount = 0;
  std::string reason;
};
struct ClosePeriod {
  absl::CivilMonth period;
};
struct ReopenPeriod {
  absl::CivilMonth period;
  std::string reason;
};
// Problems are numbered by the scenario (`problem`, from 0); the server
// names them, and the runner keeps the mapping.
struct CreateProblem {
  int problem = 0;
  std::string project;
  v1::ProblemCategory category = v1::PROBLEM_CATEGORY_UNSPECIFIED;
  std::string description;
};
struct AssignProblem {
  int problem = 0;
  std::string responsible_unit;
  absl::CivilDay deadline;
};
struct EscalateProblem {
  int problem = 0;
  v1::EscalationLevel escalation = v1::ESCALATION_LEVEL_UNSPECIFIED;
};
struct ResolveProblem {
  int problem = 0;
  std::string resolution;
};

using ActionBody =
    std::variant<CreateUser, SetLeads, SetPlan, CreateMilestone,
                 ForecastMilestone, CompleteMilestone, LogInvestment,
                 CorrectInvestment, ClosePeriod, ReopenPeriod, CreateProblem,
                 AssignProblem, EscalateProblem, ResolveProblem>;

// One call: when (the server's clock is set to `time` first), by whom (a
// user id; its token is used), and what.
struct Action {
  absl::Time time;
  std::string actor;
  ActionBody body;
};

struct Scenario {
  // Ordered by time; equal times keep the order they were planned in.
  std::vector<Action> actions;
};

// The year of activity for `projects` (the year's portfolio; any order).
// Deterministic: equal options and projects give an equal scenario.
// INVALID_ARGUMENT when through_month is not 1..12, there are no
// projects, or the target is not positive.
absl::StatusOr<Scenario> BuildScenario(const ScenarioOptions& options,
                                       std::vector<DemoProject> projects);

// One line saying what an action does, for progress and error messages,
// e.g. "2024-04-03 10:12 demo-lead-03 logs 2024-03 of xinfa-hongmeng:
// 1234.56万".
std::string Describe(const Action& action);

}  // namespace portfolio::demo

#endif  // PORTFOLIO_TOOLS_DEMO_SCENARIO_H_
