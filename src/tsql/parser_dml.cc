// SELECT/INSERT/UPDATE/DELETE/TRUNCATE statements, WITH (common table expressions) in front of
// them, OUTPUT clauses, and EXEC in all its forms.
#include <charconv>

#include "tsql/parser_internal.h"

namespace edgesql::tsql {

Result<StatementPtr> Parser::ParseWithStatement(const Token& start) {
  SourcePos pos = CurPos();
  EDGESQL_ASSIGN_OR_RETURN(std::vector<CommonTableExpr> ctes, ParseCtes());
  if (At(Keyword::kSelect) || At(TokenKind::kLParen)) {
    SelectStmt select;
    EDGESQL_ASSIGN_OR_RETURN(select.query, ParseQueryAfterCtes(std::move(ctes), pos));
    if (At(Keyword::kOption)) {
      EDGESQL_ASSIGN_OR_RETURN(select.options, ParseOptionClause());
    }
    return MakeStatement(start, std::move(select));
  }
  if (At(Keyword::kInsert)) return ParseInsert(start, std::move(ctes));
  if (At(Keyword::kUpdate)) return ParseUpdate(start, std::move(ctes));
  if (At(Keyword::kDelete)) return ParseDelete(start, std::move(ctes));
  if (At(Keyword::kMerge)) return Unsupported("MERGE");
  return SyntaxErrorHere();
}

Result<StatementPtr> Parser::ParseSelectStatement(const Token& start,
                                                  std::vector<CommonTableExpr> ctes) {
  SelectStmt select;
  EDGESQL_ASSIGN_OR_RETURN(select.query, ParseQueryAfterCtes(std::move(ctes), CurPos()));
  if (At(Keyword::kOption)) {
    EDGESQL_ASSIGN_OR_RETURN(select.options, ParseOptionClause());
  }
  return MakeStatement(start, std::move(select));
}

Result<TableRefPtr> Parser::ParseDmlTarget() {
  auto ref = std::make_unique<TableRef>();
  ref->pos = CurPos();
  if (At(TokenKind::kVariable)) {
    ref->node = VariableTableRef{std::string(Cur().text), std::nullopt};
    Advance();
    return ref;
  }
  if (At(Keyword::kOpenquery) || At(Keyword::kOpenrowset) || At(Keyword::kOpendatasource)) {
    return Unsupported(KeywordText(Cur().keyword));
  }
  NamedTableRef t;
  EDGESQL_ASSIGN_OR_RETURN(t.name, ParseMultiPartName(4, "object", true));
  if (At(Keyword::kWith) && Peek().Is(TokenKind::kLParen)) {
    EDGESQL_RETURN_IF_ERROR(ParseTableHints(&t.hints));
  }
  ref->node = std::move(t);
  return ref;
}

Status Parser::ParseOutputClauses(std::vector<OutputClause>* outputs) {
  while (AtWord("OUTPUT") && outputs->size() < 2) {
    OutputClause out;
    out.pos = CurPos();
    Advance();
    if (AtWord("$ACTION")) return Unsupported("$action");
    EDGESQL_ASSIGN_OR_RETURN(out.items, ParseSelectList(/*allow_assign=*/false));
    if (Accept(Keyword::kInto)) {
      if (At(TokenKind::kVariable)) {
        out.into_variable = std::string(Cur().text);
        Advance();
      } else {
        EDGESQL_ASSIGN_OR_RETURN(MultiPartName table, ParseMultiPartName(4, "object", true));
        out.into_table = std::move(table);
      }
      if (At(TokenKind::kLParen)) {
        EDGESQL_ASSIGN_OR_RETURN(out.into_columns, ParseNameList());
      }
    }
    outputs->push_back(std::move(out));
  }
  return Status::Ok();
}

Result<StatementPtr> Parser::ParseInsert(const Token& start, std::vector<CommonTableExpr> ctes) {
  InsertStmt insert;
  insert.ctes = std::move(ctes);
  Advance();  // INSERT
  if (At(Keyword::kBulk) && insert.ctes.empty()) return ParseInsertBulk(start);
  if (At(Keyword::kTop)) {
    EDGESQL_ASSIGN_OR_RETURN(insert.top, ParseTop(/*require_parens=*/true));
  }
  Accept(Keyword::kInto);
  EDGESQL_ASSIGN_OR_RETURN(insert.target, ParseDmlTarget());
  if (At(TokenKind::kLParen) && !AtQueryStart()) {
    // Column names may carry prefixes, which SQL Server ignores; keep the column name.
    Advance();
    do {
      EDGESQL_ASSIGN_OR_RETURN(MultiPartName column, ParseMultiPartName(4, "column", false));
      insert.columns.push_back(std::move(column.parts.back()));
    } while (Accept(TokenKind::kComma));
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  }
  EDGESQL_RETURN_IF_ERROR(ParseOutputClauses(&insert.outputs));
  if (Accept(Keyword::kValues)) {
    insert.source = InsertSource::kValues;
    EDGESQL_ASSIGN_OR_RETURN(insert.values, ParseValuesRows(/*allow_default=*/true));
  } else if (At(Keyword::kDefault) && Peek().Is(Keyword::kValues)) {
    Advance();
    Advance();
    insert.source = InsertSource::kDefaultValues;
  } else if (At(Keyword::kExec) || At(Keyword::kExecute)) {
    insert.source = InsertSource::kExec;
    EDGESQL_ASSIGN_OR_RETURN(ExecStmt exec, ParseExecBody(/*implicit=*/false));
    insert.exec = std::make_unique<ExecStmt>(std::move(exec));
  } else if (At(Keyword::kSelect) || At(TokenKind::kLParen)) {
    insert.source = InsertSource::kQuery;
    EDGESQL_ASSIGN_OR_RETURN(insert.query, ParseQuery());
  } else {
    return SyntaxErrorHere();
  }
  if (At(Keyword::kOption)) {
    EDGESQL_ASSIGN_OR_RETURN(insert.options, ParseOptionClause());
  }
  return MakeStatement(start, std::move(insert));
}

Result<StatementPtr> Parser::ParseInsertBulk(const Token& start) {
  Advance();  // BULK
  InsertBulkStmt bulk;
  EDGESQL_ASSIGN_OR_RETURN(bulk.table, ParseMultiPartName(4, "object", true));
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
  do {
    InsertBulkColumn column;
    column.pos = CurPos();
    EDGESQL_ASSIGN_OR_RETURN(column.name, ParseName());
    EDGESQL_ASSIGN_OR_RETURN(column.type, ParseDataType());
    while (true) {
      EDGESQL_ASSIGN_OR_RETURN(
          bool took, AcceptCollationOrNullability(&column.collation, &column.nullability));
      if (!took) break;
    }
    bulk.columns.push_back(std::move(column));
  } while (Accept(TokenKind::kComma));
  EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  if (Accept(Keyword::kWith)) {
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
    do {
      EDGESQL_RETURN_IF_ERROR(ParseInsertBulkOption(&bulk));
    } while (Accept(TokenKind::kComma));
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  }
  return MakeStatement(start, std::move(bulk));
}

// The hints of INSERT BULK, as SQL Server's bulk-copy clients send them (FreeTDS passes the
// user's -h text through; pytds and go-mssqldb spell KEEP_NULLS with an underscore; BULK INSERT
// spells KEEPNULLS and KEEPIDENTITY without one).
Status Parser::ParseInsertBulkOption(InsertBulkStmt* bulk) {
  const Token& option = Cur();
  auto number = [&](std::optional<int64_t>* out) -> Status {
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kEq));
    if (!At(TokenKind::kInteger)) return SyntaxErrorHere();
    int64_t value = 0;
    std::string_view digits = Cur().text;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || ptr != digits.data() + digits.size()) return SyntaxErrorHere();
    *out = value;
    Advance();
    return Status::Ok();
  };
  if (Accept(Keyword::kOrder)) {
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
    do {
      IndexColumn c;
      EDGESQL_ASSIGN_OR_RETURN(c.name, ParseName());
      if (Accept(Keyword::kAsc)) {
        c.order = SortOrder::kAsc;
      } else if (Accept(Keyword::kDesc)) {
        c.order = SortOrder::kDesc;
      }
      bulk->order.push_back(std::move(c));
    } while (Accept(TokenKind::kComma));
    return Expect(TokenKind::kRParen);
  }
  if (!At(TokenKind::kIdentifier)) return SyntaxErrorHere();
  if (AcceptWord("CHECK_CONSTRAINTS")) {
    bulk->check_constraints = true;
  } else if (AcceptWord("FIRE_TRIGGERS")) {
    bulk->fire_triggers = true;
  } else if (AcceptWord("KEEP_NULLS") || AcceptWord("KEEPNULLS")) {
    bulk->keep_nulls = true;
  } else if (AcceptWord("KEEPIDENTITY") || AcceptWord("KEEP_IDENTITY")) {
    bulk->keep_identity = true;
  } else if (AcceptWord("TABLOCK")) {
    bulk->tablock = true;
  } else if (AcceptWord("ROWS_PER_BATCH")) {
    return number(&bulk->rows_per_batch);
  } else if (AcceptWord("KILOBYTES_PER_BATCH")) {
    return number(&bulk->kilobytes_per_batch);
  } else {
    return ErrorAt(errors::Make(errors::kUnrecognizedOption, {option.text, "INSERT BULK"}), option);
  }
  return Status::Ok();
}

Result<StatementPtr> Parser::ParseUpdate(const Token& start, std::vector<CommonTableExpr> ctes) {
  UpdateStmt update;
  update.ctes = std::move(ctes);
  Advance();  // UPDATE
  if (At(Keyword::kTop)) {
    EDGESQL_ASSIGN_OR_RETURN(update.top, ParseTop(/*require_parens=*/true));
  }
  EDGESQL_ASSIGN_OR_RETURN(update.target, ParseDmlTarget());
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kSet));
  do {
    SetClause set;
    set.pos = CurPos();
    if (At(TokenKind::kVariable)) {
      set.variable = std::string(Cur().text);
      Advance();
      if (!IsAssignmentToken(Cur().kind)) return SyntaxErrorHere();
      set.op = AssignmentOf(Cur().kind);
      Advance();
      // @v = column = expr assigns the column and the variable.
      if (set.op == AssignOp::kAssign && AtName()) {
        size_t i = pos_;
        while (i + 2 < tokens_.size() && tokens_[i + 1].Is(TokenKind::kDot)) i += 2;
        if (i + 1 < tokens_.size() && tokens_[i + 1].Is(TokenKind::kEq)) {
          EDGESQL_ASSIGN_OR_RETURN(set.column, ParseMultiPartName(4, "column", false));
          EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kEq));
        }
      }
    } else {
      EDGESQL_ASSIGN_OR_RETURN(set.column, ParseMultiPartName(4, "column", false));
      if (At(TokenKind::kLParen)) return Unsupported("method call");  // col.WRITE(...)
      if (!IsAssignmentToken(Cur().kind)) return SyntaxErrorHere();
      set.op = AssignmentOf(Cur().kind);
      Advance();
    }
    EDGESQL_ASSIGN_OR_RETURN(set.value, ParseScalarOrDefault());
    update.sets.push_back(std::move(set));
  } while (Accept(TokenKind::kComma));
  EDGESQL_RETURN_IF_ERROR(ParseOutputClauses(&update.outputs));
  if (Accept(Keyword::kFrom)) {
    EDGESQL_ASSIGN_OR_RETURN(update.from, ParseFromList());
  }
  if (Accept(Keyword::kWhere)) {
    if (At(Keyword::kCurrent) && Peek().Is(Keyword::kOf)) return Unsupported("CURRENT OF");
    EDGESQL_ASSIGN_OR_RETURN(update.where, ParseConditionExpr());
  }
  if (At(Keyword::kOption)) {
    EDGESQL_ASSIGN_OR_RETURN(update.options, ParseOptionClause());
  }
  return MakeStatement(start, std::move(update));
}

Result<StatementPtr> Parser::ParseDelete(const Token& start, std::vector<CommonTableExpr> ctes) {
  DeleteStmt del;
  del.ctes = std::move(ctes);
  Advance();  // DELETE
  if (At(Keyword::kTop)) {
    EDGESQL_ASSIGN_OR_RETURN(del.top, ParseTop(/*require_parens=*/true));
  }
  Accept(Keyword::kFrom);
  EDGESQL_ASSIGN_OR_RETURN(del.target, ParseDmlTarget());
  EDGESQL_RETURN_IF_ERROR(ParseOutputClauses(&del.outputs));
  if (Accept(Keyword::kFrom)) {
    EDGESQL_ASSIGN_OR_RETURN(del.from, ParseFromList());
  }
  if (Accept(Keyword::kWhere)) {
    if (At(Keyword::kCurrent) && Peek().Is(Keyword::kOf)) return Unsupported("CURRENT OF");
    EDGESQL_ASSIGN_OR_RETURN(del.where, ParseConditionExpr());
  }
  if (At(Keyword::kOption)) {
    EDGESQL_ASSIGN_OR_RETURN(del.options, ParseOptionClause());
  }
  return MakeStatement(start, std::move(del));
}

Result<StatementPtr> Parser::ParseTruncate(const Token& start) {
  Advance();  // TRUNCATE
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kTable));
  TruncateTableStmt truncate;
  EDGESQL_ASSIGN_OR_RETURN(truncate.table, ParseMultiPartName(4, "object", true));
  if (At(Keyword::kWith) && Peek().Is(TokenKind::kLParen)) return Unsupported("PARTITIONS");
  return MakeStatement(start, std::move(truncate));
}

// ---------------------------------------------------------------------------------------------
// EXEC

Result<StatementPtr> Parser::ParseExec(const Token& start, bool implicit) {
  EDGESQL_ASSIGN_OR_RETURN(ExecStmt exec, ParseExecBody(implicit));
  return MakeStatement(start, std::move(exec));
}

Result<ExecStmt> Parser::ParseExecBody(bool implicit) {
  ExecStmt exec;
  if (!implicit) {
    Advance();  // EXEC / EXECUTE
    if (At(Keyword::kAs)) return Unsupported("EXECUTE AS");
    if (Accept(TokenKind::kLParen)) {
      // EXEC ('SELECT ...' + @x): string literals and variables joined by +.
      do {
        if (At(TokenKind::kString) || At(TokenKind::kNString)) {
          EDGESQL_ASSIGN_OR_RETURN(ExprPtr part, ParseLiteral());
          exec.sql.push_back(std::move(part));
        } else if (At(TokenKind::kVariable)) {
          exec.sql.push_back(MakeExpr(CurPos(), VariableExpr{std::string(Cur().text)}));
          Advance();
        } else {
          return SyntaxErrorHere();
        }
      } while (Accept(TokenKind::kPlus));
      EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
      if (At(Keyword::kAs)) return Unsupported("EXECUTE AS");
      if (AtWord("AT")) return Unsupported("EXECUTE AT");
      return exec;
    }
    if (At(TokenKind::kVariable) && Peek().Is(TokenKind::kEq)) {
      exec.return_variable = std::string(Cur().text);
      Advance();
      Advance();
    }
  }
  if (At(TokenKind::kVariable)) {
    exec.procedure_variable = std::string(Cur().text);
    Advance();
  } else {
    EDGESQL_ASSIGN_OR_RETURN(exec.procedure, ParseMultiPartName(4, "object", true));
  }
  auto at_arg = [&] {
    switch (Cur().kind) {
      case TokenKind::kVariable:
      case TokenKind::kInteger:
      case TokenKind::kDecimal:
      case TokenKind::kFloat:
      case TokenKind::kMoney:
      case TokenKind::kString:
      case TokenKind::kNString:
      case TokenKind::kBinary:
      case TokenKind::kMinus:
      case TokenKind::kPlus:
      case TokenKind::kIdentifier:
      case TokenKind::kQuotedIdentifier:
        return true;
      default:
        return At(Keyword::kNull) || At(Keyword::kDefault);
    }
  };
  if (at_arg()) {
    do {
      EDGESQL_ASSIGN_OR_RETURN(ExecArg arg, ParseExecArg());
      exec.args.push_back(std::move(arg));
    } while (Accept(TokenKind::kComma));
  }
  if (At(Keyword::kWith)) {
    if (IsWord(Peek(), "RECOMPILE")) {
      Advance();
      Advance();
      exec.recompile = true;
    } else if (IsWord(Peek(), "RESULT")) {
      return Unsupported("WITH RESULT SETS");
    }
  }
  return exec;
}

Result<ExecArg> Parser::ParseExecArg() {
  ExecArg arg;
  arg.pos = CurPos();
  if (At(TokenKind::kVariable) && Peek().Is(TokenKind::kEq)) {
    arg.name = std::string(Cur().text);
    Advance();
    Advance();
  }
  EDGESQL_ASSIGN_OR_RETURN(arg.value, ParseExecValue());
  if (AcceptWord("OUTPUT") || AcceptWord("OUT")) arg.output = true;
  return arg;
}

Result<ExprPtr> Parser::ParseExecValue() {
  SourcePos pos = CurPos();
  switch (Cur().kind) {
    case TokenKind::kVariable: {
      std::string name(Cur().text);
      Advance();
      if (name.size() >= 2 && name[1] == '@') return MakeExpr(pos, GlobalVariableExpr{name});
      return MakeExpr(pos, VariableExpr{name});
    }
    case TokenKind::kMinus:
    case TokenKind::kPlus: {
      UnaryOp op = At(TokenKind::kMinus) ? UnaryOp::kMinus : UnaryOp::kPlus;
      Advance();
      if (!At(TokenKind::kInteger) && !At(TokenKind::kDecimal) && !At(TokenKind::kFloat) &&
          !At(TokenKind::kMoney)) {
        return SyntaxErrorHere();
      }
      EDGESQL_ASSIGN_OR_RETURN(ExprPtr number, ParseLiteral());
      return MakeExpr(pos, UnaryExpr{op, std::move(number)});
    }
    case TokenKind::kIdentifier:
    case TokenKind::kQuotedIdentifier: {
      // A bare word is passed as a character string (EXEC sp_help t).
      LiteralExpr lit{LiteralKind::kString,
                      At(TokenKind::kIdentifier) ? std::string(Cur().text) : Cur().value};
      Advance();
      return MakeExpr(pos, std::move(lit));
    }
    default:
      break;
  }
  if (At(Keyword::kDefault)) {
    Advance();
    return MakeExpr(pos, DefaultExpr{});
  }
  return ParseLiteral();
}

}  // namespace edgesql::tsql
