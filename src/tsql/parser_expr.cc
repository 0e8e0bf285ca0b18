// Expressions, following SQL Server's operator precedence ("Operator precedence (Transact-SQL)"):
//   ~ (and unary + -)  >  * / %  >  + - & ^ |  >  comparisons  >  NOT  >  AND  >  OR
// with IS NULL, BETWEEN, IN, LIKE, EXISTS and quantified comparisons parsed as predicates at the
// comparison level, as SQL Server's parser does.
//
// SQL Server's grammar separates values from conditions: "SELECT a > b" is a syntax error and
// "WHERE 1" is error 4145. The parser mirrors that with two entry points: ParseScalar never
// consumes a comparison or logical operator, and ParseConditionExpr requires a predicate. A '('
// in a condition may open either a nested condition or a value ("(a + 1) > 2"); ParsePredicate
// parses the inside as a condition-or-value and continues according to what it found.

#include "tsql/parser_internal.h"

namespace edgesql::tsql {
namespace {

bool ComparisonOp(TokenKind kind, BinaryOp* op) {
  switch (kind) {
    case TokenKind::kEq:
      *op = BinaryOp::kEq;
      return true;
    case TokenKind::kNotEq:
    case TokenKind::kBangEq:
      *op = BinaryOp::kNotEq;
      return true;
    case TokenKind::kLess:
      *op = BinaryOp::kLess;
      return true;
    case TokenKind::kLessEq:
      *op = BinaryOp::kLessEq;
      return true;
    case TokenKind::kGreater:
      *op = BinaryOp::kGreater;
      return true;
    case TokenKind::kGreaterEq:
      *op = BinaryOp::kGreaterEq;
      return true;
    case TokenKind::kNotLess:
      *op = BinaryOp::kNotLess;
      return true;
    case TokenKind::kNotGreater:
      *op = BinaryOp::kNotGreater;
      return true;
    default:
      return false;
  }
}

bool AdditiveOp(TokenKind kind, BinaryOp* op) {
  switch (kind) {
    case TokenKind::kPlus:
      *op = BinaryOp::kAdd;
      return true;
    case TokenKind::kMinus:
      *op = BinaryOp::kSub;
      return true;
    case TokenKind::kAmp:
      *op = BinaryOp::kBitAnd;
      return true;
    case TokenKind::kPipe:
      *op = BinaryOp::kBitOr;
      return true;
    case TokenKind::kCaret:
      *op = BinaryOp::kBitXor;
      return true;
    default:
      return false;
  }
}

bool MultiplicativeOp(TokenKind kind, BinaryOp* op) {
  switch (kind) {
    case TokenKind::kStar:
      *op = BinaryOp::kMul;
      return true;
    case TokenKind::kSlash:
      *op = BinaryOp::kDiv;
      return true;
    case TokenKind::kPercent:
      *op = BinaryOp::kMod;
      return true;
    default:
      return false;
  }
}

ExprPtr MakeBinary(BinaryOp op, ExprPtr left, ExprPtr right) {
  SourcePos pos = left->pos;
  return MakeExpr(pos, BinaryExpr{op, std::move(left), std::move(right)});
}

}  // namespace

Result<ExprPtr> Parser::ParseScalar() {
  EDGESQL_TSQL_NEST();
  return ParseAdditive(nullptr);
}

Status Parser::CheckCondition(const Expr& expr) const {
  if (IsPredicate(expr)) return Status::Ok();
  const Token& near = At(TokenKind::kEnd) ? Previous() : Cur();
  std::string_view text = near.text;
  if (near.kind == TokenKind::kString || near.kind == TokenKind::kNString ||
      near.kind == TokenKind::kQuotedIdentifier) {
    text = near.value;
  }
  return ErrorAt(errors::Make(errors::kNonBooleanCondition, {text}), near);
}

Result<ExprPtr> Parser::ParseConditionExpr() {
  EDGESQL_ASSIGN_OR_RETURN(ExprPtr expr, ParseOr());
  EDGESQL_RETURN_IF_ERROR(CheckCondition(*expr));
  return expr;
}

Result<ExprPtr> Parser::ParseOr() {
  EDGESQL_TSQL_NEST();
  EDGESQL_ASSIGN_OR_RETURN(ExprPtr left, ParseAnd());
  int steps = 0;
  while (At(Keyword::kOr)) {
    EDGESQL_RETURN_IF_ERROR(CheckCondition(*left));
    Advance();
    Status st = StepDepth(&steps);
    if (!st.ok()) {
      UnstepDepth(steps);
      return st;
    }
    auto right = ParseAnd();
    if (!right.ok()) {
      UnstepDepth(steps);
      return right.error();
    }
    Status check = CheckCondition(**right);
    if (!check.ok()) {
      UnstepDepth(steps);
      return check;
    }
    left = MakeBinary(BinaryOp::kOr, std::move(left), std::move(right).value());
  }
  UnstepDepth(steps);
  return left;
}

Result<ExprPtr> Parser::ParseAnd() {
  EDGESQL_ASSIGN_OR_RETURN(ExprPtr left, ParseNot());
  int steps = 0;
  while (At(Keyword::kAnd)) {
    EDGESQL_RETURN_IF_ERROR(CheckCondition(*left));
    Advance();
    Status st = StepDepth(&steps);
    if (!st.ok()) {
      UnstepDepth(steps);
      return st;
    }
    auto right = ParseNot();
    if (!right.ok()) {
      UnstepDepth(steps);
      return right.error();
    }
    Status check = CheckCondition(**right);
    if (!check.ok()) {
      UnstepDepth(steps);
      return check;
    }
    left = MakeBinary(BinaryOp::kAnd, std::move(left), std::move(right).value());
  }
  UnstepDepth(steps);
  return left;
}

Result<ExprPtr> Parser::ParseNot() {
  if (At(Keyword::kNot)) {
    EDGESQL_TSQL_NEST();
    SourcePos pos = CurPos();
    Advance();
    EDGESQL_ASSIGN_OR_RETURN(ExprPtr operand, ParseNot());
    EDGESQL_RETURN_IF_ERROR(CheckCondition(*operand));
    return MakeExpr(pos, UnaryExpr{UnaryOp::kNot, std::move(operand)});
  }
  return ParsePredicate();
}

Result<ExprPtr> Parser::ParsePredicate() {
  SourcePos pos = CurPos();
  if (At(Keyword::kExists)) {
    Advance();
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
    EDGESQL_ASSIGN_OR_RETURN(QueryPtr query, ParseQuery());
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
    return MakeExpr(pos, ExistsExpr{std::move(query)});
  }
  if (At(TokenKind::kLParen) && !AtQueryStart()) {
    // A parenthesized condition, or a parenthesized value that starts a longer expression.
    Advance();
    EDGESQL_ASSIGN_OR_RETURN(ExprPtr inner, ParseOr());
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
    if (IsPredicate(*inner)) return inner;
    EDGESQL_ASSIGN_OR_RETURN(ExprPtr value, ParseAdditive(std::move(inner)));
    return ParsePredicateTail(std::move(value));
  }
  EDGESQL_ASSIGN_OR_RETURN(ExprPtr left, ParseAdditive(nullptr));
  return ParsePredicateTail(std::move(left));
}

Result<ExprPtr> Parser::ParsePredicateTail(ExprPtr left) {
  SourcePos pos = left->pos;
  BinaryOp op;
  if (ComparisonOp(Cur().kind, &op)) {
    Advance();
    if ((At(Keyword::kAll) || At(Keyword::kAny) || At(Keyword::kSome)) &&
        Peek().Is(TokenKind::kLParen)) {
      Quantifier q = At(Keyword::kAll)   ? Quantifier::kAll
                     : At(Keyword::kAny) ? Quantifier::kAny
                                         : Quantifier::kSome;
      Advance();
      Advance();
      EDGESQL_ASSIGN_OR_RETURN(QueryPtr query, ParseQuery());
      EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
      return MakeExpr(pos, QuantifiedExpr{op, q, std::move(left), std::move(query)});
    }
    EDGESQL_ASSIGN_OR_RETURN(ExprPtr right, ParseAdditive(nullptr));
    return MakeBinary(op, std::move(left), std::move(right));
  }
  if (At(Keyword::kIs)) {
    Advance();
    bool negated = Accept(Keyword::kNot);
    if (At(Keyword::kDistinct)) return Unsupported("IS DISTINCT FROM");
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kNull));
    return MakeExpr(pos, IsNullExpr{std::move(left), negated});
  }
  bool negated = false;
  if (At(Keyword::kNot) &&
      (Peek().Is(Keyword::kBetween) || Peek().Is(Keyword::kIn) || Peek().Is(Keyword::kLike))) {
    negated = true;
    Advance();
  }
  if (Accept(Keyword::kBetween)) {
    EDGESQL_ASSIGN_OR_RETURN(ExprPtr low, ParseAdditive(nullptr));
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kAnd));
    EDGESQL_ASSIGN_OR_RETURN(ExprPtr high, ParseAdditive(nullptr));
    return MakeExpr(pos, BetweenExpr{std::move(left), std::move(low), std::move(high), negated});
  }
  if (Accept(Keyword::kIn)) {
    InExpr in;
    in.operand = std::move(left);
    in.negated = negated;
    if (AtQueryStart()) {
      Advance();
      EDGESQL_ASSIGN_OR_RETURN(in.subquery, ParseQuery());
      EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
    } else {
      EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
      do {
        EDGESQL_ASSIGN_OR_RETURN(ExprPtr value, ParseScalar());
        in.values.push_back(std::move(value));
      } while (Accept(TokenKind::kComma));
      EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
    }
    return MakeExpr(pos, std::move(in));
  }
  if (Accept(Keyword::kLike)) {
    LikeExpr like;
    like.operand = std::move(left);
    like.negated = negated;
    EDGESQL_ASSIGN_OR_RETURN(like.pattern, ParseAdditive(nullptr));
    if (Accept(Keyword::kEscape)) {
      EDGESQL_ASSIGN_OR_RETURN(like.escape, ParseAdditive(nullptr));
    }
    return MakeExpr(pos, std::move(like));
  }
  return left;
}

Result<ExprPtr> Parser::ParseAdditive(ExprPtr first) {
  EDGESQL_ASSIGN_OR_RETURN(ExprPtr left, ParseMultiplicative(std::move(first)));
  int steps = 0;
  BinaryOp op;
  while (AdditiveOp(Cur().kind, &op)) {
    Advance();
    Status st = StepDepth(&steps);
    if (!st.ok()) {
      UnstepDepth(steps);
      return st;
    }
    auto right = ParseMultiplicative(nullptr);
    if (!right.ok()) {
      UnstepDepth(steps);
      return right.error();
    }
    left = MakeBinary(op, std::move(left), std::move(right).value());
  }
  UnstepDepth(steps);
  return left;
}

Result<ExprPtr> Parser::ParseMultiplicative(ExprPtr first) {
  ExprPtr left;
  if (first) {
    EDGESQL_ASSIGN_OR_RETURN(left, ParsePostfix(std::move(first)));
  } else {
    EDGESQL_ASSIGN_OR_RETURN(left, ParseUnary());
  }
  int steps = 0;
  BinaryOp op;
  while (MultiplicativeOp(Cur().kind, &op)) {
    Advance();
    Status st = StepDepth(&steps);
    if (!st.ok()) {
      UnstepDepth(steps);
      return st;
    }
    auto right = ParseUnary();
    if (!right.ok()) {
      UnstepDepth(steps);
      return right.error();
    }
    left = MakeBinary(op, std::move(left), std::move(right).value());
  }
  UnstepDepth(steps);
  return left;
}

Result<ExprPtr> Parser::ParseUnary() {
  UnaryOp op;
  if (At(TokenKind::kMinus)) {
    op = UnaryOp::kMinus;
  } else if (At(TokenKind::kPlus)) {
    op = UnaryOp::kPlus;
  } else if (At(TokenKind::kTilde)) {
    op = UnaryOp::kBitNot;
  } else {
    EDGESQL_ASSIGN_OR_RETURN(ExprPtr primary, ParsePrimary());
    return ParsePostfix(std::move(primary));
  }
  EDGESQL_TSQL_NEST();
  SourcePos pos = CurPos();
  Advance();
  EDGESQL_ASSIGN_OR_RETURN(ExprPtr operand, ParseUnary());
  return MakeExpr(pos, UnaryExpr{op, std::move(operand)});
}

Result<ExprPtr> Parser::ParsePostfix(ExprPtr operand) {
  while (true) {
    if (At(Keyword::kCollate)) {
      SourcePos pos = operand->pos;
      Advance();
      EDGESQL_ASSIGN_OR_RETURN(Identifier collation, ParseName());
      operand = MakeExpr(pos, CollateExpr{std::move(operand), std::move(collation)});
      continue;
    }
    if (AtWord("AT") && IsWord(Peek(), "TIME")) return Unsupported("AT TIME ZONE");
    if (At(TokenKind::kDoubleColon)) return Unsupported("::");
    return operand;
  }
}

bool Parser::AtQueryStart() const { return At(TokenKind::kLParen) && Peek().Is(Keyword::kSelect); }

Result<ExprPtr> Parser::ParseLiteral() {
  const Token& t = Cur();
  SourcePos pos = CurPos();
  LiteralExpr lit;
  switch (t.kind) {
    case TokenKind::kInteger:
    case TokenKind::kDecimal: {
      lit.kind = t.kind == TokenKind::kInteger ? LiteralKind::kInteger : LiteralKind::kDecimal;
      lit.text = std::string(t.text);
      // SQL Server types exact numeric literals as decimal(p, s) with p <= 38.
      size_t digits = 0;
      bool leading = true;
      for (char c : t.text) {
        if (c == '.') {
          leading = false;
          continue;
        }
        if (leading && c == '0') continue;
        leading = false;
        ++digits;
      }
      if (digits > 38) {
        return ErrorAt(errors::Make(errors::kNumberOutOfRange, {t.text}), t);
      }
      break;
    }
    case TokenKind::kFloat:
      lit.kind = LiteralKind::kFloat;
      lit.text = std::string(t.text);
      break;
    case TokenKind::kMoney:
      lit.kind = LiteralKind::kMoney;
      lit.text = std::string(t.text.substr(1));
      break;
    case TokenKind::kString:
      lit.kind = LiteralKind::kString;
      lit.text = t.value;
      break;
    case TokenKind::kNString:
      lit.kind = LiteralKind::kNString;
      lit.text = t.value;
      break;
    case TokenKind::kBinary:
      lit.kind = LiteralKind::kBinary;
      lit.text = std::string(t.text.substr(2));
      break;
    default:
      if (!At(Keyword::kNull)) return SyntaxErrorHere();
      lit.kind = LiteralKind::kNull;
      break;
  }
  Advance();
  return MakeExpr(pos, std::move(lit));
}

Result<ExprPtr> Parser::ParsePrimary() {
  const Token& t = Cur();
  SourcePos pos = CurPos();
  switch (t.kind) {
    case TokenKind::kInteger:
    case TokenKind::kDecimal:
    case TokenKind::kFloat:
    case TokenKind::kMoney:
    case TokenKind::kString:
    case TokenKind::kNString:
    case TokenKind::kBinary:
      return ParseLiteral();
    case TokenKind::kVariable: {
      std::string name(t.text);
      Advance();
      if (name.size() >= 2 && name[1] == '@') return MakeExpr(pos, GlobalVariableExpr{name});
      if (At(TokenKind::kDot) && Peek().Is(TokenKind::kIdentifier)) {
        return Unsupported("method call");  // @xml.value(...), @h.GetLevel()
      }
      return MakeExpr(pos, VariableExpr{name});
    }
    case TokenKind::kLParen:
      return ParseParenthesized();
    case TokenKind::kIdentifier:
    case TokenKind::kQuotedIdentifier:
      return ParseNameExpression();
    case TokenKind::kKeyword:
      break;
    default:
      return SyntaxErrorHere();
  }
  switch (t.keyword) {
    case Keyword::kNull:
      return ParseLiteral();
    case Keyword::kCase:
      return ParseCase();
    case Keyword::kConvert:
    case Keyword::kTryConvert: {
      MultiPartName name;
      name.pos = pos;
      name.parts.push_back(Identifier{std::string(t.text), false, pos});
      bool is_try = t.keyword == Keyword::kTryConvert;
      Advance();
      return ParseConvert(std::move(name), is_try);
    }
    case Keyword::kCoalesce:
    case Keyword::kNullif:
    case Keyword::kLeft:
    case Keyword::kRight: {
      if (!Peek().Is(TokenKind::kLParen)) return SyntaxErrorHere();
      MultiPartName name;
      name.pos = pos;
      name.parts.push_back(Identifier{std::string(t.text), false, pos});
      const Token& name_token = t;
      Advance();
      return ParseFunctionCall(std::move(name), name_token);
    }
    case Keyword::kCurrentTimestamp:
    case Keyword::kCurrentUser:
    case Keyword::kSessionUser:
    case Keyword::kSystemUser:
    case Keyword::kUser:
    case Keyword::kCurrentDate:
    case Keyword::kCurrentTime: {
      FunctionCallExpr call;
      call.name.pos = pos;
      call.name.parts.push_back(Identifier{std::string(t.text), false, pos});
      call.no_parens = true;
      Advance();
      return MakeExpr(pos, std::move(call));
    }
    case Keyword::kIdentity:
      if (Peek().Is(TokenKind::kLParen))
        return ErrorAt(errors::Make(errors::kUnsupportedFunction, {"IDENTITY"}), t);
      return SyntaxErrorHere();
    case Keyword::kContains:
    case Keyword::kFreetext:
      return Unsupported(KeywordText(t.keyword));
    default:
      return SyntaxErrorHere();
  }
}

Result<ExprPtr> Parser::ParseParenthesized() {
  SourcePos pos = CurPos();
  if (AtQueryStart()) {
    Advance();
    EDGESQL_ASSIGN_OR_RETURN(QueryPtr query, ParseQuery());
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
    return MakeExpr(pos, SubqueryExpr{std::move(query)});
  }
  Advance();
  EDGESQL_ASSIGN_OR_RETURN(ExprPtr inner, ParseScalar());
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  return inner;
}

Result<ExprPtr> Parser::ParseCase() {
  EDGESQL_TSQL_NEST();
  SourcePos pos = CurPos();
  Advance();  // CASE
  CaseExpr c;
  if (!At(Keyword::kWhen)) {
    EDGESQL_ASSIGN_OR_RETURN(c.operand, ParseScalar());
  }
  if (!At(Keyword::kWhen)) return SyntaxErrorHere();
  while (Accept(Keyword::kWhen)) {
    WhenClause w;
    if (c.operand) {
      EDGESQL_ASSIGN_OR_RETURN(w.when, ParseScalar());
    } else {
      EDGESQL_ASSIGN_OR_RETURN(w.when, ParseConditionExpr());
    }
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kThen));
    EDGESQL_ASSIGN_OR_RETURN(w.then, ParseScalar());
    c.whens.push_back(std::move(w));
  }
  if (Accept(Keyword::kElse)) {
    EDGESQL_ASSIGN_OR_RETURN(c.else_result, ParseScalar());
  }
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kEnd));
  return MakeExpr(pos, std::move(c));
}

Result<ExprPtr> Parser::ParseNameExpression() {
  const Token& name_token = Cur();
  SourcePos pos = CurPos();
  if (IsWord(name_token, "NEXT") && IsWord(Peek(), "VALUE")) return Unsupported("NEXT VALUE FOR");
  EDGESQL_ASSIGN_OR_RETURN(MultiPartName name, ParseMultiPartName(4, "column", false));
  if (At(TokenKind::kLParen)) return ParseFunctionCall(std::move(name), name_token);
  if (At(TokenKind::kDoubleColon)) return Unsupported("::");
  return MakeExpr(pos, ColumnRefExpr{std::move(name)});
}

}  // namespace edgesql::tsql
