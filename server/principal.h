// Who is calling: resolved once per call, behind one seam, so handlers never
// parse credentials (the implementation is TokenAuthenticator, auth.h).
#ifndef PORTFOLIO_SERVER_PRINCIPAL_H_
#define PORTFOLIO_SERVER_PRINCIPAL_H_

#include <grpcpp/server_context.h>

#include <string>

#include "absl/status/statusor.h"

namespace portfolio {

struct Principal {
  std::string user_id;  // recorded as reported_by / updated_by
  std::string role;     // admin | manager | lead | viewer | service
};

// Resolves the caller of a call. Implementations are thread-safe.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The caller, or UNAUTHENTICATED when the call carries no acceptable
  // credentials.
  virtual absl::StatusOr<Principal> Authenticate(
      const grpc::ServerContextBase& context) const = 0;
};

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_PRINCIPAL_H_
