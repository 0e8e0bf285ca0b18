#include "storage/sqlite_conn.h"

#include "common/errors.h"
#include "common/log.h"

namespace edgesql::storage {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// The checkpoint policy, which bounds the WAL and with it the recovery work of the next start
// (SQLite reads the whole WAL to rebuild its index after a crash). After each commit, on the
// committing connection (in the writer lane's turn, after the commit is durable):
//   - from kPassiveFrames frames (4 MB) on, a PASSIVE checkpoint copies what no reader still needs
//     into the database file, without waiting (SQLite's own autocheckpoint does the same);
//   - from kRestartFrames frames (16 MB) on, a RESTART checkpoint waits up to kRestartWaitMs for
//     the readers of older snapshots to finish, checkpoints everything, and makes the next commit
//     start the WAL over. Without it, readers whose snapshots overlap without end (a steady read
//     load) keep every PASSIVE checkpoint from completing and the WAL grows without bound: a
//     1,000-kill fault run reached about a second of recovery per restart that way. A snapshot
//     held for long (an open SNAPSHOT transaction) makes the RESTART fail; it is tried again
//     only after kRestartRetryFrames more frames, so writers lose at most kRestartWaitMs per
//     4 MB of log meanwhile.
constexpr int kPassiveFrames = 1000;
constexpr int kRestartFrames = 4096;
constexpr int kRestartRetryFrames = 1024;
constexpr int kRestartWaitMs = 50;

}  // namespace
namespace {

// How many VM instructions run between interrupt checks: small enough that cancellation is felt
// within a millisecond, large enough that the check costs nothing measurable.
constexpr int kProgressInterval = 4096;

}  // namespace

// ---- Statement ----

Status Statement::Bind(int index, const StoredValue& v) {
  int rc = SQLITE_OK;
  switch (v.cls) {
    case StorageClass::kNull:
      rc = sqlite3_bind_null(stmt_, index);
      break;
    case StorageClass::kInteger:
      rc = sqlite3_bind_int64(stmt_, index, v.i);
      break;
    case StorageClass::kReal:
      rc = sqlite3_bind_double(stmt_, index, v.d);
      break;
    case StorageClass::kText:
      rc = sqlite3_bind_text64(stmt_, index, v.bytes.data(), v.bytes.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
      break;
    case StorageClass::kBlob:
      rc = sqlite3_bind_blob64(stmt_, index, v.bytes.data(), v.bytes.size(), SQLITE_TRANSIENT);
      break;
  }
  if (rc != SQLITE_OK) return conn_->MapError(rc);
  return Status::Ok();
}

Status Statement::BindInt(int index, int64_t v) {
  int rc = sqlite3_bind_int64(stmt_, index, v);
  if (rc != SQLITE_OK) return conn_->MapError(rc);
  return Status::Ok();
}

Status Statement::BindText(int index, std::string_view v) {
  int rc = sqlite3_bind_text64(stmt_, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) return conn_->MapError(rc);
  return Status::Ok();
}

Status Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) return conn_->MapError(rc);
  return Status::Ok();
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  SqlError err = conn_->MapError(rc);
  sqlite3_reset(stmt_);
  return err;
}

std::string_view Statement::ColumnText(int i) const {
  const unsigned char* p = sqlite3_column_text(stmt_, i);
  int n = sqlite3_column_bytes(stmt_, i);
  if (p == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
}

void Statement::Column(int i, StoredValue* out) const {
  switch (sqlite3_column_type(stmt_, i)) {
    case SQLITE_NULL:
      out->cls = StorageClass::kNull;
      break;
    case SQLITE_INTEGER:
      out->cls = StorageClass::kInteger;
      out->i = sqlite3_column_int64(stmt_, i);
      break;
    case SQLITE_FLOAT:
      out->cls = StorageClass::kReal;
      out->d = sqlite3_column_double(stmt_, i);
      break;
    case SQLITE_TEXT: {
      out->cls = StorageClass::kText;
      const unsigned char* p = sqlite3_column_text(stmt_, i);
      out->bytes.assign(reinterpret_cast<const char*>(p),
                        static_cast<size_t>(sqlite3_column_bytes(stmt_, i)));
      break;
    }
    default: {
      out->cls = StorageClass::kBlob;
      const void* p = sqlite3_column_blob(stmt_, i);
      size_t n = static_cast<size_t>(sqlite3_column_bytes(stmt_, i));
      if (n == 0) {
        out->bytes.clear();
      } else {
        out->bytes.assign(static_cast<const char*>(p), n);
      }
      break;
    }
  }
}

int64_t Statement::Changes() const { return sqlite3_changes64(sqlite3_db_handle(stmt_)); }

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

// ---- SqliteConnection ----

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt->handle());
  int rc = sqlite3_close(db_);
  if (rc != SQLITE_OK) {
    ES_LOG(Error, "storage") << "closing " << path_ << ": " << sqlite3_errstr(rc);
  }
}

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path, Role role,
                                                                 bool create,
                                                                 const RegisterHook& hook) {
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE;
  if (create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return errors::Make(errors::kCannotOpenFile, {path, std::to_string(rc), msg});
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db, role, path));
  sqlite3_extended_result_codes(db, 1);
  // Waits out the brief lock windows SQLite itself creates between connections of one process
  // (a closing WAL connection holds the file's PENDING lock while it checks whether it is the
  // last one; a new connection's SHARED lock is refused meanwhile). Writers never contend here:
  // the writer lane admits one at a time, so this never stands in for lock waits between
  // sessions, which LOCK_TIMEOUT governs.
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // WAL with FULL sync: each commit fsyncs the WAL before returning (DESIGN.md invariant 1).
  // A WAL that outgrew the checkpoint policy (below) is truncated to 16 MB when it is reused.
  // Reads of the database file go through a shared memory map (up to 1 GiB): a page that is in
  // the OS page cache costs no system call and no copy into this connection's own cache, so
  // many reader connections share one copy of the hot pages instead of caching them each.
  std::string setup =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
      "PRAGMA recursive_triggers=ON; PRAGMA cache_size=-8192; PRAGMA journal_size_limit=16777216;"
      "PRAGMA mmap_size=1073741824;";
  if (role == Role::kReader) setup += "PRAGMA query_only=1;";
  EDGESQL_RETURN_IF_ERROR(conn->Exec(setup));
  sqlite3_wal_hook(db, OnWalCommit, conn.get());
  if (hook) EDGESQL_RETURN_IF_ERROR(hook(db, conn.get()));
  return conn;
}

int SqliteConnection::OnWalCommit(void* self, sqlite3* db, const char* name, int frames) {
  auto* conn = static_cast<SqliteConnection*>(self);
  if (frames < conn->last_wal_frames_) conn->next_restart_frames_ = 0;  // the log started over
  conn->last_wal_frames_ = frames;
  if (frames >= kRestartFrames && frames >= conn->next_restart_frames_) {
    sqlite3_busy_timeout(db, kRestartWaitMs);
    int rc = sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    conn->next_restart_frames_ = rc == SQLITE_OK ? 0 : frames + kRestartRetryFrames;
  } else if (frames >= kPassiveFrames) {
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  return SQLITE_OK;
}

Result<Statement*> SqliteConnection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    it->second.stmt->Reset();
    return it->second.stmt.get();
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return MapError(rc);
  if (stmt == nullptr) return errors::Make(errors::kInternalError, {"empty statement prepared"});
  // Evict least recently used statements that are not in the middle of a step until the new one
  // fits. A compiled statement takes memory in proportion to its text (a 1,000-row INSERT of
  // literals holds about 250 KB), so the cache is bounded by text size as well as by count.
  for (auto victim = lru_.rbegin();
       victim != lru_.rend() && (cache_.size() >= kStatementCacheSize ||
                                 cache_bytes_ + sql.size() > kStatementCacheBytes);) {
    auto vit = cache_.find(*victim);
    if (sqlite3_stmt_busy(vit->second.stmt->handle())) {
      ++victim;
      continue;
    }
    sqlite3_finalize(vit->second.stmt->handle());
    cache_bytes_ -= victim->size();
    cache_.erase(vit);
    victim = std::make_reverse_iterator(lru_.erase(std::next(victim).base()));
  }
  cache_bytes_ += sql.size();
  lru_.emplace_front(sql);
  auto [pos, inserted] = cache_.emplace(
      lru_.front(), CacheEntry{std::make_unique<Statement>(this, stmt), lru_.begin()});
  return pos->second.stmt.get();
}

Status SqliteConnection::Exec(std::string_view sql) {
  if (sql.find(';') == std::string_view::npos) {
    // One statement (BEGIN, COMMIT, SAVEPOINT ...): these run around every statement a session
    // executes, so they come from the statement cache instead of being compiled each time.
    EDGESQL_ASSIGN_OR_RETURN(Statement * stmt, Prepare(sql));
    Result<bool> row = false;
    do {
      row = stmt->Step();
    } while (row.ok() && *row);
    stmt->Reset();
    if (!row.ok()) return row.error();
    return Status::Ok();
  }
  std::string text(sql);
  char* msg = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &msg);
  sqlite3_free(msg);
  if (rc != SQLITE_OK) return MapError(rc);
  return Status::Ok();
}

Result<int64_t> SqliteConnection::QueryInt(std::string_view sql) {
  EDGESQL_ASSIGN_OR_RETURN(Statement * stmt, Prepare(sql));
  EDGESQL_ASSIGN_OR_RETURN(bool row, stmt->Step());
  int64_t v = row ? stmt->ColumnInt(0) : 0;
  stmt->Reset();
  return v;
}

void SqliteConnection::SetInterruptCheck(std::function<bool()> check) {
  interrupt_check_ = std::move(check);
  if (interrupt_check_) {
    sqlite3_progress_handler(db_, kProgressInterval, &SqliteConnection::ProgressHandler, this);
  } else {
    sqlite3_progress_handler(db_, 0, nullptr, nullptr);
  }
}

int SqliteConnection::ProgressHandler(void* self) {
  auto* conn = static_cast<SqliteConnection*>(self);
  return conn->interrupt_check_ && conn->interrupt_check_() ? 1 : 0;
}

void SqliteConnection::RaiseFromFunction(sqlite3_context* ctx, SqlError error) {
  std::string msg = error.message;
  function_error_ = std::move(error);
  sqlite3_result_error(ctx, msg.c_str(), static_cast<int>(msg.size()));
}

SqlError SqliteConnection::MapError(int rc) {
  if (function_error_) {
    SqlError err = std::move(*function_error_);
    function_error_.reset();
    last_error_code_ = 0;
    last_error_message_.clear();
    return err;
  }
  int primary = rc & 0xFF;
  std::string detail = sqlite3_errmsg(db_);
  last_error_code_ = rc;
  last_error_message_ = detail;
  switch (primary) {
    case SQLITE_FULL:
      return errors::Make(errors::kFilegroupFull, {"", path_});
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return errors::Make(errors::kOperatingSystemIoError, {"I/O", path_, detail});
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return errors::Make(errors::kDatabaseCorrupt, {path_, detail});
    case SQLITE_READONLY:
      return errors::Make(errors::kReadOnlyDatabase, {path_});
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return errors::Make(errors::kLockTimeout);
    case SQLITE_ERROR:
      // SQLite's own depth limits on the SQL edgesql generated: SQL Server's "nested too
      // deeply" is the error the client can act on.
      if (detail.find("parser stack overflow") != std::string::npos ||
          detail.find("Expression tree is too large") != std::string::npos ||
          detail.find("too many terms in compound SELECT") != std::string::npos) {
        return errors::Make(errors::kNestedTooDeeply);
      }
      return errors::Make(errors::kInternalError,
                          {"SQLite error " + std::to_string(rc) + ": " + detail});
    default:
      // Constraint violations and statement errors reach here; the engine, which knows the
      // catalog, turns SQLITE_CONSTRAINT codes into 2627/2601/515/547 before this fallback.
      return errors::Make(errors::kInternalError,
                          {"SQLite error " + std::to_string(rc) + ": " + detail});
  }
}

}  // namespace edgesql::storage
