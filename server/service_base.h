// What every RPC handler shares: its dependencies, the authenticate ->
// run -> convert-the-error shape, and request-id idempotency.
#ifndef PORTFOLIO_SERVER_SERVICE_BASE_H_
#define PORTFOLIO_SERVER_SERVICE_BASE_H_

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_callback.h>
#include <grpcpp/support/status.h>

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "common/clock.h"
#include "google/protobuf/message.h"
#include "server/change_notifier.h"
#include "server/errors.h"
#include "server/evaluation_cache.h"
#include "server/principal.h"
#include "server/progress.h"
#include "server/response_cache.h"
#include "storage/store.h"

namespace portfolio {

// Dependencies of the services. None owned; all must outlive the services.
struct ServiceDeps {
  Store* store = nullptr;
  const Clock* clock = nullptr;
  const Authenticator* authenticator = nullptr;
  StatusThresholds thresholds;
  // Where the server may write temporary files (backups in the making).
  std::string scratch_dir;
  // Told of every committed change, for the change feed. May be null.
  ChangeNotifier* changes = nullptr;
  // Year summaries already computed since the last accepted change (as
  // counted by `changes`). May be null (no caching); unused without
  // `changes`.
  ResponseCache* summaries = nullptr;
  // Evaluated progress kept between calls. May be null (every summary and
  // status list reads its projects afresh).
  EvaluationCache* evaluations = nullptr;
};

// Today in the district's time zone.
absl::CivilDay Today(const Clock& clock);

// The year a request means when it names none: the latest year up to this
// one whose portfolio has targets (so a database loaded with a past year's
// report shows that year), else this year. Store errors are returned.
absl::StatusOr<int> PortfolioYear(const ServiceDeps& deps, int requested);

// Runs a handler body: refuses a cancelled call, authenticates
// (UNAUTHENTICATED), checks the caller's role may call the method at all
// (PERMISSION_DENIED), runs `fn` with the principal, and converts its
// status for the wire. A refused mutation is recorded in the audit trail
// with who tried (an accepted one is recorded by IdempotentWrite, inside
// its transaction).
grpc::Status Serve(const ServiceDeps& deps, grpc::ServerContext* context,
                   const google::protobuf::Message& request,
                   absl::FunctionRef<absl::Status(const Principal&)> fn);

// Runs `write` in one store transaction guarded by `request_id`:
// - empty id: just runs it;
// - an id unused by this principal: runs it, then stores the canonical
//   request and `*response` in the same transaction;
// - an id used with the same request: writes nothing, fills `*response`
//   with the first answer;
// - an id used with a different request: ALREADY_EXISTS naming request_id.
// `write` fills `*response`. Returns write's status or the store's, or
// CANCELLED (with everything rolled back) when the call being served has
// been cancelled or has passed its deadline by the time the write is ready
// to commit, so that a caller who saw a timeout can retry without the write
// counting twice.
//
// With `project` set, the call writes to that project: a lead or service
// caller who does not lead it is refused (PERMISSION_DENIED) first, before
// anything is looked up. An accepted write appends its audit event in the
// same transaction.
absl::Status IdempotentWrite(
    const ServiceDeps& deps, const Principal& principal,
    const google::protobuf::Message& request, absl::string_view request_id,
    google::protobuf::Message* response,
    absl::FunctionRef<absl::Status(StoreWriter&)> write,
    absl::string_view project = "");

// What a handler served with ServeWrite has validated: the write itself and
// the arguments IdempotentWrite would take.
struct PreparedWrite {
  // The request's request_id; "" for none.
  std::string request_id;
  // The project written to, for the per-project check; "" for none.
  std::string project;
  // Runs on the store's writer thread inside the transaction and fills the
  // response. It may refer to the request and the response (gRPC keeps
  // them until the call is finished, which is after it has run); anything
  // else it needs it owns.
  WriteFn write;
};

// Serve and IdempotentWrite for a unary method of the gRPC callback API
// whose work is one write, so that a call waiting for the group commit
// holds no thread. On the calling (gRPC) thread: refuses a cancelled call,
// authenticates, checks the method's role, and runs `prepare`, which
// validates the request (its errors are the call's) and returns the write.
// The write then runs as IdempotentWrite's `write` (same idempotency,
// per-project check, audit event and cancellation rules), and the call is
// finished from the store's writer thread once the outcome is durable. A
// refused mutation is recorded in the audit trail as Serve does, before
// the call is finished. Returns the reactor gRPC expects from the handler.
grpc::ServerUnaryReactor* ServeWrite(
    const ServiceDeps& deps, grpc::CallbackServerContext* context,
    const google::protobuf::Message& request,
    google::protobuf::Message* response,
    absl::FunctionRef<absl::StatusOr<PreparedWrite>(const Principal&)> prepare);

// Appends an accepted call that wrote nothing to the database (a backup) to
// the audit trail, in a transaction of its own.
absl::Status RecordAccepted(const ServiceDeps& deps, const Principal& who,
                            const google::protobuf::Message& request);

// The full gRPC method ("/portfolio.v1.InvestmentService/LogInvestment")
// whose request type `request` is; "" for a type of no method.
std::string MethodOf(const google::protobuf::Message& request);

// What an accepted call's audit event keeps of its request: the request
// without its request id, uploaded file contents or fields this build does
// not know, as protobuf bytes. Thread-safe.
std::string AuditRequestOf(const google::protobuf::Message& request);

// An audit event's detail as callers read it: the JSON of the request it
// kept (field names as in the .proto) when it kept one, else its stored
// detail. A request this build cannot parse (its method unknown, its bytes
// damaged) reads as a note saying so, never as an error: the trail stays
// listable. Thread-safe.
std::string AuditDetailOf(const AuditRecord& event);

// The resource a call acts on, for the audit trail: the response's `name`,
// else the request's `name` or `parent`, else the `name` of the request's
// first message field that has one.
std::string ResourceOf(const google::protobuf::Message& request,
                       const google::protobuf::Message* response);

// The fields an update writes (AIP-134): the mask's paths; all of `all`
// for "*"; and for an empty mask, the fields of `resource` that are
// populated (non-default), so a client that omits the mask never clears
// what it did not send. INVALID_ARGUMENT naming update_mask for a path not
// in `all`.
absl::StatusOr<std::vector<std::string>> MaskPaths(
    const google::protobuf::RepeatedPtrField<std::string>& paths,
    const google::protobuf::Message& resource,
    const std::vector<std::string>& all);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_SERVICE_BASE_H_
