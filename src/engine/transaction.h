// TransactionState: a session's transaction, with SQL Server's semantics on top of edgesql's
// storage model.
//
// SQL Server rules kept here: BEGIN TRAN increments @@TRANCOUNT and only the outermost one starts
// a transaction (ENVCHANGE 8 with a new descriptor); COMMIT decrements it and only the last one
// commits (ENVCHANGE 9); ROLLBACK without a savepoint name rolls everything back and sets
// @@TRANCOUNT to 0 (ENVCHANGE 10); ROLLBACK savepoint undoes to the savepoint and leaves the
// count alone; SAVE TRAN needs an open transaction (628); COMMIT/ROLLBACK with none are 3902/3903.
//
// Storage model (DESIGN.md):
//
//   no transaction ---BEGIN---> reading ---first write---> writing ---COMMIT/ROLLBACK---> none
//          |                       |  (statement snapshots)    (owns the writer lane)
//          |                       +---COMMIT/ROLLBACK---------------------------------> none
//          +-- autocommit write: one group-committed statement on the lane
//
// READ COMMITTED (and READ UNCOMMITTED) read committed snapshots statement by statement, which is
// SQL Server's READ_COMMITTED_SNAPSHOT behaviour. REPEATABLE READ and SERIALIZABLE take the lane
// at the transaction's first statement, so nothing else commits while it runs. SNAPSHOT reads one
// snapshot for the whole transaction; its first write fails with 3960 if another transaction
// committed since that snapshot began (SQL Server's update-conflict rule, made coarser: any
// commit to the database counts).
//
// Every statement inside a writing transaction runs under its own SQLite savepoint, so a failed
// statement is undone alone (statement atomicity) and the transaction goes on.
//
// Used by its session's thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/database.h"
#include "engine/result_sink.h"
#include "engine/writer_lane.h"
#include "tsql/statement.h"

namespace edgesql::engine {

class Session;

class TransactionState {
 public:
  explicit TransactionState(Session& session) : s_(session) {}
  ~TransactionState();

  int trancount() const { return trancount_; }
  bool active() const { return trancount_ > 0; }
  uint64_t descriptor() const { return active() ? descriptor_ : 0; }
  // Whether the transaction has written (owns a writer lane).
  bool writing() const { return lane_db_ != nullptr; }
  // An error under XACT_ABORT inside TRY dooms the transaction ("XACT_STATE (Transact-SQL)"): it
  // stays open for reads, but writes and COMMIT fail with 3930 until it is rolled back.
  void Doom() {
    if (active()) doomed_ = true;
  }
  bool doomed() const { return doomed_ && active(); }
  // XACT_STATE(): 1 active and committable, -1 doomed, 0 none.
  int XactState() const { return !active() ? 0 : doomed_ ? -1 : 1; }

  Status Begin(ResultSink& sink, std::string_view name = {});
  Status Commit(ResultSink& sink);
  // Rolls back to the savepoint `name` if there is one, otherwise (empty name or the
  // transaction's own name) the whole transaction.
  Status Rollback(ResultSink& sink, std::string_view name);
  Status Save(std::string_view name);
  // Rolls back whatever is open (XACT_ABORT, fatal errors, disconnect). `sink` may be null when
  // the client is gone.
  void Abort(ResultSink* sink);

  using Work = std::function<Status(storage::SqliteConnection&)>;
  // Runs one statement's storage work on the right connection (see the state diagram):
  // reads on a reader snapshot or on the owned writer, writes group-committed or on the owned
  // writer under a statement savepoint. `wait` bounds lock waits.
  Status Run(Database& db, bool write, const LaneWait& wait, const Work& work);

 private:
  Status EnsureWriting(Database& db, const LaneWait& wait);
  Status RunOnReader(Database& db, const Work& work);
  Status RunOnWriter(const Work& work);
  void EndStorage();

  Session& s_;
  int trancount_ = 0;
  uint64_t descriptor_ = 0;
  std::string name_;  // BEGIN TRAN name
  bool doomed_ = false;
  Database* lane_db_ = nullptr;          // the database whose lane this transaction owns
  std::vector<std::string> savepoints_;  // SAVE TRAN names, oldest first
  size_t savepoints_applied_ = 0;        // how many exist as SQLite savepoints on the writer
  // SNAPSHOT isolation: the reader holding the snapshot, and the lane's commit count when it
  // was taken.
  ReaderLease snapshot_;
  Database* snapshot_db_ = nullptr;
  uint64_t snapshot_commits_ = 0;
};

}  // namespace edgesql::engine
