// Batch and procedural statements: DECLARE, SET (variables and session options), IF, WHILE,
// BEGIN...END, TRY...CATCH, RETURN, THROW, RAISERROR, PRINT, transactions, WAITFOR, CHECKPOINT,
// USE.
#include <algorithm>
#include <array>

#include "tsql/parser_internal.h"

namespace edgesql::tsql {
namespace {

// SET options that take ON or OFF ("SET Statements (Transact-SQL)").
constexpr std::array<std::string_view, 27> kOnOffOptions = {"ANSI_DEFAULTS",
                                                            "ANSI_NULL_DFLT_OFF",
                                                            "ANSI_NULL_DFLT_ON",
                                                            "ANSI_NULLS",
                                                            "ANSI_PADDING",
                                                            "ANSI_WARNINGS",
                                                            "ARITHABORT",
                                                            "ARITHIGNORE",
                                                            "CONCAT_NULL_YIELDS_NULL",
                                                            "CURSOR_CLOSE_ON_COMMIT",
                                                            "FMTONLY",
                                                            "FORCEPLAN",
                                                            "IMPLICIT_TRANSACTIONS",
                                                            "NOCOUNT",
                                                            "NOEXEC",
                                                            "NUMERIC_ROUNDABORT",
                                                            "PARSEONLY",
                                                            "QUOTED_IDENTIFIER",
                                                            "REMOTE_PROC_TRANSACTIONS",
                                                            "SHOWPLAN_ALL",
                                                            "SHOWPLAN_TEXT",
                                                            "SHOWPLAN_XML",
                                                            "XACT_ABORT",
                                                            "NO_BROWSETABLE",
                                                            "STATISTICS IO",
                                                            "STATISTICS TIME",
                                                            "STATISTICS PROFILE"};

// SET options that take a value.
constexpr std::array<std::string_view, 9> kValueOptions = {
    "DATEFIRST", "DATEFORMAT",   "DEADLOCK_PRIORITY",        "LANGUAGE", "LOCK_TIMEOUT", "ROWCOUNT",
    "TEXTSIZE",  "CONTEXT_INFO", "QUERY_GOVERNOR_COST_LIMIT"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool Parser::AtStatementValueStart() const {
  switch (Cur().kind) {
    case TokenKind::kInteger:
    case TokenKind::kDecimal:
    case TokenKind::kFloat:
    case TokenKind::kMoney:
    case TokenKind::kString:
    case TokenKind::kNString:
    case TokenKind::kBinary:
    case TokenKind::kVariable:
    case TokenKind::kLParen:
    case TokenKind::kMinus:
    case TokenKind::kPlus:
    case TokenKind::kTilde:
    case TokenKind::kQuotedIdentifier:
      return true;
    case TokenKind::kIdentifier:
      return !AtWord("THROW");
    case TokenKind::kKeyword:
      switch (Cur().keyword) {
        case Keyword::kNull:
        case Keyword::kCase:
        case Keyword::kConvert:
        case Keyword::kTryConvert:
        case Keyword::kCoalesce:
        case Keyword::kNullif:
        case Keyword::kLeft:
        case Keyword::kRight:
        case Keyword::kCurrentTimestamp:
        case Keyword::kCurrentUser:
        case Keyword::kSessionUser:
        case Keyword::kSystemUser:
        case Keyword::kUser:
          return true;
        default:
          return false;
      }
    default:
      return false;
  }
}

Result<StatementPtr> Parser::ParseDeclare(const Token& start) {
  Advance();  // DECLARE
  DeclareStmt declare;
  do {
    if (!At(TokenKind::kVariable)) {
      if (AtName() && (Peek().Is(Keyword::kCursor) || IsWord(Peek(), "INSENSITIVE") ||
                       IsWord(Peek(), "SCROLL"))) {
        return Unsupported("CURSOR");
      }
      return SyntaxErrorHere();
    }
    DeclareVariable var;
    var.pos = CurPos();
    var.name = std::string(Cur().text);
    Advance();
    Accept(Keyword::kAs);
    if (Accept(Keyword::kTable)) {
      EDGESQL_ASSIGN_OR_RETURN(TableDefinition table, ParseTableDefinition());
      var.table = std::make_unique<TableDefinition>(std::move(table));
    } else if (At(Keyword::kCursor)) {
      return Unsupported("CURSOR");
    } else {
      EDGESQL_ASSIGN_OR_RETURN(DataTypeRef type, ParseDataType());
      var.type = std::move(type);
      if (Accept(TokenKind::kEq)) {
        EDGESQL_ASSIGN_OR_RETURN(var.initial_value, ParseScalar());
      }
    }
    declare.variables.push_back(std::move(var));
  } while (Accept(TokenKind::kComma));
  return MakeStatement(start, std::move(declare));
}

Result<StatementPtr> Parser::ParseSet(const Token& start) {
  Advance();  // SET
  if (!At(TokenKind::kVariable)) return ParseSetOption(start);
  SetVariableStmt set;
  set.variable = std::string(Cur().text);
  Advance();
  if (At(TokenKind::kDot)) return Unsupported("method call");
  if (!IsAssignmentToken(Cur().kind)) return SyntaxErrorHere();
  set.op = AssignmentOf(Cur().kind);
  Advance();
  if (At(Keyword::kCursor)) return Unsupported("CURSOR");
  EDGESQL_ASSIGN_OR_RETURN(set.value, ParseScalar());
  return MakeStatement(start, std::move(set));
}

Result<StatementPtr> Parser::ParseSetOption(const Token& start) {
  SetOptionStmt set;
  if (Accept(Keyword::kTransaction)) {
    set.kind = SetOptionKind::kIsolationLevel;
    set.options.push_back("TRANSACTION ISOLATION LEVEL");
    EDGESQL_RETURN_IF_ERROR(ExpectWord("ISOLATION"));
    EDGESQL_RETURN_IF_ERROR(ExpectWord("LEVEL"));
    if (Accept(Keyword::kRead)) {
      if (AcceptWord("UNCOMMITTED")) {
        set.level = IsolationLevel::kReadUncommitted;
      } else if (AcceptWord("COMMITTED")) {
        set.level = IsolationLevel::kReadCommitted;
      } else {
        return SyntaxErrorHere();
      }
    } else if (AcceptWord("REPEATABLE")) {
      EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kRead));
      set.level = IsolationLevel::kRepeatableRead;
    } else if (AcceptWord("SNAPSHOT")) {
      set.level = IsolationLevel::kSnapshot;
    } else if (AcceptWord("SERIALIZABLE")) {
      set.level = IsolationLevel::kSerializable;
    } else {
      return SyntaxErrorHere();
    }
    return MakeStatement(start, std::move(set));
  }
  if (Accept(Keyword::kIdentityInsert)) {
    set.kind = SetOptionKind::kIdentityInsert;
    set.options.push_back("IDENTITY_INSERT");
    EDGESQL_ASSIGN_OR_RETURN(set.table, ParseMultiPartName(3, "object", true));
    if (!At(Keyword::kOn) && !At(Keyword::kOff)) return SyntaxErrorHere();
    set.on = At(Keyword::kOn);
    Advance();
    return MakeStatement(start, std::move(set));
  }
  if (!At(TokenKind::kIdentifier) && !At(TokenKind::kKeyword)) return SyntaxErrorHere();
  std::string first = ToUpper(Cur().text);
  if (Contains(kValueOptions, first)) {
    set.kind = SetOptionKind::kValue;
    set.options.push_back(first);
    Advance();
    SourcePos pos = CurPos();
    switch (Cur().kind) {
      case TokenKind::kVariable:
        set.value = MakeExpr(pos, VariableExpr{std::string(Cur().text)});
        Advance();
        break;
      case TokenKind::kInteger:
      case TokenKind::kString:
      case TokenKind::kNString:
      case TokenKind::kBinary: {
        EDGESQL_ASSIGN_OR_RETURN(set.value, ParseLiteral());
        break;
      }
      case TokenKind::kMinus: {
        Advance();
        if (!At(TokenKind::kInteger)) return SyntaxErrorHere();
        EDGESQL_ASSIGN_OR_RETURN(ExprPtr number, ParseLiteral());
        set.value = MakeExpr(pos, UnaryExpr{UnaryOp::kMinus, std::move(number)});
        break;
      }
      case TokenKind::kIdentifier:
      case TokenKind::kQuotedIdentifier: {
        EDGESQL_ASSIGN_OR_RETURN(Identifier word, ParseName());
        set.word = std::move(word);
        break;
      }
      default:
        return SyntaxErrorHere();
    }
    return MakeStatement(start, std::move(set));
  }
  if (At(Keyword::kOffsets)) return Unsupported("OFFSETS");
  // One or more ON/OFF options: SET ANSI_NULLS, QUOTED_IDENTIFIER ON.
  set.kind = SetOptionKind::kOnOff;
  do {
    if (!At(TokenKind::kIdentifier) && !At(TokenKind::kKeyword)) return SyntaxErrorHere();
    const Token& option_token = Cur();
    std::string option = ToUpper(Cur().text);
    Advance();
    // SET STATISTICS IO, TIME ON: after a STATISTICS option the prefix may be left out.
    bool after_statistics =
        !set.options.empty() && set.options.back().compare(0, 11, "STATISTICS ") == 0;
    if (option == "STATISTICS" || (after_statistics && !Contains(kOnOffOptions, option))) {
      if (option == "STATISTICS") {
        if (!At(TokenKind::kIdentifier)) return SyntaxErrorHere();
        option += " " + ToUpper(Cur().text);
        Advance();
      } else {
        option = "STATISTICS " + option;
      }
      if (option == "STATISTICS XML") return Unsupported(option);
    }
    if (!Contains(kOnOffOptions, option)) return SyntaxError(option_token);
    set.options.push_back(std::move(option));
  } while (Accept(TokenKind::kComma));
  if (!At(Keyword::kOn) && !At(Keyword::kOff)) return SyntaxErrorHere();
  set.on = At(Keyword::kOn);
  Advance();
  // "SET QUOTED_IDENTIFIER is set at parse time": it changes how the rest of the batch reads
  // "...", whether or not the statement runs (ANSI_DEFAULTS sets it too).
  for (const std::string& option : set.options) {
    if (option == "QUOTED_IDENTIFIER" || option == "ANSI_DEFAULTS") {
      SetQuotedIdentifier(set.on);
    }
  }
  return MakeStatement(start, std::move(set));
}

Result<StatementPtr> Parser::ParseIf(const Token& start) {
  Advance();  // IF
  IfStmt stmt;
  EDGESQL_ASSIGN_OR_RETURN(stmt.condition, ParseConditionExpr());
  EDGESQL_ASSIGN_OR_RETURN(stmt.then_stmt, ParseStatement());
  if (At(TokenKind::kSemicolon) && Peek().Is(Keyword::kElse)) Advance();
  if (Accept(Keyword::kElse)) {
    EDGESQL_ASSIGN_OR_RETURN(stmt.else_stmt, ParseStatement());
  }
  return MakeStatement(start, std::move(stmt));
}

Result<StatementPtr> Parser::ParseWhile(const Token& start) {
  Advance();  // WHILE
  WhileStmt stmt;
  EDGESQL_ASSIGN_OR_RETURN(stmt.condition, ParseConditionExpr());
  EDGESQL_ASSIGN_OR_RETURN(stmt.body, ParseStatement());
  return MakeStatement(start, std::move(stmt));
}

Result<StatementPtr> Parser::ParseBegin(const Token& start) {
  Advance();  // BEGIN
  if (At(Keyword::kTran) || At(Keyword::kTransaction)) {
    Advance();
    BeginTransactionStmt begin;
    if (AtName() || At(TokenKind::kVariable)) {
      EDGESQL_ASSIGN_OR_RETURN(Identifier name, ParseTransactionName());
      begin.name = std::move(name);
      if (At(Keyword::kWith) && IsWord(Peek(), "MARK")) {
        Advance();
        Advance();
        begin.with_mark = true;
        if (At(TokenKind::kString) || At(TokenKind::kNString)) {
          begin.mark_description = Cur().value;
          Advance();
        }
      }
    }
    return MakeStatement(start, std::move(begin));
  }
  if (At(Keyword::kDistributed)) return Unsupported("BEGIN DISTRIBUTED TRANSACTION");
  if (AtWord("TRY")) return ParseTryCatch(start);
  if (AtWord("DIALOG") || AtWord("CONVERSATION") || AtWord("ATOMIC")) {
    return Unsupported("BEGIN " + ToUpper(Cur().text));
  }
  BlockStmt block;
  EDGESQL_RETURN_IF_ERROR(ParseStatementList(&block.statements, /*in_block=*/true));
  if (block.statements.empty()) return SyntaxErrorHere();
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kEnd));
  return MakeStatement(start, std::move(block));
}

Result<StatementPtr> Parser::ParseTryCatch(const Token& start) {
  Advance();  // TRY
  TryCatchStmt stmt;
  EDGESQL_RETURN_IF_ERROR(ParseStatementList(&stmt.try_block, /*in_block=*/true));
  if (stmt.try_block.empty()) return SyntaxErrorHere();
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kEnd));
  EDGESQL_RETURN_IF_ERROR(ExpectWord("TRY"));
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kBegin));
  EDGESQL_RETURN_IF_ERROR(ExpectWord("CATCH"));
  EDGESQL_RETURN_IF_ERROR(ParseStatementList(&stmt.catch_block, /*in_block=*/true));
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kEnd));
  EDGESQL_RETURN_IF_ERROR(ExpectWord("CATCH"));
  return MakeStatement(start, std::move(stmt));
}

Result<StatementPtr> Parser::ParseReturn(const Token& start) {
  Advance();  // RETURN
  ReturnStmt stmt;
  if (AtStatementValueStart()) {
    EDGESQL_ASSIGN_OR_RETURN(stmt.value, ParseScalar());
  }
  return MakeStatement(start, std::move(stmt));
}

Result<StatementPtr> Parser::ParseThrow(const Token& start) {
  Advance();  // THROW
  ThrowStmt stmt;
  if (AtStatementValueStart()) {
    EDGESQL_ASSIGN_OR_RETURN(stmt.number, ParseScalar());
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kComma));
    EDGESQL_ASSIGN_OR_RETURN(stmt.message, ParseScalar());
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kComma));
    EDGESQL_ASSIGN_OR_RETURN(stmt.state, ParseScalar());
  }
  return MakeStatement(start, std::move(stmt));
}

Result<StatementPtr> Parser::ParseRaiserror(const Token& start) {
  Advance();  // RAISERROR
  RaiserrorStmt stmt;
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  EDGESQL_ASSIGN_OR_RETURN(stmt.message, ParseScalar());
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kComma));
  EDGESQL_ASSIGN_OR_RETURN(stmt.severity, ParseScalar());
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kComma));
  EDGESQL_ASSIGN_OR_RETURN(stmt.state, ParseScalar());
  while (Accept(TokenKind::kComma)) {
    EDGESQL_ASSIGN_OR_RETURN(ExprPtr arg, ParseScalar());
    stmt.args.push_back(std::move(arg));
  }
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  if (Accept(Keyword::kWith)) {
    do {
      if (AcceptWord("NOWAIT")) {
        stmt.with_nowait = true;
      } else if (AcceptWord("LOG")) {
        stmt.with_log = true;
      } else if (AcceptWord("SETERROR")) {
        stmt.with_seterror = true;
      } else {
        return SyntaxErrorHere();
      }
    } while (Accept(TokenKind::kComma));
  }
  return MakeStatement(start, std::move(stmt));
}

Result<StatementPtr> Parser::ParsePrint(const Token& start) {
  Advance();  // PRINT
  PrintStmt stmt;
  EDGESQL_ASSIGN_OR_RETURN(stmt.value, ParseScalar());
  return MakeStatement(start, std::move(stmt));
}

Result<StatementPtr> Parser::ParseCommit(const Token& start) {
  Advance();  // COMMIT
  CommitStmt stmt;
  if (!AcceptWord("WORK") && (Accept(Keyword::kTran) || Accept(Keyword::kTransaction))) {
    if (AtName() || At(TokenKind::kVariable)) {
      EDGESQL_ASSIGN_OR_RETURN(Identifier name, ParseTransactionName());
      stmt.name = std::move(name);
    }
  }
  if (At(Keyword::kWith) && Peek().Is(TokenKind::kLParen) &&
      IsWord(Peek(2), "DELAYED_DURABILITY")) {
    Advance();
    Advance();
    Advance();
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kEq));
    if (!At(Keyword::kOn) && !At(Keyword::kOff)) return SyntaxErrorHere();
    stmt.delayed_durability = At(Keyword::kOn);
    Advance();
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  }
  return MakeStatement(start, std::move(stmt));
}

Result<StatementPtr> Parser::ParseRollback(const Token& start) {
  Advance();  // ROLLBACK
  RollbackStmt stmt;
  if (!AcceptWord("WORK") && (Accept(Keyword::kTran) || Accept(Keyword::kTransaction))) {
    if (AtName() || At(TokenKind::kVariable)) {
      EDGESQL_ASSIGN_OR_RETURN(Identifier name, ParseTransactionName());
      stmt.name = std::move(name);
    }
  }
  return MakeStatement(start, std::move(stmt));
}

Result<StatementPtr> Parser::ParseSave(const Token& start) {
  Advance();  // SAVE
  if (!Accept(Keyword::kTran) && !Accept(Keyword::kTransaction)) return SyntaxErrorHere();
  SaveTransactionStmt stmt;
  EDGESQL_ASSIGN_OR_RETURN(stmt.name, ParseTransactionName());
  return MakeStatement(start, std::move(stmt));
}

Result<StatementPtr> Parser::ParseWaitfor(const Token& start) {
  Advance();  // WAITFOR
  WaitforStmt stmt;
  if (AcceptWord("DELAY")) {
    stmt.delay = true;
  } else if (AcceptWord("TIME")) {
    stmt.delay = false;
  } else if (At(TokenKind::kLParen)) {
    return Unsupported("WAITFOR RECEIVE");
  } else {
    return SyntaxErrorHere();
  }
  if (At(TokenKind::kVariable)) {
    stmt.value = MakeExpr(CurPos(), VariableExpr{std::string(Cur().text)});
    Advance();
  } else if (At(TokenKind::kString) || At(TokenKind::kNString)) {
    EDGESQL_ASSIGN_OR_RETURN(stmt.value, ParseLiteral());
  } else {
    return SyntaxErrorHere();
  }
  return MakeStatement(start, std::move(stmt));
}

Result<StatementPtr> Parser::ParseCheckpoint(const Token& start) {
  Advance();  // CHECKPOINT
  CheckpointStmt stmt;
  if (At(TokenKind::kInteger)) {
    EDGESQL_ASSIGN_OR_RETURN(stmt.duration, ParseLiteral());
  }
  return MakeStatement(start, std::move(stmt));
}

Result<StatementPtr> Parser::ParseUse(const Token& start) {
  Advance();  // USE
  UseStmt stmt;
  EDGESQL_ASSIGN_OR_RETURN(stmt.database, ParseName());
  return MakeStatement(start, std::move(stmt));
}

}  // namespace edgesql::tsql
