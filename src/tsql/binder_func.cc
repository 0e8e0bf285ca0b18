// Binder: built-in function dispatch, the NULL-handling and choice functions (ISNULL, COALESCE,
// NULLIF, IIF, CHOOSE), system functions and @@ global variables.
#include "tsql/binder.h"
#include "tsql/type_code.h"
#include "types/collation.h"

namespace edgesql::tsql::bind {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Built-in functions SQL Server has that edgesql does not implement (error 40511 names them,
// as opposed to 195 for names SQL Server does not know either).
constexpr std::string_view kUnsupported[] = {
    "FORMAT",
    "SOUNDEX",
    "DIFFERENCE",
    "STRING_ESCAPE",
    "HASHBYTES",
    "CHECKSUM",
    "BINARY_CHECKSUM",
    "COMPRESS",
    "DECOMPRESS",
    "JSON_VALUE",
    "JSON_QUERY",
    "JSON_MODIFY",
    "ISJSON",
    "JSON_OBJECT",
    "JSON_ARRAY",
    "DATETRUNC",
    "DATE_BUCKET",
    "IDENT_CURRENT",
    "COLUMNPROPERTY",
    "OBJECTPROPERTY",
    "OBJECTPROPERTYEX",
    "TYPE_ID",
    "TYPE_NAME",
    "COL_NAME",
    "COL_LENGTH",
    "SESSION_CONTEXT",
    "CONNECTIONPROPERTY",
    "SESSIONPROPERTY",
    "DATABASEPROPERTYEX",
    "GREATEST",
    "LEAST",
    "SQL_VARIANT_PROPERTY",
    "FORMATMESSAGE",
    "PARSENAME",
    "CRYPT_GEN_RANDOM",
    "STRING_SPLIT",
    "OPENJSON",
    "GENERATE_SERIES",
    "CURSOR_STATUS",
    "TRIGGER_NESTLEVEL",
    "EVENTDATA",
    "HAS_PERMS_BY_NAME",
    "IS_MEMBER",
    "IS_SRVROLEMEMBER",
    "PERMISSIONS",
    "USER_ID",
    "SUSER_ID",
    "SUSER_SID",
    "CURRENT_REQUEST_ID",
    "CURRENT_TRANSACTION_ID",
    "MIN_ACTIVE_ROWVERSION",
    "GET_FILESTREAM_TRANSACTION_CONTEXT",
    "APPROX_PERCENTILE_CONT",
    "APPROX_PERCENTILE_DISC",
    "PERCENTILE_CONT",
    "PERCENTILE_DISC",
    "SWITCHOFFSET_TZ",
    "AT_TIME_ZONE",
};

struct Global {
  std::string_view name;
  RuntimeValue value;
  SqlType type;
};

const Global* FindGlobal(std::string_view upper) {
  static const Global kGlobals[] = {
      {"@@ROWCOUNT", RuntimeValue::kRowCount, SqlType::Int()},
      {"@@ERROR", RuntimeValue::kError, SqlType::Int()},
      {"@@TRANCOUNT", RuntimeValue::kTranCount, SqlType::Int()},
      {"@@IDENTITY", RuntimeValue::kIdentity, SqlType::Numeric(38, 0)},
      {"@@SPID", RuntimeValue::kSpid, SqlType::SmallInt()},
      {"@@FETCH_STATUS", RuntimeValue::kFetchStatus, SqlType::Int()},
      {"@@LOCK_TIMEOUT", RuntimeValue::kLockTimeout, SqlType::Int()},
      {"@@NESTLEVEL", RuntimeValue::kNestLevel, SqlType::Int()},
      {"@@TEXTSIZE", RuntimeValue::kTextSize, SqlType::Int()},
      {"@@DATEFIRST", RuntimeValue::kDateFirst, SqlType::TinyInt()},
      {"@@LANGUAGE", RuntimeValue::kLanguage, SqlType::NVarChar(128)},
      {"@@OPTIONS", RuntimeValue::kOptions, SqlType::Int()},
      {"@@SERVERNAME", RuntimeValue::kServerName, SqlType::NVarChar(128)},
      {"@@SERVICENAME", RuntimeValue::kServerName, SqlType::NVarChar(128)},
      {"@@VERSION", RuntimeValue::kVersion, SqlType::NVarChar(300)},
      {"@@MAX_PRECISION", RuntimeValue::kMaxPrecision, SqlType::TinyInt()},
  };
  for (const Global& g : kGlobals) {
    if (g.name == upper) return &g;
  }
  return nullptr;
}

// Niladic and no-argument functions that are per-statement runtime values.
const Global* FindRuntimeFunction(std::string_view upper) {
  static const Global kFunctions[] = {
      {"GETDATE", RuntimeValue::kGetDate, SqlType::DateTime()},
      {"CURRENT_TIMESTAMP", RuntimeValue::kGetDate, SqlType::DateTime()},
      {"GETUTCDATE", RuntimeValue::kGetUtcDate, SqlType::DateTime()},
      {"SYSDATETIME", RuntimeValue::kSysDateTime, SqlType::DateTime2(7)},
      {"SYSUTCDATETIME", RuntimeValue::kSysUtcDateTime, SqlType::DateTime2(7)},
      {"SYSDATETIMEOFFSET", RuntimeValue::kSysDateTimeOffset, SqlType::DateTimeOffset(7)},
      {"SCOPE_IDENTITY", RuntimeValue::kScopeIdentity, SqlType::Numeric(38, 0)},
      {"SUSER_SNAME", RuntimeValue::kLoginName, SqlType::NVarChar(128)},
      {"SUSER_NAME", RuntimeValue::kLoginName, SqlType::NVarChar(128)},
      {"SYSTEM_USER", RuntimeValue::kLoginName, SqlType::NVarChar(128)},
      {"ORIGINAL_LOGIN", RuntimeValue::kLoginName, SqlType::NVarChar(128)},
      {"USER_NAME", RuntimeValue::kUserName, SqlType::NVarChar(128)},
      {"CURRENT_USER", RuntimeValue::kUserName, SqlType::NVarChar(128)},
      {"SESSION_USER", RuntimeValue::kUserName, SqlType::NVarChar(128)},
      {"USER", RuntimeValue::kUserName, SqlType::NVarChar(128)},
      {"HOST_NAME", RuntimeValue::kHostName, SqlType::NVarChar(128)},
      {"APP_NAME", RuntimeValue::kAppName, SqlType::NVarChar(128)},
      {"ERROR_NUMBER", RuntimeValue::kErrorNumber, SqlType::Int()},
      {"ERROR_MESSAGE", RuntimeValue::kErrorMessage, SqlType::NVarChar(4000)},
      {"ERROR_SEVERITY", RuntimeValue::kErrorSeverity, SqlType::Int()},
      {"ERROR_STATE", RuntimeValue::kErrorState, SqlType::Int()},
      {"ERROR_LINE", RuntimeValue::kErrorLine, SqlType::Int()},
      {"ERROR_PROCEDURE", RuntimeValue::kErrorProcedure, SqlType::NVarChar(128)},
      {"XACT_STATE", RuntimeValue::kXactState, SqlType::SmallInt()},
      {"ROWCOUNT_BIG", RuntimeValue::kRowCount, SqlType::BigInt()},
  };
  for (const Global& g : kFunctions) {
    if (g.name == upper) return &g;
  }
  return nullptr;
}

}  // namespace

Status CheckArgCount(const FunctionCallExpr& call, size_t min, size_t max, SourcePos pos) {
  size_t n = call.args.size();
  if (n >= min && n <= max) return Status::Ok();
  std::string name = Lower(call.name.parts.back().value);
  if (min == max) {
    return Binder::At(errors::Make(errors::kFunctionArgCount, {name, std::to_string(min)}), pos);
  }
  return Binder::At(
      errors::Make(errors::kFunctionArgRange, {name, std::to_string(min), std::to_string(max)}),
      pos);
}

Result<std::vector<BoundExpr>> Binder::BindArgs(const FunctionCallExpr& call) {
  std::vector<BoundExpr> out;
  out.reserve(call.args.size());
  for (const ExprPtr& a : call.args) {
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindValue(*a));
    out.push_back(std::move(e));
  }
  return out;
}

Result<BoundExpr> Binder::BindGlobalVariable(const std::string& name, SourcePos pos) {
  const Global* g = FindGlobal(Upper(name));
  if (g == nullptr) return At(errors::Make(errors::kMustDeclareVariable, {name}), pos);
  bool nullable = g->value == RuntimeValue::kIdentity;
  return Runtime(g->value, g->type, nullable);
}

Result<BoundExpr> Binder::BindFunction(const FunctionCallExpr& call, SourcePos pos) {
  if (call.name.parts.size() > 1) {
    // Schema-qualified: a user-defined function, which edgesql does not have.
    return At(errors::Make(errors::kUnknownFunctionOrColumn,
                           {call.name.parts.front().value, NameText(call.name)}),
              pos);
  }
  std::string upper = Upper(call.name.parts[0].value);
  if (call.over) return BindWindowFunction(call, upper, pos);
  if (IsAggregateName(upper)) return BindAggregate(call, upper, pos);
  if (!call.within_group.empty()) {
    return At(errors::Make(errors::kSyntaxErrorKeyword, {"WITHIN"}), pos);
  }
  if (call.star || call.distinct) {
    return At(errors::Make(errors::kSyntaxError, {call.star ? "*" : "DISTINCT"}), pos);
  }
  if (const Global* rt = FindRuntimeFunction(upper)) {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 0, 0, pos));
    bool nullable =
        rt->value == RuntimeValue::kScopeIdentity || rt->value >= RuntimeValue::kErrorNumber;
    return Runtime(rt->value, rt->type, nullable);
  }
  bool handled = false;
  EDGESQL_ASSIGN_OR_RETURN(BoundExpr e, BindSystemFunction(call, upper, pos, &handled));
  if (handled) return e;
  EDGESQL_ASSIGN_OR_RETURN(e, BindStringFunction(call, upper, pos, &handled));
  if (handled) return e;
  EDGESQL_ASSIGN_OR_RETURN(e, BindMathFunction(call, upper, pos, &handled));
  if (handled) return e;
  EDGESQL_ASSIGN_OR_RETURN(e, BindDateFunction(call, upper, pos, &handled));
  if (handled) return e;
  for (std::string_view u : kUnsupported) {
    if (u == upper) return At(errors::Make(errors::kUnsupportedFunction, {upper}), pos);
  }
  return At(errors::Make(errors::kUnknownBuiltinFunction, {call.name.parts[0].value}), pos);
}

Result<BoundExpr> Binder::BindSystemFunction(const FunctionCallExpr& call, const std::string& upper,
                                             SourcePos pos, bool* handled) {
  *handled = true;
  BoundExpr out;
  auto fail = [&](SqlError e) -> Result<BoundExpr> { return At(std::move(e), pos); };

  if (upper == "ISNULL") {
    // "ISNULL (Transact-SQL)": the result has the type of the first argument; the replacement
    // is converted to it (and truncated to its length).
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 2, 2, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    Absorb(&out, a[0]);
    Absorb(&out, a[1]);
    out.type = a[0].type.IsNull() ? a[1].type : a[0].type;
    out.nullable = a[0].nullable && a[1].nullable;
    auto r = ConvertTo(std::move(a[1]), out.type);
    if (!r.ok()) return fail(r.error());
    auto l = ConvertTo(std::move(a[0]), out.type);
    if (!l.ok()) return fail(l.error());
    out.sql = "ifnull(" + l->sql + ", " + r->sql + ")";
    return out;
  }
  if (upper == "COALESCE") {
    if (call.args.size() < 2) {
      return fail(errors::Make(errors::kFunctionArgRange, {"coalesce", "2", "254"}));
    }
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    std::vector<const BoundExpr*> arms;
    for (const BoundExpr& e : a) arms.push_back(&e);
    auto t = ResultTypeOf(arms, "coalesce");
    if (!t.ok()) return fail(t.error());
    if (t->IsNull()) return fail(errors::Make(errors::kCoalesceAllNull));
    out.type = *t;
    out.nullable = true;
    std::string list;
    for (BoundExpr& e : a) {
      Absorb(&out, e);
      out.nullable = out.nullable && e.nullable;
      auto c = ConvertTo(std::move(e), out.type);
      if (!c.ok()) return fail(c.error());
      if (!list.empty()) list += ", ";
      list += c->sql;
    }
    out.sql = "coalesce(" + list + ")";
    return out;
  }
  if (upper == "NULLIF") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 2, 2, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    BoundExpr value = a[0];
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr eq, BindComparison(BinaryOp::kEq, a[0], a[1], pos));
    Absorb(&out, eq);
    out.type = value.type.IsNull() ? SqlType::Int() : value.type;
    out.nullable = true;
    out.sql = "CASE WHEN " + eq.sql + " THEN NULL ELSE " + value.sql + " END";
    return out;
  }
  if (upper == "IIF") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 3, 3, pos));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr c, BindCondition(*call.args[0]));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr t, BindValue(*call.args[1]));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr f, BindValue(*call.args[2]));
    auto rt = ResultTypeOf({&t, &f}, "iif");
    if (!rt.ok()) return fail(rt.error());
    if (rt->IsNull()) return fail(errors::Make(errors::kCaseAllNull));
    Absorb(&out, c);
    Absorb(&out, t);
    Absorb(&out, f);
    out.type = *rt;
    out.nullable = t.nullable || f.nullable;
    EDGESQL_ASSIGN_OR_RETURN(t, ConvertTo(std::move(t), out.type));
    EDGESQL_ASSIGN_OR_RETURN(f, ConvertTo(std::move(f), out.type));
    out.sql = "CASE WHEN " + c.sql + " THEN " + t.sql + " ELSE " + f.sql + " END";
    return out;
  }
  if (upper == "CHOOSE") {
    if (call.args.size() < 2) {
      return fail(errors::Make(errors::kFunctionArgRange, {"choose", "2", "254"}));
    }
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr index, ConvertTo(std::move(a[0]), SqlType::Int()));
    std::vector<const BoundExpr*> arms;
    for (size_t i = 1; i < a.size(); ++i) arms.push_back(&a[i]);
    auto t = ResultTypeOf(arms, "choose");
    if (!t.ok()) return fail(t.error());
    out.type = t->IsNull() ? SqlType::Int() : *t;
    Absorb(&out, index);
    std::string sql = "CASE " + index.sql;
    for (size_t i = 1; i < a.size(); ++i) {
      Absorb(&out, a[i]);
      auto c = ConvertTo(std::move(a[i]), out.type);
      if (!c.ok()) return fail(c.error());
      sql += " WHEN " + std::to_string(i) + " THEN " + c->sql;
    }
    out.sql = sql + " END";
    return out;
  }
  if (upper == "NEWID" || upper == "NEWSEQUENTIALID") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 0, 0, pos));
    out.type = SqlType::UniqueIdentifier();
    out.nullable = false;
    out.sql = "es_newid()";
    return out;
  }
  if (upper == "ISNUMERIC") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 1, 1, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    Absorb(&out, a[0]);
    out.type = SqlType::Int();
    out.nullable = false;
    if (a[0].type.IsNumeric()) {
      out.sql = "CASE WHEN " + a[0].sql + " IS NULL THEN 0 ELSE 1 END";
    } else if (a[0].type.IsString()) {
      out.sql = "es_isnumeric(" + a[0].sql + ")";
    } else {
      out.sql = "0";
    }
    return out;
  }
  if (upper == "OBJECT_ID") {
    // Resolved at compile time against the catalog snapshot the statement is compiled with.
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 1, 2, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    if (!a[0].constant || (a.size() > 1 && !a[1].constant)) {
      return fail(errors::Make(errors::kUnsupportedStatement, {"OBJECT_ID with a variable"}));
    }
    out = Literal(Value::Null(SqlType::Int()));
    out.nullable = true;
    if (a[0].constant->is_null() || !a[0].constant->type().IsString()) return out;
    if (a.size() > 1 && !a[1].constant->is_null()) {
      std::string kind = Upper(a[1].constant->AsString());
      while (!kind.empty() && kind.back() == ' ') kind.pop_back();
      if (kind != "U") return out;
    }
    std::optional<MultiPartName> name = ParseObjectName(a[0].constant->AsString());
    if (!name) return out;
    const Identifier* db = name->FromRight(2);
    if (db != nullptr && !collation::Equal(db->value, ctx_.database_name)) return out;
    const Identifier* schema = name->FromRight(1);
    const Identifier* table = name->FromRight(0);
    const TableInfo* t = table && ctx_.catalog
                             ? ctx_.catalog->FindTable(schema ? schema->value : "", table->value)
                             : nullptr;
    if (t != nullptr) out = Literal(Value::Integer(t->object_id));
    return out;
  }
  if (upper == "OBJECT_NAME" || upper == "OBJECT_SCHEMA_NAME") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 1, 2, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    if (!a[0].constant) {
      return fail(errors::Make(errors::kUnsupportedStatement, {upper + " with a variable"}));
    }
    out = Literal(Value::Null(SqlType::NVarChar(128)));
    if (a[0].constant->is_null()) return out;
    auto id = ConvertTo(a[0], SqlType::BigInt());
    if (!id.ok() || !id->constant || id->constant->is_null()) return out;
    const TableInfo* t = ctx_.catalog ? ctx_.catalog->TableById(id->constant->AsInt()) : nullptr;
    if (t == nullptr) return out;
    Value v = Value::NVarChar(upper == "OBJECT_NAME" ? t->name : t->schema);
    v.set_type(SqlType::NVarChar(128));
    return Literal(v);
  }
  if (upper == "IDENT_SEED" || upper == "IDENT_INCR") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 1, 1, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    out = Literal(Value::Null(SqlType::Numeric(38, 0)));
    if (!a[0].constant || a[0].constant->is_null() || !a[0].constant->type().IsString()) {
      return out;
    }
    std::optional<MultiPartName> name = ParseObjectName(a[0].constant->AsString());
    if (!name || !name->FromRight(0) || !ctx_.catalog) return out;
    const Identifier* schema = name->FromRight(1);
    const TableInfo* t =
        ctx_.catalog->FindTable(schema ? schema->value : "", name->FromRight(0)->value);
    const ColumnInfo* c = t ? t->IdentityColumn() : nullptr;
    if (c == nullptr) return out;
    int64_t v = upper == "IDENT_SEED" ? c->identity->seed : c->identity->increment;
    return Literal(Value::Dec(SqlType::Numeric(38, 0), Decimal::FromInt(v)));
  }
  if (upper == "DB_NAME") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 0, 1, pos));
    if (call.args.empty()) return Runtime(RuntimeValue::kDatabaseName, SqlType::NVarChar(128));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr id, ConvertTo(std::move(a[0]), SqlType::Int()));
    Absorb(&out, id);
    out.type = SqlType::NVarChar(128);
    out.sql = "es_db_name(" + id.sql + ")";
    return out;
  }
  if (upper == "DB_ID") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 0, 1, pos));
    if (call.args.empty()) return Runtime(RuntimeValue::kDatabaseId, SqlType::Int(), false);
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr name, ConvertTo(std::move(a[0]), SqlType::NVarChar(128)));
    Absorb(&out, name);
    out.type = SqlType::Int();
    out.sql = "es_db_id(" + name.sql + ")";
    return out;
  }
  if (upper == "SCHEMA_NAME") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 0, 1, pos));
    // edgesql has one schema, dbo (schema_id 1).
    if (call.args.empty()) {
      Value v = Value::NVarChar("dbo");
      v.set_type(SqlType::NVarChar(128));
      return Literal(v);
    }
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr id, ConvertTo(std::move(a[0]), SqlType::Int()));
    Absorb(&out, id);
    out.type = SqlType::NVarChar(128);
    out.sql = "CASE WHEN " + id.sql + " = 1 THEN 'dbo' END";
    return out;
  }
  if (upper == "SCHEMA_ID") {
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 0, 1, pos));
    if (call.args.empty()) return Literal(Value::Integer(1));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr name, AsString(std::move(a[0])));
    Absorb(&out, name);
    out.type = SqlType::Int();
    out.sql = "CASE WHEN " + name.sql + " = 'dbo' COLLATE CI_AS THEN 1 END";
    return out;
  }
  if (upper == "SERVERPROPERTY") {
    // SQL Server returns sql_variant; edgesql does not send sql_variant and types the result
    // nvarchar(128) (numbers are sent as their text).
    EDGESQL_RETURN_IF_ERROR(CheckArgCount(call, 1, 1, pos));
    EDGESQL_ASSIGN_OR_RETURN(std::vector<BoundExpr> a, BindArgs(call));
    EDGESQL_ASSIGN_OR_RETURN(BoundExpr name, AsString(std::move(a[0])));
    Absorb(&out, name);
    out.type = SqlType::NVarChar(128);
    out.sql = "es_serverproperty(" + name.sql + ")";
    return out;
  }
  *handled = false;
  return out;
}

// 'dbo.t', '[dbo].[t]', 'db..t' -> parts; nullopt if the text is not a valid multi-part name.
std::optional<MultiPartName> ParseObjectName(std::string_view text) {
  MultiPartName name;
  size_t i = 0;
  while (true) {
    Identifier part;
    if (i < text.size() && (text[i] == '[' || text[i] == '"')) {
      char close = text[i] == '[' ? ']' : '"';
      ++i;
      part.quoted = true;
      while (true) {
        if (i >= text.size()) return std::nullopt;
        if (text[i] == close) {
          if (i + 1 < text.size() && text[i + 1] == close) {
            part.value += close;
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        part.value += text[i++];
      }
    } else {
      while (i < text.size() && text[i] != '.') part.value += text[i++];
      while (!part.value.empty() && part.value.back() == ' ') part.value.pop_back();
    }
    name.parts.push_back(std::move(part));
    if (i >= text.size()) break;
    if (text[i] != '.') return std::nullopt;
    ++i;
  }
  if (name.parts.size() > 4 || name.parts.back().omitted()) return std::nullopt;
  return name;
}

}  // namespace edgesql::tsql::bind
