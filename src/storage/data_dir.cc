#include "storage/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "common/errors.h"

namespace edgesql::storage {
namespace {

constexpr std::string_view kFormatLine = "edgesql-data 1\n";

SqlError OsError(const std::string& path, int err) {
  return errors::Make(errors::kCannotOpenFile, {path, std::to_string(err), std::strerror(err)});
}

Status MakeDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) return OsError(path, errno);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return OsError(path, errno);
  if (!S_ISDIR(st.st_mode)) return OsError(path, ENOTDIR);
  return Status::Ok();
}

Result<std::string> ReadSmallFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return OsError(path, errno);
  char buf[256];
  ssize_t n = ::read(fd, buf, sizeof(buf));
  int err = errno;
  ::close(fd);
  if (n < 0) return OsError(path, err);
  return std::string(buf, static_cast<size_t>(n));
}

Status WriteFileDurably(const std::string& path, std::string_view content) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return OsError(tmp, errno);
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  int err = errno;
  ::close(fd);
  if (!ok) return OsError(tmp, err);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return OsError(path, errno);
  return Status::Ok();
}

}  // namespace

DataDirectory::~DataDirectory() {
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

Result<std::unique_ptr<DataDirectory>> DataDirectory::Open(const std::string& path) {
  EDGESQL_RETURN_IF_ERROR(MakeDir(path));

  // The lock comes first: nothing else in the directory is touched without it.
  std::string lock_path = path + "/edgesql.lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return OsError(lock_path, errno);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    char pid[32] = {0};
    ssize_t n = ::pread(fd, pid, sizeof(pid) - 1, 0);
    ::close(fd);
    if (err == EWOULDBLOCK) {
      std::string holder = n > 0 ? std::string(pid, static_cast<size_t>(n)) : "unknown";
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
      return errors::Make(
          errors::kCannotOpenFile,
          {lock_path, std::to_string(EWOULDBLOCK),
           "the data directory is in use by another edgesql server (pid " + holder + ")"});
    }
    return OsError(lock_path, err);
  }
  // Record our PID for the error message a second server prints. Not synced: it is advisory.
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    int err = errno;
    ::close(fd);
    return OsError(lock_path, err);
  }

  std::unique_ptr<DataDirectory> dir(new DataDirectory(path, fd, false));
  EDGESQL_RETURN_IF_ERROR(MakeDir(path + "/db"));
  EDGESQL_RETURN_IF_ERROR(MakeDir(path + "/tls"));

  std::string format_path = path + "/FORMAT";
  if (::access(format_path.c_str(), F_OK) != 0) {
    dir->needs_init_ = true;
  } else {
    EDGESQL_ASSIGN_OR_RETURN(std::string format, ReadSmallFile(format_path));
    if (format != kFormatLine) {
      return errors::Make(errors::kCannotOpenFile,
                          {format_path, "0", "unknown data directory format '" + format + "'"});
    }
  }
  return dir;
}

Status DataDirectory::MarkInitialized() {
  EDGESQL_RETURN_IF_ERROR(SyncDirectory(path_ + "/db"));
  EDGESQL_RETURN_IF_ERROR(SyncDirectory(path_ + "/tls"));
  EDGESQL_RETURN_IF_ERROR(WriteFileDurably(path_ + "/FORMAT", kFormatLine));
  EDGESQL_RETURN_IF_ERROR(SyncDirectory(path_));
  needs_init_ = false;
  return Status::Ok();
}

std::string DataDirectory::DatabasePath(int64_t database_id) const {
  char name[32];
  std::snprintf(name, sizeof(name), "/db/%08lld.sqlite", static_cast<long long>(database_id));
  return path_ + name;
}

Status DataDirectory::EnsureRunDirectory(const std::string& dir) {
  // DIR's parents too, as `mkdir -p` would: the supervisor runs before anything else exists.
  for (size_t slash = dir.find('/', 1); slash != std::string::npos;
       slash = dir.find('/', slash + 1)) {
    std::string parent = dir.substr(0, slash);
    if (::mkdir(parent.c_str(), 0755) != 0 && errno != EEXIST) return OsError(parent, errno);
  }
  for (const std::string& d : {dir, RunPath(dir)}) {
    if (::mkdir(d.c_str(), 0700) != 0 && errno != EEXIST) return OsError(d, errno);
  }
  return Status::Ok();
}

Status DataDirectory::SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return OsError(dir, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return OsError(dir, err);
  return Status::Ok();
}

}  // namespace edgesql::storage
