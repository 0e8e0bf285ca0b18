#include "engine/transaction.h"

#include <algorithm>

#include "common/errors.h"
#include "common/log.h"
#include "engine/session.h"
#include "types/collation.h"

namespace edgesql::engine {
namespace {

using storage::SqliteConnection;

// SQLite savepoint names are identifiers; T-SQL savepoint names may hold anything, so quote.
std::string Quoted(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

}  // namespace

TransactionState::~TransactionState() {
  if (active()) Abort(nullptr);
}

Status TransactionState::Begin(ResultSink& sink, std::string_view name) {
  if (trancount_ == 0) {
    descriptor_ = static_cast<uint64_t>(s_.server().NextTransactionDescriptor());
    trancount_ = 1;
    name_ = name;
    savepoints_.clear();
    savepoints_applied_ = 0;
    Status st = sink.TransactionBegan(descriptor_);
    tsql::IsolationLevel iso = s_.options().isolation;
    if (iso == tsql::IsolationLevel::kRepeatableRead ||
        iso == tsql::IsolationLevel::kSerializable) {
      // Nothing else may commit while the transaction runs: take the lane from the start.
      LaneWait wait{s_.options().lock_timeout_ms, [&sink] { return sink.CancelRequested(); }};
      Status lane = EnsureWriting(s_.database(), wait);
      if (!lane.ok()) {
        trancount_ = 0;
        (void)sink.TransactionRolledBack(descriptor_);
        return lane;
      }
    }
    return st;
  }
  ++trancount_;
  return Status::Ok();
}

Status TransactionState::Commit(ResultSink& sink) {
  if (trancount_ == 0) return errors::Make(errors::kCommitWithoutBegin);
  if (doomed()) return errors::Make(errors::kUncommittableTransaction);
  if (trancount_ > 1) {
    --trancount_;
    return Status::Ok();
  }
  Status st;
  if (lane_db_ != nullptr) st = lane_db_->lane().Commit(&s_);
  EndStorage();
  trancount_ = 0;
  if (!st.ok()) {
    (void)sink.TransactionRolledBack(descriptor_);
    return st;
  }
  return sink.TransactionCommitted(descriptor_);
}

Status TransactionState::Rollback(ResultSink& sink, std::string_view name) {
  if (trancount_ == 0) return errors::Make(errors::kRollbackWithoutBegin);
  if (!name.empty() && !collation::Equal(name, name_)) {
    auto it = std::find_if(savepoints_.rbegin(), savepoints_.rend(),
                           [&](const std::string& sp) { return collation::Equal(sp, name); });
    if (it == savepoints_.rend()) {
      return errors::Make(errors::kNoSuchSavepoint, {std::string(name)});
    }
    size_t keep = static_cast<size_t>(savepoints_.rend() - it);  // savepoints up to this one
    if (lane_db_ != nullptr && keep <= savepoints_applied_) {
      // ROLLBACK TO keeps the savepoint itself, as SQL Server does: rolling back to it again is
      // allowed.
      EDGESQL_RETURN_IF_ERROR(lane_db_->lane().connection().Exec("ROLLBACK TO " + Quoted(name)));
    }
    savepoints_.resize(keep);
    savepoints_applied_ = std::min(savepoints_applied_, keep);
    return Status::Ok();
  }
  Abort(nullptr);
  return sink.TransactionRolledBack(descriptor_);
}

Status TransactionState::Save(std::string_view name) {
  if (trancount_ == 0) {
    return errors::Make(errors::kSaveWithoutTransaction);
  }
  savepoints_.emplace_back(name);
  if (lane_db_ != nullptr) {
    EDGESQL_RETURN_IF_ERROR(lane_db_->lane().connection().Exec("SAVEPOINT " + Quoted(name)));
    savepoints_applied_ = savepoints_.size();
  }
  return Status::Ok();
}

void TransactionState::Abort(ResultSink* sink) {
  if (lane_db_ != nullptr) lane_db_->lane().Rollback(&s_);
  EndStorage();
  bool was_active = trancount_ > 0;
  trancount_ = 0;
  if (sink != nullptr && was_active) (void)sink->TransactionRolledBack(descriptor_);
}

void TransactionState::EndStorage() {
  lane_db_ = nullptr;
  snapshot_ = ReaderLease();
  snapshot_db_ = nullptr;
  savepoints_.clear();
  savepoints_applied_ = 0;
  name_.clear();
  doomed_ = false;
}

Status TransactionState::EnsureWriting(Database& db, const LaneWait& wait) {
  if (lane_db_ == &db) return Status::Ok();
  if (lane_db_ != nullptr) {
    return errors::Make(errors::kUnsupportedStatement,
                        {"a transaction that writes to more than one database"});
  }
  // A SNAPSHOT transaction must see every commit before it to detect a conflict, so it does not
  // join a group that is still open (writer_lane.h); the others do.
  EDGESQL_RETURN_IF_ERROR(db.lane().Acquire(&s_, wait, /*join_group=*/snapshot_db_ == nullptr));
  lane_db_ = &db;
  SqliteConnection& conn = db.lane().connection();
  if (snapshot_db_ != nullptr) {
    // SNAPSHOT: the write must not be based on a stale snapshot.
    bool stale = snapshot_db_ != &db || db.lane().stats().commits != snapshot_commits_;
    snapshot_ = ReaderLease();
    snapshot_db_ = nullptr;
    if (stale) {
      db.lane().Rollback(&s_);
      lane_db_ = nullptr;
      return errors::Make(errors::kSnapshotUpdateConflict, {db.name()});
    }
  }
  // Savepoints taken before the first write all mark the transaction's start.
  for (; savepoints_applied_ < savepoints_.size(); ++savepoints_applied_) {
    EDGESQL_RETURN_IF_ERROR(conn.Exec("SAVEPOINT " + Quoted(savepoints_[savepoints_applied_])));
  }
  return Status::Ok();
}

Status TransactionState::RunOnReader(Database& db, const Work& work) {
  if (active() && s_.options().isolation == tsql::IsolationLevel::kSnapshot) {
    if (snapshot_db_ == nullptr) {
      snapshot_commits_ = db.lane().stats().commits;
      EDGESQL_ASSIGN_OR_RETURN(snapshot_, db.AcquireReader());
      snapshot_db_ = &db;
      EDGESQL_RETURN_IF_ERROR(snapshot_->Exec("BEGIN"));
    }
    if (snapshot_db_ == &db) return work(*snapshot_);
  }
  EDGESQL_ASSIGN_OR_RETURN(ReaderLease reader, db.AcquireReader());
  EDGESQL_RETURN_IF_ERROR(reader->Exec("BEGIN"));
  Status st = work(*reader);
  // Ending a read transaction cannot lose anything; the lease's return rolls back on failure.
  if (st.ok()) st = reader->Exec("COMMIT");
  return st;
}

Status TransactionState::RunOnWriter(const Work& work) {
  SqliteConnection& conn = lane_db_->lane().connection();
  EDGESQL_RETURN_IF_ERROR(conn.Exec("SAVEPOINT edgesql_statement"));
  Status st = work(conn);
  Status end = st.ok() ? conn.Exec("RELEASE edgesql_statement")
                       : conn.Exec("ROLLBACK TO edgesql_statement; RELEASE edgesql_statement");
  return st.ok() ? end : st;
}

Status TransactionState::Run(Database& db, bool write, const LaneWait& wait, const Work& work) {
  if (!active()) {
    if (write) return db.lane().RunAutocommit(work, wait);
    return RunOnReader(db, work);
  }
  if (write) {
    if (doomed()) return errors::Make(errors::kUncommittableTransaction);
    EDGESQL_RETURN_IF_ERROR(EnsureWriting(db, wait));
    return RunOnWriter(work);
  }
  if (lane_db_ == &db) return RunOnWriter(work);  // reads see the transaction's own writes
  return RunOnReader(db, work);
}

}  // namespace edgesql::engine
