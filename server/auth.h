// Authentication by bearer token and authorization by role, resolved once
// per call (DESIGN.md, Server): handlers see a Principal, never a token.
#ifndef PORTFOLIO_SERVER_AUTH_H_
#define PORTFOLIO_SERVER_AUTH_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "server/principal.h"
#include "storage/store.h"

namespace portfolio {

// Accepts `authorization: Bearer pf_...` metadata whose token is known, not
// revoked, not expired, and whose user is not disabled; anything else is
// UNAUTHENTICATED with a message saying which. Records a token's last use,
// at most once a minute. Thread-safe. Does not own the store or the clock.
//
// Keeps what it read about each existing token it was shown, with its
// user, until the store's AccessVersion moves (so at most one entry for
// each token in the database): a call with a known token then reads nothing
// from the database (the secret is still checked, and expiry against the
// clock, on every call). A change acknowledged by the store (a revocation,
// a disabled user) is therefore seen by the next call; a change made to the
// database file by another program is not, until the server restarts.
class TokenAuthenticator final : public Authenticator {
 public:
  TokenAuthenticator(Store* store, const Clock* clock)
      : store_(store), clock_(clock) {}

  absl::StatusOr<Principal> Authenticate(
      const grpc::ServerContextBase& context) const override;

 private:
  // A token and its user as read while the store's AccessVersion was
  // `version`.
  struct Known {
    int64_t version = 0;
    TokenRecord token;
    UserRecord user;
  };
  // The token `id` and its user: from `known_` when read at the current
  // version, else from the store (and then kept). NOT_FOUND for an unknown
  // token or user; the store's errors.
  absl::StatusOr<std::shared_ptr<const Known>> Lookup(
      const std::string& id) const;
  // Notes in `known_` that the token's last use was recorded at `now`.
  void NoteUse(const Known& known, absl::Time now) const;

  // More tokens than a province gives out; past it the map starts over, so
  // a stream of different genuine tokens cannot grow it without bound.
  static constexpr size_t kMaxKnown = 100'000;
  Store* const store_;
  const Clock* const clock_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, std::shared_ptr<const Known>> known_
      ABSL_GUARDED_BY(mu_);
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
