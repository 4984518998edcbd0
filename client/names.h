// Resource names as users type them: a project as `p1` or `projects/p1`, a
// milestone as `p1/m2` or `projects/p1/milestones/m2`, a user as `zhang` or
// `users/zhang`, a token as `k3x` or `tokens/k3x`.
#ifndef PORTFOLIO_CLIENT_NAMES_H_
#define PORTFOLIO_CLIENT_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace portfolio::client {

// `projects/{id}` from `id` or `projects/id`. A usage error (errors.h) when
// the text is empty or has other segments; the id itself is the server's to
// judge.
absl::StatusOr<std::string> ProjectName(absl::string_view text);

// `projects/{p}/milestones/{m}` from `p/m` or the full name.
absl::StatusOr<std::string> MilestoneName(absl::string_view text);

// `projects/{p}/problems/{q}` from `p/q` or the full name.
absl::StatusOr<std::string> ProblemName(absl::string_view text);

// `projects/{p}/investments/{e}` from `p/e` or the full name.
absl::StatusOr<std::string> InvestmentEntryName(absl::string_view text);

// `indicators/{id}` from `id` or `indicators/id`.
absl::StatusOr<std::string> IndicatorName(absl::string_view text);

// `users/{id}` from `id` or `users/id`.
absl::StatusOr<std::string> UserName(absl::string_view text);

// `tokens/{id}` from `id` or `tokens/id`. A secret (`pf_{id}_...`) is
// refused with a usage error that names the id but not the secret, so
// that the secret is not sent where it would be logged.
absl::StatusOr<std::string> TokenName(absl::string_view text);

// A gRPC method without its package: `InvestmentService/LogInvestment`
// from `/portfolio.v1.InvestmentService/LogInvestment`; other text as it
// is.
std::string ShortMethodName(absl::string_view method);

// The last segment of a resource name: `m2` from
// `projects/p1/milestones/m2`; the whole text when it has no `/`.
std::string LastSegment(absl::string_view name);

// The project id of a name under `projects/`: `p1` from
// `projects/p1/milestones/m2`; "" when the name is not under `projects/`.
std::string ProjectIdOf(absl::string_view name);

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_NAMES_H_
