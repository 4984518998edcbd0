// The SQLite Store: one writer connection behind a mutex, a pool of reader
// connections, each call one transaction.
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/cleanup/cleanup.h"
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
