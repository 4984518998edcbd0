#include "storage/wal_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>

namespace portfolio::sqlite {
namespace {

constexpr char kName[] = "portfolio-wal-batch";
// Past this many bytes held, the frames are handed on before more are
// taken: a transaction's log rarely comes near it, and beyond it one call
// more per 4 MiB costs nothing measurable.
constexpr sqlite3_int64 kMaxHeld = 4 << 20;
// The WAL format's frame header: 24 bytes, the second 4-byte field of
// which is nonzero only in a transaction's commit frame (the database's
// size in pages after it). https://sqlite.org/fileformat2.html#walformat
constexpr int kFrameHeaderBytes = 24;
// The most the default VFS passes to the kernel in one write (see Flush).
constexpr sqlite3_int64 kMaxWrite = (128 << 10) - 4096;

std::atomic<int64_t> g_received{0};
std::atomic<int64_t> g_issued{0};

sqlite3_vfs g_vfs;

sqlite3_vfs* Base() { return static_cast<sqlite3_vfs*>(g_vfs.pAppData); }

// A write-ahead log opened through the VFS. SQLite allocates it
// (szOsFile; Open zeroes it) and uses it from one thread at a time, as it
// does every file of a connection; the default VFS's file follows it in
// the same allocation.
struct WalFile {
  sqlite3_file base;  // first: SQLite sees a WalFile as an sqlite3_file
  sqlite3_file* real;
  char* held;  // frames not yet handed on, from sqlite3_malloc64
  sqlite3_int64 held_bytes;
  sqlite3_int64 held_capacity;
  sqlite3_int64 held_offset;  // where held[0] goes in the file
  bool after_commit_header;   // the last write was a commit frame's header
};

constexpr size_t kRealOffset = (sizeof(WalFile) + 7) & ~size_t{7};

WalFile* AsWal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }

// Hands the held frames on, in as few writes as the default VFS takes: it
// expects less than 128 KiB a write (it keeps the length's low 17 bits, so
// a write of exactly 128 KiB writes nothing and reports a full disk), so
// the frames go in pieces of kMaxWrite.
int Flush(WalFile* f) {
  sqlite3_int64 done = 0;
  int rc = SQLITE_OK;
  while (rc == SQLITE_OK && done < f->held_bytes) {
    const int n = static_cast<int>(
        std::min<sqlite3_int64>(kMaxWrite, f->held_bytes - done));
    rc = f->real->pMethods->xWrite(f->real, f->held + done, n,
                                   f->held_offset + done);
    g_issued.fetch_add(1, std::memory_order_relaxed);
    done += n;
  }
  f->held_bytes = 0;
  return rc;
}

int Close(sqlite3_file* file) {
  WalFile* f = AsWal(file);
  const int flushed = Flush(f);
  const int closed = f->real->pMethods->xClose(f->real);
  sqlite3_free(f->held);
  f->held = nullptr;
  f->held_capacity = 0;
  return flushed != SQLITE_OK ? flushed : closed;
}

int Read(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  WalFile* f = AsWal(file);
  const int rc = Flush(f);
  if (rc != SQLITE_OK) return rc;
  return f->real->pMethods->xRead(f->real, out, amount, offset);
}

// Makes room for `more` bytes; false when memory ran out.
bool Reserve(WalFile* f, sqlite3_int64 more) {
  const sqlite3_int64 need = f->held_bytes + more;
  if (need <= f->held_capacity) return true;
  sqlite3_int64 capacity = f->held_capacity > 0 ? f->held_capacity : 65536;
  while (capacity < need) capacity *= 2;
  char* grown = static_cast<char*>(
      sqlite3_realloc64(f->held, static_cast<sqlite3_uint64>(capacity)));
  if (grown == nullptr) return false;
  f->held = grown;
  f->held_capacity = capacity;
  return true;
}

int Write(sqlite3_file* file, const void* data, int amount,
          sqlite3_int64 offset) {
  WalFile* f = AsWal(file);
  g_received.fetch_add(1, std::memory_order_relaxed);
  const bool ends_commit = f->after_commit_header;
  f->after_commit_header = false;
  if (amount == kFrameHeaderBytes) {
    const unsigned char* h = static_cast<const unsigned char*>(data);
    f->after_commit_header = (h[4] | h[5] | h[6] | h[7]) != 0;
  }
  const bool follows = f->held_bytes > 0 &&
                       offset == f->held_offset + f->held_bytes &&
                       f->held_bytes + amount <= kMaxHeld;
  if (f->held_bytes > 0 && !follows) {
    const int rc = Flush(f);
    if (rc != SQLITE_OK) return rc;
  }
  if (amount > kMaxWrite || !Reserve(f, amount)) {
    // Larger than a page of any size (SQLite never writes one), or no
    // memory to hold it: what is held goes first, so a commit frame never
    // reaches the file before its transaction's other frames.
    const int rc = Flush(f);
    if (rc != SQLITE_OK) return rc;
    g_issued.fetch_add(1, std::memory_order_relaxed);
    return f->real->pMethods->xWrite(f->real, data, amount, offset);
  }
  if (f->held_bytes == 0) f->held_offset = offset;
  std::memcpy(f->held + f->held_bytes, data, static_cast<size_t>(amount));
  f->held_bytes += amount;
  return ends_commit ? Flush(f) : SQLITE_OK;
}

int Truncate(sqlite3_file* file, sqlite3_int64 size) {
  WalFile* f = AsWal(file);
  const int rc = Flush(f);
  if (rc != SQLITE_OK) return rc;
  return f->real->pMethods->xTruncate(f->real, size);
}

int Sync(sqlite3_file* file, int flags) {
  WalFile* f = AsWal(file);
  const int rc = Flush(f);
  if (rc != SQLITE_OK) return rc;
  return f->real->pMethods->xSync(f->real, flags);
}

int FileSize(sqlite3_file* file, sqlite3_int64* size) {
  WalFile* f = AsWal(file);
  const int rc = Flush(f);
  if (rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileSize(f->real, size);
}

int Lock(sqlite3_file* file, int level) {
  sqlite3_file* real = AsWal(file)->real;
  return real->pMethods->xLock(real, level);
}

int Unlock(sqlite3_file* file, int level) {
  sqlite3_file* real = AsWal(file)->real;
  return real->pMethods->xUnlock(real, level);
}

int CheckReservedLock(sqlite3_file* file, int* out) {
  sqlite3_file* real = AsWal(file)->real;
  return real->pMethods->xCheckReservedLock(real, out);
}

int FileControl(sqlite3_file* file, int op, void* arg) {
  WalFile* f = AsWal(file);
  // Whatever the control does to the file, it sees what SQLite wrote.
  const int rc = Flush(f);
  if (rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFileControl(f->real, op, arg);
}

int SectorSize(sqlite3_file* file) {
  sqlite3_file* real = AsWal(file)->real;
  return real->pMethods->xSectorSize(real);
}

int DeviceCharacteristics(sqlite3_file* file) {
  sqlite3_file* real = AsWal(file)->real;
  return real->pMethods->xDeviceCharacteristics(real);
}

// A log is never shared memory or memory-mapped (those are the database
// file's), but the methods are part of the version SQLite is told.
int ShmMap(sqlite3_file* file, int page, int size, int extend,
           void volatile** out) {
  sqlite3_file* real = AsWal(file)->real;
  if (real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMMAP;
  return real->pMethods->xShmMap(real, page, size, extend, out);
}

int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  sqlite3_file* real = AsWal(file)->real;
  if (real->pMethods->iVersion < 2) return SQLITE_IOERR_SHMLOCK;
  return real->pMethods->xShmLock(real, offset, n, flags);
}

void ShmBarrier(sqlite3_file* file) {
  sqlite3_file* real = AsWal(file)->real;
  if (real->pMethods->iVersion >= 2) real->pMethods->xShmBarrier(real);
}

int ShmUnmap(sqlite3_file* file, int remove) {
  sqlite3_file* real = AsWal(file)->real;
  if (real->pMethods->iVersion < 2) return SQLITE_OK;
  return real->pMethods->xShmUnmap(real, remove);
}

int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
  WalFile* f = AsWal(file);
  *out = nullptr;
  if (f->real->pMethods->iVersion < 3) return SQLITE_OK;
  const int rc = Flush(f);
  if (rc != SQLITE_OK) return rc;
  return f->real->pMethods->xFetch(f->real, offset, amount, out);
}

int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
  sqlite3_file* real = AsWal(file)->real;
  if (real->pMethods->iVersion < 3) return SQLITE_OK;
  return real->pMethods->xUnfetch(real, offset, page);
}

const sqlite3_io_methods kWalMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags,
         int* out_flags) {
  sqlite3_vfs* base = Base();
  if ((flags & SQLITE_OPEN_WAL) != 0) {
    WalFile* f = AsWal(file);
    std::memset(f, 0, sizeof(WalFile));
    f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) +
                                              kRealOffset);
    const int rc = base->xOpen(base, name, f->real, flags, out_flags);
    // As SQLite's own shims do: a file the base opened, even when it then
    // failed, is closed through these methods.
    f->base.pMethods = f->real->pMethods != nullptr ? &kWalMethods : nullptr;
    return rc;
  }
  // Every other file is the base VFS's own, in the same memory, with its
  // own methods: nothing in between.
  return base->xOpen(base, name, file, flags, out_flags);
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return Base()->xDelete(Base(), name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return Base()->xAccess(Base(), name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return Base()->xFullPathname(Base(), name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) {
  return Base()->xDlOpen(Base(), name);
}
void DlError(sqlite3_vfs*, int n, char* out) {
  Base()->xDlError(Base(), n, out);
}
void (*DlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return Base()->xDlSym(Base(), handle, symbol);
}
void DlClose(sqlite3_vfs*, void* handle) { Base()->xDlClose(Base(), handle); }
int Randomness(sqlite3_vfs*, int n, char* out) {
  return Base()->xRandomness(Base(), n, out);
}
int Sleep(sqlite3_vfs*, int microseconds) {
  return Base()->xSleep(Base(), microseconds);
}
int CurrentTime(sqlite3_vfs*, double* out) {
  return Base()->xCurrentTime(Base(), out);
}
int GetLastError(sqlite3_vfs*, int n, char* out) {
  return Base()->xGetLastError(Base(), n, out);
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return Base()->xCurrentTimeInt64(Base(), out);
}
int SetSystemCall(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr call) {
  return Base()->xSetSystemCall(Base(), name, call);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs*, const char* name) {
  return Base()->xGetSystemCall(Base(), name);
}
const char* NextSystemCall(sqlite3_vfs*, const char* name) {
  return Base()->xNextSystemCall(Base(), name);
}

const char* Register() {
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  // The unix VFS is version 3; anything older lacks what is forwarded.
  if (base == nullptr || base->iVersion < 3) return nullptr;
  g_vfs.iVersion = 3;
  g_vfs.szOsFile = static_cast<int>(kRealOffset) + base->szOsFile;
  g_vfs.mxPathname = base->mxPathname;
  g_vfs.zName = kName;
  g_vfs.pAppData = base;
  g_vfs.xOpen = Open;
  g_vfs.xDelete = Delete;
  g_vfs.xAccess = Access;
  g_vfs.xFullPathname = FullPathname;
  g_vfs.xDlOpen = DlOpen;
  g_vfs.xDlError = DlError;
  g_vfs.xDlSym = DlSym;
  g_vfs.xDlClose = DlClose;
  g_vfs.xRandomness = Randomness;
  g_vfs.xSleep = Sleep;
  g_vfs.xCurrentTime = CurrentTime;
  g_vfs.xGetLastError = GetLastError;
  g_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  g_vfs.xSetSystemCall = SetSystemCall;
  g_vfs.xGetSystemCall = GetSystemCall;
  g_vfs.xNextSystemCall = NextSystemCall;
  if (sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0) != SQLITE_OK) {
    return nullptr;
  }
  return kName;
}

}  // namespace

const char* WalBatchingVfs() {
  static const char* const name = Register();
  return name;
}

WalWriteCounts WalWritesSoFar() {
  return WalWriteCounts{g_received.load(std::memory_order_relaxed),
                        g_issued.load(std::memory_order_relaxed)};
}

}  // namespace portfolio::sqlite
