// Execution tests for the built-in functions: one case per documented SQL Server behaviour.
#include <gtest/gtest.h>

#include "tsql/binder_test_util.h"
#include "types/datetime.h"

namespace edgesql::tsql {
namespace {

using testing::Db;
using testing::TextRows;

class FuncTest : public ::testing::Test {
 protected:
  std::string S(std::string_view expr) { return db.Scalar("SELECT " + std::string(expr)); }
  int E(std::string_view expr) { return db.Error("SELECT " + std::string(expr)); }
  Db db;
};

TEST_F(FuncTest, StringFunctions) {
  EXPECT_EQ(S("LEN('abc   ')"), "3");  // trailing spaces do not count
  EXPECT_EQ(S("LEN('   abc')"), "6");
  EXPECT_EQ(S("LEN(N'')"), "0");
  EXPECT_EQ(S("LEN(12345)"), "5");
  EXPECT_EQ(S("DATALENGTH('abc  ')"), "5");
  EXPECT_EQ(S("DATALENGTH(N'abc')"), "6");
  EXPECT_EQ(S("DATALENGTH(CAST(1 AS bigint))"), "8");
  EXPECT_EQ(S("SUBSTRING('abcdef', 2, 3)"), "bcd");
  EXPECT_EQ(S("SUBSTRING('abcd', 0, 2)"), "a");  // "start ... less than 1"
  EXPECT_EQ(S("SUBSTRING('abcd', -4, 6)"), "a");
  EXPECT_EQ(S("SUBSTRING('abcd', 10, 2)"), "");
  EXPECT_EQ(E("SUBSTRING('abcd', 1, -1)"), errors::kInvalidLengthLeftSubstring);
  EXPECT_EQ(S("SUBSTRING('abcd', 9223372036854775807, 9223372036854775807)"), "");
  EXPECT_EQ(S("ROUND(1.5, -2147483648)"), "0.0");
  EXPECT_EQ(E("EOMONTH('2024-01-01', 2147483647)"), errors::kDateAddOverflow);
  EXPECT_EQ(S("LEFT('abcdef', 2)"), "ab");
  EXPECT_EQ(S("RIGHT('abcdef', 2)"), "ef");
  EXPECT_EQ(S("RIGHT('ab', 5)"), "ab");
  EXPECT_EQ(E("RIGHT('ab', -1)"), errors::kInvalidLengthRight);
  // ß has no single-character upper case in SQL Server's Latin1 collations.
  EXPECT_EQ(S("UPPER(N'straße é')"), "STRAßE É");
  EXPECT_EQ(S("LOWER('ÀBC')"), "àbc");
  EXPECT_EQ(S("'[' + LTRIM('  a  ') + ']'"), "[a  ]");
  EXPECT_EQ(S("'[' + RTRIM('  a  ') + ']'"), "[  a]");
  EXPECT_EQ(S("'[' + TRIM('  a  ') + ']'"), "[a]");
  EXPECT_EQ(S("REPLACE('Hello hello', 'HELLO', 'bye')"), "bye bye");  // CI_AS
  EXPECT_EQ(S("REPLACE('abc', '', 'x')"), "abc");
  EXPECT_EQ(S("REPLICATE('ab', 3)"), "ababab");
  EXPECT_EQ(S("REPLICATE('ab', -1)"), "NULL");
  // Results of non-max inputs are cut at 8000 bytes; (max) inputs are not.
  EXPECT_EQ(S("LEN(REPLICATE('ab', 5000))"), "8000");
  EXPECT_EQ(S("LEN(REPLICATE(CAST('ab' AS varchar(max)), 5000))"), "10000");
  EXPECT_EQ(S("LEN(REPLICATE('a', 6000) + REPLICATE('b', 6000))"), "8000");
  EXPECT_EQ(S("LEN(CONCAT(REPLICATE('a', 6000), REPLICATE('b', 6000)))"), "8000");
  EXPECT_EQ(S("REVERSE('abc')"), "cba");
  EXPECT_EQ(S("STUFF('abcdef', 2, 3, 'XY')"), "aXYef");
  EXPECT_EQ(S("STUFF('abc', 5, 1, 'X')"), "NULL");
  EXPECT_EQ(S("CONCAT('a', 1, NULL, 2.5)"), "a12.5");
  EXPECT_EQ(S("CONCAT_WS(',', 'a', NULL, 'b')"), "a,b");
  EXPECT_EQ(S("'[' + SPACE(3) + ']'"), "[   ]");
  EXPECT_EQ(S("STR(123.456, 8, 2)"), "  123.46");
  EXPECT_EQ(S("STR(123.456)"), "       123");
  EXPECT_EQ(S("STR(123456, 3)"), "***");
  EXPECT_EQ(S("ASCII('A')"), "65");
  EXPECT_EQ(S("ASCII('€')"), "128");
  EXPECT_EQ(S("CHAR(65)"), "A");
  EXPECT_EQ(S("CHAR(300)"), "NULL");
  EXPECT_EQ(S("UNICODE(N'€')"), "8364");
  EXPECT_EQ(S("NCHAR(8364)"), "€");
  EXPECT_EQ(S("CHARINDEX('C', 'abcabc')"), "3");  // CI_AS
  EXPECT_EQ(S("CHARINDEX('c', 'abcabc', 4)"), "6");
  EXPECT_EQ(S("CHARINDEX('z', 'abc')"), "0");
  EXPECT_EQ(S("PATINDEX('%[0-9]%', 'ab12')"), "3");
  EXPECT_EQ(S("PATINDEX('ab%', 'abc')"), "1");
  EXPECT_EQ(S("QUOTENAME('a]b')"), "[a]]b]");
  EXPECT_EQ(S("QUOTENAME('x', '''')"), "'x'");
  EXPECT_EQ(S("QUOTENAME('x', 'z')"), "NULL");
  EXPECT_EQ(S("TRANSLATE('2*[3+4]', '[]', '()')"), "2*(3+4)");
  EXPECT_EQ(S("'a' + CAST(1 AS varchar(5))"), "a1");
}

TEST_F(FuncTest, NullHandlingFunctions) {
  EXPECT_EQ(S("ISNULL(NULL, 'x')"), "x");
  EXPECT_EQ(S("ISNULL(CAST(NULL AS int), 2.7)"), "2");  // the first argument's type
  EXPECT_EQ(S("COALESCE(NULL, NULL, 3)"), "3");
  EXPECT_EQ(E("COALESCE(NULL, NULL)"), errors::kCoalesceAllNull);
  EXPECT_EQ(S("NULLIF(1, 1)"), "NULL");
  EXPECT_EQ(S("NULLIF('a', 'A')"), "NULL");  // CI_AS
  EXPECT_EQ(S("NULLIF(2, 1)"), "2");
  EXPECT_EQ(S("IIF(1 > 2, 'yes', 'no')"), "no");
  EXPECT_EQ(S("CHOOSE(2, 'a', 'b', 'c')"), "b");
  EXPECT_EQ(S("CHOOSE(4, 'a', 'b', 'c')"), "NULL");
  EXPECT_EQ(S("CASE 'B' WHEN 'a' THEN 1 WHEN 'b' THEN 2 ELSE 3 END"), "2");
  EXPECT_EQ(E("CASE WHEN 1 = 1 THEN NULL ELSE NULL END"), errors::kCaseAllNull);
}

TEST_F(FuncTest, CastAndConvert) {
  EXPECT_EQ(S("CAST('12' AS int) + 1"), "13");
  EXPECT_EQ(S("CAST(2.5 AS int)"), "2");
  EXPECT_EQ(S("CAST(1.005 AS decimal(5,2))"), "1.01");
  EXPECT_EQ(S("CAST(-1.005 AS decimal(5,2))"), "-1.01");
  EXPECT_EQ(S("CONVERT(varchar(10), CAST('2024-03-05' AS date), 103)"), "05/03/2024");
  EXPECT_EQ(S("CONVERT(datetime, '05/03/2024', 103)"), "Mar  5 2024 12:00AM");
  db.Declare("@d", Value::VarChar("05/03/2024"));
  EXPECT_EQ(S("CONVERT(date, @d, 103)"), "2024-03-05");
  EXPECT_EQ(S("CONVERT(date, @d, 101)"), "2024-05-03");
  EXPECT_EQ(S("TRY_CAST('x' AS int)"), "NULL");
  EXPECT_EQ(S("TRY_CONVERT(int, '42')"), "42");
  EXPECT_EQ(E("CAST('x' AS int)"), errors::kConversionFailed);
  EXPECT_EQ(E("CAST(NEWID() AS int)"), errors::kExplicitConversionNotAllowed);
  EXPECT_EQ(E("CAST(1 AS nosuchtype)"), errors::kNotASystemType);
  EXPECT_EQ(S("CAST(CAST(300 AS int) AS tinyint)"),
            "ERROR 220: Arithmetic overflow error for data type tinyint, value = 300.");
  db.Declare("@v", Value::VarChar("12.5"));
  EXPECT_EQ(S("CAST(@v AS decimal(5,1)) * 2"), "25.0");
  EXPECT_EQ(S("ISNUMERIC('12.5')"), "1");
  EXPECT_EQ(S("ISNUMERIC('$1,000')"), "1");
  EXPECT_EQ(S("ISNUMERIC('-')"), "1");
  EXPECT_EQ(S("ISNUMERIC('1e5')"), "1");
  EXPECT_EQ(S("ISNUMERIC('abc')"), "0");
  EXPECT_EQ(S("ISNUMERIC(12)"), "1");
}

TEST_F(FuncTest, MathFunctions) {
  EXPECT_EQ(S("ABS(-5)"), "5");
  EXPECT_EQ(S("ABS(-5.25)"), "5.25");
  EXPECT_EQ(S("CEILING(1.2)"), "2");
  EXPECT_EQ(S("CEILING(-1.2)"), "-1");
  EXPECT_EQ(S("FLOOR(-1.2)"), "-2");
  EXPECT_EQ(S("FLOOR(1.5e0)"), "1");
  EXPECT_EQ(S("ROUND(123.4567, 2)"), "123.4600");
  EXPECT_EQ(S("ROUND(123.4567, 2, 1)"), "123.4500");
  EXPECT_EQ(S("ROUND(125, -1)"), "130");
  EXPECT_EQ(S("ROUND(-2.5, 0)"), "-3.0");  // half away from zero
  EXPECT_EQ(S("ROUND(748.58, -4)"), "0.00");
  EXPECT_EQ(E("ROUND(999.5, 0)"), errors::kArithmeticOverflow);  // "ROUND ... overflow"
  EXPECT_EQ(S("ROUND(1.5e0, 0)"), "2");
  EXPECT_EQ(S("POWER(2, 10)"), "1024");
  EXPECT_EQ(S("POWER(2.0, 3)"), "8.0");
  EXPECT_EQ(S("POWER(2, -1)"), "0");
  EXPECT_EQ(S("SQRT(16)"), "4");
  EXPECT_EQ(E("SQRT(-1)"), errors::kInvalidFloatingPoint);
  EXPECT_EQ(E("LOG(0)"), errors::kInvalidFloatingPoint);
  EXPECT_EQ(S("LOG(8, 2)"), "3");
  EXPECT_EQ(S("LOG10(1000)"), "3");
  EXPECT_EQ(S("SIGN(-3.5)"), "-1.0");
  EXPECT_EQ(S("SIGN(0)"), "0");
  EXPECT_EQ(S("PI()"), "3.14159");  // float shows 6 significant digits
  EXPECT_EQ(S("CAST(PI() AS decimal(10,8))"), "3.14159265");
  EXPECT_EQ(S("DEGREES(PI())"), "180");
  EXPECT_EQ(S("SQUARE(3)"), "9");
  // RAND() is one value per statement.
  db.MustExec("INSERT INTO people (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  EXPECT_EQ(db.Scalar("SELECT COUNT(DISTINCT RAND()) FROM people"), "1");
  EXPECT_EQ(S("RAND(7) - RAND(7)"), "0");
  // NEWID() is one value per row.
  EXPECT_EQ(db.Scalar("SELECT COUNT(DISTINCT NEWID()) FROM people"), "3");
}

TEST_F(FuncTest, DateFunctions) {
  EXPECT_EQ(S("DATEADD(day, 1, '2024-02-28')"), "Feb 29 2024 12:00AM");  // string -> datetime
  EXPECT_EQ(S("DATEADD(month, 1, CAST('2024-01-31' AS date))"), "2024-02-29");
  EXPECT_EQ(S("DATEADD(hour, 25, CAST('23:00' AS time(0)))"), "00:00:00");
  EXPECT_EQ(S("DATEADD(ms, 1, CAST('2024-01-01' AS datetime))"), "Jan  1 2024 12:00AM");
  EXPECT_EQ(E("DATEADD(hour, 1, CAST('2024-01-01' AS date))"), errors::kDatePartNotSupported);
  EXPECT_EQ(E("DATEADD(year, 1, CAST('9999-01-01' AS date))"), errors::kDateAddOverflow);
  EXPECT_EQ(S("DATEDIFF(year, '2023-12-31', '2024-01-01')"), "1");
  EXPECT_EQ(S("DATEDIFF(day, '2024-01-01', '2024-03-01')"), "60");
  EXPECT_EQ(S("DATEDIFF(day, 0, CAST('1900-01-03' AS datetime))"), "2");
  EXPECT_EQ(E("DATEDIFF(ns, '2000-01-01', '2024-01-01')"), errors::kDateDiffOverflow);
  EXPECT_EQ(S("DATEDIFF_BIG(ns, '2000-01-01', '2000-01-02')"), "86400000000000");
  EXPECT_EQ(S("DATEPART(year, '2024-05-06')"), "2024");
  EXPECT_EQ(S("DATEPART(weekday, '2024-05-06')"), "2");  // a Monday, DATEFIRST 7
  EXPECT_EQ(S("DATEPART(quarter, CAST('2024-05-06' AS date))"), "2");
  EXPECT_EQ(S("DATEPART(tzoffset, CAST('2024-05-06 10:00 +05:30' AS datetimeoffset))"), "330");
  EXPECT_EQ(E("DATEPART(hour, CAST('2024-05-06' AS date))"), errors::kDatePartNotSupported);
  EXPECT_EQ(S("DATENAME(month, '2024-05-06')"), "May");
  EXPECT_EQ(S("DATENAME(weekday, '2024-05-06')"), "Monday");
  EXPECT_EQ(S("DATENAME(day, '2024-05-06')"), "6");
  EXPECT_EQ(S("YEAR('2024-05-06') * 100 + MONTH('2024-05-06')"), "202405");
  EXPECT_EQ(S("DAY(CAST('2024-05-06' AS date))"), "6");
  EXPECT_EQ(S("EOMONTH('2024-02-10')"), "2024-02-29");
  EXPECT_EQ(S("EOMONTH(CAST('2024-01-31' AS date), 1)"), "2024-02-29");
  EXPECT_EQ(S("DATEFROMPARTS(2024, 2, 29)"), "2024-02-29");
  EXPECT_EQ(E("DATEFROMPARTS(2023, 2, 29)"), errors::kCannotConstructDate);
  EXPECT_EQ(S("DATEFROMPARTS(2024, NULL, 1)"), "NULL");
  EXPECT_EQ(S("DATETIMEFROMPARTS(2024, 1, 2, 3, 4, 5, 6)"), "Jan  2 2024  3:04AM");
  EXPECT_EQ(S("DATETIME2FROMPARTS(2024, 1, 2, 3, 4, 5, 5, 1)"), "2024-01-02 03:04:05.5");
  EXPECT_EQ(S("TIMEFROMPARTS(23, 59, 59, 0, 0)"), "23:59:59");
  EXPECT_EQ(S("DATETIMEOFFSETFROMPARTS(2024, 1, 2, 3, 4, 5, 0, -8, 0, 0)"),
            "2024-01-02 03:04:05 -08:00");
  EXPECT_EQ(S("SMALLDATETIMEFROMPARTS(2024, 1, 2, 3, 4)"), "Jan  2 2024  3:04AM");
  EXPECT_EQ(S("ISDATE('2024-02-30')"), "0");
  EXPECT_EQ(S("ISDATE('2024-02-29')"), "1");
  EXPECT_EQ(S("ISDATE('abc')"), "0");
  EXPECT_EQ(S("SWITCHOFFSET(CAST('2024-01-01 10:00 +00:00' AS datetimeoffset(0)), '+02:00')"),
            "2024-01-01 12:00:00 +02:00");
  EXPECT_EQ(S("TODATETIMEOFFSET(CAST('2024-01-01 10:00' AS datetime2(0)), '-05:00')"),
            "2024-01-01 10:00:00 -05:00");
  // datetime arithmetic with numbers of days.
  EXPECT_EQ(S("CAST('2024-01-01' AS datetime) + 1"), "Jan  2 2024 12:00AM");
  EXPECT_EQ(S("CAST('2024-01-01' AS datetime) - 0.5"), "Dec 31 2023 12:00PM");
  EXPECT_EQ(E("CAST('2024-01-01' AS date) + 1"), errors::kInvalidOperandType);
  // GETDATE() is a per-statement runtime value.
  db.SetRuntime(
      RuntimeValue::kGetDate,
      Value::Int(SqlType::DateTime(), datetime::DaysFromCivil({2024, 7, 4}) * kTicksPerDay));
  EXPECT_EQ(S("CONVERT(varchar(10), GETDATE(), 120)"), "2024-07-04");
  EXPECT_EQ(S("YEAR(GETDATE())"), "2024");
}

TEST_F(FuncTest, DateFirstComesFromTheSession) {
  db.runtime().dates.datefirst = 1;  // SET DATEFIRST 1: Monday is day 1
  EXPECT_EQ(S("DATEPART(weekday, '2024-05-06')"), "1");
}

TEST_F(FuncTest, SystemFunctions) {
  EXPECT_EQ(S("OBJECT_ID('dbo.people')"), "1001");
  EXPECT_EQ(S("OBJECT_ID('[orders]')"), "1002");
  EXPECT_EQ(S("OBJECT_ID('testdb.dbo.orders', 'U')"), "1002");
  EXPECT_EQ(S("OBJECT_ID('nope')"), "NULL");
  EXPECT_EQ(S("OBJECT_NAME(1003)"), "big");
  EXPECT_EQ(S("DB_ID('master')"), "1");
  EXPECT_EQ(S("DB_NAME(5)"), "testdb");
  EXPECT_EQ(S("SERVERPROPERTY('ProductVersion')"), "16.0.1000.6");
  EXPECT_EQ(S("SERVERPROPERTY('EngineEdition')"), "3");
  EXPECT_EQ(S("SERVERPROPERTY('nope')"), "NULL");
  EXPECT_EQ(S("IDENT_SEED('orders')"), "1");
  EXPECT_EQ(S("SCHEMA_NAME()"), "dbo");
  db.SetRuntime(RuntimeValue::kRowCount, Value::Integer(42));
  EXPECT_EQ(S("@@ROWCOUNT"), "42");
}

TEST_F(FuncTest, AggregatesOfEveryKind) {
  db.MustExec(
      "INSERT INTO orders (person_id, amount, qty, ratio) VALUES (1, 1.10, 1, 1.5), "
      "(1, 2.20, 2, 2.5), (2, 3.30, 3, NULL)");
  EXPECT_EQ(db.Query("SELECT SUM(amount), AVG(amount), MIN(amount), MAX(amount) FROM orders"),
            (TextRows{{"6.60", "2.20", "1.10", "3.30"}}));
  EXPECT_EQ(db.Query("SELECT SUM(qty), AVG(qty), COUNT_BIG(*), SUM(ratio), AVG(ratio) FROM orders"),
            (TextRows{{"6", "2", "3", "4", "2"}}));
  EXPECT_EQ(db.Scalar("SELECT STDEV(qty) FROM orders"), "1");
  EXPECT_EQ(db.Scalar("SELECT CAST(VARP(qty) AS decimal(10,8)) FROM orders"), "0.66666667");
  EXPECT_EQ(db.Scalar("SELECT STRING_AGG(CAST(qty AS varchar(5)), '-') FROM orders"), "1-2-3");
  EXPECT_EQ(db.Scalar("SELECT SUM(DISTINCT person_id) FROM orders"), "3");
  EXPECT_EQ(db.Scalar("SELECT SUM(qty) FROM orders WHERE 1 = 0"), "NULL");
  EXPECT_EQ(db.Scalar("SELECT COUNT(*) FROM orders WHERE 1 = 0"), "0");
  EXPECT_EQ(db.Error("SELECT SUM(note) FROM orders"), errors::kInvalidOperandType);
  EXPECT_EQ(db.Error("SELECT MAX(CAST(1 AS bit)) FROM orders"), errors::kInvalidOperandType);
}

}  // namespace
}  // namespace edgesql::tsql
