// Text comparison under edgesql's one collation, SQL_Latin1_General_CP1_CI_AS (SQL Server's
// default for US English installations): case-insensitive, accent-sensitive, and blind to
// trailing spaces ('abc' = 'abc  ', as ANSI padding rules require).
//
// Ordering: strings compare first by their letters with case and accents removed (so 'e' < 'É' <
// 'f' and 'apple' < 'Banana'), then, for equal letters, by accent. Case never distinguishes two
// strings. Characters outside the Latin, Greek and Cyrillic alphabets compare by code point.
// This is the same order for char/varchar and nchar/nvarchar.
//
// The same rules drive LIKE (with SQL Server's [abc], [a-z], [^a] classes, %, _ and ESCAPE),
// UPPER/LOWER, and the collation registered on SQLite connections. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace edgesql::collation {

// The name under which the comparison is registered with SQLite and used in emitted SQL.
inline constexpr const char* kSqliteName = "CI_AS";
// SQL Server's name, reported in metadata (SERVERPROPERTY('Collation'), sys.columns).
inline constexpr const char* kSqlServerName = "SQL_Latin1_General_CP1_CI_AS";
// The 5-byte TDS collation ([MS-TDS] 2.2.5.1.2): LCID 0x0409, flags IgnoreCase|IgnoreKana|
// IgnoreWidth, SortId 52 (SQL_Latin1_General_CP1_CI_AS).
inline constexpr unsigned char kTdsCollation[5] = {0x09, 0x04, 0xD0, 0x00, 0x34};

// Three-way comparison of UTF-8 strings: negative, zero or positive.
int Compare(std::string_view a, std::string_view b);
inline bool Equal(std::string_view a, std::string_view b) { return Compare(a, b) == 0; }

// UPPER / LOWER of UTF-8 text (Latin-1, Latin Extended-A, Greek and Cyrillic letters).
std::string Upper(std::string_view s);
std::string Lower(std::string_view s);

// LIKE: true if `text` matches `pattern`. `escape` is the ESCAPE character or 0.
// Matching is case-insensitive and accent-sensitive. Trailing blanks follow "LIKE (Transact-SQL)":
// blanks at the end of the pattern are significant; blanks at the end of `text` are ignored (the
// pattern may match all, some or none of them) when the operands are char/varchar, and are
// significant when any operand is nchar/nvarchar (`unicode`).
bool Like(std::string_view text, std::string_view pattern, char32_t escape = 0,
          bool unicode = false);

}  // namespace edgesql::collation
