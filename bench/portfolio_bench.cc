// portfolio-bench: starts the real server on fresh databases, loads it the
// way month-end does, and prints one line per scenario with its reference
// measured in the same run: a trivial call (the standard health check,
// served by the same server with the same settings) for calls, and bare
// SQLite inserts with the same durability for the disk. All data it makes
// is synthetic and labelled so.
//
// Usage: portfolio-bench --server PATH [--scales 120,10000,100000]
//                        [--seconds 5] [--work DIR] [--skip-writes]
// (--scales "" runs only the write scenarios on 120 projects, --skip-writes
// only the scales, each with its own write line; --work must be empty or
// new.)
#include <grpcpp/grpcpp.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "bench/load.h"
#include "bench/synthetic.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "portfolio/v1/service.grpc.pb.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace portfolio::bench {
namespace {

using testing::RunResult;
using testing::ServerProcess;

struct Flags {
  std::string server;
  std::vector<int> scales = {120, 10000, 100000};
  absl::Duration run = absl::Seconds(5);
  std::string work;    // default: a temporary directory
  bool writes = true;  // --skip-writes: not the 120-project write scenarios
};

absl::Status ToAbsl(const grpc::Status& s) {
  return s.ok() ? absl::OkStatus()
                : absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                               s.error_message());
}

// Says what failed, ends the running Target's server and removes the
// temporary directory, and exits 1.
[[noreturn]] void Fail(const std::string& what);

class Target;
// The running Target, for Fail; null between.
Target* g_target = nullptr;
// The temporary directory the run works in, for Fail to remove; empty
// when --work named one (that one is the user's).
std::string g_temp_work;

// A running server and its channels: callers share them round-robin, as
// dashboards and bots on a few machines would.
class Target {
 public:
  static std::unique_ptr<Target> Start(const Flags& flags,
                                       const std::string& dir,
                                       absl::Duration* start_time) {
    const absl::Time t0 = absl::Now();
    auto server = ServerProcess::Start(
        flags.server,
        {"--data-dir", dir, "--listen", "127.0.0.1:0", "--no-seed"});
    if (!server.ok()) {
      Fail(absl::StrCat("cannot start the server: ",
                        server.status().ToString()));
    }
    if (start_time != nullptr) *start_time = absl::Now() - t0;
    auto target = std::unique_ptr<Target>(new Target);
    target->server_ = std::move(*server);
    g_target = target.get();
    std::ifstream in(dir + "/admin.token");
    std::getline(in, target->token_);
    for (int i = 0; i < kChannels; ++i) {
      grpc::ChannelArguments args;
      // Its own connection per channel, not one shared subchannel.
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
      target->channels_.push_back(
          grpc::CreateCustomChannel(target->server_->address(),
                                    grpc::InsecureChannelCredentials(), args));
    }
    return target;
  }

  ~Target() { g_target = nullptr; }

  // After a failure, when exit() will run no destructors: says whether the
  // server is still running (and kills it) or how it ended, prints what it
  // wrote to stderr, and removes it with its files.
  void Abandon() {
    std::optional<RunResult> exited = server_->Exited();
    if (!exited.has_value()) {
      std::cout << "(the server was still running; killed it)" << std::endl;
      exited = server_->Stop(SIGKILL);
    } else {
      std::cout << "(the server had exited, status " << exited->exit_code
                << ": 128 + N is signal N)" << std::endl;
    }
    std::cout << "(its stderr:\n" << exited->err << ")" << std::endl;
    server_.reset();
  }

  pid_t pid() const { return server_->pid(); }

  void Prepare(grpc::ClientContext* ctx) const {
    ctx->set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(60));
    ctx->AddMetadata("authorization", "Bearer " + token_);
  }

  std::shared_ptr<grpc::Channel> channel(int caller) const {
    return channels_[caller % channels_.size()];
  }

  static constexpr int kChannels = 8;

 private:
  Target() = default;
  std::unique_ptr<ServerProcess> server_;
  std::string token_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
};

// Stubs per caller, made once so the load measures calls, not setup.
struct Stubs {
  std::vector<std::unique_ptr<grpc::health::v1::Health::Stub>> health;
  std::vector<std::unique_ptr<v1::InvestmentService::Stub>> ledger;
  std::vector<std::unique_ptr<v1::PortfolioService::Stub>> portfolio;

  Stubs(const Target& t, int callers) {
    for (int c = 0; c < callers; ++c) {
      health.push_back(grpc::health::v1::Health::NewStub(t.channel(c)));
      ledger.push_back(v1::InvestmentService::NewStub(t.channel(c)));
      portfolio.push_back(v1::PortfolioService::NewStub(t.channel(c)));
    }
  }
};

absl::Status Echo(const Target& t, Stubs& s, int caller) {
  grpc::ClientContext ctx;
  t.Prepare(&ctx);
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  return ToAbsl(s.health[caller]->Check(&ctx, request, &response));
}

// Acknowledged LogInvestment calls, to check against the ledger after.
struct Acknowledged {
  std::atomic<int64_t> count{0};
  std::atomic<int64_t> yuan{0};
};

absl::Status LogOne(const Target& t, Stubs& s, int caller, int64_t n,
                    int projects, const std::string& run, Acknowledged* ack) {
  grpc::ClientContext ctx;
  t.Prepare(&ctx);
  v1::LogInvestmentRequest request;
  request.set_parent(
      absl::StrFormat("projects/syn-%06d", (caller * 7919 + n) % projects + 1));
  request.mutable_period()->set_year(2024);
  request.mutable_period()->set_month(static_cast<int>(n % 12) + 1);
  // Different for every call of a run (caller is below 64), so a
  // lost or doubled entry changes the ledger's sum.
  const int64_t amount = 10'000 + n * 64 + caller;
  request.set_amount(amount);
  request.set_note("synthetic benchmark entry");
  request.set_request_id(absl::StrCat(run, "-", caller, "-", n));
  v1::InvestmentEntry entry;
  const absl::Status status =
      ToAbsl(s.ledger[caller]->LogInvestment(&ctx, request, &entry));
  if (status.ok()) {
    ++ack->count;
    ack->yuan += amount;
  }
  return status;
}

absl::Status SummaryOne(const Target& t, Stubs& s, int caller,
                        v1::SummaryDimension by, int month = 12) {
  grpc::ClientContext ctx;
  t.Prepare(&ctx);
  v1::GetPortfolioSummaryRequest request;
  request.set_year(2024);
  request.set_as_of_month(month);
  request.set_group_by(by);
  v1::PortfolioSummary summary;
  return ToAbsl(
      s.portfolio[caller]->GetPortfolioSummary(&ctx, request, &summary));
}

// The first page of the year's status list, worst first; `filter` as the
// API takes it ("" for every project).
absl::Status StatusPage(const Target& t, Stubs& s, int caller,
                        const std::string& filter = "",
                        int* returned = nullptr) {
  grpc::ClientContext ctx;
  t.Prepare(&ctx);
  v1::ListProjectStatusesRequest request;
  request.set_year(2024);
  request.set_as_of_month(12);
  request.set_page_size(50);
  request.set_filter(filter);
  v1::ListProjectStatusesResponse page;
  const grpc::Status status =
      s.portfolio[caller]->ListProjectStatuses(&ctx, request, &page);
  if (returned != nullptr) *returned = page.project_statuses_size();
  return ToAbsl(status);
}

// Bare SQLite with the store's durability (WAL, synchronous=FULL): rows
// per second with one row per transaction, and with 100.
void SqliteReference(const std::string& dir, absl::Duration run,
                     double* single_tps, double* batch_rows) {
  sqlite3* db = nullptr;
  sqlite3_open((dir + "/reference.db").c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE "
               "TABLE t (id INTEGER PRIMARY KEY, project TEXT, amount "
               "INTEGER)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t (project, amount) VALUES ('p', ?1)", -1,
                     &insert, nullptr);
  auto measure = [&](int rows_per_tx) {
    int64_t rows = 0;
    const absl::Time start = absl::Now();
    const absl::Time end = start + run / 2;
    while (absl::Now() < end) {
      sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
      for (int i = 0; i < rows_per_tx; ++i) {
        sqlite3_bind_int64(insert, 1, rows);
        sqlite3_step(insert);
        sqlite3_reset(insert);
        ++rows;
      }
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    return rows / absl::ToDoubleSeconds(absl::Now() - start);
  };
  *single_tps = measure(1);
  *batch_rows = measure(100);
  sqlite3_finalize(insert);
  sqlite3_close(db);
}

void PrintLoad(const std::string& name, const LoadResult& r) {
  std::cout << absl::StrFormat("%s calls=%d qps=%.0f p50_ms=%.2f p99_ms=%.2f",
                               name, r.calls, r.qps, r.p50_ms, r.p99_ms);
}

void Fail(const std::string& what) {
  std::cout << "FAILED " << what << std::endl;
  // Calls that fail together often mean the server is gone: say so, and
  // how it ended, rather than leave only the clients' view.
  if (g_target != nullptr) g_target->Abandon();
  // exit() runs no destructors: the temporary directory goes here.
  std::error_code ec;
  if (!g_temp_work.empty()) std::filesystem::remove_all(g_temp_work, ec);
  std::exit(1);
}

// Counts the ledger's entries and their sum through the API.
void LedgerTotals(const Target& t, int64_t* count, int64_t* yuan) {
  auto stub = v1::InvestmentService::NewStub(t.channel(0));
  v1::ListInvestmentEntriesRequest request;
  request.set_parent("projects/-");
  request.set_page_size(1000);
  *count = 0;
  while (true) {
    grpc::ClientContext ctx;
    t.Prepare(&ctx);
    v1::ListInvestmentEntriesResponse page;
    const grpc::Status s = stub->ListInvestmentEntries(&ctx, request, &page);
    if (!s.ok()) Fail(absl::StrCat("listing the ledger: ", s.error_message()));
    *count += page.investment_entries_size();
    *yuan = page.total_amount();
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
}

// The sum of every entry in the ledger, from one call.
int64_t LedgerYuan(const Target& t) {
  auto stub = v1::InvestmentService::NewStub(t.channel(0));
  v1::ListInvestmentEntriesRequest request;
  request.set_parent("projects/-");
  request.set_page_size(1);
  grpc::ClientContext ctx;
  t.Prepare(&ctx);
  v1::ListInvestmentEntriesResponse page;
  const grpc::Status s = stub->ListInvestmentEntries(&ctx, request, &page);
  if (!s.ok()) Fail(absl::StrCat("listing the ledger: ", s.error_message()));
  return page.total_amount();
}

// Echo, then durable LogInvestment calls on `projects` projects, from
// `callers` callers at once; prints a line for each, the second with its
// ratio to the first, and returns the echo rate; `*log_calls`, when
// given, is how many LogInvestment calls were made. `label` goes after the
// scenario's name ("projects=100000 " at a larger scale).
double WritesAgainstEcho(const Flags& flags, const Target& t, Stubs& stubs,
                         int callers, int projects, const std::string& label,
                         Acknowledged* ack, int64_t* log_calls = nullptr) {
  // What a phase cost the server, this load generator and the machine.
  // The generator shares the machine's cores with the server, so what it
  // takes per call is part of where a rate goes.
  struct Costs {
    double server = 0, client = 0, idle = 0;  // seconds
    static Costs Now(pid_t server) {
      return {ProcessCpuSeconds(server), ProcessCpuSeconds(getpid()),
              MachineIdleSeconds()};
    }
  };
  // " server_cpu=... client_us_per_call=... machine_idle=..." for a phase
  // between `a` and `b`: CPU time in cores and per call, and the share of
  // the machine's CPU time left idle (or waiting for the disk).
  auto costs = [cores = std::thread::hardware_concurrency()](
                   const Costs& a, const Costs& b, const LoadResult& r) {
    auto per_call_us = [&r](double seconds) {
      return r.calls > 0 ? seconds / r.calls * 1e6 : 0;
    };
    const std::string idle =
        a.idle < 0 || b.idle < 0 || cores == 0 || r.seconds <= 0
            ? std::string("unknown")
            : absl::StrFormat("%.2f", (b.idle - a.idle) / r.seconds / cores);
    return absl::StrFormat(
        " server_cpu=%.2f server_us_per_call=%.0f client_us_per_call=%.0f "
        "machine_idle=%s",
        r.seconds > 0 ? (b.server - a.server) / r.seconds : 0,
        per_call_us(b.server - a.server), per_call_us(b.client - a.client),
        idle);
  };
  const Costs echo0 = Costs::Now(t.pid());
  const LoadResult echo = RunLoad(
      callers, flags.run, [&](int c, int64_t) { return Echo(t, stubs, c); });
  const Costs echo1 = Costs::Now(t.pid());
  const int64_t written0 = ProcessWrittenBytes(t.pid());
  const std::string run = absl::StrCat("log", callers);
  const LoadResult log = RunLoad(callers, flags.run, [&](int c, int64_t n) {
    return LogOne(t, stubs, c, n, projects, run, ack);
  });
  const Costs log1 = Costs::Now(t.pid());
  const int64_t written1 = ProcessWrittenBytes(t.pid());
  // "unknown" rather than a figure when /proc/PID/io cannot be read.
  const std::string written_per_call =
      written0 < 0 || written1 < 0 || log.calls == 0
          ? std::string("unknown")
          : absl::StrFormat("%.1f", (written1 - written0) / 1024.0 / log.calls);
  if (log.errors > 0) {
    Fail(absl::StrCat("LogInvestment: ", log.errors,
                      " errors, first: ", log.first_error));
  }
  if (log_calls != nullptr) *log_calls = log.calls;
  PrintLoad(absl::StrCat("Echo ", label, "callers=", callers), echo);
  std::cout << costs(echo0, echo1, echo) << "\n";
  PrintLoad(absl::StrCat("LogInvestment ", label, "callers=", callers), log);
  std::cout << absl::StrFormat(" echo_qps=%.0f ratio=%.2f", echo.qps,
                               echo.qps > 0 ? log.qps / echo.qps : 0)
            << costs(echo1, log1, log)
            << absl::StrFormat(
                   " server_kib_written_per_call=%s server_rss_mb=%.0f\n",
                   written_per_call, ResidentMiB(t.pid()));
  return echo.qps;
}

// Durable writes against the echo rate, then the month-end mix.
void WriteScenarios(const Flags& flags, const std::string& dir) {
  constexpr int kProjects = 120;
  std::unique_ptr<Target> t = Target::Start(flags, dir, nullptr);
  {
    auto stub = v1::PortfolioService::NewStub(t->channel(0));
    grpc::ClientContext ctx;
    t->Prepare(&ctx);
    v1::ImportRecordsRequest request;
    request.set_kind(v1::IMPORT_KIND_PROJECTS);
    request.set_filename("synthetic-projects.csv");
    request.set_content(SyntheticProjectsCsv(kProjects));
    v1::ImportRecordsResponse response;
    const grpc::Status s = stub->ImportRecords(&ctx, request, &response);
    if (!s.ok()) Fail(absl::StrCat("importing: ", s.error_message()));
  }
  Stubs stubs(*t, 64);
  Acknowledged ack;
  double echo64 = 0;
  int64_t single_calls = 0;  // the 1-caller run's, replayed below
  for (int callers : {1, 8, 64}) {
    int64_t calls = 0;
    const double echo = WritesAgainstEcho(flags, *t, stubs, callers, kProjects,
                                          "", &ack, &calls);
    if (callers == 1) single_calls = calls;
    if (callers == 64) echo64 = echo;
  }

  // Every acknowledged entry is there exactly once, and a retry of
  // acknowledged requests adds nothing.
  int64_t count = 0, yuan = 0;
  LedgerTotals(*t, &count, &yuan);
  Acknowledged replays;
  // The same request ids (and requests) as the 1-caller run's first
  // hundred calls, or as many as it made (a short run on a loaded machine
  // may make fewer): answered again, written never.
  const int64_t replayed = std::min<int64_t>(100, single_calls);
  for (int64_t n = 0; n < replayed; ++n) {
    const absl::Status s = LogOne(*t, stubs, 0, n, kProjects, "log1", &replays);
    if (!s.ok()) Fail(absl::StrCat("retry: ", s.ToString()));
  }
  int64_t after = 0, after_yuan = 0;
  LedgerTotals(*t, &after, &after_yuan);
  const bool exact = count == ack.count && yuan == ack.yuan && after == count &&
                     after_yuan == yuan;
  std::cout << absl::StrFormat(
      "LogInvestment check acknowledged=%d stored=%d yuan_acknowledged=%d "
      "yuan_stored=%d replayed=%d stored_after_replay=%d exactly_once=%s\n",
      ack.count.load(), count, ack.yuan.load(), yuan, replayed, after,
      exact ? "yes" : "NO");
  if (!exact) Fail("acknowledged entries and the ledger disagree");

  auto is_summary = [](int, int64_t n) { return n % 10 == 9 ? 1 : 0; };
  const LoadResult burst = RunLoad(
      64, flags.run,
      [&](int c, int64_t n) {
        if (is_summary(c, n)) {
          return SummaryOne(*t, stubs, c, v1::SUMMARY_DIMENSION_PARK);
        }
        return LogOne(*t, stubs, c, n, kProjects, "burst", &ack);
      },
      is_summary, 2);
  if (burst.errors > 0) Fail(absl::StrCat("burst: ", burst.first_error));
  PrintLoad("MonthEndBurst callers=64 writes=90% summaries=10%", burst);
  std::cout << absl::StrFormat(
      " writes_p50_ms=%.2f writes_p99_ms=%.2f summaries_p50_ms=%.2f "
      "summaries_p99_ms=%.2f",
      burst.kind_p50_ms[0], burst.kind_p99_ms[0], burst.kind_p50_ms[1],
      burst.kind_p99_ms[1]);
  std::cout << absl::StrFormat(" echo_qps=%.0f ratio=%.2f\n", echo64,
                               echo64 > 0 ? burst.qps / echo64 : 0);
}

// Sequential calls for up to the run time (at least 3, at most 2,000), each
// after an untimed `before` when one is given. 2,000 rather than 200: the
// p99 of 200 calls is their second slowest, which one stall of this
// virtual machine decides (a district's summary after a change: p99 0.89
// to 1.42 ms from one run of the same build to the next with 200 calls).
LoadResult Sequential(absl::Duration run,
                      const std::function<absl::Status()>& call,
                      const std::function<absl::Status()>& before = nullptr) {
  std::vector<double> ms;
  const absl::Time start = absl::Now();
  LoadResult r;
  while (ms.size() < 3 || (ms.size() < 2000 && absl::Now() - start < run)) {
    if (before) {
      const absl::Status s = before();
      if (!s.ok()) Fail(s.ToString());
    }
    const absl::Time t0 = absl::Now();
    const absl::Status s = call();
    if (!s.ok()) Fail(s.ToString());
    ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
  }
  r.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  r.calls = static_cast<int64_t>(ms.size());
  r.qps = r.calls / r.seconds;
  r.p50_ms = Percentile(ms, 0.5);
  r.p99_ms = Percentile(ms, 0.99);
  return r;
}

void ScaleScenarios(const Flags& flags, const std::string& dir, int projects) {
  std::filesystem::create_directories(dir);
  SyntheticOptions options;
  options.projects = projects;
  const absl::Time g0 = absl::Now();
  absl::StatusOr<SyntheticCounts> counts =
      GenerateSynthetic(dir + "/portfolio.db", options);
  if (!counts.ok()) Fail(counts.status().ToString());
  std::cout << absl::StrFormat(
      "Generate projects=%d entries=%d milestones=%d problems=%d "
      "seconds=%.1f (synthetic)\n",
      projects, counts->entries, counts->milestones, counts->problems,
      absl::ToDoubleSeconds(absl::Now() - g0));

  absl::Duration start_time;
  std::unique_ptr<Target> t = Target::Start(flags, dir, &start_time);
  Stubs stubs(*t, 1);
  Acknowledged ack;
  // A change before each call, so the summary is computed afresh rather
  // than served from the server's cache. The count lives outside the
  // lambda: each scenario gets a copy of it, and a copy's own count would
  // start again at 0 and repeat the first scenario's request ids, which
  // the server answers as replays without changing anything.
  int64_t changes = 0;
  auto change = [&] {
    return LogOne(*t, stubs, 0, changes++, projects, "cold", &ack);
  };
  const int64_t yuan_before_changes = LedgerYuan(*t);
  // The year summary the server reads at start (this year's default
  // question): the first call waits for that read, so this is how long
  // after start dashboards get their first answer.
  const absl::Time first0 = absl::Now();
  const absl::Status first =
      SummaryOne(*t, stubs, 0, v1::SUMMARY_DIMENSION_UNSPECIFIED);
  if (!first.ok()) Fail(first.ToString());
  std::cout << absl::StrFormat(
      "ServerStart projects=%d start_ms=%.0f first_summary_ms=%.0f "
      "rss_mb=%.0f\n",
      projects, absl::ToDoubleMilliseconds(start_time),
      absl::ToDoubleMilliseconds(absl::Now() - first0), ResidentMiB(t->pid()));
  // The targets: 1 ms for a district (120 projects), 100 ms for a
  // province (100,000); a portfolio in between is held to the province's.
  const double summary_target = projects <= 120 ? 1 : 100;
  // A month nobody asked for yet: the server reads every project.
  // December, asked above, is not one; it is asked again last, untimed, so
  // that the calls below find it kept.
  {
    std::vector<double> ms;
    const absl::Time start = absl::Now();
    for (int month = 1; month <= 11; ++month) {
      if (ms.size() >= 2 && absl::Now() - start > flags.run) break;
      const absl::Time t0 = absl::Now();
      const absl::Status s =
          SummaryOne(*t, stubs, 0, v1::SUMMARY_DIMENSION_UNSPECIFIED, month);
      if (!s.ok()) Fail(s.ToString());
      ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    }
    const absl::Status december =
        SummaryOne(*t, stubs, 0, v1::SUMMARY_DIMENSION_UNSPECIFIED);
    if (!december.ok()) Fail(december.ToString());
    const double max_ms = *std::max_element(ms.begin(), ms.end());
    const double p50_ms = Percentile(ms, 0.5);  // sorts ms
    std::cout << absl::StrFormat(
        "GetPortfolioSummary projects=%d group_by=none month_first_asked "
        "calls=%d p50_ms=%.2f max_ms=%.2f target_ms=%.0f ratio=%.2f "
        "meets=%s\n",
        projects, static_cast<int>(ms.size()), p50_ms, max_ms, summary_target,
        p50_ms / summary_target, max_ms <= summary_target ? "yes" : "no");
  }
  for (auto [by, name, cold] :
       {std::make_tuple(v1::SUMMARY_DIMENSION_UNSPECIFIED, "none", true),
        std::make_tuple(v1::SUMMARY_DIMENSION_PARK, "park", true),
        std::make_tuple(v1::SUMMARY_DIMENSION_UNSPECIFIED, "none", false),
        std::make_tuple(v1::SUMMARY_DIMENSION_PARK, "park", false)}) {
    const LoadResult r = Sequential(
        flags.run, [&, by = by] { return SummaryOne(*t, stubs, 0, by); },
        cold ? std::function<absl::Status()>(change) : nullptr);
    PrintLoad(absl::StrCat("GetPortfolioSummary projects=", projects,
                           " group_by=", name,
                           cold ? " after_each_change" : " unchanged_cached"),
              r);
    std::cout << absl::StrFormat(" target_ms=%.0f ratio=%.2f meets=%s\n",
                                 summary_target, r.p50_ms / summary_target,
                                 r.p99_ms <= summary_target ? "yes" : "no");
  }
  // One park's list is a question of its own: asked first (narrowed from
  // the whole year's kept evaluation), then kept like the others.
  const std::string park = "park = \"合成园区1\"";
  {
    const absl::Time t0 = absl::Now();
    int returned = 0;
    const absl::Status s = StatusPage(*t, stubs, 0, park, &returned);
    if (!s.ok()) Fail(s.ToString());
    // A filter that matched nothing would measure nothing.
    if (returned == 0) Fail("the park filter matched no project");
    const double ms = absl::ToDoubleMilliseconds(absl::Now() - t0);
    std::cout << absl::StrFormat(
        "ListProjectStatuses projects=%d page_size=50 filter=park "
        "first_asked ms=%.2f target_ms=10 ratio=%.2f meets=%s\n",
        projects, ms, ms / 10, ms <= 10 ? "yes" : "no");
  }
  for (auto [filter, name, changed] :
       {std::make_tuple(std::string(), "none", true),
        std::make_tuple(park, "park", true),
        std::make_tuple(std::string(), "none", false)}) {
    const LoadResult page = Sequential(
        flags.run,
        [&, filter = filter] { return StatusPage(*t, stubs, 0, filter); },
        changed ? std::function<absl::Status()>(change) : nullptr);
    PrintLoad(absl::StrCat("ListProjectStatuses projects=", projects,
                           " page_size=50 filter=", name,
                           changed ? " after_each_change" : " unchanged"),
              page);
    std::cout << absl::StrFormat(" target_ms=10 ratio=%.2f meets=%s\n",
                                 page.p50_ms / 10,
                                 page.p99_ms <= 10 ? "yes" : "no");
  }
  // Every change above was written, none answered as a replay: otherwise
  // the "after_each_change" lines would have timed unchanged portfolios.
  if (LedgerYuan(*t) - yuan_before_changes != ack.yuan) {
    Fail("the changes between summary calls did not all reach the ledger");
  }
  std::cout << absl::StrFormat(
      "ServerMemory projects=%d rss_mb=%.0f peak_rss_mb=%.0f target_mb=200 "
      "meets=%s\n",
      projects, ResidentMiB(t->pid()), PeakResidentMiB(t->pid()),
      PeakResidentMiB(t->pid()) <= 200 ? "yes" : "no");
  // Month-end at this scale: the same 64 callers, their entries spread
  // over every project, into a ledger already holding the generated year
  // (the district's line is above, on 120 projects). Last, so no figure
  // above includes these entries. Checked as above: every acknowledged
  // entry stored once.
  if (projects > 120) {
    Stubs writers(*t, 64);
    Acknowledged written;
    const int64_t yuan0 = LedgerYuan(*t);
    WritesAgainstEcho(flags, *t, writers, 64, projects,
                      absl::StrCat("projects=", projects, " "), &written);
    const int64_t yuan1 = LedgerYuan(*t);
    // By the sum alone (counting a million entries page by page would take
    // longer than the run): every call's amount differs from every other
    // call's, so a lost or doubled entry shows (only several that happened
    // to cancel out would not).
    const bool exact = yuan1 - yuan0 == written.yuan;
    std::cout << absl::StrFormat(
        "LogInvestment check projects=%d acknowledged=%d yuan_acknowledged=%d "
        "yuan_stored=%d exactly_once=%s\n",
        projects, written.count.load(), written.yuan.load(), yuan1 - yuan0,
        exact ? "yes" : "NO");
    if (!exact) Fail("acknowledged entries and the ledger disagree");
  }
}

Flags ParseFlags(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--server" && has_value) {
      f.server = argv[++i];
    } else if (arg == "--seconds" && has_value) {
      double s = 0;
      if (!absl::SimpleAtod(argv[++i], &s) || s <= 0) {
        std::cerr << "--seconds: a positive number\n";
        std::exit(2);
      }
      f.run = absl::Seconds(s);
    } else if (arg == "--scales" && has_value) {
      f.scales.clear();
      // "" runs only the write scenarios.
      for (absl::string_view part :
           absl::StrSplit(argv[++i], ',', absl::SkipEmpty())) {
        int n = 0;
        if (!absl::SimpleAtoi(part, &n) || n <= 0) {
          std::cerr << "--scales: positive numbers, comma-separated\n";
          std::exit(2);
        }
        f.scales.push_back(n);
      }
    } else if (arg == "--work" && has_value) {
      f.work = argv[++i];
    } else if (arg == "--skip-writes") {
      f.writes = false;
    } else {
      std::cerr << "usage: portfolio-bench --server PATH [--scales "
                   "120,10000,100000] [--seconds 5] [--work EMPTY_DIR] "
                   "[--skip-writes]\n";
      std::exit(2);
    }
  }
  if (f.server.empty()) {
    std::cerr << "--server PATH (the portfolio-server binary) is required\n";
    std::exit(2);
  }
  return f;
}

}  // namespace
}  // namespace portfolio::bench

int main(int argc, char** argv) {
  using namespace portfolio::bench;
  const Flags flags = ParseFlags(argc, argv);
  portfolio::testing::TempDir temp;
  const std::string work = flags.work.empty() ? temp.path() : flags.work;
  // Every run starts on fresh databases: in a directory a run has used,
  // the writes would replay that run's request ids (answered, not
  // written) and the figures would be false.
  if (!flags.work.empty()) {
    std::error_code ec;
    const bool used = std::filesystem::exists(work, ec) &&
                      !std::filesystem::is_empty(work, ec);
    if (ec) {
      std::cerr << "portfolio-bench: cannot look into --work " << work << ": "
                << ec.message() << "\n";
      return 2;
    }
    if (used) {
      std::cerr << "portfolio-bench: --work " << work
                << " is not empty; give an empty or new directory (a run "
                   "needs fresh databases)\n";
      return 2;
    }
  }
  if (flags.work.empty()) g_temp_work = temp.path();
  std::cout << MachineLine() << "\n";
  std::cout << "data: synthetic (generated by portfolio-bench; not the "
               "report's)\n";
  std::filesystem::create_directories(work);
  double single = 0, batch = 0;
  SqliteReference(work, flags.run, &single, &batch);
  std::cout << absl::StrFormat(
      "SQLiteReference synchronous=FULL wal single_row_tx_per_s=%.0f "
      "rows_per_s_in_100_row_tx=%.0f\n",
      single, batch);
  if (flags.writes) WriteScenarios(flags, work + "/writes");
  for (int scale : flags.scales) {
    ScaleScenarios(flags, absl::StrCat(work, "/scale-", scale), scale);
  }
  return 0;
}
