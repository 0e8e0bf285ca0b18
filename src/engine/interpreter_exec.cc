// The interpreter's DDL and EXEC statements (see interpreter.h).
#include "common/errors.h"
#include "engine/ddl.h"
#include "engine/interpreter.h"
#include "engine/parse_cache.h"
#include "engine/procedures.h"
#include "engine/session.h"
#include "engine/transaction.h"
#include "types/convert.h"

namespace edgesql::engine {

using tsql::Statement;

Interpreter::Flow Interpreter::ExecDdl(const Statement& stmt) {
  Status implicit = StartImplicitTransaction(stmt);
  if (!implicit.ok()) return Fail(implicit.error(), stmt, Command::kDdl, false);
  LaneWait wait{s_.options_.lock_timeout_ms, [this] { return sink_->CancelRequested(); }};
  Status st = ExecuteDdl(s_, stmt, *sink_, wait);
  if (!st.ok()) return Fail(st.error(), stmt, Command::kDdl, false);
  s_.rowcount_ = 0;
  s_.last_error_ = 0;
  if (!Done(Command::kDdl, false, 0).ok()) return Flow::kFatal;
  return Flow::kNext;
}

Interpreter::Flow Interpreter::ExecExec(const tsql::ExecStmt& e, const Statement& stmt) {
  // EXEC ('dynamic SQL'): the string runs as a batch of its own, in a new variable scope.
  if (!e.sql.empty()) {
    std::string text;
    for (const tsql::ExprPtr& part : e.sql) {
      auto v = Evaluate(*part, nullptr);
      if (!v.ok()) return Fail(v.error(), stmt, Command::kExecute, false);
      if (!v->is_null()) text += v->type().IsString() ? v->AsString() : ToDisplayString(*v);
    }
    auto batch = ParseCache::Global().Get(text, s_.options_.quoted_identifier);
    if (!batch.ok()) return Fail(batch.error(), stmt, Command::kExecute, false);
    Interpreter inner(s_, *sink_, Mode::kProcedure);
    Outcome o = inner.Run(*batch);
    had_error_ |= inner.had_error();
    if (o == Outcome::kCancelled) return Flow::kCancelled;
    if (o == Outcome::kFatal) {
      (void)inner.FlushDone(true);
      fatal_error_ = inner.fatal_status().error();
      return Flow::kFatal;
    }
    if (!inner.FlushDone(true).ok()) return Flow::kFatal;
    return Flow::kNext;
  }

  std::string name;
  if (!e.procedure_variable.empty()) {
    auto v = Variable(e.procedure_variable);
    if (!v.ok()) return Fail(v.error(), stmt, Command::kExecute, true);
    name = v->is_null() ? "" : ToDisplayString(*v);
  } else if (const tsql::Identifier* id = e.procedure.FromRight(0)) {
    name = id->value;
    if (const tsql::Identifier* schema = e.procedure.FromRight(1))
      name = schema->value + "." + name;
  }
  // Arguments: values evaluated now; OUTPUT arguments must be variables and get their values back.
  std::vector<ProcedureParam> params;
  std::vector<std::pair<size_t, std::string>> outputs;
  for (const tsql::ExecArg& a : e.args) {
    ProcedureParam p;
    p.name = a.name;
    p.output = a.output;
    if (a.value->As<tsql::DefaultExpr>()) {
      p.use_default = true;
    } else {
      if (a.output) {
        const auto* var = a.value->As<tsql::VariableExpr>();
        if (var == nullptr) {
          return Fail(errors::Make(errors::kSyntaxError, {"OUTPUT"}), stmt, Command::kExecute,
                      true);
        }
        outputs.emplace_back(params.size(), var->name);
      }
      auto v = Evaluate(*a.value, nullptr);
      if (!v.ok()) return Fail(v.error(), stmt, Command::kExecute, false);
      p.value = std::move(v).value();
    }
    params.push_back(std::move(p));
  }
  ProcedureOutcome out = RunSystemProcedure(s_, name, 0, params, *sink_);
  had_error_ |= out.error;
  if (out.fatal) {
    if (!out.fatal_status.ok()) fatal_error_ = out.fatal_status.error();
    return Flow::kFatal;
  }
  if (out.cancelled) return Flow::kCancelled;
  for (auto& [index, variable] : outputs) {
    if (Variables::Variable* v = vars_.Find(variable)) {
      ConversionContext conv;
      conv.kind = ConversionKind::kAssignment;
      auto converted = Convert(params[index].value, v->type, conv);
      if (converted.ok()) v->value = std::move(converted).value();
    }
  }
  if (!e.return_variable.empty()) {
    if (Variables::Variable* v = vars_.Find(e.return_variable)) {
      v->value = Value::Integer(out.return_status);
    }
  }
  // An EXEC in a batch reports like a procedure: RETURNSTATUS, then DONEPROC.
  if (!sink_->ReturnStatus(out.return_status).ok()) return Flow::kFatal;
  DoneInfo d;
  d.kind = DoneKind::kDoneProc;
  d.error = out.error;
  d.in_transaction = s_.txn_->active();
  d.command = Command::kExecute;
  if (!sink_->Done(d).ok()) return Flow::kFatal;
  s_.last_error_ = out.error ? s_.last_error_ : 0;
  return Flow::kNext;
}

}  // namespace edgesql::engine
