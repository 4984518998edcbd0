// Authentication by bearer token and authorization by role, resolved once
// per call (DESIGN.md, Server): handlers see a Principal, never a token.
#ifndef PORTFOLIO_SERVER_AUTH_H_
#define PORTFOLIO_SERVER_AUTH_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/clock.h"
#include "server/principal.h"
#include "storage/store.h"

namespace portfolio {

// Accepts `authorization: Bearer pf_...` metadata whose token is known, not
// revoked, not expired, and whose user is not disabled; anything else is
// UNAUTHENTICATED with a message saying which. Records a token's last use,
// at most once a minute. Thread-safe. Does not own the store or the clock.
class TokenAuthenticator final : public Authenticator {
 public:
  TokenAuthenticator(Store* store, const Clock* clock)
      : store_(store), clock_(clock) {}

  absl::StatusOr<Principal> Authenticate(
      const grpc::ServerContextBase& context) const override;

 private:
  Store* const store_;
  const Clock* const clock_;
};

// For an UNAUTHENTICATED error from TokenAuthenticator about a genuine
// token that is revoked or expired, or whose user is disabled: that user's
// id. "" for anything else (no token, an unknown or forged one).
std::string RefusedUser(const absl::Status& status);

// What a method may do, by role (see admin.proto for the rules).
enum class Access {
  kRead,            // every role
  kAdmin,           // admin only
  kManage,          // admin and manager
  kReport,          // admin, lead and service; leads only on their projects
  kManageOrReport,  // admin and manager everywhere; leads on their projects
  kWatch            // admin, manager and service: the change feed
};

// The access a full gRPC method name needs; kAdmin for a method not in the
// table, so a new method is closed until someone decides.
Access AccessOf(absl::string_view method);

// True for methods that change something (everything but kRead).
bool IsMutation(absl::string_view method);

// PERMISSION_DENIED unless `who`'s role may call `method` at all.
absl::Status AuthorizeMethod(const Principal& who, absl::string_view method);

// For a method that writes to one project: PERMISSION_DENIED when `who` is
// a lead or service that is not among the project's leads. Decided before
// the project is looked up, so the answer is the same whether or not the
// project exists.
absl::Status AuthorizeProject(StoreReader& r, const Principal& who,
                              absl::string_view method,
                              absl::string_view project_id);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_AUTH_H_
