// WriterLane: the single path by which a database is written, turning SQLite's one-writer rule
// into edgesql's concurrency model (DESIGN.md, "One writer, many readers, made explicit").
//
// The lane owns the database's writer connection. Two kinds of work use it, in FIFO order:
//
// * Autocommit writes (a single INSERT/UPDATE/DELETE/DDL outside an explicit transaction) are
//   group-committed: the first to arrive opens a transaction, and every request that was already
//   waiting when it opened joins the same transaction, each under its own savepoint. One COMMIT
//   (one WAL fsync) then makes the whole group durable, and only then does each member return
//   (invariant 1). The thread that opens a group runs the waiting members' statements itself,
//   one after the other (their threads sleep until theirs has run), so a group costs one thread
//   switch instead of one per member. A member whose statement fails is rolled back to its
//   savepoint and returns its error at once; the others are unaffected. If the COMMIT fails, every
//   member gets the error.
//
// * Explicit transactions take the lane exclusively (Acquire) from their first write until COMMIT
//   or ROLLBACK, as SQL Server's exclusive locks would hold other writers. Waiting honours SET
//   LOCK_TIMEOUT (error 1222) and the client's ATTENTION (error kQueryCancelled). They are
//   group-committed too (Acquire with `join_group`): a transaction runs under its own savepoint
//   in the group's SQLite transaction, its COMMIT releases the savepoint and the lane, and it
//   returns once the group's COMMIT is durable; so the next writer runs while the fsync of the
//   previous ones is still to come, and one fsync serves them all. A ROLLBACK undoes only its own
//   savepoint. Nothing of a group is visible to readers before the group's COMMIT is durable; the
//   writers of the same group see each other's changes, as they run one after the other on the
//   writer connection, and none of them is acknowledged before the group is durable.
//
// Lane states, protected by mu_:
//
//     idle --(autocommit head)--> running member --(done; next head joins)--> group open
//       ^                                |                                        |
//       |                      (no joiner waiting)                     (next member runs)
//       +--------------- committing <-----+----------------------------------------+
//     idle --(exclusive head, group committed first)--> owned --(Commit/Rollback)--> idle
//
// Invariant kept by MaybeCommitLocked after every transition: a group transaction is never left
// open while nobody who will join it is waiting, so no member waits for a commit that never comes.
//
// Thread-safe. The connection is used by one thread at a time: the running member, the committer,
// or the owner of an explicit transaction.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "common/status.h"
#include "storage/sqlite_conn.h"

namespace edgesql::engine {

struct LaneWait {
  int64_t lock_timeout_ms = -1;     // SET LOCK_TIMEOUT: -1 waits forever, 0 does not wait
  std::function<bool()> cancelled;  // polled while waiting; true aborts the wait (ATTENTION)
};

struct LaneStats {
  uint64_t commits = 0;             // durable COMMITs (each one WAL fsync)
  uint64_t grouped_statements = 0;  // autocommit statements made durable by those commits
};

class WriterLane {
 public:
  explicit WriterLane(std::unique_ptr<storage::SqliteConnection> conn);
  ~WriterLane();

  // Runs `work` as one autocommit write statement and returns when it is durable.
  Status RunAutocommit(const std::function<Status(storage::SqliteConnection&)>& work,
                       const LaneWait& wait);

  // Explicit transactions: take the lane for `owner`, use connection() while owning it, and end
  // with Commit (durable on return) or Rollback. A failed Commit rolls back and releases the lane
  // too. With `join_group` the transaction may join an open group (see above); without it (a
  // SNAPSHOT transaction, which must see every commit before it to detect conflicts) it waits
  // for the open group to commit and runs in a group of its own.
  Status Acquire(const void* owner, const LaneWait& wait, bool join_group = false);
  storage::SqliteConnection& connection() { return *conn_; }
  Status Commit(const void* owner);
  void Rollback(const void* owner);
  bool IsOwnedBy(const void* owner) const;

  LaneStats stats() const;

  // Checkpoints the WAL into the database file (PRAGMA wal_checkpoint(mode), mode PASSIVE or
  // TRUNCATE) in the lane's turn, so that no write transaction is open meanwhile. Returns
  // whether every WAL frame was checkpointed (false when a reader still needed some).
  Result<bool> Checkpoint(const char* mode, const LaneWait& wait);

  // Called after every successful COMMIT, still holding the connection (the database publishes a
  // new catalog snapshot there when the schema changed). Set once, before use.
  void SetCommitHook(std::function<void(storage::SqliteConnection&)> hook) {
    commit_hook_ = std::move(hook);
  }

 private:
  struct Ticket {
    uint64_t id;
    bool joins;  // may join an open group (autocommit statements, joining transactions)
    // Signalled when the ticket may be at its turn: only the head of the queue is woken, so a
    // change of the lane's state wakes one thread, not every waiter.
    std::condition_variable turn;
    // Autocommit: the statement, which a combining thread may run for it (RunAutocommit). Once
    // `claimed` the ticket has left the queue and no longer times out; `done` with `result`
    // and `group` when it ran.
    const std::function<Status(storage::SqliteConnection&)>* work = nullptr;
    bool claimed = false;
    bool done = false;
    Status result;
    uint64_t group = 0;
  };

  // Waits until `t` is at the head of the queue and the connection is free (no running member, no
  // owner, for exclusive tickets no open group). On timeout or cancellation, leaves the queue.
  Status WaitForTurnLocked(std::unique_lock<std::mutex>& lock, Ticket* t, const LaneWait& wait);
  void LeaveQueueLocked(std::unique_lock<std::mutex>& lock, Ticket* t);
  // Waits for the lane's turn as an exclusive ticket and makes `owner` its owner; ReleaseLocked
  // gives it up to the next ticket. A `joins` ticket may take it while a group is open.
  Status TakeLocked(std::unique_lock<std::mutex>& lock, const void* owner, const LaneWait& wait,
                    bool joins = false);
  // Opens a group (BEGIN IMMEDIATE) unless one is open, then the member's savepoint `name`.
  // Called by the thread that uses the connection; sets *opened when it opened the group.
  Status EnterGroup(const char* savepoint, bool* opened);
  // Records a group opened by EnterGroup (under mu_).
  void GroupOpenedLocked();
  void ReleaseLocked(std::unique_lock<std::mutex>& lock);
  // Runs one autocommit statement under its savepoint in the open group.
  Status RunMember(const std::function<Status(storage::SqliteConnection&)>& work);
  // Waits until `group` is durable; its COMMIT's error if it failed.
  Status WaitDurableLocked(std::unique_lock<std::mutex>& lock, uint64_t group);
  // Commits the open group unless a waiting request will still join it.
  void MaybeCommitLocked(std::unique_lock<std::mutex>& lock);
  // Wakes the head of the queue to look at the lane's state again.
  void NotifyHeadLocked();

  std::unique_ptr<storage::SqliteConnection> conn_;
  mutable std::mutex mu_;
  std::condition_variable durable_;  // durable_seq_ advanced
  std::deque<Ticket*> queue_;
  uint64_t next_ticket_ = 1;
  bool busy_ = false;            // someone is using the connection right now
  const void* owner_ = nullptr;  // explicit transaction holding the lane
  uint64_t owner_group_ = 0;     // the group the owner runs in (0: not a group member)
  bool group_open_ = false;
  uint64_t group_seq_ = 0;          // sequence number of the open (or last) group
  uint64_t group_last_ticket_ = 0;  // tickets up to this one may join the open group
  uint64_t group_members_ = 0;
  uint64_t durable_seq_ = 0;  // every group up to this one has finished committing
  std::map<uint64_t, SqlError> failed_groups_;  // recent groups whose COMMIT failed
  LaneStats stats_;
  std::function<void(storage::SqliteConnection&)> commit_hook_;
};

}  // namespace edgesql::engine
