// Group commit: concurrent writes share transactions, and a write that
// fails (by returning an error or by a statement the database refuses) is
// rolled back alone; its neighbours in the same batch are kept.
#include <atomic>
#include <filesystem>
#include <fstream>
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

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteStoreOptions options;
    options.path = path_;
    absl::StatusOr<std::unique_ptr<Store>> opened = OpenSqliteStore(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }

  // Project "p", for entries to belong to.
  void AddProject() {
    ASSERT_TRUE(store_
                    ->Write([&](StoreWriter& w) {
                      ProjectRecord p;
                      p.id = "p";
                      p.display_name = "P";
                      return w.InsertProject(p, kNow);
                    })
                    .ok());
  }

  static constexpr absl::Time kNow = absl::FromUnixSeconds(1720000000);
  testing::TempDir dir_;
  const std::string path_ = dir_.File("portfolio.db");
  std::unique_ptr<Store> store_;
};

TEST_F(GroupCommitTest, FailingWritesLoseNothingOfTheirNeighbours) {
  ASSERT_NO_FATAL_FAILURE(AddProject());
  Store& store = *store_;
  const absl::Time now = kNow;

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

// Pages in the write-ahead log file: its header, then frames of a 24-byte
// header and a 4 KiB page. The file is reused from its start after a
// complete checkpoint, never shortened while the store is open, so its size
// is the most frames the log has held.
int64_t WalPages(const std::string& db) {
  return (static_cast<int64_t>(std::filesystem::file_size(db + "-wal")) - 32) /
         (4096 + 24);
}

// The log is checkpointed once it holds 4,000 pages, not at SQLite's
// 1,000: hot index pages are copied into the database a quarter as often.
// A thread of the store's own copies it beside the writer, and the writer
// copies what is left and so lets the log start over; by 8,000 pages the
// writer copies it all itself once that thread's pass is done, so with no
// reader holding an old snapshot the log never holds more than 8,000 pages
// and one write, whatever the timing. Each write here adds some 1,500
// pages (entries with long notes).
TEST_F(GroupCommitTest,
       TheLogIsCheckpointedPastFourThousandPagesAndStartsOver) {
  ASSERT_NO_FATAL_FAILURE(AddProject());
  Store& store = *store_;
  const absl::Time now = kNow;
  auto write_pages = [&]() {
    return store.Write([&](StoreWriter& w) -> absl::Status {
      for (int i = 0; i < 1500; ++i) {
        EntryRecord e;
        e.project_id = "p";
        e.period = absl::CivilMonth(2024, 1 + i % 12);
        e.amount = 1 + i;
        e.reported_by = "t";
        e.report_time = now;
        e.note = std::string(3500, 'x');
        absl::StatusOr<int64_t> id = w.AppendEntry(e);
        if (!id.ok()) return id.status();
      }
      return absl::OkStatus();
    });
  };
  ASSERT_TRUE(write_pages().ok());
  ASSERT_TRUE(write_pages().ok());
  // Past 1,000 pages twice over and not yet checkpointed: the second write
  // went on after the first in the log.
  EXPECT_GT(WalPages(path_), 2800);
  // Twelve writes, some 18,000 pages: the log started over rather than
  // growing, and never held more than 8,000 pages and a write.
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(write_pages().ok());
  const int64_t held = WalPages(path_);
  EXPECT_GT(held, 4000);
  EXPECT_LT(held, 8000 + 1600);
}

// Bytes this process has handed to write system calls so far.
int64_t WrittenBytes() {
  std::ifstream in("/proc/self/io");
  std::string key;
  int64_t value = 0;
  while (in >> key >> value) {
    if (key == "wchar:") return value;
  }
  return -1;
}

// Puts `count` projects of a page each (a long name) in one write: inserted,
// or, when they exist, updated, which keeps every page's original in the
// write's savepoint journal (some 12 KiB a project: a record for the
// savepoint and for each statement inside it).
absl::Status PutProjects(Store& store, int count, char fill, bool insert) {
  const absl::Time now = absl::FromUnixSeconds(1720000000);
  return store.Write([&](StoreWriter& w) -> absl::Status {
    for (int i = 0; i < count; ++i) {
      ProjectRecord p;
      p.id = absl::StrCat("p", i);
      p.display_name = std::string(3500, fill);
      const absl::Status s =
          insert ? w.InsertProject(p, now) : w.UpdateProject(p, now);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  });
}

// SQLite moved a savepoint's journal to a temporary file past 64 KiB, and
// then every later write of the batch copied its pages there too; kept in
// memory up to 128 KiB, a write that changes 8 pages (about 95 KiB of
// journal) writes them once, to the log, and nowhere else.
TEST_F(GroupCommitTest, ASavepointUnder128KiBWritesOnlyTheLog) {
  ASSERT_TRUE(PutProjects(*store_, 8, 'a', /*insert=*/true).ok());
  const int64_t pages_before = WalPages(path_);
  const int64_t written_before = WrittenBytes();
  ASSERT_GE(written_before, 0) << "no /proc/self/io";
  const absl::Status updated = PutProjects(*store_, 8, 'b', /*insert=*/false);
  ASSERT_TRUE(updated.ok()) << updated;
  const int64_t log_bytes = (WalPages(path_) - pages_before) * (4096 + 24);
  EXPECT_GE(log_bytes, 8 * 4096);
  EXPECT_LT(WrittenBytes() - written_before, log_bytes + 32 * 1024);
}

// A journal larger than that goes to a file, and the write succeeds. (With
// a limit above 128 KiB, SQLite 3.40 failed this move with "database or
// disk is full": an update of many projects was refused.)
TEST_F(GroupCommitTest, ASavepointOverTheLimitMovesToAFileAndCommits) {
  ASSERT_TRUE(PutProjects(*store_, 300, 'a', /*insert=*/true).ok());
  const absl::Status updated = PutProjects(*store_, 300, 'b', /*insert=*/false);
  ASSERT_TRUE(updated.ok()) << updated;
  ASSERT_TRUE(store_
                  ->Read([](StoreReader& r) -> absl::Status {
                    absl::StatusOr<ProjectRecord> p = r.GetProject("p299");
                    if (!p.ok()) return p.status();
                    EXPECT_EQ(p->display_name, std::string(3500, 'b'));
                    return absl::OkStatus();
                  })
                  .ok());
}

}  // namespace
}  // namespace portfolio
