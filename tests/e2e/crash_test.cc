// Crash safety: the real server is killed with SIGKILL while concurrent
// writers log investments through the real API, then restarted on the same
// data directory. Every write it acknowledged must be in the ledger exactly
// once, every write it did not acknowledge at most once (and exactly once
// after a retry under the same request id), and the database file must pass
// PRAGMA integrity_check.
//
// The kill point is a count of acknowledged writes, not a time, so the test
// never sleeps. PORTFOLIO_CRASH_ROUNDS sets the number of rounds (20) and
// PORTFOLIO_CRASH_SEED repeats a run's kill targets and amounts.
//
// What this can and cannot show: SIGKILL loses the process, not the kernel's
// page cache, so it proves the server answers OK only after its transaction
// committed and that recovery keeps exactly what was committed. It says
// nothing about power loss, which depends on the fsyncs of synchronous=FULL.
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "portfolio/v1/service.grpc.pb.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

using ::portfolio::testing::RunResult;
using ::portfolio::testing::ServerProcess;
using ::portfolio::testing::TempDir;

constexpr char kProjectId[] = "crash-ledger";
constexpr char kParent[] = "projects/crash-ledger";
constexpr int kWriters = 4;
// Each writer stops at its first error or after this many writes, so
// kWriters * kMaxWritesPerWriter must exceed kMaxAcksBeforeKill.
constexpr int kMaxWritesPerWriter = 200;
// The kill comes after a random number of acknowledged writes in
// [1, kMaxAcksBeforeKill].
constexpr int kMaxAcksBeforeKill = 200;
constexpr std::chrono::seconds kCallTimeout(5);
// How long the main thread waits for the writers to reach the kill point
// before it gives up; only a hung server gets near it.
constexpr std::chrono::seconds kKillPointTimeout(30);
constexpr int kPageSize = 1000;  // the API's maximum
constexpr int kMaxPages = 1000;

// The value of the environment variable `name` when it is a positive whole
// number, else `fallback`.
uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  uint64_t value = 0;
  if (text == nullptr || !absl::SimpleAtoi(text, &value) || value == 0) {
    return fallback;
  }
  return value;
}

// Deadline and credentials for every call: the admin token the server writes
// to DATA_DIR/admin.token on its first start, or nothing for a server that
// writes no such file (one without authentication). Thread-safe.
class Caller final {
 public:
  explicit Caller(std::string token) : token_(std::move(token)) {}

  void Prepare(grpc::ClientContext* ctx) const {
    ctx->set_deadline(std::chrono::system_clock::now() + kCallTimeout);
    if (!token_.empty()) ctx->AddMetadata("authorization", "Bearer " + token_);
  }
  bool has_token() const { return !token_.empty(); }

 private:
  const std::string token_;
};

// The first line of `path`, trimmed; empty when there is no such file.
std::string ReadToken(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!in.is_open()) return line;
  std::getline(in, line);
  EXPECT_FALSE(absl::StripAsciiWhitespace(line).empty())
      << path << " exists but holds no token";
  return std::string(absl::StripAsciiWhitespace(line));
}

std::string StatusText(const grpc::Status& s) {
  return absl::StrCat("code ", static_cast<int>(s.error_code()), ": ",
                      s.error_message());
}

// One LogInvestment call a writer made, and what came of it.
struct Attempt {
  v1::LogInvestmentRequest request;
  grpc::Status status;
  std::string entry;         // the entry name returned, when OK
  bool before_kill = false;  // the answer came before the kill was sent
};

// Where the main thread kills the server: after `target` acknowledged writes
// or when every writer has stopped, whichever comes first. Thread-safe.
class KillPoint final {
 public:
  explicit KillPoint(int target) : target_(target) {}

  void Acked() {
    if (acks_.fetch_add(1) + 1 == target_) {
      std::lock_guard<std::mutex> lock(mu_);
      cv_.notify_all();
    }
  }
  void WriterStopped() {
    std::lock_guard<std::mutex> lock(mu_);
    ++writers_stopped_;
    cv_.notify_all();
  }
  // Waits for the kill point; false when kKillPointTimeout passed first.
  bool Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, kKillPointTimeout, [this] {
      return acks_.load() >= target_ || writers_stopped_ == kWriters;
    });
  }
  void MarkKilled() { killed_.store(true); }
  bool killed() const { return killed_.load(); }
  int acks() const { return acks_.load(); }
  int target() const { return target_; }

 private:
  const int target_;
  std::atomic<int> acks_{0};
  std::atomic<bool> killed_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  int writers_stopped_ = 0;  // guarded by mu_
};

v1::LogInvestmentRequest MakeRequest(int round, int writer, int i,
                                     std::mt19937_64& rng) {
  v1::LogInvestmentRequest req;
  req.set_parent(kParent);
  req.mutable_period()->set_year(2024);
  req.mutable_period()->set_month(1 + i % 12);
  req.set_amount(1 + static_cast<int64_t>(rng() % 10'000'000));
  req.set_note(absl::StrCat("crash round ", round));
  req.set_request_id(absl::StrCat("crash-", round, "-", writer, "-", i));
  return req;
}

// Logs investments on its own channel until the first error or
// kMaxWritesPerWriter writes, recording every attempt in `out`.
void RunWriter(const std::string& address, const Caller& caller, int round,
               int writer, uint64_t seed, KillPoint* kill_point,
               std::vector<Attempt>* out) {
  std::mt19937_64 rng(seed);
  auto stub = v1::InvestmentService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  for (int i = 0; i < kMaxWritesPerWriter; ++i) {
    Attempt a;
    a.request = MakeRequest(round, writer, i, rng);
    grpc::ClientContext ctx;
    caller.Prepare(&ctx);
    v1::InvestmentEntry entry;
    a.status = stub->LogInvestment(&ctx, a.request, &entry);
    a.before_kill = !kill_point->killed();
    a.entry = entry.name();
    const bool ok = a.status.ok();
    out->push_back(std::move(a));
    if (!ok) break;
    kill_point->Acked();
  }
  kill_point->WriterStopped();
}

// Every entry of the crash project, read over all pages.
struct Ledger {
  std::vector<v1::InvestmentEntry> entries;
  int64_t total_amount = 0;                     // as the server reports it
  std::map<std::string, size_t> by_request_id;  // index into entries
};

// What the ledger must hold for one request id: a write acknowledged in this
// or an earlier round, or an unacknowledged one settled by a retry.
struct Known {
  std::string entry;
  int64_t amount = 0;
};

// Runs PRAGMA integrity_check on the database at `path`, opened read-only,
// and returns its rows joined by newlines: "ok" for a sound file.
std::string IntegrityCheck(const std::string& path) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> db(raw, &sqlite3_close);
  if (rc != SQLITE_OK) {
    return absl::StrCat("cannot open ", path, ": ", sqlite3_errstr(rc));
  }
  sqlite3_stmt* raw_stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(), "PRAGMA integrity_check", -1, &raw_stmt,
                         nullptr) != SQLITE_OK) {
    return absl::StrCat("cannot prepare: ", sqlite3_errmsg(db.get()));
  }
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> stmt(
      raw_stmt, &sqlite3_finalize);
  std::string rows;
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt.get(), 0);
    absl::StrAppend(&rows, rows.empty() ? "" : "\n",
                    text ? reinterpret_cast<const char*>(text) : "(null)");
  }
  if (step != SQLITE_DONE) {
    absl::StrAppend(&rows, "\nstep failed: ", sqlite3_errmsg(db.get()));
  }
  return rows;
}

class CrashTest : public ::testing::Test {
 protected:
  std::string DataDir() const { return dir_.File("data"); }

  void StartServer() {
    auto server = ServerProcess::Start(
        PORTFOLIO_SERVER_BIN,
        {"--data-dir", DataDir(), "--listen", "127.0.0.1:0", "--no-seed"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    stub_ = v1::InvestmentService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }

  // Starts the server on the new data directory, picks up its admin token
  // if it wrote one, and creates the project the writers log against.
  void FirstStart() {
    ASSERT_NO_FATAL_FAILURE(StartServer());
    caller_ = std::make_unique<Caller>(ReadToken(DataDir() + "/admin.token"));
    std::printf("crash: %s\n", caller_->has_token()
                                   ? "admin.token found; sending it"
                                   : "no admin.token; sending no credentials");
    auto projects = v1::ProjectService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
    v1::CreateProjectRequest req;
    req.set_project_id(kProjectId);
    req.mutable_project()->set_display_name("崩溃测试项目");
    req.set_request_id("crash-create-project");
    grpc::ClientContext ctx;
    caller_->Prepare(&ctx);
    v1::Project project;
    const grpc::Status s = projects->CreateProject(&ctx, req, &project);
    ASSERT_TRUE(s.ok()) << StatusText(s) << "\nserver stderr:\n"
                        << server_->Stop(SIGTERM).err;
  }

  // Runs the writers until the kill point, kills the server with SIGKILL,
  // and returns every attempt once all writers have stopped.
  std::vector<Attempt> WriteAndKill(int round, std::mt19937_64& rng,
                                    int* killed_at, int* target) {
    std::uniform_int_distribution<int> pick(1, kMaxAcksBeforeKill);
    KillPoint kill_point(pick(rng));
    std::vector<std::vector<Attempt>> attempts(kWriters);
    std::vector<std::thread> writers;
    const std::string address = server_->address();
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back(RunWriter, address, std::cref(*caller_), round, w,
                           rng(), &kill_point, &attempts[w]);
    }
    EXPECT_TRUE(kill_point.Wait())
        << "writers reached neither the kill point nor their end in "
        << kKillPointTimeout.count() << " s";
    *killed_at = kill_point.acks();
    *target = kill_point.target();
    kill_point.MarkKilled();
    const RunResult killed = server_->Stop(SIGKILL);
    EXPECT_EQ(killed.exit_code, 128 + SIGKILL)
        << "the server was not running when killed:\n"
        << killed.err;
    for (std::thread& t : writers) t.join();
    std::vector<Attempt> all;
    for (auto& list : attempts) {
      for (Attempt& a : list) all.push_back(std::move(a));
    }
    return all;
  }

  grpc::Status ReadLedger(Ledger* ledger) {
    std::string token;
    for (int page = 0; page < kMaxPages; ++page) {
      v1::ListInvestmentEntriesRequest req;
      req.set_parent(kParent);
      req.set_page_size(kPageSize);
      req.set_page_token(token);
      grpc::ClientContext ctx;
      caller_->Prepare(&ctx);
      v1::ListInvestmentEntriesResponse resp;
      grpc::Status s = stub_->ListInvestmentEntries(&ctx, req, &resp);
      if (!s.ok()) return s;
      if (page == 0) ledger->total_amount = resp.total_amount();
      for (auto& e : *resp.mutable_investment_entries()) {
        ledger->entries.push_back(std::move(e));
      }
      token = resp.next_page_token();
      if (token.empty()) break;
    }
    if (!token.empty()) {
      return grpc::Status(grpc::StatusCode::OUT_OF_RANGE,
                          "ledger has more than kMaxPages pages");
    }
    for (size_t i = 0; i < ledger->entries.size(); ++i) {
      ledger->by_request_id.emplace(ledger->entries[i].request_id(), i);
    }
    return grpc::Status::OK;
  }

  // No entry twice, under either its name or its request id, and the
  // server's total is the sum of the entries.
  static void ExpectWellFormed(const Ledger& ledger) {
    std::set<std::string> names, request_ids;
    int64_t sum = 0;
    for (const v1::InvestmentEntry& e : ledger.entries) {
      EXPECT_TRUE(names.insert(e.name()).second)
          << "entry listed twice: " << e.name();
      EXPECT_FALSE(e.request_id().empty()) << e.name() << " has no request id";
      EXPECT_TRUE(request_ids.insert(e.request_id()).second)
          << "write DOUBLED: request id " << e.request_id()
          << " is on more than one entry, one of them " << e.name();
      sum += e.amount();
    }
    EXPECT_EQ(ledger.total_amount, sum) << "total_amount is not the sum";
  }

  // Every known write is in `ledger` once, under its name and amount.
  void ExpectKnownPresent(const Ledger& ledger) const {
    for (const auto& [request_id, known] : known_) {
      auto it = ledger.by_request_id.find(request_id);
      if (it == ledger.by_request_id.end()) {
        ADD_FAILURE() << "acknowledged write LOST: " << request_id << " ("
                      << known.entry << ", " << known.amount << " yuan)";
        continue;
      }
      const v1::InvestmentEntry& e = ledger.entries[it->second];
      EXPECT_EQ(e.name(), known.entry) << request_id;
      EXPECT_EQ(e.amount(), known.amount) << request_id;
    }
  }

  // Sends `attempt`'s request again; returns the entry name it answers with.
  std::string Retry(const Attempt& attempt) {
    grpc::ClientContext ctx;
    caller_->Prepare(&ctx);
    v1::InvestmentEntry entry;
    const grpc::Status s = stub_->LogInvestment(&ctx, attempt.request, &entry);
    EXPECT_TRUE(s.ok()) << "retry of " << attempt.request.request_id() << ": "
                        << StatusText(s);
    return entry.name();
  }

  // Checks the ledger read after the restart against what was acknowledged
  // and what was attempted.
  void CheckAfterCrash(const Ledger& ledger,
                       const std::vector<Attempt>& attempts) const {
    ExpectWellFormed(ledger);
    ExpectKnownPresent(ledger);
    std::set<std::string> unacked;
    for (const Attempt& a : attempts) {
      if (!a.status.ok()) unacked.insert(a.request.request_id());
    }
    for (const v1::InvestmentEntry& e : ledger.entries) {
      EXPECT_TRUE(known_.count(e.request_id()) || unacked.count(e.request_id()))
          << "entry nobody wrote: " << e.name() << " (" << e.request_id()
          << ")";
    }
  }

  // Retries every attempt of the round under its request id. An
  // acknowledged one must answer with its entry; an unacknowledged one
  // with the entry `before` holds for it, if any, and from now on it is
  // known. Counts in `committed` the unacknowledged writes `before` holds.
  void RetryAll(const Ledger& before, const std::vector<Attempt>& attempts,
                int* committed) {
    for (const Attempt& a : attempts) {
      const std::string& id = a.request.request_id();
      const std::string entry = Retry(a);
      if (a.status.ok()) {
        EXPECT_EQ(entry, a.entry) << "retry of acknowledged " << id;
        continue;
      }
      auto listed = before.by_request_id.find(id);
      if (listed != before.by_request_id.end()) {
        ++*committed;
        EXPECT_EQ(entry, before.entries[listed->second].name())
            << "retry of unacknowledged " << id;
      }
      known_[id] = Known{entry, a.request.amount()};
    }
  }

  // What one round did, printed whether it passed or not.
  struct Figures {
    int target = 0;     // acknowledged writes wanted before the kill
    int killed_at = 0;  // acknowledged writes counted when it was sent
    int acked = 0;      // acknowledged in the end (in-flight ones too)
    int unacked = 0;
    int committed = -1;  // unacknowledged but in the ledger after restart
    long long entries = -1;
    long long total = -1;
    std::string integrity = "not checked";
  };

  // After the restart: the ledger before and after retrying every write
  // of the round.
  void Verify(const std::vector<Attempt>& attempts, Figures* figures) {
    Ledger before;
    grpc::Status s = ReadLedger(&before);
    ASSERT_TRUE(s.ok()) << "listing after restart: " << StatusText(s);
    CheckAfterCrash(before, attempts);
    figures->committed = 0;
    RetryAll(before, attempts, &figures->committed);
    Ledger after;
    s = ReadLedger(&after);
    ASSERT_TRUE(s.ok()) << "listing after retries: " << StatusText(s);
    ExpectWellFormed(after);
    ExpectKnownPresent(after);
    EXPECT_EQ(after.entries.size(), known_.size())
        << "the ledger holds other entries than the known writes";
    int64_t expected_total = 0;
    for (const auto& [id, known] : known_) expected_total += known.amount;
    EXPECT_EQ(after.total_amount, expected_total);
    figures->entries = static_cast<long long>(after.entries.size());
    figures->total = static_cast<long long>(after.total_amount);
  }

  // Stops the server with SIGTERM and checks the database file.
  void StopCleanlyAndCheckFile(Figures* figures) {
    // Close our connection first: with an idle sync-API channel open the
    // graceful stop took ~4.7 s (the channel answers the server's shutdown
    // only when gRPC's backup poller runs, every 5 s), with it closed ~10 ms.
    stub_.reset();
    const RunResult stopped = server_->Stop(SIGTERM);
    EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
    const std::string db = DataDir() + "/portfolio.db";
    struct stat st;
    ASSERT_EQ(stat(db.c_str(), &st), 0) << "no database at " << db;
    figures->integrity = IntegrityCheck(db);
    EXPECT_EQ(figures->integrity, "ok") << db;
  }

  // Counts the attempts and adds the acknowledged ones to known_.
  void Tally(const std::vector<Attempt>& attempts, Figures* figures) {
    for (const Attempt& a : attempts) {
      if (a.status.ok()) {
        ++figures->acked;
        EXPECT_FALSE(a.entry.empty()) << a.request.request_id();
        known_[a.request.request_id()] = Known{a.entry, a.request.amount()};
      } else {
        ++figures->unacked;
        EXPECT_FALSE(a.before_kill)
            << a.request.request_id()
            << " failed before the kill: " << StatusText(a.status);
      }
    }
  }

  void RunRound(int round, std::mt19937_64& rng) {
    const auto start = std::chrono::steady_clock::now();
    if (round == 0) {
      ASSERT_NO_FATAL_FAILURE(FirstStart());
    } else {
      ASSERT_NO_FATAL_FAILURE(StartServer());
    }
    Figures f;
    const std::vector<Attempt> attempts =
        WriteAndKill(round, rng, &f.killed_at, &f.target);
    Tally(attempts, &f);
    ASSERT_NO_FATAL_FAILURE(StartServer());
    Verify(attempts, &f);
    StopCleanlyAndCheckFile(&f);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    std::printf(
        "round %2d: kill at %3d acks (target %3d): acked %3d, unacked %d "
        "(%d of them committed), ledger %5lld entries, total %lld yuan, "
        "integrity %s, %.2f s%s\n",
        round, f.killed_at, f.target, f.acked, f.unacked, f.committed,
        f.entries, f.total, f.integrity.c_str(), seconds,
        HasFailure() ? "  <-- FAILED" : "");
    std::fflush(stdout);
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::InvestmentService::Stub> stub_;
  std::unique_ptr<Caller> caller_;
  std::map<std::string, Known> known_;  // by request id
};

TEST_F(CrashTest, AcknowledgedWritesSurviveSigkillExactlyOnce) {
  const int rounds = static_cast<int>(EnvNumber("PORTFOLIO_CRASH_ROUNDS", 20));
  const uint64_t seed =
      EnvNumber("PORTFOLIO_CRASH_SEED", std::random_device{}() | 1u);
  std::printf(
      "crash: %d rounds, %d writers, seed %llu "
      "(PORTFOLIO_CRASH_SEED=%llu repeats its kill targets)\n",
      rounds, kWriters, static_cast<unsigned long long>(seed),
      static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round, ", seed ", seed));
    RunRound(round, rng);
    if (HasFailure()) break;  // later rounds would only repeat the damage
  }
}

}  // namespace
}  // namespace portfolio
