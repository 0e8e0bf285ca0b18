// Database: one open SQL Server database, i.e. one SQLite file with its writer lane, its pool of
// reader connections and its published catalog snapshot.
//
// Catalog snapshots and SQLite snapshots must agree, or a statement would be bound against a
// schema that its connection does not see. The rule:
//   - published_catalog() reflects the last committed schema; it is replaced, while the writer is
//     still held, after any commit that changed schema_version (OnCommitted).
//   - a reader opens its read transaction first, then compares PRAGMA schema_version with the
//     published snapshot and loads a private snapshot in the rare case they differ.
//   - the writer does the same inside its transaction, so uncommitted DDL is seen by the
//     transaction that made it and by nobody else.
//
// Identity values are handed out from in-memory counters (SQL Server's identity is not
// transactional: a rolled-back insert leaves a gap) and persisted with each inserting statement.
//
// Thread-safe: the lane and pool synchronize themselves; the catalog pointer and identity counters
// are guarded by mutexes.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "engine/catalog.h"
#include "engine/writer_lane.h"
#include "storage/sqlite_conn.h"

namespace edgesql::engine {

class Database;

// A reader connection borrowed from the pool; returned when the lease is destroyed.
class ReaderLease {
 public:
  ReaderLease() = default;
  ReaderLease(Database* db, std::unique_ptr<storage::SqliteConnection> conn)
      : db_(db), conn_(std::move(conn)) {}
  ReaderLease(ReaderLease&&) noexcept = default;
  ReaderLease& operator=(ReaderLease&& other) noexcept;
  ~ReaderLease();
  storage::SqliteConnection& operator*() { return *conn_; }
  storage::SqliteConnection* operator->() { return conn_.get(); }

 private:
  Database* db_ = nullptr;
  std::unique_ptr<storage::SqliteConnection> conn_;
};

class Database {
 public:
  ~Database();

  // Opens the database file; with `create`, creates it and its catalog tables first.
  static Result<std::unique_ptr<Database>> Open(int64_t id, std::string name, std::string path,
                                                bool create,
                                                storage::SqliteConnection::RegisterHook hook);

  int64_t id() const { return id_; }
  const std::string& name() const { return name_; }
  const std::string& path() const { return path_; }
  WriterLane& lane() { return *lane_; }

  Result<ReaderLease> AcquireReader();

  std::shared_ptr<const Catalog> published_catalog() const;
  // The catalog matching what `conn` sees right now (inside its transaction).
  Result<std::shared_ptr<const Catalog>> CatalogFor(storage::SqliteConnection& conn);
  // Called with the writer after every successful commit: publishes the new catalog if the
  // schema changed.
  Status OnCommitted(storage::SqliteConnection& writer);

  // Loads `table`'s identity counter if needed: call on the writer before a statement that may
  // insert into it. The counter continues after the larger of the persisted last value and the
  // largest value in the column (so a restart never hands out a value twice).
  Status PrepareIdentity(storage::SqliteConnection& writer, const TableInfo& table);
  // The next identity value of a prepared table (called per inserted row, from the SQL function
  // es_identity). Fails with 8115 when the column's type would overflow.
  Result<int64_t> NextIdentity(int64_t object_id);
  // The last identity value handed out for `table`, if any (IDENT_CURRENT).
  std::optional<int64_t> CurrentIdentity(int64_t object_id) const;
  // Makes later identity values continue after `value` if it is beyond the current one
  // (explicit values under IDENTITY_INSERT ON, as SQL Server does).
  void ObserveIdentity(int64_t object_id, int64_t value, int64_t increment);
  // TRUNCATE TABLE: the next value is the seed again.
  void ResetIdentity(int64_t object_id);

  // Sessions whose current database this is (DROP DATABASE refuses while non-zero: 3702).
  void AddUser() { users_++; }
  void RemoveUser() { users_--; }
  int users() const { return users_.load(); }

 private:
  friend class ReaderLease;
  Database(int64_t id, std::string name, std::string path,
           storage::SqliteConnection::RegisterHook hook)
      : id_(id), name_(std::move(name)), path_(std::move(path)), hook_(std::move(hook)) {}
  void ReturnReader(std::unique_ptr<storage::SqliteConnection> conn);

  // Readers kept open between uses. Opening one costs far more than a query (pragmas, functions,
  // an empty statement cache, a new memory map), so the pool covers the number of sessions that
  // read at once under load (measured: with 16, 32 clients doing point selects spent most of
  // the server's time opening and closing readers).
  static constexpr size_t kMaxIdleReaders = 64;

  const int64_t id_;
  const std::string name_;
  const std::string path_;
  const storage::SqliteConnection::RegisterHook hook_;
  std::unique_ptr<WriterLane> lane_;

  mutable std::mutex mu_;
  std::shared_ptr<const Catalog> published_;
  std::vector<std::unique_ptr<storage::SqliteConnection>> idle_readers_;
  struct IdentityCounter {
    int64_t last = 0;
    bool any = false;  // false until a value exists (the next one is then the seed)
    // The column's identity specification and type range, captured by PrepareIdentity.
    bool prepared = false;
    int64_t seed = 1;
    int64_t increment = 1;
    int64_t min = 0;
    int64_t max = 0;
    std::string type_name;
  };
  std::unordered_map<int64_t, IdentityCounter> identity_;
  std::atomic<int> users_{0};
};

}  // namespace edgesql::engine
