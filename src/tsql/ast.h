// The T-SQL syntax tree, part 1: names, data types, expressions and queries.
//
// The tree is what the parser saw, nothing resolved: names keep their spelling and whether they
// were delimited, data types keep their name and raw facets, literals keep their text. Binding
// names and types is the binder's job. Every node carries the SourcePos of its first token so
// later stages can report errors at the right line.
//
// Shape: plain structs. A node with several forms is a struct holding a std::variant of
// alternatives (Expr::node, TableRef::node, QueryExpr::node, Statement::node); walk it with
// std::visit or std::get_if. Children are owned by std::unique_ptr; lists are std::vectors.
// There is no behaviour beyond construction; tsql/printer.h renders any node as canonical T-SQL.
//
// Depth is bounded by the parser (ParseOptions::max_nesting / max_depth), so recursive walks of
// a parsed tree cannot overflow the stack.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace edgesql::tsql {

struct SourcePos {
  int32_t line = 1;     // 1-based
  int32_t column = 1;   // 1-based, in characters
  uint32_t offset = 0;  // byte offset in the batch
};

// One part of a name. `value` is the name with delimiters removed and escapes undone ([a]]b] is
// a]b); `quoted` is true for [..] and "..". An omitted part of a multi-part name (the schema in
// db..t) is an Identifier with an empty value and quoted false.
struct Identifier {
  std::string value;
  bool quoted = false;
  SourcePos pos;

  bool omitted() const { return value.empty() && !quoted; }
};

// server.database.schema.object, or for columns database.schema.table.column: up to four parts,
// left to right as written.
struct MultiPartName {
  std::vector<Identifier> parts;
  SourcePos pos;

  // The part `i` places from the right (0 = the object or column itself); nullptr when the name
  // has fewer parts or that part was omitted.
  const Identifier* FromRight(size_t i) const {
    if (i >= parts.size() || parts[parts.size() - 1 - i].omitted()) return nullptr;
    return &parts[parts.size() - 1 - i];
  }
};

// A data type as written: `name` has one part for system types ("int", and multi-word names such
// as "double precision" or "national character varying" as one Identifier whose words are joined
// by single spaces) and may have a schema for alias types (dbo.Phone). Facets are raw: (n) or
// (p, s) numbers, or is_max for (max). Resolving them (LookupTypeName/ApplyFacets in
// types/sql_type.h) is the binder's job.
struct DataTypeRef {
  MultiPartName name;
  std::vector<int32_t> facets;
  bool is_max = false;
  SourcePos pos;
};

struct Expr;
struct Query;
struct QueryExpr;
struct TableRef;
using ExprPtr = std::unique_ptr<Expr>;
using QueryPtr = std::unique_ptr<Query>;
using QueryExprPtr = std::unique_ptr<QueryExpr>;
using TableRefPtr = std::unique_ptr<TableRef>;

enum class SortOrder : uint8_t { kUnspecified, kAsc, kDesc };

struct OrderItem {
  ExprPtr expr;
  SortOrder order = SortOrder::kUnspecified;
  SourcePos pos;
};

// ---------------------------------------------------------------------------------------------
// Expressions

enum class LiteralKind : uint8_t {
  kNull,
  kInteger,  // text: digits as written
  kDecimal,  // text as written: "1.5", ".5", "1."
  kFloat,    // text as written: "1e10", "1.5E-3"
  kMoney,    // text without the '$': "12.50" ("" for "$" alone)
  kString,   // text: the decoded characters
  kNString,  // N'..': the decoded characters
  kBinary,   // text: the hex digits after 0x (possibly empty)
};

struct LiteralExpr {
  LiteralKind kind = LiteralKind::kNull;
  std::string text;
};

// A column reference: a, t.a, s.t.a, db.s.t.a; also $IDENTITY-style pseudo columns.
struct ColumnRefExpr {
  MultiPartName name;
};

struct VariableExpr {
  std::string name;  // as written, with the leading '@'
};

// @@ROWCOUNT, @@ERROR, @@SPID, ...
struct GlobalVariableExpr {
  std::string name;  // as written, with the leading "@@"
};

enum class UnaryOp : uint8_t { kPlus, kMinus, kBitNot, kNot };

struct UnaryExpr {
  UnaryOp op = UnaryOp::kMinus;
  ExprPtr operand;
};

enum class BinaryOp : uint8_t {
  kMul,
  kDiv,
  kMod,
  kAdd,  // also string concatenation; the binder decides from the operand types
  kSub,
  kBitAnd,
  kBitOr,
  kBitXor,
  kEq,
  kNotEq,  // <> and !=
  kLess,
  kLessEq,
  kGreater,
  kGreaterEq,
  kNotLess,     // !<
  kNotGreater,  // !>
  kAnd,
  kOr,
};

struct BinaryExpr {
  BinaryOp op = BinaryOp::kAdd;
  ExprPtr left;
  ExprPtr right;
};

struct IsNullExpr {
  ExprPtr operand;
  bool negated = false;  // IS NOT NULL
};

struct BetweenExpr {
  ExprPtr operand;
  ExprPtr low;
  ExprPtr high;
  bool negated = false;
};

// operand [NOT] IN (values...) or operand [NOT] IN (subquery): exactly one of values/subquery.
struct InExpr {
  ExprPtr operand;
  std::vector<ExprPtr> values;
  QueryPtr subquery;
  bool negated = false;
};

struct LikeExpr {
  ExprPtr operand;
  ExprPtr pattern;
  ExprPtr escape;  // null without ESCAPE
  bool negated = false;
};

struct ExistsExpr {
  QueryPtr subquery;  // NOT EXISTS is UnaryExpr kNot over this
};

enum class Quantifier : uint8_t { kAll, kAny, kSome };

// operand op ALL|ANY|SOME (subquery)
struct QuantifiedExpr {
  BinaryOp op = BinaryOp::kEq;  // a comparison
  Quantifier quantifier = Quantifier::kAny;
  ExprPtr operand;
  QueryPtr subquery;
};

struct WhenClause {
  ExprPtr when;  // a value (simple CASE) or a condition (searched CASE)
  ExprPtr then;
};

struct CaseExpr {
  ExprPtr operand;  // null for a searched CASE
  std::vector<WhenClause> whens;
  ExprPtr else_result;  // null without ELSE
};

// CAST(x AS type) / TRY_CAST(x AS type)
struct CastExpr {
  ExprPtr operand;
  DataTypeRef type;
  bool is_try = false;
};

// CONVERT(type, x [, style]) / TRY_CONVERT(...)
struct ConvertExpr {
  DataTypeRef type;
  ExprPtr operand;
  ExprPtr style;  // null when omitted
  bool is_try = false;
};

// The bare datepart keyword that DATEADD, DATEDIFF, DATEDIFF_BIG, DATEPART, DATENAME, DATETRUNC
// and DATE_BUCKET take as their first argument (day, dd, d, month, ...), as written. The parser
// accepts only SQL Server's datepart names (error 155 otherwise).
struct DatePartExpr {
  std::string name;
};

enum class FrameUnit : uint8_t { kRows, kRange };
enum class FrameBoundKind : uint8_t {
  kUnboundedPreceding,
  kPreceding,  // offset PRECEDING
  kCurrentRow,
  kFollowing,  // offset FOLLOWING
  kUnboundedFollowing,
};

struct FrameBound {
  FrameBoundKind kind = FrameBoundKind::kCurrentRow;
  ExprPtr offset;  // kPreceding / kFollowing only
};

struct WindowFrame {
  FrameUnit unit = FrameUnit::kRows;
  FrameBound start;
  std::optional<FrameBound> end;  // present for BETWEEN start AND end
};

struct OverClause {
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  std::unique_ptr<WindowFrame> frame;  // null without ROWS/RANGE
  SourcePos pos;
};

// name(args) including aggregates, window functions, IIF, COALESCE, NULLIF, LEFT/RIGHT, user
// functions (dbo.f(x)) and the niladic functions written without parentheses (CURRENT_TIMESTAMP,
// CURRENT_USER, SESSION_USER, SYSTEM_USER, USER). For IIF the first argument is a condition; for
// the date functions it is a DatePartExpr.
struct FunctionCallExpr {
  MultiPartName name;
  std::vector<ExprPtr> args;
  bool star = false;       // COUNT(*): args is empty
  bool distinct = false;   // COUNT(DISTINCT x)
  bool no_parens = false;  // CURRENT_TIMESTAMP and friends
  bool trim_from = false;  // TRIM(characters FROM string): args are {string, characters}
  std::unique_ptr<OverClause> over;
  std::vector<OrderItem> within_group;  // STRING_AGG(...) WITHIN GROUP (ORDER BY ...)
};

// (SELECT ...) used as a value.
struct SubqueryExpr {
  QueryPtr query;
};

struct CollateExpr {
  ExprPtr operand;
  Identifier collation;
};

// DEFAULT where a value may be defaulted: INSERT VALUES, UPDATE SET, EXEC arguments, and
// arguments of table-valued function calls.
struct DefaultExpr {};

struct Expr {
  SourcePos pos;
  std::variant<LiteralExpr, ColumnRefExpr, VariableExpr, GlobalVariableExpr, UnaryExpr, BinaryExpr,
               IsNullExpr, BetweenExpr, InExpr, LikeExpr, ExistsExpr, QuantifiedExpr, CaseExpr,
               CastExpr, ConvertExpr, DatePartExpr, FunctionCallExpr, SubqueryExpr, CollateExpr,
               DefaultExpr>
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

// True for expressions that are conditions (search conditions) rather than values: comparisons,
// AND/OR/NOT, IS NULL, BETWEEN, IN, LIKE, EXISTS and quantified comparisons.
bool IsPredicate(const Expr& expr);

// ---------------------------------------------------------------------------------------------
// Queries

struct TopClause {
  ExprPtr count;
  bool percent = false;
  bool with_ties = false;
  SourcePos pos;
};

enum class SelectItemKind : uint8_t {
  kExpr,    // expr [[AS] alias] or alias = expr
  kStar,    // * or qualifier.*
  kAssign,  // @var = expr, @var += expr, ...
};

enum class AssignOp : uint8_t { kAssign, kAdd, kSub, kMul, kDiv, kMod, kBitAnd, kBitOr, kBitXor };

struct SelectItem {
  SelectItemKind kind = SelectItemKind::kExpr;
  ExprPtr expr;                     // kExpr, kAssign
  std::optional<Identifier> alias;  // kExpr; a string alias ('x' or AS 'x') is a quoted name
  MultiPartName star_qualifier;     // kStar: empty parts for a bare *
  std::string variable;             // kAssign: "@name"
  AssignOp op = AssignOp::kAssign;  // kAssign
  SourcePos pos;
};

// WITH (NOLOCK), WITH (INDEX(ix)), and the legacy form without WITH: t (NOLOCK).
struct TableHint {
  Identifier name;            // NOLOCK, UPDLOCK, INDEX, FORCESEEK, ...
  std::vector<ExprPtr> args;  // INDEX(ix, 0) -> [ix, 0]; INDEX = ix -> [ix]
};

struct NamedTableRef {
  MultiPartName name;
  std::optional<Identifier> alias;
  std::vector<TableHint> hints;
};

// FROM @table_variable
struct VariableTableRef {
  std::string variable;
  std::optional<Identifier> alias;
};

// A table-valued function call: dbo.f(1), OPENJSON(@j), STRING_SPLIT(@s, ',').
struct FunctionTableRef {
  MultiPartName name;
  std::vector<ExprPtr> args;
  std::optional<Identifier> alias;
  std::vector<Identifier> columns;
};

struct DerivedTableRef {
  QueryPtr query;
  std::optional<Identifier> alias;  // required by SQL Server; the parser enforces it
  std::vector<Identifier> columns;
};

// (VALUES (1, 'a'), (2, 'b')) AS v(n, s)
struct ValuesTableRef {
  std::vector<std::vector<ExprPtr>> rows;
  std::optional<Identifier> alias;
  std::vector<Identifier> columns;
};

enum class JoinKind : uint8_t { kInner, kLeft, kRight, kFull, kCross, kCrossApply, kOuterApply };

struct JoinTableRef {
  JoinKind kind = JoinKind::kInner;
  std::string hint;  // LOOP, HASH, MERGE or REMOTE as written upper-case; empty if none
  TableRefPtr left;
  TableRefPtr right;
  ExprPtr on;  // null for CROSS JOIN and APPLY
};

struct TableRef {
  SourcePos pos;
  std::variant<NamedTableRef, VariableTableRef, FunctionTableRef, DerivedTableRef, ValuesTableRef,
               JoinTableRef>
      node;
};

// One SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ... block.
struct QuerySpec {
  bool distinct = false;
  std::unique_ptr<TopClause> top;
  std::vector<SelectItem> items;
  std::optional<MultiPartName> into;  // SELECT ... INTO new_table
  std::vector<TableRefPtr> from;      // comma-separated table sources
  ExprPtr where;
  std::vector<ExprPtr> group_by;
  ExprPtr having;
};

enum class SetOpKind : uint8_t { kUnion, kUnionAll, kExcept, kIntersect };

struct SetOperation {
  SetOpKind kind = SetOpKind::kUnion;
  QueryExprPtr left;
  QueryExprPtr right;
};

// A parenthesized operand of a set operation that has its own ORDER BY / OFFSET. Parentheses
// around anything else are not kept: the tree shape says what they grouped.
struct ParenQuery {
  QueryPtr query;
};

struct QueryExpr {
  SourcePos pos;
  std::variant<QuerySpec, SetOperation, ParenQuery> node;
};

struct CommonTableExpr {
  Identifier name;
  std::vector<Identifier> columns;
  QueryPtr query;
  SourcePos pos;
};

// A complete query: [WITH ctes] body [ORDER BY ...] [OFFSET n ROWS [FETCH NEXT m ROWS ONLY]].
struct Query {
  std::vector<CommonTableExpr> ctes;
  QueryExprPtr body;
  std::vector<OrderItem> order_by;
  ExprPtr offset;  // null without OFFSET
  ExprPtr fetch;   // null without FETCH
  SourcePos pos;
};

}  // namespace edgesql::tsql
