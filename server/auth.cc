#include "server/auth.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "server/tokens.h"

namespace portfolio {
namespace {

constexpr absl::Duration kLastUseResolution = absl::Minutes(1);

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat(
      why,
      "; send `authorization: Bearer TOKEN` (an admin makes tokens with "
      "`portfolio tokens create`)"));
}

constexpr char kRefusedUserPayload[] =
    "type.googleapis.com/portfolio.v1.RefusedUser";

// Marks an UNAUTHENTICATED error with the user whose genuine token was
// refused (revoked, expired, disabled), for the audit trail.
absl::Status WithRefusedUser(absl::Status status, absl::string_view user) {
  status.SetPayload(kRefusedUserPayload, absl::Cord(user));
  return status;
}

const std::map<std::string, Access, std::less<>>& AccessTable() {
  static const auto* table = new std::map<std::string, Access, std::less<>>{
      {"/portfolio.v1.ProjectService/GetProject", Access::kRead},
      {"/portfolio.v1.ProjectService/ListProjects", Access::kRead},
      {"/portfolio.v1.ProjectService/CreateProject", Access::kAdmin},
      {"/portfolio.v1.ProjectService/UpdateProject", Access::kAdmin},
      {"/portfolio.v1.ProjectService/GetAnnualPlan", Access::kRead},
      {"/portfolio.v1.ProjectService/ListAnnualPlans", Access::kRead},
      {"/portfolio.v1.ProjectService/UpdateAnnualPlan", Access::kManage},
      {"/portfolio.v1.ProjectService/ListAnnualPlanRevisions", Access::kRead},
      {"/portfolio.v1.ProblemService/GetProblem", Access::kRead},
      {"/portfolio.v1.ProblemService/ListProblems", Access::kRead},
      {"/portfolio.v1.ProblemService/CreateProblem", Access::kManageOrReport},
      {"/portfolio.v1.ProblemService/AssignProblem", Access::kManage},
      {"/portfolio.v1.ProblemService/EscalateProblem", Access::kManage},
      {"/portfolio.v1.ProblemService/ResolveProblem", Access::kManage},
      {"/portfolio.v1.ProjectService/GetMilestone", Access::kRead},
      {"/portfolio.v1.ProjectService/ListMilestones", Access::kRead},
      {"/portfolio.v1.ProjectService/CreateMilestone", Access::kManageOrReport},
      {"/portfolio.v1.ProjectService/ForecastMilestone",
       Access::kManageOrReport},
      {"/portfolio.v1.ProjectService/CompleteMilestone",
       Access::kManageOrReport},
      // Leads forecast a slip; the command centre moves the plan.
      {"/portfolio.v1.ProjectService/UpdateMilestone", Access::kManage},
      {"/portfolio.v1.InvestmentService/LogInvestment", Access::kReport},
      {"/portfolio.v1.InvestmentService/CorrectInvestment", Access::kReport},
      {"/portfolio.v1.InvestmentService/GetInvestmentEntry", Access::kRead},
      {"/portfolio.v1.InvestmentService/ListInvestmentEntries", Access::kRead},
      {"/portfolio.v1.InvestmentService/ClosePeriod", Access::kManage},
      {"/portfolio.v1.InvestmentService/ReopenPeriod", Access::kManage},
      {"/portfolio.v1.InvestmentService/ListPeriods", Access::kRead},
      {"/portfolio.v1.IndicatorService/GetIndicator", Access::kRead},
      {"/portfolio.v1.IndicatorService/ListIndicators", Access::kRead},
      {"/portfolio.v1.IndicatorService/CreateIndicator", Access::kManage},
      {"/portfolio.v1.IndicatorService/UpdateIndicator", Access::kManage},
      {"/portfolio.v1.IndicatorService/RecordIndicatorValue", Access::kManage},
      {"/portfolio.v1.PortfolioService/GetPortfolio", Access::kRead},
      {"/portfolio.v1.PortfolioService/ListPortfolios", Access::kRead},
      {"/portfolio.v1.PortfolioService/UpdatePortfolio", Access::kManage},
      {"/portfolio.v1.PortfolioService/GetPortfolioSummary", Access::kRead},
      {"/portfolio.v1.PortfolioService/GetProjectStatus", Access::kRead},
      {"/portfolio.v1.PortfolioService/ListProjectStatuses", Access::kRead},
      // Importing projects, users and investments is admin only: checked
      // again by kind in the handler.
      {"/portfolio.v1.PortfolioService/ImportRecords", Access::kManage},
      {"/portfolio.v1.AdminService/ListAuditEvents", Access::kManage},
      {"/portfolio.v1.AdminService/WatchChanges", Access::kWatch},
  };
  return *table;
}

bool RoleMay(absl::string_view role, Access access) {
  if (role == "admin") return true;
  switch (access) {
    case Access::kRead:
      return true;
    case Access::kAdmin:
      return false;
    case Access::kManage:
      return role == "manager";
    case Access::kReport:
      return role == "lead" || role == "service";
    case Access::kManageOrReport:
      return role == "manager" || role == "lead" || role == "service";
    case Access::kWatch:
      return role == "manager" || role == "service";
  }
  return false;
}

}  // namespace

absl::StatusOr<Principal> TokenAuthenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return Unauthenticated("no token");
  absl::string_view header(it->second.data(), it->second.size());
  if (!absl::ConsumePrefix(&header, "Bearer ") &&
      !absl::ConsumePrefix(&header, "bearer ")) {
    return Unauthenticated("the authorization metadata is not a bearer token");
  }
  header = absl::StripAsciiWhitespace(header);
  absl::StatusOr<std::string> id = TokenIdOf(header);
  if (!id.ok()) return Unauthenticated("unknown token");
  absl::StatusOr<std::shared_ptr<const Known>> known = Lookup(*id);
  if (absl::IsNotFound(known.status())) return Unauthenticated("unknown token");
  RETURN_IF_ERROR(known.status());
  const TokenRecord& token = (*known)->token;
  const UserRecord& user = (*known)->user;
  if (!SameHash(token.secret_hash, HashSecret(header))) {
    return Unauthenticated("unknown token");
  }
  const absl::Time now = clock_->Now();
  if (token.revoke_time.has_value()) {
    return WithRefusedUser(
        Unauthenticated(absl::StrCat("token ", token.id, " was revoked")),
        user.id);
  }
  if (token.expire_time.has_value() && *token.expire_time <= now) {
    return WithRefusedUser(
        Unauthenticated(absl::StrCat("token ", token.id, " has expired")),
        user.id);
  }
  if (user.disabled) {
    // A new token would not help: the account itself is refused.
    return WithRefusedUser(
        absl::UnauthenticatedError(
            absl::StrCat("user ", user.id,
                         " is disabled; an admin can enable the account again "
                         "(`portfolio users enable ",
                         user.id, "`)")),
        user.id);
  }
  if (!token.last_use_time.has_value() ||
      now - *token.last_use_time >= kLastUseResolution) {
    // Best effort: a busy database must not fail the call itself.
    if (store_
            ->Write([&](StoreWriter& w) { return w.TouchToken(token.id, now); })
            .ok()) {
      NoteUse(**known, now);
    }
  }
  return Principal{user.id, user.role};
}

absl::StatusOr<std::shared_ptr<const TokenAuthenticator::Known>>
TokenAuthenticator::Lookup(const std::string& id) const {
  // Read before the store is: a change committed after this read bumps the
  // version past it, so what is kept under it can only be older than that
  // change while the change is not yet acknowledged.
  const int64_t version = store_->AccessVersion();
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = known_.find(id);
    if (it != known_.end() && it->second->version == version) {
      return it->second;
    }
  }
  auto fresh = std::make_shared<Known>();
  fresh->version = version;
  RETURN_IF_ERROR(store_->Read([&](StoreReader& r) -> absl::Status {
    ASSIGN_OR_RETURN(fresh->token, r.GetToken(id));
    ASSIGN_OR_RETURN(fresh->user, r.GetUser(fresh->token.user_id));
    return absl::OkStatus();
  }));
  absl::MutexLock lock(&mu_);
  if (known_.size() >= kMaxKnown) known_.clear();
  std::shared_ptr<const Known>& slot = known_[id];
  // A slower call may have read at an older version than one kept since.
  if (slot == nullptr || slot->version <= version) slot = fresh;
  return std::shared_ptr<const Known>(std::move(fresh));
}

void TokenAuthenticator::NoteUse(const Known& known, absl::Time now) const {
  auto noted = std::make_shared<Known>(known);
  noted->token.last_use_time = now;
  absl::MutexLock lock(&mu_);
  auto it = known_.find(known.token.id);
  if (it != known_.end() && it->second->version == known.version) {
    it->second = std::move(noted);
  }
}

std::string RefusedUser(const absl::Status& status) {
  auto user = status.GetPayload(kRefusedUserPayload);
  return user.has_value() ? std::string(*user) : std::string();
}

Access AccessOf(absl::string_view method) {
  const auto& table = AccessTable();
  auto it = table.find(method);
  return it == table.end() ? Access::kAdmin : it->second;
}

bool IsMutation(absl::string_view method) {
  if (absl::StartsWith(method, "/portfolio.v1.AdminService/")) {
    // A backup copies everything, so it is recorded like a change.
    return !absl::StartsWith(method, "/portfolio.v1.AdminService/Get") &&
           !absl::StartsWith(method, "/portfolio.v1.AdminService/List") &&
           method != "/portfolio.v1.AdminService/WatchChanges";
  }
  return AccessOf(method) != Access::kRead;
}

absl::Status AuthorizeMethod(const Principal& who, absl::string_view method) {
  if (RoleMay(who.role, AccessOf(method))) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat("user ", who.user_id, " (", who.role, ") may not call ",
                   method.substr(method.rfind('/') + 1)));
}

absl::Status AuthorizeProject(StoreReader& r, const Principal& who,
                              absl::string_view method,
                              absl::string_view project_id) {
  if (who.role != "lead" && who.role != "service") return absl::OkStatus();
  ASSIGN_OR_RETURN(bool leads, r.IsLead(project_id, who.user_id));
  if (leads) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      "user ", who.user_id, " is not a lead of project ", project_id,
      " and may not call ", method.substr(method.rfind('/') + 1), " on it"));
}

}  // namespace portfolio
