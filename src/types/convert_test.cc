#include "types/convert.h"

#include <gtest/gtest.h>

#include <iterator>
#include <random>

#include "common/errors.h"
#include "types/guid.h"

namespace edgesql {
namespace {

SqlType Dec(int p, int s) { return SqlType::Decimal(p, s); }

Value Str(const char* s) { return Value::VarChar(s); }
Value NStr(const char* s) { return Value::NVarChar(s); }
Value DecV(const char* s, int p, int scale) {
  return Value::Dec(Dec(p, scale), *Decimal::Parse(s)->Rescale(scale));
}
Value Money(const char* s) { return Value::Dec(SqlType::Money(), *Decimal::Parse(s)->Rescale(4)); }
Value Flt(double d) { return Value::Float(SqlType::Float(), d); }
Value Bin(std::string bytes) {
  int32_t n = static_cast<int32_t>(bytes.size());
  return Value::Str(SqlType::VarBinary(n == 0 ? 1 : n), std::move(bytes));
}

ConversionContext Style(int style) {
  ConversionContext c;
  c.style = style;
  return c;
}

// CONVERT(t, v, style), shown as CONVERT(nvarchar(max), result, show) shows it.
std::string Conv(const Value& v, const SqlType& t, int style, int show = 0) {
  Result<Value> r = Convert(v, t, Style(style));
  if (!r.ok()) return "error " + std::to_string(r.error().number) + ": " + r.error().message;
  return ToDisplayString(*r, show);
}

// CAST(v AS t), shown in style `show` (1 for binary as hex, 121 for datetime with milliseconds).
std::string Cast(const Value& v, const SqlType& t, int show = 0) { return Conv(v, t, 0, show); }

std::string Error(const Value& v, const SqlType& t, const ConversionContext& ctx = {}) {
  Result<Value> r = Convert(v, t, ctx);
  if (r.ok()) return "ok: " + ToDisplayString(*r);
  return std::to_string(r.error().number) + ": " + r.error().message;
}

TEST(ConvertTest, NullConvertsToNullOfTarget) {
  Result<Value> r = Convert(Value(), SqlType::Date());
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_null());
  EXPECT_EQ(r->type(), SqlType::Date());
}

TEST(ConvertTest, DecimalRounding) {
  // SELECT CAST(1.5 AS decimal(5,0)) = 2, CAST(2.5 ...) = 3: decimal rounds half away from zero.
  EXPECT_EQ(Cast(DecV("1.5", 2, 1), Dec(5, 0)), "2");
  EXPECT_EQ(Cast(DecV("2.5", 2, 1), Dec(5, 0)), "3");
  EXPECT_EQ(Cast(DecV("-2.5", 2, 1), Dec(5, 0)), "-3");
  EXPECT_EQ(Cast(DecV("10.3496847", 9, 7), SqlType::Money()), "10.35");  // $10.3497
  EXPECT_EQ(Cast(DecV("10.3496847", 9, 7), SqlType::Money(), 2), "10.3497");
  EXPECT_EQ(Cast(DecV("1.5", 2, 1), Dec(5, 3)), "1.500");
  // "Arithmetic overflow error converting numeric to data type numeric."
  EXPECT_EQ(Error(DecV("100.00", 5, 2), Dec(4, 2)),
            "8115: Arithmetic overflow error converting numeric to data type numeric.");
}

TEST(ConvertTest, NumericToIntegerTruncatesMoneyRounds) {
  // "numeric to int: Truncate"; CAST(10.6496 AS INT) = 10, CAST(-10.6496 AS INT) = -10.
  EXPECT_EQ(Cast(DecV("10.6496", 6, 4), SqlType::Int()), "10");
  EXPECT_EQ(Cast(DecV("-10.6496", 6, 4), SqlType::Int()), "-10");
  EXPECT_EQ(Cast(DecV("-1.5", 2, 1), SqlType::Int()), "-1");
  // "money to int: Round".
  EXPECT_EQ(Cast(Money("2.5"), SqlType::Int()), "3");
  EXPECT_EQ(Cast(Money("-2.5"), SqlType::Int()), "-3");
  // "float to int: Truncate".
  EXPECT_EQ(Cast(Flt(2.9), SqlType::Int()), "2");
  EXPECT_EQ(Cast(Flt(-2.9), SqlType::Int()), "-2");
  EXPECT_EQ(Cast(DecV("0.5", 1, 1), SqlType::Bit()), "1");
  EXPECT_EQ(Cast(Flt(0), SqlType::Bit()), "0");
}

TEST(ConvertTest, IntegerRanges) {
  EXPECT_EQ(Cast(Value::Integer(255), SqlType::TinyInt()), "255");
  EXPECT_EQ(Error(Value::Integer(256), SqlType::TinyInt()),
            "220: Arithmetic overflow error for data type tinyint, value = 256.");
  EXPECT_EQ(Error(Value::Integer(-1), SqlType::TinyInt()),
            "220: Arithmetic overflow error for data type tinyint, value = -1.");
  EXPECT_EQ(Error(Value::Integer(32770), SqlType::SmallInt()),
            "220: Arithmetic overflow error for data type smallint, value = 32770.");
  EXPECT_EQ(Error(Value::BigInteger(2147483648LL), SqlType::Int()),
            "8115: Arithmetic overflow error converting expression to data type int.");
  EXPECT_EQ(Cast(Value::Integer(5), SqlType::Bit()), "1");
  EXPECT_EQ(Cast(Value::Integer(-5), SqlType::Bit()), "1");
  // Float overflow into an integer type is error 232 with the value in %f form.
  EXPECT_EQ(Error(Value::Float(SqlType::Real(), 12345.12f), SqlType::TinyInt()),
            "232: Arithmetic overflow error for type tinyint, value = 12345.120117.");
  EXPECT_EQ(Error(Flt(1e10), SqlType::Int()),
            "232: Arithmetic overflow error for type int, value = 10000000000.000000.");
  EXPECT_EQ(Error(DecV("3000000000", 10, 0), SqlType::Int()),
            "8115: Arithmetic overflow error converting expression to data type int.");
}

TEST(ConvertTest, ToDecimalAndMoneyRanges) {
  EXPECT_EQ(Error(Value::Integer(1000), Dec(3, 0)),
            "8115: Arithmetic overflow error converting int to data type numeric.");
  EXPECT_EQ(Cast(Value::Integer(15), Dec(5, 2)), "15.00");
  EXPECT_EQ(Error(Value::Integer(15), Dec(3, 2)),
            "8115: Arithmetic overflow error converting int to data type numeric.");
  EXPECT_EQ(Error(Flt(1e20), Dec(10, 2)),
            "8115: Arithmetic overflow error converting float to data type numeric.");
  EXPECT_EQ(Cast(Flt(2.5), Dec(5, 0)), "3");  // "float to numeric: Round"
  EXPECT_EQ(Cast(Value::BigInteger(922337203685477LL), SqlType::Money()), "922337203685477.00");
  EXPECT_EQ(Error(Value::BigInteger(922337203685478LL), SqlType::Money()),
            "8115: Arithmetic overflow error converting expression to data type money.");
  EXPECT_EQ(Cast(DecV("214748.3647", 10, 4), SqlType::SmallMoney(), 2), "214748.3647");
  EXPECT_EQ(Error(DecV("214748.3648", 10, 4), SqlType::SmallMoney()),
            "8115: Arithmetic overflow error converting numeric to data type smallmoney.");
}

TEST(ConvertTest, FloatAndReal) {
  EXPECT_EQ(Cast(Value::Integer(3), SqlType::Float()), "3");
  Result<Value> r = Convert(Flt(0.1), SqlType::Real());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->AsDouble(), static_cast<double>(0.1f));
  EXPECT_EQ(Error(Flt(1e39), SqlType::Real()),
            "8115: Arithmetic overflow error converting float to data type real.");
  EXPECT_DOUBLE_EQ(Convert(DecV("1.25", 3, 2), SqlType::Float())->AsDouble(), 1.25);
}

TEST(ConvertTest, NumbersToStrings) {
  EXPECT_EQ(Cast(Value::Integer(-42), SqlType::VarChar(30)), "-42");
  EXPECT_EQ(Cast(Value::Int(SqlType::Bit(), 1), SqlType::VarChar(30)), "1");
  EXPECT_EQ(Cast(DecV("1.50", 5, 2), SqlType::VarChar(30)), "1.50");
  EXPECT_EQ(Cast(DecV("-0.5", 3, 2), SqlType::VarChar(30)), "-0.50");
  // CAST($157.27 AS VARCHAR(10)) = '157.27'; money styles 0, 1, 2.
  EXPECT_EQ(Cast(Money("157.27"), SqlType::VarChar(10)), "157.27");
  EXPECT_EQ(Cast(Money("4235.9819"), SqlType::VarChar(30)), "4235.98");
  EXPECT_EQ(Conv(Money("3510.9249"), SqlType::VarChar(30), 1), "3,510.92");
  EXPECT_EQ(Conv(Money("-1234567.5"), SqlType::VarChar(30), 1), "-1,234,567.50");
  EXPECT_EQ(Conv(Money("4235.9819"), SqlType::VarChar(30), 2), "4235.9819");
  EXPECT_EQ(Cast(Money("0.5"), SqlType::VarChar(30)), "0.50");
  // float style 0: at most six significant digits, exponent with three digits.
  EXPECT_EQ(Cast(Flt(0.1), SqlType::VarChar(30)), "0.1");
  EXPECT_EQ(Cast(Flt(1e20), SqlType::VarChar(30)), "1e+020");
  EXPECT_EQ(Cast(Flt(123456789), SqlType::VarChar(30)), "1.23457e+008");
  EXPECT_EQ(Cast(Flt(123456), SqlType::VarChar(30)), "123456");
  EXPECT_EQ(Cast(Flt(0.00001), SqlType::VarChar(30)), "1e-005");
  EXPECT_EQ(Cast(Flt(-2.5), SqlType::VarChar(30)), "-2.5");
  EXPECT_EQ(Conv(Flt(1), SqlType::VarChar(30), 1), "1.0000000e+000");
  EXPECT_EQ(Conv(Flt(1), SqlType::VarChar(30), 2), "1.000000000000000e+000");
  EXPECT_EQ(Conv(Flt(0.1), SqlType::VarChar(30), 3), "1.0000000000000001e-001");
  EXPECT_EQ(Cast(Value::Float(SqlType::Real(), 3.14159274f), SqlType::VarChar(30)), "3.14159");
}

TEST(ConvertTest, NumbersIntoShortStrings) {
  // "Truncating and rounding results": int/smallint/tinyint to a too-short char/varchar give
  // '*'; to nchar/nvarchar, and any decimal/money/float, are errors.
  EXPECT_EQ(Cast(Value::Integer(123), SqlType::Char(1)), "*");
  EXPECT_EQ(Cast(Value::Integer(123), SqlType::VarChar(2)), "*");
  EXPECT_EQ(Cast(Value::Integer(123), SqlType::Char(5)), "123  ");
  EXPECT_EQ(Error(Value::Integer(123), SqlType::NVarChar(2)),
            "8115: Arithmetic overflow error converting expression to data type nvarchar.");
  EXPECT_EQ(Error(DecV("99.999", 5, 3), SqlType::VarChar(5)),
            "8115: Arithmetic overflow error converting numeric to data type varchar.");
  EXPECT_EQ(Error(Flt(123.5), SqlType::VarChar(3)),
            "8115: Arithmetic overflow error converting float to data type varchar.");
}

TEST(ConvertTest, StringsToIntegers) {
  EXPECT_EQ(Cast(Str(" 12 "), SqlType::Int()), "12");
  EXPECT_EQ(Cast(Str("+7"), SqlType::Int()), "7");
  EXPECT_EQ(Cast(Str(""), SqlType::Int()), "0");
  EXPECT_EQ(Cast(Str("-"), SqlType::Int()), "0");
  EXPECT_EQ(Error(Str("abc"), SqlType::Int()),
            "245: Conversion failed when converting the varchar value 'abc' to data type int.");
  EXPECT_EQ(Error(Str("1.5"), SqlType::Int()),
            "245: Conversion failed when converting the varchar value '1.5' to data type int.");
  EXPECT_EQ(Error(NStr("x"), SqlType::SmallInt()),
            "245: Conversion failed when converting the nvarchar value 'x' to data type smallint.");
  // The documented example of data type precedence.
  EXPECT_EQ(Error(Str(" is not a string."), SqlType::Int()),
            "245: Conversion failed when converting the varchar value ' is not a string.' to data "
            "type int.");
  EXPECT_EQ(Error(Str("2147483648"), SqlType::Int()),
            "248: The conversion of the varchar value '2147483648' overflowed an int column.");
  EXPECT_EQ(Error(Str("300"), SqlType::TinyInt()),
            "244: The conversion of the varchar value '300' overflowed an INT1 column. Use a "
            "larger integer column.");
  EXPECT_EQ(Error(Str("40000"), SqlType::SmallInt()),
            "244: The conversion of the varchar value '40000' overflowed an INT2 column. Use a "
            "larger integer column.");
  EXPECT_EQ(Cast(Str("9223372036854775807"), SqlType::BigInt()), "9223372036854775807");
  EXPECT_EQ(Error(Str("9223372036854775808"), SqlType::BigInt()),
            "8115: Arithmetic overflow error converting expression to data type bigint.");
}

TEST(ConvertTest, StringsToBit) {
  EXPECT_EQ(Cast(Str("TRUE"), SqlType::Bit()), "1");
  EXPECT_EQ(Cast(Str("false"), SqlType::Bit()), "0");
  EXPECT_EQ(Cast(Str("0"), SqlType::Bit()), "0");
  EXPECT_EQ(Cast(Str("2"), SqlType::Bit()), "1");
  EXPECT_EQ(Error(Str("yes"), SqlType::Bit()),
            "245: Conversion failed when converting the varchar value 'yes' to data type bit.");
}

TEST(ConvertTest, StringsToDecimalMoneyFloat) {
  EXPECT_EQ(Cast(Str("1.005"), Dec(5, 2)), "1.01");
  EXPECT_EQ(Cast(Str(" -3 "), Dec(5, 2)), "-3.00");
  EXPECT_EQ(Error(Str("abc"), Dec(10, 2)), "8114: Error converting data type varchar to numeric.");
  // "SQL Server also returns an error when an empty string is converted to numeric or decimal."
  EXPECT_EQ(Error(Str(""), Dec(10, 2)), "8114: Error converting data type varchar to numeric.");
  EXPECT_EQ(Error(Str("1e5"), Dec(10, 2)), "8114: Error converting data type varchar to numeric.");
  EXPECT_EQ(Error(Str("15000.1234"), Dec(5, 4)),
            "8115: Arithmetic overflow error converting varchar to data type numeric.");
  // money accepts currency symbols and thousands separators.
  EXPECT_EQ(Cast(Str("$ 1,000.00"), SqlType::Money()), "1000.00");
  EXPECT_EQ(Cast(NStr("€ 1,000.00"), SqlType::Money()), "1000.00");
  EXPECT_EQ(Cast(Str("-$5.5"), SqlType::Money()), "-5.50");
  EXPECT_EQ(Cast(Str(""), SqlType::Money()), "0.00");
  EXPECT_EQ(Error(Str("ABC"), SqlType::Money()),
            "235: Cannot convert a char value to money. The char value has incorrect syntax.");
  EXPECT_EQ(Error(Str("ABC"), SqlType::SmallMoney()),
            "293: Cannot convert a char value to smallmoney. The char value has incorrect syntax.");
  EXPECT_EQ(Cast(Str("1e3"), SqlType::Float()), "1000");
  EXPECT_EQ(Cast(Str(" -.5 "), SqlType::Float()), "-0.5");
  EXPECT_EQ(Cast(Str(""), SqlType::Float()), "0");
  EXPECT_EQ(Error(Str("1,5"), SqlType::Float()),
            "8114: Error converting data type varchar to float.");
  EXPECT_EQ(Error(Str("inf"), SqlType::Real()),
            "8114: Error converting data type varchar to real.");
}

TEST(ConvertTest, StringsToStrings) {
  // Explicit conversion truncates silently; char(n) pads.
  EXPECT_EQ(Cast(Str("abcdef"), SqlType::VarChar(3)), "abc");
  EXPECT_EQ(Cast(Str("ab"), SqlType::Char(4)), "ab  ");
  EXPECT_EQ(Cast(NStr("héllo"), SqlType::NChar(6)), "héllo ");
  EXPECT_EQ(Cast(NStr("héllo"), SqlType::VarChar(10)), "héllo");  // é is in CP1252
  EXPECT_EQ(Cast(NStr("Ωmega"), SqlType::VarChar(10)), "?mega");  // Ω is not
  // nvarchar counts UTF-16 code units and never splits a surrogate pair.
  EXPECT_EQ(Cast(NStr("ab\xF0\x90\x80\x80"), SqlType::NVarChar(3)), "ab");
  EXPECT_EQ(Cast(NStr("ab\xF0\x90\x80\x80"), SqlType::NVarChar(4)), "ab\xF0\x90\x80\x80");
  EXPECT_EQ(Cast(Str("x"), SqlType::VarChar(SqlType::kMax)), "x");
}

TEST(ConvertTest, AssignmentTruncationIsError2628) {
  ConversionContext ctx;
  ctx.kind = ConversionKind::kAssignment;
  ctx.table_name = "db.dbo.t";
  ctx.column_name = "c";
  EXPECT_EQ(Error(Str("abcdef"), SqlType::VarChar(3), ctx),
            "2628: String or binary data would be truncated in table 'db.dbo.t', column 'c'. "
            "Truncated value: 'abc'.");
  // Losing only trailing blanks is not an error.
  EXPECT_EQ(Error(Str("abc   "), SqlType::VarChar(3), ctx), "ok: abc");
  EXPECT_EQ(Error(Bin("\x01\x02\x03"), SqlType::VarBinary(2), ctx),
            "2628: String or binary data would be truncated in table 'db.dbo.t', column 'c'. "
            "Truncated value: '0x0102'.");
  ctx.kind = ConversionKind::kExplicit;
  EXPECT_EQ(Error(Str("abcdef"), SqlType::VarChar(3), ctx), "ok: abc");
}

TEST(ConvertTest, StringsToDateTime) {
  EXPECT_EQ(Cast(Str("2024-01-31 12:30:15.123"), SqlType::DateTime()), "Jan 31 2024 12:30PM");
  EXPECT_EQ(Cast(Str("2024-01-31 12:30:15.123"), SqlType::DateTime(), 121),
            "2024-01-31 12:30:15.123");
  // datetime '2024-01-01 00:00:00.002' rounds to .003.
  EXPECT_EQ(Cast(Str("2024-01-01 00:00:00.002"), SqlType::DateTime(), 121),
            "2024-01-01 00:00:00.003");
  EXPECT_EQ(Cast(Str("2007-05-08 12:35:29.1234567 +12:15"), SqlType::Time(7)), "12:35:29.1234567");
  EXPECT_EQ(Cast(Str("2007-05-08 12:35:29.1234567 +12:15"), SqlType::Date()), "2007-05-08");
  EXPECT_EQ(Cast(Str("2007-05-08 12:35:29.123"), SqlType::SmallDateTime(), 120),
            "2007-05-08 12:35:00");
  EXPECT_EQ(Cast(Str("2007-05-08 12:35:29.1234567 +12:15"), SqlType::DateTime2(7)),
            "2007-05-08 12:35:29.1234567");
  EXPECT_EQ(Cast(Str("2007-05-08 12:35:29.1234567 +12:15"), SqlType::DateTimeOffset(7)),
            "2007-05-08 12:35:29.1234567 +12:15");
  EXPECT_EQ(Cast(Str("2007-05-08 12:35:29.1234567"), SqlType::DateTimeOffset(7)),
            "2007-05-08 12:35:29.1234567 +00:00");
  // smalldatetime: 12:35:30 rounds up, 12:59:59.998 rounds to 13:00.
  EXPECT_EQ(Cast(Str("2007-05-08 12:35:30"), SqlType::SmallDateTime(), 120), "2007-05-08 12:36:00");
  EXPECT_EQ(Cast(Str("2007-05-08 12:59:59.998"), SqlType::SmallDateTime(), 120),
            "2007-05-08 13:00:00");
  // A time alone takes the date 1900-01-01; the empty string is 1900-01-01 00:00:00.
  EXPECT_EQ(Cast(Str("12:12:12.123"), SqlType::DateTime(), 121), "1900-01-01 12:12:12.123");
  EXPECT_EQ(Cast(Str(""), SqlType::DateTime(), 121), "1900-01-01 00:00:00.000");
  EXPECT_EQ(Cast(Str("12:12:12.1234567"), SqlType::DateTimeOffset(7)),
            "1900-01-01 12:12:12.1234567 +00:00");
  // ISO 8601 with Z maps to datetime (style 127 note).
  EXPECT_EQ(Cast(Str("2006-12-12T23:45:12Z"), SqlType::DateTime(), 126), "2006-12-12T23:45:12");
  // A datetime2 string rounds to the target scale.
  EXPECT_EQ(Cast(Str("2024-01-31 23:59:59.9999999"), SqlType::DateTime2(0)), "2024-02-01 00:00:00");
}

TEST(ConvertTest, StringToDateTimeErrors) {
  EXPECT_EQ(Error(Str("abc"), SqlType::DateTime()),
            "241: Conversion failed when converting date and/or time from character string.");
  EXPECT_EQ(Error(Str("abc"), SqlType::Date()),
            "241: Conversion failed when converting date and/or time from character string.");
  EXPECT_EQ(Error(Str("abc"), SqlType::SmallDateTime()),
            "295: Conversion failed when converting character string to smalldatetime data type.");
  EXPECT_EQ(Error(Str("1700-01-01"), SqlType::DateTime()),
            "242: The conversion of a varchar data type to a datetime data type resulted in an "
            "out-of-range value.");
  EXPECT_EQ(Error(Str("2024-02-30"), SqlType::DateTime()),
            "242: The conversion of a varchar data type to a datetime data type resulted in an "
            "out-of-range value.");
  EXPECT_EQ(Error(Str("2024-02-30"), SqlType::Date()),
            "241: Conversion failed when converting date and/or time from character string.");
  EXPECT_EQ(Error(Str("2080-01-01"), SqlType::SmallDateTime()),
            "242: The conversion of a varchar data type to a smalldatetime data type resulted in "
            "an out-of-range value.");
  // datetime takes at most three fractional digits and no offset.
  EXPECT_EQ(Error(Str("2024-01-01 12:00:00.1234"), SqlType::DateTime()),
            "241: Conversion failed when converting date and/or time from character string.");
  EXPECT_EQ(Error(Str("2024-01-01 12:00:00 +01:00"), SqlType::DateTime()),
            "241: Conversion failed when converting date and/or time from character string.");
  EXPECT_EQ(Cast(Str("1700-01-01"), SqlType::Date()), "1700-01-01");
  // SET DATEFORMAT dmy: datetime reads '2024-01-31' as ydm.
  ConversionContext dmy;
  std::snprintf(dmy.dates.order, sizeof dmy.dates.order, "dmy");
  EXPECT_EQ(Error(Str("2024-01-31"), SqlType::DateTime(), dmy),
            "242: The conversion of a varchar data type to a datetime data type resulted in an "
            "out-of-range value.");
  EXPECT_EQ(ToDisplayString(*Convert(Str("2024-01-31"), SqlType::Date(), dmy)), "2024-01-31");
  EXPECT_EQ(ToDisplayString(*Convert(Str("31/01/2024"), SqlType::Date(), dmy)), "2024-01-31");
}

TEST(ConvertTest, DateTimeToStrings) {
  Value dt = *Convert(Str("2024-01-31 12:30:15.123"), SqlType::DateTime());
  // CONVERT(varchar, datetime, 120) = 'yyyy-mm-dd hh:mi:ss'.
  EXPECT_EQ(Conv(dt, SqlType::VarChar(30), 120), "2024-01-31 12:30:15");
  EXPECT_EQ(Cast(dt, SqlType::VarChar(30)), "Jan 31 2024 12:30PM");
  EXPECT_EQ(Conv(dt, SqlType::VarChar(10), 120), "2024-01-31");  // truncated silently
  EXPECT_EQ(Error(dt, SqlType::VarChar(30), Style(99)),
            "281: 99 is not a valid style number when converting from datetime to a character "
            "string.");
  Value d2 = *Convert(Str("2024-01-31 12:30:15.1234567"), SqlType::DateTime2(7));
  EXPECT_EQ(Cast(d2, SqlType::NVarChar(40)), "2024-01-31 12:30:15.1234567");
}

TEST(ConvertTest, BetweenDateTimeTypes) {
  Value d2 = *Convert(Str("1968-10-23 12:45:37.1237"), SqlType::DateTime2(4));
  // datetime2(4) to datetime: the fraction is truncated to milliseconds (.123).
  EXPECT_EQ(Cast(d2, SqlType::DateTime(), 121), "1968-10-23 12:45:37.123");
  Value t4 = *Convert(Str("12:34:54.1237"), SqlType::Time(4));
  EXPECT_EQ(Cast(t4, SqlType::Time(3)), "12:34:54.124");  // time(n) rounds
  EXPECT_EQ(Cast(t4, SqlType::DateTime(), 121), "1900-01-01 12:34:54.123");
  EXPECT_EQ(Cast(t4, SqlType::DateTime2(3)), "1900-01-01 12:34:54.124");
  Value t = *Convert(Str("12:15:59.9999"), SqlType::Time(4));
  EXPECT_EQ(Cast(t, SqlType::SmallDateTime(), 120), "1900-01-01 12:16:00");
  Value sdt = *Convert(Str("1955-12-13 12:43:10"), SqlType::SmallDateTime());
  EXPECT_EQ(Cast(sdt, SqlType::Time(4)), "12:43:00.0000");
  EXPECT_EQ(Cast(sdt, SqlType::DateTimeOffset(4)), "1955-12-13 12:43:00.0000 +00:00");
  Value date = *Convert(Str("1912-10-25"), SqlType::Date());
  EXPECT_EQ(Cast(date, SqlType::DateTimeOffset(3)), "1912-10-25 00:00:00.000 +00:00");
  EXPECT_EQ(Cast(date, SqlType::SmallDateTime(), 120), "1912-10-25 00:00:00");
  Value old = *Convert(Str("1800-01-01"), SqlType::Date());
  EXPECT_EQ(Error(old, SqlType::SmallDateTime()),
            "242: The conversion of a date data type to a smalldatetime data type resulted in an "
            "out-of-range value.");
  Value first = *Convert(Str("0001-01-01"), SqlType::DateTime2());
  EXPECT_EQ(Error(first, SqlType::DateTime()),
            "242: The conversion of a datetime2 data type to a datetime data type resulted in an "
            "out-of-range value.");
  // datetime .003 shows its exact 1/300 s in datetime2(7).
  Value dt = *Convert(Str("2024-01-01 00:00:00.003"), SqlType::DateTime());
  EXPECT_EQ(Cast(dt, SqlType::DateTime2(7)), "2024-01-01 00:00:00.0033333");
}

TEST(ConvertTest, DateTimeOffsetConversions) {
  Value dto = *Convert(Str("2025-12-10 12:32:10.1237 +01:00"), SqlType::DateTimeOffset(4));
  EXPECT_EQ(Cast(dto, SqlType::Date()), "2025-12-10");
  EXPECT_EQ(Cast(dto, SqlType::Time(3)), "12:32:10.124");
  EXPECT_EQ(Cast(dto, SqlType::DateTime(), 121), "2025-12-10 12:32:10.123");
  // To datetime2 the local time is kept and the offset dropped.
  EXPECT_EQ(Cast(dto, SqlType::DateTime2(7)), "2025-12-10 12:32:10.1237000");
  Value dto2 = *Convert(Str("1912-10-25 12:24:32 +10:00"), SqlType::DateTimeOffset(3));
  EXPECT_EQ(Cast(dto2, SqlType::SmallDateTime(), 120), "1912-10-25 12:25:00");
  // The instant is stored in UTC.
  EXPECT_EQ(dto.AsDateTimeOffset().offset_minutes, 60);
  Value back = *Convert(dto, SqlType::DateTimeOffset(0));
  EXPECT_EQ(ToDisplayString(back), "2025-12-10 12:32:10 +01:00");
  Value dt2 = *Convert(Str("2024-01-31 12:00"), SqlType::DateTime2(0));
  EXPECT_EQ(Cast(dt2, SqlType::DateTimeOffset(0)), "2024-01-31 12:00:00 +00:00");
}

TEST(ConvertTest, NumbersAndDateTime) {
  // Numbers are days since 1900-01-01: CAST(0 AS datetime) is 1900-01-01.
  EXPECT_EQ(Cast(Value::Integer(0), SqlType::DateTime(), 121), "1900-01-01 00:00:00.000");
  EXPECT_EQ(Cast(Value::Integer(1), SqlType::DateTime(), 121), "1900-01-02 00:00:00.000");
  EXPECT_EQ(Cast(DecV("1.25", 3, 2), SqlType::DateTime(), 121), "1900-01-02 06:00:00.000");
  EXPECT_EQ(Cast(Flt(-1.5), SqlType::DateTime(), 121), "1899-12-30 12:00:00.000");
  EXPECT_EQ(Error(Value::Integer(3000000), SqlType::DateTime()),
            "8115: Arithmetic overflow error converting expression to data type datetime.");
  Value dt = *Convert(Str("1900-01-02 12:00"), SqlType::DateTime());
  // "datetime to int: Round": noon rounds up.
  EXPECT_EQ(Cast(dt, SqlType::Int()), "2");
  EXPECT_EQ(Cast(dt, SqlType::Float()), "1.5");
  EXPECT_EQ(Cast(dt, Dec(10, 4)), "1.5000");
  EXPECT_EQ(Cast(dt, Dec(38, 35)), "1.50000000000000000000000000000000000");
  Value recent = *Convert(Str("2024-01-01"), SqlType::DateTime());  // 45290 days: 40 digits
  EXPECT_EQ(Error(recent, Dec(38, 35)),
            "8115: Arithmetic overflow error converting expression to data type numeric.");
  EXPECT_EQ(Error(recent, Dec(4, 0)),
            "8115: Arithmetic overflow error converting expression to data type numeric.");
  EXPECT_EQ(Error(recent, SqlType::SmallInt()),
            "8115: Arithmetic overflow error converting expression to data type smallint.");
  Value dt2 = *Convert(Str("1900-01-02 06:00"), SqlType::DateTime());
  EXPECT_EQ(Cast(dt2, SqlType::Int()), "1");
  // date and datetime2 do not convert to numbers.
  Value date = *Convert(Str("2024-01-01"), SqlType::Date());
  EXPECT_EQ(Error(date, SqlType::Int()),
            "529: Explicit conversion from data type date to int is not allowed.");
  EXPECT_EQ(Error(Value::Integer(1), SqlType::Date()),
            "529: Explicit conversion from data type int to date is not allowed.");
}

TEST(ConvertTest, NotAllowedConversions) {
  Value date = *Convert(Str("2024-01-01"), SqlType::Date());
  EXPECT_EQ(Error(date, SqlType::Time()),
            "529: Explicit conversion from data type date to time is not allowed.");
  ConversionContext implicit;
  implicit.kind = ConversionKind::kImplicit;
  // "date": "Operand type clash: date is incompatible with time" (206).
  EXPECT_EQ(Error(date, SqlType::Time(), implicit),
            "206: Operand type clash: date is incompatible with time");
  EXPECT_EQ(Error(Str("abc"), SqlType::VarBinary(10), implicit),
            "257: Implicit conversion from data type varchar to varbinary is not allowed. Use the "
            "CONVERT function to run this query.");
  Value dt = *Convert(Str("2024-01-01"), SqlType::DateTime());
  EXPECT_EQ(Error(dt, SqlType::Int(), implicit),
            "257: Implicit conversion from data type datetime to int is not allowed. Use the "
            "CONVERT function to run this query.");
  EXPECT_EQ(Error(Bin("\x01"), SqlType::Float()),
            "529: Explicit conversion from data type varbinary to float is not allowed.");
}

TEST(ConvertTest, Binary) {
  // Numbers are big-endian; strings are their bytes.
  EXPECT_EQ(Cast(Value::Integer(1), SqlType::VarBinary(30), 1), "0x00000001");
  EXPECT_EQ(Cast(Value::Int(SqlType::SmallInt(), -2), SqlType::VarBinary(30), 1), "0xFFFE");
  EXPECT_EQ(Cast(Value::Integer(65537), SqlType::Binary(2), 1), "0x0001");
  EXPECT_EQ(Cast(Value::Integer(1), SqlType::Binary(6), 1), "0x000000000001");
  EXPECT_EQ(Cast(Flt(1.0), SqlType::VarBinary(8), 1), "0x3FF0000000000000");
  EXPECT_EQ(Cast(Bin(std::string("\x00\x01", 2)), SqlType::Int()), "1");
  EXPECT_EQ(Cast(Bin("\xFF\xFF"), SqlType::Int()), "65535");
  EXPECT_EQ(Cast(Bin("\xFF\xFF"), SqlType::SmallInt()), "-1");
  EXPECT_EQ(Cast(Bin(std::string("\x00\x00\x00\x01\x02", 5)), SqlType::Int()), "258");
  // "Binary styles" examples of CAST and CONVERT, section H.
  Value name = Bin("\x4E\x61\x6D\x65");
  EXPECT_EQ(Cast(name, SqlType::Char(8)), "Name    ");
  EXPECT_EQ(Conv(name, SqlType::Char(8), 1), "0x4E616D");
  EXPECT_EQ(Conv(name, SqlType::Char(8), 2), "4E616D65");
  EXPECT_EQ(Cast(Str("Name"), SqlType::Binary(8), 1), "0x4E616D6500000000");
  EXPECT_EQ(Conv(Str("0x4E616D65"), SqlType::Binary(4), 1, 1), "0x4E616D65");
  EXPECT_EQ(Conv(Str("4E616D65"), SqlType::Binary(4), 2, 1), "0x4E616D65");
  EXPECT_EQ(Error(Str("0x4E6"), SqlType::Binary(4), Style(1)),
            "8114: Error converting data type varchar to binary.");
  // SELECT CAST(CAST(0x41 AS nvarchar) AS varbinary) is 0x4100.
  Value a = *Convert(Bin("\x41"), SqlType::NVarChar(30));
  EXPECT_EQ(ToDisplayString(a), "A");
  EXPECT_EQ(Cast(a, SqlType::VarBinary(30), 1), "0x4100");
  EXPECT_EQ(Cast(Str("é"), SqlType::VarBinary(30), 1), "0xE9");     // CP1252
  EXPECT_EQ(Cast(NStr("é"), SqlType::VarBinary(30), 1), "0xE900");  // UTF-16LE
  EXPECT_EQ(Cast(Bin("\xE9"), SqlType::VarChar(30)), "é");
}

TEST(ConvertTest, BinaryRoundTrips) {
  // "SQL Server guarantees that only roundtrip conversions ... yield the same values".
  Value d = DecV("193.57", 5, 2);
  Value b = *Convert(d, SqlType::VarBinary(20));
  EXPECT_EQ(Cast(b, Dec(10, 5)), "193.57000");
  Value neg = DecV("-12345678901234567890.5", 38, 1);
  EXPECT_EQ(Cast(*Convert(neg, SqlType::VarBinary(30)), Dec(38, 1)), "-12345678901234567890.5");
  Value m = Money("-12.3456");
  EXPECT_EQ(Cast(*Convert(m, SqlType::VarBinary(8)), SqlType::Money(), 2), "-12.3456");
  Value dt = *Convert(Str("2024-01-31 12:30:15.127"), SqlType::DateTime());
  EXPECT_EQ(Cast(*Convert(dt, SqlType::VarBinary(8)), SqlType::DateTime(), 121),
            "2024-01-31 12:30:15.127");
  Value sdt = *Convert(Str("2024-01-31 12:30"), SqlType::SmallDateTime());
  EXPECT_EQ(Cast(*Convert(sdt, SqlType::VarBinary(4)), SqlType::SmallDateTime(), 120),
            "2024-01-31 12:30:00");
  EXPECT_EQ(Error(Bin(std::string("\x00\x00\x00\x00\xFF\xFF\xFF\xFF", 8)), SqlType::DateTime()),
            "210: Conversion failed when converting datetime from binary/varbinary string.");
}

TEST(ConvertTest, UniqueIdentifier) {
  const char* text = "6F9619FF-8B86-D011-B42D-00C04FC964FF";
  Value g = *Convert(Str(text), SqlType::UniqueIdentifier());
  EXPECT_EQ(Cast(g, SqlType::VarChar(36)), text);
  EXPECT_EQ(Cast(Str("{6f9619ff-8b86-d011-b42d-00c04fc964ff}"), SqlType::UniqueIdentifier()), text);
  // "uniqueidentifier": characters beyond the first 36 are truncated.
  EXPECT_EQ(Cast(NStr("0E984725-C51C-4BF4-9960-E1C80E27ABA0wrong"), SqlType::UniqueIdentifier()),
            "0E984725-C51C-4BF4-9960-E1C80E27ABA0");
  EXPECT_EQ(Error(Str("g078f19e-e150-4bb9-b5f4-b20b3fc64016"), SqlType::UniqueIdentifier()),
            "8169: Conversion failed when converting from a character string to uniqueidentifier.");
  EXPECT_EQ(Error(g, SqlType::Char(10)),
            "8170: Insufficient result space to convert uniqueidentifier value to char.");
  // The binary form is the wire form: the first three groups little-endian.
  EXPECT_EQ(Cast(g, SqlType::VarBinary(16), 1), "0xFF19966F868B11D0B42D00C04FC964FF");
  EXPECT_EQ(Cast(*Convert(g, SqlType::VarBinary(16)), SqlType::UniqueIdentifier()), text);
  EXPECT_EQ(Error(g, SqlType::Int()),
            "529: Explicit conversion from data type uniqueidentifier to int is not allowed.");
}

TEST(ConvertTest, ResultCarriesTargetType) {
  Result<Value> r = Convert(Str("12"), Dec(10, 3));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->type(), Dec(10, 3));
  EXPECT_EQ(r->AsDecimal().scale(), 3);
  r = Convert(Value::Integer(7), SqlType::Money());
  EXPECT_EQ(r->AsDecimal().scale(), 4);
  r = Convert(Str("x"), SqlType::NChar(3));
  EXPECT_EQ(r->type(), SqlType::NChar(3));
  EXPECT_EQ(r->AsString(), "x  ");
}

TEST(ToDisplayStringTest, Forms) {
  EXPECT_EQ(ToDisplayString(Value()), "");
  EXPECT_EQ(ToDisplayString(Value::Integer(42)), "42");
  EXPECT_EQ(ToDisplayString(DecV("1.50", 5, 2)), "1.50");
  EXPECT_EQ(ToDisplayString(Flt(1e20)), "1e+020");
  EXPECT_EQ(ToDisplayString(Money("1.5")), "1.50");
  Guid g = *guid::Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff");
  EXPECT_EQ(ToDisplayString(Value::Uuid(g)), "6F9619FF-8B86-D011-B42D-00C04FC964FF");
  EXPECT_EQ(ToDisplayString(Bin("\x01\xAB"), 1), "0x01AB");
}

}  // namespace
}  // namespace edgesql

namespace edgesql {
namespace {

// Bad input must give a SQL Server error, never a crash or undefined behaviour (run under
// ASan/UBSan): random strings and random values into every type.
TEST(ConvertRobustnessTest, RandomInputsNeverCrash) {
  const SqlType targets[] = {
      SqlType::Bit(),        SqlType::TinyInt(),         SqlType::SmallInt(),
      SqlType::Int(),        SqlType::BigInt(),          SqlType::Real(),
      SqlType::Float(),      SqlType::Decimal(38, 10),   SqlType::Decimal(5, 5),
      SqlType::Money(),      SqlType::SmallMoney(),      SqlType::Char(3),
      SqlType::VarChar(5),   SqlType::NChar(2),          SqlType::NVarChar(SqlType::kMax),
      SqlType::Binary(3),    SqlType::VarBinary(20),     SqlType::Date(),
      SqlType::Time(3),      SqlType::DateTime(),        SqlType::SmallDateTime(),
      SqlType::DateTime2(0), SqlType::DateTimeOffset(7), SqlType::UniqueIdentifier()};
  const char* pieces[] = {"0",
                          "1",
                          "9",
                          "12",
                          "2024",
                          "-",
                          "+",
                          ".",
                          ",",
                          ":",
                          "/",
                          " ",
                          "e",
                          "E",
                          "$",
                          "€",
                          "x",
                          "AM",
                          "PM",
                          "T",
                          "Z",
                          "Jan",
                          "{",
                          "}",
                          "0x",
                          "99999999999999999999",
                          "é",
                          "\xFF",
                          "\xF0\x9F\x98\x80",
                          "--",
                          "1e400"};
  std::mt19937 rng(1234);
  int ok = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string s;
    int n = static_cast<int>(rng() % 8);
    for (int k = 0; k < n; ++k) s += pieces[rng() % std::size(pieces)];
    Value v = (i % 2) ? Value::VarChar(s) : Value::NVarChar(s);
    for (const SqlType& t : targets) {
      for (int style : {0, 1, 2, 121}) {
        ConversionContext ctx;
        ctx.style = style;
        ctx.kind = (i % 3 == 0) ? ConversionKind::kAssignment : ConversionKind::kExplicit;
        Result<Value> r = Convert(v, t, ctx);
        if (!r.ok()) continue;
        ++ok;
        // Whatever converted converts on to every other type or fails cleanly.
        for (const SqlType& u : targets) {
          Result<Value> r2 = Convert(*r, u, ctx);
          if (r2.ok()) (void)ToDisplayString(*r2, style);
        }
      }
    }
  }
  EXPECT_GT(ok, 500);
}

}  // namespace
}  // namespace edgesql
