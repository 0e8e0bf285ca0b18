// DataDirectory: the on-disk home of one edgesql instance, and the guarantee that only one server
// process writes it (invariant 2 of DESIGN.md).
//
// Layout (docs/storage-format.md):
//   DIR/edgesql.lock       exclusive lock (flock) held for the life of the server; holds its PID
//   DIR/FORMAT             "edgesql-data 1": written last at initialization, so a directory
//                          without it was never completely initialized and is initialized again
//   DIR/master.sqlite      the master database: logins and the catalog of databases
//   DIR/db/NNNNNNNN.sqlite one file per user database, named only by its numeric database_id
//   DIR/tls/cert.pem, DIR/tls/key.pem   the self-signed pair generated on first start
//   DIR/run/               runtime files, not data (mode 0700):
//     control.sock         the server's health endpoint on a Unix socket (edgesql probe, and
//                          the supervisor's liveness probe); bound by the supervisor when there
//                          is one, else by the server
//     supervisor.lock      held by the running `edgesql up` (one supervisor per directory)
//     server.pid           the current server generation's PID (written by the supervisor)
//     status.json          the supervisor's status and its server generations (edgesql status)
// Database names never become paths: the catalog maps a name to its id, the id to a file name.
//
// Open() takes the lock before touching anything else; a second server on the same directory gets
// a clear error naming the holder's PID and exits. The lock is released by the kernel when the
// process dies (kill -9 included), so a restarted server can take it at once.
// Not thread-safe to construct; the accessors are const and thread-safe afterwards.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace edgesql::storage {

class DataDirectory {
 public:
  ~DataDirectory();
  DataDirectory(const DataDirectory&) = delete;
  DataDirectory& operator=(const DataDirectory&) = delete;

  // Creates DIR if needed, takes the exclusive lock, and reports whether the directory still
  // needs initialization (no FORMAT marker). Fails if another process holds the lock, if DIR is
  // not usable, or if FORMAT names an unknown format.
  static Result<std::unique_ptr<DataDirectory>> Open(const std::string& path);

  const std::string& path() const { return path_; }
  bool needs_initialization() const { return needs_init_; }

  // Writes the FORMAT marker durably (file and directory fsync'd): call after the master
  // database and TLS material exist.
  Status MarkInitialized();

  std::string MasterPath() const { return path_ + "/master.sqlite"; }
  // The file of a user database; database_id comes from the master catalog.
  std::string DatabasePath(int64_t database_id) const;
  std::string TlsCertPath() const { return path_ + "/tls/cert.pem"; }
  std::string TlsKeyPath() const { return path_ + "/tls/key.pem"; }

  // Runtime files (layout above). These are static: the supervisor needs them before (and
  // without) taking the data-directory lock, which belongs to the server.
  static std::string RunPath(const std::string& dir) { return dir + "/run"; }
  static std::string ControlSocketPath(const std::string& dir) {
    return RunPath(dir) + "/control.sock";
  }
  static std::string SupervisorLockPath(const std::string& dir) {
    return RunPath(dir) + "/supervisor.lock";
  }
  static std::string ServerPidPath(const std::string& dir) { return RunPath(dir) + "/server.pid"; }
  static std::string StatusPath(const std::string& dir) { return RunPath(dir) + "/status.json"; }
  // Creates DIR and DIR/run (mode 0700) if needed.
  static Status EnsureRunDirectory(const std::string& dir);

  // fsyncs a directory so that file creations and renames in it survive power loss.
  static Status SyncDirectory(const std::string& dir);

 private:
  DataDirectory(std::string path, int lock_fd, bool needs_init)
      : path_(std::move(path)), lock_fd_(lock_fd), needs_init_(needs_init) {}

  std::string path_;
  int lock_fd_ = -1;
  bool needs_init_ = false;
};

}  // namespace edgesql::storage
