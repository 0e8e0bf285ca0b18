// Text encodings on the wire and in storage.
//
// SQLite stores text as UTF-8. TDS carries Unicode text (nchar/nvarchar, identifiers, SQL batch
// text, login fields) as UTF-16LE ([MS-TDS] 2.2.5.1.2), and non-Unicode text (char/varchar) in the
// code page of its collation: CP1252 for edgesql's SQL_Latin1_General_CP1_CI_AS.
//
// All functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/bytes.h"

namespace edgesql::utf {

// Decodes UTF-16LE. Fails (returns false) on an odd byte count or an unpaired surrogate: such
// text cannot be stored as UTF-8, and edgesql rejects it instead of altering it.
bool Utf16LeToUtf8(ByteView in, std::string* out);

// Encodes UTF-8 as UTF-16LE, appending to out. Invalid UTF-8 sequences become U+FFFD.
void Utf8ToUtf16Le(std::string_view in, Bytes* out);

bool IsValidUtf8(std::string_view s);

// Number of UTF-16 code units the text takes: SQL Server's length of an nvarchar value
// (a supplementary character counts 2 outside _SC collations).
size_t Utf16Length(std::string_view utf8);

// Number of code points.
size_t CodePointCount(std::string_view utf8);

// Byte length of the first `n` characters of `utf8`, counted as code points, or as UTF-16 code
// units when `utf16_units` (then a surrogate pair is never split: a supplementary character that
// would straddle the limit is left out).
size_t PrefixBytes(std::string_view utf8, int64_t n, bool utf16_units);

// Decodes one code point at s[*pos], advancing *pos; invalid bytes decode as U+FFFD, one byte each.
char32_t NextCodePoint(std::string_view s, size_t* pos);
void AppendUtf8(char32_t cp, std::string* out);

// CP1252 (Windows-1252), the code page of SQL_Latin1_General_CP1_CI_AS.
// Characters with no CP1252 form become '?', as SQL Server does when storing into varchar.
std::string Utf8ToCp1252(std::string_view utf8);
std::string Cp1252ToUtf8(std::string_view cp1252);
// True if every character has a CP1252 form.
bool FitsCp1252(std::string_view utf8);
// UTF-8 text with every character that has no CP1252 form replaced by '?' (what a varchar holds).
std::string ToVarcharRepertoire(std::string_view utf8);

}  // namespace edgesql::utf
