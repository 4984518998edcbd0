// Plays a scenario against a running portfolio server, through its gRPC
// API only, with each user's own token, at the scenario's times.
#ifndef PORTFOLIO_TOOLS_DEMO_RUNNER_H_
#define PORTFOLIO_TOOLS_DEMO_RUNNER_H_

#include <grpcpp/channel.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "portfolio/v1/admin.grpc.pb.h"
#include "portfolio/v1/service.grpc.pb.h"
#include "tools/demo/scenario.h"

namespace portfolio::demo {

// What a run did, by kind of call accepted.
struct RunCounts {
  int users = 0;
  int baselines = 0;
  int revisions = 0;
  int milestones = 0;
  int milestones_completed = 0;
  int forecasts = 0;
  int entries = 0;
  int corrections = 0;
  int refused_entries = 0;  // refused as expected: the month was closed
  int closings = 0;
  int reopenings = 0;
  int problems = 0;
  int escalations = 0;
  // Problems by the state the run left them in.
  int problems_open = 0;
  int problems_assigned = 0;
  int problems_resolved = 0;
};

// The year's portfolio as the server has it: every project of `year`'s
// portfolio (ListProjectStatuses) with its stage (ListProjects). The
// server's error, with what was asked, when a call fails.
absl::StatusOr<std::vector<DemoProject>> ReadPortfolioProjects(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
    int year);

// The fixed-asset investment target of `year`'s portfolio; NOT_FOUND when
// the portfolio or its target is not set.
absl::StatusOr<int64_t> ReadInvestmentTarget(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
    int year);

// Not thread-safe.
class ScenarioRunner final {
 public:
  // Calls go over `channel` to a server whose clock is `clock` (not owned;
  // it outlives the runner). `admin_token` is the secret of the admin the
  // server created; the users the scenario creates get their own tokens.
  // Request ids are `request_prefix` followed by the action's number.
  ScenarioRunner(std::shared_ptr<grpc::Channel> channel, FakeClock* clock,
                 std::string admin_token, std::string request_prefix);

  // Called with each action before it is made; default none.
  void set_trace(std::function<void(const Action&)> trace) {
    trace_ = std::move(trace);
  }

  // Makes every action in order, each after setting the clock to its
  // time. Stops at the first that fails, returning the server's code with
  // a message naming the action (number and Describe) and the server's
  // message; an action expected to be refused that is accepted, or refused
  // for another reason, is INTERNAL.
  absl::Status Run(const Scenario& scenario);

  const RunCounts& counts() const { return counts_; }

 private:
  // One Do per kind of action; `id` is the request id.
  absl::Status Do(const std::string& token, const std::string& id,
                  const CreateUser& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const SetLeads& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const SetPlan& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const CreateMilestone& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const ForecastMilestone& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const CompleteMilestone& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const LogInvestment& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const CorrectInvestment& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const ClosePeriod& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const ReopenPeriod& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const CreateProblem& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const AssignProblem& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const EscalateProblem& a);
  absl::Status Do(const std::string& token, const std::string& id,
                  const ResolveProblem& a);

  // The server's name of scenario problem `problem`.
  absl::StatusOr<std::string> ProblemName(int problem) const;
  void CountProblemStates();

  FakeClock* const clock_;
  const std::string request_prefix_;
  std::unique_ptr<v1::ProjectService::Stub> projects_;
  std::unique_ptr<v1::InvestmentService::Stub> investments_;
  std::unique_ptr<v1::ProblemService::Stub> problems_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::function<void(const Action&)> trace_;
  // Tokens by user id.
  std::map<std::string, std::string> tokens_;
  // Entry names by (project, "YYYY-MM"), for corrections.
  std::map<std::pair<std::string, std::string>, std::string> entries_;
  // Server names and last states of the scenario's problems, by number.
  std::map<int, std::string> problem_names_;
  std::map<int, v1::ProblemState> problem_states_;
  RunCounts counts_;
};

}  // namespace portfolio::demo

#endif  // PORTFOLIO_TOOLS_DEMO_RUNNER_H_
