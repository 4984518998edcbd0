// The SQLite Store: one writer connection behind a mutex, a pool of reader
// connections, each call one transaction.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
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

  absl::Status Write(
      absl::FunctionRef<absl::Status(StoreWriter&)> fn) override {
    // Waiting for the writer is bounded like waiting for a database lock.
    // LockWhenWithTimeout holds the mutex on return either way.
    const bool got = write_mu_.LockWhenWithTimeout(
        absl::Condition::kTrue, absl::Milliseconds(options_.busy_timeout_ms));
    absl::Cleanup unlock = [this] { write_mu_.Unlock(); };
    if (!got) {
      return absl::UnavailableError(
          "the database is busy with other writes; retry");
    }
    // IMMEDIATE takes the write lock now, so fn never fails half-way on a
    // lock upgrade.
    RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
    sqlite::SqliteTx tx(*writer_);
    absl::Status status = fn(tx);
    if (status.ok()) status = writer_->Exec("COMMIT");
    if (!status.ok()) writer_->Exec("ROLLBACK").IgnoreError();
    return status;
  }

 private:
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
  const SqliteStoreOptions options_;
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
