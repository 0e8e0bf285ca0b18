// The interpreter's statements that touch data or session state: queries and DML, expression
// evaluation, SET options, USE, transaction statements (see interpreter.h).
#include <time.h>

#include "common/errors.h"
#include "engine/interpreter.h"
#include "engine/session.h"
#include "engine/transaction.h"
#include "types/collation.h"
#include "types/convert.h"
#include "types/datetime.h"

namespace edgesql::engine {

using tsql::Statement;

namespace {

Command CommandOf(const Statement& stmt) {
  if (stmt.As<tsql::InsertStmt>()) return Command::kInsert;
  if (stmt.As<tsql::UpdateStmt>()) return Command::kUpdate;
  if (stmt.As<tsql::DeleteStmt>()) return Command::kDelete;
  return Command::kSelect;
}

// SELECT statements start an implicit transaction only when they read a table
// ("SET IMPLICIT_TRANSACTIONS (Transact-SQL)").
bool SelectReadsTable(const tsql::SelectStmt& s) {
  const tsql::QueryExpr* body = s.query ? s.query->body.get() : nullptr;
  while (body != nullptr) {
    if (const auto* spec = std::get_if<tsql::QuerySpec>(&body->node)) return !spec->from.empty();
    if (const auto* set = std::get_if<tsql::SetOperation>(&body->node)) {
      body = set->left.get();
      continue;
    }
    if (const auto* paren = std::get_if<tsql::ParenQuery>(&body->node)) {
      body = paren->query ? paren->query->body.get() : nullptr;
      continue;
    }
    break;
  }
  return false;
}

int64_t LocalOffsetMinutes(time_t t) {
  tm local{};
  localtime_r(&t, &local);
  return local.tm_gmtoff / 60;
}

}  // namespace

tsql::BindContext Interpreter::MakeBindContext(const tsql::CatalogView* catalog) {
  const SessionOptions& o = s_.options_;
  tsql::BindContext ctx;
  ctx.catalog = catalog;
  ctx.variables = &vars_;
  ctx.database_name = s_.database().name();
  ctx.settings.ansi_nulls = o.ansi_nulls;
  ctx.settings.concat_null_yields_null = o.concat_null_yields_null;
  ctx.settings.quoted_identifier = o.quoted_identifier;
  ctx.settings.ansi_warnings = o.ansi_warnings;
  ctx.settings.arithabort = o.arithabort;
  ctx.settings.identity_insert =
      o.identity_insert_object_id != 0 && o.identity_insert_database_id == s_.database().id();
  ctx.settings.identity_insert_object_id =
      ctx.settings.identity_insert ? o.identity_insert_object_id : 0;
  ctx.settings.rowcount_limit = o.rowcount;
  ctx.settings.dates = o.dates;
  return ctx;
}

Result<std::shared_ptr<const tsql::CatalogView>> Interpreter::CompileCatalog() {
  Database& db = s_.database();
  if (s_.txn_->writing() && db.lane().IsOwnedBy(&s_)) {
    EDGESQL_ASSIGN_OR_RETURN(auto catalog, db.CatalogFor(db.lane().connection()));
    return std::shared_ptr<const tsql::CatalogView>(std::move(catalog));
  }
  return std::shared_ptr<const tsql::CatalogView>(db.published_catalog());
}

Result<ExecutionOutcome> Interpreter::RunCompiled(
    bool keep_last_row,
    const std::function<
        Result<std::shared_ptr<const tsql::CompiledStatement>>(const tsql::BindContext&)>& compile,
    bool* compile_error, const tsql::Statement* cached,
    std::shared_ptr<const tsql::CompiledStatement>* compiled_out) {
  Database& db = s_.database();
  TransactionState& txn = *s_.txn_;
  auto compile_for = [&](const std::shared_ptr<const tsql::CatalogView>& catalog)
      -> Result<std::shared_ptr<const tsql::CompiledStatement>> {
    tsql::BindContext ctx = MakeBindContext(catalog.get());
    auto c = cached != nullptr && batch_ != nullptr
                 ? s_.compile_cache_.Get(batch_, *cached, catalog, ctx, compile)
                 : compile(ctx);
    if (!c.ok()) {
      *compile_error = true;
    } else if (compiled_out != nullptr) {
      *compiled_out = *c;
    }
    return c;
  };
  EDGESQL_ASSIGN_OR_RETURN(std::shared_ptr<const tsql::CatalogView> catalog, CompileCatalog());
  auto compiled = compile_for(catalog);
  if (!compiled.ok()) return compiled.error();
  ExecutionOutcome outcome;
  ResultSink* rows_to = (*compiled)->kind == tsql::StatementKind::kSelectAssign || keep_last_row
                            ? nullptr
                            : sink_.get();
  auto work = [&](storage::SqliteConnection& conn) -> Status {
    EDGESQL_ASSIGN_OR_RETURN(auto now, db.CatalogFor(conn));
    std::shared_ptr<const tsql::CompiledStatement> use = *compiled;
    const tsql::CatalogView* view = now.get();
    if (now.get() != catalog.get()) {
      // The connection's snapshot has a different schema (a racing DDL commit, or DDL earlier
      // in this group commit): compile again against exactly what it sees.
      auto again = compile_for(now);
      if (!again.ok()) return again.error();
      use = std::move(again).value();
    }
    s_.key_values_.clear();
    ExecutionContext ec;
    ec.conn = &conn;
    ec.db = &db;
    ec.catalog = view;
    ec.runtime = &s_;
    ec.params = this;
    ec.sink = rows_to;
    ec.rowcount_limit = s_.options_.rowcount;
    ec.textsize = s_.options_.textsize;
    ec.cancelled = [this] { return sink_->CancelRequested(); };
    ec.key_values = &s_.key_values_;
    EDGESQL_ASSIGN_OR_RETURN(outcome, Execute(*use, ec));
    return Status::Ok();
  };
  LaneWait wait{s_.options_.lock_timeout_ms, [this] { return sink_->CancelRequested(); }};
  EDGESQL_RETURN_IF_ERROR(txn.Run(db, (*compiled)->writes, wait, work));
  return outcome;
}

Result<Value> Interpreter::Evaluate(const tsql::Expr& expr, const SqlType* target) {
  bool compile_error = false;
  EDGESQL_ASSIGN_OR_RETURN(
      ExecutionOutcome out,
      RunCompiled(
          true,
          [&](const tsql::BindContext& ctx) { return tsql::CompileExpression(expr, ctx, target); },
          &compile_error));
  if (!out.any_row) return errors::Make(errors::kInternalError, {"expression produced no row"});
  return std::move(out.last_row[0]);
}

Result<bool> Interpreter::EvaluateCondition(const tsql::Expr& expr) {
  bool compile_error = false;
  EDGESQL_ASSIGN_OR_RETURN(
      ExecutionOutcome out,
      RunCompiled(
          true, [&](const tsql::BindContext& ctx) { return tsql::CompileCondition(expr, ctx); },
          &compile_error));
  if (!out.any_row || out.last_row[0].is_null()) return false;
  return out.last_row[0].AsInt() != 0;
}

Status Interpreter::StartImplicitTransaction(const Statement& stmt) {
  if (!s_.options_.implicit_transactions || s_.txn_->active()) return Status::Ok();
  bool starts = stmt.As<tsql::InsertStmt>() || stmt.As<tsql::UpdateStmt>() ||
                stmt.As<tsql::DeleteStmt>() || stmt.As<tsql::CreateTableStmt>() ||
                stmt.As<tsql::DropStmt>() || stmt.As<tsql::AlterTableStmt>() ||
                stmt.As<tsql::CreateIndexStmt>() || stmt.As<tsql::DropIndexStmt>() ||
                stmt.As<tsql::TruncateTableStmt>() || stmt.As<tsql::BeginTransactionStmt>();
  if (const auto* sel = stmt.As<tsql::SelectStmt>()) starts = SelectReadsTable(*sel);
  if (!starts) return Status::Ok();
  return s_.txn_->Begin(*sink_);
}

Interpreter::Flow Interpreter::ExecQuery(const Statement& stmt) {
  const Command command = CommandOf(stmt);
  Status implicit = StartImplicitTransaction(stmt);
  if (!implicit.ok()) return Fail(implicit.error(), stmt, command, false);
  std::shared_ptr<const tsql::CompiledStatement> compiled;
  bool compile_error = false;
  auto r = RunCompiled(
      false, [&](const tsql::BindContext& ctx) { return tsql::CompileStatement(stmt, ctx); },
      &compile_error, &stmt, &compiled);
  if (!r.ok()) return Fail(r.error(), stmt, command, compile_error);
  s_.rowcount_ = r->rows;
  s_.last_error_ = 0;
  if (compiled->kind == tsql::StatementKind::kSelectAssign) {
    if (r->any_row) {
      for (size_t i = 0; i < compiled->assign_variables.size(); ++i) {
        if (Variables::Variable* v = vars_.Find(compiled->assign_variables[i])) {
          v->value = std::move(r->last_row[i]);
        }
      }
    }
    return Flow::kNext;
  }
  if (!Done(command, true, r->rows).ok()) return Flow::kFatal;
  return Flow::kNext;
}

// ---- SET FMTONLY ON ----

// "SET FMTONLY (Transact-SQL)": "Returns only metadata to the client ... No rows are processed
// or sent to the client". Queries and DML compile but do not run: a SELECT (or DML with OUTPUT)
// sends its column metadata, every query and DML statement a DONE without a row count, and
// compile errors (208, 207, ...) are reported as they would be. SET options and USE take effect
// (SET FMTONLY OFF ends the mode); DECLARE declares without evaluating. As SQL Server walks every
// code path in this mode, both branches of IF, the body of WHILE (once) and both blocks of
// TRY...CATCH are described. Everything else - assignments, DDL, transactions, EXEC, PRINT,
// RAISERROR, THROW, WAITFOR, CHECKPOINT, INSERT BULK - is skipped.
Interpreter::Flow Interpreter::ExecFormatOnly(const Statement& stmt) {
  auto loop_body = [](Flow f) {
    return f == Flow::kBreak || f == Flow::kContinue || f == Flow::kReturn ? Flow::kNext : f;
  };
  return std::visit(
      [&](const auto& node) -> Flow {
        using T = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<T, tsql::SelectStmt> || std::is_same_v<T, tsql::InsertStmt> ||
                      std::is_same_v<T, tsql::UpdateStmt> || std::is_same_v<T, tsql::DeleteStmt>) {
          return DescribeQuery(stmt);
        } else if constexpr (std::is_same_v<T, tsql::SetOptionStmt>) {
          return ExecSetOption(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::UseStmt>) {
          return ExecUse(node, stmt);
        } else if constexpr (std::is_same_v<T, tsql::DeclareStmt>) {
          return ExecDeclare(node, stmt, /*evaluate=*/false);
        } else if constexpr (std::is_same_v<T, tsql::IfStmt>) {
          Flow f = loop_body(Exec(*node.then_stmt));
          if (f != Flow::kNext || !node.else_stmt) return f;
          return loop_body(Exec(*node.else_stmt));
        } else if constexpr (std::is_same_v<T, tsql::WhileStmt>) {
          return loop_body(Exec(*node.body));
        } else if constexpr (std::is_same_v<T, tsql::BlockStmt>) {
          return loop_body(ExecList(node.statements));
        } else if constexpr (std::is_same_v<T, tsql::TryCatchStmt>) {
          Flow f = loop_body(ExecList(node.try_block));
          if (f != Flow::kNext) return f;
          return loop_body(ExecList(node.catch_block));
        } else {
          return Flow::kNext;
        }
      },
      stmt.node);
}

Interpreter::Flow Interpreter::DescribeQuery(const Statement& stmt) {
  const Command command = CommandOf(stmt);
  auto catalog = CompileCatalog();
  if (!catalog.ok()) return Fail(catalog.error(), stmt, command, false);
  auto compiled = tsql::CompileStatement(stmt, MakeBindContext(catalog->get()));
  if (!compiled.ok()) return Fail(compiled.error(), stmt, command, true);
  s_.rowcount_ = 0;
  s_.last_error_ = 0;
  if ((*compiled)->kind == tsql::StatementKind::kSelectAssign) return Flow::kNext;
  if ((*compiled)->returns_rows && !sink_->ColumnMetadata((*compiled)->columns).ok()) {
    return Flow::kFatal;
  }
  if (!Done(command, false, 0).ok()) return Flow::kFatal;
  return Flow::kNext;
}

// ---- Runtime values ----

Value Interpreter::Runtime(tsql::RuntimeValue which) {
  using tsql::RuntimeValue;
  const SessionOptions& o = s_.options_;
  auto nvarchar = [](std::string s) {
    Value v = Value::NVarChar(std::move(s));
    v.set_type(SqlType::NVarChar(128));
    return v;
  };
  auto error_field = [&](auto get, SqlType type) -> Value {
    if (caught_.empty()) return Value::Null(type);
    return get(caught_.back());
  };
  timespec ts{};
  switch (which) {
    case RuntimeValue::kGetDate:
    case RuntimeValue::kGetUtcDate:
    case RuntimeValue::kSysDateTime:
    case RuntimeValue::kSysUtcDateTime:
    case RuntimeValue::kSysDateTimeOffset: {
      clock_gettime(CLOCK_REALTIME, &ts);
      int64_t utc = (int64_t{719162} * 86400 + ts.tv_sec) * kTicksPerSecond + ts.tv_nsec / 100;
      int64_t offset = LocalOffsetMinutes(ts.tv_sec);
      int64_t local = utc + offset * 60 * kTicksPerSecond;
      if (which == RuntimeValue::kSysDateTimeOffset) {
        return Value::Dto(SqlType::DateTimeOffset(7),
                          DateTimeOffset{utc, static_cast<int16_t>(offset)});
      }
      bool utc_value = which == RuntimeValue::kGetUtcDate || which == RuntimeValue::kSysUtcDateTime;
      SqlType type = (which == RuntimeValue::kGetDate || which == RuntimeValue::kGetUtcDate)
                         ? SqlType::DateTime()
                         : SqlType::DateTime2(7);
      return Value::Int(type, datetime::RoundTicks(utc_value ? utc : local, type));
    }
    case RuntimeValue::kRowCount:
      return Value::Integer(s_.rowcount_);
    case RuntimeValue::kError:
      return Value::Integer(s_.last_error_);
    case RuntimeValue::kTranCount:
      return Value::Integer(s_.txn_->trancount());
    case RuntimeValue::kIdentity:
    case RuntimeValue::kScopeIdentity: {
      // numeric(38,0), as SQL Server types @@IDENTITY and SCOPE_IDENTITY().
      const auto& id = which == RuntimeValue::kIdentity ? s_.identity_ : s_.scope_identity_;
      if (!id) return Value::Null(SqlType::Numeric(38, 0));
      return Value::Dec(SqlType::Numeric(38, 0), Decimal::FromInt(*id));
    }
    case RuntimeValue::kSpid:
      return Value::Int(SqlType::SmallInt(), s_.spid());
    case RuntimeValue::kFetchStatus:
      return Value::Integer(-1);
    case RuntimeValue::kLockTimeout:
      return Value::Integer(o.lock_timeout_ms);
    case RuntimeValue::kNestLevel:
      return Value::Integer(mode_ == Mode::kProcedure ? 1 : 0);
    case RuntimeValue::kDatabaseName:
      return nvarchar(s_.database().name());
    case RuntimeValue::kDatabaseId:
      return Value::Integer(s_.database().id());
    case RuntimeValue::kLoginName:
      return nvarchar(s_.login_);
    case RuntimeValue::kUserName:
      return nvarchar("dbo");  // sa is the database owner in every database
    case RuntimeValue::kHostName:
      return nvarchar(s_.host_name_);
    case RuntimeValue::kAppName:
      return nvarchar(s_.app_name_);
    case RuntimeValue::kTextSize:
      return Value::Integer(o.textsize);
    case RuntimeValue::kDateFirst:
      return Value::Int(SqlType::TinyInt(), o.dates.datefirst);
    case RuntimeValue::kLanguage:
      return nvarchar(o.language);
    case RuntimeValue::kOptions: {
      // @@OPTIONS bits ("@@OPTIONS (Transact-SQL)").
      int64_t bits = (o.implicit_transactions ? 2 : 0) | (o.cursor_close_on_commit ? 4 : 0) |
                     (o.ansi_warnings ? 8 : 0) | (o.ansi_padding ? 16 : 0) |
                     (o.ansi_nulls ? 32 : 0) | (o.arithabort ? 64 : 0) |
                     (o.quoted_identifier ? 256 : 0) | (o.nocount ? 512 : 0) |
                     (o.ansi_null_dflt_on ? 1024 : 2048) | (o.concat_null_yields_null ? 4096 : 0) |
                     (o.numeric_roundabort ? 8192 : 0) | (o.xact_abort ? 16384 : 0);
      return Value::Integer(bits);
    }
    case RuntimeValue::kServerName:
      return nvarchar(s_.server().identity().server_name);
    case RuntimeValue::kVersion: {
      Value v = Value::NVarChar(s_.server().identity().version_string);
      v.set_type(SqlType::NVarChar(300));
      return v;
    }
    case RuntimeValue::kMaxPrecision:
      return Value::Int(SqlType::TinyInt(), Decimal::kMaxPrecision);
    case RuntimeValue::kErrorNumber:
      return error_field([](const SqlError& e) { return Value::Integer(e.number); },
                         SqlType::Int());
    case RuntimeValue::kErrorMessage:
      return error_field(
          [](const SqlError& e) {
            Value v = Value::NVarChar(e.message);
            v.set_type(SqlType::NVarChar(4000));
            return v;
          },
          SqlType::NVarChar(4000));
    case RuntimeValue::kErrorSeverity:
      return error_field([](const SqlError& e) { return Value::Integer(e.severity); },
                         SqlType::Int());
    case RuntimeValue::kErrorState:
      return error_field([](const SqlError& e) { return Value::Integer(e.state); }, SqlType::Int());
    case RuntimeValue::kErrorLine:
      return error_field([](const SqlError& e) { return Value::Integer(e.line); }, SqlType::Int());
    case RuntimeValue::kErrorProcedure:
      return error_field(
          [&](const SqlError& e) {
            return e.procedure.empty() ? Value::Null(SqlType::NVarChar(128))
                                       : nvarchar(e.procedure);
          },
          SqlType::NVarChar(128));
    case RuntimeValue::kXactState:
      return Value::Int(SqlType::SmallInt(), s_.txn_->XactState());
  }
  return Value();
}

// ---- SET options ----

Interpreter::Flow Interpreter::ExecSetOption(const tsql::SetOptionStmt& s, const Statement& stmt) {
  SessionOptions& o = s_.options_;
  s_.rowcount_ = 0;
  s_.last_error_ = 0;
  switch (s.kind) {
    case tsql::SetOptionKind::kIsolationLevel:
      o.isolation = s.level;
      return Flow::kNext;
    case tsql::SetOptionKind::kIdentityInsert: {
      auto catalog = s_.database().published_catalog();
      const tsql::Identifier* name = s.table.FromRight(0);
      const tsql::Identifier* schema = s.table.FromRight(1);
      const tsql::TableInfo* table =
          name ? catalog->FindTable(schema ? schema->value : "", name->value) : nullptr;
      if (table == nullptr) {
        return Fail(
            errors::Make(errors::kCannotFindObjectGeneric, {name ? name->value : std::string()}),
            stmt, Command::kSet, false);
      }
      if (table->IdentityColumn() == nullptr) {
        return Fail(errors::Make(errors::kNoIdentityProperty, {table->name}), stmt, Command::kSet,
                    false);
      }
      if (s.on) {
        if (o.identity_insert_object_id != 0 &&
            !(o.identity_insert_object_id == table->object_id &&
              o.identity_insert_database_id == s_.database().id())) {
          // SQL Server names the table that has it ON as database.schema.table.
          std::string holder = "?";
          if (Database* db = s_.server().DatabaseById(o.identity_insert_database_id)) {
            if (const tsql::TableInfo* t =
                    db->published_catalog()->TableById(o.identity_insert_object_id)) {
              holder = db->name() + "." + t->schema + "." + t->name;
            }
          }
          return Fail(errors::Make(errors::kIdentityInsertAlreadyOn, {holder, table->name}), stmt,
                      Command::kSet, false);
        }
        o.identity_insert_object_id = table->object_id;
        o.identity_insert_database_id = s_.database().id();
      } else if (o.identity_insert_object_id == table->object_id) {
        o.identity_insert_object_id = 0;
        o.identity_insert_database_id = 0;
      }
      return Flow::kNext;
    }
    case tsql::SetOptionKind::kValue: {
      const std::string& option = s.options.front();
      std::string word = s.word ? s.word->value : std::string();
      int64_t number = 0;
      if (s.value) {
        SqlType big = SqlType::BigInt();
        auto v = Evaluate(*s.value, &big);
        if (!v.ok()) return Fail(v.error(), stmt, Command::kSet, false);
        number = v->is_null() ? 0 : v->AsInt();
        if (!s.word) word = std::to_string(number);
      }
      if (option == "DATEFIRST") {
        if (number < 1 || number > 7) {
          return Fail(errors::Make(errors::kDateFirstOutOfRange, {std::to_string(number)}), stmt,
                      Command::kSet, false);
        }
        o.dates.datefirst = static_cast<int>(number);
      } else if (option == "DATEFORMAT") {
        std::string f = collation::Lower(word);
        static const char* kFormats[] = {"mdy", "dmy", "ymd", "ydm", "myd", "dym"};
        bool known = false;
        for (const char* k : kFormats) known |= f == k;
        if (!known) {
          return Fail(errors::Make(errors::kSyntaxError, {word}), stmt, Command::kSet, true);
        }
        std::copy(f.begin(), f.begin() + 3, o.dates.order);
      } else if (option == "LANGUAGE") {
        if (!collation::Equal(word, "us_english") && !collation::Equal(word, "english")) {
          return Fail(errors::Make(errors::kUnsupportedStatement, {"SET LANGUAGE " + word}), stmt,
                      Command::kSet, false);
        }
        o.language = "us_english";
      } else if (option == "TEXTSIZE") {
        o.textsize = number <= 0 ? 4096 : number;
      } else if (option == "LOCK_TIMEOUT") {
        o.lock_timeout_ms = number < 0 ? -1 : number;
      } else if (option == "ROWCOUNT") {
        o.rowcount = number < 0 ? 0 : number;
      } else if (option == "DEADLOCK_PRIORITY" || option == "QUERY_GOVERNOR_COST_LIMIT" ||
                 option == "CONTEXT_INFO") {
        // edgesql has no deadlocks (one writer per database), no query governor and no
        // CONTEXT_INFO readers: accepted, with nothing to change.
      } else {
        return Fail(errors::Make(errors::kUnsupportedStatement, {"SET " + option}), stmt,
                    Command::kSet, false);
      }
      return Flow::kNext;
    }
    case tsql::SetOptionKind::kOnOff:
      break;
  }
  for (const std::string& option : s.options) {
    bool on = s.on;
    if (option == "ANSI_NULLS") {
      o.ansi_nulls = on;
    } else if (option == "ANSI_NULL_DFLT_ON") {
      o.ansi_null_dflt_on = on;
    } else if (option == "ANSI_NULL_DFLT_OFF") {
      o.ansi_null_dflt_on = !on;
    } else if (option == "ANSI_PADDING") {
      o.ansi_padding = on;
    } else if (option == "ANSI_WARNINGS") {
      o.ansi_warnings = on;
    } else if (option == "ARITHABORT") {
      o.arithabort = on;
    } else if (option == "CONCAT_NULL_YIELDS_NULL") {
      o.concat_null_yields_null = on;
    } else if (option == "QUOTED_IDENTIFIER") {
      o.quoted_identifier = on;
    } else if (option == "NOCOUNT") {
      o.nocount = on;
    } else if (option == "XACT_ABORT") {
      o.xact_abort = on;
    } else if (option == "IMPLICIT_TRANSACTIONS") {
      o.implicit_transactions = on;
    } else if (option == "CURSOR_CLOSE_ON_COMMIT") {
      o.cursor_close_on_commit = on;
    } else if (option == "NUMERIC_ROUNDABORT") {
      o.numeric_roundabort = on;
    } else if (option == "FMTONLY") {
      o.fmtonly = on;
    } else if (option == "ANSI_DEFAULTS") {
      // "SET ANSI_DEFAULTS (Transact-SQL)": the group of ISO settings.
      o.ansi_nulls = o.ansi_null_dflt_on = o.ansi_padding = o.ansi_warnings = on;
      o.cursor_close_on_commit = o.implicit_transactions = o.quoted_identifier = on;
    } else if (!on && (option.rfind("STATISTICS", 0) == 0 || option.rfind("SHOWPLAN", 0) == 0 ||
                       option == "NOEXEC" || option == "PARSEONLY" || option == "FORCEPLAN")) {
      // Turning off a diagnostic mode edgesql never turns on.
    } else if (option == "NO_BROWSETABLE" || option == "ARITHIGNORE" ||
               option == "REMOTE_PROC_TRANSACTIONS") {
      // Browse mode, ARITHIGNORE (only matters with ARITHABORT OFF and ANSI_WARNINGS OFF) and
      // distributed procedure transactions do not exist in edgesql: nothing to change.
    } else {
      return Fail(
          errors::Make(errors::kUnsupportedStatement, {"SET " + option + (on ? " ON" : " OFF")}),
          stmt, Command::kSet, false);
    }
  }
  return Flow::kNext;
}

// ---- USE ----

Interpreter::Flow Interpreter::ExecUse(const tsql::UseStmt& s, const Statement& stmt) {
  Database* db = s_.server().FindDatabase(s.database.value);
  if (db == nullptr) {
    return Fail(errors::Make(errors::kDatabaseDoesNotExist, {s.database.value}), stmt,
                Command::kUse, false);
  }
  std::string old = s_.database().name();
  s_.SetDatabase(db);
  s_.rowcount_ = 0;
  s_.last_error_ = 0;
  if (!sink_->DatabaseChanged(db->name(), old).ok()) return Flow::kFatal;
  if (!sink_->Message(errors::Make(errors::kChangedDatabaseContext, {db->name()})).ok()) {
    return Flow::kFatal;
  }
  if (!Done(Command::kUse, false, 0).ok()) return Flow::kFatal;
  return Flow::kNext;
}

// ---- Transactions ----

Interpreter::Flow Interpreter::ExecTransaction(const Statement& stmt) {
  TransactionState& txn = *s_.txn_;
  // A name given as @variable is that variable's value.
  auto name_of = [&](const std::optional<tsql::Identifier>& id) -> Result<std::string> {
    if (!id) return std::string();
    if (!id->quoted && !id->value.empty() && id->value[0] == '@') {
      EDGESQL_ASSIGN_OR_RETURN(Value v, Variable(id->value));
      return v.is_null() ? std::string() : ToDisplayString(v);
    }
    return id->value;
  };
  Command command = Command::kOther;
  Status st;
  if (const auto* b = stmt.As<tsql::BeginTransactionStmt>()) {
    command = Command::kBeginTransaction;
    auto name = name_of(b->name);
    st = name.ok() ? StartImplicitTransaction(stmt) : name.status();
    if (st.ok()) st = txn.Begin(*sink_, *name);
  } else if (const auto* c = stmt.As<tsql::CommitStmt>()) {
    command = Command::kCommit;
    (void)c;
    st = txn.Commit(*sink_);
  } else if (const auto* r = stmt.As<tsql::RollbackStmt>()) {
    command = Command::kRollback;
    auto name = name_of(r->name);
    st = name.ok() ? txn.Rollback(*sink_, *name) : name.status();
  } else if (const auto* sv = stmt.As<tsql::SaveTransactionStmt>()) {
    command = Command::kSaveTransaction;
    auto name = name_of(std::optional<tsql::Identifier>(sv->name));
    st = name.ok() ? txn.Save(*name) : name.status();
  }
  if (!st.ok()) return Fail(st.error(), stmt, command, false);
  s_.rowcount_ = 0;
  s_.last_error_ = 0;
  if (!Done(command, false, 0).ok()) return Flow::kFatal;
  return Flow::kNext;
}

}  // namespace edgesql::engine
