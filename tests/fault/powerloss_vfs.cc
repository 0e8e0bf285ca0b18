// libedgesql_powerloss_vfs.so: a test-only SQLite VFS that makes a SIGKILL lose exactly what a
// power failure would lose, so fault tests can drop unsynced writes from the real server process.
//
// Use:  EDGESQL_POWERLOSS_VFS=1 LD_PRELOAD=BUILD/tests/fault/libedgesql_powerloss_vfs.so
//       edgesql server ...
// The constructor below registers the VFS "powerloss" as the default, wrapping the previous default
// ("unix"); the server opens every database with sqlite3_open_v2(..., zVfs = nullptr), so it uses
// it. Without EDGESQL_POWERLOSS_VFS=1 the library does nothing. Tests may instead call
// edgesql_powerloss_vfs_register() themselves. With EDGESQL_POWERLOSS_VFS_LOG=PATH, each xSync
// appends "sync NAME BYTES" (bytes written to the file by that sync) to PATH. Under an ASan build
// of the server, add ASAN_OPTIONS=verify_asan_link_order=0 (the preloaded library comes before the
// ASan runtime in the link order).
//
// What it models. Bytes written to the main database, the WAL, a rollback or super journal
// (xWrite) and truncations (xTruncate) are held in memory, as a page cache holds them, and reach
// the real file only when SQLite calls xSync on that file: the sync applies the pending truncate,
// writes the pending ranges, then fsyncs. Until then every handle in the process reads the file as
// the process would see it: the real content overlaid with the pending writes. The pending state is
// per path, shared by all handles open on that path, as the page cache is shared by all file
// descriptors (a reader connection must see the frames the writer connection appended to the WAL).
// When the process is killed, everything not yet synced is gone, and the real files hold exactly
// what a power failure would have left if the disk wrote nothing it was not asked to sync.
// Handles may be used from any thread: each path's pending state has a mutex, held across a read
// or a flush so that a reader never sees half of one; the table of open paths has another.
//
// What it does not model. A power failure may also persist some unsynced writes, in any order, or
// tear a sector; here none persist. Directory entries are not modelled: a created or deleted file
// is created or deleted at once, as if the directory were synced. The WAL-index (-shm) is shared
// memory and not durable state; it passes through (SQLite rebuilds it after a crash). Temporary
// files pass through unchanged. Another process sees only what has been synced. When the last
// handle on a path closes with bytes still pending they are dropped, as if the power failed then;
// SQLite syncs before it closes a file whose content it relies on, except with synchronous=OFF.
// Memory-mapped I/O is disabled (the wrapped io_methods report version 2, without xFetch).
//
// This library calls sqlite3_initialize() from its constructor (through sqlite3_vfs_find), after
// which sqlite3_config() fails with SQLITE_MISUSE. Nothing under src/ calls sqlite3_config() (as of
// this writing); if the server ever does, it must tolerate that or register this VFS itself.

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <unordered_map>

namespace {

// The file types whose content SQLite relies on after a crash. Temporary files pass through.
constexpr int kDurableTypes =
    SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_WAL | SQLITE_OPEN_SUPER_JOURNAL;
constexpr size_t kMaxWriteChunk = size_t{1} << 26;

// What the process has written to one path since the last sync reached the real file.
class PendingFile {
 public:
  explicit PendingFile(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }
  std::mutex& mu() { return mu_; }

  // All members below require mu().
  void Write(sqlite3_int64 off, const char* p, sqlite3_int64 n) {
    if (n <= 0) return;  // an empty write does not extend a file
    auto it = extents_.upper_bound(off);
    if (it != extents_.begin() && Last(std::prev(it)) >= off) {
      --it;  // extend the range that reaches `off`, so appends stay one string
    } else {
      it = extents_.emplace_hint(it, off, std::string());
    }
    std::string& s = it->second;
    size_t at = static_cast<size_t>(off - it->first);
    if (s.size() < at + static_cast<size_t>(n)) s.resize(at + static_cast<size_t>(n));
    std::memcpy(s.data() + at, p, static_cast<size_t>(n));
    // Absorb the ranges the new bytes reach or touch; what they hold past the new bytes survives.
    for (auto next = std::next(it); next != extents_.end() && next->first <= Last(it);) {
      if (Last(next) > Last(it)) {
        s.append(next->second, static_cast<size_t>(Last(it) - next->first));
      }
      next = extents_.erase(next);
    }
  }

  void Truncate(sqlite3_int64 size) {
    keep_real_ = truncated_ ? std::min(keep_real_, size) : size;
    base_size_ = size;
    truncated_ = true;
    extents_.erase(extents_.lower_bound(size), extents_.end());
    if (!extents_.empty() && Last(std::prev(extents_.end())) > size) {
      auto last = std::prev(extents_.end());
      last->second.resize(static_cast<size_t>(size - last->first));
    }
  }

  sqlite3_int64 Size(sqlite3_int64 real_size) const {
    sqlite3_int64 size = truncated_ ? base_size_ : real_size;
    if (!extents_.empty()) size = std::max(size, Last(std::prev(extents_.end())));
    return size;
  }

  // Real bytes below the pending truncate, zeros after them, pending writes on top.
  int Read(sqlite3_file* real, char* out, int amt, sqlite3_int64 off) const {
    sqlite3_int64 real_size = 0;
    int rc = real->pMethods->xFileSize(real, &real_size);
    if (rc != SQLITE_OK) return rc;
    std::memset(out, 0, static_cast<size_t>(amt));
    sqlite3_int64 visible = truncated_ ? std::min(real_size, keep_real_) : real_size;
    if (off < visible) {
      int n = static_cast<int>(std::min<sqlite3_int64>(amt, visible - off));
      rc = real->pMethods->xRead(real, out, n, off);
      if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) return rc;
    }
    sqlite3_int64 end = off + amt;
    auto it = extents_.upper_bound(off);
    if (it != extents_.begin()) --it;
    for (; it != extents_.end() && it->first < end; ++it) {
      sqlite3_int64 from = std::max(off, it->first), to = std::min(end, Last(it));
      if (from < to) {
        std::memcpy(out + (from - off), it->second.data() + (from - it->first),
                    static_cast<size_t>(to - from));
      }
    }
    return end > Size(real_size) ? SQLITE_IOERR_SHORT_READ : SQLITE_OK;
  }

  // Writes what is pending to the real file, in offset order, after the pending truncate. On an
  // error what was not written stays pending (writing it again is harmless).
  int Flush(sqlite3_file* real, sqlite3_int64* flushed) {
    if (truncated_) {
      int rc = real->pMethods->xTruncate(real, keep_real_);
      if (rc == SQLITE_OK && base_size_ != keep_real_) {
        rc = real->pMethods->xTruncate(real, base_size_);
      }
      if (rc != SQLITE_OK) return rc;
      truncated_ = false;
    }
    while (!extents_.empty()) {
      auto it = extents_.begin();
      const std::string& s = it->second;
      for (size_t done = 0; done < s.size();) {
        int n = static_cast<int>(std::min(s.size() - done, kMaxWriteChunk));
        int rc = real->pMethods->xWrite(real, s.data() + done, n, it->first + done);
        if (rc != SQLITE_OK) return rc;
        done += n;
      }
      *flushed += static_cast<sqlite3_int64>(s.size());
      extents_.erase(it);
    }
    return SQLITE_OK;
  }

  bool HasBytes() const { return !extents_.empty() || (truncated_ && base_size_ > 0); }

 private:
  using Extents = std::map<sqlite3_int64, std::string>;  // disjoint ranges keyed by offset
  static sqlite3_int64 Last(Extents::const_iterator it) {
    return it->first + static_cast<sqlite3_int64>(it->second.size());
  }

  const std::string name_;
  std::mutex mu_;
  Extents extents_;
  bool truncated_ = false;
  sqlite3_int64 keep_real_ = 0;  // with truncated_: real bytes at or past this read as zeros
  sqlite3_int64 base_size_ = 0;  // with truncated_: the size the truncate left
};

// A wrapped durable file. The underlying VFS's file follows it in the same allocation.
struct PowerlossFile {
  sqlite3_file base;
  sqlite3_file* real;
  std::shared_ptr<PendingFile> pending;
};

sqlite3_vfs* g_real = nullptr;  // set once, before registration
sqlite3_vfs g_vfs;
int g_log_fd = -1;

// Paths with an open handle. Leaked on purpose: connections may close during static destruction.
std::mutex& FilesMu() {
  static auto* mu = new std::mutex;
  return *mu;
}
std::unordered_map<std::string, std::weak_ptr<PendingFile>>& Files() {
  static auto* files = new std::unordered_map<std::string, std::weak_ptr<PendingFile>>;
  return *files;
}

PowerlossFile* Wrapper(sqlite3_file* f) { return reinterpret_cast<PowerlossFile*>(f); }
sqlite3_file* Real(sqlite3_file* f) { return Wrapper(f)->real; }

// ---- io_methods ----

int Close(sqlite3_file* f) {
  PowerlossFile* w = Wrapper(f);
  int rc = w->real->pMethods->xClose(w->real);
  std::lock_guard<std::mutex> lock(FilesMu());
  std::string name = w->pending->name();
  w->~PowerlossFile();  // the last handle drops whatever is still pending
  auto it = Files().find(name);
  if (it != Files().end() && it->second.expired()) Files().erase(it);
  return rc;
}

int Read(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
  PendingFile& p = *Wrapper(f)->pending;
  std::lock_guard<std::mutex> lock(p.mu());
  return p.Read(Real(f), static_cast<char*>(buf), amt, off);
}

int Write(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
  PendingFile& p = *Wrapper(f)->pending;
  std::lock_guard<std::mutex> lock(p.mu());
  p.Write(off, static_cast<const char*>(buf), amt);
  return SQLITE_OK;
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  PendingFile& p = *Wrapper(f)->pending;
  std::lock_guard<std::mutex> lock(p.mu());
  p.Truncate(size);
  return SQLITE_OK;
}

int Sync(sqlite3_file* f, int flags) {
  PendingFile& p = *Wrapper(f)->pending;
  sqlite3_int64 flushed = 0;
  {
    std::lock_guard<std::mutex> lock(p.mu());
    int rc = p.Flush(Real(f), &flushed);
    if (rc != SQLITE_OK) return rc;
  }
  if (g_log_fd >= 0) {
    std::string line = "sync " + p.name() + " " + std::to_string(flushed) + "\n";
    (void)!::write(g_log_fd, line.data(), line.size());  // O_APPEND: one line per write
  }
  return Real(f)->pMethods->xSync(Real(f), flags);
}

int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  PendingFile& p = *Wrapper(f)->pending;
  std::lock_guard<std::mutex> lock(p.mu());
  sqlite3_int64 real_size = 0;
  int rc = Real(f)->pMethods->xFileSize(Real(f), &real_size);
  if (rc == SQLITE_OK) *size = p.Size(real_size);
  return rc;
}

int FileControl(sqlite3_file* f, int op, void* arg) {
  // The unix VFS would grow the real file outside a sync; a size hint may be ignored.
  if (op == SQLITE_FCNTL_SIZE_HINT) return SQLITE_OK;
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}

int DeviceCharacteristics(sqlite3_file* f) {
  // Batch-atomic writes would be promised by the device, not by this buffer: never offer them.
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f)) & ~SQLITE_IOCAP_BATCH_ATOMIC;
}

int Lock(sqlite3_file* f, int l) { return Real(f)->pMethods->xLock(Real(f), l); }
int Unlock(sqlite3_file* f, int l) { return Real(f)->pMethods->xUnlock(Real(f), l); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int del) { return Real(f)->pMethods->xShmUnmap(Real(f), del); }

// Version 2: shared memory for WAL, no xFetch/xUnfetch, so SQLite never memory-maps the file.
// Version 1 only over a VFS without shared memory (not the unix VFS).
// clang-format off
const sqlite3_io_methods kIoMethods = {
    2, Close, Read, Write, Truncate, Sync, FileSize, Lock, Unlock, CheckReservedLock, FileControl,
    SectorSize, DeviceCharacteristics, ShmMap, ShmLock, ShmBarrier, ShmUnmap, nullptr, nullptr};
const sqlite3_io_methods kIoMethodsNoShm = {
    1, Close, Read, Write, Truncate, Sync, FileSize, Lock, Unlock, CheckReservedLock, FileControl,
    SectorSize, DeviceCharacteristics, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};
// clang-format on

// ---- VFS methods ----

int Open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  if (name == nullptr || (flags & kDurableTypes) == 0) {
    return g_real->xOpen(g_real, name, f, flags, out_flags);  // the real file in our slot
  }
  auto* w = new (f) PowerlossFile{};
  w->real = reinterpret_cast<sqlite3_file*>(w + 1);
  int rc = g_real->xOpen(g_real, name, w->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    w->~PowerlossFile();
    f->pMethods = nullptr;
    return rc;
  }
  {
    std::lock_guard<std::mutex> lock(FilesMu());
    std::weak_ptr<PendingFile>& slot = Files()[name];
    w->pending = slot.lock();
    if (!w->pending) {
      w->pending = std::make_shared<PendingFile>(name);
      slot = w->pending;
    }
  }
  f->pMethods = w->real->pMethods->iVersion >= 2 ? &kIoMethods : &kIoMethodsNoShm;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  {
    // A file created later under this name starts empty; open handles keep the old one.
    std::lock_guard<std::mutex> lock(FilesMu());
    Files().erase(name);
  }
  return g_real->xDelete(g_real, name, sync_dir);
}

int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  int rc = g_real->xAccess(g_real, name, flags, out);
  if (rc != SQLITE_OK || flags != SQLITE_ACCESS_EXISTS || *out) return rc;
  // The unix VFS reports an empty file as absent; one whose bytes are pending is not empty.
  std::shared_ptr<PendingFile> p;
  {
    std::lock_guard<std::mutex> lock(FilesMu());
    auto it = Files().find(name);
    if (it != Files().end()) p = it->second.lock();
  }
  if (p) {
    std::lock_guard<std::mutex> lock(p->mu());
    *out = p->HasBytes() ? 1 : 0;
  }
  return rc;
}

int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void DlError(sqlite3_vfs*, int n, char* msg) { g_real->xDlError(g_real, n, msg); }
void (*DlSym(sqlite3_vfs*, void* h, const char* sym))(void) {
  return g_real->xDlSym(g_real, h, sym);
}
void DlClose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int Randomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int Sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int CurrentTime(sqlite3_vfs*, double* t) { return g_real->xCurrentTime(g_real, t); }
int GetLastError(sqlite3_vfs*, int n, char* msg) { return g_real->xGetLastError(g_real, n, msg); }
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* t) {
  return g_real->xCurrentTimeInt64(g_real, t);
}
int SetSystemCall(sqlite3_vfs*, const char* name, sqlite3_syscall_ptr p) {
  return g_real->xSetSystemCall(g_real, name, p);
}
sqlite3_syscall_ptr GetSystemCall(sqlite3_vfs*, const char* name) {
  return g_real->xGetSystemCall(g_real, name);
}
const char* NextSystemCall(sqlite3_vfs*, const char* name) {
  return g_real->xNextSystemCall(g_real, name);
}

int RegisterOnce() {
  g_real = sqlite3_vfs_find(nullptr);  // initializes SQLite
  if (g_real == nullptr) return SQLITE_ERROR;
  g_vfs = sqlite3_vfs{};
  g_vfs.iVersion = std::min(g_real->iVersion, 3);
  g_vfs.szOsFile = static_cast<int>(sizeof(PowerlossFile)) + g_real->szOsFile;
  g_vfs.mxPathname = g_real->mxPathname;
  g_vfs.zName = "powerloss";
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
  if (g_vfs.iVersion >= 2) g_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  if (g_vfs.iVersion >= 3) {
    g_vfs.xSetSystemCall = SetSystemCall;
    g_vfs.xGetSystemCall = GetSystemCall;
    g_vfs.xNextSystemCall = NextSystemCall;
  }
  if (const char* log = std::getenv("EDGESQL_POWERLOSS_VFS_LOG"); log && *log) {
    g_log_fd = ::open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  }
  return sqlite3_vfs_register(&g_vfs, 1);
}

}  // namespace

// Registers the VFS "powerloss" as SQLite's default, wrapping the previous default. Idempotent;
// returns an SQLite result code.
extern "C" __attribute__((visibility("default"))) int edgesql_powerloss_vfs_register() {
  static const int rc = RegisterOnce();
  return rc;
}

namespace {

// A fault test that asked for the VFS and silently ran without it would prove nothing: abort.
__attribute__((constructor)) void RegisterFromEnvironment() {
  const char* on = std::getenv("EDGESQL_POWERLOSS_VFS");
  if (on == nullptr || std::strcmp(on, "1") != 0) return;
  int rc = edgesql_powerloss_vfs_register();
  if (rc != SQLITE_OK) {
    std::fprintf(stderr, "edgesql powerloss vfs: registration failed: %s\n", sqlite3_errstr(rc));
    std::abort();
  }
  std::fprintf(stderr, "edgesql powerloss vfs: default VFS is now \"powerloss\" over \"%s\"\n",
               g_real->zName);
}

}  // namespace
