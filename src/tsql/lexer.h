// The T-SQL lexer: turns a batch into tokens, following SQL Server's lexical rules
// ("Database identifiers", "Constants (Transact-SQL)", "Comment (Transact-SQL)").
//
// - Keywords are case-insensitive; only SQL Server's reserved keywords become keyword tokens.
// - Identifiers: regular (letter, _, @ or # first; then letters, digits, @, $, #, _), delimited
//   [..] with ]] as an escaped ], and ".." with "" escaped when QUOTED_IDENTIFIER is ON (with it
//   OFF, ".." is a character string, as SQL Server does). Names longer than 128 characters raise
//   error 103; empty delimited names raise 1038.
// - @name and @@name are variables (the parser tells @@functions apart).
// - Strings '..' with '' escaped, and N'..'. An unclosed string or delimited identifier raises
//   error 105 with the text after the opening quote; an unclosed /* comment raises error 113.
// - Numbers: integers, decimals (1.5, .5, 1.), floats (1e10, 1.5E-3), money ($12.50) and binary
//   (0x0A1B, 0x alone is an empty binary). A number followed directly by letters ends before them
//   ("SELECT 1a" is 1 AS a, as in SQL Server).
// - Comments: -- to the end of the line, and /* */ which nest.
// - Bytes >= 0x80 are treated as identifier characters (UTF-8 letters); any other character
//   that starts no token becomes a kUnknown token, reported by the parser as a syntax error.
//
// Tokens point into `text`, which must outlive them. The last token is always kEnd.
// Thread-safe: Tokenize is a pure function.
#pragma once

#include <string_view>
#include <vector>

#include "common/status.h"
#include "tsql/token.h"

namespace edgesql::tsql {

struct LexerOptions {
  // SET QUOTED_IDENTIFIER: ON makes ".." a delimited identifier, OFF a character string.
  bool quoted_identifier = true;
};

Result<std::vector<Token>> Tokenize(std::string_view text, const LexerOptions& options = {});

}  // namespace edgesql::tsql
