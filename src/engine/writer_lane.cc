#include "engine/writer_lane.h"

#include <algorithm>
#include <chrono>

#include "common/check.h"
#include "common/errors.h"
#include "common/log.h"

namespace edgesql::engine {
namespace {

using Clock = std::chrono::steady_clock;

// How often a waiter polls its cancellation callback (which checks the client socket for
// ATTENTION). Bounds the delay between a cancel and its effect on a lock wait.
constexpr auto kCancelPollInterval = std::chrono::milliseconds(20);

// Failed group results kept for members that have not read theirs yet.
constexpr size_t kFailedGroupsKept = 1024;

// The savepoint of an explicit transaction inside a group (quoted: a name T-SQL code is unlikely
// to give its own savepoints).
constexpr const char* kSaveTransaction = "SAVEPOINT \"edgesql transaction\"";
constexpr const char* kReleaseTransaction = "RELEASE \"edgesql transaction\"";
constexpr const char* kUndoTransaction =
    "ROLLBACK TO \"edgesql transaction\"; RELEASE \"edgesql transaction\"";

}  // namespace

WriterLane::WriterLane(std::unique_ptr<storage::SqliteConnection> conn) : conn_(std::move(conn)) {}

WriterLane::~WriterLane() {
  std::unique_lock lock(mu_);
  EDGESQL_CHECK(queue_.empty() && !busy_);
  if (group_open_) MaybeCommitLocked(lock);
  if (owner_ != nullptr) (void)conn_->Exec("ROLLBACK");
}

Status WriterLane::WaitForTurnLocked(std::unique_lock<std::mutex>& lock, Ticket* t,
                                     const LaneWait& wait) {
  // A joining request may join the open group only if it was queued before the group opened.
  // A ticket a combining thread has claimed leaves the queue; it waits until its statement ran.
  auto ready = [&] {
    if (t->done) return true;
    if (t->claimed) return false;
    return queue_.front() == t && !busy_ && owner_ == nullptr &&
           (!group_open_ || (t->joins && t->id <= group_last_ticket_));
  };
  const bool has_deadline = wait.lock_timeout_ms >= 0;
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(std::max<int64_t>(0, wait.lock_timeout_ms));
  while (!ready()) {
    if (t->claimed) {  // running now on the combining thread: no timeout or cancel applies
      t->turn.wait(lock);
      continue;
    }
    // At the head with an open group we may not join: commit it first (nobody else will).
    if (queue_.front() == t) MaybeCommitLocked(lock);
    if (ready()) break;
    if (has_deadline && Clock::now() >= deadline) {
      LeaveQueueLocked(lock, t);
      return errors::Make(errors::kLockTimeout);
    }
    auto until = Clock::now() + kCancelPollInterval;
    if (has_deadline) until = std::min(until, deadline);
    if (wait.cancelled) {
      t->turn.wait_until(lock, until);
      if (ready()) break;
      lock.unlock();
      bool cancelled = wait.cancelled();
      lock.lock();
      if (cancelled && !t->claimed && !t->done) {
        LeaveQueueLocked(lock, t);
        return errors::Make(errors::kQueryCancelled);
      }
    } else if (has_deadline) {
      t->turn.wait_until(lock, until);
    } else {
      t->turn.wait(lock);
    }
  }
  return Status::Ok();
}

void WriterLane::LeaveQueueLocked(std::unique_lock<std::mutex>& lock, Ticket* t) {
  queue_.erase(std::find(queue_.begin(), queue_.end(), t));
  // The request that leaves may have been the joiner an open group was waiting for.
  MaybeCommitLocked(lock);
  NotifyHeadLocked();
}

void WriterLane::NotifyHeadLocked() {
  if (!queue_.empty()) queue_.front()->turn.notify_one();
}

void WriterLane::MaybeCommitLocked(std::unique_lock<std::mutex>& lock) {
  while (group_open_ && !busy_ && owner_ == nullptr) {
    // A waiting autocommit request that was queued before the group opened will join it; later
    // arrivals form the next group, so a steady stream of writers cannot postpone a commit.
    if (!queue_.empty() && queue_.front()->joins && queue_.front()->id <= group_last_ticket_) {
      return;
    }
    busy_ = true;
    uint64_t seq = group_seq_;
    uint64_t members = group_members_;
    lock.unlock();
    Status st = conn_->Exec("COMMIT");
    if (!st.ok()) {
      ES_LOG(Error, "engine") << "group commit failed: " << st.ToString();
      if (conn_->InTransaction()) (void)conn_->Exec("ROLLBACK");
    } else if (commit_hook_) {
      commit_hook_(*conn_);
    }
    lock.lock();
    busy_ = false;
    group_open_ = false;
    durable_seq_ = seq;
    if (st.ok()) {
      stats_.commits++;
      stats_.grouped_statements += members;
    } else {
      failed_groups_.emplace(seq, st.error());
      while (failed_groups_.size() > kFailedGroupsKept)
        failed_groups_.erase(failed_groups_.begin());
    }
    durable_.notify_all();
    NotifyHeadLocked();
  }
}

Status WriterLane::RunMember(const std::function<Status(storage::SqliteConnection&)>& work) {
  EDGESQL_RETURN_IF_ERROR(conn_->Exec("SAVEPOINT autocommit_member"));
  Status st = work(*conn_);
  // RELEASE keeps the member's changes in the group; ROLLBACK TO undoes only this member.
  Status end = st.ok() ? conn_->Exec("RELEASE autocommit_member")
                       : conn_->Exec("ROLLBACK TO autocommit_member; RELEASE autocommit_member");
  return st.ok() ? end : st;
}

Status WriterLane::WaitDurableLocked(std::unique_lock<std::mutex>& lock, uint64_t group) {
  durable_.wait(lock, [&] { return durable_seq_ >= group; });
  auto failed = failed_groups_.find(group);
  if (failed != failed_groups_.end()) return failed->second;
  return Status::Ok();
}

Status WriterLane::RunAutocommit(const std::function<Status(storage::SqliteConnection&)>& work,
                                 const LaneWait& wait) {
  std::unique_lock lock(mu_);
  Ticket ticket{next_ticket_++, true, {}};
  ticket.work = &work;
  queue_.push_back(&ticket);
  EDGESQL_RETURN_IF_ERROR(WaitForTurnLocked(lock, &ticket, wait));
  if (ticket.done) {
    // A combining thread ran the statement in its group.
    if (!ticket.result.ok()) return ticket.result;
    return WaitDurableLocked(lock, ticket.group);
  }
  queue_.pop_front();
  busy_ = true;
  const bool open_group = !group_open_;
  lock.unlock();

  Status begin;
  if (open_group) begin = conn_->Exec("BEGIN IMMEDIATE");
  Status st = begin.ok() ? RunMember(work) : begin;

  lock.lock();
  if (open_group && begin.ok()) GroupOpenedLocked();
  const uint64_t my_group = group_seq_;
  if (st.ok()) ++group_members_;
  // Combining: the statements of the requests already waiting to join run here, one after the
  // other, instead of each waking its own thread for its turn (a context switch per statement).
  // Their threads are blocked until their ticket is done, so their sessions are not in use.
  while (begin.ok() && group_open_ && !queue_.empty()) {
    Ticket* next = queue_.front();
    if (next->work == nullptr || !next->joins || next->id > group_last_ticket_) break;
    queue_.pop_front();
    next->claimed = true;
    lock.unlock();
    Status r = RunMember(*next->work);
    lock.lock();
    next->result = r;
    next->group = group_seq_;
    next->done = true;
    if (r.ok()) ++group_members_;
    next->turn.notify_one();
  }
  busy_ = false;
  MaybeCommitLocked(lock);
  NotifyHeadLocked();
  if (!st.ok()) return st;
  return WaitDurableLocked(lock, my_group);
}

void WriterLane::GroupOpenedLocked() {
  group_open_ = true;
  ++group_seq_;
  group_members_ = 0;
  group_last_ticket_ = next_ticket_ - 1;
}

Status WriterLane::TakeLocked(std::unique_lock<std::mutex>& lock, const void* owner,
                              const LaneWait& wait, bool joins) {
  Ticket ticket{next_ticket_++, joins, {}};
  queue_.push_back(&ticket);
  EDGESQL_RETURN_IF_ERROR(WaitForTurnLocked(lock, &ticket, wait));
  queue_.pop_front();
  owner_ = owner;
  return Status::Ok();
}

void WriterLane::ReleaseLocked(std::unique_lock<std::mutex>& lock) {
  owner_ = nullptr;
  MaybeCommitLocked(lock);
  NotifyHeadLocked();
}

Status WriterLane::Acquire(const void* owner, const LaneWait& wait, bool join_group) {
  std::unique_lock lock(mu_);
  EDGESQL_CHECK(owner_ != owner);
  EDGESQL_RETURN_IF_ERROR(TakeLocked(lock, owner, wait, join_group));
  const bool open_group = !group_open_;
  lock.unlock();
  Status st = open_group ? conn_->Exec("BEGIN IMMEDIATE") : Status::Ok();
  if (st.ok() && join_group) {
    st = conn_->Exec(kSaveTransaction);
    if (!st.ok() && open_group) (void)conn_->Exec("ROLLBACK");
  }
  lock.lock();
  if (!st.ok()) {
    ReleaseLocked(lock);
    return st;
  }
  if (join_group) {
    if (open_group) GroupOpenedLocked();
    owner_group_ = group_seq_;
  }
  return Status::Ok();
}

Status WriterLane::Commit(const void* owner) {
  std::unique_lock lock(mu_);
  EDGESQL_CHECK(owner_ == owner);
  const uint64_t group = owner_group_;
  lock.unlock();
  if (group == 0) {
    // A transaction of its own: COMMIT is its fsync.
    Status st = conn_->Exec("COMMIT");
    if (!st.ok() && conn_->InTransaction()) (void)conn_->Exec("ROLLBACK");
    if (st.ok() && commit_hook_) commit_hook_(*conn_);
    lock.lock();
    owner_ = nullptr;
    if (st.ok()) stats_.commits++;
    NotifyHeadLocked();
    return st;
  }
  // A group member: its changes join the group's, and it returns when the group is durable.
  Status st = conn_->Exec(kReleaseTransaction);
  if (!st.ok() && conn_->InTransaction()) (void)conn_->Exec(kUndoTransaction);
  lock.lock();
  owner_ = nullptr;
  owner_group_ = 0;
  if (st.ok()) ++group_members_;
  MaybeCommitLocked(lock);
  NotifyHeadLocked();
  if (!st.ok()) return st;
  return WaitDurableLocked(lock, group);
}

void WriterLane::Rollback(const void* owner) {
  std::unique_lock lock(mu_);
  EDGESQL_CHECK(owner_ == owner);
  const uint64_t group = owner_group_;
  lock.unlock();
  if (conn_->InTransaction()) {
    // A group member undoes only its own savepoint; the group goes on.
    Status st = conn_->Exec(group == 0 ? "ROLLBACK" : kUndoTransaction);
    if (!st.ok()) ES_LOG(Error, "engine") << "rollback failed: " << st.ToString();
  }
  lock.lock();
  owner_ = nullptr;
  owner_group_ = 0;
  MaybeCommitLocked(lock);
  NotifyHeadLocked();
}

Result<bool> WriterLane::Checkpoint(const char* mode, const LaneWait& wait) {
  static const int kCheckpointOwner = 0;
  std::unique_lock lock(mu_);
  EDGESQL_RETURN_IF_ERROR(TakeLocked(lock, &kCheckpointOwner, wait));
  lock.unlock();
  // The pragma's row: busy flag, WAL frames, frames checkpointed.
  auto run = [&]() -> Result<bool> {
    EDGESQL_ASSIGN_OR_RETURN(storage::Statement * stmt,
                             conn_->Prepare(std::string("PRAGMA wal_checkpoint(") + mode + ")"));
    auto row = stmt->Step();
    bool complete =
        row.ok() && *row && stmt->ColumnInt(0) == 0 && stmt->ColumnInt(1) == stmt->ColumnInt(2);
    stmt->Reset();
    if (!row.ok()) return row.error();
    return complete;
  };
  Result<bool> complete = run();
  lock.lock();
  ReleaseLocked(lock);
  return complete;
}

bool WriterLane::IsOwnedBy(const void* owner) const {
  std::lock_guard lock(mu_);
  return owner_ == owner;
}

LaneStats WriterLane::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

}  // namespace edgesql::engine
