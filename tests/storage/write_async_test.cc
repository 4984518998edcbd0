// Store::WriteAsync: writes handed to the writer thread without blocking
// share batches with blocking writes, each hears its own outcome exactly
// once, a failing one loses nothing of its neighbours, one still queued past
// the busy timeout is answered UNAVAILABLE without running, and destroying
// the store finishes everything queued.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

constexpr absl::Time kNow = absl::FromUnixSeconds(1720000000);

std::unique_ptr<Store> OpenStore(const std::string& path,
                                 int busy_timeout_ms = 5000) {
  SqliteStoreOptions options;
  options.path = path;
  options.busy_timeout_ms = busy_timeout_ms;
  absl::StatusOr<std::unique_ptr<Store>> opened = OpenSqliteStore(options);
  EXPECT_TRUE(opened.ok()) << opened.status();
  return opened.ok() ? std::move(*opened) : nullptr;
}

// Occupies the writer thread with a write that waits for `release`, and
// returns once it is running: writes queued meanwhile form the next batch.
void HoldWriter(Store& store, absl::Notification& release) {
  // Shared: the writer may still be inside Notify when this returns.
  auto held = std::make_shared<absl::Notification>();
  store.WriteAsync(
      [held, &release](StoreWriter&) {
        held->Notify();
        release.WaitForNotification();
        return absl::OkStatus();
      },
      [](absl::Status) {});
  held->WaitForNotification();
}

absl::Status AddProject(Store& store) {
  return store.Write([](StoreWriter& w) {
    ProjectRecord p;
    p.id = "p";
    p.display_name = "P";
    return w.InsertProject(p, kNow);
  });
}

EntryRecord Entry(int64_t amount) {
  EntryRecord e;
  e.project_id = "p";
  e.period = absl::CivilMonth(2024, 1);
  e.amount = amount;
  e.reported_by = "test";
  e.report_time = kNow;
  return e;
}

// The number of ledger entries and their sum.
std::pair<int64_t, int64_t> Ledger(Store& store) {
  std::pair<int64_t, int64_t> out;
  EXPECT_TRUE(store
                  .Read([&](StoreReader& r) -> absl::Status {
                    EntryQuery q;
                    q.project_id = "p";
                    q.limit = 1;
                    absl::StatusOr<EntryPage> page = r.ListEntries(q);
                    if (!page.ok()) return page.status();
                    out = {page->total_count, page->total_amount};
                    return absl::OkStatus();
                  })
                  .ok());
  return out;
}

// Collects outcomes from the answering thread; the test waits for all.
class Outcomes {
 public:
  WriteDone Slot(int i) {
    return [this, i](absl::Status s) {
      absl::MutexLock lock(&mu_);
      statuses_[i] = std::move(s);
      ++calls_[i];
      ++total_;
    };
  }
  explicit Outcomes(int n) : statuses_(n), calls_(n, 0) {}
  void WaitFor(int n) {
    absl::MutexLock lock(&mu_);
    auto reached = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return total_ >= n;
    };
    mu_.Await(absl::Condition(&reached));
  }
  absl::Status status(int i) {
    absl::MutexLock lock(&mu_);
    return statuses_[i];
  }
  int calls(int i) {
    absl::MutexLock lock(&mu_);
    return calls_[i];
  }

 private:
  absl::Mutex mu_;
  std::vector<absl::Status> statuses_ ABSL_GUARDED_BY(mu_);
  std::vector<int> calls_ ABSL_GUARDED_BY(mu_);
  int total_ ABSL_GUARDED_BY(mu_) = 0;
};

TEST(WriteAsyncTest, EachWriteHearsItsOwnOutcomeOnceAndFailuresStayAlone) {
  testing::TempDir dir;
  std::unique_ptr<Store> store = OpenStore(dir.File("portfolio.db"));
  ASSERT_TRUE(AddProject(*store).ok());

  // Hold the writer so that every write below lands in one batch.
  absl::Notification release;
  HoldWriter(*store, release);

  constexpr int kWrites = 60;
  Outcomes outcomes(kWrites);
  int64_t expected_yuan = 0;
  int expected_count = 0;
  for (int i = 0; i < kWrites; ++i) {
    const int64_t amount = 100 + i;
    if (i % 3 == 0) {
      expected_yuan += amount;
      ++expected_count;
    }
    store->WriteAsync(
        [i, amount](StoreWriter& w) -> absl::Status {
          absl::StatusOr<int64_t> id = w.AppendEntry(Entry(amount));
          if (!id.ok()) return id.status();
          if (i % 3 == 1) return absl::FailedPreconditionError("gave up");
          if (i % 3 == 2) return w.AppendEntry(Entry(0)).status();
          return absl::OkStatus();
        },
        outcomes.Slot(i));
  }
  release.Notify();
  outcomes.WaitFor(kWrites);

  for (int i = 0; i < kWrites; ++i) {
    EXPECT_EQ(outcomes.calls(i), 1) << i;
    if (i % 3 == 0) {
      EXPECT_TRUE(outcomes.status(i).ok()) << i << ": " << outcomes.status(i);
    } else if (i % 3 == 1) {
      EXPECT_EQ(outcomes.status(i).message(), "gave up") << i;
    } else {
      EXPECT_TRUE(absl::IsFailedPrecondition(outcomes.status(i))) << i;
    }
  }
  EXPECT_EQ(Ledger(*store),
            std::make_pair(int64_t{expected_count}, expected_yuan));
}

TEST(WriteAsyncTest, AnOkOutcomeIsCommittedBeforeItIsTold) {
  testing::TempDir dir;
  std::unique_ptr<Store> store = OpenStore(dir.File("portfolio.db"));
  ASSERT_TRUE(AddProject(*store).ok());
  constexpr int kWrites = 20;
  Outcomes outcomes(kWrites);
  std::atomic<int> seen_before_commit{0};
  for (int i = 0; i < kWrites; ++i) {
    WriteDone slot = outcomes.Slot(i);
    store->WriteAsync(
        [](StoreWriter& w) { return w.AppendEntry(Entry(1)).status(); },
        [&, slot = std::move(slot)](absl::Status s) mutable {
          // Another connection sees the write once its caller is told.
          const int64_t count = Ledger(*store).first;
          if (count < 1) ++seen_before_commit;
          slot(std::move(s));
        });
  }
  outcomes.WaitFor(kWrites);
  EXPECT_EQ(seen_before_commit.load(), 0);
  EXPECT_EQ(Ledger(*store).first, kWrites);
}

TEST(WriteAsyncTest, WritesStillQueuedPastTheBusyTimeoutAreUnavailable) {
  testing::TempDir dir;
  std::unique_ptr<Store> store =
      OpenStore(dir.File("portfolio.db"), /*busy_timeout_ms=*/50);
  ASSERT_TRUE(AddProject(*store).ok());
  absl::Notification release;
  HoldWriter(*store, release);

  Outcomes outcomes(1);
  std::atomic<bool> ran{false};
  store->WriteAsync(
      [&](StoreWriter&) {
        ran = true;
        return absl::OkStatus();
      },
      outcomes.Slot(0));
  // Queued after the async write, with the same timeout: when it gives up,
  // the async write's time has run out too.
  const absl::Status blocking = store->Write(
      [](StoreWriter& w) { return w.AppendEntry(Entry(1)).status(); });
  EXPECT_TRUE(absl::IsUnavailable(blocking)) << blocking;
  release.Notify();
  outcomes.WaitFor(1);
  EXPECT_TRUE(absl::IsUnavailable(outcomes.status(0))) << outcomes.status(0);
  EXPECT_FALSE(ran.load());
  EXPECT_EQ(Ledger(*store).first, 0);
}

TEST(WriteAsyncTest, WriteFromAWritesFnOrDoneIsRefusedNotADeadlock) {
  testing::TempDir dir;
  std::unique_ptr<Store> store = OpenStore(dir.File("portfolio.db"));
  Outcomes outcomes(2);
  absl::Status from_fn;
  absl::Status from_done;
  store->WriteAsync(
      [&](StoreWriter&) {
        from_fn = store->Write([](StoreWriter&) { return absl::OkStatus(); });
        return absl::OkStatus();
      },
      [&](absl::Status s) {
        from_done = store->Write([](StoreWriter&) { return absl::OkStatus(); });
        outcomes.Slot(0)(std::move(s));
        // A done may queue another write.
        store->WriteAsync([](StoreWriter&) { return absl::OkStatus(); },
                          outcomes.Slot(1));
      });
  outcomes.WaitFor(2);
  EXPECT_TRUE(absl::IsInternal(from_fn)) << from_fn;
  EXPECT_TRUE(absl::IsInternal(from_done)) << from_done;
  EXPECT_TRUE(outcomes.status(0).ok());
  EXPECT_TRUE(outcomes.status(1).ok());
}

// Answers are given on a thread of their own, so a slow answer (gRPC
// sending it) holds up no write: while one done is held, later writes run
// and commit.
TEST(WriteAsyncTest, WritesGoOnWhileAnAnswerIsBeingGiven) {
  testing::TempDir dir;
  std::unique_ptr<Store> store = OpenStore(dir.File("portfolio.db"));
  ASSERT_TRUE(AddProject(*store).ok());
  std::thread::id fn_thread;
  std::thread::id done_thread;
  absl::Notification in_done;
  absl::Notification release;
  store->WriteAsync(
      [&](StoreWriter& w) {
        fn_thread = std::this_thread::get_id();
        return w.AppendEntry(Entry(1)).status();
      },
      [&](absl::Status s) {
        EXPECT_TRUE(s.ok()) << s;
        done_thread = std::this_thread::get_id();
        in_done.Notify();
        release.WaitForNotification();
      });
  in_done.WaitForNotification();
  // Would wait for the held done if answers came from the writer: bounded,
  // so such a store fails the test rather than hanging it.
  absl::Status later;
  absl::Notification committed;
  std::thread writer([&] {
    later = store->Write(
        [](StoreWriter& w) { return w.AppendEntry(Entry(10)).status(); });
    committed.Notify();
  });
  const bool in_time =
      committed.WaitForNotificationWithTimeout(absl::Seconds(30));
  EXPECT_TRUE(in_time) << "a write waited for an answer being given";
  if (in_time) {
    EXPECT_TRUE(later.ok()) << later;
    EXPECT_EQ(Ledger(*store), std::make_pair(int64_t{2}, int64_t{11}));
  }
  release.Notify();
  writer.join();
  EXPECT_NE(fn_thread, done_thread);
  EXPECT_NE(done_thread, std::this_thread::get_id());
}

TEST(WriteAsyncTest, DestroyingTheStoreFinishesEveryQueuedWrite) {
  testing::TempDir dir;
  const std::string path = dir.File("portfolio.db");
  constexpr int kWrites = 300;  // more than one batch
  std::atomic<int> told_ok{0};
  {
    std::unique_ptr<Store> store = OpenStore(path);
    ASSERT_TRUE(AddProject(*store).ok());
    absl::Notification release;
    HoldWriter(*store, release);
    for (int i = 0; i < kWrites; ++i) {
      store->WriteAsync(
          [](StoreWriter& w) { return w.AppendEntry(Entry(2)).status(); },
          [&](absl::Status s) {
            if (s.ok()) ++told_ok;
          });
    }
    release.Notify();
    // The store is destroyed with most writes still queued.
  }
  EXPECT_EQ(told_ok.load(), kWrites);
  std::unique_ptr<Store> reopened = OpenStore(path);
  EXPECT_EQ(Ledger(*reopened),
            std::make_pair(int64_t{kWrites}, int64_t{2 * kWrites}));
}

TEST(WriteAsyncTest, BlockingAndAsyncWritesFromManyThreadsAllLand) {
  testing::TempDir dir;
  std::unique_ptr<Store> store = OpenStore(dir.File("portfolio.db"));
  ASSERT_TRUE(AddProject(*store).ok());
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  Outcomes outcomes(kThreads * kEach);
  std::atomic<int> blocking_ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        store->WriteAsync(
            [](StoreWriter& w) { return w.AppendEntry(Entry(1)).status(); },
            outcomes.Slot(t * kEach + i));
        if (store
                ->Write([](StoreWriter& w) {
                  return w.AppendEntry(Entry(10)).status();
                })
                .ok()) {
          ++blocking_ok;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  outcomes.WaitFor(kThreads * kEach);
  for (int i = 0; i < kThreads * kEach; ++i) {
    EXPECT_TRUE(outcomes.status(i).ok()) << outcomes.status(i);
  }
  EXPECT_EQ(blocking_ok.load(), kThreads * kEach);
  EXPECT_EQ(Ledger(*store), std::make_pair(int64_t{2 * kThreads * kEach},
                                           int64_t{11 * kThreads * kEach}));
}

}  // namespace
}  // namespace portfolio
