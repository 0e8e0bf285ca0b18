#include "engine/session.h"

#include "common/errors.h"
#include "common/log.h"
#include "engine/interpreter.h"
#include "engine/parse_cache.h"
#include "engine/procedures.h"
#include "engine/transaction.h"

namespace edgesql::engine {

Session::Session(Server& server, int32_t spid, const LoginRequest& login, Database* db)
    : server_(server),
      spid_(spid),
      login_(login.user),
      host_name_(login.host_name),
      app_name_(login.app_name),
      db_(db),
      login_db_(db),
      txn_(std::make_unique<TransactionState>(*this)) {
  db_->AddUser();
}

Session::~Session() {
  txn_.reset();  // rolls back an open transaction
  db_->RemoveUser();
  server_.ReleaseSpid(spid_);
}

uint64_t Session::transaction_descriptor() const { return txn_->descriptor(); }

void Session::SetDatabase(Database* db) {
  if (db == db_) return;
  db->AddUser();
  db_->RemoveUser();
  db_ = db;
}

Status Session::RejectMissingBulkLoad(ResultSink& sink) {
  bulk_load_.reset();
  Interpreter in(*this, sink, Interpreter::Mode::kBatch);
  return in.Finish(in.ReportRequestError(errors::Make(errors::kBulkLoadNotSent)));
}

Status Session::ExecuteBulkLoad(BulkRowSource& rows, ResultSink& sink) {
  Interpreter in(*this, sink, Interpreter::Mode::kBatch);
  if (!bulk_load_) {
    SqlError e = errors::Make(errors::kProtocolStreamIncorrect,
                              {"A BULK LOAD message must follow an INSERT BULK statement."});
    e.scope = ErrorScope::kBatch;
    return in.Finish(in.ReportRequestError(e));
  }
  PendingBulkLoad load = std::move(*bulk_load_);
  bulk_load_.reset();
  return in.Finish(in.RunBulkLoad(load, rows));
}

Status Session::ExecuteBatch(std::string_view sql, ResultSink& sink) {
  if (bulk_load_) return RejectMissingBulkLoad(sink);
  Interpreter in(*this, sink, Interpreter::Mode::kBatch);
  auto batch = ParseCache::Global().Get(sql, options_.quoted_identifier);
  Interpreter::Outcome outcome = batch.ok() ? in.Run(*batch) : in.ReportRequestError(batch.error());
  return in.Finish(outcome);
}

Status Session::ExecuteProcedure(const ProcedureCall& call, ResultSink& sink) {
  if (bulk_load_) return RejectMissingBulkLoad(sink);
  std::vector<ProcedureParam> params = call.params;
  ProcedureOutcome out = RunSystemProcedure(*this, call.name, call.proc_id, params, sink);
  if (out.fatal) return out.fatal_status;
  if (out.cancelled) {
    DoneInfo d;
    d.attention = true;
    d.in_transaction = txn_->active();
    return sink.Done(d);
  }
  if (txn_->doomed()) {
    // As at the end of a batch: a doomed transaction does not outlive the request.
    txn_->Abort(&sink);
    EDGESQL_RETURN_IF_ERROR(sink.Message(errors::Make(errors::kUncommittableAtBatchEnd)));
    out.error = true;
  }
  EDGESQL_RETURN_IF_ERROR(sink.ReturnStatus(out.return_status));
  // OUTPUT parameters in call order, large-object ones last ([MS-TDS] 2.2.7.19).
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t i = 0; i < params.size(); ++i) {
      if (!call.params[i].output) continue;
      const SqlType& declared = call.params[i].value.type();
      if (declared.IsMax() != (pass == 1)) continue;
      EDGESQL_RETURN_IF_ERROR(sink.ReturnValue(static_cast<uint16_t>(i), call.params[i].name,
                                               declared, params[i].value));
    }
  }
  DoneInfo d;
  d.kind = DoneKind::kDoneProc;
  d.error = out.error;
  d.in_transaction = txn_->active();
  d.command = Command::kExecute;
  return sink.Done(d);
}

Status Session::ExecuteTransactionRequest(const TransactionRequest& request, ResultSink& sink) {
  if (bulk_load_) return RejectMissingBulkLoad(sink);
  if (request.isolation && (request.type == TransactionRequestType::kBegin || request.begin_new)) {
    options_.isolation = *request.isolation;
  }
  Status st;
  Command command = Command::kOther;
  switch (request.type) {
    case TransactionRequestType::kBegin:
      command = Command::kBeginTransaction;
      st = txn_->Begin(sink, request.name);
      break;
    case TransactionRequestType::kCommit:
      command = Command::kCommit;
      st = txn_->Commit(sink);
      break;
    case TransactionRequestType::kRollback:
      command = Command::kRollback;
      st = txn_->Rollback(sink, request.name);
      break;
    case TransactionRequestType::kSave:
      command = Command::kSaveTransaction;
      st = txn_->Save(request.name);
      break;
  }
  if (st.ok() && request.begin_new) st = txn_->Begin(sink, {});
  DoneInfo d;
  d.command = command;
  if (!st.ok()) {
    EDGESQL_RETURN_IF_ERROR(sink.Message(st.error()));
    d.error = true;
  }
  d.in_transaction = txn_->active();
  return sink.Done(d);
}

Status Session::Reset(bool keep_transaction, ResultSink& sink) {
  if (!keep_transaction && txn_->active()) txn_->Abort(&sink);
  options_ = SessionOptions();
  SetDatabase(login_db_);
  prepared_.clear();
  bulk_load_.reset();
  rowcount_ = 0;
  last_error_ = 0;
  identity_.reset();
  scope_identity_.reset();
  return Status::Ok();
}

Result<int64_t> Session::NextIdentity(int64_t object_id) {
  EDGESQL_ASSIGN_OR_RETURN(int64_t v, db_->NextIdentity(object_id));
  identity_ = scope_identity_ = v;
  return v;
}

Value Session::ServerProperty(std::string_view name) const { return server_.ServerProperty(name); }

std::optional<int64_t> Session::DatabaseId(std::string_view name) const {
  Database* db = server_.FindDatabase(name);
  if (db == nullptr) return std::nullopt;
  return db->id();
}

std::optional<std::string> Session::DatabaseName(int64_t id) const {
  Database* db = server_.DatabaseById(id);
  if (db == nullptr) return std::nullopt;
  return db->name();
}

}  // namespace edgesql::engine
