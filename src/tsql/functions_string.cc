// Runtime library: LIKE and the string functions, with SQL Server's semantics under
// SQL_Latin1_General_CP1_CI_AS (LEN ignores trailing spaces, CHARINDEX and REPLACE match
// case-insensitively, CONCAT treats NULL as empty, ...).
//
// Text arrives as UTF-8 TEXT and binary as BLOB; positions and lengths count characters (code
// points) for text and bytes for binary. (SQL Server counts UTF-16 code units for nvarchar, so a
// supplementary character counts 2 there and 1 here.)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "common/utf.h"
#include "tsql/functions_internal.h"
#include "types/collation.h"

namespace edgesql::tsql::runtime {
namespace {

std::u32string Decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) out.push_back(utf::NextCodePoint(s, &pos));
  return out;
}

std::string Encode(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) utf::AppendUtf8(c, &out);
  return out;
}

// Case folding for the CI_AS searches: the upper case of each character, one for one.
char32_t Fold(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  std::string one;
  utf::AppendUtf8(c, &one);
  std::string up = collation::Upper(one);
  size_t pos = 0;
  char32_t r = utf::NextCodePoint(up, &pos);
  return pos == up.size() ? r : c;
}

std::u32string FoldAll(std::u32string_view s) {
  std::u32string out(s);
  for (char32_t& c : out) c = Fold(c);
  return out;
}

bool IsText(sqlite3_value* v) { return sqlite3_value_type(v) == SQLITE_TEXT; }

// Raw content of a text or binary argument.
std::string_view Bytes(sqlite3_value* v) { return IsText(v) ? Text(v) : Blob(v); }

void SameKind(sqlite3_context* ctx, sqlite3_value* like, std::string_view s) {
  if (IsText(like)) {
    ResultText(ctx, s);
  } else {
    ResultBlob(ctx, s);
  }
}

bool AnyNull(int argc, sqlite3_value** argv) {
  for (int i = 0; i < argc; ++i) {
    if (IsNull(argv[i])) return true;
  }
  return false;
}

// es_like(text, pattern, unicode [, escape])
void Like(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[1]) || (argc > 3 && IsNull(argv[3]))) {
    return sqlite3_result_null(ctx);
  }
  char32_t escape = 0;
  if (argc > 3) {
    std::string_view e = Text(argv[3]);
    if (utf::CodePointCount(e) != 1) {
      return Raise(ctx, errors::Make(errors::kInvalidEscapeChar, {e, "LIKE"}));
    }
    size_t pos = 0;
    escape = utf::NextCodePoint(e, &pos);
  }
  bool unicode = Int64(argv[2]) != 0;
  sqlite3_result_int(ctx, collation::Like(Text(argv[0]), Text(argv[1]), escape, unicode) ? 1 : 0);
}

void Len(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(ctx);
  if (!IsText(argv[0]))
    return sqlite3_result_int64(ctx, static_cast<int64_t>(Blob(argv[0]).size()));
  std::string_view s = Text(argv[0]);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  sqlite3_result_int64(ctx, static_cast<int64_t>(utf::Utf16Length(s)));
}

// es_datalength(value, type): bytes SQL Server uses for the value.
void DataLength(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(ctx);
  std::optional<SqlType> t = ArgType(ctx, argv[1]);
  if (!t) return;
  int64_t n = 0;
  if (t->IsUnicode()) {
    n = 2 * static_cast<int64_t>(utf::Utf16Length(Text(argv[0])));
  } else if (t->IsString()) {
    n = static_cast<int64_t>(utf::CodePointCount(Text(argv[0])));
  } else if (t->IsBinary()) {
    n = static_cast<int64_t>(Blob(argv[0]).size());
  } else {
    n = t->MaxByteSize();
  }
  sqlite3_result_int64(ctx, n);
}

// SUBSTRING semantics on [start, start + length): characters before 1 are skipped.
template <typename S>
S Slice(const S& s, int64_t start, int64_t length) {
  // Exclusive, 1-based; saturating (SUBSTRING(s, 9223372036854775807, 10) is empty, not UB).
  int64_t end = 0;
  if (__builtin_add_overflow(start, length, &end)) end = INT64_MAX;
  int64_t from = std::max<int64_t>(start, 1);
  int64_t to = std::min<int64_t>(end, static_cast<int64_t>(s.size()) + 1);
  if (to <= from) return S();
  return s.substr(static_cast<size_t>(from - 1), static_cast<size_t>(to - from));
}

void Substring(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (AnyNull(3, argv)) return sqlite3_result_null(ctx);
  int64_t start = Int64(argv[1]);
  int64_t length = Int64(argv[2]);
  if (length < 0) return Raise(ctx, errors::Make(errors::kInvalidLengthLeftSubstring));
  if (IsText(argv[0])) return ResultText(ctx, Encode(Slice(Decode(Text(argv[0])), start, length)));
  ResultBlob(ctx, Slice(std::string(Blob(argv[0])), start, length));
}

template <bool kLeft>
void LeftRight(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (AnyNull(2, argv)) return sqlite3_result_null(ctx);
  int64_t n = Int64(argv[1]);
  if (n < 0) {
    return Raise(ctx, errors::Make(kLeft ? errors::kInvalidLengthLeftSubstring
                                         : errors::kInvalidLengthRight));
  }
  if (IsText(argv[0])) {
    std::u32string s = Decode(Text(argv[0]));
    size_t k = static_cast<size_t>(std::min<int64_t>(n, static_cast<int64_t>(s.size())));
    return ResultText(ctx, Encode(kLeft ? s.substr(0, k) : s.substr(s.size() - k)));
  }
  std::string_view b = Blob(argv[0]);
  size_t k = static_cast<size_t>(std::min<int64_t>(n, static_cast<int64_t>(b.size())));
  ResultBlob(ctx, kLeft ? b.substr(0, k) : b.substr(b.size() - k));
}

template <bool kUpper>
void Case(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(ctx);
  ResultText(ctx, kUpper ? collation::Upper(Text(argv[0])) : collation::Lower(Text(argv[0])));
}

void Reverse(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(ctx);
  std::u32string s = Decode(Text(argv[0]));
  std::reverse(s.begin(), s.end());
  ResultText(ctx, Encode(s));
}

// LTRIM/RTRIM/TRIM: spaces, or any character of the optional second argument.
template <bool kLeft, bool kRight>
void Trim(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(ctx);
  std::u32string s = Decode(Text(argv[0]));
  std::u32string chars = argc > 1 ? FoldAll(Decode(Text(argv[1]))) : std::u32string(U" ");
  auto strip = [&](char32_t c) { return chars.find(Fold(c)) != std::u32string::npos; };
  size_t b = 0;
  size_t e = s.size();
  if (kLeft) {
    while (b < e && strip(s[b])) ++b;
  }
  if (kRight) {
    while (e > b && strip(s[e - 1])) --e;
  }
  ResultText(ctx, Encode(std::u32string_view(s).substr(b, e - b)));
}

// Case-insensitive search of `find` in `s` from `from` (0-based); npos if absent.
size_t FindCi(const std::u32string& s_folded, const std::u32string& find_folded, size_t from) {
  if (find_folded.empty()) return std::u32string::npos;
  return s_folded.find(find_folded, from);
}

// s with every occurrence of `find` (compared under CI_AS) replaced.
std::u32string ReplaceAll(const std::u32string& s, const std::u32string& find,
                          const std::u32string& with) {
  if (find.empty()) return s;
  std::u32string fs = FoldAll(s);
  std::u32string ff = FoldAll(find);
  std::u32string out;
  size_t pos = 0;
  while (true) {
    size_t hit = FindCi(fs, ff, pos);
    if (hit == std::u32string::npos) break;
    out.append(s, pos, hit - pos);
    out.append(with);
    pos = hit + find.size();
  }
  out.append(s, pos, std::u32string::npos);
  return out;
}

// es_replace(s, find, with [, find2, with2 ...]): REPLACE, and nested REPLACE(REPLACE(s, f, w),
// f2, w2) as one call (the emitter's chain form); NULL if any argument is.
void Replace(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(ctx);
  if (argc == 3 && Text(argv[1]).empty()) return ResultText(ctx, Text(argv[0]));
  std::u32string s = Decode(Text(argv[0]));
  for (int i = 1; i + 1 < argc; i += 2) {
    s = ReplaceAll(s, Decode(Text(argv[i])), Decode(Text(argv[i + 1])));
  }
  ResultText(ctx, Encode(s));
}

void Translate(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (AnyNull(3, argv)) return sqlite3_result_null(ctx);
  std::u32string s = Decode(Text(argv[0]));
  std::u32string from = FoldAll(Decode(Text(argv[1])));
  std::u32string to = Decode(Text(argv[2]));
  if (from.size() != to.size()) {
    // Not in the common catalog (its only user is here).
    return Raise(ctx, errors::MakeUser(9828, 16, 1,
                                       "The second and third arguments of the TRANSLATE built-in "
                                       "function must contain an equal number of characters."));
  }
  for (char32_t& c : s) {
    size_t k = from.find(Fold(c));
    if (k != std::u32string::npos) c = to[k];
  }
  ResultText(ctx, Encode(s));
}

void Replicate(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (AnyNull(2, argv)) return sqlite3_result_null(ctx);
  int64_t n = Int64(argv[1]);
  if (n < 0) return sqlite3_result_null(ctx);
  std::string_view s = Bytes(argv[0]);
  if (static_cast<double>(s.size()) * static_cast<double>(n) > 1e9) {
    return Raise(ctx, errors::Make(errors::kRequestTooLarge, {"1000000000", "REPLICATE"}));
  }
  std::string out;
  out.reserve(s.size() * static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out.append(s);
  SameKind(ctx, argv[0], out);
}

// STUFF(s, start, length, replacement): NULL when start is outside 1..len(s) or length < 0.
void Stuff(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[1]) || IsNull(argv[2])) return sqlite3_result_null(ctx);
  int64_t start = Int64(argv[1]);
  int64_t length = Int64(argv[2]);
  if (IsText(argv[0])) {
    std::u32string s = Decode(Text(argv[0]));
    if (start < 1 || start > static_cast<int64_t>(s.size()) || length < 0) {
      return sqlite3_result_null(ctx);
    }
    std::u32string r = IsNull(argv[3]) ? std::u32string() : Decode(Text(argv[3]));
    size_t from = static_cast<size_t>(start - 1);
    size_t n =
        static_cast<size_t>(std::min<int64_t>(length, static_cast<int64_t>(s.size() - from)));
    s.replace(from, n, r);
    return ResultText(ctx, Encode(s));
  }
  std::string s(Blob(argv[0]));
  if (start < 1 || start > static_cast<int64_t>(s.size()) || length < 0) {
    return sqlite3_result_null(ctx);
  }
  size_t from = static_cast<size_t>(start - 1);
  size_t n = static_cast<size_t>(std::min<int64_t>(length, static_cast<int64_t>(s.size() - from)));
  s.replace(from, n, IsNull(argv[3]) ? std::string_view() : Blob(argv[3]));
  ResultBlob(ctx, s);
}

void Concat(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    if (!IsNull(argv[i])) out.append(Text(argv[i]));
  }
  ResultText(ctx, out);
}

// es_concat_null(a, b, ...): + on strings with CONCAT_NULL_YIELDS_NULL OFF: NULL operands are
// empty strings, and the result is NULL only when every operand is.
void ConcatNull(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  std::string out;
  bool all_null = true;
  for (int i = 0; i < argc; ++i) {
    if (IsNull(argv[i])) continue;
    all_null = false;
    out.append(Text(argv[i]));
  }
  if (all_null) return sqlite3_result_null(ctx);
  ResultText(ctx, out);
}

// es_concat_ws(sep, ...): CONCAT_WS. es_concat_ws_null(sep, ...) is the same but NULL when every
// argument after the separator is NULL: a group of a CONCAT_WS longer than a SQLite call takes.
template <bool kNullIfAllNull>
void ConcatWs(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  std::string_view sep = IsNull(argv[0]) ? std::string_view() : Text(argv[0]);
  std::string out;
  bool first = true;
  for (int i = 1; i < argc; ++i) {
    if (IsNull(argv[i])) continue;
    if (!first) out.append(sep);
    out.append(Text(argv[i]));
    first = false;
  }
  if (kNullIfAllNull && first) return sqlite3_result_null(ctx);
  ResultText(ctx, out);
}

void Space(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(ctx);
  int64_t n = Int64(argv[0]);
  if (n < 0) return sqlite3_result_null(ctx);
  ResultText(ctx, std::string(static_cast<size_t>(std::min<int64_t>(n, 8000)), ' '));
}

// v with `decimals` digits after the point, a tie rounded away from zero as STR does (printf
// alone rounds ties to even: STR(2.5) would be 2).
std::string Fixed(double v, int decimals) {
  double scale = std::pow(10.0, decimals);
  double scaled = v * scale;
  if (std::fabs(scaled) < 4503599627370496.0) v = std::round(scaled) / scale;  // below 2^52
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// STR(float [, length [, decimal]]): right-aligned, rounded; asterisks when it does not fit.
void Str(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(ctx);
  double v = sqlite3_value_double(argv[0]);
  int64_t length = argc > 1 ? Int64(argv[1]) : 10;
  int64_t decimals = argc > 2 ? Int64(argv[2]) : 0;
  if (length <= 0 || length > 8000 || decimals < 0) return sqlite3_result_null(ctx);
  decimals = std::min<int64_t>(decimals, 16);
  std::string s = Fixed(v, static_cast<int>(decimals));
  if (static_cast<int64_t>(s.size()) > length) {
    // Fewer decimals if the integer part fits.
    size_t dot = s.find('.');
    int64_t int_len = static_cast<int64_t>(dot == std::string::npos ? s.size() : dot);
    if (int_len > length) return ResultText(ctx, std::string(static_cast<size_t>(length), '*'));
    int64_t d = std::max<int64_t>(0, length - int_len - 1);
    s = Fixed(v, static_cast<int>(d));
    if (static_cast<int64_t>(s.size()) > length) {
      return ResultText(ctx, std::string(static_cast<size_t>(length), '*'));
    }
  }
  ResultText(ctx, std::string(static_cast<size_t>(length) - s.size(), ' ') + s);
}

void Ascii(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || Text(argv[0]).empty()) return sqlite3_result_null(ctx);
  std::string_view s = Text(argv[0]);
  size_t pos = 0;
  char32_t c = utf::NextCodePoint(s, &pos);
  std::string one;
  utf::AppendUtf8(c, &one);
  std::string cp = utf::Utf8ToCp1252(one);
  sqlite3_result_int(ctx, cp.empty() ? 63 : static_cast<unsigned char>(cp[0]));
}

void Unicode(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || Text(argv[0]).empty()) return sqlite3_result_null(ctx);
  size_t pos = 0;
  sqlite3_result_int64(ctx, utf::NextCodePoint(Text(argv[0]), &pos));
}

void Char(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(ctx);
  int64_t n = Int64(argv[0]);
  if (n < 0 || n > 255) return sqlite3_result_null(ctx);
  ResultText(ctx, utf::Cp1252ToUtf8(std::string(1, static_cast<char>(n))));
}

void NChar(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_null(ctx);
  int64_t n = Int64(argv[0]);
  if (n < 0 || n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) return sqlite3_result_null(ctx);
  std::string out;
  utf::AppendUtf8(static_cast<char32_t>(n), &out);
  ResultText(ctx, out);
}

// CHARINDEX(find, s [, start]): 1-based position of the first case-insensitive match, or 0.
void CharIndex(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(ctx);
  std::u32string find = FoldAll(Decode(Text(argv[0])));
  std::u32string s = FoldAll(Decode(Text(argv[1])));
  int64_t start = argc > 2 ? Int64(argv[2]) : 1;
  size_t from = start > 1 ? static_cast<size_t>(start - 1) : 0;
  if (find.empty() || from >= s.size()) return sqlite3_result_int64(ctx, 0);
  size_t hit = FindCi(s, find, from);
  sqlite3_result_int64(ctx, hit == std::u32string::npos ? 0 : static_cast<int64_t>(hit + 1));
}

// PATINDEX(pattern, s): the first position where `pattern` (a LIKE pattern, usually '%x%')
// matches; the pattern's leading % is what lets the match start anywhere.
void PatIndex(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0]) || IsNull(argv[1])) return sqlite3_result_null(ctx);
  std::string_view pattern = Text(argv[0]);
  std::string_view s = Text(argv[1]);
  bool unicode = Int64(argv[2]) != 0;
  if (pattern.empty() || pattern[0] != '%') {
    return sqlite3_result_int64(ctx, collation::Like(s, pattern, 0, unicode) ? 1 : 0);
  }
  std::string_view rest = pattern.substr(1);
  size_t pos = 0;
  int64_t index = 1;
  while (pos <= s.size()) {
    if (pos < s.size() || rest.empty()) {
      if (collation::Like(s.substr(pos), rest, 0, unicode)) return sqlite3_result_int64(ctx, index);
    }
    if (pos == s.size()) break;
    utf::NextCodePoint(s, &pos);
    ++index;
  }
  sqlite3_result_int64(ctx, 0);
}

// QUOTENAME(s [, quote]): delimits with [] (default), "" or ''; NULL for other quote characters
// or input over 128 characters.
void QuoteName(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (AnyNull(argc, argv)) return sqlite3_result_null(ctx);
  std::string_view s = Text(argv[0]);
  if (utf::Utf16Length(s) > 128) return sqlite3_result_null(ctx);
  char open = '[';
  if (argc > 1) {
    std::string_view q = Text(argv[1]);
    if (q.size() != 1) return sqlite3_result_null(ctx);
    open = q[0];
  }
  char close;
  switch (open) {
    case '[':
    case ']':
      open = '[';
      close = ']';
      break;
    case '"':
      close = '"';
      break;
    case '\'':
      close = '\'';
      break;
    case '(':
    case ')':
      open = '(';
      close = ')';
      break;
    case '<':
    case '>':
      open = '<';
      close = '>';
      break;
    case '{':
    case '}':
      open = '{';
      close = '}';
      break;
    case '`':
      close = '`';
      break;
    default:
      return sqlite3_result_null(ctx);
  }
  std::string out(1, open);
  for (char c : s) {
    out.push_back(c);
    if (c == close) out.push_back(c);
  }
  out.push_back(close);
  ResultText(ctx, out);
}

// ISNUMERIC(s): 1 if the string converts to int, numeric, float or money. As in SQL Server a
// lone sign, currency symbol or decimal point counts.
void IsNumeric(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (IsNull(argv[0])) return sqlite3_result_int(ctx, 0);
  std::string_view s = Text(argv[0]);
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  if (s.empty()) return sqlite3_result_int(ctx, 0);
  size_t i = 0;
  bool currency = false;
  if (s[i] == '$') {
    currency = true;
    ++i;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (!currency && i < s.size() && s[i] == '$') ++i;
  size_t digits = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == ',')) {
    digits += s[i] != ',';
    ++i;
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      ++digits;
      ++i;
    }
  }
  if (i < s.size() && digits > 0 && (s[i] == 'e' || s[i] == 'E' || s[i] == 'd' || s[i] == 'D')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      ++exp;
      ++i;
    }
    if (exp == 0) return sqlite3_result_int(ctx, 0);
  }
  sqlite3_result_int(ctx, i == s.size() ? 1 : 0);
}

constexpr FunctionSpec kFunctions[] = {
    {"es_like", 3, Like},
    {"es_like", 4, Like},
    {"es_len", 1, Len},
    {"es_datalength", 2, DataLength},
    {"es_substring", 3, Substring},
    {"es_left", 2, LeftRight<true>},
    {"es_right", 2, LeftRight<false>},
    {"es_upper", 1, Case<true>},
    {"es_lower", 1, Case<false>},
    {"es_reverse", 1, Reverse},
    {"es_ltrim", 1, Trim<true, false>},
    {"es_ltrim", 2, Trim<true, false>},
    {"es_rtrim", 1, Trim<false, true>},
    {"es_rtrim", 2, Trim<false, true>},
    {"es_trim", 1, Trim<true, true>},
    {"es_trim", 2, Trim<true, true>},
    {"es_replace", -1, Replace},
    {"es_translate", 3, Translate},
    {"es_replicate", 2, Replicate},
    {"es_stuff", 4, Stuff},
    {"es_concat", -1, Concat},
    {"es_concat_null", -1, ConcatNull},
    {"es_concat_ws", -1, ConcatWs<false>},
    {"es_concat_ws_null", -1, ConcatWs<true>},
    {"es_space", 1, Space},
    {"es_str", 1, Str},
    {"es_str", 2, Str},
    {"es_str", 3, Str},
    {"es_ascii", 1, Ascii},
    {"es_unicode", 1, Unicode},
    {"es_char", 1, Char},
    {"es_nchar", 1, NChar},
    {"es_charindex", 2, CharIndex},
    {"es_charindex", 3, CharIndex},
    {"es_patindex", 3, PatIndex},
    {"es_quotename", 1, QuoteName},
    {"es_quotename", 2, QuoteName},
    {"es_isnumeric", 1, IsNumeric},
};

}  // namespace

namespace {

// es_string_agg(value, separator, limit, order, keys...): STRING_AGG, optionally WITHIN GROUP
// (ORDER BY keys). SQLite 3.40 has no ordered aggregates, so the rows are kept and sorted at the
// end (stably: ties keep their input order). NULL values are skipped with their separator; the
// result is NULL when no value was. limit: 0 none ((max) input), 1 varchar(8000), 2
// nvarchar(4000): past 8000 bytes is 9829. order: one letter per key, A/D comparing text under
// CI_AS and a/d natively; NULL keys sort first ascending and last descending.
struct AggKey {
  int type = SQLITE_NULL;
  int64_t i = 0;
  double d = 0;
  std::string bytes;
};

struct AggRow {
  std::string value;
  std::string separator;
  std::vector<AggKey> keys;
};

// In SQLite's zero-filled aggregate context: the vectors are allocated on the first row and
// freed by StringAggFinal (which SQLite also calls for a statement reset mid-aggregation).
struct StringAggState {
  std::vector<AggRow>* rows;
  std::string* order;
  int64_t limit;
};

int CompareKey(const AggKey& a, const AggKey& b, bool ci) {
  auto rank = [](int t) {
    return t == SQLITE_NULL ? 0 : t == SQLITE_TEXT ? 2 : t == SQLITE_BLOB ? 3 : 1;
  };
  int ra = rank(a.type);
  int rb = rank(b.type);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      if (a.type == SQLITE_INTEGER && b.type == SQLITE_INTEGER) {
        return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
      } else {
        double x = a.type == SQLITE_INTEGER ? static_cast<double>(a.i) : a.d;
        double y = b.type == SQLITE_INTEGER ? static_cast<double>(b.i) : b.d;
        return x < y ? -1 : x > y ? 1 : 0;
      }
    case 2:
      if (ci) return collation::Compare(a.bytes, b.bytes);
      [[fallthrough]];
    default: {
      int c = a.bytes.compare(b.bytes);
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
  }
}

void StringAggStep(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  auto* s = static_cast<StringAggState*>(sqlite3_aggregate_context(ctx, sizeof(StringAggState)));
  if (s == nullptr) return sqlite3_result_error_nomem(ctx);
  if (s->rows == nullptr) {
    s->rows = new std::vector<AggRow>();
    s->order = new std::string(IsNull(argv[3]) ? "" : std::string(Text(argv[3])));
    s->limit = Int64(argv[2]);
  }
  if (IsNull(argv[0])) return;
  AggRow row;
  row.value = std::string(Text(argv[0]));
  if (!IsNull(argv[1])) row.separator = std::string(Text(argv[1]));
  for (int i = 4; i < argc; ++i) {
    AggKey k;
    k.type = sqlite3_value_type(argv[i]);
    if (k.type == SQLITE_INTEGER) {
      k.i = sqlite3_value_int64(argv[i]);
    } else if (k.type == SQLITE_FLOAT) {
      k.d = sqlite3_value_double(argv[i]);
    } else if (k.type == SQLITE_TEXT) {
      k.bytes = std::string(Text(argv[i]));
    } else if (k.type == SQLITE_BLOB) {
      k.bytes = std::string(Blob(argv[i]));
    }
    row.keys.push_back(std::move(k));
  }
  s->rows->push_back(std::move(row));
}

void StringAggFinal(sqlite3_context* ctx) {
  auto* s = static_cast<StringAggState*>(sqlite3_aggregate_context(ctx, 0));
  if (s == nullptr || s->rows == nullptr) return sqlite3_result_null(ctx);
  std::unique_ptr<std::vector<AggRow>> rows(s->rows);
  std::unique_ptr<std::string> order(s->order);
  s->rows = nullptr;
  s->order = nullptr;
  if (rows->empty()) return sqlite3_result_null(ctx);
  if (!order->empty()) {
    std::stable_sort(rows->begin(), rows->end(), [&](const AggRow& a, const AggRow& b) {
      for (size_t k = 0; k < order->size() && k < a.keys.size() && k < b.keys.size(); ++k) {
        char o = (*order)[k];
        int c = CompareKey(a.keys[k], b.keys[k], o == 'A' || o == 'D');
        if (c != 0) return (o == 'D' || o == 'd') ? c > 0 : c < 0;
      }
      return false;
    });
  }
  std::string out;
  for (size_t i = 0; i < rows->size(); ++i) {
    if (i > 0) out.append((*rows)[i].separator);
    out.append((*rows)[i].value);
  }
  // varchar counts a byte per character (code page 1252), nvarchar two per UTF-16 unit.
  size_t bytes = s->limit == 2   ? 2 * utf::Utf16Length(out)
                 : s->limit == 1 ? utf::CodePointCount(out)
                                 : 0;
  if (bytes > 8000) {
    return Raise(ctx, errors::MakeUser(9829, 16, 1,
                                       "STRING_AGG aggregation result exceeded the limit of "
                                       "8000 bytes. Use LOB types to avoid result truncation."));
  }
  ResultText(ctx, out);
}

}  // namespace

Status RegisterStringFunctions(sqlite3* db, storage::SqliteConnection* conn) {
  EDGESQL_RETURN_IF_ERROR(RegisterAll(db, conn, kFunctions, std::size(kFunctions)));
  int rc = sqlite3_create_function_v2(db, "es_string_agg", -1, SQLITE_UTF8, conn, nullptr,
                                      StringAggStep, StringAggFinal, nullptr);
  if (rc != SQLITE_OK) {
    return errors::Make(errors::kInternalError, {"cannot register es_string_agg"});
  }
  return Status::Ok();
}

}  // namespace edgesql::tsql::runtime
