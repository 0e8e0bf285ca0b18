// Conversions from and to the character types, and ToDisplayString.
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/errors.h"
#include "common/utf.h"
#include "types/convert_internal.h"
#include "types/guid.h"

namespace edgesql {
namespace convert_internal {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

int64_t CharLength(std::string_view s, bool unicode) {
  return static_cast<int64_t>(unicode ? utf::Utf16Length(s) : utf::CodePointCount(s));
}

void FixExponent(std::string* s) {
  // SQL Server writes three exponent digits: 1e+020, 1.23457e-005.
  size_t e = s->find('e');
  if (e == std::string::npos || e + 2 > s->size()) return;
  size_t digits = s->size() - (e + 2);
  if (digits < 3) s->insert(e + 2, 3 - digits, '0');
}

std::string FormatFloat(double v, int style) {
  // "float and real styles": 0 at most 6 significant digits with scientific notation when
  // appropriate (C's %g rule); 1 always 8 digits, 2 always 16, 3 always 17, in scientific form.
  char buf[64];
  switch (style) {
    case 1:
      std::snprintf(buf, sizeof buf, "%.7e", v);
      break;
    case 2:
    case 126:
      std::snprintf(buf, sizeof buf, "%.15e", v);
      break;
    case 3:
    case 128:
    case 129:
      std::snprintf(buf, sizeof buf, "%.16e", v);
      break;
    default:
      std::snprintf(buf, sizeof buf, "%.6g", v);
      break;
  }
  std::string s(buf);
  FixExponent(&s);
  return s;
}

std::string FormatMoney(const Decimal& v, int style) {
  // "money and smallmoney styles": 0 two decimals, 1 two decimals with thousands separators,
  // 2 and 126 four decimals.
  int decimals = (style == 2 || style == 126) ? 4 : 2;
  std::string s = v.Rescale(decimals)->ToString();
  if (style != 1) return s;
  size_t start = s[0] == '-' ? 1 : 0;
  size_t point = s.find('.');
  std::string out = s.substr(0, start);
  std::string int_part = s.substr(start, point - start);
  for (size_t i = 0; i < int_part.size(); ++i) {
    if (i > 0 && (int_part.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(int_part[i]);
  }
  return out + s.substr(point);
}

std::string Hex(std::string_view bytes, bool prefix) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = prefix ? "0x" : "";
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

// Binary bytes read as characters: varchar bytes are CP1252; nvarchar bytes are UTF-16LE, an odd
// final byte taking a zero high byte (CAST(0x41 AS nvarchar) is N'A').
std::string BytesAsText(std::string_view bytes, bool unicode) {
  if (!unicode) return utf::Cp1252ToUtf8(bytes);
  std::string out;
  size_t n = bytes.size();
  for (size_t i = 0; i < n; i += 2) {
    char32_t u =
        static_cast<uint8_t>(bytes[i]) | (i + 1 < n ? static_cast<uint8_t>(bytes[i + 1]) << 8 : 0);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
      char32_t lo = static_cast<uint8_t>(bytes[i + 2]) | static_cast<uint8_t>(bytes[i + 3]) << 8;
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        utf::AppendUtf8(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00), &out);
        i += 2;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) u = 0xFFFD;  // an unpaired surrogate cannot be stored
    utf::AppendUtf8(u, &out);
  }
  return out;
}

// The digits of an integer string ([+|-]digits, '' and a bare sign reading as 0) into *v.
// Returns false on bad syntax; *overflow when it does not fit int64.
bool ParseIntegerText(std::string_view s, int64_t* v, bool* overflow) {
  *overflow = false;
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  __int128 acc = 0;
  for (; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return false;
    if (!*overflow) {
      acc = acc * 10 + (s[i] - '0');
      if (acc > static_cast<__int128>(INT64_MAX) + 1) *overflow = true;
    }
  }
  if (*overflow) return true;
  if (neg) acc = -acc;
  if (acc > INT64_MAX || acc < INT64_MIN) {
    *overflow = true;
    return true;
  }
  *v = static_cast<int64_t>(acc);
  return true;
}

bool ParseFloatText(std::string_view s, double* v) {
  // [+|-] (digits [. digits] | . digits) [e [+|-] digits]; no inf, nan or hex forms.
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t mant = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++mant;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && IsDigit(s[i])) ++i, ++mant;
  }
  if (mant == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp = 0;
    while (i < s.size() && IsDigit(s[i])) ++i, ++exp;
    if (exp == 0) return false;
  }
  if (i != s.size()) return false;
  *v = std::strtod(std::string(s).c_str(), nullptr);
  return true;
}

// money accepts a currency symbol and thousands separators: CAST('$1,000.50' AS money).
bool ParseMoneyText(std::string_view s, Decimal* out, bool* overflow) {
  *overflow = false;
  std::string digits;
  bool neg = false;
  bool sign_seen = false;
  size_t i = 0;
  auto take_sign = [&] {
    if (!sign_seen && i < s.size() && (s[i] == '+' || s[i] == '-')) {
      neg = s[i] == '-';
      sign_seen = true;
      ++i;
    }
  };
  take_sign();
  // A currency symbol: '$' or a non-ASCII symbol such as € £ ¥.
  if (i < s.size() && s[i] == '$') {
    ++i;
  } else if (i < s.size() && static_cast<unsigned char>(s[i]) >= 0x80) {
    size_t next = i;
    char32_t c = utf::NextCodePoint(s, &next);
    bool currency =
        c == 0xA2 || c == 0xA3 || c == 0xA4 || c == 0xA5 || (c >= 0x20A0 && c <= 0x20CF);
    if (!currency) return false;
    i = next;
  }
  while (i < s.size() && IsSpace(s[i])) ++i;
  take_sign();
  bool any = false;
  bool point = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (IsDigit(c)) {
      digits.push_back(c);
      any = true;
    } else if (c == ',' && !point) {
      continue;
    } else if (c == '.' && !point) {
      point = true;
      digits.push_back('.');
    } else {
      return false;
    }
  }
  if (!any) {
    if (!digits.empty() && digits != ".") return false;
    digits = "0";
  }
  if (neg) digits.insert(digits.begin(), '-');
  Decimal::ParseStatus st = Decimal::ParseRounded(digits, 4, out);
  if (st == Decimal::ParseStatus::kOverflow) *overflow = true;
  return st != Decimal::ParseStatus::kSyntax;
}

Result<Value> TextToInteger(std::string_view raw, const SqlType& src, const SqlType& target) {
  std::string_view s = Trim(raw);
  if (target.id == TypeId::kBit) {
    // bit accepts TRUE and FALSE ("bit (Transact-SQL)") and integers, nonzero being 1.
    if (EqualsIgnoreCase(s, "true")) return Value::Int(target, 1);
    if (EqualsIgnoreCase(s, "false")) return Value::Int(target, 0);
  }
  int64_t v = 0;
  bool overflow = false;
  if (!ParseIntegerText(s, &v, &overflow)) {
    return errors::Make(errors::kConversionFailed, {src.Name(), raw, target.Name()});
  }
  if (target.id == TypeId::kBit) return Value::Int(target, overflow || v != 0 ? 1 : 0);
  bool fits = !overflow;
  if (fits && target.id == TypeId::kTinyInt) fits = v >= 0 && v <= 255;
  if (fits && target.id == TypeId::kSmallInt) fits = v >= INT16_MIN && v <= INT16_MAX;
  if (fits && target.id == TypeId::kInt) fits = v >= INT32_MIN && v <= INT32_MAX;
  if (!fits) {
    switch (target.id) {
      case TypeId::kTinyInt:
        return errors::Make(errors::kStringOverflowedSmallInt, {src.Name(), raw, "INT1"});
      case TypeId::kSmallInt:
        return errors::Make(errors::kStringOverflowedSmallInt, {src.Name(), raw, "INT2"});
      case TypeId::kInt:
        return errors::Make(errors::kStringOverflowedInt, {src.Name(), raw});
      default:
        return Overflow("expression", target);
    }
  }
  return Value::Int(target, v);
}

Result<Value> TextToDateTime(std::string_view raw, const SqlType& src, const SqlType& target,
                             const ConversionContext& ctx) {
  bool legacy = target.id == TypeId::kDateTime || target.id == TypeId::kSmallDateTime;
  auto failed = [&]() -> SqlError {
    if (target.id == TypeId::kSmallDateTime) {
      return errors::Make(errors::kSmallDateTimeConversionFailed);
    }
    return errors::Make(errors::kDateTimeConversionFailed);
  };
  bool out_of_range = false;
  std::optional<datetime::ParsedDateTime> p =
      datetime::Parse(raw, ctx.dates, target.id, &out_of_range);
  if (!p) {
    // datetime and smalldatetime report an impossible calendar date as out of range (242).
    if (out_of_range && legacy) {
      return errors::Make(errors::kDateTimeOutOfRange, {src.Name(), target.Name()});
    }
    return failed();
  }
  // datetime and smalldatetime take at most three fractional digits and no offset (the 'Z' of
  // ISO 8601 style 127 excepted).
  if (legacy && (p->fraction_digits > 3 || (p->has_offset && !p->utc_designator))) {
    return failed();
  }
  int64_t days = p->has_date ? p->days : datetime::kDays1900;
  int64_t local = days * kTicksPerDay + (p->has_time ? p->ticks : 0);
  if (target.id == TypeId::kDateTimeOffset) {
    int64_t t = datetime::RoundTicks(local, target);
    int64_t utc = t - static_cast<int64_t>(p->offset_minutes) * 60 * kTicksPerSecond;
    int64_t max = datetime::MaxTicks(TypeId::kDateTimeOffset);
    if (t > max || utc < 0 || utc > max) {
      return errors::Make(errors::kDateTimeOutOfRange, {src.Name(), target.Name()});
    }
    return Value::Dto(target, DateTimeOffset{utc, p->offset_minutes});
  }
  // Every other type keeps the local date and time ("DATE + TIME + TIMEZONE: the DATE part of
  // local DATETIME will be used").
  Result<Value> r = ToDateTime(Value::Int(SqlType::DateTime2(7), local), target);
  if (!r.ok() && r.error().number == errors::kDateTimeOutOfRange) {
    return errors::Make(errors::kDateTimeOutOfRange, {src.Name(), target.Name()});
  }
  return r;
}

}  // namespace

Result<Value> FinishText(std::string text, const SqlType& target, const ConversionContext& ctx) {
  bool unicode = target.IsUnicode();
  if (!unicode) text = utf::ToVarcharRepertoire(text);
  if (target.IsMax()) return Value::Str(target, std::move(text));
  int64_t n = target.length;
  int64_t len = CharLength(text, unicode);
  if (len > n) {
    size_t cut = utf::PrefixBytes(text, n, unicode);
    std::string_view tail = std::string_view(text).substr(cut);
    // On assignment SQL Server raises 2628 unless only trailing blanks are lost.
    if (ctx.kind == ConversionKind::kAssignment &&
        tail.find_first_not_of(' ') != std::string::npos) {
      return errors::Make(errors::kStringTruncated,
                          {ctx.table_name, ctx.column_name, std::string_view(text).substr(0, cut)});
    }
    text.resize(cut);
    len = CharLength(text, unicode);
  }
  if (target.IsFixedLength() && len < n) text.append(static_cast<size_t>(n - len), ' ');
  return Value::Str(target, std::move(text));
}

Result<Value> ToText(const Value& v, const SqlType& target, const ConversionContext& ctx) {
  const SqlType& src = v.type();
  std::string text;
  if (src.IsString()) {
    text = v.AsString();
  } else if (src.IsBinary()) {
    // "Binary styles": 0 translates bytes to characters, 1 gives "0x" and hex digits, 2 hex only.
    if (ctx.style == 1 || ctx.style == 2) {
      text = Hex(v.AsString(), ctx.style == 1);
    } else if (ctx.style == 0) {
      text = BytesAsText(v.AsString(), target.IsUnicode());
    } else {
      return errors::Make(errors::kErrorConvertingDataType, {src.Name(), target.Name()});
    }
  } else if (src.IsDateTime()) {
    std::optional<std::string> s = datetime::FormatStyle(v, ctx.style);
    if (!s) {
      std::string style = std::to_string(ctx.style);
      return errors::Make(errors::kInvalidDateStyle, {style, src.Name()});
    }
    text = std::move(*s);
  } else if (src.id == TypeId::kUniqueIdentifier) {
    text = guid::ToString(v.AsGuid());
    if (!target.IsMax() && target.length < 36) return errors::Make(errors::kGuidResultSpace);
  } else {
    // Numbers. "Truncating and rounding results": int, smallint and tinyint into a too-short
    // char/varchar give '*'; every other number, or an nchar/nvarchar target, is an error.
    text = ToDisplayString(v, ctx.style);
    if (!target.IsMax() && static_cast<int64_t>(text.size()) > target.length) {
      bool star =
          (src.id == TypeId::kInt || src.id == TypeId::kSmallInt || src.id == TypeId::kTinyInt) &&
          !target.IsUnicode();
      if (!star) {
        std::string_view from = src.IsInteger() ? std::string_view("expression") : MessageName(src);
        return Overflow(from, target);
      }
      ConversionContext explicit_ctx;
      return FinishText("*", target, explicit_ctx);
    }
  }
  return FinishText(std::move(text), target, ctx);
}

Result<Value> FromText(const Value& v, const SqlType& target, const ConversionContext& ctx) {
  const SqlType& src = v.type();
  const std::string& raw = v.AsString();
  switch (target.id) {
    case TypeId::kBit:
    case TypeId::kTinyInt:
    case TypeId::kSmallInt:
    case TypeId::kInt:
    case TypeId::kBigInt:
      return TextToInteger(raw, src, target);
    case TypeId::kDecimal:
    case TypeId::kNumeric: {
      // An empty string does not convert to decimal ("CAST and CONVERT").
      Decimal d;
      Decimal::ParseStatus st = Decimal::ParseRounded(Trim(raw), target.scale, &d);
      if (st == Decimal::ParseStatus::kSyntax) {
        return errors::Make(errors::kErrorConvertingDataType, {src.Name(), "numeric"});
      }
      if (st == Decimal::ParseStatus::kOverflow || !d.FitsPrecision(target.precision)) {
        return Overflow(src.Name(), target);
      }
      return Value::Dec(target, d);
    }
    case TypeId::kMoney:
    case TypeId::kSmallMoney: {
      Decimal d;
      bool overflow = false;
      if (!ParseMoneyText(Trim(raw), &d, &overflow)) {
        return errors::Make(target.id == TypeId::kMoney ? errors::kMoneySyntax
                                                        : errors::kSmallMoneySyntax);
      }
      if (overflow) return Overflow("expression", target);
      return FromDecimal(d, SqlType::Money(), target);
    }
    case TypeId::kReal:
    case TypeId::kFloat: {
      std::string_view s = Trim(raw);
      double d = 0;
      if (!s.empty() && !ParseFloatText(s, &d)) {
        return errors::Make(errors::kErrorConvertingDataType, {src.Name(), target.Name()});
      }
      if (!std::isfinite(d) || (target.id == TypeId::kReal && std::fabs(d) > FLT_MAX)) {
        return Overflow("expression", target);
      }
      return Value::Float(target, target.id == TypeId::kReal ? static_cast<float>(d) : d);
    }
    case TypeId::kUniqueIdentifier: {
      // "uniqueidentifier": characters beyond the 36 of the GUID form are truncated.
      std::string_view s = raw;
      size_t keep = !s.empty() && s.front() == '{' ? 38 : 36;
      if (s.size() > keep) s = s.substr(0, keep);
      std::optional<Guid> g = guid::Parse(s);
      if (!g) return errors::Make(errors::kGuidConversionFailed);
      return Value::Uuid(*g);
    }
    default:
      return TextToDateTime(raw, src, target, ctx);
  }
}

}  // namespace convert_internal

std::string ToDisplayString(const Value& value, int style) {
  if (value.is_null()) return "";
  const SqlType& t = value.type();
  if (t.IsString()) return value.AsString();
  if (t.IsBinary()) {
    if (style == 1 || style == 2) return convert_internal::Hex(value.AsString(), style == 1);
    return convert_internal::BytesAsText(value.AsString(), true);
  }
  if (t.IsDateTime()) {
    std::optional<std::string> s = datetime::FormatStyle(value, style);
    return s ? *s : datetime::FormatDefault(value);
  }
  if (t.id == TypeId::kUniqueIdentifier) return guid::ToString(value.AsGuid());
  if (t.id == TypeId::kMoney || t.id == TypeId::kSmallMoney) {
    return convert_internal::FormatMoney(value.AsDecimal(), style);
  }
  if (t.IsApproxNumeric()) return convert_internal::FormatFloat(value.AsDouble(), style);
  if (t.IsDecimalLike()) return value.AsDecimal().ToString();
  return std::to_string(value.AsInt());
}

}  // namespace edgesql
