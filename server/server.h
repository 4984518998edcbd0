// The portfolio server: a store, the services over it, and a gRPC server
// with health and reflection. Used by main.cc and by integration tests.
#ifndef PORTFOLIO_SERVER_SERVER_H_
#define PORTFOLIO_SERVER_SERVER_H_

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "server/principal.h"
#include "server/progress.h"
#include "server/services.h"
#include "storage/store.h"

namespace portfolio {

struct ServerOptions {
  // Directory holding portfolio.db; created (mode 0700) when missing.
  // Required.
  std::string data_dir;
  // Address to serve on; port 0 picks a free port. Default: 127.0.0.1:50051.
  std::string listen = "127.0.0.1:50051";
  // Seed a new, empty database from the report's dataset, once in its life
  // (recorded in the database). Default: true.
  bool seed = true;
  // Largest request or response, bytes. Default: 16 MiB.
  int max_message_bytes = 16 << 20;
  // PEM files of the server's certificate chain and private key: serve
  // TLS when both are set. Default: unset (plaintext, loopback only).
  std::string tls_cert_path;
  std::string tls_key_path;
  // PEM file of the CAs whose client certificates are required (mutual
  // TLS). Default: unset (no client certificates).
  std::string tls_client_ca_path;
  // Serve plaintext on an address that is not loopback. Default: false,
  // and Start refuses such an address (FAILED_PRECONDITION).
  bool allow_insecure_remote = false;
  // Status rule thresholds. Defaults in progress.h.
  StatusThresholds thresholds;
};

// A running server. Thread-safe. Owns its store and services.
class PortfolioServer final {
 public:
  // Opens (creating and seeding when new) the database, then starts serving.
  // `clock` is not owned and must outlive the server. Errors: UNAVAILABLE
  // when the data directory or database cannot be opened or the address
  // cannot be bound; the seed's error when the dataset does not import
  // (nothing of it is written; the next start tries again).
  static absl::StatusOr<std::unique_ptr<PortfolioServer>> Start(
      const ServerOptions& options, const Clock* clock);
  ~PortfolioServer();

  // The bound port.
  int port() const { return port_; }
  // The database file's path.
  const std::string& database_path() const { return db_path_; }
  // Where this start wrote the first admin token (DATA_DIR/admin.token), or
  // "" when the database already had users.
  const std::string& admin_token_path() const { return admin_token_path_; }
  // Stops accepting calls, lets in-flight calls finish until `grace` has
  // passed (then cancels them), and returns once all have ended and the
  // evaluation read at start (one read of every project) has finished.
  void Shutdown(absl::Duration grace);
  // Blocks until the server has shut down.
  void Wait();
  // Blocks until the evaluation read at start has finished.
  void WaitForWarmUp() { JoinWarm(); }
  // What the kept evaluations have done since the start.
  EvaluationCache::Stats evaluation_stats() const {
    return evaluations_->stats();
  }

 private:
  PortfolioServer() = default;

  std::string db_path_;
  std::string admin_token_path_;
  int port_ = 0;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Authenticator> authenticator_;
  ChangeNotifier changes_;
  ResponseCache summaries_;
  std::unique_ptr<EvaluationCache> evaluations_;
  std::unique_ptr<ProjectServiceImpl> projects_;
  std::unique_ptr<InvestmentServiceImpl> investments_;
  std::unique_ptr<IndicatorServiceImpl> indicators_;
  std::unique_ptr<ProblemServiceImpl> problems_;
  std::unique_ptr<PortfolioServiceImpl> portfolios_;
  std::unique_ptr<AdminServiceImpl> admin_;
  std::unique_ptr<grpc::Server> server_;
  // Reads the most asked evaluation after start; joined on shutdown.
  absl::Mutex warm_mu_;
  std::thread warm_ ABSL_GUARDED_BY(warm_mu_);
  // Joins warm_ once, whichever of Shutdown and the destructor comes first.
  void JoinWarm();
};

// True for 127.x.x.x:port, localhost:port and [::1]:port.
bool IsLoopbackAddress(absl::string_view listen);

// The credentials `options` ask for: TLS (optionally requiring client
// certificates) when a certificate and key are given, else plaintext, which
// is refused (FAILED_PRECONDITION) on a non-loopback address unless
// allow_insecure_remote. INVALID_ARGUMENT for an incomplete or unreadable
// TLS setting.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeCredentials(
    const ServerOptions& options);

// On a database without users: creates the user `admin` (role admin) and a
// token for it, written to DATA_DIR/admin.token readable only by its owner.
// Returns that path, or "" when the database already has users.
absl::StatusOr<std::string> EnsureAdminToken(Store& store, const Clock& clock,
                                             const std::string& data_dir);

// Imports the report's dataset into `store` in one transaction, recording
// that the database was seeded.
absl::Status SeedFromReport(Store& store, const Clock& clock);

}  // namespace portfolio

#endif  // PORTFOLIO_SERVER_SERVER_H_
