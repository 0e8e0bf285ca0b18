// The T-SQL syntax tree, part 2: statements and batches (see ast.h for the conventions).
//
// A Batch is the list of statements of one SQL batch. Statements that contain statements
// (IF, WHILE, BEGIN...END, TRY...CATCH, CREATE PROCEDURE/FUNCTION bodies) own them as
// StatementPtr lists. Every Statement records where it starts (pos) and ends (end_offset), so the
// engine can keep the original text of a module definition (CREATE VIEW/PROCEDURE/FUNCTION) as
// SQL Server does for sys.sql_modules.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "tsql/ast.h"

namespace edgesql::tsql {

struct Statement;
using StatementPtr = std::unique_ptr<Statement>;

// Query hints from OPTION (...): each hint is its tokens as written, joined by single spaces
// ("RECOMPILE", "MAXDOP 1", "OPTIMIZE FOR ( @p = 1 )").
using QueryHints = std::vector<std::string>;

// ---------------------------------------------------------------------------------------------
// Queries and DML

struct SelectStmt {
  QueryPtr query;
  QueryHints options;
};

// OUTPUT items [INTO target [(columns)]]. A DML statement may have one OUTPUT ... INTO and one
// OUTPUT to the client.
struct OutputClause {
  std::vector<SelectItem> items;  // inserted.*, deleted.col, expressions
  std::optional<MultiPartName> into_table;
  std::string into_variable;  // "@t" when INTO a table variable
  std::vector<Identifier> into_columns;
  SourcePos pos;
};

// An argument of EXEC: [@name =] value [OUTPUT]. Values are what SQL Server allows: literals
// (with an optional sign), variables, DEFAULT, NULL, and bare words (which SQL Server passes as
// character strings: EXEC sp_help t); a bare word is a kString literal.
struct ExecArg {
  std::string name;  // "@p" or empty
  ExprPtr value;
  bool output = false;
  SourcePos pos;
};

// EXEC [@ret =] proc args... | EXEC @proc_var args... | EXEC (string [+ string...])
struct ExecStmt {
  std::string return_variable;     // "@ret" or empty
  MultiPartName procedure;         // empty parts when procedure_variable or dynamic SQL
  std::string procedure_variable;  // EXEC @name_var
  std::vector<ExecArg> args;
  std::vector<ExprPtr> sql;  // EXEC ('...' + @x): the concatenated parts; empty for a call
  bool recompile = false;    // WITH RECOMPILE
};

enum class InsertSource : uint8_t { kValues, kQuery, kExec, kDefaultValues };

struct InsertStmt {
  std::vector<CommonTableExpr> ctes;
  std::unique_ptr<TopClause> top;
  TableRefPtr target;  // NamedTableRef (with hints) or VariableTableRef
  std::vector<Identifier> columns;
  std::vector<OutputClause> outputs;
  InsertSource source = InsertSource::kValues;
  std::vector<std::vector<ExprPtr>> values;  // kValues
  QueryPtr query;                            // kQuery
  std::unique_ptr<ExecStmt> exec;            // kExec
  QueryHints options;
};

// One item of UPDATE ... SET: column = expr, column += expr, @v = expr, @v = column = expr.
struct SetClause {
  MultiPartName column;  // empty parts for a pure variable assignment
  std::string variable;  // "@v" or empty
  AssignOp op = AssignOp::kAssign;
  ExprPtr value;
  SourcePos pos;
};

struct UpdateStmt {
  std::vector<CommonTableExpr> ctes;
  std::unique_ptr<TopClause> top;
  TableRefPtr target;
  std::vector<SetClause> sets;
  std::vector<OutputClause> outputs;
  std::vector<TableRefPtr> from;
  ExprPtr where;
  QueryHints options;
};

struct DeleteStmt {
  std::vector<CommonTableExpr> ctes;
  std::unique_ptr<TopClause> top;
  TableRefPtr target;
  std::vector<OutputClause> outputs;
  std::vector<TableRefPtr> from;
  ExprPtr where;
  QueryHints options;
};

struct TruncateTableStmt {
  MultiPartName table;
};

// ---------------------------------------------------------------------------------------------
// DDL

enum class Nullability : uint8_t { kUnspecified, kNull, kNotNull };
enum class Clustering : uint8_t { kUnspecified, kClustered, kNonclustered };
enum class ReferentialAction : uint8_t { kUnspecified, kNoAction, kCascade, kSetNull, kSetDefault };
enum class ConstraintKind : uint8_t { kPrimaryKey, kUnique, kForeignKey, kCheck, kDefault };

struct IndexColumn {
  Identifier name;
  SortOrder order = SortOrder::kUnspecified;
};

// WITH (name = value) options of indexes and constraints; value is the token as written.
struct IndexOption {
  Identifier name;
  std::string value;
};

// A column or table constraint. Column constraints leave `columns` empty (a column FOREIGN KEY
// or PRIMARY KEY applies to its column).
struct ConstraintDef {
  Identifier name;  // CONSTRAINT name; empty value when unnamed
  ConstraintKind kind = ConstraintKind::kCheck;
  Clustering clustering = Clustering::kUnspecified;
  std::vector<IndexColumn> columns;  // PRIMARY KEY / UNIQUE / FOREIGN KEY (local columns)
  MultiPartName ref_table;           // FOREIGN KEY
  std::vector<Identifier> ref_columns;
  ReferentialAction on_delete = ReferentialAction::kUnspecified;
  ReferentialAction on_update = ReferentialAction::kUnspecified;
  ExprPtr expr;                   // CHECK condition / DEFAULT value
  Identifier default_for_column;  // ALTER TABLE ... ADD DEFAULT x FOR column
  bool not_for_replication = false;
  std::vector<IndexOption> options;
  Identifier filegroup;  // ON [PRIMARY]
  SourcePos pos;
};

struct IdentitySpec {
  std::string seed = "1";  // signed integer text as written
  std::string increment = "1";
  bool not_for_replication = false;
};

struct ColumnDef {
  Identifier name;
  std::optional<DataTypeRef> type;  // absent for a computed column
  ExprPtr computed;                 // AS expr
  bool persisted = false;
  std::optional<Identifier> collation;
  Nullability nullability = Nullability::kUnspecified;
  std::unique_ptr<IdentitySpec> identity;
  bool rowguidcol = false;
  bool sparse = false;
  std::vector<ConstraintDef> constraints;  // including DEFAULT
  SourcePos pos;
};

// The parenthesized element list of CREATE TABLE, DECLARE @t TABLE and RETURNS @t TABLE.
struct TableDefinition {
  std::vector<ColumnDef> columns;
  std::vector<ConstraintDef> constraints;
};

struct CreateTableStmt {
  MultiPartName name;
  TableDefinition definition;
  Identifier filegroup;              // ON fg
  Identifier textimage_on;           // TEXTIMAGE_ON fg
  std::vector<IndexOption> options;  // WITH (...)
};

enum class ObjectKind : uint8_t { kTable, kView, kProcedure, kFunction, kDatabase };

// DROP TABLE|VIEW|PROCEDURE|FUNCTION|DATABASE [IF EXISTS] a, b, ...
struct DropStmt {
  ObjectKind kind = ObjectKind::kTable;
  bool if_exists = false;
  std::vector<MultiPartName> names;
};

enum class AlterTableAction : uint8_t {
  kAdd,                 // ADD columns and/or constraints
  kDrop,                // DROP [COLUMN] / [CONSTRAINT] items
  kAlterColumn,         // ALTER COLUMN
  kCheckConstraints,    // CHECK CONSTRAINT names|ALL
  kNocheckConstraints,  // NOCHECK CONSTRAINT names|ALL
};

struct AlterTableDropItem {
  bool is_column = false;  // COLUMN, else CONSTRAINT
  bool if_exists = false;
  Identifier name;
};

struct AlterTableStmt {
  MultiPartName table;
  AlterTableAction action = AlterTableAction::kAdd;
  std::optional<bool> with_check;            // WITH CHECK / WITH NOCHECK before ADD
  std::vector<ColumnDef> columns;            // kAdd; kAlterColumn holds exactly one
  std::vector<ConstraintDef> constraints;    // kAdd
  std::vector<AlterTableDropItem> drops;     // kDrop
  std::vector<Identifier> constraint_names;  // kCheck/kNocheckConstraints; empty with ALL
  bool all_constraints = false;
};

struct CreateIndexStmt {
  bool unique = false;
  Clustering clustering = Clustering::kUnspecified;
  Identifier name;
  MultiPartName table;
  std::vector<IndexColumn> columns;
  std::vector<Identifier> include;
  ExprPtr where;  // filtered index
  std::vector<IndexOption> options;
  Identifier filegroup;
};

struct DropIndexItem {
  Identifier index;
  MultiPartName table;  // from "ix ON t" or the prefix of the old form "t.ix"
};

struct DropIndexStmt {
  bool if_exists = false;
  std::vector<DropIndexItem> items;
};

struct CreateDatabaseStmt {
  Identifier name;
  std::optional<Identifier> collation;
};

struct UseStmt {
  Identifier database;
};

enum class CreateMode : uint8_t { kCreate, kAlter, kCreateOrAlter };

struct CreateViewStmt {
  CreateMode mode = CreateMode::kCreate;
  MultiPartName name;
  std::vector<Identifier> columns;
  std::vector<std::string> options;  // SCHEMABINDING, ENCRYPTION, VIEW_METADATA (upper-case)
  QueryPtr query;
  bool check_option = false;
};

struct ParameterDef {
  std::string name;  // "@p"
  DataTypeRef type;
  bool varying = false;
  ExprPtr default_value;  // null without a default
  bool output = false;
  bool readonly = false;
  SourcePos pos;
};

struct CreateProcedureStmt {
  CreateMode mode = CreateMode::kCreate;
  MultiPartName name;
  std::vector<ParameterDef> params;
  // WITH options as canonical upper-case text: RECOMPILE, ENCRYPTION, EXECUTE AS OWNER, ...
  std::vector<std::string> options;
  std::vector<StatementPtr> body;
};

enum class FunctionKind : uint8_t { kScalar, kInlineTable, kMultiStatementTable };

struct CreateFunctionStmt {
  CreateMode mode = CreateMode::kCreate;
  MultiPartName name;
  std::vector<ParameterDef> params;
  FunctionKind kind = FunctionKind::kScalar;
  std::optional<DataTypeRef> return_type;  // kScalar
  std::string return_variable;             // kMultiStatementTable: "@t"
  TableDefinition return_table;            // kMultiStatementTable
  std::vector<std::string> options;        // as for procedures
  std::vector<StatementPtr> body;          // kScalar / kMultiStatementTable: BEGIN ... END
  QueryPtr return_query;                   // kInlineTable: RETURN (SELECT ...)
};

// ALTER LOGIN name WITH PASSWORD = '...' [OLD_PASSWORD = '...']
struct AlterLoginStmt {
  Identifier login;
  std::string password;
  std::optional<std::string> old_password;
};

// ---------------------------------------------------------------------------------------------
// Batch and procedural statements

struct DeclareVariable {
  std::string name;                 // "@a"
  std::optional<DataTypeRef> type;  // absent for a table variable
  ExprPtr initial_value;
  std::unique_ptr<TableDefinition> table;  // DECLARE @t TABLE (...)
  SourcePos pos;
};

struct DeclareStmt {
  std::vector<DeclareVariable> variables;
};

// SET @v = expr, SET @v += expr, ...
struct SetVariableStmt {
  std::string variable;
  AssignOp op = AssignOp::kAssign;
  ExprPtr value;
};

enum class IsolationLevel : uint8_t {
  kReadUncommitted,
  kReadCommitted,
  kRepeatableRead,
  kSnapshot,
  kSerializable,
};

enum class SetOptionKind : uint8_t {
  kOnOff,           // SET NOCOUNT ON; SET ANSI_NULLS, QUOTED_IDENTIFIER OFF
  kValue,           // SET DATEFIRST 7; SET LANGUAGE us_english; SET LOCK_TIMEOUT -1
  kIsolationLevel,  // SET TRANSACTION ISOLATION LEVEL READ COMMITTED
  kIdentityInsert,  // SET IDENTITY_INSERT t ON
};

struct SetOptionStmt {
  SetOptionKind kind = SetOptionKind::kOnOff;
  // Canonical upper-case option names: "ANSI_NULLS", "STATISTICS IO", "DATEFIRST", ...
  std::vector<std::string> options;
  bool on = false;  // kOnOff, kIdentityInsert
  // kValue: a literal (possibly signed) or variable, or a bare word such as mdy, us_english, LOW
  // held in `word`.
  ExprPtr value;
  std::optional<Identifier> word;
  IsolationLevel level = IsolationLevel::kReadCommitted;
  MultiPartName table;  // kIdentityInsert
};

struct IfStmt {
  ExprPtr condition;
  StatementPtr then_stmt;
  StatementPtr else_stmt;  // null without ELSE
};

struct WhileStmt {
  ExprPtr condition;
  StatementPtr body;
};

// BEGIN ... END
struct BlockStmt {
  std::vector<StatementPtr> statements;
};

struct TryCatchStmt {
  std::vector<StatementPtr> try_block;
  std::vector<StatementPtr> catch_block;
};

struct BreakStmt {};
struct ContinueStmt {};

struct ReturnStmt {
  ExprPtr value;  // null for a bare RETURN
};

// THROW; (re-throw in CATCH: all null) or THROW number, message, state.
struct ThrowStmt {
  ExprPtr number;
  ExprPtr message;
  ExprPtr state;
};

struct RaiserrorStmt {
  ExprPtr message;  // message text, variable, or message number
  ExprPtr severity;
  ExprPtr state;
  std::vector<ExprPtr> args;
  bool with_nowait = false;
  bool with_log = false;
  bool with_seterror = false;
};

struct PrintStmt {
  ExprPtr value;
};

// A transaction or savepoint name: an identifier, or a variable ("@name", quoted false).
struct BeginTransactionStmt {
  std::optional<Identifier> name;
  bool with_mark = false;
  std::string mark_description;
};

struct CommitStmt {
  std::optional<Identifier> name;
  std::optional<bool> delayed_durability;  // WITH (DELAYED_DURABILITY = ON|OFF)
};

struct RollbackStmt {
  std::optional<Identifier> name;
};

struct SaveTransactionStmt {
  Identifier name;
};

// WAITFOR DELAY 'hh:mm:ss' / WAITFOR TIME 'hh:mm:ss'
struct WaitforStmt {
  bool delay = true;  // false for TIME
  ExprPtr value;
};

struct CheckpointStmt {
  ExprPtr duration;  // null when omitted
};

// INSERT BULK: the statement a bulk-copy client sends before its BULK LOAD message ([MS-TDS]
// 2.2.1.7, 2.2.6.1). It names the target table and the columns the rows will carry, each with
// the type the client sends it in; the rows follow in the next message, not in the statement.
//
//   INSERT BULK table (column type [COLLATE name] [NULL | NOT NULL], ...)
//     [WITH (option, ...)]
//   option: CHECK_CONSTRAINTS | FIRE_TRIGGERS | KEEP_NULLS | KEEPIDENTITY | TABLOCK
//         | ROWS_PER_BATCH = n | KILOBYTES_PER_BATCH = n | ORDER (column [ASC | DESC], ...)
struct InsertBulkColumn {
  Identifier name;
  DataTypeRef type;
  std::optional<Identifier> collation;  // of the character data in the stream
  Nullability nullability = Nullability::kUnspecified;
  SourcePos pos;
};

struct InsertBulkStmt {
  MultiPartName table;
  std::vector<InsertBulkColumn> columns;
  bool check_constraints = false;
  bool fire_triggers = false;
  bool keep_nulls = false;     // NULLs stay NULL instead of taking the column default
  bool keep_identity = false;  // identity values come from the stream
  bool tablock = false;
  std::optional<int64_t> rows_per_batch;
  std::optional<int64_t> kilobytes_per_batch;
  std::vector<IndexColumn> order;  // ORDER (...): how the client says the rows are sorted
};

struct Statement {
  SourcePos pos;
  uint32_t end_offset = 0;  // byte offset just past the statement's last token
  std::variant<SelectStmt, InsertStmt, UpdateStmt, DeleteStmt, TruncateTableStmt, CreateTableStmt,
               DropStmt, AlterTableStmt, CreateIndexStmt, DropIndexStmt, CreateDatabaseStmt,
               UseStmt, CreateViewStmt, CreateProcedureStmt, CreateFunctionStmt, AlterLoginStmt,
               DeclareStmt, SetVariableStmt, SetOptionStmt, IfStmt, WhileStmt, BlockStmt,
               TryCatchStmt, BreakStmt, ContinueStmt, ReturnStmt, ThrowStmt, RaiserrorStmt,
               PrintStmt, ExecStmt, BeginTransactionStmt, CommitStmt, RollbackStmt,
               SaveTransactionStmt, WaitforStmt, CheckpointStmt, InsertBulkStmt>
      node;

  template <typename T>
  T* As() {
    return std::get_if<T>(&node);
  }
  template <typename T>
  const T* As() const {
    return std::get_if<T>(&node);
  }
};

struct Batch {
  std::vector<StatementPtr> statements;
};

}  // namespace edgesql::tsql
