// Executor: runs one CompiledStatement on one SQLite connection and turns what happens into SQL
// Server terms: parameters bound in storage form, rows converted back to typed Values and sent to
// the sink (or assigned to variables), DML row counts, and SQLite constraint failures mapped to
// 2627/2601/515 with the object, constraint and duplicate key value SQL Server would name.
//
// It neither chooses the connection nor manages transactions: TransactionState does, and calls
// the executor inside the work it runs. Used on the session's thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/database.h"
#include "engine/result_sink.h"
#include "storage/sqlite_conn.h"
#include "tsql/compiled.h"
#include "tsql/runtime_context.h"
#include "types/storage_form.h"

namespace edgesql::engine {

// Supplies values for a statement's placeholders.
class ParameterSource {
 public:
  virtual ~ParameterSource() = default;
  // The value of variable `name` (declared; the binder checked), or an error.
  virtual Result<Value> Variable(std::string_view name) = 0;
  virtual Value Runtime(tsql::RuntimeValue which) = 0;
};

struct ExecutionOutcome {
  int64_t rows = 0;             // rows returned (SELECT) or affected (DML)
  std::vector<Value> last_row;  // kSelectAssign, or no sink: the values of the last row
  bool any_row = false;
};

struct ExecutionContext {
  storage::SqliteConnection* conn = nullptr;
  Database* db = nullptr;
  const tsql::CatalogView* catalog = nullptr;
  tsql::RuntimeContext* runtime = nullptr;
  ParameterSource* params = nullptr;
  // Receives metadata and rows of statements that return rows; null to keep the last row in
  // ExecutionOutcome instead (expression evaluation).
  ResultSink* sink = nullptr;
  int64_t rowcount_limit = 0;  // SET ROWCOUNT
  // SET TEXTSIZE: the most bytes of a varchar(max), nvarchar(max) or varbinary(max) value a
  // result returns ("SET TEXTSIZE (Transact-SQL)"); longer values are cut.
  int64_t textsize = 2147483647;
  // Polled while SQLite runs; true aborts the statement (ATTENTION).
  std::function<bool()> cancelled;
  // Key values recorded by es_key during the statement (RuntimeContext::RecordKeyValue).
  const std::map<int32_t, StoredValue>* key_values = nullptr;
};

Result<ExecutionOutcome> Execute(const tsql::CompiledStatement& statement,
                                 const ExecutionContext& ctx);

// Refines a SQLite constraint failure of `stmt` into the SQL Server error for the constraint
// (2627, 2601, 515, naming the object, constraint and key value), or returns `err` unchanged if
// it is not one edgesql knows.
SqlError MapConstraintError(SqlError err, storage::SqliteConnection& conn,
                            const tsql::CompiledStatement& stmt, const ExecutionContext& ctx);

// After a statement that inserted `rows` rows into an identity table: moves the identity counter
// past explicit values (IDENTITY_INSERT ON, KEEPIDENTITY) and persists the last value handed out.
Status RecordIdentity(const tsql::CompiledStatement& stmt, const ExecutionContext& ctx,
                      int64_t rows);

// Converts a value read from storage to the column type, checking the ranges SQL Server
// enforces on materialization (an int expression that overflowed in SQLite's 64-bit arithmetic
// is 8115 here, as SQL Server raises it).
Result<Value> MaterializeColumn(const StoredValue& stored, const SqlType& type);

}  // namespace edgesql::engine
