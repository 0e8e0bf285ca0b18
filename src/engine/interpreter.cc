#include "engine/interpreter.h"

#include <time.h>

#include <chrono>
#include <thread>

#include "common/errors.h"
#include "engine/message_format.h"
#include "engine/session.h"
#include "engine/transaction.h"
#include "types/convert.h"
#include "types/datetime.h"

namespace edgesql::engine {

using tsql::Statement;

Interpreter::Interpreter(Session& session, ResultSink& sink, Mode mode)
    : s_(session), sink_(std::make_unique<DeferringSink>(sink)), mode_(mode) {}

Interpreter::~Interpreter() = default;

ResultSink& Interpreter::sink() { return *sink_; }

Status Interpreter::FlushDone(bool more) { return sink_->Flush(more); }

Status Interpreter::Done(Command command, bool has_count, int64_t rows, bool error) {
  DoneInfo d;
  d.kind = mode_ == Mode::kProcedure ? DoneKind::kDoneInProc : DoneKind::kDone;
  d.error = error;
  d.in_transaction = s_.txn_->active();
  d.has_count = has_count && !s_.options_.nocount;
  d.command = command;
  d.row_count = rows > 0 ? static_cast<uint64_t>(rows) : 0;
  return sink_->Done(d);
}

Status Interpreter::fatal_status() const {
  if (fatal_error_) return *fatal_error_;
  return errors::Make(errors::kProtocolStreamIncorrect, {"The client connection failed."});
}

Status Interpreter::Finish(Outcome outcome) {
  if (outcome == Outcome::kFatal) {
    // A severity 20+ error was sent and its DONE is held: deliver it before the connection
    // closes. If the sink itself failed, this fails too and changes nothing.
    (void)sink_->Flush(false);
    return fatal_status();
  }
  if (outcome == Outcome::kCancelled) {
    EDGESQL_RETURN_IF_ERROR(sink_->Flush(true));
    DoneInfo d;
    d.attention = true;
    d.in_transaction = s_.txn_->active();
    return sink_->Done(d).ok() ? sink_->Flush(false) : Status::Ok();
  }
  EDGESQL_RETURN_IF_ERROR(RollBackDoomed());
  if (sink_->has_pending()) return sink_->Flush(false);
  DoneInfo d;
  d.kind = DoneKind::kDone;
  d.error = had_error_;
  d.in_transaction = s_.txn_->active();
  EDGESQL_RETURN_IF_ERROR(sink_->Done(d));
  return sink_->Flush(false);
}

Status Interpreter::RollBackDoomed() {
  if (!s_.txn_->doomed()) return Status::Ok();
  s_.txn_->Abort(sink_.get());
  had_error_ = true;
  return sink_->Message(errors::Make(errors::kUncommittableAtBatchEnd));
}

Interpreter::Outcome Interpreter::ReportRequestError(const SqlError& error) {
  had_error_ = true;
  s_.last_error_ = error.number;
  if (!sink_->Message(error).ok()) return Outcome::kFatal;
  if (!Done(Command::kNone, false, 0, true).ok()) return Outcome::kFatal;
  if (error.scope == ErrorScope::kConnection) {
    fatal_error_ = error;
    return Outcome::kFatal;
  }
  if (error.scope == ErrorScope::kBatchAndTransaction ||
      (s_.options_.xact_abort && error.severity >= 11)) {
    s_.txn_->Abort(sink_.get());
  }
  return Outcome::kAborted;
}

Interpreter::Outcome Interpreter::Run(std::shared_ptr<const tsql::Batch> batch) {
  batch_ = std::move(batch);
  return OutcomeOf(ExecList(batch_->statements));
}

Interpreter::Outcome Interpreter::OutcomeOf(Flow flow) {
  switch (flow) {
    case Flow::kCancelled:
      return Outcome::kCancelled;
    case Flow::kFatal:
      return Outcome::kFatal;
    case Flow::kAbort:
      return Outcome::kAborted;
    case Flow::kCatch:  // cannot escape the TRY that produced it
    case Flow::kNext:
    case Flow::kBreak:
    case Flow::kContinue:
    case Flow::kReturn:
      return Outcome::kCompleted;
  }
  return Outcome::kCompleted;
}

Interpreter::Flow Interpreter::ExecList(const std::vector<tsql::StatementPtr>& statements) {
  for (const tsql::StatementPtr& stmt : statements) {
    Flow f = Exec(*stmt);
    if (f != Flow::kNext) return f;
  }
  return Flow::kNext;
}

Interpreter::Flow Interpreter::Fail(SqlError error, const Statement& stmt, Command command,
                                    bool compile_time) {
  return Fail(std::move(error), stmt.pos.line, command, compile_time);
}

Interpreter::Flow Interpreter::Fail(SqlError error, int line, Command command, bool compile_time) {
  if (error.number == errors::kQueryCancelled) return Flow::kCancelled;
  if (error.line == 0) error.line = line;
  s_.last_error_ = error.number;
  const bool catchable = try_depth_ > 0 && !compile_time && error.severity >= 11 &&
                         error.severity <= 19 && error.scope != ErrorScope::kConnection;
  if (catchable) {
    // Inside TRY, an error that would roll the transaction back dooms it instead: CATCH sees
    // XACT_STATE() = -1 and must roll back ("XACT_STATE (Transact-SQL)").
    if (s_.options_.xact_abort || error.scope == ErrorScope::kBatchAndTransaction) {
      s_.txn_->Doom();
    }
    pending_catch_ = std::move(error);
    return Flow::kCatch;
  }
  if (error.severity >= 11) had_error_ = true;
  if (!sink_->Message(error).ok()) return Flow::kFatal;
  const bool dml =
      command == Command::kInsert || command == Command::kUpdate || command == Command::kDelete;
  if (dml && error.scope == ErrorScope::kStatement && error.severity >= 11) {
    if (!sink_->Message(errors::Make(errors::kStatementTerminated)).ok()) return Flow::kFatal;
  }
  if (error.severity >= 11 && !Done(command, false, 0, true).ok()) return Flow::kFatal;
  if (error.scope == ErrorScope::kConnection) {
    fatal_error_ = std::move(error);
    return Flow::kFatal;
  }
  if (error.severity < 11) return Flow::kNext;
  if (error.scope == ErrorScope::kBatchAndTransaction ||
      (s_.options_.xact_abort && s_.txn_->active())) {
    s_.txn_->Abort(sink_.get());
    return Flow::kAbort;
  }
  return error.scope == ErrorScope::kStatement ? Flow::kNext : Flow::kAbort;
}

Interpreter::Flow Interpreter::Exec(const Statement& stmt) {
  if (sink_->CancelRequested()) return Flow::kCancelled;
  if (s_.options_.fmtonly) return ExecFormatOnly(stmt);
  return std::visit(
      [&](const auto& node) -> Flow {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, tsql::SelectStmt> || std::is_same_v<T, tsql::InsertStmt> ||
                      std::is_same_v<T, tsql::UpdateStmt> || std::is_same_v<T, tsql::DeleteStmt>) {
          return ExecQuery(stmt);
        } else if constexpr (std::is_same_v<T, tsql::TruncateTableStmt> ||
                             std::is_same_v<T, tsql::CreateTableStmt> ||
                             std::is_same_v<T, tsql::DropStmt> ||
                             std::is_same_v<T, tsql::AlterTableStmt> ||
                             std::is_same_v<T, tsql::CreateIndexStmt> ||
                             std::is_same_v<T, tsql::DropIndexStmt> ||
                             std::is_same_v<T, tsql::CreateDatabaseStmt> ||
                             std::is_same_v<T, tsql::AlterLoginStmt>) {
          return ExecDdl(stmt);
        } else if constexpr (std::is_same_v<T, tsql::UseStmt>) {
          return ExecUse(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::CreateViewStmt>) {
          return Fail(errors::Make(errors::kUnsupportedStatement, {"CREATE VIEW"}), stmt,
                      Command::kDdl, true);
        } else if constexpr (std::is_same_v<T, tsql::CreateProcedureStmt>) {
          return Fail(errors::Make(errors::kUnsupportedStatement, {"CREATE PROCEDURE"}), stmt,
                      Command::kDdl, true);
        } else if constexpr (std::is_same_v<T, tsql::CreateFunctionStmt>) {
          return Fail(errors::Make(errors::kUnsupportedStatement, {"CREATE FUNCTION"}), stmt,
                      Command::kDdl, true);
        } else if constexpr (std::is_same_v<T, tsql::DeclareStmt>) {
          return ExecDeclare(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::SetVariableStmt>) {
          return ExecSetVariable(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::SetOptionStmt>) {
          return ExecSetOption(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::IfStmt>) {
          return ExecIf(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::WhileStmt>) {
          return ExecWhile(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::BlockStmt>) {
          return ExecList(node.statements);
        } else if constexpr (std::is_same_v<T, tsql::TryCatchStmt>) {
          return ExecTryCatch(node);
        } else if constexpr (std::is_same_v<T, tsql::BreakStmt>) {
          return while_depth_ > 0 ? Flow::kBreak : Flow::kNext;
        } else if constexpr (std::is_same_v<T, tsql::ContinueStmt>) {
          return while_depth_ > 0 ? Flow::kContinue : Flow::kNext;
        } else if constexpr (std::is_same_v<T, tsql::ReturnStmt>) {
          return ExecReturn(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::ThrowStmt>) {
          return ExecThrow(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::RaiserrorStmt>) {
          return ExecRaiserror(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::PrintStmt>) {
          return ExecPrint(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::ExecStmt>) {
          return ExecExec(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::InsertBulkStmt>) {
          return ExecInsertBulk(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::BeginTransactionStmt> ||
                             std::is_same_v<T, tsql::CommitStmt> ||
                             std::is_same_v<T, tsql::RollbackStmt> ||
                             std::is_same_v<T, tsql::SaveTransactionStmt>) {
          return ExecTransaction(stmt);
        } else if constexpr (std::is_same_v<T, tsql::WaitforStmt>) {
          return ExecWaitfor(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::CheckpointStmt>) {
          // Every commit is already durable in the WAL (DESIGN.md invariant 1); CHECKPOINT
          // copies what is committed into the database file, as SQL Server writes dirty pages,
          // without waiting for readers. Inside the session's own write transaction there is
          // nothing committed to add, and the writer is busy with that transaction.
          s_.rowcount_ = 0;
          Database& db = s_.database();
          if (!db.lane().IsOwnedBy(&s_)) {
            LaneWait wait{s_.options_.lock_timeout_ms, [this] { return sink_->CancelRequested(); }};
            auto done = db.lane().Checkpoint("PASSIVE", wait);
            if (!done.ok()) return Fail(done.error(), stmt, Command::kNone, false);
          }
          return Flow::kNext;
        } else {
          static_assert(sizeof(T) == 0, "statement not handled");
        }
      },
      stmt.node);
}

// ---- Control flow ----

Interpreter::Flow Interpreter::ExecIf(const tsql::IfStmt& s, const Statement& stmt) {
  auto cond = EvaluateCondition(*s.condition);
  if (!cond.ok()) return Fail(cond.error(), stmt, Command::kNone, false);
  if (*cond) return Exec(*s.then_stmt);
  if (s.else_stmt) return Exec(*s.else_stmt);
  return Flow::kNext;
}

Interpreter::Flow Interpreter::ExecWhile(const tsql::WhileStmt& s, const Statement& stmt) {
  ++while_depth_;
  Flow result = Flow::kNext;
  for (;;) {
    if (sink_->CancelRequested()) {
      result = Flow::kCancelled;
      break;
    }
    auto cond = EvaluateCondition(*s.condition);
    if (!cond.ok()) {
      result = Fail(cond.error(), stmt, Command::kNone, false);
      if (result == Flow::kNext) continue;
      break;
    }
    if (!*cond) break;
    Flow f = Exec(*s.body);
    if (f == Flow::kBreak) break;
    if (f == Flow::kNext || f == Flow::kContinue) continue;
    result = f;
    break;
  }
  --while_depth_;
  return result;
}

Interpreter::Flow Interpreter::ExecTryCatch(const tsql::TryCatchStmt& s) {
  ++try_depth_;
  Flow f = ExecList(s.try_block);
  --try_depth_;
  if (f != Flow::kCatch) return f;
  caught_.push_back(std::move(*pending_catch_));
  pending_catch_.reset();
  Flow g = ExecList(s.catch_block);
  caught_.pop_back();
  return g;
}

Interpreter::Flow Interpreter::ExecReturn(const tsql::ReturnStmt& s, const Statement& stmt) {
  if (s.value) {
    SqlType int_type = SqlType::Int();
    auto v = Evaluate(*s.value, &int_type);
    if (!v.ok()) return Fail(v.error(), stmt, Command::kNone, false);
    return_status_ = v->is_null() ? 0 : static_cast<int32_t>(v->AsInt());
  }
  return Flow::kReturn;
}

// ---- Variables ----

Interpreter::Flow Interpreter::ExecDeclare(const tsql::DeclareStmt& d, const Statement& stmt,
                                           bool evaluate) {
  for (const tsql::DeclareVariable& v : d.variables) {
    if (!v.type) {
      return Fail(errors::Make(errors::kUnsupportedStatement, {"table variables"}), stmt,
                  Command::kNone, true);
    }
    auto type = tsql::ResolveDataType(*v.type);
    if (!type.ok()) return Fail(type.error(), stmt, Command::kNone, true);
    Status st = vars_.Declare(v.name, *type, &v);
    if (!st.ok()) return Fail(st.error(), stmt, Command::kNone, true);
    if (v.initial_value && evaluate) {
      auto value = Evaluate(*v.initial_value, &*type);
      if (!value.ok()) return Fail(value.error(), stmt, Command::kNone, false);
      vars_.Find(v.name)->value = std::move(value).value();
    }
  }
  s_.last_error_ = 0;
  return Flow::kNext;
}

Interpreter::Flow Interpreter::ExecSetVariable(const tsql::SetVariableStmt& s,
                                               const Statement& stmt) {
  Variables::Variable* var = vars_.Find(s.variable);
  if (var == nullptr) {
    return Fail(errors::Make(errors::kMustDeclareVariable, {s.variable}), stmt, Command::kNone,
                true);
  }
  bool compile_error = false;
  auto r = RunCompiled(
      true,
      [&](const tsql::BindContext& ctx) {
        return tsql::CompileAssignment(s.variable, s.op, *s.value, ctx);
      },
      &compile_error);
  if (!r.ok()) return Fail(r.error(), stmt, Command::kNone, compile_error);
  if (r->any_row) var->value = std::move(r->last_row[0]);
  s_.rowcount_ = 1;
  s_.last_error_ = 0;
  return Flow::kNext;
}

// ---- Messages ----

Interpreter::Flow Interpreter::ExecPrint(const tsql::PrintStmt& s, const Statement& stmt) {
  auto v = Evaluate(*s.value, nullptr);
  if (!v.ok()) return Fail(v.error(), stmt, Command::kNone, false);
  SqlError msg;
  msg.number = 0;
  msg.severity = 0;
  msg.state = 1;
  msg.line = stmt.pos.line;
  msg.message = v->is_null() ? "" : ToDisplayString(*v);
  if (!sink_->Message(msg).ok()) return Flow::kFatal;
  s_.rowcount_ = 0;
  s_.last_error_ = 0;
  return Flow::kNext;
}

Interpreter::Flow Interpreter::ExecRaiserror(const tsql::RaiserrorStmt& s, const Statement& stmt) {
  auto message = Evaluate(*s.message, nullptr);
  if (!message.ok()) return Fail(message.error(), stmt, Command::kNone, false);
  SqlType int_type = SqlType::Int();
  auto severity = Evaluate(*s.severity, &int_type);
  if (!severity.ok()) return Fail(severity.error(), stmt, Command::kNone, false);
  auto state = Evaluate(*s.state, &int_type);
  if (!state.ok()) return Fail(state.error(), stmt, Command::kNone, false);
  std::vector<Value> args;
  for (const tsql::ExprPtr& a : s.args) {
    auto v = Evaluate(*a, nullptr);
    if (!v.ok()) return Fail(v.error(), stmt, Command::kNone, false);
    args.push_back(std::move(v).value());
  }
  int sev = severity->is_null() ? 16 : static_cast<int>(severity->AsInt());
  int st = state->is_null() ? 1 : static_cast<int>(state->AsInt());
  if (sev > 18 && !s.with_log) {
    return Fail(errors::Make(errors::kSeverityNeedsWithLog), stmt, Command::kNone, false);
  }
  SqlError err;
  if (message->type().IsString()) {
    err = errors::MakeUser(
        errors::kUserMessage, sev, st,
        FormatRaiserrorMessage(message->is_null() ? "" : message->AsString(), args));
  } else {
    int number =
        message->type().IsInteger() && !message->is_null() ? static_cast<int>(message->AsInt()) : 0;
    err = errors::Make(errors::kMessageNotFound,
                       {std::to_string(number), std::to_string(sev), std::to_string(st)});
  }
  err.line = stmt.pos.line;
  return Fail(std::move(err), stmt, Command::kNone, false);
}

Interpreter::Flow Interpreter::ExecThrow(const tsql::ThrowStmt& s, const Statement& stmt) {
  if (!s.number) {
    if (caught_.empty()) {
      return Fail(errors::Make(errors::kRethrowOutsideCatch), stmt, Command::kNone, true);
    }
    SqlError again = caught_.back();
    again.scope = ErrorScope::kBatch;
    return Fail(std::move(again), stmt, Command::kNone, false);
  }
  SqlType int_type = SqlType::Int();
  auto number = Evaluate(*s.number, &int_type);
  if (!number.ok()) return Fail(number.error(), stmt, Command::kNone, false);
  auto message = Evaluate(*s.message, nullptr);
  if (!message.ok()) return Fail(message.error(), stmt, Command::kNone, false);
  auto state = Evaluate(*s.state, &int_type);
  if (!state.ok()) return Fail(state.error(), stmt, Command::kNone, false);
  int n = number->is_null() ? 0 : static_cast<int>(number->AsInt());
  if (n < 50000) {
    return Fail(errors::Make(errors::kThrowNumberOutOfRange, {std::to_string(n)}), stmt,
                Command::kNone, false);
  }
  // THROW always has severity 16 and ends the batch ("THROW (Transact-SQL)").
  SqlError err = errors::MakeUser(n, 16, state->is_null() ? 1 : static_cast<int>(state->AsInt()),
                                  message->is_null() ? "" : ToDisplayString(*message));
  err.scope = ErrorScope::kBatch;
  return Fail(std::move(err), stmt, Command::kNone, false);
}

Interpreter::Flow Interpreter::ExecWaitfor(const tsql::WaitforStmt& s, const Statement& stmt) {
  auto v = Evaluate(*s.value, nullptr);
  if (!v.ok()) return Fail(v.error(), stmt, Command::kNone, false);
  auto parsed = datetime::Parse(v->is_null() ? "" : ToDisplayString(*v), s_.options_.dates);
  if (!parsed || !parsed->has_time || parsed->has_date) {
    return Fail(errors::Make(errors::kWaitforTimeSyntax, {v->is_null() ? "" : ToDisplayString(*v)}),
                stmt, Command::kNone, false);
  }
  int64_t wait_ticks = parsed->ticks;
  if (!s.delay) {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    tm local{};
    localtime_r(&now.tv_sec, &local);
    int64_t now_ticks =
        (int64_t{local.tm_hour} * 3600 + local.tm_min * 60 + local.tm_sec) * kTicksPerSecond +
        now.tv_nsec / 100;
    wait_ticks = parsed->ticks - now_ticks;
    if (wait_ticks < 0) wait_ticks += kTicksPerDay;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(wait_ticks / 10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (sink_->CancelRequested()) return Flow::kCancelled;
    auto left = deadline - std::chrono::steady_clock::now();
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(10)));
  }
  s_.last_error_ = 0;
  return Flow::kNext;
}

// ---- Parameters for compiled statements ----

Result<Value> Interpreter::Variable(std::string_view name) {
  const Variables::Variable* v = vars_.Find(name);
  if (v == nullptr) return errors::Make(errors::kMustDeclareVariable, {std::string(name)});
  return v->value;
}

}  // namespace edgesql::engine
