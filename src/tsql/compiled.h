// What the binder/emitter hands the engine: one T-SQL statement compiled to one SQLite statement,
// with everything the engine needs to run it and to describe its results in SQL Server terms.
//
// The engine never looks at T-SQL again once a statement is compiled: it binds the listed
// parameters (in storage form, types/storage_form.h), steps the SQLite statement on the right
// connection (writer lane if `writes`), converts result columns from storage form using
// `columns[i].type`, and reports errors raised by the runtime functions as SqlErrors.
//
// A CompiledStatement depends only on its T-SQL text, the catalog snapshot, the types of the
// variables and parameters it references, and the session settings in BindContext; the engine
// caches it under exactly those keys. It is immutable once built and thread-safe to share.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "tsql/catalog_view.h"
#include "tsql/statement.h"
#include "types/datetime.h"
#include "types/result_column.h"
#include "types/sql_type.h"

namespace edgesql::tsql {

// Values the engine supplies at execution time for a ?N placeholder.
enum class ParamKind : uint8_t {
  kVariable,  // a T-SQL variable or RPC parameter, by name ("@id")
  kRuntime,   // a per-statement runtime constant, by RuntimeValue below
};

// Runtime constants SQL Server evaluates once per statement (not per row), and session values.
enum class RuntimeValue : uint8_t {
  kGetDate,            // GETDATE(), CURRENT_TIMESTAMP: datetime, local time
  kGetUtcDate,         // GETUTCDATE(): datetime
  kSysDateTime,        // SYSDATETIME(): datetime2(7)
  kSysUtcDateTime,     // SYSUTCDATETIME(): datetime2(7)
  kSysDateTimeOffset,  // SYSDATETIMEOFFSET(): datetimeoffset(7)
  kRowCount,           // @@ROWCOUNT before this statement
  kError,              // @@ERROR
  kTranCount,          // @@TRANCOUNT
  kIdentity,           // @@IDENTITY
  kScopeIdentity,      // SCOPE_IDENTITY()
  kSpid,               // @@SPID
  kFetchStatus,        // @@FETCH_STATUS (always -1: no cursors)
  kLockTimeout,        // @@LOCK_TIMEOUT
  kNestLevel,          // @@NESTLEVEL
  kDatabaseName,       // DB_NAME()
  kDatabaseId,         // DB_ID()
  kLoginName,          // SUSER_SNAME(), SYSTEM_USER, ORIGINAL_LOGIN()
  kUserName,           // USER_NAME(), CURRENT_USER, SESSION_USER, USER
  kHostName,           // HOST_NAME()
  kAppName,            // APP_NAME()
  kTextSize,           // @@TEXTSIZE
  kDateFirst,          // @@DATEFIRST
  kLanguage,           // @@LANGUAGE
  kOptions,            // @@OPTIONS
  kServerName,         // @@SERVERNAME
  kVersion,            // @@VERSION
  kMaxPrecision,       // @@MAX_PRECISION (38)
  kErrorNumber,        // ERROR_NUMBER() inside CATCH, NULL elsewhere
  kErrorMessage,       // ERROR_MESSAGE()
  kErrorSeverity,      // ERROR_SEVERITY()
  kErrorState,         // ERROR_STATE()
  kErrorLine,          // ERROR_LINE()
  kErrorProcedure,     // ERROR_PROCEDURE()
  kXactState,          // XACT_STATE(): 1 active, 0 none, -1 uncommittable
};

struct ParamSource {
  ParamKind kind = ParamKind::kVariable;
  std::string variable;  // kVariable: "@name" as declared (case-insensitive match)
  RuntimeValue runtime = RuntimeValue::kGetDate;
  // The type the value has in the SQL: the engine converts the variable's value to it before
  // binding (usually the variable's own type, so no conversion happens).
  SqlType type;
};

enum class StatementKind : uint8_t {
  kSelect,        // returns a result set
  kSelectAssign,  // SELECT @a = x, @b = y ...: assigns from the last row, returns nothing
  kInsert,
  kUpdate,
  kDelete,
  kSelectInto,  // SELECT ... INTO new_table (DDL + insert, see `create_table_sql`)
};

struct CompiledStatement {
  StatementKind kind = StatementKind::kSelect;
  std::string sql;                  // exactly one SQLite statement, placeholders ?1..?N
  std::vector<ParamSource> params;  // params[i] binds ?(i+1)
  // Result set columns (kSelect, and DML with an OUTPUT clause).
  std::vector<ResultColumn> columns;
  // kSelectAssign: the variable each result column is assigned to, and its declared type.
  std::vector<std::string> assign_variables;
  bool returns_rows = false;  // kSelect, or DML with OUTPUT (RETURNING)
  bool writes = false;        // must run on the writer lane
  // DML target, for identity preparation (Database::PrepareIdentity) and for turning SQLite
  // constraint failures into 2627/2601/515 with SQL Server's object and constraint names.
  int64_t target_object_id = 0;
  std::string target_display_name;  // "dbo.t" as SQL Server names it in messages
  bool uses_identity = false;       // rows may take identity values (es_identity)
  // An explicit identity value may be inserted (IDENTITY_INSERT ON): after the statement the
  // engine moves the identity counter past the largest value in the column.
  bool explicit_identity = false;
};

// Session settings that change how a statement compiles.
struct BindSettings {
  bool ansi_nulls = true;               // SET ANSI_NULLS: = NULL never true when ON
  bool concat_null_yields_null = true;  // SET CONCAT_NULL_YIELDS_NULL
  bool quoted_identifier = true;        // SET QUOTED_IDENTIFIER (parser)
  bool ansi_warnings = true;            // SET ANSI_WARNINGS: divide by zero / overflow are errors
  bool arithabort = true;               // SET ARITHABORT
  bool identity_insert = false;         // SET IDENTITY_INSERT on the target table
  int64_t identity_insert_object_id = 0;
  int64_t rowcount_limit = 0;    // SET ROWCOUNT n (0 = none)
  datetime::DateSettings dates;  // SET DATEFORMAT / DATEFIRST
  bool operator==(const BindSettings&) const = default;
};

// The declared type of a variable or parameter the statement may reference.
class VariableScope {
 public:
  virtual ~VariableScope() = default;
  // nullptr if not declared (the binder raises 137 "Must declare the scalar variable").
  virtual const SqlType* FindVariable(std::string_view name) const = 0;
};

struct BindContext {
  const CatalogView* catalog = nullptr;
  const VariableScope* variables = nullptr;
  BindSettings settings;
  std::string database_name;  // current database, for messages and three-part names
};

// Compiles a query or DML statement (SelectStmt, InsertStmt, UpdateStmt, DeleteStmt).
// Errors are SQL Server's compile errors (207, 208, 209, 4104, 8120, 245 for constant folding,
// ...).
Result<std::shared_ptr<const CompiledStatement>> CompileStatement(const Statement& stmt,
                                                                  const BindContext& ctx);

// Compiles the INSERT that stores the rows of a bulk load announced by `stmt` (INSERT BULK,
// [MS-TDS] 2.2.6.1): value i of each row is the kVariable parameter named "@<i+1>", of type
// value_types[i] (what the client sends for the column). Values are stored with SQL Server's
// assignment conversion (2628, 245, ...) and the usual constraint checks; columns the statement
// does not name take their identity value, their default or NULL. An identity column in the list
// keeps the stream's values only with KEEPIDENTITY (or IDENTITY_INSERT ON for the table), else its
// values are ignored and generated. Without KEEP_NULLS a NULL for a column that has a default
// takes the default. Errors: 208 (table), 207 (column), 264 (a column named twice).
Result<std::shared_ptr<const CompiledStatement>> CompileBulkInsert(
    const InsertBulkStmt& stmt, std::span<const SqlType> value_types, const BindContext& ctx);

// Compiles `SELECT <expr>` for evaluating a scalar expression (SET @v = expr, DECLARE @v = expr,
// PRINT, RETURN, RAISERROR arguments, EXEC arguments). The single result column carries the
// expression's type; with `target`, the value is converted to it as an assignment would be.
Result<std::shared_ptr<const CompiledStatement>> CompileExpression(const Expr& expr,
                                                                   const BindContext& ctx,
                                                                   const SqlType* target = nullptr);

// Compiles `SET @variable op= value` (op kAssign for plain SET): `SELECT <new value>` with the
// result converted to the variable's declared type as an assignment.
Result<std::shared_ptr<const CompiledStatement>> CompileAssignment(std::string_view variable,
                                                                   AssignOp op, const Expr& value,
                                                                   const BindContext& ctx);

// Compiles a search condition (IF, WHILE) to `SELECT CASE WHEN cond THEN 1 ELSE 0 END`:
// one bit column, 1 if the condition is true.
Result<std::shared_ptr<const CompiledStatement>> CompileCondition(const Expr& condition,
                                                                  const BindContext& ctx);

// Resolves a data type as written (DECLARE, CAST, CREATE TABLE) to a SqlType with SQL Server's
// defaults (varchar = varchar(1), decimal = decimal(18,0), ...) or an error (2715, 1001, 131).
Result<SqlType> ResolveDataType(const DataTypeRef& ref);

}  // namespace edgesql::tsql
