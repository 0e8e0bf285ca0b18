// Tokens of T-SQL as the lexer produces them, and SQL Server's reserved keywords.
//
// Only the reserved keywords of SQL Server ("Reserved Keywords (Transact-SQL)") are keyword
// tokens; every other word, including the many context-sensitive words of the grammar (TRY,
// CATCH, THROW, OUTPUT, ROWS, NOLOCK, MAX, ...), is an identifier token that the parser matches
// by text. This mirrors SQL Server: a reserved keyword cannot be an unquoted name and a syntax
// error at one reports error 156 ("near the keyword"), while any other word reports error 102.
//
// A Token refers into the batch text it was lexed from; the batch must outlive its tokens.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace edgesql::tsql {

// X(enumerator, spelling) for every reserved keyword of SQL Server.
#define EDGESQL_TSQL_RESERVED_KEYWORDS(X)                              \
  X(kAdd, "ADD")                                                       \
  X(kAll, "ALL")                                                       \
  X(kAlter, "ALTER")                                                   \
  X(kAnd, "AND")                                                       \
  X(kAny, "ANY")                                                       \
  X(kAs, "AS")                                                         \
  X(kAsc, "ASC")                                                       \
  X(kAuthorization, "AUTHORIZATION")                                   \
  X(kBackup, "BACKUP")                                                 \
  X(kBegin, "BEGIN")                                                   \
  X(kBetween, "BETWEEN")                                               \
  X(kBreak, "BREAK")                                                   \
  X(kBrowse, "BROWSE")                                                 \
  X(kBulk, "BULK")                                                     \
  X(kBy, "BY")                                                         \
  X(kCascade, "CASCADE")                                               \
  X(kCase, "CASE")                                                     \
  X(kCheck, "CHECK")                                                   \
  X(kCheckpoint, "CHECKPOINT")                                         \
  X(kClose, "CLOSE")                                                   \
  X(kClustered, "CLUSTERED")                                           \
  X(kCoalesce, "COALESCE")                                             \
  X(kCollate, "COLLATE")                                               \
  X(kColumn, "COLUMN")                                                 \
  X(kCommit, "COMMIT")                                                 \
  X(kCompute, "COMPUTE")                                               \
  X(kConstraint, "CONSTRAINT")                                         \
  X(kContains, "CONTAINS")                                             \
  X(kContainstable, "CONTAINSTABLE")                                   \
  X(kContinue, "CONTINUE")                                             \
  X(kConvert, "CONVERT")                                               \
  X(kCreate, "CREATE")                                                 \
  X(kCross, "CROSS")                                                   \
  X(kCurrent, "CURRENT")                                               \
  X(kCurrentDate, "CURRENT_DATE")                                      \
  X(kCurrentTime, "CURRENT_TIME")                                      \
  X(kCurrentTimestamp, "CURRENT_TIMESTAMP")                            \
  X(kCurrentUser, "CURRENT_USER")                                      \
  X(kCursor, "CURSOR")                                                 \
  X(kDatabase, "DATABASE")                                             \
  X(kDbcc, "DBCC")                                                     \
  X(kDeallocate, "DEALLOCATE")                                         \
  X(kDeclare, "DECLARE")                                               \
  X(kDefault, "DEFAULT")                                               \
  X(kDelete, "DELETE")                                                 \
  X(kDeny, "DENY")                                                     \
  X(kDesc, "DESC")                                                     \
  X(kDisk, "DISK")                                                     \
  X(kDistinct, "DISTINCT")                                             \
  X(kDistributed, "DISTRIBUTED")                                       \
  X(kDouble, "DOUBLE")                                                 \
  X(kDrop, "DROP")                                                     \
  X(kDump, "DUMP")                                                     \
  X(kElse, "ELSE")                                                     \
  X(kEnd, "END")                                                       \
  X(kErrlvl, "ERRLVL")                                                 \
  X(kEscape, "ESCAPE")                                                 \
  X(kExcept, "EXCEPT")                                                 \
  X(kExec, "EXEC")                                                     \
  X(kExecute, "EXECUTE")                                               \
  X(kExists, "EXISTS")                                                 \
  X(kExit, "EXIT")                                                     \
  X(kExternal, "EXTERNAL")                                             \
  X(kFetch, "FETCH")                                                   \
  X(kFile, "FILE")                                                     \
  X(kFillfactor, "FILLFACTOR")                                         \
  X(kFor, "FOR")                                                       \
  X(kForeign, "FOREIGN")                                               \
  X(kFreetext, "FREETEXT")                                             \
  X(kFreetexttable, "FREETEXTTABLE")                                   \
  X(kFrom, "FROM")                                                     \
  X(kFull, "FULL")                                                     \
  X(kFunction, "FUNCTION")                                             \
  X(kGoto, "GOTO")                                                     \
  X(kGrant, "GRANT")                                                   \
  X(kGroup, "GROUP")                                                   \
  X(kHaving, "HAVING")                                                 \
  X(kHoldlock, "HOLDLOCK")                                             \
  X(kIdentity, "IDENTITY")                                             \
  X(kIdentityInsert, "IDENTITY_INSERT")                                \
  X(kIdentitycol, "IDENTITYCOL")                                       \
  X(kIf, "IF")                                                         \
  X(kIn, "IN")                                                         \
  X(kIndex, "INDEX")                                                   \
  X(kInner, "INNER")                                                   \
  X(kInsert, "INSERT")                                                 \
  X(kIntersect, "INTERSECT")                                           \
  X(kInto, "INTO")                                                     \
  X(kIs, "IS")                                                         \
  X(kJoin, "JOIN")                                                     \
  X(kKey, "KEY")                                                       \
  X(kKill, "KILL")                                                     \
  X(kLeft, "LEFT")                                                     \
  X(kLike, "LIKE")                                                     \
  X(kLineno, "LINENO")                                                 \
  X(kLoad, "LOAD")                                                     \
  X(kMerge, "MERGE")                                                   \
  X(kNational, "NATIONAL")                                             \
  X(kNocheck, "NOCHECK")                                               \
  X(kNonclustered, "NONCLUSTERED")                                     \
  X(kNot, "NOT")                                                       \
  X(kNull, "NULL")                                                     \
  X(kNullif, "NULLIF")                                                 \
  X(kOf, "OF")                                                         \
  X(kOff, "OFF")                                                       \
  X(kOffsets, "OFFSETS")                                               \
  X(kOn, "ON")                                                         \
  X(kOpen, "OPEN")                                                     \
  X(kOpendatasource, "OPENDATASOURCE")                                 \
  X(kOpenquery, "OPENQUERY")                                           \
  X(kOpenrowset, "OPENROWSET")                                         \
  X(kOpenxml, "OPENXML")                                               \
  X(kOption, "OPTION")                                                 \
  X(kOr, "OR")                                                         \
  X(kOrder, "ORDER")                                                   \
  X(kOuter, "OUTER")                                                   \
  X(kOver, "OVER")                                                     \
  X(kPercent, "PERCENT")                                               \
  X(kPivot, "PIVOT")                                                   \
  X(kPlan, "PLAN")                                                     \
  X(kPrecision, "PRECISION")                                           \
  X(kPrimary, "PRIMARY")                                               \
  X(kPrint, "PRINT")                                                   \
  X(kProc, "PROC")                                                     \
  X(kProcedure, "PROCEDURE")                                           \
  X(kPublic, "PUBLIC")                                                 \
  X(kRaiserror, "RAISERROR")                                           \
  X(kRead, "READ")                                                     \
  X(kReadtext, "READTEXT")                                             \
  X(kReconfigure, "RECONFIGURE")                                       \
  X(kReferences, "REFERENCES")                                         \
  X(kReplication, "REPLICATION")                                       \
  X(kRestore, "RESTORE")                                               \
  X(kRestrict, "RESTRICT")                                             \
  X(kReturn, "RETURN")                                                 \
  X(kRevert, "REVERT")                                                 \
  X(kRevoke, "REVOKE")                                                 \
  X(kRight, "RIGHT")                                                   \
  X(kRollback, "ROLLBACK")                                             \
  X(kRowcount, "ROWCOUNT")                                             \
  X(kRowguidcol, "ROWGUIDCOL")                                         \
  X(kRule, "RULE")                                                     \
  X(kSave, "SAVE")                                                     \
  X(kSchema, "SCHEMA")                                                 \
  X(kSecurityaudit, "SECURITYAUDIT")                                   \
  X(kSelect, "SELECT")                                                 \
  X(kSemantickeyphrasetable, "SEMANTICKEYPHRASETABLE")                 \
  X(kSemanticsimilaritydetailstable, "SEMANTICSIMILARITYDETAILSTABLE") \
  X(kSemanticsimilaritytable, "SEMANTICSIMILARITYTABLE")               \
  X(kSessionUser, "SESSION_USER")                                      \
  X(kSet, "SET")                                                       \
  X(kSetuser, "SETUSER")                                               \
  X(kShutdown, "SHUTDOWN")                                             \
  X(kSome, "SOME")                                                     \
  X(kStatistics, "STATISTICS")                                         \
  X(kSystemUser, "SYSTEM_USER")                                        \
  X(kTable, "TABLE")                                                   \
  X(kTablesample, "TABLESAMPLE")                                       \
  X(kTextsize, "TEXTSIZE")                                             \
  X(kThen, "THEN")                                                     \
  X(kTo, "TO")                                                         \
  X(kTop, "TOP")                                                       \
  X(kTran, "TRAN")                                                     \
  X(kTransaction, "TRANSACTION")                                       \
  X(kTrigger, "TRIGGER")                                               \
  X(kTruncate, "TRUNCATE")                                             \
  X(kTryConvert, "TRY_CONVERT")                                        \
  X(kTsequal, "TSEQUAL")                                               \
  X(kUnion, "UNION")                                                   \
  X(kUnique, "UNIQUE")                                                 \
  X(kUnpivot, "UNPIVOT")                                               \
  X(kUpdate, "UPDATE")                                                 \
  X(kUpdatetext, "UPDATETEXT")                                         \
  X(kUse, "USE")                                                       \
  X(kUser, "USER")                                                     \
  X(kValues, "VALUES")                                                 \
  X(kVarying, "VARYING")                                               \
  X(kView, "VIEW")                                                     \
  X(kWaitfor, "WAITFOR")                                               \
  X(kWhen, "WHEN")                                                     \
  X(kWhere, "WHERE")                                                   \
  X(kWhile, "WHILE")                                                   \
  X(kWith, "WITH")                                                     \
  X(kWritetext, "WRITETEXT")

enum class Keyword : uint16_t {
  kNone,
#define EDGESQL_TSQL_KEYWORD_ENUM(id, text) id,
  EDGESQL_TSQL_RESERVED_KEYWORDS(EDGESQL_TSQL_KEYWORD_ENUM)
#undef EDGESQL_TSQL_KEYWORD_ENUM
};

// The reserved keyword spelled `word` (any case), or Keyword::kNone.
Keyword LookupKeyword(std::string_view word);
// Upper-case spelling of a reserved keyword ("" for kNone).
std::string_view KeywordText(Keyword keyword);

enum class TokenKind : uint8_t {
  kEnd,               // end of the batch; its text is empty
  kIdentifier,        // regular identifier, #temp, ##temp, $pseudo, or a non-reserved word
  kQuotedIdentifier,  // [..] or ".." (QUOTED_IDENTIFIER ON); value holds the unescaped name
  kKeyword,           // reserved keyword; `keyword` says which
  kVariable,          // @name or @@name
  kString,            // '..' (or ".." with QUOTED_IDENTIFIER OFF); value holds the text
  kNString,           // N'..'; value holds the text
  kInteger,           // 123
  kDecimal,           // 1.5, .5, 1.
  kFloat,             // 1e10, 1.5E-3
  kMoney,             // $12.50; text includes the '$'
  kBinary,            // 0x0A1B, 0x
  // Punctuation and operators.
  kLParen,
  kRParen,
  kComma,
  kDot,
  kSemicolon,
  kColon,
  kDoubleColon,
  kEq,
  kNotEq,   // <>
  kBangEq,  // !=
  kLess,
  kLessEq,
  kGreater,
  kGreaterEq,
  kNotLess,     // !<
  kNotGreater,  // !>
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kAmp,
  kPipe,
  kCaret,
  kTilde,
  kPlusEq,
  kMinusEq,
  kStarEq,
  kSlashEq,
  kPercentEq,
  kAmpEq,
  kPipeEq,
  kCaretEq,
  kUnknown,  // a character that starts no token; the parser reports it as a syntax error
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  Keyword keyword = Keyword::kNone;
  uint32_t offset = 0;    // byte offset of the first character in the batch
  int32_t line = 1;       // 1-based
  int32_t column = 1;     // 1-based, in characters
  std::string_view text;  // the token exactly as written
  // Decoded content of strings and quoted identifiers (quotes removed, doubled quote characters
  // collapsed). Empty for other tokens.
  std::string value;

  bool Is(TokenKind k) const { return kind == k; }
  bool Is(Keyword k) const { return kind == TokenKind::kKeyword && keyword == k; }
};

}  // namespace edgesql::tsql
