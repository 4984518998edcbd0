// The SQLite Store: one writer connection whose transactions group the
// writes waiting for it (group commit), and a pool of reader connections.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"
#include "storage/migrations.h"
#include "storage/sqlite.h"
#include "storage/sqlite_tx.h"
#include "storage/store.h"

namespace portfolio {
namespace {

using sqlite::Connection;

class SqliteStore final : public Store {
 public:
  SqliteStore(SqliteStoreOptions options, std::unique_ptr<Connection> writer)
      : options_(std::move(options)), writer_(std::move(writer)) {}

  absl::Status Read(absl::FunctionRef<absl::Status(StoreReader&)> fn) override {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, TakeReader());
    // A read transaction pins one WAL snapshot for every statement in fn.
    absl::Status status = conn->Exec("BEGIN");
    if (status.ok()) {
      sqlite::SqliteTx tx(*conn);
      status = fn(tx);
      const absl::Status end = conn->Exec("COMMIT");
      if (status.ok()) status = end;
    }
    if (status.ok() || !absl::IsInternal(status)) ReturnReader(std::move(conn));
    return status;
  }

  absl::Status Backup(const std::string& path) override {
    // A connection of its own, so the copy never holds the writer: the
    // online backup restarts its pass when a write lands, and copies the
    // whole file in one step to keep that from repeating.
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> source,
                     Connection::Open(options_.path, /*create=*/false,
                                      options_.busy_timeout_ms));
    const std::string partial = path + ".partial";
    bool done = false;
    // Whatever fails, no half-made copy is left behind to fill the disk.
    absl::Cleanup remove_partial = [&] {
      if (done) return;
      for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::remove((partial + suffix).c_str());
      }
    };
    ASSIGN_OR_RETURN(
        std::unique_ptr<Connection> target,
        Connection::Open(partial, /*create=*/true, options_.busy_timeout_ms));
    sqlite3_backup* backup =
        sqlite3_backup_init(target->raw(), "main", source->raw(), "main");
    if (backup == nullptr) {
      return sqlite::FromSqlite(sqlite3_errcode(target->raw()), target->raw(),
                                "starting the backup");
    }
    int rc = SQLITE_OK;
    do {
      rc = sqlite3_backup_step(backup, -1);
      // Another connection holds a lock: give it a moment, not a spin.
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(10);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    const int finish = sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE || finish != SQLITE_OK) {
      return sqlite::FromSqlite(rc != SQLITE_DONE ? rc : finish, target->raw(),
                                "copying the database");
    }
    // A self-contained file: no WAL beside it.
    RETURN_IF_ERROR(target->Exec("PRAGMA journal_mode=DELETE"));
    target.reset();
    if (std::rename(partial.c_str(), path.c_str()) != 0) {
      return absl::UnavailableError(
          absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
    }
    done = true;
    return absl::OkStatus();
  }

  // Group commit: concurrent writes share one transaction and one durable
  // commit. The first caller to find no batch running leads: it takes the
  // waiting calls (itself included, up to kMaxBatch), runs each inside its
  // own savepoint, so a call that fails is rolled back alone, commits once
  // and wakes the others with their outcomes. A commit that fails fails
  // every call of its batch, and nothing of it is visible. A fn runs on the
  // leader's thread, not its caller's.
  absl::Status Write(
      absl::FunctionRef<absl::Status(StoreWriter&)> fn) override {
    PendingWrite me(fn);
    const absl::Time deadline =
        absl::Now() + absl::Milliseconds(options_.busy_timeout_ms);
    absl::MutexLock lock(&queue_mu_);
    queue_.push_back(&me);
    // Woken only when this call is done or may lead: the Mutex evaluates
    // each waiter's condition, so a finished batch does not wake everyone.
    auto ready = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
      return me.done || (!leading_ && !me.taken);
    };
    while (!me.done) {
      if (!leading_ && !me.taken) {
        Lead();
        continue;
      }
      // A queued call may give up; a taken one must wait, since the leader
      // is running its fn, which lives on this caller's stack.
      if (!me.taken && absl::Now() >= deadline) {
        queue_.erase(std::find(queue_.begin(), queue_.end(), &me));
        return absl::UnavailableError(
            "the database is busy with other writes; retry");
      }
      queue_mu_.AwaitWithDeadline(absl::Condition(&ready),
                                  me.taken ? absl::InfiniteFuture() : deadline);
    }
    return me.status;
  }

 private:
  struct PendingWrite {
    explicit PendingWrite(absl::FunctionRef<absl::Status(StoreWriter&)> f)
        : fn(f) {}
    absl::FunctionRef<absl::Status(StoreWriter&)> fn;
    absl::Status status;
    bool taken = false;  // in a running batch
    bool done = false;   // status is final
  };

  // Runs one batch from the front of the queue. Called with queue_mu_
  // held; releases it while the batch runs.
  void Lead() ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
    leading_ = true;
    std::vector<PendingWrite*> batch;
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      queue_.front()->taken = true;
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    queue_mu_.Unlock();
    {
      absl::MutexLock writer_lock(&write_mu_);
      RunBatch(batch);
    }
    queue_mu_.Lock();
    for (PendingWrite* p : batch) p->done = true;
    leading_ = false;
  }

  void RunBatch(const std::vector<PendingWrite*>& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    auto fail_all = [&](const absl::Status& status) {
      for (PendingWrite* p : batch) p->status = status;
    };
    // IMMEDIATE takes the write lock now, so no fn fails half-way on a
    // lock upgrade.
    const absl::Status begin = writer_->Exec("BEGIN IMMEDIATE");
    if (!begin.ok()) return fail_all(begin);
    sqlite::SqliteTx tx(*writer_);
    for (PendingWrite* p : batch) {
      absl::Status status =
          sqlite::Statement(*writer_, "SAVEPOINT write").Run();
      if (status.ok()) status = p->fn(tx);
      // Some errors (I/O, a full disk) end the transaction itself: then
      // every call of the batch has lost its work.
      if (sqlite3_get_autocommit(writer_->raw()) != 0) {
        return fail_all(status.ok() ? absl::InternalError(
                                          "the write transaction ended early")
                                    : status);
      }
      if (!status.ok()) {
        const absl::Status undo =
            sqlite::Statement(*writer_, "ROLLBACK TO write").Run();
        if (!undo.ok()) {
          writer_->Exec("ROLLBACK").IgnoreError();
          return fail_all(undo);
        }
      }
      const absl::Status release =
          sqlite::Statement(*writer_, "RELEASE write").Run();
      if (!release.ok()) {
        writer_->Exec("ROLLBACK").IgnoreError();
        return fail_all(release);
      }
      p->status = status;
    }
    const absl::Status commit = writer_->Exec("COMMIT");
    if (!commit.ok()) {
      writer_->Exec("ROLLBACK").IgnoreError();
      fail_all(commit);
    }
  }

  absl::StatusOr<std::unique_ptr<Connection>> TakeReader() {
    {
      absl::MutexLock lock(&pool_mu_);
      if (!readers_.empty()) {
        std::unique_ptr<Connection> conn = std::move(readers_.back());
        readers_.pop_back();
        return conn;
      }
    }
    return Connection::Open(options_.path, /*create=*/false,
                            options_.busy_timeout_ms);
  }

  void ReturnReader(std::unique_ptr<Connection> conn) {
    absl::MutexLock lock(&pool_mu_);
    if (readers_.size() < kMaxIdleReaders) readers_.push_back(std::move(conn));
  }

  static constexpr size_t kMaxIdleReaders = 8;
  // Enough to fill a commit at month-end rates, small enough that no call
  // waits long behind a batch.
  static constexpr size_t kMaxBatch = 256;
  const SqliteStoreOptions options_;
  absl::Mutex queue_mu_;
  std::deque<PendingWrite*> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool leading_ ABSL_GUARDED_BY(queue_mu_) = false;
  // Held by the leader while its batch runs; orders it with nothing else
  // today, but keeps the writer connection's guard explicit.
  absl::Mutex write_mu_;
  std::unique_ptr<Connection> writer_ ABSL_GUARDED_BY(write_mu_);
  absl::Mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> readers_ ABSL_GUARDED_BY(pool_mu_);
};

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(
    const SqliteStoreOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("database path is empty");
  }
  ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> writer,
      Connection::Open(options.path, options.create, options.busy_timeout_ms));
  RETURN_IF_ERROR(sqlite::Migrate(*writer));
  return std::unique_ptr<Store>(new SqliteStore(options, std::move(writer)));
}

}  // namespace portfolio
