// The binder: resolves the names and types of a parsed statement with SQL Server's rules and
// writes the SQLite statement that implements it (compiled.h is the public face; this header is
// internal to src/tsql).
//
// Binding and emission happen in one walk. Each expression binds to a BoundExpr: its SQL Server
// type and the SQLite SQL that computes it in storage form (types/storage_form.h). That pair is
// the typed intermediate form the rest of the compiler works on: implicit conversions wrap a
// BoundExpr in another (ConvertTo), literals carry their folded Value so they are re-emitted in
// the storage form of the type they are used as, and GROUP BY validation compares the SQL of
// bound expressions. Queries bind to BoundQuery, which keeps the select list open (as
// BoundExprs) until the enclosing construct (UNION, INSERT, a derived table) has decided the
// types of the outputs.
//
// SQL shapes the emitter relies on:
//   - A BoundExpr's sql is self-delimiting: atomic (column, literal, ?N, f(...), CASE...END,
//     (SELECT ...)) or wrapped in parentheses, so it can be spliced anywhere.
//   - Tables are t<object_id>, columns c<column_id>; every table source gets an alias sN and
//     every column is qualified, except in "simple" statements (one base table, no subquery),
//     which emit bare column names so a point query is exactly `SELECT c2 FROM t1 WHERE c1 = ?1`.
//   - Outputs of derived tables, CTEs, VALUES and set-operation members are named x1..xN.
//   - Text that does not already carry the CI_AS collation (a column or COLLATE) gets
//     `COLLATE CI_AS` wherever SQLite would compare it: comparisons, IN, BETWEEN, ORDER BY,
//     GROUP BY, DISTINCT, set-operation members, MIN/MAX.
//
// A Binder compiles one statement; it is not thread-safe and not reusable.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/errors.h"
#include "common/status.h"
#include "tsql/ast.h"
#include "tsql/catalog_view.h"
#include "tsql/compiled.h"
#include "tsql/statement.h"
#include "types/convert.h"
#include "types/sql_type.h"
#include "types/value.h"

namespace edgesql::tsql::bind {

// A column reference that is neither inside an aggregate nor part of an expression the GROUP BY
// list covers; kept until an enclosing expression matches a GROUP BY expression. `name` is how
// SQL Server names the column in 8120/8121/8127 ("t.a").
struct ColumnUse {
  int scope = 0;  // Scope::id of the column's FROM clause
  std::string name;
};

// Left-deep chains the emitter extends in place (see BoundExpr::chain).
enum class ChainKind {
  kNone,
  kAdditive,        // "(a + b - c)"
  kMultiplicative,  // "(a * b / c)"
  kConcat,          // "(a || b)"
  kBitwise,         // "(a & b | c)"
  kAnd,             // "(a AND b)"
  kOr,              // "(a OR b)"
  kBitXor,          // "es_bitxor(a, b, ...)"
  kConcatNull,      // "es_concat_null(a, b, ...)" (CONCAT_NULL_YIELDS_NULL OFF)
  kConcatCut,       // "es_cast(<kConcat>, <type(max)>, <type>)": cut at 8000 bytes
  kConcatNullCut,   // "es_cast(<kConcatNull>, ...)"; chain_args counts the inner call's
  kBinConcat,       // "es_binconcat(a, b, ...)"
  kReplace,         // "es_replace(s, f, w, f2, w2, ...)": nested REPLACE that needs no cut
  kDecimal,         // "es_dec_chain(a, op, b, ...)"
};

struct BoundExpr {
  std::string sql;
  SqlType type;
  bool nullable = true;
  std::optional<Value> constant;  // a literal, already of `type`; sql is its SqliteLiteral
  bool collated = false;          // text that already compares under CI_AS
  bool predicate = false;         // a search condition (0/1/NULL), not a value
  bool aggregate = false;         // contains an aggregate of the query being bound
  bool window = false;            // contains a window function
  bool subquery = false;          // contains a subquery
  bool variable = false;          // exactly one variable placeholder (?N of kind kVariable)
  // Integer arithmetic SQLite does in 64 bits: may exceed the SQL Server type's range (or turn
  // into a REAL on bigint overflow), so stores and results check it with es_intchk.
  bool may_overflow = false;
  int param = -1;  // index into params when `variable`
  std::vector<ColumnUse> ungrouped;
  // Set when the expression is exactly a column reference: result column metadata.
  const ColumnInfo* column = nullptr;
  std::string column_name;
  std::string table_name;  // base table of `column`
  bool is_column = false;
  // A left-deep chain (a + b + c ...) that the next step of the same kind extends instead of
  // nesting: SQLite 3.40's parser stack overflows at about 30 nested parentheses or calls, while
  // T-SQL accepts chains as long as ParseOptions::max_depth. `sql` is "(x op y ...)" with
  // operators of one SQLite precedence class, or a variadic call with chain_args arguments.
  // Valid only while sql.size() == chain_size (wrapping sql in place changes its size).
  ChainKind chain = ChainKind::kNone;
  size_t chain_size = 0;
  int chain_args = 0;

  bool IsNullLiteral() const { return constant.has_value() && type.IsNull(); }
};

// One column a FROM source exposes.
struct SourceColumn {
  std::string name;
  SqlType type;
  bool nullable = true;
  std::string sql;
  bool collated = false;
  const ColumnInfo* column = nullptr;  // base-table column
  bool identity = false;
};

struct Source {
  std::string exposed;  // correlation name, or the table's own name
  std::string schema;   // schema of a base table referenced without a correlation name
  bool aliased = false;
  const TableInfo* table = nullptr;
  std::string sql_alias;  // "sN", or empty in simple statements
  std::vector<SourceColumn> columns;
};

// Where an expression is being bound: decides which constructs are allowed (aggregates in WHERE
// are 147, windowed functions outside SELECT/ORDER BY are 4108, ...).
enum class Clause : uint8_t {
  kNone,
  kSelect,
  kOn,
  kWhere,
  kGroupBy,
  kHaving,
  kOrderBy,
  kTop,
  kValues,
  kSet,
  kOutput,
};

struct Scope {
  Scope* parent = nullptr;
  int id = 0;  // unique per statement
  std::vector<Source> sources;
  Clause clause = Clause::kNone;
  bool grouped = false;                 // GROUP BY or aggregates: 8120 validation applies
  std::vector<std::string> group_sqls;  // SQL of the GROUP BY expressions
  int aggregate_depth = 0;              // > 0 while binding an aggregate's arguments
  bool in_window = false;               // binding a window function's arguments / OVER
  // Outer references seen while binding this scope that are not (yet) covered by their own
  // scope's GROUP BY: a subquery expression carries them to the enclosing query.
  std::vector<ColumnUse> outer_uses;
};

struct OutputColumn {
  std::string name;  // empty for an unnamed expression
  SqlType type;
  bool nullable = true;
  bool identity = false;
  bool collated = false;
  const ColumnInfo* column = nullptr;
  std::string table_name;
};

// A bound query. A single SELECT block stays `open` (items kept as BoundExprs, the rest as SQL
// text) so that its outputs can still be converted; anything else is closed SQL whose outputs are
// named x1..xN.
struct BoundQuery {
  std::vector<OutputColumn> columns;
  bool open = false;
  bool distinct = false;
  std::vector<BoundExpr> items;
  std::string tail;         // " FROM ... WHERE ... GROUP BY ... HAVING ... ORDER BY ... LIMIT ..."
  std::string with;         // "WITH ... " prefix for queries with CTEs
  std::string sql;          // closed form
  bool single_row = false;  // returns at most one row (scalar subqueries need no 512 check)
  bool ordered_or_limited = false;
  bool aggregate = false;                     // the select list aggregates without GROUP BY
  std::vector<ColumnUse> outer_uses;          // outer references (see Scope::outer_uses)
  std::vector<std::string> assign_variables;  // SELECT @v = ...: the variable of each output

  // The SELECT statement; with `name_outputs` its outputs are named x1..xN.
  std::string Render(bool name_outputs) const;
};

struct CteDef {
  std::string name;
  std::string sql_name;  // wN
  std::vector<OutputColumn> columns;
  bool recursive = false;  // its recursive member is being bound
};

enum class Conversion : uint8_t { kImplicit, kExplicit, kAssignment, kTry };

// One ORDER BY item: as an expression (for window functions) and as written in the clause (an
// ordinal when it names a select-list item).
struct OrderTerm {
  std::string expr_sql;
  std::string clause_sql;
  bool desc = false;
};

// SELECT @v = @v + x (or @v += x) over a FROM clause: the variable accumulates over the rows.
struct Accumulation {
  size_t item = 0;
  BoundExpr var;
  BoundExpr increment;
  SourcePos pos;
};

// What a row count limits; es_rowcount(n, kind) checks runtime values with the matching error.
enum class RowCountKind : uint8_t { kTop = 0, kOffset = 1, kFetch = 2, kPercent = 3 };

class Binder {
 public:
  explicit Binder(const BindContext& ctx);

  // ---- Statements (binder_stmt.cc, binder_dml.cc) ----
  Result<CompiledStatement> CompileSelect(const SelectStmt& stmt);
  Result<CompiledStatement> CompileInsert(const InsertStmt& stmt);
  Result<CompiledStatement> CompileBulkInsert(const InsertBulkStmt& stmt,
                                              std::span<const SqlType> value_types);
  Result<CompiledStatement> CompileUpdate(const UpdateStmt& stmt);
  Result<CompiledStatement> CompileDelete(const DeleteStmt& stmt);
  Result<CompiledStatement> CompileScalar(const Expr& expr, const SqlType* target);
  Result<CompiledStatement> CompileSetVariable(std::string_view variable, AssignOp op,
                                               const Expr& value);
  Result<CompiledStatement> CompileIfCondition(const Expr& condition);

  // ---- Expressions (binder_expr.cc) ----
  Result<BoundExpr> Bind(const Expr& expr);
  // A value: a condition where a value is expected is a syntax error SQL Server reports at parse
  // time; the parser already rejects it, so this only asserts the shape.
  Result<BoundExpr> BindValue(const Expr& expr);
  Result<BoundExpr> BindCondition(const Expr& expr);
  Result<BoundExpr> ConvertTo(BoundExpr e, const SqlType& to,
                              Conversion kind = Conversion::kImplicit, int style = 0,
                              std::string_view table = {}, std::string_view column = {});
  // The type two operands are compared/combined as, or 206/402 when they cannot be.
  Result<SqlType> CombineTypes(const BoundExpr& a, const BoundExpr& b, std::string_view op_name);
  // The result type of CASE / COALESCE / UNION arms (highest precedence, widened facets).
  Result<SqlType> ResultTypeOf(const std::vector<const BoundExpr*>& arms, std::string_view op_name);
  Result<BoundExpr> BindComparison(BinaryOp op, BoundExpr l, BoundExpr r, SourcePos pos);
  Result<BoundExpr> BindArithmetic(BinaryOp op, BoundExpr l, BoundExpr r, SourcePos pos);
  Result<BoundExpr> BindAssignOp(AssignOp op, BoundExpr target, BoundExpr value, SourcePos pos);
  // `e` wrapped in the integer range check when it may have overflowed (see may_overflow).
  static BoundExpr CheckedInt(BoundExpr e);
  // The sql of `e`, followed by COLLATE CI_AS when it is text without a collation.
  static std::string Collated(const BoundExpr& e);
  static BoundExpr Literal(const Value& v);
  // Combines flags of children into a parent (aggregate, window, subquery, ungrouped columns).
  static void Absorb(BoundExpr* parent, const BoundExpr& child);
  Result<BoundExpr> BindUnary(const UnaryExpr& n, SourcePos pos);
  Result<BoundExpr> BindBinary(const BinaryExpr& n, SourcePos pos);
  Result<BoundExpr> BindBetween(const BetweenExpr& n, SourcePos pos);
  Result<BoundExpr> BindIn(const InExpr& n, SourcePos pos);
  Result<BoundExpr> BindLike(const LikeExpr& n, SourcePos pos);
  Result<BoundExpr> BindQuantified(const QuantifiedExpr& n, SourcePos pos);
  Result<BoundExpr> BindCase(const CaseExpr& n, SourcePos pos);
  Result<BoundExpr> BindConvert(const ConvertExpr& n, SourcePos pos);
  Result<BoundExpr> BindCollate(const CollateExpr& n, SourcePos pos);
  // A CAST/CONVERT target type: string types default to length 30, unknown names are 243.
  Result<SqlType> ResolveCastType(const DataTypeRef& ref);

  // ---- Functions (binder_func*.cc) ----
  Result<BoundExpr> BindFunction(const FunctionCallExpr& call, SourcePos pos);
  Result<BoundExpr> BindAggregate(const FunctionCallExpr& call, const std::string& upper,
                                  SourcePos pos);
  Result<BoundExpr> BindWindowFunction(const FunctionCallExpr& call, const std::string& upper,
                                       SourcePos pos);
  Result<BoundExpr> BindDateFunction(const FunctionCallExpr& call, const std::string& upper,
                                     SourcePos pos, bool* handled);
  Result<BoundExpr> BindStringFunction(const FunctionCallExpr& call, const std::string& upper,
                                       SourcePos pos, bool* handled);
  Result<BoundExpr> BindMathFunction(const FunctionCallExpr& call, const std::string& upper,
                                     SourcePos pos, bool* handled);
  Result<BoundExpr> BindSystemFunction(const FunctionCallExpr& call, const std::string& upper,
                                       SourcePos pos, bool* handled);
  Result<BoundExpr> BindGlobalVariable(const std::string& name, SourcePos pos);
  Result<std::vector<BoundExpr>> BindArgs(const FunctionCallExpr& call);
  // Converts a function argument to a string type (implicitly), for the string functions.
  Result<BoundExpr> AsString(BoundExpr e);
  Result<BoundExpr> AsType(BoundExpr e, const SqlType& t) { return ConvertTo(std::move(e), t); }
  Result<BoundExpr> AsDateArg(BoundExpr e, const SqlType& string_type);
  Result<BoundExpr> AggregateSql(const FunctionCallExpr& call, const std::string& upper,
                                 std::vector<BoundExpr> args, const std::string& over,
                                 SourcePos pos);

  // ---- Queries (binder_query.cc, binder_from.cc) ----
  // `allow_order`: ORDER BY without TOP/OFFSET is allowed (top level only; 1033 elsewhere).
  Result<BoundQuery> BindQuery(const Query& query, bool allow_order);
  Result<BoundQuery> BindQueryExpr(const QueryExpr& qe, const Query* owner);
  Result<BoundQuery> BindQuerySpec(const QuerySpec& spec, const Query* owner);
  Status ConvertOutputs(BoundQuery* q, const std::vector<SqlType>& types);
  Status BindOrderBy(const std::vector<OrderItem>& order_by, const BoundQuery& q, bool grouped,
                     std::vector<OrderTerm>* terms);
  Result<std::string> BindRowCount(const Expr& count, RowCountKind kind, SourcePos pos);
  Result<BoundExpr> AccumulationSql(const Accumulation& acc, const std::string& over);
  std::string MemberSql(const BoundQuery& q, bool left);
  Result<BoundQuery> BindSubquery(const Query& query, std::vector<ColumnUse>* outer);
  Status NameColumns(const std::vector<Identifier>& names, const std::string& alias, SourcePos pos,
                     std::vector<OutputColumn>* columns);
  Source MakeDerivedSource(const std::string& alias, const std::vector<OutputColumn>& columns);
  // The query as a one-column scalar subquery: (SELECT ...), guarded by 512.
  Result<BoundExpr> BindScalarSubquery(const Query& query, SourcePos pos);
  Result<BoundQuery> BindSubqueryForIn(const Query& query, SourcePos pos);
  Result<std::string> BindFrom(const std::vector<TableRefPtr>& from);
  Result<std::string> BindTableRef(const TableRef& ref);
  Status BindCtes(const std::vector<CommonTableExpr>& ctes, std::string* with_sql);
  Result<const TableInfo*> ResolveTable(const MultiPartName& name, SourcePos pos);
  Source MakeTableSource(const TableInfo& table, const std::optional<Identifier>& alias);
  Status AddSource(Source source, SourcePos pos);
  Result<BoundExpr> BindTopCount(const Expr& count, bool percent);
  // `SELECT *` / `t.*` expansion of the current scope.
  Status ExpandStar(const MultiPartName& qualifier, SourcePos pos, std::vector<BoundExpr>* items,
                    std::vector<OutputColumn>* columns);

  // ---- DML (binder_dml.cc) ----
  std::string QualifiedTableName(const TableInfo& t) const;
  Result<std::string> StoredColumnValue(const TableInfo& table, const ColumnInfo& col, BoundExpr v,
                                        const char* statement, SourcePos pos);
  // The two steps of StoredColumnValue: the assignment conversion to the column's type, and the
  // guards (es_notnull for the rowid key, es_key for unique-index columns) around its SQL.
  Result<BoundExpr> AssignedColumnValue(const TableInfo& table, const ColumnInfo& col, BoundExpr v,
                                        SourcePos pos);
  std::string GuardedColumnValue(const TableInfo& table, const ColumnInfo& col, std::string sql,
                                 bool non_null_constant, const char* statement);
  Result<BoundExpr> BindColumnDefault(const ColumnInfo& col, SourcePos pos);
  Result<const TableInfo*> ResolveDmlTarget(const TableRef& target, const char* statement,
                                            const std::vector<TableRefPtr>* from);
  Status BindOutput(const std::vector<OutputClause>& outputs, const TableInfo& table,
                    const char* pseudo, CompiledStatement* cs, std::string* returning);
  static ResultColumn ToResultColumn(const OutputColumn& c);
  static void FillTarget(const TableInfo& table, CompiledStatement* cs);
  Result<std::vector<std::pair<const ColumnInfo*, std::string>>> BindSetList(
      const std::vector<SetClause>& sets, const TableInfo& table, const Source& target);
  Result<std::pair<std::string, std::string>> BindDmlFrom(const std::vector<TableRefPtr>& from,
                                                          const TableRef& target,
                                                          const TableInfo& table);

  // ---- Names and parameters (binder.cc) ----
  Result<BoundExpr> BindColumnRef(const ColumnRefExpr& ref, SourcePos pos);
  Result<BoundExpr> BindVariable(const std::string& name, SourcePos pos);
  std::string AddVariableParam(const std::string& name, const SqlType& type, int* index);
  std::string AddRuntimeParam(RuntimeValue which, const SqlType& type);
  BoundExpr Runtime(RuntimeValue which, const SqlType& type, bool nullable = true);
  std::string NextAlias() { return "s" + std::to_string(++alias_counter_); }
  std::string NextCteName() { return "w" + std::to_string(++cte_counter_); }
  // Called once per bound AST node: GROUP BY coverage of ungrouped columns.
  void Finish(BoundExpr* e);
  static SqlError At(SqlError error, SourcePos pos) {
    error.line = pos.line;
    return error;
  }

  // ---- Scopes ----
  class ScopeGuard {
   public:
    // `parent` is the scope names resolve in next: the current scope for subqueries, the
    // current scope's parent for derived tables (which cannot see their FROM siblings).
    ScopeGuard(Binder* b, Scope* s, Scope* parent) : b_(b), saved_(b->scope_) {
      s->parent = parent;
      s->id = ++b->scope_counter_;
      b->scope_ = s;
    }
    ScopeGuard(Binder* b, Scope* s) : ScopeGuard(b, s, b->scope_) {}
    ~ScopeGuard() { b_->scope_ = saved_; }
    ScopeGuard(const ScopeGuard&) = delete;
    ScopeGuard& operator=(const ScopeGuard&) = delete;

   private:
    Binder* b_;
    Scope* saved_;
  };
  class ClauseGuard {
   public:
    ClauseGuard(Scope* s, Clause c) : s_(s), saved_(s->clause) { s->clause = c; }
    ~ClauseGuard() { s_->clause = saved_; }
    ClauseGuard(const ClauseGuard&) = delete;
    ClauseGuard& operator=(const ClauseGuard&) = delete;

   private:
    Scope* s_;
    Clause saved_;
  };

  Scope* scope() { return scope_; }
  const BindContext& ctx() const { return ctx_; }
  const BindSettings& settings() const { return ctx_.settings; }
  std::vector<ParamSource>& params() { return params_; }
  bool qualify() const { return qualify_; }
  void set_qualify(bool q) { qualify_ = q; }
  bool uses_identity() const { return uses_identity_; }
  void set_uses_identity() { uses_identity_ = true; }
  const CteDef* FindCte(std::string_view name) const;
  void PushCte(CteDef def) { ctes_.push_back(std::move(def)); }
  size_t cte_mark() const { return ctes_.size(); }
  void PopCtes(size_t mark) { ctes_.resize(mark); }
  // Applies OPTION (...) hints the compiler honours (MAXRECURSION); the others are accepted.
  void ApplyQueryHints(const QueryHints& hints);

 private:
  const BindContext& ctx_;
  Scope* scope_ = nullptr;
  Scope root_;
  std::vector<ParamSource> params_;
  int alias_counter_ = 0;
  int scope_counter_ = 0;
  int cte_counter_ = 0;
  bool qualify_ = true;
  bool uses_identity_ = false;
  std::vector<CteDef> ctes_;
  // The top-level SELECT block, the only one that may assign variables (141 elsewhere).
  const QuerySpec* assign_spec_ = nullptr;
  // OPTION (MAXRECURSION n) of the statement (0: no limit), and the alias under which the
  // recursive member being bound reads its CTE.
  int max_recursion_ = 100;
  std::string recursive_self_alias_;
};

// ---- Helpers shared by the binder files ----

// Upper-case ASCII copy (function names, hints).
std::string Upper(std::string_view s);
// "t.a" for messages: the parts of a multi-part name as written, joined by dots.
std::string NameText(const MultiPartName& name);
// True for aggregate function names (COUNT, SUM, ...).
bool IsAggregateName(std::string_view upper);
// True if the expression contains an aggregate call of its own query level (not inside a
// subquery, not a windowed aggregate).
bool ContainsAggregate(const Expr& expr);
// True if the expression contains a subquery.
bool ContainsSubquery(const Expr& expr);
// True if the query (or anything under it) names `name` as a one-part table reference.
bool QueryReferences(const Query& query, std::string_view name);
// True if the expression (outside subqueries) mentions the variable `name`.
bool MentionsVariable(const Expr& expr, std::string_view name);
// True if the query expression names `name` as a one-part table reference in a FROM clause.
bool QueryExprReferencesName(const QueryExpr& qe, std::string_view name);
// Checks a built-in function's argument count (174, or 189 for a range).
Status CheckArgCount(const FunctionCallExpr& call, size_t min, size_t max, SourcePos pos);
// 'dbo.t', '[dbo].[t]' as OBJECT_ID takes names; nullopt if malformed.
std::optional<MultiPartName> ParseObjectName(std::string_view text);
// SQL Server's message name of a type ("int", "nvarchar", "numeric" for decimal in arithmetic).
std::string TypeName(const SqlType& t);
// A literal as SQL Server types it (binder_convert.cc).
Result<BoundExpr> BindLiteralValue(const LiteralExpr& lit);
// The SQL literal of an integer.
inline std::string Int(int64_t v) { return std::to_string(v); }
// `sql` without one pair of parentheses around all of it (for WHERE, ON, HAVING).
std::string Unwrap(const std::string& sql);
// A SQLite string literal for `s`.
std::string SqlString(std::string_view s);

}  // namespace edgesql::tsql::bind
