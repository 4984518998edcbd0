// Group commit: concurrent writes share transactions, and a write that
// fails (by returning an error or by a statement the database refuses) is
// rolled back alone; its neighbours in the same batch are kept.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "tests/support/temp_dir.h"

namespace portfolio {
namespace {

TEST(GroupCommitTest, FailingWritesLoseNothingOfTheirNeighbours) {
  testing::TempDir dir;
  SqliteStoreOptions options;
  options.path = dir.File("portfolio.db");
  absl::StatusOr<std::unique_ptr<Store>> opened = OpenSqliteStore(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Store& store = **opened;
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  ASSERT_TRUE(store
                  .Write([&](StoreWriter& w) {
                    ProjectRecord p;
                    p.id = "p";
                    p.display_name = "P";
                    return w.InsertProject(p, now);
                  })
                  .ok());

  constexpr int kThreads = 16;
  constexpr int kWritesEach = 40;
  std::atomic<int> acknowledged{0};
  std::atomic<int64_t> acknowledged_yuan{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        const int kind = (t * kWritesEach + i) % 3;
        const int64_t amount = 1 + t * 1000 + i;
        const absl::Status s = store.Write([&](StoreWriter& w) -> absl::Status {
          EntryRecord e;
          e.project_id = "p";
          e.period = absl::CivilMonth(2024, 1 + i % 12);
          e.amount = amount;
          e.reported_by = absl::StrCat("t", t);
          e.report_time = now;
          absl::StatusOr<int64_t> id = w.AppendEntry(e);
          if (!id.ok()) return id.status();
          if (kind == 1) {
            // Wrote, then changed its mind: must vanish.
            return absl::FailedPreconditionError("caller gave up");
          }
          if (kind == 2) {
            // Wrote, then a statement the database refuses (a zero amount).
            e.amount = 0;
            return w.AppendEntry(e).status();
          }
          return absl::OkStatus();
        });
        if (s.ok()) {
          ++acknowledged;
          acknowledged_yuan += amount;
        } else {
          EXPECT_NE(kind, 0) << "a good write was refused: " << s;
          ++refused;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();

  EXPECT_EQ(acknowledged + refused, kThreads * kWritesEach);
  EXPECT_GT(acknowledged.load(), 0);
  EXPECT_GT(refused.load(), 0);
  ASSERT_TRUE(store
                  .Read([&](StoreReader& r) -> absl::Status {
                    EntryQuery q;
                    q.project_id = "p";
                    q.limit = 1;
                    absl::StatusOr<EntryPage> page = r.ListEntries(q);
                    if (!page.ok()) return page.status();
                    EXPECT_EQ(page->total_count, acknowledged.load());
                    EXPECT_EQ(page->total_amount, acknowledged_yuan.load());
                    return absl::OkStatus();
                  })
                  .ok());
}

}  // namespace
}  // namespace portfolio
