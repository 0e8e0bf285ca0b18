// Function calls: the special-syntax functions (CAST, TRY_CAST, CONVERT, TRY_CONVERT, IIF, and
// the date functions whose first argument is a bare datepart), ordinary and aggregate calls with
// DISTINCT / * / WITHIN GROUP, and window specifications (OVER).
#include <algorithm>
#include <array>

#include "tsql/parser_internal.h"

namespace edgesql::tsql {
namespace {

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
    if (At(Keyword::kFrom) && call->args.size() == 1 && call->name.parts.size() == 1 &&
        ToUpper(call->name.parts[0].value) == "TRIM") {
      // TRIM(characters FROM string) (SQL Server 2017); the 2022 LEADING/TRAILING/BOTH forms
      // are not parsed (they need compatibility level 160).
      Advance();
      EDGESQL_ASSIGN_OR_RETURN(ExprPtr string, ParseScalar());
      call->args.insert(call->args.begin(), std::move(string));
      call->trim_from = true;
      return Expect(TokenKind::kRParen);
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
