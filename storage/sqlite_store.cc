// The SQLite Store: one writer connection whose transactions group the
// writes waiting for it (group commit), and a pool of reader connections.
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <thread>
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
#include "storage/write_clock.h"

namespace portfolio {
namespace {

using sqlite::Connection;

class SqliteStore final : public Store {
 public:
  SqliteStore(SqliteStoreOptions options, std::unique_ptr<Connection> writer,
              absl::Time last_stamp)
      : options_(std::move(options)),
        clock_(last_stamp),
        writer_(std::move(writer)) {}

  absl::Status Read(absl::FunctionRef<absl::Status(StoreReader&)> fn) override {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, TakeReader());
    // A read transaction pins one WAL snapshot for every statement in fn.
    // Prepared once per connection, as every statement here: sqlite3_exec
    // would parse BEGIN and COMMIT again on every read.
    absl::Status status = conn->Run("BEGIN");
    if (status.ok()) {
      sqlite::SqliteTx tx(*conn, &clock_);
      status = fn(tx);
      const absl::Status end = conn->Run("COMMIT");
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
  // commit. One long-lived writer thread takes the waiting writes (up to
  // kMaxBatch) as a batch, runs each inside its own savepoint, so a write
  // that fails is rolled back alone, commits once and then tells each its
  // outcome. A commit that fails fails every write of its batch, and
  // nothing of it is visible. Writes that arrive meanwhile form the next
  // batch. A dedicated thread, rather than whichever caller came first,
  // lets callers (gRPC callback handlers) hand a write over without
  // holding a thread while it waits. WriteAsync's callers are told by a
  // second thread, the answerer, so that the next batch runs while gRPC
  // sends the answers of the last: answering took a third of the writer's
  // time at 64 LogInvestment callers (profiled, docs/operations.md).
  absl::Status Write(
      absl::FunctionRef<absl::Status(StoreWriter&)> fn) override {
    if (std::this_thread::get_id() == writer_thread_.get_id()) {
      return absl::InternalError(
          "Store::Write called on the writer thread; it would wait for "
          "itself");
    }
    if (std::this_thread::get_id() == answer_thread_.get_id()) {
      return absl::InternalError(
          "Store::Write called from a write's done; every later answer "
          "would wait for it");
    }
    struct Outcome {
      absl::Status status;
      bool done = false;
    } outcome;
    auto pending =
        std::make_unique<PendingWrite>([fn](StoreWriter& w) { return fn(w); },
                                       [this, &outcome](absl::Status status) {
                                         absl::MutexLock lock(&queue_mu_);
                                         outcome.status = std::move(status);
                                         outcome.done = true;
                                       },
                                       Deadline());
    // Telling this caller is a flag under a lock: the writer does it
    // itself, without a hop through the answerer.
    pending->answer_inline = true;
    const PendingWrite* const me = pending.get();
    absl::MutexLock lock(&queue_mu_);
    queue_.push_back(std::move(pending));
    if (!queue_mu_.AwaitWithDeadline(absl::Condition(&outcome.done),
                                     me->deadline)) {
      // A queued write may give up; a taken one must wait, since the
      // writer is running its fn, which refers to this caller's stack.
      if (!me->taken) {
        queue_.erase(std::find_if(queue_.begin(), queue_.end(),
                                  [me](const std::unique_ptr<PendingWrite>& p) {
                                    return p.get() == me;
                                  }));
        return BusyError();
      }
      queue_mu_.Await(absl::Condition(&outcome.done));
    }
    return outcome.status;
  }

  int64_t AccessVersion() const override { return access_version_.load(); }

  void WriteAsync(WriteFn fn, WriteDone done) override {
    auto pending = std::make_unique<PendingWrite>(std::move(fn),
                                                  std::move(done), Deadline());
    absl::MutexLock lock(&queue_mu_);
    queue_.push_back(std::move(pending));
  }

  ~SqliteStore() override {
    {
      absl::MutexLock lock(&queue_mu_);
      stopping_ = true;
    }
    // The writer returns once nothing is queued or being answered (an
    // answer may queue another write); the answerer, once the writer has
    // returned and every answer is given.
    if (writer_thread_.joinable()) writer_thread_.join();
    if (answer_thread_.joinable()) answer_thread_.join();
    {
      absl::MutexLock lock(&ckpt_mu_);
      ckpt_stopping_ = true;
    }
    if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
  }

  // Starts the writer and checkpointer threads; called once, before the
  // store is shared.
  void Start() {
    {
      absl::MutexLock lock(&write_mu_);
      sqlite3_wal_hook(writer_->raw(), &SqliteStore::WalHook, this);
    }
    checkpoint_thread_ = std::thread([this] { CheckpointLoop(); });
    pthread_setname_np(checkpoint_thread_.native_handle(), "store-ckpt");
    answer_thread_ = std::thread([this] { AnswerLoop(); });
    pthread_setname_np(answer_thread_.native_handle(), "store-answer");
    writer_thread_ = std::thread([this] { WriterLoop(); });
    // Named, so top -H and perf show the one thread every write waits for.
    pthread_setname_np(writer_thread_.native_handle(), "store-writer");
  }

 private:
  struct PendingWrite {
    PendingWrite(WriteFn f, WriteDone d, absl::Time dl)
        : fn(std::move(f)), done(std::move(d)), deadline(dl) {}
    WriteFn fn;
    WriteDone done;
    // Answered UNAVAILABLE, without running, when still queued by then.
    absl::Time deadline;
    absl::Status status;
    bool taken = false;  // in a running batch; guarded by queue_mu_
    // Told by the writer rather than the answerer (Write's own).
    bool answer_inline = false;
  };
  using Batch = std::vector<std::unique_ptr<PendingWrite>>;

  absl::Time Deadline() const {
    return absl::Now() + absl::Milliseconds(options_.busy_timeout_ms);
  }

  static absl::Status BusyError() {
    return absl::UnavailableError(
        "the database is busy with other writes; retry");
  }

  // The writer thread: runs batches until the store is destroyed and
  // nothing is left queued or being answered.
  void WriterLoop() {
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
      return !queue_.empty() || (stopping_ && answering_ == 0);
    };
    while (true) {
      Batch batch;
      {
        absl::MutexLock lock(&queue_mu_, absl::Condition(&ready));
        if (queue_.empty()) {  // stopping, drained, and all answered
          writer_returned_ = true;
          return;
        }
        while (!queue_.empty() && batch.size() < kMaxBatch) {
          queue_.front()->taken = true;
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      const absl::Time now = absl::Now();
      std::vector<PendingWrite*> run;
      for (const std::unique_ptr<PendingWrite>& p : batch) {
        if (now >= p->deadline) {
          p->status = BusyError();
        } else {
          run.push_back(p.get());
        }
      }
      if (!run.empty()) {
        absl::MutexLock writer_lock(&write_mu_);
        RunBatch(run);
      }
      // Outside every lock: a done takes queue_mu_.
      Batch answers;
      for (std::unique_ptr<PendingWrite>& p : batch) {
        if (p->answer_inline) {
          p->done(std::move(p->status));
        } else {
          answers.push_back(std::move(p));
        }
      }
      if (!answers.empty()) {
        absl::MutexLock lock(&queue_mu_);
        answers_.push_back(std::move(answers));
        ++answering_;
      }
    }
  }

  // The answerer thread: tells WriteAsync's callers their outcomes, batch
  // by batch in the order they were queued, until the writer has returned.
  void AnswerLoop() {
    auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(queue_mu_) {
      return !answers_.empty() || writer_returned_;
    };
    while (true) {
      Batch batch;
      {
        absl::MutexLock lock(&queue_mu_, absl::Condition(&ready));
        if (answers_.empty()) return;
        batch = std::move(answers_.front());
        answers_.pop_front();
      }
      // Outside every lock: a done may queue another write.
      for (const std::unique_ptr<PendingWrite>& p : batch) {
        p->done(std::move(p->status));
      }
      batch.clear();  // the callables go before the writer may return
      absl::MutexLock lock(&queue_mu_);
      --answering_;
    }
  }

  void RunBatch(const std::vector<PendingWrite*>& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    auto fail_all = [&](const absl::Status& status) {
      for (PendingWrite* p : batch) p->status = status;
    };
    // IMMEDIATE takes the write lock now, so no fn fails half-way on a
    // lock upgrade.
    const absl::Status begin = writer_->Run("BEGIN IMMEDIATE");
    if (!begin.ok()) return fail_all(begin);
    // Committed or not, the batch's stamps are spent once it ends.
    clock_.BeginBatch();
    bool committed = false;
    absl::Cleanup end_batch = [&] { clock_.EndBatch(committed); };
    sqlite::SqliteTx tx(*writer_, &clock_);
    // On every way out, after the COMMIT (or the ROLLBACK), and before any
    // call of the batch is answered: once a revocation is acknowledged, no
    // reader can go on trusting what it read before it.
    absl::Cleanup bump_access = [&] {
      if (tx.changed_access()) ++access_version_;
    };
    for (PendingWrite* p : batch) {
      absl::Status status = writer_->Run("SAVEPOINT write");
      if (status.ok()) status = p->fn(tx);
      // Some errors (I/O, a full disk) end the transaction itself: then
      // every call of the batch has lost its work.
      if (sqlite3_get_autocommit(writer_->raw()) != 0) {
        return fail_all(status.ok() ? absl::InternalError(
                                          "the write transaction ended early")
                                    : status);
      }
      if (!status.ok()) {
        const absl::Status undo = writer_->Run("ROLLBACK TO write");
        if (!undo.ok()) {
          writer_->Exec("ROLLBACK").IgnoreError();
          return fail_all(undo);
        }
      }
      const absl::Status release = writer_->Run("RELEASE write");
      if (!release.ok()) {
        writer_->Exec("ROLLBACK").IgnoreError();
        return fail_all(release);
      }
      p->status = status;
    }
    if (const std::optional<absl::Time> last = clock_.BatchMax()) {
      sqlite::Statement stmt(*writer_,
                             "UPDATE write_clock SET micros = ?1 WHERE id = 1");
      stmt.Bind(1, sqlite::ToMicros(*last));
      const absl::Status stamped = stmt.Run();
      if (!stamped.ok()) {
        writer_->Exec("ROLLBACK").IgnoreError();
        return fail_all(stamped);
      }
    }
    const absl::Status commit = writer_->Run("COMMIT");
    if (!commit.ok()) {
      writer_->Exec("ROLLBACK").IgnoreError();
      fail_all(commit);
    } else {
      committed = true;
    }
  }

  // Checkpoints: copying the write-ahead log into the database so the log
  // can start over from its beginning. SQLite's own (every 1,000 pages, by
  // the committing connection) would make the writer copy the log and wait
  // for the database file's sync while every call of the next batch waits
  // for it. Instead, once the log passes kCheckpointPages, a round opens:
  // the checkpointer thread copies the log on a connection of its own while
  // the writer goes on. A copy beside an appending writer never finishes,
  // so once the thread has caught up to within kResidualPages, the writer
  // copies the rest after its next commit (a few hundred pages rather than
  // thousands), and the log starts over at the following write; a round
  // closes when the log has started over (when the thread copied all of it,
  // the writer has nothing left to copy). Should the log reach twice
  // kCheckpointPages first (the thread fell behind, or failed), the writer
  // takes the round: the thread stops after its pass in progress, if any,
  // or skips the round, and the writer copies the rest itself. The log then
  // starts over below twice kCheckpointPages and one write, unless a reader
  // still holds an older snapshot (then every later commit tries again, as
  // with SQLite's own checkpoints). Measured at 64 LogInvestment callers
  // (docs/operations.md): p99 10.3-10.6 ms against 13.0-13.5, and at 8
  // callers 2.5-2.9 ms against 3.4-3.5.
  //
  // 4,000 pages (16 MiB of log) rather than 1,000: the ledger indexes' hot
  // pages are copied into the database a quarter as often, 10-15% fewer
  // bytes written per LogInvestment. The log file keeps its largest size
  // on disk (16 MiB or more) while the store is open.
  static constexpr int kCheckpointPages = 4000;
  static constexpr int kResidualPages = 256;
  static constexpr int kMaxPasses = 4;

  // sqlite3_wal_hook's callback. Replaces SQLite's automatic checkpoints.
  static int WalHook(void* self, sqlite3* db, const char*, int frames) {
    static_cast<SqliteStore*>(self)->AfterCommit(db, frames);
    return SQLITE_OK;
  }

  // On the writer thread, inside each COMMIT that wrote, with the log's
  // length in pages: opens a round, and copies the rest of the log once the
  // checkpointer has caught up in this round or the log is too long. A
  // copy that leaves frames behind (a reader's snapshot needs them, an I/O
  // error) keeps the round open, so the next commit tries again.
  void AfterCommit(sqlite3* db, int frames) {
    if (frames < kCheckpointPages) {
      // The log started over: whoever copied it last, the round is done.
      // (Read without the lock first: this is every commit.)
      if (ckpt_round_open_hint_.load(std::memory_order_relaxed)) {
        absl::MutexLock lock(&ckpt_mu_);
        ckpt_round_open_ = false;
        ckpt_round_open_hint_.store(false, std::memory_order_relaxed);
      }
      return;
    }
    {
      absl::MutexLock lock(&ckpt_mu_);
      if (!ckpt_round_open_) {
        ckpt_round_open_ = true;
        ckpt_round_open_hint_.store(true, std::memory_order_relaxed);
        ++ckpt_round_;
      }
      const bool caught_up = ckpt_caught_up_round_ == ckpt_round_;
      if (!caught_up && frames < 2 * kCheckpointPages) return;
      if (!caught_up) {
        // The thread's passes would race this copy for SQLite's checkpoint
        // lock, which a PASSIVE checkpoint does not wait for: it skips the
        // round if it has not taken it yet, and stops after its pass if it
        // has.
        ckpt_taken_round_ = ckpt_round_;
        ckpt_urgent_ = true;
        auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(ckpt_mu_) {
          return !ckpt_running_;
        };
        ckpt_mu_.Await(absl::Condition(&idle));
        ckpt_urgent_ = false;
      }
    }
    int log = 0;
    int copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(
        db, "main", SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    if (rc == SQLITE_OK && log == copied) {
      absl::MutexLock lock(&ckpt_mu_);
      ckpt_round_open_ = false;
      ckpt_round_open_hint_.store(false, std::memory_order_relaxed);
    }
  }

  // The checkpointer thread: for each round, copies the log into the
  // database in up to kMaxPasses passes (each copies what was committed
  // when it began), stopping once what is left is small or the writer asks
  // to copy it itself; then marks the round caught up, if it is still open.
  // Its own connection is opened on first use. When that fails, or a pass
  // fails, the round is still marked, and the writer's copy at its next
  // commit does the work, as SQLite's own checkpoints would.
  void CheckpointLoop() {
    std::unique_ptr<Connection> conn;
    // Said once when checkpoints start failing, not once a round: the
    // writer's own copy keeps the log bounded meanwhile, but an operator
    // should hear of a disk that refuses.
    bool failing = false;
    auto report = [&failing](bool ok, const std::string& why) {
      if (!ok && !failing) {
        std::fprintf(stderr,
                     "portfolio-server: the checkpointer failed (%s); the "
                     "writer copies the log itself until it recovers\n",
                     why.c_str());
      }
      failing = !ok;
    };
    auto wanted = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(ckpt_mu_) {
      return ckpt_taken_round_ < ckpt_round_ || ckpt_stopping_;
    };
    while (true) {
      int64_t round = 0;
      {
        absl::MutexLock lock(&ckpt_mu_, absl::Condition(&wanted));
        if (ckpt_stopping_) return;
        round = ckpt_round_;
        ckpt_taken_round_ = round;
        if (!ckpt_round_open_) continue;  // the writer has closed it
        ckpt_running_ = true;
      }
      if (conn == nullptr) {
        absl::StatusOr<std::unique_ptr<Connection>> opened = Connection::Open(
            options_.path, /*create=*/false, options_.busy_timeout_ms);
        report(opened.ok(), opened.status().ToString());
        if (opened.ok()) conn = *std::move(opened);
      }
      for (int pass = 0; conn != nullptr && pass < kMaxPasses; ++pass) {
        int log = 0;
        int copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(
            conn->raw(), "main", SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
        // Extended codes are on: SQLITE_BUSY_RECOVERY is busy too.
        if ((rc & 0xff) != SQLITE_BUSY) {
          report(rc == SQLITE_OK, sqlite3_errmsg(conn->raw()));
        }
        if (rc != SQLITE_OK || log - copied <= kResidualPages) break;
        absl::MutexLock lock(&ckpt_mu_);
        if (ckpt_urgent_) break;
      }
      absl::MutexLock lock(&ckpt_mu_);
      ckpt_running_ = false;
      if (ckpt_round_open_ && ckpt_round_ == round) {
        ckpt_caught_up_round_ = round;
      }
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

  // As many as the calls that read at once: opening a connection costs
  // more than most reads.
  static constexpr size_t kMaxIdleReaders = 64;
  // Enough to fill a commit at month-end rates, small enough that no call
  // waits long behind a batch.
  static constexpr size_t kMaxBatch = 256;
  const SqliteStoreOptions options_;
  WriteClock clock_;
  absl::Mutex queue_mu_;
  std::deque<std::unique_ptr<PendingWrite>> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool stopping_ ABSL_GUARDED_BY(queue_mu_) = false;
  // Batches run and committed, for the answerer, and how many it has not
  // finished telling; whether the writer has returned.
  std::deque<Batch> answers_ ABSL_GUARDED_BY(queue_mu_);
  int answering_ ABSL_GUARDED_BY(queue_mu_) = 0;
  bool writer_returned_ ABSL_GUARDED_BY(queue_mu_) = false;
  // Held by the writer thread while a batch runs; orders it with nothing
  // else today, but keeps the writer connection's guard explicit.
  absl::Mutex write_mu_;
  std::unique_ptr<Connection> writer_ ABSL_GUARDED_BY(write_mu_);
  absl::Mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> readers_ ABSL_GUARDED_BY(pool_mu_);
  std::atomic<int64_t> access_version_{0};
  absl::Mutex ckpt_mu_;
  // Rounds of checkpointing, numbered from 1: one opens when a commit finds
  // the log past kCheckpointPages, and closes when the writer has copied
  // all of it or a commit finds the log started over.
  int64_t ckpt_round_ ABSL_GUARDED_BY(ckpt_mu_) = 0;
  bool ckpt_round_open_ ABSL_GUARDED_BY(ckpt_mu_) = false;
  // ckpt_round_open_ as last set, for the writer's check on every commit.
  std::atomic<bool> ckpt_round_open_hint_{false};
  // The last round the checkpointer took up, and the last it finished
  // while that round was open.
  int64_t ckpt_taken_round_ ABSL_GUARDED_BY(ckpt_mu_) = 0;
  int64_t ckpt_caught_up_round_ ABSL_GUARDED_BY(ckpt_mu_) = 0;
  // The checkpointer is in its passes; the writer waits for it to stop.
  bool ckpt_running_ ABSL_GUARDED_BY(ckpt_mu_) = false;
  bool ckpt_urgent_ ABSL_GUARDED_BY(ckpt_mu_) = false;
  bool ckpt_stopping_ ABSL_GUARDED_BY(ckpt_mu_) = false;
  // Last: started after, and joined before, everything they use.
  std::thread checkpoint_thread_;
  std::thread answer_thread_;
  std::thread writer_thread_;
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
  int64_t last_stamp = 0;
  {
    sqlite::Statement stmt(*writer,
                           "SELECT micros FROM write_clock WHERE id = 1");
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (row) last_stamp = stmt.Int(0);
  }
  auto store = std::make_unique<SqliteStore>(options, std::move(writer),
                                             sqlite::FromMicros(last_stamp));
  store->Start();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace portfolio
