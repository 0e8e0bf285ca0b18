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
#include <algorithm>
#include <array>

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

// Dateparts SQL Server accepts in DATEADD, DATEDIFF, DATEPART, DATENAME, DATETRUNC, DATE_BUCKET.
constexpr std::array<std::string_view, 40> kDateParts = {
    "YEAR", "YY",         "YYYY",    "QUARTER",  "QQ",  "Q",           "MONTH", "MM",
    "M",    "DAYOFYEAR",  "DY",      "Y",        "DAY", "DD",          "D",     "WEEK",
    "WK",   "WW",         "WEEKDAY", "DW",       "W",   "HOUR",        "HH",    "MINUTE",
    "MI",   "N",          "SECOND",  "SS",       "S",   "MILLISECOND", "MS",    "MICROSECOND",
    "MCS",  "NANOSECOND", "NS",      "TZOFFSET", "TZ",  "ISO_WEEK",    "ISOWK", "ISOWW"};

struct DateFunction {
  std::string_view upper;
  std::string_view lower;  // as SQL Server names it in messages
  int min_args;
  int max_args;
};

constexpr DateFunction kDateFunctions[] = {
    {"DATEADD", "dateadd", 3, 3},           {"DATEDIFF", "datediff", 3, 3},
    {"DATEDIFF_BIG", "datediff_big", 3, 3}, {"DATEPART", "datepart", 2, 2},
    {"DATENAME", "datename", 2, 2},         {"DATETRUNC", "datetrunc", 2, 2},
    {"DATE_BUCKET", "date_bucket", 3, 4},
};

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

Result<ExprPtr> Parser::ParseFunctionCall(MultiPartName name, const Token& name_token) {
  SourcePos pos = name.pos;
  if (name.parts.size() == 1 && !name.parts[0].quoted) {
    std::string upper = ToUpper(name.parts[0].value);
    if (upper == "CAST" || upper == "TRY_CAST") return ParseCast(std::move(name), upper != "CAST");
    if (upper == "IIF") return ParseIif(std::move(name));
    for (const DateFunction& f : kDateFunctions) {
      if (upper == f.upper) return ParseDateFunction(std::move(name), f.lower);
    }
    if (upper == "PARSE" || upper == "TRY_PARSE") {
      return ErrorAt(errors::Make(errors::kUnsupportedFunction, {upper}), name_token);
    }
  }
  FunctionCallExpr call;
  call.name = std::move(name);
  EDGESQL_RETURN_IF_ERROR(ParseFunctionArgs(&call));
  if (AtWord("WITHIN") && Peek().Is(Keyword::kGroup)) {
    Advance();
    Advance();
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kOrder));
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kBy));
    EDGESQL_ASSIGN_OR_RETURN(call.within_group, ParseOrderByList());
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  }
  if (At(Keyword::kOver)) {
    EDGESQL_ASSIGN_OR_RETURN(call.over, ParseOver());
  }
  return MakeExpr(pos, std::move(call));
}

Status Parser::ParseFunctionArgs(FunctionCallExpr* call) {
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  if (Accept(TokenKind::kRParen)) return Status::Ok();
  if (At(TokenKind::kStar)) {
    Advance();
    call->star = true;
    return Expect(TokenKind::kRParen);
  }
  if (Accept(Keyword::kDistinct)) {
    call->distinct = true;
  } else {
    Accept(Keyword::kAll);
  }
  do {
    EDGESQL_ASSIGN_OR_RETURN(ExprPtr arg, ParseScalarOrDefault());
    call->args.push_back(std::move(arg));
    if (At(Keyword::kFrom) && call->name.parts.size() == 1 &&
        ToUpper(call->name.parts[0].value) == "TRIM") {
      return Unsupported("TRIM ... FROM");
    }
  } while (Accept(TokenKind::kComma));
  return Expect(TokenKind::kRParen);
}

Result<ExprPtr> Parser::ParseScalarOrDefault() {
  if (At(Keyword::kDefault)) {
    SourcePos pos = CurPos();
    Advance();
    return MakeExpr(pos, DefaultExpr{});
  }
  return ParseScalar();
}

Result<ExprPtr> Parser::ParseCast(MultiPartName name, bool is_try) {
  SourcePos pos = name.pos;
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  CastExpr cast;
  cast.is_try = is_try;
  EDGESQL_ASSIGN_OR_RETURN(cast.operand, ParseScalar());
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kAs));
  EDGESQL_ASSIGN_OR_RETURN(cast.type, ParseDataType());
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  return MakeExpr(pos, std::move(cast));
}

Result<ExprPtr> Parser::ParseConvert(MultiPartName name, bool is_try) {
  SourcePos pos = name.pos;
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  ConvertExpr convert;
  convert.is_try = is_try;
  EDGESQL_ASSIGN_OR_RETURN(convert.type, ParseDataType());
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kComma));
  EDGESQL_ASSIGN_OR_RETURN(convert.operand, ParseScalar());
  if (Accept(TokenKind::kComma)) {
    EDGESQL_ASSIGN_OR_RETURN(convert.style, ParseScalar());
  }
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  return MakeExpr(pos, std::move(convert));
}

Result<ExprPtr> Parser::ParseIif(MultiPartName name) {
  SourcePos pos = name.pos;
  const Token& name_token = Previous();
  FunctionCallExpr call;
  call.name = std::move(name);
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  EDGESQL_ASSIGN_OR_RETURN(ExprPtr condition, ParseConditionExpr());
  call.args.push_back(std::move(condition));
  while (Accept(TokenKind::kComma)) {
    EDGESQL_ASSIGN_OR_RETURN(ExprPtr arg, ParseScalar());
    call.args.push_back(std::move(arg));
  }
  if (!At(TokenKind::kRParen)) return SyntaxErrorHere();
  if (call.args.size() != 3) {
    return ErrorAt(errors::Make(errors::kFunctionArgCount, {"iif", "3"}), name_token);
  }
  Advance();
  return MakeExpr(pos, std::move(call));
}

Result<ExprPtr> Parser::ParseDateFunction(MultiPartName name, std::string_view lower_name) {
  SourcePos pos = name.pos;
  const DateFunction* spec = nullptr;
  for (const DateFunction& f : kDateFunctions) {
    if (f.lower == lower_name) spec = &f;
  }
  FunctionCallExpr call;
  call.name = std::move(name);
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  const Token& part = Cur();
  if (part.kind != TokenKind::kIdentifier) {
    if (part.kind == TokenKind::kRParen) return SyntaxErrorHere();
    return ErrorAt(errors::Make(errors::kInvalidParameterFor, {"1", lower_name}), part);
  }
  std::string upper = ToUpper(part.text);
  if (std::find(kDateParts.begin(), kDateParts.end(), upper) == kDateParts.end()) {
    return ErrorAt(errors::Make(errors::kUnrecognizedOption, {part.text, lower_name}), part);
  }
  call.args.push_back(MakeExpr(CurPos(), DatePartExpr{std::string(part.text)}));
  Advance();
  while (Accept(TokenKind::kComma)) {
    EDGESQL_ASSIGN_OR_RETURN(ExprPtr arg, ParseScalar());
    call.args.push_back(std::move(arg));
  }
  if (!At(TokenKind::kRParen)) return SyntaxErrorHere();
  int count = static_cast<int>(call.args.size());
  if (count < spec->min_args || count > spec->max_args) {
    std::string expected = std::to_string(spec->min_args);
    if (spec->max_args != spec->min_args) expected += " to " + std::to_string(spec->max_args);
    return ErrorAt(errors::Make(errors::kFunctionArgCount, {lower_name, expected}), Cur());
  }
  Advance();
  return MakeExpr(pos, std::move(call));
}

Result<std::vector<OrderItem>> Parser::ParseOrderByList() {
  std::vector<OrderItem> items;
  do {
    OrderItem item;
    item.pos = CurPos();
    EDGESQL_ASSIGN_OR_RETURN(item.expr, ParseScalar());
    if (Accept(Keyword::kAsc)) {
      item.order = SortOrder::kAsc;
    } else if (Accept(Keyword::kDesc)) {
      item.order = SortOrder::kDesc;
    }
    items.push_back(std::move(item));
  } while (Accept(TokenKind::kComma));
  return items;
}

Result<std::unique_ptr<OverClause>> Parser::ParseOver() {
  auto over = std::make_unique<OverClause>();
  over->pos = CurPos();
  Advance();  // OVER
  if (AtName()) return Unsupported("WINDOW");
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  if (AtWord("PARTITION")) {
    Advance();
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kBy));
    do {
      EDGESQL_ASSIGN_OR_RETURN(ExprPtr e, ParseScalar());
      over->partition_by.push_back(std::move(e));
    } while (Accept(TokenKind::kComma));
  }
  if (Accept(Keyword::kOrder)) {
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kBy));
    EDGESQL_ASSIGN_OR_RETURN(over->order_by, ParseOrderByList());
  }
  if (AtWord("ROWS") || AtWord("RANGE")) {
    auto frame = std::make_unique<WindowFrame>();
    frame->unit = AtWord("ROWS") ? FrameUnit::kRows : FrameUnit::kRange;
    Advance();
    if (Accept(Keyword::kBetween)) {
      EDGESQL_ASSIGN_OR_RETURN(frame->start, ParseFrameBound());
      EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kAnd));
      EDGESQL_ASSIGN_OR_RETURN(FrameBound end, ParseFrameBound());
      frame->end = std::move(end);
    } else {
      EDGESQL_ASSIGN_OR_RETURN(frame->start, ParseFrameBound());
    }
    over->frame = std::move(frame);
  }
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  return over;
}

Result<FrameBound> Parser::ParseFrameBound() {
  FrameBound bound;
  if (AcceptWord("UNBOUNDED")) {
    if (AcceptWord("PRECEDING")) {
      bound.kind = FrameBoundKind::kUnboundedPreceding;
    } else if (AcceptWord("FOLLOWING")) {
      bound.kind = FrameBoundKind::kUnboundedFollowing;
    } else {
      return SyntaxErrorHere();
    }
    return bound;
  }
  if (Accept(Keyword::kCurrent)) {
    EDGESQL_RETURN_IF_ERROR(ExpectWord("ROW"));
    bound.kind = FrameBoundKind::kCurrentRow;
    return bound;
  }
  if (!At(TokenKind::kInteger) && !At(TokenKind::kVariable)) return SyntaxErrorHere();
  EDGESQL_ASSIGN_OR_RETURN(bound.offset, ParsePrimary());
  if (AcceptWord("PRECEDING")) {
    bound.kind = FrameBoundKind::kPreceding;
  } else if (AcceptWord("FOLLOWING")) {
    bound.kind = FrameBoundKind::kFollowing;
  } else {
    return SyntaxErrorHere();
  }
  return bound;
}

}  // namespace edgesql::tsql
