// SqliteConnection and Statement: edgesql's only doorway to SQLite.
//
// A connection is opened in one of two roles. The writer (one per database, owned by its writer
// lane) runs every write transaction; readers (pooled) run statements against WAL snapshots with
// query_only set, so a bug can never make a reader write. Every connection runs with WAL and
// synchronous=FULL, so a COMMIT returns only after the WAL is fsync'd (invariant 1), and gets the
// edgesql functions and the CI_AS collation through the registration hook passed to Open.
//
// Prepared statements are cached per connection by SQL text (bounded LRU); Prepare returns a
// statement that is reset and unbound, valid until the next Prepare on the same connection evicts
// it, so callers use one statement at a time per connection or hold the ones they need.
//
// SQLite failures become SqlErrors in exactly one place, MapError. Errors raised by edgesql's SQL
// functions arrive as SqlErrors through the connection's error slot (RaiseFromFunction).
//
// A connection is not thread-safe: one thread uses it at a time (the lane mutex, the reader pool).
// Interrupt() alone may be called from any thread.
#pragma once

#include <sqlite3.h>

#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "types/storage_form.h"

namespace edgesql::storage {

class SqliteConnection;

class Statement {
 public:
  explicit Statement(SqliteConnection* conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}

  sqlite3_stmt* handle() const { return stmt_; }
  int ParameterCount() const { return sqlite3_bind_parameter_count(stmt_); }
  // Binds a storage-form value to the 1-based parameter `index`.
  Status Bind(int index, const StoredValue& v);
  Status BindInt(int index, int64_t v);
  Status BindText(int index, std::string_view v);
  Status BindNull(int index);

  // Steps once: true if a row is available, false when done; an error otherwise.
  Result<bool> Step();
  int ColumnCount() const { return sqlite3_column_count(stmt_); }
  bool ColumnIsNull(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  int64_t ColumnInt(int i) const { return sqlite3_column_int64(stmt_, i); }
  std::string_view ColumnText(int i) const;
  // Reads column i in storage form, reusing out's buffer.
  void Column(int i, StoredValue* out) const;
  // Rows changed by the last INSERT/UPDATE/DELETE this statement ran.
  int64_t Changes() const;
  void Reset();

 private:
  SqliteConnection* conn_;
  sqlite3_stmt* stmt_;
};

class SqliteConnection {
 public:
  enum class Role { kWriter, kReader };
  // Registers functions and collations on a freshly opened handle.
  using RegisterHook = std::function<Status(sqlite3*, SqliteConnection*)>;

  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Opens (creating if `create`) the database file at `path`.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, Role role,
                                                        bool create, const RegisterHook& hook);

  sqlite3* handle() const { return db_; }
  Role role() const { return role_; }
  const std::string& path() const { return path_; }

  // A cached prepared statement for `sql`, reset and with bindings cleared.
  Result<Statement*> Prepare(std::string_view sql);
  // Runs SQL with no results (BEGIN, COMMIT, DDL); may hold several statements. A single
  // statement (no ';') is prepared through the statement cache.
  Status Exec(std::string_view sql);
  // Total size of the cached statements' SQL texts (bounded by kStatementCacheBytes).
  size_t statement_cache_bytes() const { return cache_bytes_; }
  // Runs a statement expected to return one integer (PRAGMA schema_version, ...).
  Result<int64_t> QueryInt(std::string_view sql);
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

  // Cancellation: while `check` is set, SQLite calls it every few thousand VM instructions
  // and aborts the running statement with SQLITE_INTERRUPT when it returns true.
  void SetInterruptCheck(std::function<bool()> check);
  // Thread-safe: makes the statement running now fail with SQLITE_INTERRUPT.
  void Interrupt() { sqlite3_interrupt(db_); }

  // Called by edgesql SQL functions: records `error` and makes SQLite fail the statement.
  void RaiseFromFunction(sqlite3_context* ctx, SqlError error);
  // Turns the SQLite result code `rc` into a SqlError (consuming a pending function error).
  SqlError MapError(int rc);
  // The extended result code and message of the last failure MapError saw, for callers that
  // refine constraint failures (the engine, which knows constraint names). 0 after a function
  // error.
  int last_error_code() const { return last_error_code_; }
  const std::string& last_error_message() const { return last_error_message_; }

  // Opaque per-connection state owned by the layer that registered functions (the engine keeps
  // its function context here: the session being served, identity values, ...).
  void set_user_data(void* p) { user_data_ = p; }
  void* user_data() const { return user_data_; }

 private:
  SqliteConnection(sqlite3* db, Role role, std::string path)
      : db_(db), role_(role), path_(std::move(path)) {}
  static int ProgressHandler(void* self);
  // The checkpoint policy (sqlite_conn.cc), run after each commit.
  static int OnWalCommit(void* self, sqlite3* db, const char* name, int frames);

  struct CacheEntry {
    std::unique_ptr<Statement> stmt;
    std::list<std::string>::iterator lru;
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  static constexpr size_t kStatementCacheSize = 256;
  static constexpr size_t kStatementCacheBytes = 512 * 1024;  // of SQL text

  sqlite3* db_;
  Role role_;
  std::string path_;
  std::unordered_map<std::string, CacheEntry, StringHash, std::equal_to<>> cache_;
  std::list<std::string> lru_;  // most recently used first
  size_t cache_bytes_ = 0;      // total size of the cached statements' texts
  std::function<bool()> interrupt_check_;
  std::optional<SqlError> function_error_;
  int last_error_code_ = 0;
  int next_restart_frames_ = 0;  // WAL size at which a failed RESTART checkpoint is tried again
  int last_wal_frames_ = 0;      // WAL size after the previous commit
  std::string last_error_message_;
  void* user_data_ = nullptr;
};

}  // namespace edgesql::storage
