// Modules: CREATE / ALTER / CREATE OR ALTER of views, procedures and functions. SQL Server
// requires each to be the first statement of its batch (error 111); a procedure's body runs to
// the end of the batch, and nothing may follow a view or a function.
#include "tsql/parser_internal.h"

namespace edgesql::tsql {
namespace {

std::string_view ModeText(CreateMode mode) {
  switch (mode) {
    case CreateMode::kCreate:
      return "CREATE";
    case CreateMode::kAlter:
      return "ALTER";
    case CreateMode::kCreateOrAlter:
      return "CREATE OR ALTER";
  }
  return "CREATE";
}

std::string QuoteString(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    out += c;
    if (c == '\'') out += '\'';
  }
  out += '\'';
  return out;
}

}  // namespace

Result<StatementPtr> Parser::ParseCreateView(const Token& start, CreateMode mode) {
  EDGESQL_RETURN_IF_ERROR(CheckFirstInBatch(start, std::string(ModeText(mode)) + " VIEW"));
  Advance();  // VIEW
  CreateViewStmt view;
  view.mode = mode;
  EDGESQL_ASSIGN_OR_RETURN(view.name, ParseMultiPartName(3, "object", true));
  if (At(TokenKind::kLParen)) {
    EDGESQL_ASSIGN_OR_RETURN(view.columns, ParseNameList());
  }
  if (At(Keyword::kWith)) {
    EDGESQL_ASSIGN_OR_RETURN(view.options, ParseModuleOptions());
  }
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kAs));
  if (At(Keyword::kWith)) {
    SourcePos pos = CurPos();
    EDGESQL_ASSIGN_OR_RETURN(std::vector<CommonTableExpr> ctes, ParseCtes());
    EDGESQL_ASSIGN_OR_RETURN(view.query, ParseQueryAfterCtes(std::move(ctes), pos));
  } else {
    EDGESQL_ASSIGN_OR_RETURN(view.query, ParseQuery());
  }
  if (At(Keyword::kWith) && Peek().Is(Keyword::kCheck)) {
    Advance();
    Advance();
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kOption));
    view.check_option = true;
  }
  EDGESQL_RETURN_IF_ERROR(CheckOnlyStatement());
  return MakeStatement(start, std::move(view));
}

Result<std::vector<ParameterDef>> Parser::ParseParameters(bool parenthesized, bool is_function) {
  std::vector<ParameterDef> params;
  if (parenthesized) {
    EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kLParen));
    if (Accept(TokenKind::kRParen)) return params;
  } else if (!At(TokenKind::kVariable)) {
    return params;
  }
  do {
    ParameterDef p;
    p.pos = CurPos();
    if (!At(TokenKind::kVariable)) return SyntaxErrorHere();
    p.name = std::string(Cur().text);
    Advance();
    Accept(Keyword::kAs);
    if (At(Keyword::kCursor)) return Unsupported("CURSOR");
    EDGESQL_ASSIGN_OR_RETURN(p.type, ParseDataType());
    if (!is_function && Accept(Keyword::kVarying)) p.varying = true;
    if (Accept(TokenKind::kEq)) {
      EDGESQL_ASSIGN_OR_RETURN(p.default_value, ParseScalar());
    }
    if (!is_function && (AcceptWord("OUTPUT") || AcceptWord("OUT"))) p.output = true;
    if (AcceptWord("READONLY")) p.readonly = true;
    params.push_back(std::move(p));
  } while (Accept(TokenKind::kComma));
  if (parenthesized) EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kRParen));
  return params;
}

Result<std::vector<std::string>> Parser::ParseModuleOptions() {
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kWith));
  std::vector<std::string> options;
  do {
    if (At(Keyword::kExec) || At(Keyword::kExecute)) {
      Advance();
      EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kAs));
      if (AtWord("CALLER") || AtWord("SELF") || AtWord("OWNER")) {
        options.push_back("EXECUTE AS " + ToUpper(Cur().text));
      } else if (At(TokenKind::kString) || At(TokenKind::kNString)) {
        options.push_back("EXECUTE AS " + QuoteString(Cur().value));
      } else {
        return SyntaxErrorHere();
      }
      Advance();
    } else if (AcceptWord("RETURNS")) {
      EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kNull));
      EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kOn));
      EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kNull));
      EDGESQL_RETURN_IF_ERROR(ExpectWord("INPUT"));
      options.push_back("RETURNS NULL ON NULL INPUT");
    } else if (AcceptWord("CALLED")) {
      EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kOn));
      EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kNull));
      EDGESQL_RETURN_IF_ERROR(ExpectWord("INPUT"));
      options.push_back("CALLED ON NULL INPUT");
    } else if (AcceptWord("INLINE")) {
      EDGESQL_RETURN_IF_ERROR(Expect(TokenKind::kEq));
      if (!At(Keyword::kOn) && !At(Keyword::kOff)) return SyntaxErrorHere();
      options.push_back("INLINE = " + ToUpper(Cur().text));
      Advance();
    } else if (AtWord("RECOMPILE") || AtWord("ENCRYPTION") || AtWord("SCHEMABINDING") ||
               AtWord("VIEW_METADATA")) {
      options.push_back(ToUpper(Cur().text));
      Advance();
    } else if (AtWord("NATIVE_COMPILATION")) {
      return Unsupported("NATIVE_COMPILATION");
    } else {
      return SyntaxErrorHere();
    }
  } while (Accept(TokenKind::kComma));
  return options;
}

Result<StatementPtr> Parser::ParseCreateProcedure(const Token& start, CreateMode mode) {
  EDGESQL_RETURN_IF_ERROR(CheckFirstInBatch(start, "CREATE/ALTER PROCEDURE"));
  Advance();  // PROC / PROCEDURE
  CreateProcedureStmt proc;
  proc.mode = mode;
  EDGESQL_ASSIGN_OR_RETURN(proc.name, ParseMultiPartName(3, "object", true));
  if (At(TokenKind::kSemicolon) && Peek().Is(TokenKind::kInteger)) {
    return Unsupported("numbered procedures");
  }
  EDGESQL_ASSIGN_OR_RETURN(proc.params,
                           ParseParameters(At(TokenKind::kLParen), /*is_function=*/false));
  if (At(Keyword::kWith)) {
    EDGESQL_ASSIGN_OR_RETURN(proc.options, ParseModuleOptions());
  }
  if (At(Keyword::kFor) && Peek().Is(Keyword::kReplication)) {
    return Unsupported("FOR REPLICATION");
  }
  EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kAs));
  if (At(Keyword::kExternal)) return Unsupported("EXTERNAL NAME");
  EDGESQL_RETURN_IF_ERROR(ParseStatementList(&proc.body, /*in_block=*/false));
  if (proc.body.empty()) return SyntaxErrorHere();
  return MakeStatement(start, std::move(proc));
}

Result<StatementPtr> Parser::ParseCreateFunction(const Token& start, CreateMode mode) {
  EDGESQL_RETURN_IF_ERROR(CheckFirstInBatch(start, std::string(ModeText(mode)) + " FUNCTION"));
  Advance();  // FUNCTION
  CreateFunctionStmt fn;
  fn.mode = mode;
  EDGESQL_ASSIGN_OR_RETURN(fn.name, ParseMultiPartName(3, "object", true));
  EDGESQL_ASSIGN_OR_RETURN(fn.params, ParseParameters(/*parenthesized=*/true, true));
  EDGESQL_RETURN_IF_ERROR(ExpectWord("RETURNS"));
  if (Accept(Keyword::kTable)) {
    fn.kind = FunctionKind::kInlineTable;
  } else if (At(TokenKind::kVariable)) {
    fn.kind = FunctionKind::kMultiStatementTable;
    fn.return_variable = std::string(Cur().text);
    Advance();
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kTable));
    EDGESQL_ASSIGN_OR_RETURN(fn.return_table, ParseTableDefinition());
  } else {
    fn.kind = FunctionKind::kScalar;
    EDGESQL_ASSIGN_OR_RETURN(DataTypeRef type, ParseDataType());
    fn.return_type = std::move(type);
  }
  if (At(Keyword::kWith)) {
    EDGESQL_ASSIGN_OR_RETURN(fn.options, ParseModuleOptions());
  }
  Accept(Keyword::kAs);
  if (fn.kind == FunctionKind::kInlineTable) {
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kReturn));
    if (At(Keyword::kWith)) {
      SourcePos pos = CurPos();
      EDGESQL_ASSIGN_OR_RETURN(std::vector<CommonTableExpr> ctes, ParseCtes());
      EDGESQL_ASSIGN_OR_RETURN(fn.return_query, ParseQueryAfterCtes(std::move(ctes), pos));
    } else {
      EDGESQL_ASSIGN_OR_RETURN(fn.return_query, ParseQuery());
    }
  } else {
    if (AtWord("EXTERNAL") || At(Keyword::kExternal)) return Unsupported("EXTERNAL NAME");
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kBegin));
    EDGESQL_RETURN_IF_ERROR(ParseStatementList(&fn.body, /*in_block=*/true));
    if (fn.body.empty()) return SyntaxErrorHere();
    EDGESQL_RETURN_IF_ERROR(Expect(Keyword::kEnd));
  }
  EDGESQL_RETURN_IF_ERROR(CheckOnlyStatement());
  return MakeStatement(start, std::move(fn));
}

}  // namespace edgesql::tsql
