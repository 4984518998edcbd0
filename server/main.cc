// portfolio-server: flags into ServerOptions, signals into a graceful stop.
#include <signal.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "server/server.h"

namespace {

constexpr char kUsage[] =
    R"(portfolio-server: the key-project portfolio tracker's gRPC server.

Usage: portfolio-server [flags]

Flags:
  --data-dir DIR     where portfolio.db lives; created if missing
                     (default: $XDG_DATA_HOME/portfolio, else
                     ~/.local/share/portfolio)
  --listen ADDR      address to serve on (default 127.0.0.1:50051; port 0
                     picks a free port, printed on start)
  --no-seed          do not load the 2024 report's dataset into a new database
  --tls-cert FILE    PEM certificate chain: serve TLS (with --tls-key)
  --tls-key FILE     PEM private key of that certificate
  --tls-client-ca FILE  PEM CAs: require client certificates they signed
  --insecure-remote  allow plaintext on an address that is not loopback
                     (only on a network you trust; the server warns)
  --amber-behind N   amber when completion trails 序时进度 by > N points (5)
  --red-behind N     red when it trails by > N points (15)
  --red-overdue N    red when a milestone is overdue by > N days (30)
  -h, --help         this help

A new database is seeded from the Chiping District 2024 government work
report's dataset. On its first start the server creates the user `admin`
and writes its token to DATA_DIR/admin.token (mode 0600); every call needs
a token (`portfolio login`). Without TLS the server listens on loopback
only. SIGINT or SIGTERM stops the server gracefully: in-flight calls finish
(up to 10 s) and the database is closed cleanly.
)";

std::string DefaultDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/portfolio";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.local/share/portfolio";
  }
  return "portfolio-data";
}

int Usage(const std::string& why) {
  std::fprintf(stderr, "portfolio-server: %s\nRun portfolio-server --help.\n",
               why.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Abseil's deadlock detector records every Mutex acquisition in a global
  // graph: a debugging aid whose cost shows in profiles of the write path.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
#ifdef __GLIBC__
  // glibc gives each busy thread its own heap arena (up to 8 per core);
  // memory freed in one is not reused by another, and a province's
  // evaluation is read on whichever thread asks. One arena per core keeps
  // resident memory near what is in use (measured at 100,000 projects:
  // peak 184 MB instead of 214) at no cost the write benchmark could see.
  mallopt(M_ARENA_MAX,
          static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
#endif
  portfolio::ServerOptions options;
  options.data_dir = DefaultDataDir();
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    std::string value;
    const size_t eq = flag.find('=');
    const bool has_inline = flag.rfind("--", 0) == 0 && eq != std::string::npos;
    if (has_inline) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    auto next = [&]() -> bool {
      if (has_inline) return true;
      if (i + 1 >= argc) return false;
      value = argv[++i];
      return true;
    };
    auto number = [&](int* out) -> bool {
      return next() && absl::SimpleAtoi(value, out) && *out >= 0;
    };
    if (flag == "-h" || flag == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (flag == "--data-dir") {
      if (!next() || value.empty())
        return Usage("--data-dir needs a directory");
      options.data_dir = value;
    } else if (flag == "--listen") {
      if (!next() || value.empty()) return Usage("--listen needs HOST:PORT");
      options.listen = value;
    } else if (flag == "--no-seed") {
      options.seed = false;
    } else if (flag == "--tls-cert") {
      if (!next() || value.empty()) return Usage("--tls-cert needs a file");
      options.tls_cert_path = value;
    } else if (flag == "--tls-key") {
      if (!next() || value.empty()) return Usage("--tls-key needs a file");
      options.tls_key_path = value;
    } else if (flag == "--tls-client-ca") {
      if (!next() || value.empty())
        return Usage("--tls-client-ca needs a file");
      options.tls_client_ca_path = value;
    } else if (flag == "--insecure-remote") {
      options.allow_insecure_remote = true;
    } else if (flag == "--amber-behind") {
      if (!number(&options.thresholds.amber_behind_points)) {
        return Usage("--amber-behind needs a whole number");
      }
    } else if (flag == "--red-behind") {
      if (!number(&options.thresholds.red_behind_points)) {
        return Usage("--red-behind needs a whole number");
      }
    } else if (flag == "--red-overdue") {
      if (!number(&options.thresholds.red_overdue_days)) {
        return Usage("--red-overdue needs a whole number");
      }
    } else {
      return Usage(absl::StrCat("unknown flag ", flag));
    }
  }

  if (options.thresholds.amber_behind_points >
      options.thresholds.red_behind_points) {
    return Usage("--amber-behind must not exceed --red-behind");
  }

  // Block the stop signals in every thread; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  portfolio::SystemClock clock;
  auto server = portfolio::PortfolioServer::Start(options, &clock);
  if (!server.ok()) {
    std::fprintf(stderr, "portfolio-server: %s\n",
                 std::string(server.status().message()).c_str());
    // A setting that cannot work is the caller's to fix, like a bad flag.
    const bool usage = absl::IsInvalidArgument(server.status()) ||
                       absl::IsFailedPrecondition(server.status());
    return usage ? 2 : 1;
  }
  if (!portfolio::IsLoopbackAddress(options.listen) &&
      options.tls_cert_path.empty()) {
    std::fprintf(stderr,
                 "portfolio-server: WARNING: serving plaintext on %s: tokens "
                 "and data cross the network unencrypted\n",
                 options.listen.c_str());
  }
  const std::string host = options.listen.substr(0, options.listen.rfind(':'));
  if (!(*server)->admin_token_path().empty()) {
    std::fprintf(stderr,
                 "portfolio-server: first start: the admin token is in %s "
                 "(readable only by you); use it with `portfolio login`\n",
                 (*server)->admin_token_path().c_str());
  }
  std::printf("portfolio-server listening on %s:%d (database %s)\n",
              host.c_str(), (*server)->port(),
              (*server)->database_path().c_str());
  std::fflush(stdout);

  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    std::fprintf(stderr, "portfolio-server: %s received, shutting down\n",
                 sig == SIGINT ? "SIGINT" : "SIGTERM");
    (*server)->Shutdown(absl::Seconds(10));
  });
  (*server)->Wait();
  stopper.join();
  server->reset();  // closes the database
  std::fprintf(stderr, "portfolio-server: stopped\n");
  return 0;
}
