// Interpreter: runs a parsed T-SQL batch (or the body of sp_executesql) statement by statement,
// with SQL Server's control flow, variables, error handling and result reporting.
//
// Queries and DML are compiled (tsql/compiled.h) and executed on the connection TransactionState
// picks; control flow (IF, WHILE, BEGIN...END, TRY...CATCH, RETURN, BREAK, CONTINUE), variables
// (DECLARE, SET, SELECT @v =), SET options, transactions, PRINT/RAISERROR/THROW, WAITFOR, USE,
// DDL and EXEC are interpreted here.
//
// Errors follow SQL Server ([SQL Server error handling], "Understanding database engine
// errors"): each error's scope (common/errors.h) decides whether the statement, the batch or the
// transaction ends; XACT_ABORT ON makes any error end the batch and roll the transaction back;
// inside TRY a runtime error of severity 11-19 transfers control to CATCH instead of reaching the
// client; compile errors are not caught in the scope that has them. DML errors are followed by
// 3621 "The statement has been terminated.", as SQL Server sends it.
//
// Reporting: each query, DML, DDL and transaction statement ends with a DONE (DONEINPROC inside a
// procedure) carrying its row count unless SET NOCOUNT ON; DONE tokens are held back one step so
// that the MORE bit is right without lookahead, and the request always ends with a final DONE.
// ATTENTION ends the request with a DONE carrying the attention bit.
//
// One interpreter runs one request on the session's thread.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/bulk_load.h"
#include "engine/executor.h"
#include "engine/result_sink.h"
#include "engine/variables.h"
#include "tsql/statement.h"

namespace edgesql::engine {

class Session;

// Forwards everything to the real sink, holding each DONE back until the next token (or the end
// of the request) says whether more results follow.
class DeferringSink : public ResultSink {
 public:
  explicit DeferringSink(ResultSink& out) : out_(out) {}

  Status Flush(bool more) {
    if (!pending_) return Status::Ok();
    DoneInfo d = *pending_;
    pending_.reset();
    d.more = more;
    return out_.Done(d);
  }
  bool has_pending() const { return pending_.has_value(); }

  Status ColumnMetadata(std::span<const ResultColumn> columns) override {
    EDGESQL_RETURN_IF_ERROR(Flush(true));
    return out_.ColumnMetadata(columns);
  }
  Status Row(std::span<const Value> values) override { return out_.Row(values); }
  Status Done(const DoneInfo& done) override {
    EDGESQL_RETURN_IF_ERROR(Flush(true));
    pending_ = done;
    return Status::Ok();
  }
  Status Message(const SqlError& message) override {
    EDGESQL_RETURN_IF_ERROR(Flush(true));
    return out_.Message(message);
  }
  Status DatabaseChanged(std::string_view new_name, std::string_view old_name) override {
    EDGESQL_RETURN_IF_ERROR(Flush(true));
    return out_.DatabaseChanged(new_name, old_name);
  }
  Status TransactionBegan(uint64_t d) override {
    EDGESQL_RETURN_IF_ERROR(Flush(true));
    return out_.TransactionBegan(d);
  }
  Status TransactionCommitted(uint64_t d) override {
    EDGESQL_RETURN_IF_ERROR(Flush(true));
    return out_.TransactionCommitted(d);
  }
  Status TransactionRolledBack(uint64_t d) override {
    EDGESQL_RETURN_IF_ERROR(Flush(true));
    return out_.TransactionRolledBack(d);
  }
  Status ReturnStatus(int32_t value) override {
    EDGESQL_RETURN_IF_ERROR(Flush(true));
    return out_.ReturnStatus(value);
  }
  Status ReturnValue(uint16_t ordinal, std::string_view name, const SqlType& type,
                     const Value& value) override {
    EDGESQL_RETURN_IF_ERROR(Flush(true));
    return out_.ReturnValue(ordinal, name, type, value);
  }
  bool CancelRequested() override { return out_.CancelRequested(); }

 private:
  ResultSink& out_;
  std::optional<DoneInfo> pending_;
};

class Interpreter : public ParameterSource {
 public:
  enum class Mode {
    kBatch,      // a SQL batch: DONE tokens
    kProcedure,  // inside an RPC (sp_executesql, sp_execute): DONEINPROC tokens
  };
  // What ended the run.
  enum class Outcome {
    kCompleted,  // every statement ran (some may have failed with statement-level errors)
    kAborted,    // an error ended the batch early
    kCancelled,  // ATTENTION
    kFatal,      // the connection must close (sink failure or severity 20+)
  };

  Interpreter(Session& session, ResultSink& sink, Mode mode);
  ~Interpreter() override;

  Variables& variables() { return vars_; }
  // RETURN's value, for RETURNSTATUS.
  int32_t return_status() const { return return_status_; }
  // Whether an error reached the client during the run (the final DONE's error bit).
  bool had_error() const { return had_error_; }

  // Runs the statements of `batch` (from the parse cache; the interpreter keeps it alive so that
  // the session's compile cache may key on its statements).
  Outcome Run(std::shared_ptr<const tsql::Batch> batch);

  // Sends the DONE held back, with MORE set as given. Batch mode ends with Finish(), which sends
  // the final DONE; procedure mode ends with the caller's RETURNSTATUS and DONEPROC. After a
  // fatal outcome Finish sends what it can and returns the error that ends the connection.
  Status FlushDone(bool more);
  Status Finish(Outcome outcome);
  // The connection-ending error of a kFatal outcome (a severity 20+ error, or the sink's failure).
  Status fatal_status() const;
  // A request that ends with a doomed transaction rolls it back, with error 3998.
  Status RollBackDoomed();

  // Runs a bulk load announced by INSERT BULK with the rows of `rows` (bulk_load.h).
  Outcome RunBulkLoad(const PendingBulkLoad& load, BulkRowSource& rows);

  // Reports an error that happened outside any statement (parsing the batch, binding RPC
  // parameters), with the usual rules.
  Outcome ReportRequestError(const SqlError& error);

  // ParameterSource
  Result<Value> Variable(std::string_view name) override;
  Value Runtime(tsql::RuntimeValue which) override;

  // The sink that holds DONE tokens back (statements and procedures write through it).
  ResultSink& sink();

 private:
  enum class Flow { kNext, kBreak, kContinue, kReturn, kCatch, kAbort, kCancelled, kFatal };

  static Outcome OutcomeOf(Flow flow);  // how a request ends after a run that ended with `flow`
  Flow ExecList(const std::vector<tsql::StatementPtr>& statements);
  Flow Exec(const tsql::Statement& stmt);
  Flow ExecQuery(const tsql::Statement& stmt);
  // With `evaluate` false (SET FMTONLY ON) the variables are declared, their values not set.
  Flow ExecDeclare(const tsql::DeclareStmt& d, const tsql::Statement& stmt, bool evaluate = true);
  Flow ExecSetVariable(const tsql::SetVariableStmt& s, const tsql::Statement& stmt);
  Flow ExecSetOption(const tsql::SetOptionStmt& s, const tsql::Statement& stmt);
  Flow ExecIf(const tsql::IfStmt& s, const tsql::Statement& stmt);
  Flow ExecWhile(const tsql::WhileStmt& s, const tsql::Statement& stmt);
  Flow ExecTryCatch(const tsql::TryCatchStmt& s);
  Flow ExecPrint(const tsql::PrintStmt& s, const tsql::Statement& stmt);
  Flow ExecRaiserror(const tsql::RaiserrorStmt& s, const tsql::Statement& stmt);
  Flow ExecThrow(const tsql::ThrowStmt& s, const tsql::Statement& stmt);
  Flow ExecReturn(const tsql::ReturnStmt& s, const tsql::Statement& stmt);
  Flow ExecWaitfor(const tsql::WaitforStmt& s, const tsql::Statement& stmt);
  Flow ExecUse(const tsql::UseStmt& s, const tsql::Statement& stmt);
  Flow ExecTransaction(const tsql::Statement& stmt);
  Flow ExecDdl(const tsql::Statement& stmt);
  Flow ExecExec(const tsql::ExecStmt& s, const tsql::Statement& stmt);
  Flow ExecInsertBulk(const tsql::InsertBulkStmt& s, const tsql::Statement& stmt);
  Flow LoadBulkRows(const PendingBulkLoad& load, BulkRowSource& rows);
  // SET FMTONLY ON: describes `stmt` instead of running it (interpreter_sql.cc).
  Flow ExecFormatOnly(const tsql::Statement& stmt);
  Flow DescribeQuery(const tsql::Statement& stmt);

  // Evaluates a scalar expression (optionally converted to `target`) / a condition.
  Result<Value> Evaluate(const tsql::Expr& expr, const SqlType* target);
  Result<bool> EvaluateCondition(const tsql::Expr& expr);
  // Runs a statement compiled by `compile` through the transaction on the current database.
  // Rows go to the client, or with `keep_last_row` (expression evaluation) into the outcome.
  // Compile failures set *compile_error (they end the batch and are not caught by TRY). With
  // `cached`, a statement of the running batch, compilations go through the session's compile
  // cache; *compiled_out (if given) receives the compiled statement that ran.
  Result<ExecutionOutcome> RunCompiled(
      bool keep_last_row,
      const std::function<Result<std::shared_ptr<const tsql::CompiledStatement>>(
          const tsql::BindContext&)>& compile,
      bool* compile_error, const tsql::Statement* cached = nullptr,
      std::shared_ptr<const tsql::CompiledStatement>* compiled_out = nullptr);
  tsql::BindContext MakeBindContext(const tsql::CatalogView* catalog);
  // The schema a statement compiles against: the transaction's own (uncommitted DDL included)
  // once it writes the current database, else the last committed one.
  Result<std::shared_ptr<const tsql::CatalogView>> CompileCatalog();

  // Error routing: reports (or hands to CATCH) and says how execution goes on.
  Flow Fail(SqlError error, const tsql::Statement& stmt, Command command, bool compile_time);
  Flow Fail(SqlError error, int line, Command command, bool compile_time);
  Status Done(Command command, bool has_count, int64_t rows, bool error = false);
  Status StartImplicitTransaction(const tsql::Statement& stmt);

  Session& s_;
  std::shared_ptr<const tsql::Batch> batch_;  // the batch Run is running
  std::unique_ptr<DeferringSink> sink_;
  Mode mode_;
  Variables vars_;
  int try_depth_ = 0;
  std::vector<SqlError> caught_;  // errors being handled by CATCH blocks, innermost last
  std::optional<SqlError> pending_catch_;
  int32_t return_status_ = 0;
  bool had_error_ = false;
  int while_depth_ = 0;
  std::optional<SqlError> fatal_error_;  // why the run ended kFatal
};

}  // namespace edgesql::engine
