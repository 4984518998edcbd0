// LogInvestment on the callback API: calls handed to the store's writer
// thread each get their own answer, refusals are audited as before, and a
// server shut down under load answers every call it took, storing exactly
// the ones it acknowledged.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "tests/server/integration_fixture.h"

namespace portfolio::testing {
namespace {

using grpc::StatusCode;

class WritePathTest : public IntegrationTest {
 protected:
  void SetUp() override {
    IntegrationTest::SetUp();
    CreateProject("alpha");
    CreateProject("beta");
  }

  static v1::LogInvestmentRequest Request(const std::string& project,
                                          int64_t amount,
                                          const std::string& request_id) {
    v1::LogInvestmentRequest request;
    request.set_parent("projects/" + project);
    request.mutable_period()->set_year(2024);
    request.mutable_period()->set_month(3);
    request.set_amount(amount);
    request.set_request_id(request_id);
    return request;
  }

  // Audit events whose outcome is `outcome`, of LogInvestment.
  size_t Refusals(const std::string& outcome) {
    v1::ListAuditEventsRequest request;
    request.set_page_size(1000);
    v1::ListAuditEventsResponse response;
    EXPECT_TRUE(
        IsOk(admin().ListAuditEvents(Context().get(), request, &response)));
    size_t n = 0;
    for (const v1::AuditEvent& e : response.audit_events()) {
      if (e.outcome() == outcome &&
          e.method() == "/portfolio.v1.InvestmentService/LogInvestment") {
        ++n;
      }
    }
    return n;
  }
};

TEST_F(WritePathTest, ConcurrentCallsEachGetTheirOwnOutcome) {
  constexpr int kThreads = 16;
  constexpr int kEach = 12;
  std::atomic<int64_t> acknowledged_yuan{0};
  std::atomic<int> acknowledged{0};
  std::atomic<int> not_found{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = v1::InvestmentService::NewStub(channel());
      for (int i = 0; i < kEach; ++i) {
        // Every third call names a project that does not exist: refused
        // alone, in the same batches as its neighbours.
        const bool good = (t + i) % 3 != 0;
        const int64_t amount = 1000 + t * 100 + i;
        v1::InvestmentEntry entry;
        const grpc::Status s = stub->LogInvestment(
            Context().get(),
            Request(good ? (t % 2 ? "alpha" : "beta") : "nope", amount,
                    absl::StrCat("c-", t, "-", i)),
            &entry);
        if (good && s.ok() && entry.amount() == amount) {
          ++acknowledged;
          acknowledged_yuan += amount;
        } else if (!good && s.error_code() == StatusCode::NOT_FOUND) {
          ++not_found;
        } else {
          ++wrong;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(acknowledged + not_found, kThreads * kEach);
  const Ledger ledger = ListLedger();
  EXPECT_EQ(static_cast<int>(ledger.entries.size()), acknowledged.load());
  EXPECT_EQ(ledger.total_amount, acknowledged_yuan.load());
  // Each refusal by a known user is in the audit trail.
  EXPECT_EQ(Refusals("NOT_FOUND"), static_cast<size_t>(not_found.load()));
}

// A summary read while leads write says an instant it reflects exactly:
// asked again as known at that instant, once the writes are over, it
// gives the same figures, whichever writes were still committing when it
// was read. (Stamps taken as calls arrived put writes still in flight
// before the instant a read reported: most repeats differed.)
TEST_F(WritePathTest, ASummaryReadDuringWritesIsReproducedByItsInstant) {
  constexpr int kWriters = 4;
  constexpr int kEach = 40;
  std::atomic<int> writers_left{kWriters};
  std::vector<std::thread> threads;
  for (int t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      auto stub = v1::InvestmentService::NewStub(channel());
      for (int i = 0; i < kEach; ++i) {
        v1::InvestmentEntry entry;
        EXPECT_TRUE(IsOk(stub->LogInvestment(
            Context().get(),
            Request(t % 2 ? "alpha" : "beta", 1000 + t * 100 + i,
                    absl::StrCat("w-", t, "-", i)),
            &entry)));
      }
      --writers_left;
    });
  }
  struct Seen {
    google::protobuf::Timestamp at;
    int64_t completed = 0;
  };
  std::vector<Seen> seen;
  {
    auto stub = v1::PortfolioService::NewStub(channel());
    // Reads until the writers are done, at least once during them.
    do {
      v1::GetPortfolioSummaryRequest request;
      request.set_year(2024);
      request.set_as_of_month(6);
      v1::PortfolioSummary summary;
      // EXPECT and stop, not ASSERT: the writer threads must be joined.
      const grpc::Status read =
          stub->GetPortfolioSummary(Context().get(), request, &summary);
      EXPECT_TRUE(IsOk(read));
      if (!read.ok()) break;
      seen.push_back(
          {summary.as_known_at(), summary.totals().completed_to_date()});
    } while (writers_left.load() > 0);
  }
  for (std::thread& t : threads) t.join();

  const int64_t total = ListLedger().total_amount;
  int during = 0;
  for (const Seen& s : seen) {
    v1::GetPortfolioSummaryRequest request;
    request.set_year(2024);
    request.set_as_of_month(6);
    *request.mutable_as_known_at() = s.at;
    v1::PortfolioSummary again;
    ASSERT_TRUE(IsOk(
        portfolios().GetPortfolioSummary(Context().get(), request, &again)));
    EXPECT_EQ(again.totals().completed_to_date(), s.completed)
        << "as known at " << s.at.ShortDebugString();
    EXPECT_EQ(again.as_known_at().SerializeAsString(),
              s.at.SerializeAsString());
    if (s.completed > 0 && s.completed < total) ++during;
  }
  // How many reads fell among the writes, for whoever reads the log: the
  // check above is what matters, and it holds for any interleaving.
  RecordProperty("reads_during_writes", during);
}

TEST_F(WritePathTest, ARefusedRequestIsAuditedAndWritesNothing) {
  v1::InvestmentEntry entry;
  EXPECT_TRUE(
      IsFieldError(investments().LogInvestment(
                       Context().get(), Request("alpha", 0, "zero"), &entry),
                   StatusCode::INVALID_ARGUMENT, "amount"));
  EXPECT_EQ(Refusals("INVALID_ARGUMENT"), 1u);
  EXPECT_TRUE(ListLedger().entries.empty());
}

TEST_F(WritePathTest, AReplayIsAnsweredWithTheFirstEntryAndAMismatchRefused) {
  v1::InvestmentEntry first, again, other;
  ASSERT_TRUE(IsOk(investments().LogInvestment(
      Context().get(), Request("alpha", 5000, "same"), &first)));
  ASSERT_TRUE(IsOk(investments().LogInvestment(
      Context().get(), Request("alpha", 5000, "same"), &again)));
  EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  EXPECT_EQ(investments()
                .LogInvestment(Context().get(), Request("alpha", 6000, "same"),
                               &other)
                .error_code(),
            StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(ListLedger().entries.size(), 1u);
}

// refuse_duplicate: the same report sent at once from many callers, each
// with its own request id, is written once; the check and the write share
// a transaction, so no two callers both see the month without it.
TEST_F(WritePathTest, AReportRefusingDuplicatesIsWrittenOnceUnderRaces) {
  constexpr int kThreads = 8;
  std::atomic<int> written{0}, refused{0}, wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = v1::InvestmentService::NewStub(channel());
      v1::LogInvestmentRequest request =
          Request("alpha", 30000000, absl::StrCat("dup-", t));
      request.set_refuse_duplicate(true);
      v1::InvestmentEntry entry;
      const grpc::Status s =
          stub->LogInvestment(Context().get(), request, &entry);
      if (s.ok()) {
        ++written;
      } else if (s.error_code() == StatusCode::ALREADY_EXISTS &&
                 s.error_message().find("amount") == 0 &&
                 s.error_message().find("2024-03 already has an entry") !=
                     std::string::npos) {
        ++refused;
      } else {
        ++wrong;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(written.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(ListLedger().total_amount, 30000000);
}

// What counts as the same report: an entry standing at the amount. A retry
// of the first call is still answered with its entry; once that entry is
// corrected to another amount, the amount may be logged; without the flag
// a second entry of an amount is written as before.
TEST_F(WritePathTest, ADuplicateIsAnEntryStillStandingAtTheAmount) {
  v1::LogInvestmentRequest request = Request("alpha", 5000, "first");
  request.set_refuse_duplicate(true);
  v1::InvestmentEntry first, retry, entry;
  ASSERT_TRUE(
      IsOk(investments().LogInvestment(Context().get(), request, &first)));
  ASSERT_TRUE(
      IsOk(investments().LogInvestment(Context().get(), request, &retry)));
  EXPECT_EQ(retry.name(), first.name());
  // Another project, or another month, is no duplicate.
  v1::LogInvestmentRequest beta = Request("beta", 5000, "beta");
  beta.set_refuse_duplicate(true);
  EXPECT_TRUE(IsOk(investments().LogInvestment(Context().get(), beta, &entry)));
  v1::LogInvestmentRequest april = Request("alpha", 5000, "april");
  april.mutable_period()->set_month(4);
  april.set_refuse_duplicate(true);
  EXPECT_TRUE(
      IsOk(investments().LogInvestment(Context().get(), april, &entry)));

  request.set_request_id("second");
  EXPECT_EQ(investments()
                .LogInvestment(Context().get(), request, &entry)
                .error_code(),
            StatusCode::ALREADY_EXISTS);
  v1::CorrectInvestmentRequest correct;
  correct.set_name(first.name());
  correct.set_corrected_amount(4000);
  correct.set_reason("typo");
  ASSERT_TRUE(
      IsOk(investments().CorrectInvestment(Context().get(), correct, &entry)));
  EXPECT_TRUE(
      IsOk(investments().LogInvestment(Context().get(), request, &entry)));
  request.set_request_id("third");
  request.set_refuse_duplicate(false);
  EXPECT_TRUE(
      IsOk(investments().LogInvestment(Context().get(), request, &entry)));
  // 4000 + 5000 + 5000 on alpha in March, 5000 in April, 5000 on beta.
  EXPECT_EQ(ListLedger().total_amount, 24000);
}

TEST_F(WritePathTest,
       ShutdownUnderLoadAnswersEveryCallAndStoresExactlyTheAcked) {
  constexpr int kThreads = 8;
  std::shared_ptr<grpc::Channel> ch = channel();
  absl::Mutex mu;
  int acknowledged ABSL_GUARDED_BY(mu) = 0;
  int64_t acknowledged_yuan ABSL_GUARDED_BY(mu) = 0;
  int running ABSL_GUARDED_BY(mu) = kThreads;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = v1::InvestmentService::NewStub(ch);
      // Until the server stops answering.
      for (int i = 0;; ++i) {
        const int64_t amount = 1 + t * 1000 + i;
        v1::InvestmentEntry entry;
        const grpc::Status s = stub->LogInvestment(
            Context().get(),
            Request("alpha", amount, absl::StrCat("s-", t, "-", i)), &entry);
        if (!s.ok()) break;
        absl::MutexLock lock(&mu);
        ++acknowledged;
        acknowledged_yuan += amount;
      }
      absl::MutexLock lock(&mu);
      --running;
    });
  }
  {
    // Stop once the callers are well under way (or, if something is wrong,
    // all have given up: the checks below then say what).
    absl::MutexLock lock(&mu);
    auto under_way = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      return acknowledged >= 4 * kThreads || running == 0;
    };
    mu.Await(absl::Condition(&under_way));
    EXPECT_GT(running, 0) << "every caller failed before the shutdown";
  }
  StopServer();  // while the callers are still calling
  for (std::thread& t : threads) t.join();

  StartServer(/*seed=*/false);
  const Ledger ledger = ListLedger();
  absl::MutexLock lock(&mu);
  EXPECT_GE(acknowledged, 4 * kThreads);
  EXPECT_EQ(static_cast<int>(ledger.entries.size()), acknowledged);
  EXPECT_EQ(ledger.total_amount, acknowledged_yuan);
}

}  // namespace
}  // namespace portfolio::testing
