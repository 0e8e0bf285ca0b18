// The T-SQL parser: a batch of text in, a syntax tree (tsql/statement.h) or a SQL Server error
// out.
//
// The parser is recursive descent over the lexer's tokens and accepts the T-SQL subset edgesql
// supports (see src/tsql/README.md for the list). Everything else is rejected the way SQL Server
// rejects it:
//   - 102 "Incorrect syntax near 'x'." naming the offending token (at the end of the batch, the
//     last token), or 156 "Incorrect syntax near the keyword 'x'." when it is a reserved keyword,
//     in the keyword's original case;
//   - the lexer's 103/105/113/1038 for bad identifiers, unclosed quotes and comments;
//   - 40517 "Keyword or statement option 'x' is not supported ..." for valid T-SQL outside the
//     subset (MERGE, FOR XML, cursors, GOTO, ...), naming the construct;
//   - 191 "Some part of your SQL statement is nested too deeply" when nesting passes the limits
//     below, so hostile input can never overflow the stack;
//   - a few parse-time errors SQL Server also raises while parsing: 111 (CREATE VIEW/PROCEDURE/
//     FUNCTION not first in the batch), 117 (too many name prefixes), 155/1023 (bad datepart),
//     174 (IIF and date function argument counts), 319 (WITH after an unterminated statement),
//     1007 (numeric literal over 38 digits), 4145 (a value where a condition is expected).
// Every error carries the 1-based line of the token it names in SqlError::line.
//
// Thread-safe: the functions are pure. The returned tree owns all its data (it does not point
// into `text`).
//
// Stack: recursion is bounded by ParseOptions, and at the default limits the deepest input (64
// nested subqueries or 127 nested function calls) needs about 400 KB of stack in an optimized
// build, 1 MB unoptimized and 1.5 MB under AddressSanitizer. Call the parser on threads with at
// least 2 MB of stack (the default 8 MB is plenty); parser_error_test checks 2 MB suffices.
#pragma once

#include <string_view>

#include "common/status.h"
#include "tsql/ast.h"
#include "tsql/statement.h"

namespace edgesql::tsql {

struct ParseOptions {
  // SET QUOTED_IDENTIFIER of the session: ON makes ".." an identifier, OFF a string.
  bool quoted_identifier = true;
  // Bound on recursion: nested parentheses, subqueries, unary operators, CASE, function
  // arguments, nested blocks and IF/ELSE chains each count one level.
  int max_nesting = 128;
  // Bound on the depth of the resulting tree, which also counts the length of left-deep operator
  // chains (a + b + c ..., a OR b OR c ..., UNION chains, JOIN chains), so that recursive walks
  // over the tree are bounded too.
  int max_depth = 1000;
};

// Parses a batch: zero or more statements, optionally separated by semicolons.
Result<Batch> ParseBatch(std::string_view text, const ParseOptions& options = {});

// Parses a single scalar expression (the whole text), e.g. a column default kept as text.
Result<ExprPtr> ParseExpression(std::string_view text, const ParseOptions& options = {});

// Parses a single search condition (the whole text), e.g. a CHECK constraint kept as text.
Result<ExprPtr> ParseCondition(std::string_view text, const ParseOptions& options = {});

}  // namespace edgesql::tsql
