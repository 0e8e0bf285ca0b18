// Queries: SELECT blocks, set operations (INTERSECT binds tighter than UNION and EXCEPT, as in
// SQL Server), common table expressions, ORDER BY / OFFSET ... FETCH, and table sources with
// joins, APPLY, derived tables, VALUES constructors and table hints.
#include <algorithm>
#include <array>

#include "tsql/parser_internal.h"

namespace edgesql::tsql {
namespace {

// Table hints of "Table Hints (Transact-SQL)".
constexpr std::array<std::string_view, 25> kTableHints = {"NOLOCK",
                                                          "READUNCOMMITTED",
                                                          "UPDLOCK",
                                                          "REPEATABLEREAD",
                                                          "SERIALIZABLE",
                                                          "READCOMMITTED",
                                                          "READCOMMITTEDLOCK",
                                                          "TABLOCK",
                                                          "TABLOCKX",
                                                          "PAGLOCK",
                                                          "ROWLOCK",
                                                          "NOWAIT",
                                                          "READPAST",
                                                          "XLOCK",
                                                          "SNAPSHOT",
                                                          "NOEXPAND",
                                                          "INDEX",
                                                          "FORCESEEK",
                                                          "FORCESCAN",
                                                          "HOLDLOCK",
                                                          "KEEPIDENTITY",
                                                          "KEEPDEFAULTS",
                                                          "IGNORE_CONSTRAINTS",
                                                          "IGNORE_TRIGGERS",
                                                          "SPATIAL_WINDOW_MAX_CELLS"};

bool IsTableHintToken(const Token& t) {
  if (t.kind != TokenKind::kIdentifier && !t.Is(Keyword::kHoldlock) && !t.Is(Keyword::kIndex)) {
    return false;
  }
  std::string upper = ToUpper(t.text);
  return std::find(kTableHints.begin(), kTableHints.end(), upper) != kTableHints.end();
}

bool IsAssignOp(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEq:
    case TokenKind::kPlusEq:
    case TokenKind::kMinusEq:
    case TokenKind::kStarEq:
    case TokenKind::kSlashEq:
    case TokenKind::kPercentEq:
    case TokenKind::kAmpEq:
    case TokenKind::kPipeEq:
    case TokenKind::kCaretEq:
      return true;
    default:
      return false;
  }
}

AssignOp ToAssignOp(TokenKind kind) {
  switch (kind) {
    case TokenKind::kPlusEq:
      return AssignOp::kAdd;
    case TokenKind::kMinusEq:
      return AssignOp::kSub;
    case TokenKind::kStarEq:
      return AssignOp::kMul;
    case TokenKind::kSlashEq:
      return AssignOp::kDiv;
    case TokenKind::kPercentEq:
      return AssignOp::kMod;
    case TokenKind::kAmpEq:
      return AssignOp::kBitAnd;
    case TokenKind::kPipeEq:
      return AssignOp::kBitOr;
    case TokenKind::kCaretEq:
      return AssignOp::kBitXor;
    default:
      return AssignOp::kAssign;
  }
}

}  // namespace

bool IsAssignmentToken(TokenKind kind) { return IsAssignOp(kind); }
AssignOp AssignmentOf(TokenKind kind) { return ToAssignOp(kind); }

Result<QueryPtr> Parser::ParseQuery() { return ParseQueryAfterCtes({}, CurPos()); }

Result<std::vector<CommonTableExpr>> Parser::ParseCtes() {
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kWith));
  if (AtWord("XMLNAMESPACES")) return Unsupported("WITH XMLNAMESPACES");
  std::vector<CommonTableExpr> ctes;
  do {
    CommonTableExpr cte;
    cte.pos = CurPos();
    EDGESQL_ASSIGN_OR_RETURN(cte.name, ParseName());
    if (At(TokenKind::kLParen)) {
      EDGESQL_ASSIGN_OR_RETURN(cte.columns, ParseNameList());
    }
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kAs));
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
    EDGESQL_ASSIGN_OR_RETURN(cte.query, ParseQuery());
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
    ctes.push_back(std::move(cte));
  } while (Accept(TokenKind::kComma));
  return ctes;
}

Result<QueryPtr> Parser::ParseQueryAfterCtes(std::vector<CommonTableExpr> ctes, SourcePos pos) {
  EDGESQL_TSQL_NEST();
  auto query = std::make_unique<Query>();
  query->pos = pos;
  query->ctes = std::move(ctes);
  EDGESQL_ASSIGN_OR_RETURN(query->body, ParseQueryExpr());
  if (Accept(Keyword::kOrder)) {
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kBy));
    EDGESQL_ASSIGN_OR_RETURN(query->order_by, ParseOrderByList());
    if (AcceptWord("OFFSET")) {
      EDGESQL_ASSIGN_OR_RETURN(query->offset, ParseScalar());
      if (!AcceptWord("ROWS") && !AcceptWord("ROW")) return SyntaxErrorHere();
      if (Accept(Keyword::kFetch)) {
        if (!AcceptWord("NEXT") && !AcceptWord("FIRST")) return SyntaxErrorHere();
        EDGESQL_ASSIGN_OR_RETURN(query->fetch, ParseScalar());
        if (!AcceptWord("ROWS") && !AcceptWord("ROW")) return SyntaxErrorHere();
        EDGESQL_RETURN_IF_ERROR(ExpectWord("ONLY"));
      }
    }
  }
  EDGESQL_RETURN_IF_ERROR(RejectForClause());
  return query;
}

Status Parser::RejectForClause() {
  if (At(Keyword::kFor)) {
    const Token& next = Peek();
    if (IsWord(next, "XML")) return Unsupported("FOR XML");
    if (IsWord(next, "JSON")) return Unsupported("FOR JSON");
    if (next.Is(Keyword::kBrowse)) return Unsupported("FOR BROWSE");
  }
  if (At(Keyword::kCompute)) return Unsupported("COMPUTE");
  return Status::Ok();
}

Result<QueryExprPtr> Parser::ParseQueryExpr() {
  EDGESQL_ASSIGN_OR_RETURN(QueryExprPtr left, ParseQueryTerm());
  int steps = 0;
  while (At(Keyword::kUnion) || At(Keyword::kExcept)) {
    SetOpKind kind = At(Keyword::kUnion) ? SetOpKind::kUnion : SetOpKind::kExcept;
    Advance();
    if (kind == SetOpKind::kUnion && Accept(Keyword::kAll)) kind = SetOpKind::kUnionAll;
    Status st = StepDepth(&steps);
    if (!st.ok()) {
      UnstepDepth(steps);
      return st;
    }
    auto right = ParseQueryTerm();
    if (!right.ok()) {
      UnstepDepth(steps);
      return right.error();
    }
    auto op = std::make_unique<QueryExpr>();
    op->pos = left->pos;
    op->node = SetOperation{kind, std::move(left), std::move(right).value()};
    left = std::move(op);
  }
  UnstepDepth(steps);
  return left;
}

Result<QueryExprPtr> Parser::ParseQueryTerm() {
  EDGESQL_ASSIGN_OR_RETURN(QueryExprPtr left, ParseQueryPrimary());
  int steps = 0;
  while (At(Keyword::kIntersect)) {
    Advance();
    Status st = StepDepth(&steps);
    if (!st.ok()) {
      UnstepDepth(steps);
      return st;
    }
    auto right = ParseQueryPrimary();
    if (!right.ok()) {
      UnstepDepth(steps);
      return right.error();
    }
    auto op = std::make_unique<QueryExpr>();
    op->pos = left->pos;
    op->node = SetOperation{SetOpKind::kIntersect, std::move(left), std::move(right).value()};
    left = std::move(op);
  }
  UnstepDepth(steps);
  return left;
}

Result<QueryExprPtr> Parser::ParseQueryPrimary() {
  SourcePos pos = CurPos();
  if (Accept(TokenKind::kLParen)) {
    EDGESQL_ASSIGN_OR_RETURN(QueryPtr inner, ParseQuery());
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
    if (inner->order_by.empty()) return std::move(inner->body);
    auto paren = std::make_unique<QueryExpr>();
    paren->pos = pos;
    paren->node = ParenQuery{std::move(inner)};
    return paren;
  }
  if (!At(Keyword::kSelect)) return SyntaxErrorHere();
  EDGESQL_ASSIGN_OR_RETURN(QuerySpec spec, ParseQuerySpec());
  auto q = std::make_unique<QueryExpr>();
  q->pos = pos;
  q->node = std::move(spec);
  return q;
}

Result<QuerySpec> Parser::ParseQuerySpec() {
  QuerySpec spec;
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kSelect));
  if (Accept(Keyword::kDistinct)) {
    spec.distinct = true;
  } else {
    Accept(Keyword::kAll);
  }
  if (At(Keyword::kTop)) {
    EDGESQL_ASSIGN_OR_RETURN(spec.top, ParseTop(/*require_parens=*/false));
  }
  EDGESQL_ASSIGN_OR_RETURN(spec.items, ParseSelectList(/*allow_assign=*/true));
  if (Accept(Keyword::kInto)) {
    EDGESQL_ASSIGN_OR_RETURN(MultiPartName into, ParseMultiPartName(4, "object", true));
    spec.into = std::move(into);
  }
  if (Accept(Keyword::kFrom)) {
    EDGESQL_ASSIGN_OR_RETURN(spec.from, ParseFromList());
  }
  if (Accept(Keyword::kWhere)) {
    if (At(Keyword::kCurrent) && Peek().Is(Keyword::kOf)) return Unsupported("CURRENT OF");
    EDGESQL_ASSIGN_OR_RETURN(spec.where, ParseConditionExpr());
  }
  if (Accept(Keyword::kGroup)) {
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kBy));
    if (At(Keyword::kAll)) return Unsupported("GROUP BY ALL");
    do {
      if ((AtWord("ROLLUP") || AtWord("CUBE")) && Peek().Is(TokenKind::kLParen)) {
        return Unsupported(ToUpper(Cur().text));
      }
      if (AtWord("GROUPING") && IsWord(Peek(), "SETS")) return Unsupported("GROUPING SETS");
      EDGESQL_ASSIGN_OR_RETURN(ExprPtr e, ParseScalar());
      spec.group_by.push_back(std::move(e));
    } while (Accept(TokenKind::kComma));
    if (At(Keyword::kWith) && (IsWord(Peek(), "ROLLUP") || IsWord(Peek(), "CUBE"))) {
      return Unsupported("WITH " + ToUpper(Peek().text));
    }
  }
  if (Accept(Keyword::kHaving)) {
    EDGESQL_ASSIGN_OR_RETURN(spec.having, ParseConditionExpr());
  }
  return spec;
}

Result<std::unique_ptr<TopClause>> Parser::ParseTop(bool require_parens) {
  auto top = std::make_unique<TopClause>();
  top->pos = CurPos();
  Advance();  // TOP
  if (Accept(TokenKind::kLParen)) {
    EDGESQL_ASSIGN_OR_RETURN(top->count, ParseScalar());
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  } else if (!require_parens &&
             (At(TokenKind::kInteger) || At(TokenKind::kDecimal) || At(TokenKind::kFloat))) {
    EDGESQL_ASSIGN_OR_RETURN(top->count, ParseLiteral());
  } else {
    return SyntaxErrorHere();
  }
  if (Accept(Keyword::kPercent)) top->percent = true;
  if (!require_parens && At(Keyword::kWith) && IsWord(Peek(), "TIES")) {
    Advance();
    Advance();
    top->with_ties = true;
  }
  return top;
}

Result<std::vector<SelectItem>> Parser::ParseSelectList(bool allow_assign) {
  std::vector<SelectItem> items;
  do {
    EDGESQL_ASSIGN_OR_RETURN(SelectItem item, ParseSelectItem(allow_assign));
    items.push_back(std::move(item));
  } while (Accept(TokenKind::kComma));
  return items;
}

bool Parser::AtQualifiedStar() const {
  size_t i = pos_;
  while (i + 2 < tokens_.size()) {
    const Token& t = tokens_[i];
    if (t.kind != TokenKind::kIdentifier && t.kind != TokenKind::kQuotedIdentifier) return false;
    if (!tokens_[i + 1].Is(TokenKind::kDot)) return false;
    if (tokens_[i + 2].Is(TokenKind::kStar)) return true;
    i += 2;
  }
  return false;
}

Result<SelectItem> Parser::ParseSelectItem(bool allow_assign) {
  SelectItem item;
  item.pos = CurPos();
  if (Accept(TokenKind::kStar)) {
    item.kind = SelectItemKind::kStar;
    return item;
  }
  if (AtQualifiedStar()) {
    item.kind = SelectItemKind::kStar;
    item.star_qualifier.pos = CurPos();
    while (!At(TokenKind::kStar)) {
      EDGESQL_ASSIGN_OR_RETURN(Identifier part, ParseName());
      item.star_qualifier.parts.push_back(std::move(part));
      EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kDot));
    }
    Advance();  // *
    if (item.star_qualifier.parts.size() > 3) {
      return SyntaxError(Previous());
    }
    return item;
  }
  if (allow_assign && At(TokenKind::kVariable) && IsAssignOp(Peek().kind)) {
    item.kind = SelectItemKind::kAssign;
    item.variable = std::string(Cur().text);
    Advance();
    item.op = ToAssignOp(Cur().kind);
    Advance();
    EDGESQL_ASSIGN_OR_RETURN(item.expr, ParseScalar());
    return item;
  }
  if ((AtName() || At(TokenKind::kString)) && Peek().Is(TokenKind::kEq)) {
    // alias = expression
    Identifier alias;
    alias.pos = CurPos();
    alias.quoted = !At(TokenKind::kIdentifier);
    alias.value = alias.quoted ? Cur().value : std::string(Cur().text);
    EDGESQL_RETURN_IF_ERROR(CheckStringAlias(Cur()));
    Advance();
    Advance();
    EDGESQL_ASSIGN_OR_RETURN(item.expr, ParseScalar());
    item.alias = std::move(alias);
    return item;
  }
  EDGESQL_ASSIGN_OR_RETURN(item.expr, ParseScalar());
  EDGESQL_ASSIGN_OR_RETURN(item.alias, ParseOptionalAlias(/*allow_string=*/true));
  return item;
}

Result<std::optional<Identifier>> Parser::ParseOptionalAlias(bool allow_string) {
  bool has_as = Accept(Keyword::kAs);
  if (AtName()) {
    EDGESQL_ASSIGN_OR_RETURN(Identifier alias, ParseName());
    return std::optional<Identifier>(std::move(alias));
  }
  if (allow_string && At(TokenKind::kString)) {
    EDGESQL_RETURN_IF_ERROR(CheckStringAlias(Cur()));
    Identifier alias{Cur().value, true, CurPos()};
    Advance();
    return std::optional<Identifier>(std::move(alias));
  }
  if (has_as) return SyntaxErrorHere();
  return std::optional<Identifier>();
}

Result<std::vector<TableRefPtr>> Parser::ParseFromList() {
  std::vector<TableRefPtr> from;
  do {
    EDGESQL_ASSIGN_OR_RETURN(TableRefPtr source, ParseTableSource());
    from.push_back(std::move(source));
  } while (Accept(TokenKind::kComma));
  return from;
}

Result<TableRefPtr> Parser::ParseTableSource() {
  EDGESQL_TSQL_NEST();
  EDGESQL_ASSIGN_OR_RETURN(TableRefPtr left, ParseTablePrimary());
  int steps = 0;
  while (true) {
    JoinKind kind = JoinKind::kInner;
    bool needs_on = true;
    std::string hint;
    if (At(Keyword::kCross) && Peek().Is(Keyword::kJoin)) {
      kind = JoinKind::kCross;
      needs_on = false;
      Advance();
    } else if (At(Keyword::kCross) && IsWord(Peek(), "APPLY")) {
      kind = JoinKind::kCrossApply;
      needs_on = false;
      Advance();
    } else if (At(Keyword::kOuter) && IsWord(Peek(), "APPLY")) {
      kind = JoinKind::kOuterApply;
      needs_on = false;
      Advance();
    } else if (At(Keyword::kInner) || At(Keyword::kLeft) || At(Keyword::kRight) ||
               At(Keyword::kFull)) {
      kind = At(Keyword::kInner)   ? JoinKind::kInner
             : At(Keyword::kLeft)  ? JoinKind::kLeft
             : At(Keyword::kRight) ? JoinKind::kRight
                                   : JoinKind::kFull;
      Advance();
      if (kind != JoinKind::kInner) Accept(Keyword::kOuter);
      if (AtWord("LOOP") || AtWord("HASH") || AtWord("REMOTE") || At(Keyword::kMerge)) {
        hint = ToUpper(Cur().text);
        Advance();
      }
      if (!At(Keyword::kJoin)) {
        UnstepDepth(steps);
        return SyntaxErrorHere();
      }
    } else if (!At(Keyword::kJoin)) {
      break;
    }
    Advance();  // JOIN or APPLY
    Status st = StepDepth(&steps);
    if (!st.ok()) {
      UnstepDepth(steps);
      return st;
    }
    auto right = needs_on ? ParseTableSource() : ParseTablePrimary();
    if (!right.ok()) {
      UnstepDepth(steps);
      return right.error();
    }
    JoinTableRef join;
    join.kind = kind;
    join.hint = std::move(hint);
    join.right = std::move(right).value();
    if (needs_on) {
      Status on = Expect(Keyword::kOn);
      if (!on.ok()) {
        UnstepDepth(steps);
        return on;
      }
      auto condition = ParseConditionExpr();
      if (!condition.ok()) {
        UnstepDepth(steps);
        return condition.error();
      }
      join.on = std::move(condition).value();
    }
    auto ref = std::make_unique<TableRef>();
    ref->pos = left->pos;
    join.left = std::move(left);
    ref->node = std::move(join);
    left = std::move(ref);
  }
  UnstepDepth(steps);
  return left;
}

Result<TableRefPtr> Parser::ParseTablePrimary() {
  EDGESQL_TSQL_NEST();
  auto ref = std::make_unique<TableRef>();
  ref->pos = CurPos();
  if (At(TokenKind::kLParen)) {
    // Derived table, VALUES constructor, or a parenthesized join: look past any run of '('.
    // The scan stops past the nesting limit, which a longer run would exceed anyway.
    size_t i = pos_ + 1;
    size_t limit = pos_ + 2 + static_cast<size_t>(std::max(options_.max_nesting, 0));
    while (i < tokens_.size() && i < limit && tokens_[i].Is(TokenKind::kLParen)) ++i;
    bool derived = i < tokens_.size() && tokens_[i].Is(Keyword::kSelect);
    if (derived || Peek().Is(Keyword::kValues)) {
      Advance();  // (
      std::optional<Identifier> alias;
      std::vector<Identifier> columns;
      if (derived) {
        DerivedTableRef d;
        EDGESQL_ASSIGN_OR_RETURN(d.query, ParseQuery());
        EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
        EDGESQL_ASSIGN_OR_RETURN(d.alias, ParseOptionalAlias(false));
        if (!d.alias) return SyntaxErrorHere();
        if (At(TokenKind::kLParen)) {
          EDGESQL_ASSIGN_OR_RETURN(d.columns, ParseNameList());
        }
        ref->node = std::move(d);
      } else {
        Advance();  // VALUES
        ValuesTableRef v;
        EDGESQL_ASSIGN_OR_RETURN(v.rows, ParseValuesRows(/*allow_default=*/false));
        EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
        EDGESQL_ASSIGN_OR_RETURN(v.alias, ParseOptionalAlias(false));
        if (!v.alias) return SyntaxErrorHere();
        if (At(TokenKind::kLParen)) {
          EDGESQL_ASSIGN_OR_RETURN(v.columns, ParseNameList());
        }
        ref->node = std::move(v);
      }
    } else {
      Advance();  // (
      EDGESQL_ASSIGN_OR_RETURN(TableRefPtr inner, ParseTableSource());
      EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
      ref = std::move(inner);
    }
  } else if (At(TokenKind::kVariable)) {
    VariableTableRef v;
    v.variable = std::string(Cur().text);
    Advance();
    EDGESQL_ASSIGN_OR_RETURN(v.alias, ParseOptionalAlias(false));
    ref->node = std::move(v);
  } else if (AtName()) {
    EDGESQL_ASSIGN_OR_RETURN(ref, ParseNamedTable(/*allow_alias=*/true));
  } else {
    switch (Cur().keyword) {
      case Keyword::kOpenrowset:
      case Keyword::kOpenquery:
      case Keyword::kOpendatasource:
      case Keyword::kOpenxml:
      case Keyword::kContainstable:
      case Keyword::kFreetexttable:
      case Keyword::kSemantickeyphrasetable:
      case Keyword::kSemanticsimilaritytable:
      case Keyword::kSemanticsimilaritydetailstable:
        return Unsupported(KeywordText(Cur().keyword));
      default:
        return SyntaxErrorHere();
    }
  }
  if (At(Keyword::kPivot) || At(Keyword::kUnpivot) || At(Keyword::kTablesample)) {
    return Unsupported(KeywordText(Cur().keyword));
  }
  return ref;
}

bool Parser::AtLegacyHints() const {
  if (!At(TokenKind::kLParen) || !IsTableHintToken(Peek())) return false;
  const Token& after = Peek(2);
  return after.Is(TokenKind::kRParen) || after.Is(TokenKind::kComma) ||
         (Peek().Is(Keyword::kIndex) && (after.Is(TokenKind::kLParen) || after.Is(TokenKind::kEq)));
}

Result<TableRefPtr> Parser::ParseNamedTable(bool allow_alias) {
  auto ref = std::make_unique<TableRef>();
  ref->pos = CurPos();
  EDGESQL_ASSIGN_OR_RETURN(MultiPartName name, ParseMultiPartName(4, "object", true));
  if (At(TokenKind::kLParen) && !AtLegacyHints()) {
    FunctionTableRef f;
    f.name = std::move(name);
    Advance();
    if (!Accept(TokenKind::kRParen)) {
      do {
        EDGESQL_ASSIGN_OR_RETURN(ExprPtr arg, ParseScalarOrDefault());
        f.args.push_back(std::move(arg));
      } while (Accept(TokenKind::kComma));
      EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
    }
    if (At(Keyword::kWith) && Peek().Is(TokenKind::kLParen)) {
      return Unsupported("WITH schema clause");  // OPENJSON(...) WITH (col type '$.path', ...)
    }
    if (allow_alias) {
      EDGESQL_ASSIGN_OR_RETURN(f.alias, ParseOptionalAlias(false));
      if (f.alias && At(TokenKind::kLParen)) {
        EDGESQL_ASSIGN_OR_RETURN(f.columns, ParseNameList());
      }
    }
    ref->node = std::move(f);
    return ref;
  }
  NamedTableRef t;
  t.name = std::move(name);
  if (At(Keyword::kFor) && IsWord(Peek(), "SYSTEM_TIME")) return Unsupported("FOR SYSTEM_TIME");
  if (AtLegacyHints()) {
    EDGESQL_RETURN_IF_ERROR(ParseTableHints(&t.hints));
  }
  if (allow_alias) {
    EDGESQL_ASSIGN_OR_RETURN(t.alias, ParseOptionalAlias(false));
  }
  if (At(Keyword::kTablesample)) return Unsupported("TABLESAMPLE");
  if ((At(Keyword::kWith) && Peek().Is(TokenKind::kLParen)) || AtLegacyHints()) {
    EDGESQL_RETURN_IF_ERROR(ParseTableHints(&t.hints));
  }
  ref->node = std::move(t);
  return ref;
}

Status Parser::ParseTableHints(std::vector<TableHint>* hints) {
  Accept(Keyword::kWith);
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  do {
    if (!IsTableHintToken(Cur())) return SyntaxErrorHere();
    TableHint hint;
    hint.name = Identifier{std::string(Cur().text), false, CurPos()};
    std::string upper = ToUpper(Cur().text);
    Advance();
    if (upper == "INDEX" && Accept(TokenKind::kEq)) {
      EDGESQL_ASSIGN_OR_RETURN(ExprPtr arg, ParseScalar());
      hint.args.push_back(std::move(arg));
    } else if (upper == "SPATIAL_WINDOW_MAX_CELLS") {
      EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kEq));
      EDGESQL_ASSIGN_OR_RETURN(ExprPtr arg, ParseScalar());
      hint.args.push_back(std::move(arg));
    } else if ((upper == "INDEX" || upper == "FORCESEEK") && Accept(TokenKind::kLParen)) {
      do {
        EDGESQL_ASSIGN_OR_RETURN(ExprPtr arg, ParseScalar());
        hint.args.push_back(std::move(arg));
      } while (Accept(TokenKind::kComma));
      EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
    } else if (upper == "INDEX") {
      return SyntaxErrorHere();
    }
    hints->push_back(std::move(hint));
    Accept(TokenKind::kComma);  // hints may be separated by commas or spaces
  } while (!At(TokenKind::kRParen));
  Advance();
  return Status::Ok();
}

Result<std::vector<std::vector<ExprPtr>>> Parser::ParseValuesRows(bool allow_default) {
  std::vector<std::vector<ExprPtr>> rows;
  do {
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
    std::vector<ExprPtr> row;
    do {
      ExprPtr value;
      if (allow_default) {
        EDGESQL_ASSIGN_OR_RETURN(value, ParseScalarOrDefault());
      } else {
        EDGESQL_ASSIGN_OR_RETURN(value, ParseScalar());
      }
      row.push_back(std::move(value));
    } while (Accept(TokenKind::kComma));
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
    rows.push_back(std::move(row));
  } while (Accept(TokenKind::kComma));
  return rows;
}

Result<QueryHints> Parser::ParseOptionClause() {
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kOption));
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  QueryHints hints;
  while (true) {
    std::string hint;
    int depth = 0;
    while (!(depth == 0 && (At(TokenKind::kComma) || At(TokenKind::kRParen)))) {
      if (At(TokenKind::kEnd)) return SyntaxErrorHere();
      if (At(TokenKind::kLParen)) ++depth;
      if (At(TokenKind::kRParen)) --depth;
      if (!hint.empty()) hint += ' ';
      hint += Cur().text;
      Advance();
    }
    if (hint.empty()) return SyntaxErrorHere();
    hints.push_back(std::move(hint));
    if (Accept(TokenKind::kRParen)) return hints;
    Advance();  // ,
  }
}

}  // namespace edgesql::tsql
