#include "server/server.h"

#include <fcntl.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "data/dataset.h"
#include "grpc/health/v1/health.pb.h"
#include "server/auth.h"
#include "server/importer.h"
#include "server/tokens.h"

namespace portfolio {
namespace {

absl::Status MakeDirs(const std::string& path) {
  std::string partial;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || (path[i] == '/' && i > 0)) {
      partial = path.substr(0, i);
      if (mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
        return absl::UnavailableError(absl::StrCat(
            "cannot create data directory ", partial, ": ", strerror(errno)));
      }
    }
  }
  return absl::OkStatus();
}

// The setting recording whether the database was seeded.
constexpr char kSeedSetting[] = "seed";

absl::StatusOr<ImportKind> KindOfFile(const std::string& name) {
  if (name == "projects.csv") return ImportKind::kProjects;
  if (name == "plans.csv") return ImportKind::kPlans;
  if (name == "indicators.csv") return ImportKind::kIndicators;
  if (name == "portfolio.csv") return ImportKind::kPortfolios;
  return absl::InternalError(absl::StrCat("unexpected dataset file ", name));
}

}  // namespace

absl::Status SeedFromReport(Store& store, const Clock& clock) {
  return store.Write([&](StoreWriter& w) -> absl::Status {
    for (const DatasetFile& file : ReportDataset()) {
      ASSIGN_OR_RETURN(ImportKind kind, KindOfFile(file.name));
      absl::StatusOr<ImportCounts> counts = ImportCsv(
          w, kind, file.name, file.content, "seed", w.Stamp(clock.Now()));
      if (!counts.ok()) {
        return absl::Status(counts.status().code(),
                            absl::StrCat("seeding from the report's dataset: ",
                                         counts.status().message()));
      }
    }
    return w.PutSetting(kSeedSetting, "report");
  });
}

namespace {

// Seeds a database once in its life: the decision is recorded in the same
// transaction as the seed, so a crash before it commits leaves a database
// that the next start seeds, and one after never seeds again. A database
// that already holds projects, or was opened with seeding off, is marked
// and never seeded.
absl::Status SeedOnce(Store& store, const Clock& clock, bool seed) {
  std::optional<std::string> decided;
  int64_t projects = 0;
  RETURN_IF_ERROR(store.Read([&](StoreReader& r) -> absl::Status {
    ASSIGN_OR_RETURN(decided, r.GetSetting(kSeedSetting));
    ProjectQuery q;
    q.limit = 1;
    ASSIGN_OR_RETURN(ProjectPage page, r.ListProjects(q));
    projects = page.total;
    return absl::OkStatus();
  }));
  if (decided.has_value()) return absl::OkStatus();
  if (seed && projects == 0) return SeedFromReport(store, clock);
  return store.Write([&](StoreWriter& w) {
    return w.PutSetting(kSeedSetting, seed ? "existing data" : "off");
  });
}

}  // namespace

namespace {

absl::StatusOr<std::string> ReadFile(const std::string& what,
                                     const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  if (!in || content.str().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": cannot read ", path));
  }
  return content.str();
}

}  // namespace

bool IsLoopbackAddress(absl::string_view listen) {
  return absl::StartsWith(listen, "127.") ||
         absl::StartsWith(listen, "localhost:") ||
         absl::StartsWith(listen, "[::1]:");
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeCredentials(
    const ServerOptions& options) {
  const bool tls =
      !options.tls_cert_path.empty() || !options.tls_key_path.empty();
  if (!tls) {
    if (!options.tls_client_ca_path.empty()) {
      return absl::InvalidArgumentError(
          "--tls-client-ca needs --tls-cert and --tls-key");
    }
    if (!IsLoopbackAddress(options.listen) && !options.allow_insecure_remote) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing to serve plaintext on ", options.listen,
          ", which is not a loopback address: give --tls-cert and --tls-key, "
          "or --insecure-remote if the network itself is trusted"));
    }
    return grpc::InsecureServerCredentials();
  }
  if (options.tls_cert_path.empty() || options.tls_key_path.empty()) {
    return absl::InvalidArgumentError(
        "TLS needs both --tls-cert and --tls-key");
  }
  grpc::SslServerCredentialsOptions ssl;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  ASSIGN_OR_RETURN(pair.cert_chain,
                   ReadFile("--tls-cert", options.tls_cert_path));
  ASSIGN_OR_RETURN(pair.private_key,
                   ReadFile("--tls-key", options.tls_key_path));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!options.tls_client_ca_path.empty()) {
    ASSIGN_OR_RETURN(ssl.pem_root_certs,
                     ReadFile("--tls-client-ca", options.tls_client_ca_path));
    ssl.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

absl::StatusOr<std::string> EnsureAdminToken(Store& store, const Clock& clock,
                                             const std::string& data_dir) {
  bool has_users = false;
  RETURN_IF_ERROR(store.Read([&](StoreReader& r) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<UserRecord> users, r.ListUsers(0, 1));
    has_users = !users.empty();
    return absl::OkStatus();
  }));
  if (has_users) return std::string();
  ASSIGN_OR_RETURN(NewToken token, GenerateToken());
  const std::string path = data_dir + "/admin.token";
  // Written before the user is committed: a crash in between leaves a file
  // whose token does not work yet, and the next start writes a new one.
  // A new file, never an old one reused (it could be open elsewhere with
  // wider permissions) nor a link followed; renamed into place when whole.
  const std::string fresh = path + ".new";
  unlink(fresh.c_str());
  const int fd =
      open(fresh.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot write ", fresh, ": ", strerror(errno)));
  }
  const std::string line = token.secret + "\n";
  const bool written = write(fd, line.data(), line.size()) ==
                           static_cast<ssize_t>(line.size()) &&
                       fsync(fd) == 0;
  close(fd);
  if (!written || rename(fresh.c_str(), path.c_str()) != 0) {
    unlink(fresh.c_str());
    return absl::UnavailableError(absl::StrCat("cannot write ", path));
  }
  const absl::Time now = clock.Now();
  RETURN_IF_ERROR(store.Write([&](StoreWriter& w) -> absl::Status {
    UserRecord admin;
    admin.id = "admin";
    admin.display_name = "Administrator";
    admin.role = "admin";
    admin.create_time = now;
    RETURN_IF_ERROR(w.InsertUser(admin));
    TokenRecord t;
    t.id = token.id;
    t.user_id = admin.id;
    t.display_name = "first start";
    t.secret_hash = HashSecret(token.secret);
    t.create_time = now;
    return w.InsertToken(t);
  }));
  return path;
}

absl::StatusOr<std::unique_ptr<PortfolioServer>> PortfolioServer::Start(
    const ServerOptions& options, const Clock* clock) {
  if (options.data_dir.empty()) {
    return absl::InvalidArgumentError("data_dir is required");
  }
  RETURN_IF_ERROR(MakeDirs(options.data_dir));
  std::unique_ptr<PortfolioServer> server(new PortfolioServer());
  server->db_path_ = options.data_dir + "/portfolio.db";
  ASSIGN_OR_RETURN(server->store_,
                   OpenSqliteStore(SqliteStoreOptions{server->db_path_}));
  RETURN_IF_ERROR(SeedOnce(*server->store_, *clock, options.seed));
  ASSIGN_OR_RETURN(server->admin_token_path_,
                   EnsureAdminToken(*server->store_, *clock, options.data_dir));
  server->authenticator_ =
      std::make_unique<TokenAuthenticator>(server->store_.get(), clock);
  ServiceDeps deps;
  deps.store = server->store_.get();
  deps.clock = clock;
  deps.authenticator = server->authenticator_.get();
  deps.thresholds = options.thresholds;
  deps.scratch_dir = options.data_dir;
  deps.changes = &server->changes_;
  deps.summaries = &server->summaries_;
  server->evaluations_ = std::make_unique<EvaluationCache>(options.thresholds);
  deps.evaluations = server->evaluations_.get();
  server->projects_ = std::make_unique<ProjectServiceImpl>(deps);
  server->investments_ = std::make_unique<InvestmentServiceImpl>(deps);
  server->indicators_ = std::make_unique<IndicatorServiceImpl>(deps);
  server->problems_ = std::make_unique<ProblemServiceImpl>(deps);
  server->portfolios_ = std::make_unique<PortfolioServiceImpl>(deps);
  server->admin_ = std::make_unique<AdminServiceImpl>(deps);

  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                   MakeCredentials(options));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  // gRPC serves the health service from its own code, without the
  // protobuf descriptors reflection answers from: linking ours in (a
  // reference is what pulls them out of the static library) lets a client
  // ask reflection about grpc.health.v1.Health like any other service.
  grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, credentials, &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  builder.RegisterService(server->projects_.get());
  builder.RegisterService(server->investments_.get());
  builder.RegisterService(server->indicators_.get());
  builder.RegisterService(server->problems_.get());
  builder.RegisterService(server->portfolios_.get());
  builder.RegisterService(server->admin_.get());
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen,
                     " (in use, or not an address of this machine)"));
  }
  // Each service by name as well as the server as a whole (""), so a
  // client can ask after the one it uses, as the health protocol allows;
  // Shutdown's SetServingStatus(false) turns every one of them off.
  grpc::HealthCheckServiceInterface* health =
      server->server_->GetHealthCheckService();
  for (const char* name : {v1::ProjectService::service_full_name(),
                           v1::InvestmentService::service_full_name(),
                           v1::IndicatorService::service_full_name(),
                           v1::ProblemService::service_full_name(),
                           v1::PortfolioService::service_full_name(),
                           v1::AdminService::service_full_name()}) {
    health->SetServingStatus(name, true);
  }
  health->SetServingStatus(true);
  // In the background: the server answers at once, and a summary asked
  // before the warming ends waits for it rather than reading twice.
  {
    absl::MutexLock lock(&server->warm_mu_);
    server->warm_ = std::thread([portfolios = server->portfolios_.get()] {
      portfolios->WarmEvaluations().IgnoreError();
    });
  }
  return server;
}

PortfolioServer::~PortfolioServer() {
  if (server_ != nullptr) Shutdown(absl::ZeroDuration());
  JoinWarm();
}

void PortfolioServer::JoinWarm() {
  absl::MutexLock lock(&warm_mu_);
  if (warm_.joinable()) warm_.join();
}

void PortfolioServer::Shutdown(absl::Duration grace) {
  changes_.Stop();  // change feeds end now rather than at the deadline
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  JoinWarm();
}

void PortfolioServer::Wait() { server_->Wait(); }

}  // namespace portfolio
