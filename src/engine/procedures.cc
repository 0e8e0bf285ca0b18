#include "engine/procedures.h"

#include "common/errors.h"
#include "engine/interpreter.h"
#include "engine/parse_cache.h"
#include "engine/transaction.h"
#include "tsql/parser.h"
#include "types/collation.h"
#include "types/convert.h"

namespace edgesql::engine {
namespace {

// RPC ids of the procedures edgesql provides ([MS-TDS] 2.2.6.6).
constexpr uint16_t kSpExecuteSql = 10;
constexpr uint16_t kSpPrepare = 11;
constexpr uint16_t kSpExecute = 12;
constexpr uint16_t kSpPrepExec = 13;
constexpr uint16_t kSpUnprepare = 15;

uint16_t IdForName(std::string_view name) {
  // "sys.sp_executesql", "master..sp_executesql" and "sp_executesql" are the same procedure.
  size_t dot = name.rfind('.');
  if (dot != std::string_view::npos) name = name.substr(dot + 1);
  if (collation::Equal(name, "sp_executesql")) return kSpExecuteSql;
  if (collation::Equal(name, "sp_prepare")) return kSpPrepare;
  if (collation::Equal(name, "sp_execute")) return kSpExecute;
  if (collation::Equal(name, "sp_prepexec")) return kSpPrepExec;
  if (collation::Equal(name, "sp_unprepare")) return kSpUnprepare;
  return 0;
}

const char* NameForId(uint16_t id) {
  switch (id) {
    case kSpExecuteSql:
      return "sp_executesql";
    case kSpPrepare:
      return "sp_prepare";
    case kSpExecute:
      return "sp_execute";
    case kSpPrepExec:
      return "sp_prepexec";
    case kSpUnprepare:
      return "sp_unprepare";
  }
  return "";
}

// Parameter declarations ("@a int, @b nvarchar(10) OUTPUT") are a procedure's parameter list;
// the T-SQL parser reads them as exactly that. Drivers send the same declarations with every
// execution, so the parse goes through the parse cache; `batch` keeps `params` alive.
struct Declarations {
  std::shared_ptr<const tsql::Batch> batch;
  const std::vector<tsql::ParameterDef>* params = nullptr;
};

Result<Declarations> ParseDeclarations(std::string_view decl) {
  static const std::vector<tsql::ParameterDef> kNone;
  if (decl.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Declarations{nullptr, &kNone};
  }
  std::string text = "CREATE PROCEDURE edgesql_parameters " + std::string(decl) + " AS RETURN";
  EDGESQL_ASSIGN_OR_RETURN(std::shared_ptr<const tsql::Batch> batch,
                           ParseCache::Global().Get(text, true));
  const auto* proc = batch->statements.size() == 1
                         ? batch->statements[0]->As<tsql::CreateProcedureStmt>()
                         : nullptr;
  if (proc == nullptr) return errors::Make(errors::kSyntaxError, {std::string(decl.substr(0, 32))});
  return Declarations{batch, &proc->params};
}

class SystemProcedure {
 public:
  SystemProcedure(Session& s, std::vector<ProcedureParam>& params, ResultSink& sink)
      : s_(s), params_(params), sink_(sink) {}

  ProcedureOutcome Run(uint16_t id, std::string_view name) {
    switch (id) {
      case kSpExecuteSql:
        return ExecuteSql();
      case kSpPrepare:
        return Prepare(false);
      case kSpPrepExec:
        return Prepare(true);
      case kSpExecute:
        return Execute();
      case kSpUnprepare:
        return Unprepare();
      default:
        return Error(errors::Make(errors::kProcedureNotFound, {std::string(name)}));
    }
  }

 private:
  ProcedureOutcome Error(SqlError e) {
    ProcedureOutcome out;
    out.error = true;
    Status sent = sink_.Message(e);
    out.fatal = !sent.ok() || e.scope == ErrorScope::kConnection;
    if (out.fatal) out.fatal_status = sent.ok() ? Status(e) : sent;
    if (e.scope == ErrorScope::kBatchAndTransaction) s_.txn().Abort(&sink_);
    return out;
  }

  // A fixed argument (@stmt, @params, @handle): by its name if the caller used it, else by
  // position whatever name it carries, as SQL Server takes them (tedious sends sp_executesql's
  // first two as @statement and @params).
  ProcedureParam* Arg(size_t index, std::string_view name) {
    for (ProcedureParam& p : params_) {
      if (!p.name.empty() && collation::Equal(p.name, name)) return &p;
    }
    if (index < params_.size()) return &params_[index];
    return nullptr;
  }

  static std::string Text(const ProcedureParam* p) {
    if (p == nullptr || p->value.is_null()) return std::string();
    return p->value.type().IsString() ? p->value.AsString() : ToDisplayString(p->value);
  }

  ProcedureOutcome ExecuteSql() {
    ProcedureParam* stmt = Arg(0, "@stmt");
    ProcedureParam* decl = Arg(1, "@params");
    if (stmt == nullptr) {
      return Error(errors::Make(errors::kMissingParameter, {"sp_executesql", "@stmt"}));
    }
    return RunParameterized(Text(decl), Text(stmt), decl != nullptr ? 2 : 1);
  }

  ProcedureOutcome Prepare(bool execute) {
    ProcedureParam* handle = Arg(0, "@handle");
    ProcedureParam* decl = Arg(1, "@params");
    ProcedureParam* stmt = Arg(2, "@stmt");
    const char* proc = execute ? "sp_prepexec" : "sp_prepare";
    if (stmt == nullptr) return Error(errors::Make(errors::kMissingParameter, {proc, "@stmt"}));
    // The declarations must parse now, as SQL Server reports a bad declaration at prepare time.
    auto decls = ParseDeclarations(Text(decl));
    if (!decls.ok()) return Error(decls.error());
    int32_t id = s_.AddPrepared(Session::PreparedStatement{Text(decl), Text(stmt)});
    if (handle != nullptr) handle->value = Value::Integer(id);
    if (!execute) return ProcedureOutcome{};
    // sp_prepexec's values follow its three fixed parameters (and optional @options).
    return RunParameterized(Text(decl), Text(stmt), 3);
  }

  ProcedureOutcome Execute() {
    ProcedureParam* handle = Arg(0, "@handle");
    int32_t id = handle && !handle->value.is_null() && handle->value.type().IsInteger()
                     ? static_cast<int32_t>(handle->value.AsInt())
                     : -1;
    const Session::PreparedStatement* found = s_.FindPrepared(id);
    if (found == nullptr) {
      return Error(errors::Make(errors::kPreparedHandleNotFound, {std::to_string(id)}));
    }
    Session::PreparedStatement prepared = *found;  // the batch may unprepare its own handle
    return RunParameterized(prepared.params, prepared.sql, 1);
  }

  ProcedureOutcome Unprepare() {
    ProcedureParam* handle = Arg(0, "@handle");
    int32_t id = handle && !handle->value.is_null() && handle->value.type().IsInteger()
                     ? static_cast<int32_t>(handle->value.AsInt())
                     : -1;
    if (!s_.RemovePrepared(id)) {
      return Error(errors::Make(errors::kPreparedHandleNotFound, {std::to_string(id)}));
    }
    return ProcedureOutcome{};
  }

  // Declares `decl` in a new scope, binds the values from params_[first_value...], runs `sql`,
  // and copies OUTPUT parameters back.
  ProcedureOutcome RunParameterized(const std::string& decl, const std::string& sql,
                                    size_t first_value) {
    auto decls = ParseDeclarations(decl);
    if (!decls.ok()) return Error(decls.error());
    Interpreter in(s_, sink_, Interpreter::Mode::kProcedure);
    std::vector<std::pair<size_t, std::string>> outputs;  // params_ index -> variable
    size_t positional = first_value;
    for (const tsql::ParameterDef& d : *decls->params) {
      auto type = tsql::ResolveDataType(d.type);
      if (!type.ok()) return Error(type.error());
      Status st = in.variables().Declare(d.name, *type);
      if (!st.ok()) return Error(st.error());
      // Named arguments match by name; the others take the positions after the fixed ones.
      ProcedureParam* arg = nullptr;
      for (size_t i = first_value; i < params_.size(); ++i) {
        if (!params_[i].name.empty() && collation::Equal(params_[i].name, d.name)) {
          arg = &params_[i];
          if (arg->output) outputs.emplace_back(i, d.name);
        }
      }
      if (arg == nullptr && positional < params_.size() && params_[positional].name.empty()) {
        arg = &params_[positional];
        if (arg->output) outputs.emplace_back(positional, d.name);
        ++positional;
      }
      if (arg == nullptr || arg->use_default) {
        if (d.default_value == nullptr && !d.output) {
          std::string query = "(" + decl + ")" + sql;
          return Error(errors::Make(errors::kParameterizedQueryMissingParameter,
                                    {query.substr(0, 4000), d.name}));
        }
        continue;  // OUTPUT-only parameters start NULL
      }
      ConversionContext conv;
      conv.kind = ConversionKind::kImplicit;
      auto v = Convert(arg->value, *type, conv);
      if (!v.ok()) return Error(v.error());
      in.variables().Find(d.name)->value = std::move(v).value();
    }
    auto batch = ParseCache::Global().Get(sql, s_.options().quoted_identifier);
    Interpreter::Outcome outcome;
    if (!batch.ok()) {
      outcome = in.ReportRequestError(batch.error());
    } else {
      outcome = in.Run(*batch);
    }
    ProcedureOutcome out;
    out.return_status = in.return_status();
    out.error = in.had_error();
    out.cancelled = outcome == Interpreter::Outcome::kCancelled;
    out.fatal = outcome == Interpreter::Outcome::kFatal;
    if (out.fatal) {
      (void)in.FlushDone(false);
      out.fatal_status = in.fatal_status();
    } else if (!out.cancelled) {
      Status flushed = in.FlushDone(true);
      out.fatal = !flushed.ok();
      if (out.fatal) out.fatal_status = flushed;
    }
    for (auto& [index, name] : outputs) {
      if (const Variables::Variable* v = in.variables().Find(name)) {
        params_[index].value = v->value;
      }
    }
    return out;
  }

  Session& s_;
  std::vector<ProcedureParam>& params_;
  ResultSink& sink_;
};

}  // namespace

ProcedureOutcome RunSystemProcedure(Session& session, std::string_view name, uint16_t proc_id,
                                    std::vector<ProcedureParam>& params, ResultSink& sink) {
  uint16_t id = name.empty() ? proc_id : IdForName(name);
  std::string shown = name.empty() ? NameForId(proc_id) : std::string(name);
  if (shown.empty()) shown = "procedure id " + std::to_string(proc_id);
  return SystemProcedure(session, params, sink).Run(id, shown);
}

}  // namespace edgesql::engine
