// Parser core: token access, errors, names, data types and the statement dispatcher.
#include <charconv>
#include <limits>

#include "tsql/lexer.h"
#include "tsql/parser_internal.h"

namespace edgesql::tsql {

std::string ToUpper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool IsPredicate(const Expr& expr) {
  if (const auto* b = expr.As<BinaryExpr>()) return b->op >= BinaryOp::kEq;
  if (const auto* u = expr.As<UnaryExpr>()) return u->op == UnaryOp::kNot;
  return expr.As<IsNullExpr>() || expr.As<BetweenExpr>() || expr.As<InExpr>() ||
         expr.As<LikeExpr>() || expr.As<ExistsExpr>() || expr.As<QuantifiedExpr>();
}

Parser::Parser(std::vector<Token> tokens, const ParseOptions& options)
    : tokens_(std::move(tokens)), options_(options) {}

// ---------------------------------------------------------------------------------------------
// Tokens

const Token& Parser::Peek(size_t ahead) const {
  size_t i = pos_ + ahead;
  return i < tokens_.size() ? tokens_[i] : tokens_.back();
}

bool Parser::IsWord(const Token& token, std::string_view upper) {
  if (token.kind != TokenKind::kIdentifier || token.text.size() != upper.size()) return false;
  for (size_t i = 0; i < upper.size(); ++i) {
    char c = token.text[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != upper[i]) return false;
  }
  return true;
}

bool Parser::Accept(TokenKind kind) {
  if (!At(kind)) return false;
  Advance();
  return true;
}

bool Parser::Accept(Keyword keyword) {
  if (!At(keyword)) return false;
  Advance();
  return true;
}

bool Parser::AcceptWord(std::string_view upper) {
  if (!AtWord(upper)) return false;
  Advance();
  return true;
}

Status Parser::Expect(TokenKind kind) {
  if (!Accept(kind)) return SyntaxErrorHere();
  return Status::Ok();
}

Status Parser::Expect(Keyword keyword) {
  if (!Accept(keyword)) return SyntaxErrorHere();
  return Status::Ok();
}

Status Parser::ExpectWord(std::string_view upper) {
  if (!AcceptWord(upper)) return SyntaxErrorHere();
  return Status::Ok();
}

SourcePos Parser::PosOf(const Token& token) const {
  return SourcePos{token.line, token.column, token.offset};
}

// ---------------------------------------------------------------------------------------------
// Errors

SqlError Parser::ErrorAt(SqlError error, const Token& token) const {
  error.line = token.line;
  return error;
}

SqlError Parser::SyntaxError(const Token& token) const {
  const Token* t = &token;
  if (t->kind == TokenKind::kEnd && tokens_.size() >= 2) t = &tokens_[tokens_.size() - 2];
  if (t->kind == TokenKind::kKeyword) {
    return ErrorAt(errors::Make(errors::kSyntaxErrorKeyword, {t->text}), *t);
  }
  std::string_view near = t->text;
  if (t->kind == TokenKind::kString || t->kind == TokenKind::kNString ||
      t->kind == TokenKind::kQuotedIdentifier) {
    near = t->value;
  }
  return ErrorAt(errors::Make(errors::kSyntaxError, {near}), *t);
}

SqlError Parser::Unsupported(std::string_view construct) const {
  return ErrorAt(errors::Make(errors::kUnsupportedStatement, {construct}), Cur());
}

SqlError Parser::TooDeep() const { return ErrorAt(errors::Make(errors::kNestedTooDeeply), Cur()); }

Status Parser::StepDepth(int* steps) {
  ++*steps;
  ++depth_;
  if (depth_ > options_.max_depth) return TooDeep();
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Names and types

Status Parser::CheckStringAlias(const Token& token) const {
  // A string used as a column alias ('x' = 1, 1 AS 'x') becomes a name: the identifier rules
  // apply to it.
  if (token.kind != TokenKind::kString) return Status::Ok();
  if (token.value.empty()) return ErrorAt(errors::Make(errors::kEmptyIdentifier), token);
  size_t chars = 0;
  size_t cut = token.value.size();
  for (size_t i = 0; i < token.value.size(); ++i) {
    if ((static_cast<unsigned char>(token.value[i]) & 0xC0) == 0x80) continue;
    if (chars == 128) cut = i;
    ++chars;
  }
  if (chars > 128) {
    return ErrorAt(
        errors::Make(errors::kIdentifierTooLong, {std::string_view(token.value).substr(0, cut)}),
        token);
  }
  return Status::Ok();
}

bool Parser::AtName() const {
  return At(TokenKind::kIdentifier) || At(TokenKind::kQuotedIdentifier);
}

Result<Identifier> Parser::ParseName() {
  if (!AtName()) return SyntaxErrorHere();
  const Token& t = Cur();
  Identifier id;
  id.quoted = t.kind == TokenKind::kQuotedIdentifier;
  id.value = id.quoted ? t.value : std::string(t.text);
  id.pos = PosOf(t);
  Advance();
  return id;
}

Result<MultiPartName> Parser::ParseMultiPartName(size_t max_parts, std::string_view what,
                                                 bool allow_omitted) {
  MultiPartName name;
  name.pos = CurPos();
  const Token& first = Cur();
  EDGESQL_ASSIGN_OR_RETURN(Identifier part, ParseName());
  name.parts.push_back(std::move(part));
  while (At(TokenKind::kDot)) {
    // A name never ends in '.', so a dot not followed by a name (or another dot) is not ours:
    // "t.*" in a select list is handled by the caller before it gets here.
    if (allow_omitted && Peek().Is(TokenKind::kDot)) {
      Advance();
      Identifier omitted;
      omitted.pos = CurPos();
      name.parts.push_back(std::move(omitted));
      continue;
    }
    Advance();
    EDGESQL_ASSIGN_OR_RETURN(Identifier next, ParseName());
    name.parts.push_back(std::move(next));
    if (name.parts.size() > 64) break;  // the error below is raised either way
  }
  if (name.parts.size() > max_parts) {
    std::string text;
    for (size_t i = 0; i < name.parts.size(); ++i) {
      if (i > 0) text += '.';
      text += name.parts[i].value;
    }
    return ErrorAt(
        errors::Make(errors::kTooManyNamePrefixes, {what, text, std::to_string(max_parts - 1)}),
        first);
  }
  return name;
}

Result<std::vector<Identifier>> Parser::ParseNameList() {
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  std::vector<Identifier> names;
  do {
    EDGESQL_ASSIGN_OR_RETURN(Identifier name, ParseName());
    names.push_back(std::move(name));
  } while (Accept(TokenKind::kComma));
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  return names;
}

Result<DataTypeRef> Parser::ParseDataType() {
  DataTypeRef type;
  type.pos = CurPos();
  // Multi-word system type names become one Identifier with the words as written.
  auto words = [&](std::initializer_list<std::string_view> parts) {
    Identifier id;
    id.pos = type.pos;
    for (std::string_view p : parts) {
      if (!id.value.empty()) id.value += ' ';
      id.value += p;
    }
    type.name.pos = type.pos;
    type.name.parts.push_back(std::move(id));
  };
  if (At(Keyword::kDouble)) {
    std::string_view first = Cur().text;
    Advance();
    if (!At(Keyword::kPrecision)) return SyntaxErrorHere();
    words({first, Cur().text});
    Advance();
  } else if (At(Keyword::kNational)) {
    std::string_view first = Cur().text;
    Advance();
    if (!AtWord("CHAR") && !AtWord("CHARACTER") && !AtWord("TEXT")) return SyntaxErrorHere();
    std::string_view second = Cur().text;
    bool can_vary = !AtWord("TEXT");
    Advance();
    if (can_vary && At(Keyword::kVarying)) {
      words({first, second, Cur().text});
      Advance();
    } else {
      words({first, second});
    }
  } else if ((AtWord("CHAR") || AtWord("CHARACTER") || AtWord("NCHAR") || AtWord("BINARY")) &&
             Peek().Is(Keyword::kVarying)) {
    words({Cur().text, Peek().text});
    Advance();
    Advance();
  } else {
    EDGESQL_ASSIGN_OR_RETURN(type.name, ParseMultiPartName(2, "type", false));
  }
  if (Accept(TokenKind::kLParen)) {
    if (AcceptWord("MAX")) {
      type.is_max = true;
    } else {
      do {
        if (!At(TokenKind::kInteger)) return SyntaxErrorHere();
        int32_t value = 0;
        std::string_view digits = Cur().text;
        auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        if (ec != std::errc() || ptr != digits.data() + digits.size()) {
          return ErrorAt(
              errors::Make(errors::kInvalidLengthOrPrecision, {std::to_string(Cur().line), digits}),
              Cur());
        }
        type.facets.push_back(value);
        Advance();
      } while (type.facets.size() < 2 && Accept(TokenKind::kComma));
    }
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  }
  return type;
}

Result<std::string> Parser::ParseSignedIntegerText() {
  std::string text;
  if (At(TokenKind::kMinus) || At(TokenKind::kPlus)) {
    if (At(TokenKind::kMinus)) text = "-";
    Advance();
  }
  if (!At(TokenKind::kInteger)) return SyntaxErrorHere();
  text += Cur().text;
  Advance();
  return text;
}

Result<Identifier> Parser::ParseTransactionName() {
  if (At(TokenKind::kVariable)) {
    Identifier id;
    id.value = std::string(Cur().text);
    id.pos = CurPos();
    Advance();
    return id;
  }
  return ParseName();
}

// ---------------------------------------------------------------------------------------------
// Statements

Result<Batch> Parser::ParseBatch() {
  Batch batch;
  EDGESQL_RETURN_IF_ERROR(ParseStatementList(&batch.statements, /*in_block=*/false));
  if (!At(TokenKind::kEnd)) return SyntaxErrorHere();
  return batch;
}

Result<ExprPtr> Parser::ParseWholeExpression(bool condition) {
  EDGESQL_ASSIGN_OR_RETURN(ExprPtr expr, condition ? ParseConditionExpr() : ParseScalar());
  if (!At(TokenKind::kEnd)) return SyntaxErrorHere();
  return expr;
}

Status Parser::ParseStatementList(std::vector<StatementPtr>* out, bool in_block) {
  bool terminated = true;
  while (true) {
    if (Accept(TokenKind::kSemicolon)) {
      terminated = true;
      continue;
    }
    if (At(TokenKind::kEnd) || (in_block && At(Keyword::kEnd))) return Status::Ok();
    // "The statement before WITH (a CTE) or THROW must be terminated with a semicolon."
    if (!terminated && At(Keyword::kWith)) {
      return ErrorAt(errors::Make(errors::kPreviousStatementNeedsSemicolon, {Cur().text}), Cur());
    }
    if (!terminated && AtWord("THROW")) return SyntaxErrorHere();
    EDGESQL_ASSIGN_OR_RETURN(StatementPtr stmt, ParseStatement());
    out->push_back(std::move(stmt));
    terminated = false;
  }
}

Result<StatementPtr> Parser::ParseStatement() {
  EDGESQL_TSQL_NEST();
  const Token& start = Cur();
  return ParseStatementBody(start);
}

Status Parser::RejectUnsupportedStatement() {
  switch (Cur().keyword) {
    case Keyword::kMerge:
      return Unsupported("MERGE");
    case Keyword::kGoto:
      return Unsupported("GOTO");
    case Keyword::kOpen:
    case Keyword::kClose:
    case Keyword::kFetch:
    case Keyword::kDeallocate:
      return Unsupported("CURSOR");
    case Keyword::kGrant:
    case Keyword::kDeny:
    case Keyword::kRevoke:
    case Keyword::kDbcc:
    case Keyword::kBackup:
    case Keyword::kRestore:
    case Keyword::kKill:
    case Keyword::kBulk:
    case Keyword::kReadtext:
    case Keyword::kWritetext:
    case Keyword::kUpdatetext:
    case Keyword::kSetuser:
    case Keyword::kShutdown:
    case Keyword::kReconfigure:
    case Keyword::kRevert:
    case Keyword::kDump:
    case Keyword::kLoad:
      return Unsupported(KeywordText(Cur().keyword));
    default:
      return SyntaxErrorHere();
  }
}

Result<StatementPtr> Parser::ParseStatementBody(const Token& start) {
  if (At(TokenKind::kLParen)) return ParseSelectStatement(start, {});
  if (At(TokenKind::kIdentifier) || At(TokenKind::kQuotedIdentifier)) {
    if (AtWord("THROW")) return ParseThrow(start);
    if (At(TokenKind::kIdentifier) && Peek().Is(TokenKind::kColon)) {
      return Unsupported("GOTO");  // a label
    }
    if (AtWord("ENABLE") || AtWord("DISABLE")) {
      if (Peek().Is(Keyword::kTrigger)) return Unsupported(ToUpper(Cur().text) + " TRIGGER");
    }
    if (AtWord("RECEIVE") || AtWord("SEND")) return Unsupported(ToUpper(Cur().text));
    // The first statement of a batch may be a procedure call without EXEC.
    bool first = true;
    for (size_t i = 0; i < pos_ && first; ++i) {
      if (!tokens_[i].Is(TokenKind::kSemicolon)) first = false;
    }
    if (first) return ParseExec(start, /*implicit=*/true);
    return SyntaxErrorHere();
  }
  if (!At(TokenKind::kKeyword)) return SyntaxErrorHere();
  switch (Cur().keyword) {
    case Keyword::kSelect:
      return ParseSelectStatement(start, {});
    case Keyword::kWith:
      return ParseWithStatement(start);
    case Keyword::kInsert:
      return ParseInsert(start, {});
    case Keyword::kUpdate:
      return ParseUpdate(start, {});
    case Keyword::kDelete:
      return ParseDelete(start, {});
    case Keyword::kTruncate:
      return ParseTruncate(start);
    case Keyword::kCreate:
      return ParseCreate(start);
    case Keyword::kAlter:
      return ParseAlter(start);
    case Keyword::kDrop:
      return ParseDrop(start);
    case Keyword::kUse:
      return ParseUse(start);
    case Keyword::kDeclare:
      return ParseDeclare(start);
    case Keyword::kSet:
      return ParseSet(start);
    case Keyword::kIf:
      return ParseIf(start);
    case Keyword::kWhile:
      return ParseWhile(start);
    case Keyword::kBegin:
      return ParseBegin(start);
    case Keyword::kBreak:
      Advance();
      return MakeStatement(start, BreakStmt{});
    case Keyword::kContinue:
      Advance();
      return MakeStatement(start, ContinueStmt{});
    case Keyword::kReturn:
      return ParseReturn(start);
    case Keyword::kRaiserror:
      return ParseRaiserror(start);
    case Keyword::kPrint:
      return ParsePrint(start);
    case Keyword::kExec:
    case Keyword::kExecute:
      return ParseExec(start, /*implicit=*/false);
    case Keyword::kCommit:
      return ParseCommit(start);
    case Keyword::kRollback:
      return ParseRollback(start);
    case Keyword::kSave:
      return ParseSave(start);
    case Keyword::kWaitfor:
      return ParseWaitfor(start);
    case Keyword::kCheckpoint:
      return ParseCheckpoint(start);
    default:
      return RejectUnsupportedStatement();
  }
}

void Parser::SetQuotedIdentifier(bool on) {
  // The lexer reads "..." the same way either way; only the token's kind differs.
  options_.quoted_identifier = on;
  for (size_t i = pos_; i < tokens_.size(); ++i) {
    Token& t = tokens_[i];
    if ((t.kind == TokenKind::kQuotedIdentifier || t.kind == TokenKind::kString) &&
        !t.text.empty() && t.text.front() == '"') {
      t.kind = on ? TokenKind::kQuotedIdentifier : TokenKind::kString;
    }
  }
}

Status Parser::CheckFirstInBatch(const Token& start, std::string_view what) const {
  for (const Token& t : tokens_) {
    if (&t == &start) break;
    if (!t.Is(TokenKind::kSemicolon)) {
      return ErrorAt(errors::Make(errors::kMustBeFirstInBatch, {what}), start);
    }
  }
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------------
// Entry points

namespace {

Result<Parser> MakeParser(std::string_view text, const ParseOptions& options) {
  LexerOptions lexer_options;
  lexer_options.quoted_identifier = options.quoted_identifier;
  EDGESQL_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text, lexer_options));
  return Parser(std::move(tokens), options);
}

}  // namespace

Result<Batch> ParseBatch(std::string_view text, const ParseOptions& options) {
  EDGESQL_ASSIGN_OR_RETURN(Parser parser, MakeParser(text, options));
  return parser.ParseBatch();
}

Result<ExprPtr> ParseExpression(std::string_view text, const ParseOptions& options) {
  EDGESQL_ASSIGN_OR_RETURN(Parser parser, MakeParser(text, options));
  return parser.ParseWholeExpression(/*condition=*/false);
}

Result<ExprPtr> ParseCondition(std::string_view text, const ParseOptions& options) {
  EDGESQL_ASSIGN_OR_RETURN(Parser parser, MakeParser(text, options));
  return parser.ParseWholeExpression(/*condition=*/true);
}

}  // namespace edgesql::tsql
