// Talking to the server: one channel, a fresh deadline and the bearer token
// on every call, gRPC errors turned into our exit codes, and List calls
// followed across pages.
#ifndef PORTFOLIO_CLIENT_RPC_H_
#define PORTFOLIO_CLIENT_RPC_H_

#include <algorithm>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/config.h"
#include "common/status_macros.h"
#include "grpcpp/grpcpp.h"
#include "portfolio/v1/admin.grpc.pb.h"
#include "portfolio/v1/service.grpc.pb.h"

namespace portfolio::client {

// The largest page the API serves; list commands ask for it to make few
// round trips.
inline constexpr int kMaxPageSize = 1000;

// A 128-bit random request id as 32 hex digits, from std::random_device,
// for mutating calls the user gave no --request-id: a retry of the same
// call then cannot write twice.
std::string NewRequestId();

// The connection to one server and its six service stubs: over TLS when
// the connection names a CA file, else plaintext. Creating it does not
// connect; each call does, retrying UNAVAILABLE within its deadline (safe:
// mutations carry request ids; CreateToken, which has none, is not
// retried). Thread-compatible.
class RpcClient final {
 public:
  RpcClient(Connection connection, absl::Duration timeout);
  RpcClient(const RpcClient&) = delete;
  RpcClient& operator=(const RpcClient&) = delete;

  v1::ProjectService::Stub& projects() { return *projects_; }
  v1::InvestmentService::Stub& investments() { return *investments_; }
  v1::IndicatorService::Stub& indicators() { return *indicators_; }
  v1::ProblemService::Stub& problems() { return *problems_; }
  v1::PortfolioService::Stub& portfolios() { return *portfolios_; }
  v1::AdminService::Stub& admin() { return *admin_; }

  // Calls `method` of `stub` with a new context: the deadline is now plus
  // the timeout, and `authorization: Bearer TOKEN` is attached when a token
  // is set. Returns OK and fills `*response`, or the error of ToStatus.
  template <typename Stub, typename Request, typename Response>
  absl::Status Call(Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Request&, Response*),
                    const Request& request, Response* response) const {
    grpc::ClientContext context;
    Prepare(&context);
    return ToStatus((stub.*method)(&context, request, response));
  }

  // Sets up `context` for one call, as Call does; for streaming calls. A
  // call that may take long passes `at_least`: its deadline is then now
  // plus the larger of the timeout and `at_least`.
  void Prepare(grpc::ClientContext* context,
               absl::Duration at_least = absl::ZeroDuration()) const;

  // Maps a failed call to an error carrying its exit code (errors.h):
  // UNAVAILABLE and DEADLINE_EXCEEDED exit 4 with a message naming the
  // address tried (and the call's timeout: the larger of the timeout and
  // `at_least`, as for Prepare) and how to start a server; every other code
  // exits 3 with the message `CODE_NAME: server message`, and for
  // UNAUTHENTICATED a line on how to get and pass a token. OK stays OK.
  absl::Status ToStatus(const grpc::Status& status,
                        absl::Duration at_least = absl::ZeroDuration()) const;

  const Connection& connection() const { return connection_; }

 private:
  Connection connection_;
  absl::Duration timeout_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ProjectService::Stub> projects_;
  std::unique_ptr<v1::InvestmentService::Stub> investments_;
  std::unique_ptr<v1::IndicatorService::Stub> indicators_;
  std::unique_ptr<v1::ProblemService::Stub> problems_;
  std::unique_ptr<v1::PortfolioService::Stub> portfolios_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

// Calls a List method page by page, appending every page into `*all` (so
// repeated fields accumulate and the last page's scalars win), until the
// server returns no next_page_token or `limit` items are collected (0 = no
// limit); items beyond `limit` are dropped and next_page_token is cleared.
// `items(all)` returns the response's repeated field of items. Returns
// whether more items exist than were kept, or the first call's error; an
// INTERNAL error if the server repeats a page token.
template <typename Stub, typename Request, typename Response, typename Items>
absl::StatusOr<bool> ListAll(const RpcClient& rpc, Stub& stub,
                             grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                          const Request&,
                                                          Response*),
                             Request request, int limit, Items items,
                             Response* all) {
  request.set_page_size(limit > 0 ? std::min(limit, kMaxPageSize)
                                  : kMaxPageSize);
  all->Clear();
  bool more = false;
  while (true) {
    Response page;
    RETURN_IF_ERROR(rpc.Call(stub, method, request, &page));
    const std::string next = page.next_page_token();
    all->MergeFrom(page);
    if (next.empty()) break;
    if (limit > 0 && items(all)->size() >= limit) {
      more = true;
      break;
    }
    if (next == request.page_token()) {
      return absl::InternalError("the server repeated a page token");
    }
    request.set_page_token(next);
  }
  auto* kept = items(all);
  if (limit > 0 && kept->size() > limit) {
    kept->DeleteSubrange(limit, kept->size() - limit);
    more = true;
  }
  all->clear_next_page_token();
  return more;
}

}  // namespace portfolio::client

#endif  // PORTFOLIO_CLIENT_RPC_H_
