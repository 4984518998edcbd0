// The write clock alone (its rules), then in a real store: a read that
// misses a write committing beside it reports an instant before that
// write's stamp, so asking again as known at that instant counts what the
// read counted.
#include "storage/write_clock.h"

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

constexpr absl::Time kT = absl::FromUnixSeconds(1720000000);
constexpr absl::Duration kUs = absl::Microseconds(1);

TEST(WriteClockTest, StampsFollowTheWallClockAndNeverGoBack) {
  WriteClock clock(absl::FromUnixMicros(0));
  clock.BeginBatch();
  EXPECT_EQ(clock.Stamp(kT), kT);
  // Within a batch, a stamp may equal the last but never precede it.
  EXPECT_EQ(clock.Stamp(kT - absl::Seconds(1)), kT);
  EXPECT_EQ(clock.Stamp(kT + 5 * kUs), kT + 5 * kUs);
  EXPECT_EQ(clock.BatchMax(), kT + 5 * kUs);
  clock.EndBatch(/*committed=*/true);

  // A clock standing still, or stepped back: the next batch is later.
  clock.BeginBatch();
  EXPECT_EQ(clock.BatchMax(), std::nullopt);
  EXPECT_EQ(clock.Stamp(kT), kT + 6 * kUs);
  clock.EndBatch(/*committed=*/true);
  // Sub-microsecond wall times are cut to what the database keeps.
  clock.BeginBatch();
  EXPECT_EQ(clock.Stamp(kT + absl::Seconds(1) + absl::Nanoseconds(1500)),
            kT + absl::Seconds(1) + kUs);
  clock.EndBatch(/*committed=*/true);
}

TEST(WriteClockTest, AnIdleReadReportsTheWallTimeAndLaterStampsFollowIt) {
  WriteClock clock(kT);
  EXPECT_EQ(clock.Instant(kT, kT + absl::Seconds(3)), kT + absl::Seconds(3));
  // A stamp taken at the same wall time as the read is after it.
  clock.BeginBatch();
  EXPECT_EQ(clock.Stamp(kT + absl::Seconds(3)), kT + absl::Seconds(3) + kUs);
  clock.EndBatch(/*committed=*/true);
  // Never before the newest stamp the snapshot holds.
  EXPECT_EQ(clock.Instant(kT + absl::Seconds(3) + kUs, kT),
            kT + absl::Seconds(3) + kUs);
}

TEST(WriteClockTest, AReadBesideARunningBatchReportsJustBeforeIt) {
  WriteClock clock(kT);
  clock.BeginBatch();
  // Not stamped yet: the read's wall time, and the batch stamps after it.
  EXPECT_EQ(clock.Instant(kT, kT + 10 * kUs), kT + 10 * kUs);
  EXPECT_EQ(clock.Stamp(kT + 5 * kUs), kT + 11 * kUs);
  // Stamped: a snapshot without the batch ends just before it.
  EXPECT_EQ(clock.Instant(kT, kT + absl::Seconds(1)), kT + 10 * kUs);
  // A snapshot that holds it (committed, not yet ended) is not cut short.
  EXPECT_EQ(clock.Instant(kT + 11 * kUs, kT + absl::Seconds(1)),
            kT + absl::Seconds(1));
  clock.EndBatch(/*committed=*/true);
}

TEST(WriteClockTest, AReadOfAnOlderSnapshotEndsBeforeTheBatchItMissed) {
  WriteClock clock(kT);
  for (int i = 1; i <= 3; ++i) {
    clock.BeginBatch();
    clock.Stamp(kT + absl::Seconds(i));
    clock.EndBatch(/*committed=*/true);
  }
  // Held the first batch only: just before the second's stamp.
  EXPECT_EQ(clock.Instant(kT + absl::Seconds(1), kT + absl::Seconds(9)),
            kT + absl::Seconds(2) - kUs);
  EXPECT_EQ(clock.Instant(kT, kT + absl::Seconds(9)),
            kT + absl::Seconds(1) - kUs);
  // Older than every batch remembered: its own newest stamp, still exact.
  for (size_t i = 0; i < WriteClock::kRemembered; ++i) {
    clock.BeginBatch();
    clock.Stamp(kT + absl::Minutes(1) + absl::Seconds(i));
    clock.EndBatch(/*committed=*/true);
  }
  EXPECT_EQ(clock.Instant(kT + absl::Seconds(1), kT + absl::Hours(1)),
            kT + absl::Seconds(1));
}

// A batch whose commit failed is nothing a snapshot can miss: reads go on
// reporting their wall time, not an instant stuck before it; and its
// stamps are spent all the same.
TEST(WriteClockTest, AFailedBatchHoldsNoReadBack) {
  WriteClock clock(kT);
  clock.BeginBatch();
  EXPECT_EQ(clock.Stamp(kT + absl::Seconds(1)), kT + absl::Seconds(1));
  // While it runs, a read ends before it.
  EXPECT_EQ(clock.Instant(kT, kT + absl::Seconds(2)),
            kT + absl::Seconds(1) - kUs);
  clock.EndBatch(/*committed=*/false);
  EXPECT_EQ(clock.Instant(kT, kT + absl::Hours(1)), kT + absl::Hours(1));
  clock.BeginBatch();
  EXPECT_EQ(clock.Stamp(kT), kT + absl::Hours(1) + kUs);
  clock.EndBatch(/*committed=*/true);
  // With no read since, a stamp after the failed one's.
  WriteClock other(kT);
  other.BeginBatch();
  other.Stamp(kT + absl::Seconds(5));
  other.EndBatch(/*committed=*/false);
  other.BeginBatch();
  EXPECT_EQ(other.Stamp(kT), kT + absl::Seconds(5) + kUs);
  other.EndBatch(/*committed=*/true);
}

// A batch that took no stamp (tokens, settings) changes nothing a read
// reports.
TEST(WriteClockTest, ABatchWithoutStampsIsNotABatchMissed) {
  WriteClock clock(kT);
  clock.BeginBatch();
  clock.EndBatch(/*committed=*/true);
  EXPECT_EQ(clock.Instant(kT, kT + absl::Seconds(1)), kT + absl::Seconds(1));
}

class StoreInstantTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteStoreOptions options;
    options.path = dir_.File("portfolio.db");
    absl::StatusOr<std::unique_ptr<Store>> opened = OpenSqliteStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
    ASSERT_TRUE(store_
                    ->Write([&](StoreWriter& w) {
                      ProjectRecord p;
                      p.id = "p";
                      p.display_name = "P";
                      return w.InsertProject(p, w.Stamp(kT));
                    })
                    .ok());
  }

  // Logs `amount` to p, stamped at wall time `wall`; returns the stamp.
  absl::Time Log(int64_t amount, absl::Time wall) {
    absl::Time stamp;
    const absl::Status s = store_->Write([&](StoreWriter& w) {
      EntryRecord e;
      e.project_id = "p";
      e.period = absl::CivilMonth(2024, 3);
      e.amount = amount;
      e.reported_by = "lead";
      e.report_time = stamp = w.Stamp(wall);
      return w.AppendEntry(e).status();
    });
    EXPECT_TRUE(s.ok()) << s;
    return stamp;
  }

  // The ledger's entries as known at `at`, summed.
  int64_t SumKnownAt(absl::Time at) {
    int64_t sum = 0;
    EXPECT_TRUE(store_
                    ->Read([&](StoreReader& r) -> absl::Status {
                      EntryQuery q;
                      q.project_id = "p";
                      q.limit = 100;
                      absl::StatusOr<EntryPage> page = r.ListEntries(q);
                      if (!page.ok()) return page.status();
                      for (const EntryRecord& e : page->entries) {
                        if (e.report_time <= at) sum += e.amount;
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return sum;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreInstantTest, AWriteCommittedDuringAReadIsAfterItsInstant) {
  Log(100, kT + absl::Seconds(1));
  // The clock stands still: the write below is stamped at the same wall
  // time as the read, and must still fall after the read's instant.
  const absl::Time wall = kT + absl::Seconds(2);
  absl::Time instant;
  absl::Time stamp;
  int64_t seen = 0;
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    // The snapshot begins with this read.
                    absl::StatusOr<int64_t> total = r.ProjectLedgerTotal("p");
                    if (!total.ok()) return total.status();
                    seen = *total;
                    std::thread writer([&] { stamp = Log(50, wall); });
                    writer.join();  // committed; this snapshot misses it
                    absl::StatusOr<absl::Time> at = r.ReproducibleInstant(wall);
                    if (!at.ok()) return at.status();
                    instant = *at;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(seen, 100);
  EXPECT_LT(instant, stamp);
  EXPECT_EQ(SumKnownAt(instant), seen);
  EXPECT_EQ(SumKnownAt(stamp), 150);

  // A read after it holds it, and its instant is at or after its stamp.
  absl::Time later;
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    absl::StatusOr<absl::Time> at = r.ReproducibleInstant(wall);
                    if (!at.ok()) return at.status();
                    later = *at;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_GE(later, stamp);
  EXPECT_EQ(SumKnownAt(later), 150);
}

TEST_F(StoreInstantTest, AReadBesideAWriteBeingCommittedEndsBeforeIt) {
  const absl::Time wall = kT + absl::Seconds(5);
  absl::Notification stamped, read;
  absl::Time stamp;
  store_->WriteAsync(
      [&](StoreWriter& w) -> absl::Status {
        EntryRecord e;
        e.project_id = "p";
        e.period = absl::CivilMonth(2024, 4);
        e.amount = 70;
        e.reported_by = "lead";
        e.report_time = stamp = w.Stamp(wall);
        stamped.Notify();
        read.WaitForNotification();  // holds the batch open
        return w.AppendEntry(e).status();
      },
      [](absl::Status s) { EXPECT_TRUE(s.ok()) << s; });
  stamped.WaitForNotification();
  absl::Time instant;
  ASSERT_TRUE(store_
                  ->Read([&](StoreReader& r) -> absl::Status {
                    absl::StatusOr<absl::Time> at =
                        r.ReproducibleInstant(wall + absl::Seconds(1));
                    if (!at.ok()) return at.status();
                    instant = *at;
                    return absl::OkStatus();
                  })
                  .ok());
  read.Notify();
  store_.reset();  // finishes the write
  EXPECT_EQ(instant, stamp - kUs);
}

// Stamps survive a restart: the first write after reopening is later
// than every stamp the file holds, even with the clock set back.
TEST_F(StoreInstantTest, StampsStayInOrderAcrossARestart) {
  const absl::Time first = Log(10, kT + absl::Hours(1));
  store_.reset();
  SqliteStoreOptions options;
  options.path = dir_.File("portfolio.db");
  absl::StatusOr<std::unique_ptr<Store>> opened = OpenSqliteStore(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  store_ = std::move(*opened);
  EXPECT_EQ(Log(20, kT), first + kUs);
}

}  // namespace
}  // namespace portfolio
