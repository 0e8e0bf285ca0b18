// Private to the parser: the Parser class whose methods are spread over parser*.cc by statement
// family (parser.cc: tokens, names, types, statement dispatch; parser_expr.cc: expressions;
// parser_query.cc: queries and table sources; parser_dml.cc: INSERT/UPDATE/DELETE/EXEC;
// parser_ddl.cc: CREATE/ALTER/DROP; parser_procedural.cc: variables, SET, control flow,
// transactions).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/errors.h"
#include "common/status.h"
#include "tsql/parser.h"
#include "tsql/token.h"

namespace edgesql::tsql {

class Parser {
 public:
  Parser(std::vector<Token> tokens, const ParseOptions& options);

  Result<Batch> ParseBatch();
  Result<ExprPtr> ParseWholeExpression(bool condition);

 private:
  friend class NestingGuard;

  // --- Tokens (parser.cc)
  const Token& Cur() const { return tokens_[pos_]; }
  const Token& Peek(size_t ahead = 1) const;
  const Token& Previous() const { return tokens_[pos_ > 0 ? pos_ - 1 : 0]; }
  void Advance() {
    if (pos_ + 1 < tokens_.size()) ++pos_;
  }
  bool At(TokenKind kind) const { return Cur().kind == kind; }
  bool At(Keyword keyword) const { return Cur().Is(keyword); }
  // True if the current token is the unquoted, non-reserved word `upper` (any case).
  bool AtWord(std::string_view upper) const { return IsWord(Cur(), upper); }
  static bool IsWord(const Token& token, std::string_view upper);
  bool Accept(TokenKind kind);
  bool Accept(Keyword keyword);
  bool AcceptWord(std::string_view upper);
  Status Expect(TokenKind kind);
  Status Expect(Keyword keyword);
  Status ExpectWord(std::string_view upper);
  SourcePos PosOf(const Token& token) const;
  SourcePos CurPos() const { return PosOf(Cur()); }

  // --- Errors (parser.cc)
  // 102/156 naming `token` (the last real token when `token` is the end of the batch).
  SqlError SyntaxError(const Token& token) const;
  SqlError SyntaxErrorHere() const { return SyntaxError(Cur()); }
  SqlError Unsupported(std::string_view construct) const;
  SqlError ErrorAt(SqlError error, const Token& token) const;
  SqlError TooDeep() const;
  // Called on every chain step (a + b + c, UNION, JOIN): counts toward max_depth.
  Status StepDepth(int* steps);
  void UnstepDepth(int steps) { depth_ -= steps; }

  // --- Names and types (parser.cc)
  bool AtName() const;  // an unquoted non-reserved identifier or a delimited identifier
  Result<Identifier> ParseName();
  Status CheckStringAlias(const Token& token) const;  // 1038 / 103 for a string used as alias
  // A dotted name of up to `max_parts` parts; `what` ("object", "column") names it in error 117.
  // `allow_omitted` admits empty middle parts (db..t).
  Result<MultiPartName> ParseMultiPartName(size_t max_parts, std::string_view what,
                                           bool allow_omitted);
  Result<std::vector<Identifier>> ParseNameList();  // (a, b, c) including the parentheses
  Result<DataTypeRef> ParseDataType();
  Result<std::string> ParseSignedIntegerText();
  Result<Identifier> ParseTransactionName();

  // SET QUOTED_IDENTIFIER ON/OFF takes effect for the rest of the batch as it is parsed.
  void SetQuotedIdentifier(bool on);

  // --- Statements (parser.cc)
  Status ParseStatementList(std::vector<StatementPtr>* out, bool in_block);
  Result<StatementPtr> ParseStatement();
  Result<StatementPtr> ParseStatementBody(const Token& start);
  Status RejectUnsupportedStatement();

  // --- Expressions (parser_expr.cc)
  Result<ExprPtr> ParseScalar();
  Result<ExprPtr> ParseConditionExpr();
  Result<ExprPtr> ParseOr();
  Result<ExprPtr> ParseAnd();
  Result<ExprPtr> ParseNot();
  Result<ExprPtr> ParsePredicate();
  Result<ExprPtr> ParsePredicateTail(ExprPtr left);
  Result<ExprPtr> ParseAdditive(ExprPtr first);
  Result<ExprPtr> ParseMultiplicative(ExprPtr first);
  Result<ExprPtr> ParseUnary();
  Result<ExprPtr> ParsePostfix(ExprPtr operand);
  Result<ExprPtr> ParsePrimary();
  Result<ExprPtr> ParseLiteral();
  Result<ExprPtr> ParseParenthesized();
  Result<ExprPtr> ParseCase();
  Result<ExprPtr> ParseNameExpression();
  Result<ExprPtr> ParseFunctionCall(MultiPartName name, const Token& name_token);
  Result<ExprPtr> ParseCast(MultiPartName name, bool is_try);
  Result<ExprPtr> ParseConvert(MultiPartName name, bool is_try);
  Result<ExprPtr> ParseDateFunction(MultiPartName name, std::string_view lower_name);
  Result<ExprPtr> ParseIif(MultiPartName name);
  Status ParseFunctionArgs(FunctionCallExpr* call);
  Result<std::unique_ptr<OverClause>> ParseOver();
  Result<FrameBound> ParseFrameBound();
  Result<std::vector<OrderItem>> ParseOrderByList();
  Result<ExprPtr> ParseScalarOrDefault();
  Status CheckCondition(const Expr& expr) const;  // 4145 unless a predicate
  bool AtQueryStart() const;                      // '(' SELECT ... lookahead at '('

  // --- Queries (parser_query.cc)
  Result<QueryPtr> ParseQuery();  // [WITH ...] body [ORDER BY] [OFFSET/FETCH]
  Result<std::vector<CommonTableExpr>> ParseCtes();
  Result<QueryPtr> ParseQueryAfterCtes(std::vector<CommonTableExpr> ctes, SourcePos pos);
  Result<QueryExprPtr> ParseQueryExpr();
  Result<QueryExprPtr> ParseQueryTerm();
  Result<QueryExprPtr> ParseQueryPrimary();
  Result<QuerySpec> ParseQuerySpec();
  Result<std::unique_ptr<TopClause>> ParseTop(bool require_parens);
  Result<SelectItem> ParseSelectItem(bool allow_assign);
  Result<std::vector<SelectItem>> ParseSelectList(bool allow_assign);
  bool AtQualifiedStar() const;
  Result<std::optional<Identifier>> ParseOptionalAlias(bool allow_string);
  Result<std::vector<TableRefPtr>> ParseFromList();
  Result<TableRefPtr> ParseTableSource();
  Result<TableRefPtr> ParseTablePrimary();
  Result<TableRefPtr> ParseNamedTable(bool allow_alias);
  Status ParseTableHints(std::vector<TableHint>* hints);
  bool AtLegacyHints() const;
  Result<std::vector<std::vector<ExprPtr>>> ParseValuesRows(bool allow_default);
  Result<QueryHints> ParseOptionClause();
  Status RejectForClause();

  // --- DML (parser_dml.cc)
  Result<StatementPtr> ParseWithStatement(const Token& start);
  Result<StatementPtr> ParseSelectStatement(const Token& start, std::vector<CommonTableExpr> ctes);
  Result<StatementPtr> ParseInsert(const Token& start, std::vector<CommonTableExpr> ctes);
  Result<StatementPtr> ParseInsertBulk(const Token& start);
  Status ParseInsertBulkOption(InsertBulkStmt* bulk);
  Result<StatementPtr> ParseUpdate(const Token& start, std::vector<CommonTableExpr> ctes);
  Result<StatementPtr> ParseDelete(const Token& start, std::vector<CommonTableExpr> ctes);
  Result<StatementPtr> ParseTruncate(const Token& start);
  Result<TableRefPtr> ParseDmlTarget();
  Status ParseOutputClauses(std::vector<OutputClause>* outputs);
  Result<ExecStmt> ParseExecBody(bool implicit);
  Result<StatementPtr> ParseExec(const Token& start, bool implicit);
  Result<ExecArg> ParseExecArg();
  Result<ExprPtr> ParseExecValue();

  // --- DDL (parser_ddl.cc)
  Result<StatementPtr> ParseCreate(const Token& start);
  Result<StatementPtr> ParseAlter(const Token& start);
  Result<StatementPtr> ParseDrop(const Token& start);
  Result<StatementPtr> ParseCreateTable(const Token& start);
  Result<TableDefinition> ParseTableDefinition();
  Result<ColumnDef> ParseColumnDef(bool alter_column);
  // COLLATE name | NULL | NOT NULL after a column's type; false, reading nothing, otherwise.
  Result<bool> AcceptCollationOrNullability(std::optional<Identifier>* collation,
                                            Nullability* nullability);
  Status ParseColumnConstraints(ColumnDef* column);
  Result<ConstraintDef> ParseConstraint(bool table_level, bool allow_default_for);
  Status ParseConstraintTail(ConstraintDef* constraint);
  Result<std::vector<IndexColumn>> ParseIndexColumns();
  Result<std::vector<IndexOption>> ParseIndexOptions();
  Status ParseReferences(ConstraintDef* constraint);
  Result<StatementPtr> ParseAlterTable(const Token& start);
  Result<StatementPtr> ParseCreateIndex(const Token& start, bool unique, Clustering clustering);
  Result<StatementPtr> ParseDropIndex(const Token& start);
  Result<StatementPtr> ParseCreateDatabase(const Token& start);
  Result<StatementPtr> ParseCreateView(const Token& start, CreateMode mode);
  Result<StatementPtr> ParseCreateProcedure(const Token& start, CreateMode mode);
  Result<StatementPtr> ParseCreateFunction(const Token& start, CreateMode mode);
  Result<std::vector<ParameterDef>> ParseParameters(bool parenthesized, bool is_function);
  Result<std::vector<std::string>> ParseModuleOptions();
  Result<StatementPtr> ParseAlterLogin(const Token& start);
  Status CheckFirstInBatch(const Token& start, std::string_view what) const;
  Status CheckOnlyStatement();  // nothing but semicolons may follow (views, functions)

  // --- Procedural (parser_procedural.cc)
  Result<StatementPtr> ParseDeclare(const Token& start);
  Result<StatementPtr> ParseSet(const Token& start);
  Result<StatementPtr> ParseSetOption(const Token& start);
  Result<StatementPtr> ParseIf(const Token& start);
  Result<StatementPtr> ParseWhile(const Token& start);
  Result<StatementPtr> ParseBegin(const Token& start);
  Result<StatementPtr> ParseTryCatch(const Token& start);
  Result<StatementPtr> ParseReturn(const Token& start);
  Result<StatementPtr> ParseThrow(const Token& start);
  Result<StatementPtr> ParseRaiserror(const Token& start);
  Result<StatementPtr> ParsePrint(const Token& start);
  Result<StatementPtr> ParseCommit(const Token& start);
  Result<StatementPtr> ParseRollback(const Token& start);
  Result<StatementPtr> ParseSave(const Token& start);
  Result<StatementPtr> ParseWaitfor(const Token& start);
  Result<StatementPtr> ParseCheckpoint(const Token& start);
  Result<StatementPtr> ParseUse(const Token& start);
  bool AtStatementValueStart() const;

  // Wraps a statement node with its source range: from `start` to the previous token.
  template <typename T>
  StatementPtr MakeStatement(const Token& start, T node) {
    auto stmt = std::make_unique<Statement>();
    stmt->pos = PosOf(start);
    const Token& last = Previous();
    stmt->end_offset = last.offset + static_cast<uint32_t>(last.text.size());
    stmt->node = std::move(node);
    return stmt;
  }

  std::vector<Token> tokens_;
  ParseOptions options_;
  size_t pos_ = 0;
  int nesting_ = 0;
  int depth_ = 0;
};

// Counts one level of recursion for as long as it lives; exceeded() reports whether a limit
// of ParseOptions was passed (the caller then returns TooDeep()).
class NestingGuard {
 public:
  explicit NestingGuard(Parser* parser) : parser_(parser) {
    ++parser_->nesting_;
    ++parser_->depth_;
  }
  ~NestingGuard() {
    --parser_->nesting_;
    --parser_->depth_;
  }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;
  bool exceeded() const {
    return parser_->nesting_ > parser_->options_.max_nesting ||
           parser_->depth_ > parser_->options_.max_depth;
  }

 private:
  Parser* parser_;
};

#define EDGESQL_TSQL_NEST()          \
  NestingGuard nesting_guard_(this); \
  if (nesting_guard_.exceeded()) return TooDeep()

template <typename T>
ExprPtr MakeExpr(SourcePos pos, T node) {
  auto expr = std::make_unique<Expr>();
  expr->pos = pos;
  expr->node = std::move(node);
  return expr;
}

// ASCII upper-casing of a word, for canonical option names.
std::string ToUpper(std::string_view text);

// = += -= *= /= %= &= |= ^= and the assignment each stands for.
bool IsAssignmentToken(TokenKind kind);
AssignOp AssignmentOf(TokenKind kind);

}  // namespace edgesql::tsql
