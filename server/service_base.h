// What every RPC handler shares: its dependencies, the authenticate ->
// run -> convert-the-error shape, and request-id idempotency.
#ifndef PORTFOLIO_SERVER_SERVICE_BASE_H_
#define PORTFOLIO_SERVER_SERVICE_BASE_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/clock.h"
#include "google/protobuf/message.h"
#include "server/errors.h"
#include "server/principal.h"
#include "server/progress.h"
#include "storage/store.h"

namespace portfolio {

// Dependencies of the services. None owned; all must outlive the services.
struct ServiceDeps {
  Store* store = nullptr;
  const Clock* clock = nullptr;
  const Authenticator* authenticator = nullptr;
  StatusThresholds thresholds;
};

// Today in the district's time zone.
absl::CivilDay Today(const Clock& clock);

// Runs a handler body: refuses a cancelled call, authenticates, runs `fn`
// with the principal, and converts its status for the wire.
grpc::Status Serve(const ServiceDeps& deps, grpc::ServerContext* context,
                   absl::FunctionRef<absl::Status(const Principal&)> fn);

// Runs `write` in one store transaction guarded by `request_id`:
// - empty id: just runs it;
// - an id unused by this principal: runs it, then stores the canonical
//   request and `*response` in the same transaction;
// - an id used with the same request: writes nothing, fills `*response`
//   with the first answer;
// - an id used with a different request: ALREADY_EXISTS naming request_id.
// `write` fills `*response`. Returns write's status or the store's.
absl::Status IdempotentWrite(
    const ServiceDeps& deps, const Principal& principal,
    const google::protobuf::Message& request, absl::string_view request_id,
    google::protobuf::Message* response,
    absl::FunctionRef<absl::Status(StoreWriter&)> write);

// The paths of a field mask, or `all` when the mask is empty or "*".
// INVALID_ARGUMENT naming update_mask for a path not in `all`.
absl::StatusOr<std::vector<std::string>> MaskPaths(
    const google::protobuf::RepeatedPtrField<std::string>& paths,
    const std::vector<std::string>& all);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_SERVICE_BASE_H_
