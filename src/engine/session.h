// Session: one client's connection to the engine after login. It holds what SQL Server keeps per
// session (current database, SET options, the transaction and its nesting, @@ROWCOUNT and
// friends, prepared statement handles) and executes requests against the engine, sending results
// through a ResultSink.
//
// Requests: a SQL batch, a procedure call (RPC: sp_executesql, sp_prepare, sp_execute,
// sp_prepexec, sp_unprepare and the system procedures edgesql has), or a transaction-manager
// request (BEGIN/COMMIT/ROLLBACK/SAVE sent outside T-SQL). SQL errors are sent to the sink as
// SQL Server would send them and the request goes on or stops according to each error's scope;
// the Status returned by Execute* is non-ok only when the connection must end (the sink failed,
// or an error of severity 20 or more).
//
// Transactions follow SQL Server's rules for @@TRANCOUNT, nesting, savepoints, XACT_ABORT and
// IMPLICIT_TRANSACTIONS; storage-wise a transaction reads committed snapshots until its first
// write, then owns its database's writer lane until it ends (see engine/transaction.h).
//
// A Session is used by one thread at a time (its connection's thread). Destroying it rolls back
// an open transaction and releases its SPID.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/bulk_load.h"
#include "engine/compile_cache.h"
#include "engine/result_sink.h"
#include "engine/server.h"
#include "tsql/compiled.h"
#include "tsql/runtime_context.h"
#include "types/value.h"

namespace edgesql::engine {

class Interpreter;
class TransactionState;

// A parameter of a procedure call, as decoded from the wire.
struct ProcedureParam {
  std::string name;  // "@p" or empty for positional
  Value value;
  bool output = false;
  bool use_default = false;
};

struct ProcedureCall {
  std::string name;      // empty when called by id
  uint16_t proc_id = 0;  // 10 sp_executesql, 11 sp_prepare, ... ([MS-TDS] 2.2.6.6)
  bool no_metadata = false;
  std::vector<ProcedureParam> params;
};

enum class TransactionRequestType : uint8_t { kBegin, kCommit, kRollback, kSave };

struct TransactionRequest {
  TransactionRequestType type = TransactionRequestType::kBegin;
  std::string name;
  // Isolation level to set with BEGIN (and with begin_new): as in SET TRANSACTION ISOLATION
  // LEVEL; nullopt keeps the session's.
  std::optional<tsql::IsolationLevel> isolation;
  bool begin_new = false;  // COMMIT/ROLLBACK, then BEGIN a new transaction at once
};

// SET options a session carries ([MS-TDS] login options and the SET statements).
struct SessionOptions {
  bool ansi_nulls = true;
  bool ansi_null_dflt_on = true;
  bool ansi_padding = true;
  bool ansi_warnings = true;
  bool arithabort = true;
  bool concat_null_yields_null = true;
  bool quoted_identifier = true;
  bool nocount = false;
  bool xact_abort = false;
  bool implicit_transactions = false;
  bool cursor_close_on_commit = false;
  bool fmtonly = false;  // SET FMTONLY ON: statements describe their results and do not run
  bool numeric_roundabort = false;
  int64_t textsize = 2147483647;
  int64_t lock_timeout_ms = -1;
  int64_t rowcount = 0;
  std::string language = "us_english";
  datetime::DateSettings dates;
  tsql::IsolationLevel isolation = tsql::IsolationLevel::kReadCommitted;
  int64_t identity_insert_object_id = 0;  // table with IDENTITY_INSERT ON in the current db
  int64_t identity_insert_database_id = 0;
};

class Session : public tsql::RuntimeContext {
 public:
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  int32_t spid() const { return spid_; }
  Server& server() { return server_; }
  Database& database() { return *db_; }
  const std::string& login_name() const { return login_; }
  const SessionOptions& options() const { return options_; }
  // For the engine's statement executors (DDL, procedures): the transaction and the options.
  TransactionState& txn() { return *txn_; }
  SessionOptions& mutable_options() { return options_; }
  // The descriptor of the open transaction, 0 when none (ALL_HEADERS / ENVCHANGE 8).
  uint64_t transaction_descriptor() const;

  Status ExecuteBatch(std::string_view sql, ResultSink& sink);
  Status ExecuteProcedure(const ProcedureCall& call, ResultSink& sink);
  Status ExecuteTransactionRequest(const TransactionRequest& request, ResultSink& sink);
  // Bulk load (engine/bulk_load.h). After INSERT BULK the next request must be the BULK LOAD
  // message: ExecuteBulkLoad runs the announced load with its rows; any other request gets 4022
  // and the announcement is forgotten, as it is when the client sends ATTENTION instead.
  bool bulk_load_pending() const { return bulk_load_.has_value(); }
  Status ExecuteBulkLoad(BulkRowSource& rows, ResultSink& sink);
  void ForgetBulkLoad() { bulk_load_.reset(); }

  // RESETCONNECTION: back to the state right after login (options, database, prepared handles),
  // rolling back an open transaction unless `keep_transaction` (RESETCONNECTIONSKIPTRAN).
  Status Reset(bool keep_transaction, ResultSink& sink);

  // sp_prepare handles: the statement text and its parameter declarations, per session.
  struct PreparedStatement {
    std::string params;  // "@p1 int, @p2 nvarchar(10)"
    std::string sql;
  };
  int32_t AddPrepared(PreparedStatement p) {
    prepared_[next_handle_] = std::move(p);
    return next_handle_++;
  }
  const PreparedStatement* FindPrepared(int32_t handle) const {
    auto it = prepared_.find(handle);
    return it == prepared_.end() ? nullptr : &it->second;
  }
  bool RemovePrepared(int32_t handle) { return prepared_.erase(handle) != 0; }

  // tsql::RuntimeContext
  Result<int64_t> NextIdentity(int64_t object_id) override;
  const datetime::DateSettings& date_settings() const override { return options_.dates; }
  Value ServerProperty(std::string_view name) const override;
  std::optional<int64_t> DatabaseId(std::string_view name) const override;
  std::optional<std::string> DatabaseName(int64_t id) const override;
  void RecordKeyValue(int32_t column_id, const StoredValue& value) override {
    key_values_[column_id] = value;
  }

 private:
  friend class Server;
  friend class Interpreter;
  friend class TransactionState;
  Session(Server& server, int32_t spid, const LoginRequest& login, Database* db);

  // Switches the current database (USE), keeping Database::users() accurate.
  void SetDatabase(Database* db);

  Server& server_;
  const int32_t spid_;
  const std::string login_;
  const std::string host_name_;
  const std::string app_name_;
  Database* db_;
  Database* login_db_;
  SessionOptions options_;
  std::unique_ptr<TransactionState> txn_;

  // Values SQL Server keeps per session.
  int64_t rowcount_ = 0;                   // @@ROWCOUNT
  int32_t last_error_ = 0;                 // @@ERROR
  std::optional<int64_t> identity_;        // @@IDENTITY
  std::optional<int64_t> scope_identity_;  // SCOPE_IDENTITY() (edgesql has one scope per request)
  // Key values recorded by es_key during the running statement (RecordKeyValue).
  std::map<int32_t, StoredValue> key_values_;

  // Answers a request that came instead of the announced BULK LOAD message (4022).
  Status RejectMissingBulkLoad(ResultSink& sink);

  std::optional<PendingBulkLoad> bulk_load_;  // announced by INSERT BULK
  std::map<int32_t, PreparedStatement> prepared_;
  CompileCache compile_cache_;
  int32_t next_handle_ = 1;
};

}  // namespace edgesql::engine
